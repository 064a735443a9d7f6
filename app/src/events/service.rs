//! Writing events. Callers pass their open transaction, so an event exists exactly when the
//! change it records was committed.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::types::{EventTarget, EventType};
use crate::db::events;
use crate::error::AppError;
use crate::ids::{OrganizationId, ProviderId, UserId};

/// What the caller tells us about the client, for the session list and the event log.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Who acted, from where, and when: shared by every event of one request.
#[derive(Clone, Debug)]
pub struct EventContext {
    pub actor: Option<UserId>,
    pub client: ClientInfo,
    pub at: DateTime<Utc>,
}

/// One event to record. An event with both a provider and an organization appears in both logs.
#[derive(Clone, Copy, Debug)]
pub struct NewEvent {
    pub event: EventType,
    pub provider: Option<ProviderId>,
    pub organization: Option<OrganizationId>,
    pub target: Option<EventTarget>,
}

impl NewEvent {
    pub const fn new(event: EventType) -> Self {
        Self {
            event,
            provider: None,
            organization: None,
            target: None,
        }
    }

    pub const fn provider(mut self, provider: ProviderId) -> Self {
        self.provider = Some(provider);
        self
    }

    pub const fn organization(mut self, organization: OrganizationId) -> Self {
        self.organization = Some(organization);
        self
    }

    pub const fn target(mut self, target: EventTarget) -> Self {
        self.target = Some(target);
        self
    }
}

/// An event's details about a member: the address, kept so the log still names the member
/// after the row is gone. Details are JSON, like every event's.
pub fn member_details(email: &str) -> String {
    serde_json::json!({ "email": email }).to_string()
}

/// An event's details about a vault item: its number and type, all the server knows of it.
pub fn item_details(item: crate::ids::ItemId, kind: u8) -> String {
    serde_json::json!({ "item": item.0, "type": kind }).to_string()
}

/// An event's details about a collection: its number (its name is sealed).
pub fn collection_details(collection: crate::ids::CollectionId) -> String {
    serde_json::json!({ "collection": collection.0 }).to_string()
}

pub async fn record(
    db: &impl ConnectionTrait,
    context: &EventContext,
    event: NewEvent,
    details: Option<String>,
) -> Result<(), AppError> {
    events::ActiveModel {
        at: Set(context.at),
        r#type: Set(event.event.code()),
        acting_user_id: Set(context.actor.map(|u| u.0)),
        provider_id: Set(event.provider.map(|p| p.0)),
        organization_id: Set(event.organization.map(|o| o.0)),
        target_kind: Set(event.target.map(|t| t.kind().to_owned())),
        target_id: Set(event.target.map(EventTarget::id)),
        details: Set(details),
        ip: Set(context.client.ip.clone()),
        device: Set(context.client.user_agent.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

// --- Reading the logs ---

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone};
use sea_orm::sea_query::{Alias, Expr, JoinType, Order, Query, SelectStatement};
use sea_orm::{EntityTrait, FromQueryResult, QuerySelect as _};

pub use super::types::LogOf;
use super::types::{
    DEFAULT_RANGE_DAYS, EVENT_PAGE_SIZE, EventPage, EventQuery, EventRow, MAX_EXPORT_DAYS,
};
use crate::auth::witness::LogReader;
use crate::db::{organizations, provider_users, providers, users};
use crate::error::{Field, Problem};
use crate::validate::Problems;

/// A date range resolved to UTC instants: `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The query's days (defaults: the last 30 days up to today, in the viewer's zone) as UTC
/// instants. `max_days` bounds the range (exports); a problem per bad field otherwise.
pub fn resolve_range(
    query: &EventQuery,
    now: DateTime<Utc>,
    max_days: Option<i64>,
) -> Result<Range, AppError> {
    // Real offsets lie within ±14 hours; the query may come from anywhere.
    let offset = Duration::minutes(i64::from(query.tz.clamp(-14 * 60, 14 * 60)));
    let today = (now + offset).date_naive();
    let mut problems = Problems::default();
    // Years a log can hold: chrono also reads `+262142-12-31`, whose next day overflows.
    let parse = |raw: &str, default: NaiveDate| -> Result<NaiveDate, Problem> {
        if raw.is_empty() {
            return Ok(default);
        }
        NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .ok()
            .filter(|day| (2000..=9999).contains(&day.year()) && raw.len() == 10)
            .ok_or(Problem::InvalidDate)
    };
    let last_day = problems.check(Field::DateTo, parse(&query.to, today));
    let default_first = last_day.unwrap_or(today) - Duration::days(DEFAULT_RANGE_DAYS - 1);
    let first_day = problems.check(Field::DateFrom, parse(&query.from, default_first));
    if let (Some(first), Some(last)) = (first_day, last_day) {
        if last < first {
            problems.add(Field::DateTo, Problem::BeforeStart);
        } else if let Some(max) = max_days
            && (last - first).num_days() + 1 > max
        {
            problems.add(Field::DateTo, Problem::RangeTooLong(max));
        }
    }
    problems.finish()?;
    let (Some(first_day), Some(last_day)) = (first_day, last_day) else {
        return Err(AppError::Internal);
    };
    let midnight = |day: NaiveDate| Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN)) - offset;
    Ok(Range {
        first_day,
        last_day,
        start: midnight(first_day),
        end: midnight(last_day + Duration::days(1)),
    })
}

