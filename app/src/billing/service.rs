//! Billing rules on a database connection: the subscription (rule 8) in two queries, monthly
//! invoices issued once per provider and period (a unique constraint makes a second run, or
//! a second server instance, a no-op; a trigger refuses any later edit), and the billing
//! information.

use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::{Alias, Expr, Func, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set, SqlErr, TransactionTrait,
};

use super::types::{
    BilledTo, BillingInfo, Invoice, InvoiceLine, InvoiceSummary, PlanSubscription, Subscription,
};
use crate::auth::Capability;
use crate::auth::gate::InProvider;
use crate::db::{invoices, organizations, provider_plans, providers};
use crate::error::{AppError, Field, Problem};
use crate::events::service::{EventContext, NewEvent, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{OrganizationId, ProviderId};
use crate::organizations::types::Plan;
use crate::providers::service::plan_terms;
use crate::validate::{self, Problems};

/// Σ assigned seats per plan across the provider's clients: one grouped query.
async fn assigned_by_plan(
    db: &impl ConnectionTrait,
    provider: ProviderId,
) -> Result<Vec<(Plan, i64)>, AppError> {
    let statement = Query::select()
        .column(organizations::Column::Plan)
        .expr(Func::cast_as(
            Func::coalesce([
                Func::sum(Expr::col(organizations::Column::Seats)).into(),
                Expr::val(0).into(),
            ]),
            Alias::new("BIGINT"),
        ))
        .from(organizations::Entity)
        .and_where(Expr::col(Alias::new("provider_id")).eq(provider.0))
        .group_by_col(organizations::Column::Plan)
        .to_owned();
    let backend = db.get_database_backend();
    let mut sums = Vec::new();
    for row in db.query_all(backend.build(&statement)).await? {
        let plan: String = row.try_get_by_index(0)?;
        let sum: i64 = row.try_get_by_index(1)?;
        if let Some(plan) = Plan::parse(&plan) {
            sums.push((plan, sum));
        }
    }
    Ok(sums)
}

pub async fn subscription(
    db: &impl ConnectionTrait,
    access: &InProvider,
) -> Result<Subscription, AppError> {
    access.require(Capability::ManageProviderBilling)?;
    let provider = access.provider;
    let provider_name = crate::providers::service::row(db, provider).await?.name;
    let sums = assigned_by_plan(db, provider).await?;
    let plans: Vec<PlanSubscription> = plan_terms(db, provider)
        .await?
        .into_iter()
        .map(|terms| {
            let assigned = sums
                .iter()
                .find(|(plan, _)| *plan == terms.plan)
                .map_or(0, |(_, sum)| *sum);
            PlanSubscription::new(terms.plan, terms.seat_minimum, assigned, terms.price_cents)
        })
        .collect();
    let total_cents = plans.iter().map(|p| p.monthly_cents).sum();
    Ok(Subscription {
        provider_name,
        plans,
        total_cents,
    })
}

/// `YYYY-MM` of a month that is over (an invoice covers a whole month).
pub fn past_month(raw: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let invalid = || AppError::field(Field::Month, Problem::InvalidDate);
    let (year, month) = raw.trim().split_once('-').ok_or_else(invalid)?;
    if year.len() != 4 || month.len() != 2 {
        return Err(invalid());
    }
    let (year, month): (i32, u32) = (
        year.parse().map_err(|_| invalid())?,
        month.parse().map_err(|_| invalid())?,
    );
    if !(1..=12).contains(&month) || year < 2000 {
        return Err(invalid());
    }
    if (year, month) >= (now.year(), now.month()) {
        return Err(AppError::field(Field::Month, Problem::MonthNotOver));
    }
    Ok(format!("{year:04}-{month:02}"))
}

/// The month before `now`'s: what the automatic run at each month's start invoices.
pub fn previous_month(now: DateTime<Utc>) -> String {
    let (year, month) = if now.month() == 1 {
        (now.year() - 1, 12)
    } else {
        (now.year(), now.month() - 1)
    };
    format!("{year:04}-{month:02}")
}

#[derive(Debug, FromQueryResult)]
struct ClientSeats {
    id: i64,
    name: String,
    plan: crate::vocabulary::Plan,
    seats: i32,
    used: i64,
}

/// The provider's invoice lines as things stand: a line per client, then per plan the seats
/// of the minimum that no client uses ("Unassigned seats").
async fn lines(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    unassigned: &str,
) -> Result<Vec<InvoiceLine>, AppError> {
    let statement = Query::select()
        .columns([
            organizations::Column::Id,
            organizations::Column::Name,
            organizations::Column::Plan,
            organizations::Column::Seats,
        ])
        .expr_as(
            Func::cast_as(Expr::col(Alias::new("used_seats")), Alias::new("BIGINT")),
            Alias::new("used"),
        )
        .from(organizations::Entity)
        .and_where(Expr::col(Alias::new("provider_id")).eq(provider.0))
        .order_by(organizations::Column::NameKey, sea_orm::Order::Asc)
        .order_by(organizations::Column::Id, sea_orm::Order::Asc)
        .to_owned();
    let backend = db.get_database_backend();
    let clients = ClientSeats::find_by_statement(backend.build(&statement))
        .all(db)
        .await?;
    let terms = plan_terms(db, provider).await?;
    let price = |plan: Plan| {
        terms
            .iter()
            .find(|t| t.plan == plan)
            .map_or(0, |t| t.price_cents)
    };
    let mut lines = Vec::with_capacity(clients.len() + terms.len());
    for client in clients {
        let plan = client.plan;
        let assigned = i64::from(client.seats);
        lines.push(InvoiceLine {
            client: Some(OrganizationId(client.id)),
            name: client.name,
            plan,
            assigned,
            used: client.used,
            remaining: assigned - client.used,
            price_cents: price(plan),
            total_cents: assigned * price(plan),
        });
    }
    for terms in &terms {
        let assigned: i64 = lines
            .iter()
            .filter(|l| l.plan == terms.plan)
            .map(|l| l.assigned)
            .sum();
        let open = terms.seat_minimum - assigned;
        if open > 0 {
            lines.push(InvoiceLine {
                client: None,
                name: unassigned.to_owned(),
                plan: terms.plan,
                assigned: open,
                used: 0,
                remaining: open,
                price_cents: terms.price_cents,
                total_cents: open * terms.price_cents,
            });
        }
    }
    Ok(lines)
}

/// Issues the provider's invoice for `period` unless it exists. `Ok(false)` when it did
/// (or another server instance issued it at the same moment).
pub async fn issue(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    period: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let exists = invoices::Entity::find()
        .filter(invoices::Column::ProviderId.eq(provider.0))
        .filter(invoices::Column::Period.eq(period))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    // The line's label is stored as issued, in English: an invoice never changes.
    let lines = lines(db, provider, "Unassigned seats").await?;
    let total_cents = lines.iter().map(|l| l.total_cents).sum();
    let lines = serde_json::to_string(&lines).map_err(|_| AppError::Internal)?;
    // So are the provider's details: a later change of address does not rewrite it.
    let billed_to = billed_to(&crate::providers::service::row(db, provider).await?);
    let billed_to = serde_json::to_string(&billed_to).map_err(|_| AppError::Internal)?;
    let inserted = invoices::ActiveModel {
        provider_id: Set(Some(provider.0)),
        organization_id: Set(None),
        period: Set(period.to_owned()),
        lines: Set(lines),
        total_cents: Set(total_cents),
        status: Set("issued".to_owned()),
        issued_at: Set(now),
        billed_to: Set(Some(billed_to)),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Ok(false)
        }
        Err(err) => Err(err.into()),
    }
}

