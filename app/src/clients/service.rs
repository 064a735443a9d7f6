//! The Clients rules on a database connection. Listing is one SQL statement per page (search,
//! seat counts, sort, paging and the total together); every change locks the rows whose
//! invariants it relies on, checks, writes, and records its events in one transaction.

use sea_orm::sea_query::{Alias, Expr, JoinType, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    QueryFilter, Set, SqlErr, TransactionTrait,
};

use super::types::{ClientDetails, EligibleOrganization, NewClient, purchases_seats};
use crate::auth::gate::InProvider;
use crate::auth::{Actor, Capability, Scope};
use crate::db::organization_users::used_seats;
use crate::db::{lock, organization_users, organizations, provider_organizations, providers};
use crate::error::{AppError, Field, Problem, Refusal};
use crate::events::service::{EventContext, NewEvent, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{OrganizationId, ProviderId, UserId};
use crate::members::types::{MemberStatus, OrgUserType, Permissions};
use crate::organizations::types::{MAX_ORGANIZATION_NAME_CHARS, Plan, name_key};
use crate::validate;
use crate::vocabulary::Seats;

pub use super::search::{SEARCH_LOOKAHEAD_PAGES, SearchPlan, TRIGRAM_PROBE, list, search_plan};
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
    access: &InProvider,
    client: OrganizationId,
) -> Result<ClientDetails, AppError> {
    access.require(Capability::ViewClients)?;
    let (actor, provider) = (&access.actor, access.provider);
    let organization = client_of(db, provider, client).await?;
    let plan = organization.plan;
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

/// DESIGN.md rules 5 and 11: the organization is created, linked, its owner invited and the
/// events recorded in one transaction; any failure leaves nothing behind. The form was read
/// where it arrived ([`NewClientForm::read`](super::types::NewClientForm::read)).
///
/// `keys`: the new organization's key pair and its key wrapped under the provider key, made in
/// the provider admin's browser (natively for demo data). `None` until the New client dialog
/// makes them (issue 21).
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    access: &InProvider,
    input: NewClient,
    keys: Option<&portal_crypto::NewOrganizationKeys>,
    context: &EventContext,
) -> Result<OrganizationId, AppError> {
    access.require(Capability::ManageClients)?;
    let (pair, provider_key) = match keys {
        Some(keys) => {
            let wrapped = keys
                .provider_key
                .as_ref()
                .ok_or(AppError::Refused(Refusal::MalformedKeys))?;
            let pair = keys
                .pair
                .stored()
                .map_err(|_| AppError::Refused(Refusal::MalformedKeys))?;
            (Some(pair), Some(wrapped.to_string()))
        }
        None => (None, None),
    };
    let provider = access.provider;
    let NewClient {
        name,
        plan,
        seats,
        owner_email,
    } = input;
    let txn = crate::db::begin_write(db).await?;
    crate::auth::recheck::provider_by(&txn, context, Capability::ManageClients, provider).await?;
    let provider_model = crate::providers::service::row(&txn, provider).await?;
    // A key under the provider's key needs a provider key (read in the transaction: made
    // before this client, or this client waits).
    if keys.is_some() && provider_model.keys_made_at.is_none() {
        return Err(AppError::Refused(Refusal::ProviderKeyMissing));
    }
    let organization = organizations::ActiveModel {
        name_key: Set(name_key(&name)),
        name: Set(name),
        // The provider pays until the client is unlinked (rule 11).
        billing_email: Set(provider_model.billing_email),
        plan: Set(plan),
        billing_cycle: Set(crate::vocabulary::BillingCycle::Monthly),
        seats: Set(i32::try_from(seats.get()).map_err(|_| AppError::Internal)?),
        enabled: Set(true),
        created_at: Set(context.at),
        public_key: Set(pair.as_ref().map(|pair| pair.0.clone())),
        private_key: Set(pair.map(|pair| pair.1)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let id = OrganizationId(organization.id);
    provider_organizations::ActiveModel {
        provider_id: Set(provider.0),
        organization_id: Set(organization.id),
        created_at: Set(context.at),
        key: Set(provider_key),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let owner = organization_users::ActiveModel {
        organization_id: Set(organization.id),
        user_id: Set(None),
        email: Set(owner_email),
        r#type: Set(OrgUserType::Owner),
        status: Set(MemberStatus::Invited),
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

#[derive(Debug, FromQueryResult)]
struct EligibleRecord {
    id: i64,
    name: String,
    plan: crate::vocabulary::Plan,
    seats: i32,
    has_keys: bool,
    key: Option<String>,
}

/// What the caller could add to the provider (rule 3): organizations it owns that no
/// provider manages.
pub async fn eligible_organizations(
    db: &impl ConnectionTrait,
    access: &InProvider,
) -> Result<Vec<EligibleOrganization>, AppError> {
    access.require(Capability::ManageClients)?;
    eligible_for(db, access.actor.user_id).await
}

async fn eligible_for(
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<Vec<EligibleOrganization>, AppError> {
    let backend = db.get_database_backend();
    EligibleRecord::find_by_statement(
        backend.build(&crate::db::organizations::eligible_statement(user)),
    )
    .all(db)
    .await?
    .into_iter()
    .map(|r| {
        Ok(EligibleOrganization {
            id: OrganizationId(r.id),
            name: r.name,
            plan: r.plan,
            seats: i64::from(r.seats),
            has_keys: r.has_keys,
            key: r
                .key
                .map(|key| key.parse().map_err(|_| AppError::Internal))
                .transpose()?,
        })
    })
    .collect()
}

/// Rules 3, 4 and 9: links an organization the admin owns, with its key wrapped under the
/// provider key by the owner's browser (`key`), so the provider's members reach it. An
/// organization made before keys existed has none to give and is linked without (its key is
/// set up later); one with keys is refused without its key, so no client is left that its
/// provider cannot open. The organization's row is locked and its eligibility re-checked
/// inside the transaction; the unique index on the link settles a race with another provider,
/// whose loser gets `AlreadyClient`.
pub async fn add_existing(
    db: &(impl ConnectionTrait + TransactionTrait),
    access: &InProvider,
    organization: OrganizationId,
    key: Option<&portal_crypto::EncString>,
    context: &EventContext,
) -> Result<(), AppError> {
    access.require(Capability::ManageClients)?;
    let provider = access.provider;
    let txn = crate::db::begin_write(db).await?;
    let actor = &crate::auth::recheck::provider_for(
        &txn,
        &access.actor,
        Capability::ManageClients,
        provider,
    )
    .await?;
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
    let eligible = eligible_for(&txn, actor.user_id)
        .await?
        .into_iter()
        .find(|o| o.id == organization)
        .ok_or(AppError::Refused(Refusal::NotEligible))?;
    if eligible.has_keys && key.is_none() {
        return Err(AppError::Refused(Refusal::OrganizationKeyMissing));
    }
    let provider_model = crate::providers::service::row(&txn, provider).await?;
    let linked = provider_organizations::ActiveModel {
        provider_id: Set(provider.0),
        organization_id: Set(organization.0),
        created_at: Set(context.at),
        key: Set(key.map(ToString::to_string)),
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
    access: &InProvider,
    client: OrganizationId,
    name: &str,
    context: &EventContext,
) -> Result<(), AppError> {
    access.require(Capability::UpdateClient)?;
    let provider = access.provider;
    let name = validate::name(name, MAX_ORGANIZATION_NAME_CHARS)
        .map_err(|problem| AppError::field(Field::Name, problem))?;
    let txn = crate::db::begin_write(db).await?;
    crate::auth::recheck::provider_by(&txn, context, Capability::UpdateClient, provider).await?;
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
    access: &InProvider,
    client: OrganizationId,
    seats: Seats,
    context: &EventContext,
) -> Result<(), AppError> {
    access.require(Capability::UpdateClient)?;
    let provider = access.provider;
    let granted = (Capability::UpdateClient, Scope::Provider(provider));
    set_seats_as(db, &access.actor, granted, provider, client, seats, context).await
}

/// [`set_seats`] for a caller authorized by `granted` (the Clients page's `UpdateClient` in
/// the provider, or the Admin Console's `ManageSeats` in the client, whose witnesses the two
/// callers hold), checked again once the provider is locked. Rule 8 is checked here; the
/// change itself is `seats::service::change`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn set_seats_as(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &Actor,
    granted: (Capability, Scope),
    provider: ProviderId,
    client: OrganizationId,
    seats: Seats,
    context: &EventContext,
) -> Result<(), AppError> {
    let txn = crate::db::begin_write(db).await?;
    lock::provider(&txn, provider).await?;
    let actor = &crate::auth::recheck::require_still(&txn, actor, granted.0, granted.1).await?;
    lock::organization(&txn, client).await?;
    let organization = client_of(&txn, provider, client).await?;
    let change = seats.get() - i64::from(organization.seats);
    let plan = organization.plan;
    let provider_model = crate::providers::service::row(&txn, provider).await?;
    if change > 0 && !may_purchase(actor, &provider_model) {
        let minimum = crate::providers::service::plan_terms(&txn, provider)
            .await?
            .into_iter()
            .find(|t| t.plan == plan)
            .map_or(0, |t| t.seat_minimum);
        let assigned = plan_assigned(&txn, provider, plan).await?;
        if purchases_seats(minimum, assigned, change) {
            return Err(AppError::field(
                Field::Seats,
                Problem::PurchaseNeedsProviderAdmin,
            ));
        }
    }
    crate::seats::service::change(&txn, context, organization, Some(provider), seats).await?;
    txn.commit().await?;
    Ok(())
}

/// Rule 10: the provider lets go of a client that has a confirmed Owner outside the provider;
/// the organization keeps its members and data, and that owner becomes its billing contact.
pub async fn unlink(
    db: &(impl ConnectionTrait + TransactionTrait),
    access: &InProvider,
    client: OrganizationId,
    context: &EventContext,
) -> Result<(), AppError> {
    access.require(Capability::ManageClients)?;
    let provider = access.provider;
    let txn = crate::db::begin_write(db).await?;
    crate::auth::recheck::provider_by(&txn, context, Capability::ManageClients, provider).await?;
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
