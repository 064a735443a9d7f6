//! Account recovery (admin password reset). With the organization's policy on, a member
//! enrols from the Password Manager; then those allowed `ManageAccountRecovery` may set a new
//! password for them, which ends every session of that member. Never on oneself, and never
//! on someone holding rights the actor lacks (an Admin cannot reset an Owner).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::types::{MemberStatus, Permissions};
use crate::accounts::service::check_new_password;
use crate::accounts::{password, session};
use crate::auth::gate::InOrganization;
use crate::auth::{Actor, Capability, OrgScope, Role, require_outranks};
use crate::db::{lock, organization_users, users};
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

/// The actor enrols in account recovery for an organization it is a confirmed member of
/// (only while the policy is on), or withdraws.
pub async fn set_enrolment(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InOrganization,
    enrolled: bool,
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
    if enrolled
        && !crate::policies::service::load(&txn, scope.organization_id)
            .await?
            .account_recovery
    {
        return Err(AppError::Refused(Refusal::RecoveryOff));
    }
    if row.reset_password_enrolled == enrolled {
        return Ok(());
    }
    let id = row.id;
    let email = row.email.clone();
    let mut active = row.into_active_model();
    active.reset_password_enrolled = Set(enrolled);
    active.update(&txn).await?;
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
    txn.commit().await?;
    Ok(())
}

/// Sets `new` as the member's password (typed twice; the portal's rules and the
/// organization's master-password policy apply) and ends all of the member's sessions.
pub async fn reset_password(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InOrganization,
    member: OrganizationUserId,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    access.require(Capability::ManageAccountRecovery)?;
    let scope = access.scope;
    let organization: OrganizationId = scope.organization_id;
    let txn = crate::db::begin_write(db).await?;
    let actor = &crate::auth::recheck::organization_for(
        &txn,
        &access.actor,
        Capability::ManageAccountRecovery,
        scope,
    )
    .await?;
    let row = organization_users::Entity::find_by_id(member.0)
        .one(&txn)
        .await?
        .filter(|m| m.organization_id == organization.0)
        .ok_or(AppError::NotFound)?;
    if row.user_id == Some(actor.user_id.0) {
        return Err(AppError::Refused(Refusal::NotOnYourself));
    }
    let user_type = row.r#type;
    require_outranks(
        actor,
        Role::of_member(user_type, Permissions(row.permissions)),
        scope,
    )?;
    let policies = crate::policies::service::load(&txn, organization).await?;
    if !policies.account_recovery {
        return Err(AppError::Refused(Refusal::RecoveryOff));
    }
    let (Some(user_id), true) = (row.user_id, row.reset_password_enrolled) else {
        return Err(AppError::Refused(Refusal::NotEnrolled));
    };
    if row.status != MemberStatus::Confirmed.as_str() {
        return Err(AppError::Refused(Refusal::StatusChanged));
    }
    let user = users::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let words = [user.email.as_str(), user.name.as_str()];
    let rules = crate::policies::service::rules_for(&txn, UserId(user_id)).await?;
    check_new_password(&new, &confirm, &words, rules, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    // The admin typed this password, so the server knows it: the account goes back to the
    // state of an account made before zero knowledge (a password hash, no keys), and its next
    // sign-in makes new keys in the user's browser (VAULT.md §2). Its old keys are gone with
    // the old password: nothing is encrypted to them yet. Recovery by the organization's public
    // key, which keeps them, replaces this with organization keys (issue 21).
    let hash = password::hash(new).await?;
    let mut active = user.into_active_model();
    active.password_hash = Set(hash);
    crate::accounts::keys::forget(&mut active);
    active.update(&txn).await?;
    session::revoke_all(&txn, UserId(user_id), None).await?;
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
                two_step_blocked: actor
                    .organizations
                    .iter()
                    .any(|m| m.organization_id.0 == organization.id && m.blocked_by_two_step),
            })
        })
        .collect()
}
