//! The guard again, inside a write's transaction, after its lock: the actor was built when the
//! request arrived, and another admin may have demoted, revoked or removed it (or unlinked the
//! client from its provider) while this request waited for the lock. The lock serializes the
//! writers of one place, so what is read here holds until the write commits.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::actor::{Actor, OrganizationMembership, ProviderMembership};
use super::capability::Capability;
use super::guard::{Scope, require};
use crate::db::{lock, organization_users, organizations, provider_users};
use crate::error::AppError;
use crate::ids::{OrganizationId, ProviderId};
use crate::members::types::Permissions;

async fn provider_membership(
    db: &impl ConnectionTrait,
    actor: &Actor,
    provider: ProviderId,
) -> Result<Option<ProviderMembership>, AppError> {
    Ok(provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::UserId.eq(actor.user_id.0))
        .one(db)
        .await?
        .map(|m| ProviderMembership {
            provider_id: provider,
            user_type: m.r#type,
            status: m.status,
        }))
}

async fn organization_membership(
    db: &impl ConnectionTrait,
    actor: &Actor,
    organization: OrganizationId,
) -> Result<Option<OrganizationMembership>, AppError> {
    let before = actor
        .organizations
        .iter()
        .find(|m| m.organization_id == organization);
    Ok(organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(organization.0))
        .filter(organization_users::Column::UserId.eq(actor.user_id.0))
        .one(db)
        .await?
        .map(|m| {
            let user_type = m.r#type;
            OrganizationMembership {
                organization_id: organization,
                user_type,
                status: m.status,
                permissions: Permissions(m.permissions),
                // The two-step policy is the organization's: it is read once per request.
                blocked_by_two_step: before.is_some_and(|b| b.blocked_by_two_step)
                    && !OrganizationMembership::exempt_from_two_step(user_type),
            }
        }))
}

/// The actor with its memberships in `scope` as they are now, and the scope itself as it is
/// now (an organization's provider may have changed).
async fn current(
    db: &impl ConnectionTrait,
    actor: &Actor,
    scope: Scope,
) -> Result<(Actor, Scope), AppError> {
    let mut fresh = actor.clone();
    let scope = match scope {
        Scope::Provider(provider) => Scope::Provider(provider),
        Scope::Organization(org) => Scope::Organization(
            organizations::scope_of(db, org.organization_id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
    };
    let provider = match scope {
        Scope::Provider(provider) => Some(provider),
        Scope::Organization(org) => org.provider_id,
    };
    if let Some(provider) = provider {
        fresh.providers.retain(|m| m.provider_id != provider);
        fresh
            .providers
            .extend(provider_membership(db, actor, provider).await?);
    }
    if let Scope::Organization(org) = scope {
        fresh
            .organizations
            .retain(|m| m.organization_id != org.organization_id);
        fresh
            .organizations
            .extend(organization_membership(db, actor, org.organization_id).await?);
    }
    Ok((fresh, scope))
}

/// Refuses unless the actor may still use `capability` in `scope`, by the memberships as they
/// are now; returns the actor as it is now, for the write's further checks (whom it may
/// change). Call it after the transaction's lock, before the first read of what it changes.
pub async fn require_still(
    db: &impl ConnectionTrait,
    actor: &Actor,
    capability: Capability,
    scope: Scope,
) -> Result<Actor, AppError> {
    let (fresh, scope) = current(db, actor, scope).await?;
    require(&fresh, capability, scope)?;
    Ok(fresh)
}

/// [`require_still`] for a write that knows its actor only by the event context it records
/// with (`context.actor`). The memberships in `scope` are read afresh, which is all the guard
/// looks at there. The operator's command line acts without an account and has no membership
/// to lose: nothing to check again.
pub async fn require_still_by(
    db: &impl ConnectionTrait,
    context: &crate::events::service::EventContext,
    capability: Capability,
    scope: Scope,
) -> Result<(), AppError> {
    let Some(user) = context.actor else {
        return Ok(());
    };
    let skeleton = Actor {
        user_id: user,
        session_id: crate::ids::SessionId(0),
        email: String::new(),
        email_verified: true,
        name: String::new(),
        theme: crate::vocabulary::Theme::System,
        lock: crate::accounts::types::LockTimeout::DEFAULT,
        providers: Vec::new(),
        organizations: Vec::new(),
        must_change_password: false,
    };
    require_still(db, &skeleton, capability, scope)
        .await
        .map(|_| ())
}

// --- Lock, then re-check: the opening of every write ---

/// Locks the provider's row, then checks again that `actor` may use `capability` there (see
/// [`require_still`]): an admin demoted while this request waited is refused here. Returns the
/// actor as it is now.
pub async fn provider_for(
    db: &impl ConnectionTrait,
    actor: &crate::auth::Actor,
    capability: crate::auth::Capability,
    id: ProviderId,
) -> Result<crate::auth::Actor, AppError> {
    lock::provider(db, id).await?;
    require_still(db, actor, capability, crate::auth::Scope::Provider(id)).await
}

/// Locks the organization's row, then checks again that `actor` may use `capability` there.
/// Returns the actor as it is now.
pub async fn organization_for(
    db: &impl ConnectionTrait,
    actor: &crate::auth::Actor,
    capability: crate::auth::Capability,
    scope: crate::auth::OrgScope,
) -> Result<crate::auth::Actor, AppError> {
    lock::organization(db, scope.organization_id).await?;
    require_still(
        db,
        actor,
        capability,
        crate::auth::Scope::Organization(scope),
    )
    .await
}

/// Locks the provider's row, then checks again that the actor of `context` may still use
/// `capability` there (see [`require_still_by`]).
pub async fn provider_by(
    db: &impl ConnectionTrait,
    context: &crate::events::service::EventContext,
    capability: crate::auth::Capability,
    id: ProviderId,
) -> Result<(), AppError> {
    lock::provider(db, id).await?;
    require_still_by(db, context, capability, crate::auth::Scope::Provider(id)).await
}

/// Locks the organization's row, then checks again that the actor of `context` may still use
/// `capability` there.
pub async fn organization_by(
    db: &impl ConnectionTrait,
    context: &crate::events::service::EventContext,
    capability: crate::auth::Capability,
    scope: crate::auth::OrgScope,
) -> Result<(), AppError> {
    lock::organization(db, scope.organization_id).await?;
    require_still_by(
        db,
        context,
        capability,
        crate::auth::Scope::Organization(scope),
    )
    .await
}
