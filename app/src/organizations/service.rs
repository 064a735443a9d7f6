//! Organization rules: creation by a signed-in user (who becomes the confirmed Owner), the
//! scope the guard needs, and the Admin Console's overview.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QuerySelect, Set, TransactionTrait,
};

use super::types::{
    ConsoleFrame, ConsoleSection, MAX_ORGANIZATION_NAME_CHARS, NewOrganization,
    OrganizationBilling, OrganizationInfo, OrganizationOverview,
};
use crate::accounts::types::Named;
use crate::auth::gate::InOrganization;
use crate::auth::{Actor, Capability, OrgScope, Scope};
use crate::db::{organization_users, organizations, providers};
use crate::error::{AppError, Field, Problem};
use crate::events::service::{EventContext, NewEvent, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{OrganizationId, ProviderId};
use crate::members::types::{MemberStatus, OrgUserType, Permissions};
use crate::validate::{self, Problems};
use crate::vocabulary::Seats;

/// Creates an organization outside any provider; the actor becomes its confirmed Owner. The
/// form was read where it arrived ([`NewOrganizationForm::read`](super::types::NewOrganizationForm::read)).
///
/// `keys`: the organization key pair and the organization key wrapped to the creator, made
/// where the creator's password is known (their browser, or natively for demo data). `None`
/// until the Password Manager's form makes them (issue 21): such an organization has no keys.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &Actor,
    input: NewOrganization,
    keys: Option<&portal_crypto::NewOrganizationKeys>,
    context: &EventContext,
) -> Result<OrganizationId, AppError> {
    let (pair, owner_key) = match keys {
        Some(keys) => {
            let owner = keys
                .owner_key
                .as_ref()
                .ok_or(AppError::Refused(crate::error::Refusal::MalformedKeys))?;
            let pair = keys
                .pair
                .stored()
                .map_err(|_| AppError::Refused(crate::error::Refusal::MalformedKeys))?;
            (Some(pair), Some(owner.to_string()))
        }
        None => (None, None),
    };
    let NewOrganization {
        name,
        billing_email,
        plan,
        billing_cycle: cycle,
        seats,
    } = input;
    let txn = crate::db::begin_write(db).await?;
    let organization = organizations::ActiveModel {
        name_key: Set(super::types::name_key(&name)),
        name: Set(name),
        billing_email: Set(billing_email),
        plan: Set(plan),
        billing_cycle: Set(cycle),
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
    organization_users::ActiveModel {
        organization_id: Set(organization.id),
        user_id: Set(Some(actor.user_id.0)),
        email: Set(actor.email.clone()),
        r#type: Set(OrgUserType::Owner),
        status: Set(MemberStatus::Confirmed),
        permissions: Set(Permissions::empty().0),
        reset_password_enrolled: Set(false),
        created_at: Set(context.at),
        key: Set(owner_key),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::OrganizationCreated)
            .organization(id)
            .target(EventTarget::Organization(id.0)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// A provider user opening a client's Admin Console is recorded in both logs (Bitwarden's
/// "vault accessed", 1903): once per ten minutes per person and client, so moving around the
/// console does not flood the logs. Members of the organization itself open it as members.
pub async fn record_provider_access(
    db: &impl ConnectionTrait,
    context: &EventContext,
    access: &InOrganization,
) -> Result<(), AppError> {
    access.require(Capability::AdministerOrganization)?;
    let (actor, scope) = (&access.actor, access.scope);
    let Some(provider) = scope
        .provider_id
        .filter(|p| actor.is_confirmed_provider_member(*p))
    else {
        return Ok(());
    };
    let is_member = actor
        .organizations
        .iter()
        .any(|m| m.organization_id == scope.organization_id && m.status == MemberStatus::Confirmed);
    if is_member {
        return Ok(());
    }
    let recent = crate::db::events::Entity::find()
        .filter(crate::db::events::Column::OrganizationId.eq(scope.organization_id.0))
        .filter(crate::db::events::Column::Type.eq(EventType::ProviderClientAccessed.code()))
        .filter(crate::db::events::Column::ActingUserId.eq(actor.user_id.0))
        .filter(crate::db::events::Column::At.gt(context.at - chrono::Duration::minutes(10)))
        .count(db)
        .await?;
    if recent > 0 {
        return Ok(());
    }
    record(
        db,
        context,
        NewEvent::new(EventType::ProviderClientAccessed)
            .provider(provider)
            .organization(scope.organization_id)
            .target(EventTarget::Organization(scope.organization_id.0)),
        None,
    )
    .await
}

/// The provider an organization is a client of, by name.
async fn provider_named(
    db: &impl ConnectionTrait,
    scope: OrgScope,
) -> Result<Option<Named<ProviderId>>, AppError> {
    let Some(provider) = scope.provider_id else {
        return Ok(None);
    };
    Ok(providers::Entity::find_by_id(provider.0)
        .select_only()
        .column(providers::Column::Name)
        .into_tuple::<String>()
        .one(db)
        .await?
        .map(|name| Named { id: provider, name }))
}

/// The console's frame: the caller has passed the guard for `scope`; the sections are those
/// the same guard allows.
pub async fn frame(
    db: &impl ConnectionTrait,
    access: &InOrganization,
) -> Result<ConsoleFrame, AppError> {
    access.require(Capability::AdministerOrganization)?;
    let (actor, scope) = (&access.actor, access.scope);
    let name = organizations::Entity::find_by_id(scope.organization_id.0)
        .select_only()
        .column(organizations::Column::Name)
        .into_tuple::<String>()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ConsoleFrame {
        id: scope.organization_id,
        name,
        provider: provider_named(db, scope).await?,
        viewer_in_provider: scope
            .provider_id
            .is_some_and(|p| actor.is_confirmed_provider_member(p)),
        sections: ConsoleSection::ALL
            .into_iter()
            .filter(|s| actor.can(s.capability(), Scope::Organization(scope)))
            .collect(),
    })
}

/// The Admin Console's start page data; the caller has passed the guard for `scope`.
pub async fn overview(
    db: &impl ConnectionTrait,
    access: &InOrganization,
) -> Result<OrganizationOverview, AppError> {
    access.require(Capability::AdministerOrganization)?;
    let (actor, scope) = (&access.actor, access.scope);
    let organization = organizations::Entity::find_by_id(scope.organization_id.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let provider = provider_named(db, scope).await?;
    let used = organization_users::used_seats(db, scope.organization_id).await?;
    Ok(OrganizationOverview {
        id: scope.organization_id,
        name: organization.name,
        billing_email: organization.billing_email,
        plan: organization.plan,
        billing_cycle: organization.billing_cycle,
        seats: i64::from(organization.seats),
        used,
        viewer_in_provider: scope
            .provider_id
            .is_some_and(|p| actor.is_confirmed_provider_member(p)),
        provider,
    })
}

async fn organization_row(
    db: &impl ConnectionTrait,
    organization: OrganizationId,
) -> Result<organizations::Model, AppError> {
    organizations::Entity::find_by_id(organization.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Records one "organization updated" event naming the changed fields, in both logs for a
/// client.
async fn record_update(
    db: &impl ConnectionTrait,
    context: &EventContext,
    scope: OrgScope,
    event: EventType,
    details: serde_json::Value,
) -> Result<(), AppError> {
    let mut new = NewEvent::new(event)
        .organization(scope.organization_id)
        .target(EventTarget::Organization(scope.organization_id.0));
    if let Some(provider) = scope.provider_id {
        new = new.provider(provider);
    }
    record(db, context, new, Some(details.to_string())).await
}

/// Settings → Organization info.
pub async fn info(
    db: &impl ConnectionTrait,
    access: &InOrganization,
) -> Result<OrganizationInfo, AppError> {
    access.require(Capability::ManageOrgSettings)?;
    let scope = access.scope;
    let row = organization_row(db, scope.organization_id).await?;
    Ok(OrganizationInfo {
        name: row.name,
        billing_email: row.billing_email,
        billed_through: provider_named(db, scope).await?.map(|p| p.name),
    })
}

/// Saves the name and, outside providers, the billing email; a client's billing email is its
/// provider's (rule 11), so one sent for a client is refused next to the field.
pub async fn update_info(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InOrganization,
    name: &str,
    billing_email: Option<&str>,
) -> Result<(), AppError> {
    access.require(Capability::ManageOrgSettings)?;
    let scope = access.scope;
    let mut problems = Problems::default();
    let name = problems.check(
        Field::Name,
        validate::name(name, MAX_ORGANIZATION_NAME_CHARS),
    );
    let email = match billing_email {
        Some(_) if scope.provider_id.is_some() => {
            problems.add(Field::BillingEmail, Problem::Unsupported);
            None
        }
        Some(email) => problems.check(Field::BillingEmail, validate::email(email)),
        None => None,
    };
    problems.finish()?;
    let Some(name) = name else {
        return Err(AppError::Internal);
    };
    let txn = crate::db::begin_write(db).await?;
    crate::auth::recheck::organization_by(&txn, context, Capability::ManageOrgSettings, scope)
        .await?;
    let row = organization_row(&txn, scope.organization_id).await?;
    let email = email.unwrap_or_else(|| row.billing_email.clone());
    let changes = crate::events::service::changes(&[
        ("name", &row.name, &name),
        ("billing_email", &row.billing_email, &email),
    ]);
    if changes.is_empty() {
        return Ok(());
    }
    let mut active = row.into_active_model();
    active.name_key = Set(super::types::name_key(&name));
    active.name = Set(name);
    active.billing_email = Set(email);
    active.update(&txn).await?;
    record_update(
        &txn,
        context,
        scope,
        EventType::OrganizationUpdated,
        serde_json::Value::Object(changes),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Billing → Billing information.
pub async fn billing(
    db: &impl ConnectionTrait,
    access: &InOrganization,
) -> Result<OrganizationBilling, AppError> {
    access.require(Capability::ManageOrgBilling)?;
    let scope = access.scope;
    let row = organization_row(db, scope.organization_id).await?;
    Ok(OrganizationBilling {
        address: row.billing_address.unwrap_or_default(),
        tax_id: row.tax_id.unwrap_or_default(),
    })
}

pub async fn update_billing(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InOrganization,
    input: OrganizationBilling,
) -> Result<(), AppError> {
    access.require(Capability::ManageOrgBilling)?;
    let scope = access.scope;
    let mut problems = Problems::default();
    let (address, tax_id) =
        crate::validate::address_and_tax_id(&input.address, &input.tax_id, &mut problems);
    problems.finish()?;
    let txn = crate::db::begin_write(db).await?;
    crate::auth::recheck::organization_by(&txn, context, Capability::ManageOrgBilling, scope)
        .await?;
    let row = organization_row(&txn, scope.organization_id).await?;
    let changes = crate::events::service::changes(&[
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
    let optional = |s: String| (!s.is_empty()).then_some(s);
    let mut active = row.into_active_model();
    active.billing_address = Set(optional(address));
    active.tax_id = Set(optional(tax_id));
    active.update(&txn).await?;
    record_update(
        &txn,
        context,
        scope,
        EventType::OrganizationUpdated,
        serde_json::Value::Object(changes),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Billing → Subscription: new assigned seats, never below used (rule 2) nor above the plan's
/// limit (`seats::service::change`). A client's seats are its provider's to buy: the Clients
/// page's rule 8 applies, through the same path.
pub async fn set_seats(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InOrganization,
    seats: Seats,
) -> Result<(), AppError> {
    access.require(Capability::ManageSeats)?;
    let (actor, scope) = (&access.actor, access.scope);
    if let Some(provider) = scope.provider_id {
        return crate::clients::service::set_seats_as(
            db,
            actor,
            (Capability::ManageSeats, Scope::Organization(scope)),
            provider,
            scope.organization_id,
            seats,
            context,
        )
        .await;
    }
    let txn = crate::db::begin_write(db).await?;
    crate::auth::recheck::organization_for(&txn, actor, Capability::ManageSeats, scope).await?;
    let row = organization_row(&txn, scope.organization_id).await?;
    crate::seats::service::change(&txn, context, row, None, seats).await?;
    txn.commit().await?;
    Ok(())
}
