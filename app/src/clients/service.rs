//! The Clients rules on a database connection. Listing is one SQL statement per page (search,
//! seat counts, sort, paging and the total together); every change locks the rows whose
//! invariants it relies on, checks, writes, and records its events in one transaction.

use sea_orm::sea_query::{
    Alias, Condition, Expr, Func, JoinType, LikeExpr, Order, Query, SelectStatement, SimpleExpr,
    SubQueryStatement,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    QueryFilter, Set, SqlErr, TransactionTrait,
};

use super::types::{
    ClientDetails, ClientPage, ClientQuery, ClientRow, ClientSort, EligibleOrganization,
    SortDirection, purchases_seats,
};
use crate::auth::{Actor, Capability, Scope};
use crate::db::{lock, organization_users, organizations, provider_organizations, providers};
use crate::error::{AppError, Field, Problem, Refusal};
use crate::events::service::{EventContext, NewEvent, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{OrganizationId, ProviderId, UserId};
use crate::members::types::{MemberStatus, OrgUserType, Permissions};
use crate::organizations::service::used_seats;
use crate::organizations::types::{MAX_ORGANIZATION_NAME_CHARS, MAX_SEATS, Plan, name_key};
use crate::validate::{self, Problems};

#[derive(Debug, FromQueryResult)]
struct ClientRecord {
    id: i64,
    name: String,
    plan: String,
    seats: i32,
    used: i64,
    remaining: i64,
    total: i64,
}

/// `%` and `_` typed by a person are literal, not wildcards.
fn like_pattern(search: &str) -> String {
    let mut pattern = String::with_capacity(search.len() + 2);
    pattern.push('%');
    for c in name_key(search).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// How a search finds its clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchPlan {
    /// Walk the provider's clients in page order, keeping those whose name matches: cheap when
    /// matches are common (a page fills after a few rows), and always correct.
    Scan,
    /// SQLite, a rare term: take the few organizations whose names hold it from the trigram
    /// table (migration m20261127_000009) and sort just those. PostgreSQL makes this choice
    /// itself, with its trigram index and statistics.
    Trigrams,
}

/// The SQLite trigram table over `organizations.name_key`.
const TRIGRAMS: &str = "organization_name_trigrams";

/// Fewer matches than this in the whole portal make a term rare: sorting that many rows
/// costs less than scanning a large provider for them.
pub const TRIGRAM_PROBE: u64 = 300;

/// The search as one FTS5 phrase: with the trigram tokenizer, a substring match. Quotes are
/// doubled, so nothing typed is query syntax.
fn trigram_match(search: &str) -> SimpleExpr {
    let phrase = format!("\"{}\"", name_key(search).replace('"', "\"\""));
    Expr::cust_with_values(format!("{TRIGRAMS} MATCH ?"), [phrase])
}

/// Which plan a search takes: one bounded probe of the trigram table on SQLite for terms of
/// three characters or more (trigrams need three), nothing otherwise.
pub async fn search_plan(db: &impl ConnectionTrait, search: &str) -> Result<SearchPlan, AppError> {
    let backend = db.get_database_backend();
    if backend != sea_orm::DbBackend::Sqlite || name_key(search).chars().count() < 3 {
        return Ok(SearchPlan::Scan);
    }
    let probe = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_subquery(
            Query::select()
                .expr(Expr::val(1))
                .from(Alias::new(TRIGRAMS))
                .and_where(trigram_match(search))
                .limit(TRIGRAM_PROBE)
                .to_owned(),
            Alias::new("probe"),
        )
        .to_owned();
    let found: i64 = match db.query_one(backend.build(&probe)).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    Ok(if u64::try_from(found).unwrap_or(0) < TRIGRAM_PROBE {
        SearchPlan::Trigrams
    } else {
        SearchPlan::Scan
    })
}

/// The provider's clients matching `search`. `organizations.provider_id` and `used_seats` are
/// kept by database triggers (migrations m20261126_000004/5), so the page reads this one
/// table through the index of its sort column: no join, no sort, nothing off-page read.
fn clients_filter(provider: ProviderId, search: &str, plan: SearchPlan) -> Condition {
    let mut filter = Condition::all().add(Expr::col(Alias::new("provider_id")).eq(provider.0));
    if !search.is_empty() {
        filter = filter.add(
            Expr::col(organizations::Column::NameKey)
                .like(LikeExpr::new(like_pattern(search)).escape('\\')),
        );
    }
    if plan == SearchPlan::Trigrams {
        // The LIKE above stays the exact rule; the trigram table only narrows the rows.
        filter = filter.add(
            Expr::col(organizations::Column::Id).in_subquery(
                Query::select()
                    .expr(Expr::cust("rowid"))
                    .from(Alias::new(TRIGRAMS))
                    .and_where(trigram_match(search))
                    .to_owned(),
            ),
        );
    }
    filter
}

/// Pages counted beyond the one shown when a search matches many clients. Counting every
/// match costs a scan proportional to the provider's size; past this look-ahead the page says
/// "more than N" instead, so a broad search on 100,000 clients costs what it costs on 1,000.
pub const SEARCH_LOOKAHEAD_PAGES: u64 = 10;

/// How many clients match: the provider's counter without a search, a count with one. `limit`
/// bounds the count (it stops at that many matches); `None` counts them all.
fn total_statement(
    provider: ProviderId,
    search: &str,
    limit: Option<u64>,
    plan: SearchPlan,
) -> SelectStatement {
    if search.is_empty() {
        return Query::select()
            .expr(Expr::col(Alias::new("client_count")))
            .from(providers::Entity)
            .and_where(Expr::col(providers::Column::Id).eq(provider.0))
            .to_owned();
    }
    let mut matched = Query::select();
    // In name order: the planner then walks the name index, where matches are spread as names
    // are. Left free, SQLite picked another covering index (by plan), and with matches bunched
    // in one part of it, counting 251 of one client in twelve read 50,000 rows (7.6 ms, not
    // 0.4, at 100,000 clients).
    matched
        .expr(Expr::val(1))
        .from(organizations::Entity)
        .cond_where(clients_filter(provider, search, plan))
        .order_by(organizations::Column::NameKey, Order::Asc)
        .order_by(organizations::Column::Id, Order::Asc);
    match limit {
        None => Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from(organizations::Entity)
            .cond_where(clients_filter(provider, search, plan))
            .to_owned(),
        Some(limit) => Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(matched.limit(limit).to_owned(), Alias::new("matched"))
            .to_owned(),
    }
}

/// The most matches a page's count reads: the pages before it, the look-ahead, and one more
/// to tell "exactly this many" from "more".
fn count_limit(query: &ClientQuery, page: u32) -> u64 {
    let size = u64::from(query.size);
    u64::from(page - 1) * size + SEARCH_LOOKAHEAD_PAGES * size + 1
}

fn page_statement(
    provider: ProviderId,
    query: &ClientQuery,
    page: u32,
    plan: SearchPlan,
) -> SelectStatement {
    let col = |name: &str| Expr::col(Alias::new(name));
    // Written exactly as the Remaining index's expression, so the planner uses that index.
    let remaining = || col("seats").sub(col("used_seats"));
    let order = match query.direction {
        SortDirection::Asc => Order::Asc,
        SortDirection::Desc => Order::Desc,
    };
    let key: SimpleExpr = match query.sort {
        ClientSort::Name => col("name_key").into(),
        ClientSort::Assigned => col("seats").into(),
        ClientSort::Used => col("used_seats").into(),
        ClientSort::Remaining => remaining(),
        ClientSort::Plan => col("plan").into(),
    };
    let mut statement = Query::select();
    statement
        .columns([
            organizations::Column::Id,
            organizations::Column::Name,
            organizations::Column::Plan,
            organizations::Column::Seats,
        ])
        // Read as BIGINT on both backends (PostgreSQL's INTEGER does not decode as i64).
        .expr_as(
            Func::cast_as(col("used_seats"), Alias::new("BIGINT")),
            Alias::new("used"),
        )
        .expr_as(
            Func::cast_as(remaining(), Alias::new("BIGINT")),
            Alias::new("remaining"),
        )
        // The total that matched, in the same statement as the page.
        .expr_as(
            SimpleExpr::SubQuery(
                None,
                Box::new(SubQueryStatement::SelectStatement(total_statement(
                    provider,
                    &query.search,
                    Some(count_limit(query, page)),
                    plan,
                ))),
            ),
            Alias::new("total"),
        )
        .from(organizations::Entity)
        .cond_where(clients_filter(provider, &query.search, plan));
    // Stable tie-break, by name then id; every combination has its index (migration
    // m20261126_000005), so a page is an index range read. By name, equal keys go by id
    // in the same direction so the name index serves both directions.
    if query.sort == ClientSort::Name {
        statement
            .order_by_expr(key, order.clone())
            .order_by_expr(col("id").into(), order);
    } else {
        statement
            .order_by_expr(key, order)
            .order_by_expr(col("name_key").into(), Order::Asc)
            .order_by_expr(col("id").into(), Order::Asc);
    }
    statement
        .limit(u64::from(query.size))
        .offset(u64::from(page - 1) * u64::from(query.size));
    statement.to_owned()
}

fn row(record: ClientRecord) -> Result<ClientRow, AppError> {
    Ok(ClientRow {
        id: OrganizationId(record.id),
        name: record.name,
        plan: Plan::parse(&record.plan).ok_or(AppError::Internal)?,
        seats: i64::from(record.seats),
        used: record.used,
        remaining: record.remaining,
    })
}

/// One page of the provider's clients: one statement (rows and their count), after the
/// trigram probe for searches on SQLite. A page past the end shows the last page instead
/// (then, and only then, a count and a second page query run).
pub async fn list(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    query: &ClientQuery,
) -> Result<ClientPage, AppError> {
    let query = query.normalized();
    let backend = db.get_database_backend();
    let plan = search_plan(db, &query.search).await?;
    let mut page = query.page;
    let mut records = ClientRecord::find_by_statement(
        backend.build(&page_statement(provider, &query, page, plan)),
    )
    .all(db)
    .await?;
    let mut more = false;
    let total = match records.first() {
        Some(first) => {
            let total = u64::try_from(first.total).unwrap_or(0);
            let limit = count_limit(&query, page);
            if !query.search.is_empty() && total >= limit {
                // Counting stopped at the bound: show the bound less the probe, as "more than".
                more = true;
                limit - 1
            } else {
                total
            }
        }
        None if page > 1 => {
            // Past the end: the exact count, to find the last page (rare, so not bounded).
            let count = total_statement(provider, &query.search, None, plan);
            let total: i64 = match db.query_one(backend.build(&count)).await? {
                Some(result) => result.try_get_by_index(0)?,
                None => 0,
            };
            let total = u64::try_from(total).unwrap_or(0);
            if total > 0 {
                let last = total.div_ceil(u64::from(query.size));
                page = u32::try_from(last).unwrap_or(1);
                records = ClientRecord::find_by_statement(
                    backend.build(&page_statement(provider, &query, page, plan)),
                )
                .all(db)
                .await?;
            } else {
                page = 1;
            }
            total
        }
        None => 0,
    };
    Ok(ClientPage {
        rows: records.into_iter().map(row).collect::<Result<_, _>>()?,
        total,
        more,
        page,
        size: query.size,
    })
}

/// The organization when it is a client of `provider`; `NotFound` otherwise (another
/// provider's client is not revealed).
async fn client_of(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    client: OrganizationId,
) -> Result<organizations::Model, AppError> {
    let linked = provider_organizations::Entity::find()
        .filter(provider_organizations::Column::ProviderId.eq(provider.0))
        .filter(provider_organizations::Column::OrganizationId.eq(client.0))
        .one(db)
        .await?
        .is_some();
    if !linked {
        return Err(AppError::NotFound);
    }
    organizations::Entity::find_by_id(client.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Σ assigned seats of the provider's clients on `plan`.
async fn plan_assigned(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    plan: Plan,
) -> Result<i64, AppError> {
    let (o, po) = (Alias::new("o"), Alias::new("po"));
    let statement = Query::select()
        .expr(Expr::cust("COALESCE(SUM(o.seats), 0)"))
        .from_as(organizations::Entity, o.clone())
        .join_as(
            JoinType::InnerJoin,
            provider_organizations::Entity,
            po.clone(),
            Expr::col((po.clone(), provider_organizations::Column::OrganizationId))
                .equals((o.clone(), organizations::Column::Id)),
        )
        .and_where(Expr::col((po, provider_organizations::Column::ProviderId)).eq(provider.0))
        .and_where(Expr::col((o, organizations::Column::Plan)).eq(plan.as_str()))
        .to_owned();
    let backend = db.get_database_backend();
    let Some(result) = db.query_one(backend.build(&statement)).await? else {
        return Ok(0);
    };
    // PostgreSQL sums integers as bigint, SQLite as integer: both read as i64.
    Ok(result.try_get_by_index::<i64>(0)?)
}

/// Whether the viewer may purchase seats in this provider (DESIGN.md rule 8).
fn may_purchase(actor: &Actor, provider: &providers::Model) -> bool {
    provider.service_users_may_purchase_seats
        || actor.can(
            Capability::PurchaseSeats,
            Scope::Provider(ProviderId(provider.id)),
        )
}

/// The Manage subscription dialog's figures.
pub async fn details(
    db: &impl ConnectionTrait,
    actor: &Actor,
    provider: ProviderId,
    client: OrganizationId,
) -> Result<ClientDetails, AppError> {
    let organization = client_of(db, provider, client).await?;
    let plan = Plan::parse(&organization.plan).ok_or(AppError::Internal)?;
    let provider_model = crate::providers::service::row(db, provider).await?;
    let terms = crate::providers::service::plan_terms(db, provider)
        .await?
        .into_iter()
        .find(|t| t.plan == plan)
        .ok_or(AppError::Internal)?;
    Ok(ClientDetails {
        id: client,
        name: organization.name,
        plan,
        seats: i64::from(organization.seats),
        used: used_seats(db, client).await?,
        terms,
        plan_assigned: plan_assigned(db, provider, plan).await?,
        may_purchase: may_purchase(actor, &provider_model),
    })
}

#[derive(Clone, Debug, Default)]
pub struct NewClient {
    pub name: String,
    pub plan: String,
    pub seats: String,
    pub owner_email: String,
}

/// DESIGN.md rules 5 and 11: the organization is created, linked, its owner invited and the
/// events recorded in one transaction; any failure leaves nothing behind.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    provider: ProviderId,
    input: NewClient,
    context: &EventContext,
) -> Result<OrganizationId, AppError> {
    let mut problems = Problems::default();
    let name = problems.check(
        Field::Name,
        validate::name(&input.name, MAX_ORGANIZATION_NAME_CHARS),
    );
    let plan = problems.check(
        Field::Plan,
        Plan::parse(&input.plan)
            .filter(|p| p.is_provider_plan())
            .ok_or(Problem::Unsupported),
    );
    let seats = problems.check(
        Field::Seats,
        validate::whole_number(&input.seats, 1, MAX_SEATS),
    );
    let owner_email = problems.check(Field::OwnerEmail, validate::email(&input.owner_email));
    problems.finish()?;
    let (Some(name), Some(plan), Some(seats), Some(owner_email)) = (name, plan, seats, owner_email)
    else {
        return Err(AppError::Internal);
    };

    let txn = db.begin().await?;
    lock::provider_by(&txn, context, Capability::ManageClients, provider).await?;
    let provider_model = crate::providers::service::row(&txn, provider).await?;
    let organization = organizations::ActiveModel {
        name_key: Set(name_key(&name)),
        name: Set(name),
        // The provider pays until the client is unlinked (rule 11).
        billing_email: Set(provider_model.billing_email),
        plan: Set(plan.as_str().to_owned()),
        billing_cycle: Set("monthly".to_owned()),
        seats: Set(i32::try_from(seats).map_err(|_| AppError::Internal)?),
        enabled: Set(true),
        created_at: Set(context.at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let id = OrganizationId(organization.id);
    provider_organizations::ActiveModel {
        provider_id: Set(provider.0),
        organization_id: Set(organization.id),
        created_at: Set(context.at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let owner = organization_users::ActiveModel {
        organization_id: Set(organization.id),
        user_id: Set(None),
        email: Set(owner_email),
        r#type: Set(OrgUserType::Owner.as_str().to_owned()),
        status: Set(MemberStatus::Invited.as_str().to_owned()),
        permissions: Set(Permissions::empty().0),
        reset_password_enrolled: Set(false),
        created_at: Set(context.at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::ProviderClientCreated)
            .provider(provider)
            .organization(id)
            .target(EventTarget::Organization(id.0)),
        None,
    )
    .await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::OrganizationUserInvited)
            .organization(id)
            .target(EventTarget::OrganizationMember(owner.id)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// DESIGN.md rule 9, as a query: organizations `user` owns (confirmed) that are enabled, have
/// seats, are on Teams or Enterprise, and belong to no provider.
fn eligible_statement(user: UserId) -> SelectStatement {
    let (o, ou, po) = (Alias::new("o"), Alias::new("ou"), Alias::new("po"));
    let linked = Query::select()
        .expr(Expr::val(1))
        .from_as(provider_organizations::Entity, po.clone())
        .and_where(
            Expr::col((po, provider_organizations::Column::OrganizationId))
                .equals((o.clone(), organizations::Column::Id)),
        )
        .to_owned();
    Query::select()
        .column((o.clone(), organizations::Column::Id))
        .column((o.clone(), organizations::Column::Name))
        .column((o.clone(), organizations::Column::Plan))
        .column((o.clone(), organizations::Column::Seats))
        .from_as(organizations::Entity, o.clone())
        .join_as(
            JoinType::InnerJoin,
            organization_users::Entity,
            ou.clone(),
            Expr::col((ou.clone(), organization_users::Column::OrganizationId))
                .equals((o.clone(), organizations::Column::Id)),
        )
        .and_where(Expr::col((ou.clone(), organization_users::Column::UserId)).eq(user.0))
        .and_where(
            Expr::col((ou.clone(), organization_users::Column::Type))
                .eq(OrgUserType::Owner.as_str()),
        )
        .and_where(
            Expr::col((ou, organization_users::Column::Status))
                .eq(MemberStatus::Confirmed.as_str()),
        )
        .and_where(Expr::col((o.clone(), organizations::Column::Enabled)).eq(true))
        .and_where(Expr::col((o.clone(), organizations::Column::Seats)).gt(0))
        .and_where(
            Expr::col((o.clone(), organizations::Column::Plan))
                .is_in([Plan::Teams.as_str(), Plan::Enterprise.as_str()]),
        )
        .and_where(Expr::exists(linked).not())
        .order_by((o.clone(), organizations::Column::NameKey), Order::Asc)
        .order_by((o, organizations::Column::Id), Order::Asc)
        .to_owned()
}

#[derive(Debug, FromQueryResult)]
struct EligibleRecord {
    id: i64,
    name: String,
    plan: String,
    seats: i32,
}

pub async fn eligible_organizations(
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<Vec<EligibleOrganization>, AppError> {
    let backend = db.get_database_backend();
    EligibleRecord::find_by_statement(backend.build(&eligible_statement(user)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            Ok(EligibleOrganization {
                id: OrganizationId(r.id),
                name: r.name,
                plan: Plan::parse(&r.plan).ok_or(AppError::Internal)?,
                seats: i64::from(r.seats),
            })
        })
        .collect()
}

/// Rule 4: whether "+ Add existing organization" is offered at all.
pub async fn has_eligible_organizations(
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<bool, AppError> {
    let backend = db.get_database_backend();
    let statement = eligible_statement(user).limit(1).to_owned();
    Ok(db.query_one(backend.build(&statement)).await?.is_some())
}

/// Rules 3, 4 and 9: links an organization the admin owns. The organization's row is locked
/// and its eligibility re-checked inside the transaction; the unique index on the link settles
/// a race with another provider, whose loser gets `AlreadyClient`.
pub async fn add_existing(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &Actor,
    provider: ProviderId,
    organization: OrganizationId,
    context: &EventContext,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    let actor = &lock::provider_for(&txn, actor, Capability::ManageClients, provider).await?;
    lock::organization(&txn, organization)
        .await
        .map_err(|_| AppError::Refused(Refusal::NotEligible))?;
    let already_linked = provider_organizations::Entity::find()
        .filter(provider_organizations::Column::OrganizationId.eq(organization.0))
        .one(&txn)
        .await?
        .is_some();
    if already_linked {
        return Err(AppError::Refused(Refusal::AlreadyClient));
    }
    let eligible = eligible_organizations(&txn, actor.user_id)
        .await?
        .into_iter()
        .find(|o| o.id == organization)
        .ok_or(AppError::Refused(Refusal::NotEligible))?;
    let provider_model = crate::providers::service::row(&txn, provider).await?;
    let linked = provider_organizations::ActiveModel {
        provider_id: Set(provider.0),
        organization_id: Set(organization.0),
        created_at: Set(context.at),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match linked {
        Ok(_) => {}
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(AppError::Refused(Refusal::AlreadyClient));
        }
        Err(err) => return Err(err.into()),
    }
    // Rule 9: the provider's monthly plan of the same kind, and the provider pays.
    organizations::Entity::update_many()
        .col_expr(organizations::Column::BillingCycle, Expr::value("monthly"))
        .col_expr(
            organizations::Column::BillingEmail,
            Expr::value(provider_model.billing_email),
        )
        .filter(organizations::Column::Id.eq(organization.0))
        .exec(&txn)
        .await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::ProviderClientAdded)
            .provider(provider)
            .organization(organization)
            .target(EventTarget::Organization(organization.0)),
        Some(serde_json::json!({ "plan": eligible.plan.as_str() }).to_string()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Update name, by a Provider Admin or a Service User.
pub async fn rename(
    db: &(impl ConnectionTrait + TransactionTrait),
    provider: ProviderId,
    client: OrganizationId,
    name: &str,
    context: &EventContext,
) -> Result<(), AppError> {
    let name = validate::name(name, MAX_ORGANIZATION_NAME_CHARS)
        .map_err(|problem| AppError::field(Field::Name, problem))?;
    let txn = db.begin().await?;
    lock::provider_by(&txn, context, Capability::UpdateClient, provider).await?;
    lock::organization(&txn, client).await?;
    let organization = client_of(&txn, provider, client).await?;
    if organization.name == name {
        return Ok(());
    }
    let previous = organization.name.clone();
    let mut active = organization.into_active_model();
    active.name_key = Set(name_key(&name));
    active.name = Set(name.clone());
    active.update(&txn).await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::OrganizationUpdated)
            .provider(provider)
            .organization(client)
            .target(EventTarget::Organization(client.0)),
        Some(serde_json::json!({ "name": { "from": previous, "to": name } }).to_string()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Manage subscription: rules 2 and 8. The provider's row is locked first, so two seat changes
/// in one provider see each other's sums (the purchase rule), then the client's row, so an
/// invitation cannot slip between counting Used and writing the seats.
pub async fn set_seats(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &Actor,
    provider: ProviderId,
    client: OrganizationId,
    seats: &str,
    context: &EventContext,
) -> Result<(), AppError> {
    let granted = (Capability::UpdateClient, Scope::Provider(provider));
    set_seats_as(db, actor, granted, provider, client, seats, context).await
}

/// [`set_seats`] for a caller authorized by `granted` (the Clients page's `UpdateClient` in
/// the provider, or the Admin Console's `ManageSeats` in the client), checked again once the
/// provider is locked.
#[allow(clippy::too_many_arguments)]
pub async fn set_seats_as(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &Actor,
    granted: (Capability, Scope),
    provider: ProviderId,
    client: OrganizationId,
    seats: &str,
    context: &EventContext,
) -> Result<(), AppError> {
    let invalid = |problem| AppError::field(Field::Seats, problem);
    let seats = validate::whole_number(seats, 1, MAX_SEATS).map_err(invalid)?;
    let txn = db.begin().await?;
    lock::provider(&txn, provider).await?;
    let actor = &crate::auth::recheck::require_still(&txn, actor, granted.0, granted.1).await?;
    lock::organization(&txn, client).await?;
    let organization = client_of(&txn, provider, client).await?;
    let current = i64::from(organization.seats);
    if seats == current {
        return Ok(());
    }
    let used = used_seats(&txn, client).await?;
    if seats < used {
        return Err(invalid(Problem::BelowUsed(used)));
    }
    let plan = Plan::parse(&organization.plan).ok_or(AppError::Internal)?;
    let provider_model = crate::providers::service::row(&txn, provider).await?;
    if !may_purchase(actor, &provider_model) {
        let minimum = crate::providers::service::plan_terms(&txn, provider)
            .await?
            .into_iter()
            .find(|t| t.plan == plan)
            .map_or(0, |t| t.seat_minimum);
        let assigned = plan_assigned(&txn, provider, plan).await?;
        if purchases_seats(minimum, assigned, seats - current) {
            return Err(invalid(Problem::PurchaseNeedsProviderAdmin));
        }
    }
    let mut active = organization.into_active_model();
    active.seats = Set(i32::try_from(seats).map_err(|_| AppError::Internal)?);
    active.update(&txn).await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::OrganizationSeatsChanged)
            .provider(provider)
            .organization(client)
            .target(EventTarget::Organization(client.0)),
        Some(serde_json::json!({ "seats": { "from": current, "to": seats } }).to_string()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Rule 10: the provider lets go of a client that has a confirmed Owner outside the provider;
/// the organization keeps its members and data, and that owner becomes its billing contact.
pub async fn unlink(
    db: &(impl ConnectionTrait + TransactionTrait),
    provider: ProviderId,
    client: OrganizationId,
    context: &EventContext,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    lock::provider_by(&txn, context, Capability::ManageClients, provider).await?;
    lock::organization(&txn, client).await?;
    let organization = client_of(&txn, provider, client).await?;
    let owner = independent_owner(&txn, provider, client)
        .await?
        .ok_or(AppError::Refused(Refusal::NoOwnerOutsideProvider))?;
    provider_organizations::Entity::delete_many()
        .filter(provider_organizations::Column::ProviderId.eq(provider.0))
        .filter(provider_organizations::Column::OrganizationId.eq(client.0))
        .exec(&txn)
        .await?;
    let mut active = organization.into_active_model();
    active.billing_email = Set(owner);
    active.update(&txn).await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::ProviderClientRemoved)
            .provider(provider)
            .organization(client)
            .target(EventTarget::Organization(client.0)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The email of the earliest confirmed Owner who has no membership in the provider.
async fn independent_owner(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    client: OrganizationId,
) -> Result<Option<String>, AppError> {
    use crate::db::provider_users;
    let (ou, pu) = (Alias::new("ou"), Alias::new("pu"));
    let in_provider = Query::select()
        .expr(Expr::val(1))
        .from_as(provider_users::Entity, pu.clone())
        .and_where(Expr::col((pu.clone(), provider_users::Column::ProviderId)).eq(provider.0))
        .and_where(
            Expr::col((pu, provider_users::Column::UserId))
                .equals((ou.clone(), organization_users::Column::UserId)),
        )
        .to_owned();
    let statement = Query::select()
        .column((ou.clone(), organization_users::Column::Email))
        .from_as(organization_users::Entity, ou.clone())
        .and_where(Expr::col((ou.clone(), organization_users::Column::OrganizationId)).eq(client.0))
        .and_where(
            Expr::col((ou.clone(), organization_users::Column::Type))
                .eq(OrgUserType::Owner.as_str()),
        )
        .and_where(
            Expr::col((ou.clone(), organization_users::Column::Status))
                .eq(MemberStatus::Confirmed.as_str()),
        )
        .and_where(Expr::col((ou.clone(), organization_users::Column::UserId)).is_not_null())
        .and_where(Expr::exists(in_provider).not())
        .order_by((ou, organization_users::Column::Id), Order::Asc)
        .limit(1)
        .to_owned();
    let backend = db.get_database_backend();
    match db.query_one(backend.build(&statement)).await? {
        Some(result) => Ok(Some(result.try_get_by_index::<String>(0)?)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn wildcards_typed_by_people_are_literal() {
        assert_eq!(like_pattern("Acme"), "%acme%");
        assert_eq!(like_pattern("100%_x"), "%100\\%\\_x%");
        assert_eq!(like_pattern("ÖREBRO"), "%örebro%");
    }
}
