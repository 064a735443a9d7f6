//! Provider rules: setting one up (its creator, or the operator's chosen user, becomes its
//! confirmed Provider Admin, and it gets its two plans), and the Provider Portal's frame.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use super::types::{
    MAX_BUSINESS_NAME_CHARS, MAX_PROVIDER_NAME_CHARS, PlanTerms, ProviderOverview, ProviderUserType,
};
use crate::auth::gate::InProvider;
use crate::auth::{Actor, Capability, Scope};
use crate::db::{provider_plans, provider_users, providers, users};
use crate::error::{AppError, Field, Refusal};
use crate::events::service::{EventContext, NewEvent, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{ProviderId, UserId};
use crate::members::types::MemberStatus;
use crate::organizations::types::Plan;
use crate::validate::{self, Problems};

/// Who may set up a provider: anyone signed in (self-hosters), or only the operator through
/// `server provider create`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProviderSetup {
    #[default]
    Open,
    Operator,
}

/// A new provider's terms for one plan; operators override them per provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanDefaults {
    pub seat_minimum: i64,
    pub price_cents: i64,
}

/// Deployment settings for providers (environment variables, see the README).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProviderConfig {
    pub setup: ProviderSetup,
    pub teams: PlanDefaults,
    pub enterprise: PlanDefaults,
}

impl Default for ProviderConfig {
    /// DESIGN.md rule 8: Teams 4 and Enterprise 6 per seat per month; a minimum of 10 seats
    /// per plan, a small MSP's first commitment.
    fn default() -> Self {
        Self {
            setup: ProviderSetup::Open,
            teams: PlanDefaults {
                seat_minimum: 10,
                price_cents: 400,
            },
            enterprise: PlanDefaults {
                seat_minimum: 10,
                price_cents: 600,
            },
        }
    }
}

