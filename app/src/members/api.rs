//! Member server functions, for organizations and providers alike: thin, gate → read the form
//! → service. Managing members needs `ManageOrgMembers` in an organization or
//! `ManageProviderMembers` in a provider (`gate::members`); who may touch whom beyond that is
//! the guard's `outranks`, applied by the service to each member. Account recovery and the
//! account area's memberships are here too.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::types::{
    ConfirmPlan, Invited, MemberId, MemberKey, MemberPage, MemberQuery, MemberRow, Place,
    ProviderMembership, RowOutcome,
};
use crate::error::AppError;
use crate::ids::{OrganizationId, OrganizationUserId, ProviderId};

#[cfg(feature = "ssr")]
use crate::auth::gate::{self, Within};

#[server(prefix = "/api", endpoint = "members/list")]
pub async fn list_members(place: Place, query: MemberQuery) -> Result<MemberPage, AppError> {
    let Within {
        access: manager,
        context,
    } = gate::members(place).await?;
    super::service::list(&context.db, &manager, &query).await
}

/// The named members (a dialog's selection).
#[server(prefix = "/api", endpoint = "members/get")]
pub async fn get_members(place: Place, members: Vec<MemberId>) -> Result<Vec<MemberRow>, AppError> {
    let Within {
        access: manager,
        context,
    } = gate::members(place).await?;
    let members: Vec<MemberId> = members.into_iter().take(50).collect();
    super::service::by_ids(&context.db, &manager, &members).await
}

/// Invites one or several addresses (separated by commas, spaces or new lines) as one type,
/// with flags (`permissions[]`, one per ticked box) for an organization's Custom type.
#[server(prefix = "/api", endpoint = "members/invite")]
pub async fn invite_members(
    place: Place,
    emails: String,
    user_type: String,
    permissions: Option<Vec<String>>,
    return_to: Option<String>,
) -> Result<Vec<Invited>, AppError> {
    use crate::auth::request::{event_context, outbox};
    let Within {
        access: manager,
        context,
    } = gate::members(place).await?;
    let invitation =
        super::types::Invitation::read(place, &emails, &user_type, permissions.as_deref());
    let events = event_context(&manager.actor);
    let invited = super::service::invite(
        &context.db,
        &events,
        &outbox(&context),
        &manager,
        &invitation,
    )
    .await?;
    // Mail carried every invitation: the dialog has nothing left to show, so the list opens
    // again and says how many went out. A link mail did not carry stays in the dialog.
    if return_to.is_some() && invited.iter().all(|i| i.link.is_none()) {
        let list = crate::routes::local_or(return_to, &place.members_with(""));
        crate::auth::request::return_to(
            Some(super::types::with_invites_sent(&list, invited.len())),
            &list,
        );
    }
    Ok(invited)
}

/// Revoke, restore, remove or re-invite one member or a selection; per-row results. `members`
/// is a comma-separated list of ids, so a plain form can post a selection; such a post (no
/// bundle, or sent before the page was interactive) goes back to `return_to`, the list, with
/// the counts of rows changed and not changed.
#[server(prefix = "/api", endpoint = "members/apply")]
pub async fn apply_to_members(
    place: Place,
    action: String,
    members: String,
    return_to: Option<String>,
) -> Result<Vec<RowOutcome>, AppError> {
    use crate::auth::request::{event_context, outbox};
    let Within {
        access: manager,
        context,
    } = gate::members(place).await?;
    let (action, members) = super::types::parse_bulk(&action, &members)?;
    let events = event_context(&manager.actor);
    let outcomes = super::service::apply(
        &context.db,
        &events,
        &outbox(&context),
        &manager,
        action,
        &members,
    )
    .await?;
    if crate::auth::request::is_plain_form_post() {
        let done = outcomes.iter().filter(|o| o.result.is_ok()).count();
        let list = crate::routes::local_or(return_to, &place.members_with(""));
        let back = super::types::with_applied(&list, done, outcomes.len() - done);
        crate::auth::request::return_to(Some(back), &list);
    }
    Ok(outcomes)
}

/// What the Confirm dialog opens with: the caller's way to the place's key and the named
/// members' public keys, for the browser to show each fingerprint phrase and wrap the key.
#[server(prefix = "/api", endpoint = "members/confirm-plan")]
pub async fn get_confirm_plan(
    place: Place,
    members: Vec<MemberId>,
) -> Result<ConfirmPlan, AppError> {
    let Within {
        access: manager,
        context,
    } = gate::members(place).await?;
    let members: Vec<MemberId> = members.into_iter().take(50).collect();
    super::keys::confirm_plan(&context.db, &manager, &members).await
}

