//! Account recovery that keeps the vault (VAULT.md §2). With the organization's policy on, a
//! member enrols from the Password Manager: their browser wraps their user key to the
//! organization's public key. Those allowed `ManageAccountRecovery` may then recover the
//! account: their browser opens the organization's private key, with it the member's user key,
//! and wraps that same key under a new master password; the server stores only the result,
//! ends every session of the member and makes them choose their own password at their next
//! sign-in. Never on oneself, never on someone holding rights the actor lacks (an Admin cannot
//! recover an Owner), never for a member who did not enrol.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::types::{MemberId, MemberStatus, Permissions, RecoveryPlan};
use crate::accounts::keys::NewMaster;
use crate::accounts::session;
use crate::auth::gate::{InOrganization, MemberScope};
use crate::auth::{Actor, Capability, OrgScope, Role, require_outranks};
use crate::crypto::{MasterPasswordKeys, WrappedKey};
use crate::db::{lock, organization_users, organizations, users};
use crate::error::{AppError, Refusal};
use crate::events::service::{EventContext, NewEvent, member_details, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{OrganizationId, OrganizationUserId, UserId};

fn event(kind: EventType, scope: OrgScope, member: i64) -> NewEvent {
    let event = NewEvent::new(kind)
        .organization(scope.organization_id)
        .target(EventTarget::OrganizationMember(member));
    match scope.provider_id {
        Some(provider) => event.provider(provider),
        None => event,
    }
}

/// The actor enrols in account recovery for an organization it is a confirmed member of (only
/// while the policy is on): `key` is its user key wrapped to the organization's public key,
/// made in its browser after it was shown the organization's fingerprint phrase.
pub async fn enrol(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InOrganization,
    key: &WrappedKey,
) -> Result<(), AppError> {
    set_enrolment(db, context, access, Some(key)).await
}

/// The actor withdraws from account recovery: the organization forgets its copy of the user key.
pub async fn withdraw(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InOrganization,
) -> Result<(), AppError> {
    set_enrolment(db, context, access, None).await
}

async fn set_enrolment(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InOrganization,
    key: Option<&WrappedKey>,
) -> Result<(), AppError> {
    access.require(Capability::ManageOwnMembership)?;
    let (actor, scope) = (&access.actor, access.scope);
    let txn = crate::db::begin_write(db).await?;
    lock::organization(&txn, scope.organization_id).await?;
    let row = organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(scope.organization_id.0))
        .filter(organization_users::Column::UserId.eq(actor.user_id.0))
        .filter(organization_users::Column::Status.eq(MemberStatus::Confirmed.as_str()))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let enrolled = key.is_some();
    if enrolled {
        if !crate::policies::service::load(&txn, scope.organization_id)
            .await?
            .account_recovery
        {
            return Err(AppError::Refused(Refusal::RecoveryOff));
        }
        let organization = organizations::Entity::find_by_id(scope.organization_id.0)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        if organization.public_key.is_none() {
            return Err(AppError::Refused(Refusal::OrganizationKeyMissing));
        }
    }
    let key = key.map(ToString::to_string);
    if row.reset_password_enrolled == enrolled && row.reset_password_key == key {
        return Ok(());
    }
    let id = row.id;
    let email = row.email.clone();
    let was_enrolled = row.reset_password_enrolled;
    let mut active = row.into_active_model();
    active.reset_password_enrolled = Set(enrolled);
    active.reset_password_key = Set(key);
    active.update(&txn).await?;
    // A new copy of the key for a member already enrolled is not news for the log.
    if was_enrolled != enrolled {
        let kind = if enrolled {
            EventType::OrganizationUserRecoveryEnrolled
        } else {
            EventType::OrganizationUserRecoveryWithdrawn
        };
        record(
            &txn,
            context,
            event(kind, scope, id),
            Some(member_details(&email)),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A member the actor may recover, with their account: recovery is allowed in the
/// organization (the policy is on), the member is confirmed and enrolled with a key, is not
/// the actor, and holds no rights the actor lacks. Each refusal says which.
async fn recoverable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    scope: OrgScope,
    member: OrganizationUserId,
) -> Result<(organization_users::Model, users::Model, WrappedKey), AppError> {
    let row = organization_users::Entity::find_by_id(member.0)
        .one(db)
        .await?
        .filter(|m| m.organization_id == scope.organization_id.0)
        .ok_or(AppError::NotFound)?;
    if row.user_id == Some(actor.user_id.0) {
        return Err(AppError::Refused(Refusal::NotOnYourself));
    }
    require_outranks(
        actor,
        Role::of_member(row.r#type, Permissions(row.permissions)),
        scope,
    )?;
    if !crate::policies::service::load(db, scope.organization_id)
        .await?
        .account_recovery
    {
        return Err(AppError::Refused(Refusal::RecoveryOff));
    }
    let (Some(user_id), true, Some(key)) = (
        row.user_id,
        row.reset_password_enrolled,
        row.reset_password_key.as_deref(),
    ) else {
        return Err(AppError::Refused(Refusal::NotEnrolled));
    };
    if row.status != MemberStatus::Confirmed.as_str() {
        return Err(AppError::Refused(Refusal::StatusChanged));
    }
    let key: WrappedKey = key.parse().map_err(|_| {
        tracing::error!(member = row.id, "a stored recovery key does not parse");
        AppError::Internal
    })?;
    let user = users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((row, user, key))
}

/// What the recovering admin's browser needs to recover `member` (see [`RecoveryPlan`]):
/// refused as [`recover`] would be, so the dialog says why before anything is typed.
pub async fn plan(
    db: &impl ConnectionTrait,
    access: &InOrganization,
    member: OrganizationUserId,
) -> Result<RecoveryPlan, AppError> {
    access.require(Capability::ManageAccountRecovery)?;
    let (actor, scope) = (&access.actor, access.scope);
    let (row, user, recovery_key) = recoverable(db, actor, scope, member).await?;
    let prelogin =
        crate::accounts::prelogin::stored(&user).ok_or(AppError::Refused(Refusal::NotEnrolled))?;
    let organization_private_key = organizations::Entity::find_by_id(scope.organization_id.0)
        .one(db)
        .await?
        .and_then(|organization| organization.private_key)
        .map(|text| text.parse().map_err(|_| AppError::Internal))
        .transpose()?;
    let key = super::keys::place_key(db, MemberScope::Organization(scope), actor.user_id).await?;
    let (Some(key), Some(organization_private_key)) = (key, organization_private_key) else {
        return Err(AppError::Refused(Refusal::OrganizationKeyMissing));
    };
    Ok(RecoveryPlan {
        member: MemberId(row.id),
        email: user.email.clone(),
        name: user.name.clone(),
        key,
        organization_private_key,
        recovery_key,
        prelogin,
        rules: crate::policies::service::rules_for(db, UserId(user.id)).await?,
    })
}

/// Account recovery (VAULT.md §2): the admin's browser opened the member's user key through
/// the organization's private key and wrapped it under a new master password, derived with the
/// member's own KDF settings and salt; `keys` is the result. The vault survives (the user key
/// is the same). The member's sessions end, and their next sign-in must choose a new master
/// password (the admin knows this one).
pub async fn recover(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InOrganization,
    member: OrganizationUserId,
    keys: MasterPasswordKeys,
) -> Result<(), AppError> {
    access.require(Capability::ManageAccountRecovery)?;
    let scope = access.scope;
    let new = NewMaster::from(keys).await?;
    let txn = crate::db::begin_write(db).await?;
    let actor = &crate::auth::recheck::organization_for(
        &txn,
        &access.actor,
        Capability::ManageAccountRecovery,
        scope,
    )
    .await?;
    let (row, user, _) = recoverable(&txn, actor, scope, member).await?;
    // The key was wrapped with the settings the dialog was given; had the member changed
    // them since, their next sign-in would derive a master key that opens nothing.
    let current = crate::accounts::prelogin::stored(&user).map(|p| p.kdf);
    if current != Some(new.keys.kdf) {
        return Err(AppError::Refused(Refusal::AccountChanged));
    }
    let user_id = UserId(user.id);
    let mut active = user.into_active_model();
    new.apply(&mut active);
    active.must_change_password = Set(true);
    active.update(&txn).await?;
    session::revoke_all(&txn, user_id, None).await?;
    record(
        &txn,
        context,
        event(EventType::OrganizationUserPasswordReset, scope, row.id),
        Some(member_details(&row.email)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The organizations the actor belongs to, with their recovery policy and the actor's
/// enrolment: two queries whatever the number of organizations.
pub async fn memberships(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<super::types::OrgMembership>, AppError> {
    use crate::db::{organizations, policies};
    use crate::policies::types::PolicyKind;
    let rows = organization_users::Entity::find()
        .find_also_related(organizations::Entity)
        .filter(organization_users::Column::UserId.eq(actor.user_id.0))
        .order_by_asc(organizations::Column::Name)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|(row, _)| row.organization_id).collect();
    let with_policy: std::collections::HashSet<i64> = policies::Entity::find()
        .filter(policies::Column::OrganizationId.is_in(ids))
        .filter(policies::Column::Kind.eq(PolicyKind::AccountRecovery.as_str()))
        .filter(policies::Column::Enabled.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|policy| policy.organization_id)
        .collect();
    rows.into_iter()
        .map(|(row, organization)| {
            let organization = organization.ok_or(AppError::Internal)?;
            Ok(super::types::OrgMembership {
                organization: OrganizationId(organization.id),
                name: organization.name,
                user_type: row.r#type,
                status: row.status,
                recovery_policy: with_policy.contains(&organization.id),
                recovery_enrolled: row.reset_password_enrolled,
                public_key: organization.public_key,
                two_step_blocked: actor
                    .organizations
                    .iter()
                    .any(|m| m.organization_id.0 == organization.id && m.blocked_by_two_step),
            })
        })
        .collect()
}