#[derive(Debug, FromQueryResult)]
struct EventRecord {
    id: i64,
    at: DateTime<Utc>,
    r#type: i32,
    details: Option<String>,
    ip: Option<String>,
    device: Option<String>,
    actor_name: Option<String>,
    actor_email: Option<String>,
    organization_name: Option<String>,
    member_email: Option<String>,
}

impl EventRecord {
    fn row(self) -> EventRow {
        let details: Option<serde_json::Value> = self
            .details
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok());
        let detail = |key: &str| details.as_ref().and_then(|d| d.get(key));
        let number = |key: &str| detail(key).and_then(serde_json::Value::as_i64);
        let target = detail("email")
            .and_then(|e| e.as_str().map(str::to_owned))
            .or(self.member_email)
            .or(self.organization_name)
            .or_else(|| {
                number("item")
                    .or_else(|| number("collection"))
                    .map(|id| format!("#{id}"))
            });
        let item_kind = number("type").and_then(|kind| u8::try_from(kind).ok());
        let change = [
            "seats",
            "name",
            "business_name",
            "billing_email",
            "service_users_may_purchase_seats",
        ]
        .iter()
        .find_map(|key| {
            let change = detail(key)?;
            let text = |v: &serde_json::Value| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((text(change.get("from")?), text(change.get("to")?)))
        });
        let imported = number("imported")
            .and_then(|count| u32::try_from(count).ok())
            .zip(detail("format").and_then(|f| f.as_str().map(str::to_owned)));
        EventRow {
            id: self.id,
            at: self.at.to_rfc3339(),
            code: self.r#type,
            actor: self.actor_name.zip(self.actor_email),
            target,
            item_kind,
            change,
            imported,
            ip: self.ip,
        }
    }
}