impl ProviderConfig {
    pub const fn defaults_for(&self, plan: Plan) -> PlanDefaults {
        match plan {
            Plan::Enterprise => self.enterprise,
            _ => self.teams,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct NewProvider {
    pub name: String,
    pub business_name: String,
    pub billing_email: String,
}

/// Seat minimums chosen by the operator instead of the configured defaults.
#[derive(Clone, Copy, Debug, Default)]
pub struct Minimums {
    pub teams: Option<i64>,
    pub enterprise: Option<i64>,
}

/// The provider's row; `NotFound` when there is none.
pub async fn row(
    db: &impl ConnectionTrait,
    provider: ProviderId,
) -> Result<providers::Model, AppError> {
    providers::Entity::find_by_id(provider.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Name, optional business name and billing email, checked together so a form shows every
/// problem at once: the same rules at setup and in Settings.
fn checked_fields(
    name: &str,
    business_name: &str,
    billing_email: &str,
) -> Result<(String, Option<String>, String), AppError> {
    let mut problems = Problems::default();
    let name = problems.check(Field::Name, validate::name(name, MAX_PROVIDER_NAME_CHARS));
    let business_name = if business_name.trim().is_empty() {
        Some(None)
    } else {
        problems
            .check(
                Field::BusinessName,
                validate::name(business_name, MAX_BUSINESS_NAME_CHARS),
            )
            .map(Some)
    };
    let billing_email = problems.check(Field::BillingEmail, validate::email(billing_email));
    problems.finish()?;
    match (name, business_name, billing_email) {
        (Some(name), Some(business_name), Some(billing_email)) => {
            Ok((name, business_name, billing_email))
        }
        _ => Err(AppError::Internal),
    }
}

/// Self-service setup (`PROVIDER_SETUP=open`): the actor becomes the Provider Admin, holding
/// the provider key their browser made (`key`, type 4 to their own public key).
pub async fn create_by_user(
    db: &(impl ConnectionTrait + TransactionTrait),
    config: &ProviderConfig,
    actor: &Actor,
    input: NewProvider,
    key: &portal_crypto::WrappedKey,
    context: &EventContext,
) -> Result<ProviderId, AppError> {
    if config.setup != ProviderSetup::Open {
        return Err(AppError::Refused(Refusal::ProviderSetupClosed));
    }
    create(
        db,
        config,
        (actor.user_id, actor.email.clone()),
        input,
        Minimums::default(),
        Some(key),
        context,
    )
    .await
}

/// Operator setup (`server provider create`): the account with `admin_email` becomes the
/// Provider Admin; it must exist (the operator asks the person to register first).
pub async fn create_by_operator(
    db: &(impl ConnectionTrait + TransactionTrait),
    config: &ProviderConfig,
    admin_email: &str,
    input: NewProvider,
    minimums: Minimums,
    context: &EventContext,
) -> Result<ProviderId, AppError> {
    let email =
        validate::email(admin_email).map_err(|problem| AppError::field(Field::Email, problem))?;
    let admin = users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    create(
        db,
        config,
        (UserId(admin.id), admin.email),
        input,
        minimums,
        // The command line knows no password: the admin's first visit makes the key.
        None,
        context,
    )
    .await
}

async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    config: &ProviderConfig,
    (admin, admin_email): (UserId, String),
    input: NewProvider,
    minimums: Minimums,
    key: Option<&portal_crypto::WrappedKey>,
    context: &EventContext,
) -> Result<ProviderId, AppError> {
    let (name, business_name, billing_email) =
        checked_fields(&input.name, &input.business_name, &input.billing_email)?;

    let txn = crate::db::begin_write(db).await?;
    let provider = providers::ActiveModel {
        name: Set(name),
        business_name: Set(business_name),
        billing_email: Set(billing_email),
        enabled: Set(true),
        service_users_may_purchase_seats: Set(true),
        created_at: Set(context.at),
        keys_made_at: Set(key.map(|_| context.at)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let id = ProviderId(provider.id);
    for plan in Plan::PROVIDER_PLANS {
        let defaults = config.defaults_for(plan);
        let minimum = match plan {
            Plan::Enterprise => minimums.enterprise,
            _ => minimums.teams,
        }
        .unwrap_or(defaults.seat_minimum);
        provider_plans::ActiveModel {
            provider_id: Set(provider.id),
            plan: Set(plan),
            seat_minimum: Set(i32::try_from(minimum).map_err(|_| AppError::Internal)?),
            price_per_seat_cents: Set(defaults.price_cents),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let member = provider_users::ActiveModel {
        provider_id: Set(provider.id),
        user_id: Set(Some(admin.0)),
        email: Set(admin_email),
        r#type: Set(ProviderUserType::ProviderAdmin),
        status: Set(MemberStatus::Confirmed),
        created_at: Set(context.at),
        key: Set(key.map(ToString::to_string)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::ProviderCreated)
            .provider(id)
            .target(EventTarget::Provider(id.0)),
        None,
    )
    .await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::ProviderUserConfirmed)
            .provider(id)
            .target(EventTarget::ProviderMember(member.id)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// The provider's key (VAULT.md §2), made by a Provider Admin's browser and wrapped to that
/// admin's own public key: at self-service setup, or at the first visit of the first admin of
/// a provider the operator's command line made (which starts without one). Once only: the
/// first setup marks the provider in the same transaction, so two admins setting it up at once
/// cannot leave two different keys; the second is told someone acted first.
pub async fn set_up_keys(
    db: &(impl ConnectionTrait + TransactionTrait),
    provider: ProviderId,
    admin: UserId,
    key: &portal_crypto::WrappedKey,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    use sea_orm::sea_query::Expr;
    let txn = crate::db::begin_write(db).await?;
    let marked = providers::Entity::update_many()
        .col_expr(providers::Column::KeysMadeAt, Expr::value(at))
        .filter(providers::Column::Id.eq(provider.0))
        .filter(providers::Column::KeysMadeAt.is_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        return Err(AppError::Refused(Refusal::StatusChanged));
    }
    let held = provider_users::Entity::update_many()
        .col_expr(provider_users::Column::Key, Expr::value(key.to_string()))
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::UserId.eq(admin.0))
        .filter(provider_users::Column::Type.eq(crate::vocabulary::ProviderUserType::ProviderAdmin))
        .filter(provider_users::Column::Status.eq(MemberStatus::Confirmed))
        .exec(&txn)
        .await?;
    // Dropping the transaction undoes the mark: only a confirmed admin holds the first key.
    if held.rows_affected != 1 {
        return Err(AppError::Forbidden);
    }
    txn.commit().await?;
    Ok(())
}

/// The provider's plan terms, Teams first.
pub async fn plan_terms(
    db: &impl ConnectionTrait,
    provider: ProviderId,
) -> Result<Vec<PlanTerms>, AppError> {
    let rows = provider_plans::Entity::find()
        .filter(provider_plans::Column::ProviderId.eq(provider.0))
        .order_by_asc(provider_plans::Column::Id)
        .all(db)
        .await?;
    let mut terms: Vec<PlanTerms> = rows
        .into_iter()
        .map(|row| PlanTerms {
            plan: row.plan,
            seat_minimum: i64::from(row.seat_minimum),
            price_cents: row.price_per_seat_cents,
        })
        .collect();
    terms.sort_by_key(|t| t.plan);
    Ok(terms)
}

/// The Provider Portal's frame for a viewer who passed `ViewClients`.
pub async fn overview(
    db: &impl ConnectionTrait,
    access: &InProvider,
) -> Result<ProviderOverview, AppError> {
    use sea_orm::sea_query::{Query, SimpleExpr};
    use sea_orm::{FromQueryResult, QuerySelect};
    #[derive(FromQueryResult)]
    struct Row {
        name: String,
        keys_made_at: Option<chrono::DateTime<chrono::Utc>>,
        my_key: Option<String>,
    }
    access.require(Capability::ViewClients)?;
    let (actor, provider) = (&access.actor, access.provider);
    // The viewer's copy of the provider key in the same statement as the provider (a page
    // render asks the database a fixed, small number of times).
    let my_key = Query::select()
        .column(provider_users::Column::Key)
        .from(provider_users::Entity)
        .and_where(provider_users::Column::ProviderId.eq(provider.0))
        .and_where(provider_users::Column::UserId.eq(actor.user_id.0))
        .and_where(provider_users::Column::Status.eq(MemberStatus::Confirmed))
        .limit(1)
        .to_owned();
    let row = providers::Entity::find_by_id(provider.0)
        .select_only()
        .column(providers::Column::Name)
        .column(providers::Column::KeysMadeAt)
        .expr_as(
            SimpleExpr::SubQuery(None, Box::new(my_key.into_sub_query_statement())),
            "my_key",
        )
        .into_model::<Row>()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let may_manage_clients = actor.can(Capability::ManageClients, Scope::Provider(provider));
    let has_eligible_organizations = may_manage_clients
        && crate::db::organizations::has_eligible_organizations(db, actor.user_id).await?;
    Ok(ProviderOverview {
        my_key: row.my_key.and_then(|key| key.parse().ok()),
        id: provider,
        keys_ready: row.keys_made_at.is_some(),
        may_set_up_keys: actor.can(
            Capability::ManageProviderSettings,
            Scope::Provider(provider),
        ),
        name: row.name,
        may_manage_clients,
        plans: plan_terms(db, provider).await?,
        has_eligible_organizations,
    })
}

/// The Settings page's values.
pub async fn settings(
    db: &impl ConnectionTrait,
    access: &InProvider,
) -> Result<super::types::ProviderSettings, AppError> {
    access.require(Capability::ManageProviderSettings)?;
    let provider = access.provider;
    let row = row(db, provider).await?;
    Ok(super::types::ProviderSettings {
        name: row.name,
        business_name: row.business_name.unwrap_or_default(),
        billing_email: row.billing_email,
        service_users_may_purchase_seats: row.service_users_may_purchase_seats,
    })
}

/// Saves the Settings page: every field checked, then one update and one event naming what
/// changed (nothing changed, nothing recorded).
pub async fn update_settings(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InProvider,
    input: super::types::ProviderSettings,
) -> Result<(), AppError> {
    access.require(Capability::ManageProviderSettings)?;
    let provider = access.provider;
    use sea_orm::IntoActiveModel;
    let (name, business_name, billing_email) =
        checked_fields(&input.name, &input.business_name, &input.billing_email)?;
    let txn = crate::db::begin_write(db).await?;
    crate::auth::recheck::provider_by(
        &txn,
        context,
        crate::auth::Capability::ManageProviderSettings,
        provider,
    )
    .await?;
    let row = row(&txn, provider).await?;
    let mut changes = serde_json::Map::new();
    let mut note = |key: &str, from: serde_json::Value, to: serde_json::Value| {
        if from != to {
            changes.insert(
                key.to_owned(),
                serde_json::json!({ "from": from, "to": to }),
            );
        }
    };
    note("name", row.name.clone().into(), name.clone().into());
    note(
        "business_name",
        row.business_name.clone().unwrap_or_default().into(),
        business_name.clone().unwrap_or_default().into(),
    );
    note(
        "billing_email",
        row.billing_email.clone().into(),
        billing_email.clone().into(),
    );
    note(
        "service_users_may_purchase_seats",
        row.service_users_may_purchase_seats.into(),
        input.service_users_may_purchase_seats.into(),
    );
    if changes.is_empty() {
        return Ok(());
    }
    let mut active = row.into_active_model();
    active.name = Set(name);
    active.business_name = Set(business_name);
    active.billing_email = Set(billing_email);
    active.service_users_may_purchase_seats = Set(input.service_users_may_purchase_seats);
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
