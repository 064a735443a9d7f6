//! Organization member server functions: thin, gate → service → DTO. Managing
//! members needs `ManageOrgMembers` in the organization; who may touch whom beyond that is
//! the guard's `outranks`, applied by the service to each member.

use leptos::prelude::*;

use super::types::{Invited, MemberQuery, OrgMemberPage, OrgMemberRow, OrgRowOutcome};
use crate::error::AppError;
use crate::ids::{OrganizationId, OrganizationUserId};

#[cfg(feature = "ssr")]
use crate::auth::gate::{self, InOrganization};

/// The caller, allowed to manage `organization`'s members.
#[cfg(feature = "ssr")]
async fn authorize(organization: OrganizationId) -> Result<InOrganization, AppError> {
    gate::organization(organization, crate::auth::Capability::ManageOrgMembers).await
}

/// Flags as a form sends them (`permissions[]`, one per ticked box).
#[cfg(feature = "ssr")]
fn flags(names: Option<Vec<String>>) -> Result<super::types::Permissions, AppError> {
    use crate::error::{Field, Problem};
    super::types::parse_permissions(&names.unwrap_or_default())
        .ok_or_else(|| AppError::field(Field::Permissions, Problem::Unsupported))
}

#[server(prefix = "/api", endpoint = "members/list")]
pub async fn list_org_members(
    organization: OrganizationId,
    query: MemberQuery,
) -> Result<OrgMemberPage, AppError> {
    let InOrganization {
        actor,
        scope,
        context,
        ..
    } = authorize(organization).await?;
    super::service::list(&context.db, &actor, scope, &query).await
}

/// The named members (a dialog's selection).
#[server(prefix = "/api", endpoint = "members/get")]
pub async fn get_org_members(
    organization: OrganizationId,
    members: Vec<OrganizationUserId>,
) -> Result<Vec<OrgMemberRow>, AppError> {
    let InOrganization { actor, context, .. } = authorize(organization).await?;
    let members: Vec<OrganizationUserId> = members.into_iter().take(50).collect();
    super::service::by_ids(&context.db, actor.user_id, organization, &members).await
}

/// Invites one or several addresses (separated by commas, spaces or new lines) as one type.
#[server(prefix = "/api", endpoint = "members/invite")]
pub async fn invite_org_members(
    organization: OrganizationId,
    emails: String,
    user_type: String,
    permissions: Option<Vec<String>>,
) -> Result<Vec<Invited>, AppError> {
    use crate::auth::request::{event_context, outbox};
    let InOrganization {
        actor,
        scope,
        context,
        ..
    } = authorize(organization).await?;
    let permissions = flags(permissions)?;
    super::service::invite(
        &context.db,
        &event_context(&actor),
        &outbox(&context),
        &actor,
        scope,
        &emails,
        &user_type,
        permissions,
    )
    .await
}

/// Confirm, revoke, restore, remove or re-invite one member or a selection; per-row results.
/// `members` is a comma-separated list of ids, so a plain form can post a selection.
#[server(prefix = "/api", endpoint = "members/apply")]
pub async fn apply_to_org_members(
    organization: OrganizationId,
    action: String,
    members: String,
) -> Result<Vec<OrgRowOutcome>, AppError> {
    use crate::auth::request::{event_context, outbox};
    let InOrganization {
        actor,
        scope,
        context,
        ..
    } = authorize(organization).await?;
    let (action, members) = super::types::parse_bulk::<OrganizationUserId>(&action, &members)?;
    super::service::apply(
        &context.db,
        &event_context(&actor),
        &outbox(&context),
        &actor,
        scope,
        action,
        &members,
    )
    .await
}

/// A member's type, and for Custom its flags.
#[server(prefix = "/api", endpoint = "members/change-type")]
pub async fn change_org_member_type(
    organization: OrganizationId,
    member: OrganizationUserId,
    user_type: String,
    permissions: Option<Vec<String>>,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let InOrganization {
        actor,
        scope,
        context,
        ..
    } = authorize(organization).await?;
    let permissions = flags(permissions)?;
    super::service::change_type(
        &context.db,
        &event_context(&actor),
        &actor,
        scope,
        member,
        &user_type,
        permissions,
    )
    .await
}

/// Account recovery: a new password for an enrolled member, typed twice.
#[server(prefix = "/api", endpoint = "members/reset-password")]
pub async fn reset_member_password(
    organization: OrganizationId,
    member: OrganizationUserId,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let InOrganization {
        actor,
        scope,
        context,
        ..
    } = gate::organization(organization, crate::auth::Capability::ManageAccountRecovery).await?;
    super::recovery::reset_password(
        &context.db,
        &event_context(&actor),
        &actor,
        scope,
        member,
        password,
        password_confirm,
    )
    .await
}

/// The caller enrols in account recovery for one of its organizations, or withdraws.
#[server(prefix = "/api", endpoint = "members/recovery-enrolment")]
pub async fn set_recovery_enrolment(
    organization: OrganizationId,
    enrolled: bool,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let InOrganization {
        actor,
        scope,
        context,
        ..
    } = gate::organization(organization, crate::auth::Capability::ManageOwnMembership).await?;
    super::recovery::set_enrolment(&context.db, &event_context(&actor), &actor, scope, enrolled)
        .await
}

/// The organizations the caller belongs to, with account-recovery enrolment (account area).
#[server(prefix = "/api", endpoint = "members/mine")]
pub async fn my_org_memberships() -> Result<Vec<super::types::OrgMembership>, AppError> {
    let call = gate::account().await?;
    super::recovery::memberships(&call.context.db, &call.actor).await
}