/// The log's events in `range`, newest first: one statement with the names it shows.
fn events_statement(log: LogOf, range: &Range) -> SelectStatement {
    let (e, u, o, pu) = (
        Alias::new("e"),
        Alias::new("u"),
        Alias::new("o"),
        Alias::new("pu"),
    );
    let col = |table: &Alias, name: &str| Expr::col((table.clone(), Alias::new(name)));
    let mut statement = Query::select();
    statement
        .expr_as(col(&e, "id"), Alias::new("id"))
        .expr_as(col(&e, "at"), Alias::new("at"))
        .expr_as(col(&e, "type"), Alias::new("type"))
        .expr_as(col(&e, "details"), Alias::new("details"))
        .expr_as(col(&e, "ip"), Alias::new("ip"))
        .expr_as(col(&e, "device"), Alias::new("device"))
        .expr_as(col(&u, "name"), Alias::new("actor_name"))
        .expr_as(col(&u, "email"), Alias::new("actor_email"))
        .expr_as(col(&o, "name"), Alias::new("organization_name"))
        .expr_as(col(&pu, "email"), Alias::new("member_email"))
        .from_as(events::Entity, e.clone())
        .join_as(
            JoinType::LeftJoin,
            users::Entity,
            u.clone(),
            col(&u, "id").equals((e.clone(), Alias::new("acting_user_id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            organizations::Entity,
            o.clone(),
            col(&e, "target_kind")
                .eq("organization")
                .and(col(&o, "id").equals((e.clone(), Alias::new("target_id")))),
        )
        .join_as(
            JoinType::LeftJoin,
            provider_users::Entity,
            pu.clone(),
            col(&e, "target_kind")
                .eq("provider_user")
                .and(col(&pu, "id").equals((e.clone(), Alias::new("target_id")))),
        );
    match log {
        LogOf::Provider(id) => statement.and_where(col(&e, "provider_id").eq(id.0)),
        LogOf::Organization(id) => statement.and_where(col(&e, "organization_id").eq(id.0)),
    };
    statement
        .and_where(col(&e, "at").gte(range.start))
        .and_where(col(&e, "at").lt(range.end))
        .order_by((e.clone(), Alias::new("at")), Order::Desc)
        .order_by((e, Alias::new("id")), Order::Desc);
    statement.to_owned()
}

async fn log_name(db: &impl ConnectionTrait, log: LogOf) -> Result<String, AppError> {
    let name = match log {
        LogOf::Provider(id) => {
            providers::Entity::find_by_id(id.0)
                .select_only()
                .column(providers::Column::Name)
                .into_tuple::<String>()
                .one(db)
                .await?
        }
        LogOf::Organization(id) => {
            organizations::Entity::find_by_id(id.0)
                .select_only()
                .column(organizations::Column::Name)
                .into_tuple::<String>()
                .one(db)
                .await?
        }
    };
    name.ok_or(AppError::NotFound)
}

/// One page of the log (the caller passed the guard for it).
pub async fn list(
    db: &impl ConnectionTrait,
    reader: &LogReader,
    query: &EventQuery,
    now: DateTime<Utc>,
) -> Result<EventPage, AppError> {
    let log = reader.log;
    let range = resolve_range(query, now, None)?;
    let page = query.page.max(1);
    let size = u64::from(EVENT_PAGE_SIZE);
    let mut statement = events_statement(log, &range);
    // One row more than the page tells whether another page follows.
    statement.limit(size + 1).offset(u64::from(page - 1) * size);
    let backend = db.get_database_backend();
    let mut rows: Vec<EventRow> = EventRecord::find_by_statement(backend.build(&statement))
        .all(db)
        .await?
        .into_iter()
        .map(EventRecord::row)
        .collect();
    let has_more = rows.len() as u64 > size;
    rows.truncate(EVENT_PAGE_SIZE as usize);
    Ok(EventPage {
        rows,
        page,
        has_more,
        from: range.first_day.to_string(),
        to: range.last_day.to_string(),
        name: log_name(db, log).await?,
        exportable: (range.last_day - range.first_day).num_days() < MAX_EXPORT_DAYS,
    })
}

/// A spreadsheet cell that starts like a formula is shown as text (OWASP's advice against
/// CSV injection): a leading `'`.
pub fn csv_cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// The export's columns; the event's text is in the exporting person's language.
pub const CSV_HEADER: [&str; 8] = [
    "time_utc",
    "event",
    "code",
    "actor_name",
    "actor_email",
    "target",
    "ip",
    "device",
];

/// Rows per batch read from the database and per chunk sent (about 100 KiB).
const EXPORT_BATCH: u64 = 1000;

/// How long a chunk may wait for the reader. A reader slower than this loses the download:
/// nothing is held for it meanwhile (no connection, at most the chunks in the channel), but
/// the export must end some time.
pub const EXPORT_SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Streams the log's events in `range` as CSV chunks into `sink`, newest first. Rows are read
/// in keyset batches (`(at, id)` below the last row sent), each its own short query, so the
/// export holds a pool connection only while a batch is read, never while the reader is slow.
/// Returns the number of events written; an error leaves the download unfinished (the caller
/// turns it into an aborted response, not a file that merely looks short).
pub async fn export_csv(
    db: &impl ConnectionTrait,
    reader: &LogReader,
    range: &Range,
    describe: impl Fn(&EventRow) -> String,
    sink: &tokio::sync::mpsc::Sender<Vec<u8>>,
) -> Result<u64, AppError> {
    let log = reader.log;
    let csv_error = |err: csv::Error| {
        tracing::error!(error = %err, "CSV export");
        AppError::Internal
    };
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::with_capacity(128 * 1024));
    writer.write_record(CSV_HEADER).map_err(csv_error)?;
    let backend = db.get_database_backend();
    let e = Alias::new("e");
    let mut after: Option<(DateTime<Utc>, i64)> = None;
    let mut written = 0_u64;
    loop {
        let mut statement = events_statement(log, range);
        if let Some((at, id)) = after {
            let at_col = Expr::col((e.clone(), Alias::new("at")));
            statement.and_where(
                at_col.clone().lt(at).or(at_col
                    .eq(at)
                    .and(Expr::col((e.clone(), Alias::new("id"))).lt(id))),
            );
        }
        statement.limit(EXPORT_BATCH);
        let records = EventRecord::find_by_statement(backend.build(&statement))
            .all(db)
            .await?;
        let last_batch = (records.len() as u64) < EXPORT_BATCH;
        after = records.last().map(|r| (r.at, r.id)).or(after);
        for record in records {
            let device = record.device.clone().unwrap_or_default();
            let row = record.row();
            let (actor_name, actor_email) = row.actor.clone().unwrap_or_default();
            let text = describe(&row);
            writer
                .write_record([
                    row.at.as_str(),
                    &csv_cell(&text),
                    &row.code.to_string(),
                    &csv_cell(&actor_name),
                    &csv_cell(&actor_email),
                    &csv_cell(row.target.as_deref().unwrap_or_default()),
                    &csv_cell(row.ip.as_deref().unwrap_or_default()),
                    &csv_cell(&device),
                ])
                .map_err(csv_error)?;
            written += 1;
        }
        let full = std::mem::replace(
            &mut writer,
            csv::WriterBuilder::new().from_writer(Vec::with_capacity(128 * 1024)),
        );
        let chunk = full
            .into_inner()
            .map_err(|err| csv_error(err.into_error().into()))?;
        if !chunk.is_empty() {
            match tokio::time::timeout(EXPORT_SEND_TIMEOUT, sink.send(chunk)).await {
                Ok(Ok(())) => {}
                // The download was cancelled: stop reading.
                Ok(Err(_)) => return Ok(written),
                Err(_) => {
                    tracing::warn!("event export abandoned: the reader stopped reading");
                    return Err(AppError::Internal);
                }
            }
        }
        if last_batch {
            return Ok(written);
        }
    }
}

/// The fields whose value changed, as an event's details (`{"field": {"from", "to"}}`).
pub fn changes(fields: &[(&str, &str, &str)]) -> serde_json::Map<String, serde_json::Value> {
    fields
        .iter()
        .filter(|(_, from, to)| from != to)
        .map(|(key, from, to)| {
            (
                (*key).to_owned(),
                serde_json::json!({ "from": from, "to": to }),
            )
        })
        .collect()
}