/// What a run of [`issue_all`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IssueReport {
    pub issued: u64,
    pub already: u64,
}

/// The first instant after a `YYYY-MM` period.
fn period_end(period: &str) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    let (year, month) = period.split_once('-')?;
    let (year, month): (i32, u32) = (year.parse().ok()?, month.parse().ok()?);
    let (year, month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Utc.with_ymd_and_hms(year, month, 1, 0, 0, 0).single()
}

/// Issues `period`'s invoice of every enabled provider that lacks one and existed during
/// the period (a provider set up later owes nothing for it).
pub async fn issue_all(
    db: &impl ConnectionTrait,
    period: &str,
    now: DateTime<Utc>,
) -> Result<IssueReport, AppError> {
    let end = period_end(period).ok_or(AppError::Internal)?;
    let ids: Vec<i64> = providers::Entity::find()
        .select_only()
        .column(providers::Column::Id)
        .filter(providers::Column::Enabled.eq(true))
        .filter(providers::Column::CreatedAt.lt(end))
        .order_by_asc(providers::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut report = IssueReport::default();
    for id in ids {
        if issue(db, ProviderId(id), period, now).await? {
            report.issued += 1;
        } else {
            report.already += 1;
        }
    }
    Ok(report)
}

fn summary(row: &invoices::Model) -> InvoiceSummary {
    InvoiceSummary {
        id: row.id,
        period: row.period.clone(),
        total_cents: row.total_cents,
        issued_at: row.issued_at.to_rfc3339(),
    }
}

/// The provider's invoices, newest period first.
pub async fn history(
    db: &impl ConnectionTrait,
    access: &InProvider,
) -> Result<Vec<InvoiceSummary>, AppError> {
    access.require(Capability::ManageProviderBilling)?;
    let provider = access.provider;
    Ok(invoices::Entity::find()
        .filter(invoices::Column::ProviderId.eq(provider.0))
        .order_by_desc(invoices::Column::Period)
        .all(db)
        .await?
        .iter()
        .map(summary)
        .collect())
}

/// One invoice of the provider; another provider's is `NotFound`.
pub async fn invoice(
    db: &impl ConnectionTrait,
    access: &InProvider,
    id: i64,
) -> Result<Invoice, AppError> {
    access.require(Capability::ManageProviderBilling)?;
    let provider = access.provider;
    let row = invoices::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.provider_id == Some(provider.0))
        .ok_or(AppError::NotFound)?;
    let lines: Vec<InvoiceLine> =
        serde_json::from_str(&row.lines).map_err(|_| AppError::Internal)?;
    let billed_to = match row.billed_to.as_deref() {
        Some(json) => serde_json::from_str(json).map_err(|_| AppError::Internal)?,
        None => billed_to(&crate::providers::service::row(db, provider).await?),
    };
    Ok(Invoice {
        summary: summary(&row),
        provider,
        billed_to,
        lines,
    })
}

