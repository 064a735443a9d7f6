//! Provider member server functions: thin, gate → service → DTO. Managing members
//! is for Provider Admins (`ManageProviderMembers`); leaving is one's own business.

use leptos::prelude::*;

use super::types::{Invited, MemberPage, MemberQuery, Membership, RowOutcome};
use crate::error::AppError;
use crate::ids::{ProviderId, ProviderUserId};

#[cfg(feature = "ssr")]
use crate::auth::{Capability, gate};

#[server(prefix = "/api", endpoint = "provider-members/list")]
pub async fn list_members(
    provider: ProviderId,
    query: MemberQuery,
) -> Result<MemberPage, AppError> {
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::ManageProviderMembers).await?;
    super::service::list(&context.db, actor.user_id, provider, &query).await
}

/// The named members (a dialog's selection).
#[server(prefix = "/api", endpoint = "provider-members/get")]
pub async fn get_members(
    provider: ProviderId,
    members: Vec<ProviderUserId>,
) -> Result<Vec<super::types::MemberRow>, AppError> {
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::ManageProviderMembers).await?;
    let members: Vec<ProviderUserId> = members.into_iter().take(50).collect();
    super::service::by_ids(&context.db, actor.user_id, provider, &members).await
}

/// Invites one or several addresses (separated by commas, spaces or new lines).
#[server(prefix = "/api", endpoint = "provider-members/invite")]
pub async fn invite_members(
    provider: ProviderId,
    emails: String,
    user_type: String,
) -> Result<Vec<Invited>, AppError> {
    use crate::auth::request::{event_context, outbox};
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::ManageProviderMembers).await?;
    super::service::invite(
        &context.db,
        &event_context(&actor),
        &outbox(&context),
        &actor,
        provider,
        &emails,
        &user_type,
    )
    .await
}

/// Confirm, revoke, restore, remove or re-invite one member or a selection; per-row results.
/// `members` is a comma-separated list of ids, so a plain form can post a selection.
#[server(prefix = "/api", endpoint = "provider-members/apply")]
pub async fn apply_to_members(
    provider: ProviderId,
    action: String,
    members: String,
) -> Result<Vec<RowOutcome>, AppError> {
    use crate::auth::request::{event_context, outbox};
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::ManageProviderMembers).await?;
    let (action, members) = crate::members::types::parse_bulk::<ProviderUserId>(&action, &members)?;
    super::service::apply(
        &context.db,
        &event_context(&actor),
        &outbox(&context),
        &actor,
        provider,
        action,
        &members,
    )
    .await
}

#[server(prefix = "/api", endpoint = "provider-members/change-type")]
pub async fn change_member_type(
    provider: ProviderId,
    member: ProviderUserId,
    user_type: String,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::ManageProviderMembers).await?;
    super::service::change_type(
        &context.db,
        &event_context(&actor),
        &actor,
        provider,
        member,
        &user_type,
    )
    .await
}

/// The providers the caller belongs to (account area).
#[server(prefix = "/api", endpoint = "provider-members/mine")]
pub async fn my_provider_memberships() -> Result<Vec<Membership>, AppError> {
    let call = gate::account().await?;
    super::service::memberships(&call.context.db, &call.actor).await
}

/// The caller leaves the provider; the last confirmed Provider Admin cannot.
#[server(prefix = "/api", endpoint = "provider-members/leave")]
pub async fn leave_provider(provider: ProviderId) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let gate::Account { actor, context, .. } = gate::account().await?;
    super::service::leave(&context.db, &event_context(&actor), &actor, provider).await?;
    leptos_axum::redirect(crate::routes::MEMBERSHIPS);
    Ok(())
}
