//! Organization rules: creation by a signed-in user (who becomes the confirmed Owner), the
//! scope the guard needs, and the Admin Console's overview.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QuerySelect, Set, TransactionTrait,
};

use super::types::{
    BillingCycle, ConsoleFrame, ConsoleSection, MAX_ORGANIZATION_NAME_CHARS, OrganizationOverview,
    Plan,
};
use crate::accounts::types::Named;
use crate::auth::{Actor, OrgScope, Scope};
use crate::db::{organization_users, organizations, provider_organizations, providers};
use crate::error::{AppError, Field, Problem};
use crate::events::service::{EventContext, NewEvent, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{OrganizationId, ProviderId};
use crate::members::types::{MemberStatus, OrgUserType, Permissions};
use crate::validate::{self, Problems};

#[derive(Clone, Debug, Default)]
pub struct NewOrganization {
    pub name: String,
    pub billing_email: String,
    pub plan: String,
    pub billing_cycle: String,
    pub seats: String,
}

/// The statuses that take a seat, as stored (DESIGN.md §2: all but Revoked).
pub fn seat_taking_statuses() -> [&'static str; 3] {
    [
        MemberStatus::Invited.as_str(),
        MemberStatus::Accepted.as_str(),
        MemberStatus::Confirmed.as_str(),
    ]
}

/// Creates an organization outside any provider; the actor becomes its confirmed Owner.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &Actor,
    input: NewOrganization,
    context: &EventContext,
) -> Result<OrganizationId, AppError> {
    let mut problems = Problems::default();
    let name = problems.check(
        Field::Name,
        validate::name(&input.name, MAX_ORGANIZATION_NAME_CHARS),
    );
    let billing_email = problems.check(Field::BillingEmail, validate::email(&input.billing_email));
    let plan = problems.check(
        Field::Plan,
        Plan::parse(&input.plan).ok_or(Problem::Unsupported),
    );
    let cycle = problems.check(
        Field::BillingCycle,
        BillingCycle::parse(&input.billing_cycle).ok_or(Problem::Unsupported),
    );
    // The Owner takes the first seat, so at least one.
    let max = plan.map_or(super::types::MAX_SEATS, Plan::max_seats);
    let seats = problems.check(Field::Seats, validate::whole_number(&input.seats, 1, max));
    problems.finish()?;
    let (Some(name), Some(billing_email), Some(plan), Some(cycle), Some(seats)) =
        (name, billing_email, plan, cycle, seats)
    else {
        return Err(AppError::Internal);
    };

    let txn = db.begin().await?;
    let organization = organizations::ActiveModel {
        name_key: Set(super::types::name_key(&name)),
        name: Set(name),
        billing_email: Set(billing_email),
        plan: Set(plan.as_str().to_owned()),
        billing_cycle: Set(cycle.as_str().to_owned()),
        seats: Set(i32::try_from(seats).map_err(|_| AppError::Internal)?),
        enabled: Set(true),
        created_at: Set(context.at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let id = OrganizationId(organization.id);
    organization_users::ActiveModel {
        organization_id: Set(organization.id),
        user_id: Set(Some(actor.user_id.0)),
        email: Set(actor.email.clone()),
        r#type: Set(OrgUserType::Owner.as_str().to_owned()),
        status: Set(MemberStatus::Confirmed.as_str().to_owned()),
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
        NewEvent::new(EventType::OrganizationCreated)
            .organization(id)
            .target(EventTarget::Organization(id.0)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// The organization and its provider, as the guard needs them (one query). An id that does
/// not exist is `Forbidden`, like one the caller may not see: ids are not probed this way.
pub async fn scope(
    db: &impl ConnectionTrait,
    organization: OrganizationId,
) -> Result<OrgScope, AppError> {
    let row: Option<(i64, Option<i64>)> = organizations::Entity::find()
        .select_only()
        .column(organizations::Column::Id)
        .column(provider_organizations::Column::ProviderId)
        .join(
            JoinType::LeftJoin,
            organizations::Entity::belongs_to(provider_organizations::Entity)
                .from(organizations::Column::Id)
                .to(provider_organizations::Column::OrganizationId)
                .into(),
        )
        .filter(organizations::Column::Id.eq(organization.0))
        .into_tuple()
        .one(db)
        .await?;
    let (id, provider) = row.ok_or(AppError::Forbidden)?;
    Ok(OrgScope {
        organization_id: OrganizationId(id),
        provider_id: provider.map(ProviderId),
    })
}

/// Seats taken in one organization.
pub async fn used_seats(
    db: &impl ConnectionTrait,
    organization: OrganizationId,
) -> Result<i64, AppError> {
    let used = organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(organization.0))
        .filter(organization_users::Column::Status.is_in(seat_taking_statuses()))
        .count(db)
        .await?;
    i64::try_from(used).map_err(|_| AppError::Internal)
}

/// A provider user opening a client's Admin Console is recorded in both logs (Bitwarden's
/// "vault accessed", 1903): once per ten minutes per person and client, so moving around the
/// console does not flood the logs. Members of the organization itself open it as members.
pub async fn record_provider_access(
    db: &impl ConnectionTrait,
    context: &EventContext,
    actor: &Actor,
    scope: OrgScope,
) -> Result<(), AppError> {
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
    actor: &Actor,
    scope: OrgScope,
) -> Result<ConsoleFrame, AppError> {
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
    actor: &Actor,
    scope: OrgScope,
) -> Result<OrganizationOverview, AppError> {
    let organization = organizations::Entity::find_by_id(scope.organization_id.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let provider = provider_named(db, scope).await?;
    let used = used_seats(db, scope.organization_id).await?;
    Ok(OrganizationOverview {
        id: scope.organization_id,
        name: organization.name,
        billing_email: organization.billing_email,
        plan: Plan::parse(&organization.plan).ok_or(AppError::Internal)?,
        billing_cycle: BillingCycle::parse(&organization.billing_cycle)
            .ok_or(AppError::Internal)?,
        seats: i64::from(organization.seats),
        used,
        viewer_in_provider: scope
            .provider_id
            .is_some_and(|p| actor.is_confirmed_provider_member(p)),
        provider,
    })
}