/// Confirms members, each with the copy of the place's key the admin's browser made for them
/// (a type-4 envelope, checked well-formed when the body is read); per-row results.
#[server(prefix = "/api", endpoint = "members/confirm", input = Json)]
pub async fn confirm_members(
    place: Place,
    keys: Vec<MemberKey>,
) -> Result<Vec<RowOutcome>, AppError> {
    use crate::auth::request::{event_context, outbox};
    let Within {
        access: manager,
        context,
    } = gate::members(place).await?;
    let events = event_context(&manager.actor);
    super::service::confirm(&context.db, &events, &outbox(&context), &manager, &keys).await
}

/// A member's type, and for an organization's Custom type its flags.
#[server(prefix = "/api", endpoint = "members/change-type")]
pub async fn change_member_type(
    place: Place,
    member: MemberId,
    user_type: String,
    permissions: Option<Vec<String>>,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let Within {
        access: manager,
        context,
    } = gate::members(place).await?;
    let (user_type, permissions) =
        super::types::read_type_change(place, &user_type, permissions.as_deref())?;
    let events = event_context(&manager.actor);
    super::service::change_type(
        &context.db,
        &events,
        &manager,
        member,
        user_type,
        permissions,
    )
    .await
}

/// The providers the caller belongs to (account area).
#[server(prefix = "/api", endpoint = "provider-members/mine")]
pub async fn my_provider_memberships() -> Result<Vec<ProviderMembership>, AppError> {
    let call = gate::account().await?;
    super::service::provider_memberships(&call.context.db, &call.actor).await
}

/// The caller leaves the provider; the last confirmed Provider Admin cannot.
#[server(prefix = "/api", endpoint = "provider-members/leave")]
pub async fn leave_provider(provider: ProviderId) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let gate::Account { actor, context, .. } = gate::account().await?;
    super::service::leave_provider(&context.db, &event_context(&actor), &actor, provider).await?;
    leptos_axum::redirect(crate::routes::MEMBERSHIPS);
    Ok(())
}

/// What the recovering admin's browser needs to recover an enrolled member's account (the
/// envelopes it opens with the admin's private key, the member's KDF settings).
#[server(prefix = "/api", endpoint = "members/recovery-plan")]
pub async fn get_recovery_plan(
    organization: OrganizationId,
    member: OrganizationUserId,
) -> Result<super::types::RecoveryPlan, AppError> {
    let Within { access, context } =
        gate::organization(organization, crate::auth::Capability::ManageAccountRecovery).await?;
    super::recovery::plan(&context.db, &access, member).await
}

/// Account recovery: the member's same user key under a new master password, wrapped in the
/// admin's browser (`keys`: the login hash and the envelope, never the password).
#[server(prefix = "/api", endpoint = "members/recover", input = Json)]
pub async fn recover_member(
    organization: OrganizationId,
    member: OrganizationUserId,
    keys: crate::crypto::MasterPasswordKeys,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let Within { access, context } =
        gate::organization(organization, crate::auth::Capability::ManageAccountRecovery).await?;
    super::recovery::recover(
        &context.db,
        &event_context(&access.actor),
        &access,
        member,
        keys,
    )
    .await
}

/// The caller enrols in account recovery for one of its organizations: `key` is its user key
/// wrapped to the organization's public key, made in its browser.
#[server(prefix = "/api", endpoint = "members/recovery-enrol", input = Json)]
pub async fn enrol_in_recovery(
    organization: OrganizationId,
    key: crate::crypto::WrappedKey,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let Within { access, context } =
        gate::organization(organization, crate::auth::Capability::ManageOwnMembership).await?;
    super::recovery::enrol(&context.db, &event_context(&access.actor), &access, &key).await
}

/// The caller withdraws from account recovery in one of its organizations (a plain form).
#[server(prefix = "/api", endpoint = "members/recovery-withdraw")]
pub async fn withdraw_from_recovery(organization: OrganizationId) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let Within { access, context } =
        gate::organization(organization, crate::auth::Capability::ManageOwnMembership).await?;
    super::recovery::withdraw(&context.db, &event_context(&access.actor), &access).await
}

/// The organizations the caller belongs to, with account-recovery enrolment (account area).
#[server(prefix = "/api", endpoint = "members/mine")]
pub async fn my_org_memberships() -> Result<Vec<super::types::OrgMembership>, AppError> {
    let call = gate::account().await?;
    super::recovery::memberships(&call.context.db, &call.actor).await
}