/// A provider's details as an invoice addresses them.
fn billed_to(provider: &crate::db::providers::Model) -> BilledTo {
    BilledTo {
        name: provider.name.clone(),
        business_name: provider.business_name.clone().unwrap_or_default(),
        billing_email: provider.billing_email.clone(),
        address: provider.billing_address.clone().unwrap_or_default(),
        tax_id: provider.tax_id.clone().unwrap_or_default(),
    }
}

pub async fn billing_info(
    db: &impl ConnectionTrait,
    access: &InProvider,
) -> Result<BillingInfo, AppError> {
    access.require(Capability::ManageProviderBilling)?;
    let provider = access.provider;
    let row = crate::providers::service::row(db, provider).await?;
    Ok(BillingInfo {
        billing_email: row.billing_email,
        address: row.billing_address.unwrap_or_default(),
        tax_id: row.tax_id.unwrap_or_default(),
    })
}

/// Saves the billing information, every field checked first; one event naming the changes.
pub async fn update_billing_info(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InProvider,
    input: BillingInfo,
) -> Result<(), AppError> {
    access.require(Capability::ManageProviderBilling)?;
    let provider = access.provider;
    let mut problems = Problems::default();
    let email = problems.check(Field::BillingEmail, validate::email(&input.billing_email));
    let (address, tax_id) =
        validate::address_and_tax_id(&input.address, &input.tax_id, &mut problems);
    problems.finish()?;
    let Some(email) = email else {
        return Err(AppError::Internal);
    };
    let txn = crate::db::begin_write(db).await?;
    crate::auth::recheck::provider_by(
        &txn,
        context,
        crate::auth::Capability::ManageProviderBilling,
        provider,
    )
    .await?;
    let row = crate::providers::service::row(&txn, provider).await?;
    let optional = |s: String| (!s.is_empty()).then_some(s);
    let changes = crate::events::service::changes(&[
        ("billing_email", &row.billing_email, &email),
        (
            "billing_address",
            row.billing_address.as_deref().unwrap_or_default(),
            &address,
        ),
        ("tax_id", row.tax_id.as_deref().unwrap_or_default(), &tax_id),
    ]);
    if changes.is_empty() {
        return Ok(());
    }
    let mut active = row.into_active_model();
    active.billing_email = Set(email);
    active.billing_address = Set(optional(address));
    active.tax_id = Set(optional(tax_id));
    active.update(&txn).await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::ProviderUpdated)
            .provider(provider)
            .target(EventTarget::Provider(provider.0)),
        Some(serde_json::Value::Object(changes).to_string()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The operator changes a provider's seat minimum for one plan (`server provider
/// set-minimum`).
pub async fn set_minimum(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    plan: Plan,
    seats: i64,
) -> Result<(), AppError> {
    let seats = i32::try_from(seats)
        .ok()
        .filter(|s| (0..=1_000_000).contains(s))
        .ok_or_else(|| AppError::field(Field::Seats, Problem::AboveMaximum(1_000_000)))?;
    let result = provider_plans::Entity::update_many()
        .col_expr(provider_plans::Column::SeatMinimum, Expr::value(seats))
        .filter(provider_plans::Column::ProviderId.eq(provider.0))
        .filter(provider_plans::Column::Plan.eq(plan.as_str()))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
