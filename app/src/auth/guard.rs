//! The one guard. Every server function asks it, with the scope it acts in:
//! `require(&actor, Capability::X, scope)?`. It derives the actor's roles in that scope and
//! consults the decision table; it never reads the database itself, so the data it needs
//! (an organization's provider) is loaded by the caller in one query.

use super::actor::Actor;
use super::capability::{Capability, Role, decide};
use crate::error::AppError;
use crate::ids::{OrganizationId, ProviderId};
use crate::members::types::{MemberStatus, OrgUserType};
use crate::providers::types::ProviderUserType;

/// An organization together with the provider it is a client of, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrgScope {
    pub organization_id: OrganizationId,
    pub provider_id: Option<ProviderId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Provider(ProviderId),
    Organization(OrgScope),
}

impl Actor {
    /// The roles the actor holds in `scope`: only confirmed memberships count.
    pub fn roles_in(&self, scope: Scope) -> Vec<Role> {
        match scope {
            Scope::Provider(provider) => self
                .providers
                .iter()
                .filter(|m| m.provider_id == provider && m.status == MemberStatus::Confirmed)
                .map(|m| match m.user_type {
                    ProviderUserType::ProviderAdmin => Role::ProviderAdmin,
                    ProviderUserType::ServiceUser => Role::ServiceUser,
                })
                .collect(),
            Scope::Organization(org) => {
                let own = self
                    .organizations
                    .iter()
                    .filter(|m| {
                        m.organization_id == org.organization_id
                            && m.status == MemberStatus::Confirmed
                            && !m.blocked_by_two_step
                    })
                    .map(|m| match m.user_type {
                        OrgUserType::Owner => Role::Owner,
                        OrgUserType::Admin => Role::Admin,
                        OrgUserType::User => Role::User,
                        OrgUserType::Custom => Role::Custom(m.permissions),
                    });
                let through_provider = org
                    .provider_id
                    .filter(|p| self.is_confirmed_provider_member(*p))
                    .map(|_| Role::ProviderUserInClient);
                own.chain(through_provider).collect()
            }
        }
    }

    /// The actor holds every administrative right of `role` in the organization: only then
    /// may it give a member that role, or change, revoke or remove a member holding it. So an
    /// Admin cannot touch an Owner, and a Custom user who manages users cannot make an Admin
    /// or grant a flag it lacks. Access to vault items is not an administrative right (provider
    /// users have none, yet manage every member of a client).
    pub fn outranks(&self, role: Role, organization: OrgScope) -> bool {
        let scope = Scope::Organization(organization);
        Capability::ALL
            .into_iter()
            .filter(|c| !c.is_provider_scoped() && !c.is_vault_item_access())
            .all(|c| !decide(role, c) || self.can(c, scope))
    }

    pub fn can(&self, capability: Capability, scope: Scope) -> bool {
        let scope_fits = capability.is_provider_scoped() == matches!(scope, Scope::Provider(_));
        scope_fits
            && self
                .roles_in(scope)
                .into_iter()
                .any(|role| decide(role, capability))
    }
}

/// Refuses with [`Refusal::BeyondOwnRights`] unless the actor [outranks](Actor::outranks) `role`.
pub fn require_outranks(actor: &Actor, role: Role, organization: OrgScope) -> Result<(), AppError> {
    if actor.outranks(role, organization) {
        Ok(())
    } else {
        Err(AppError::Refused(crate::error::Refusal::BeyondOwnRights))
    }
}

/// Refuses with [`AppError::Forbidden`] unless the actor may use `capability` in `scope`;
/// with [`Refusal::TwoStepRequired`](crate::error::Refusal::TwoStepRequired) when its
/// membership would allow it but the organization's two-step policy locks it.
/// Anonymous callers never get this far: building the actor fails with `Unauthenticated`.
/// An account an admin recovered is refused everything with
/// [`Refusal::PasswordChangeRequired`](crate::error::Refusal::PasswordChangeRequired) until it
/// chooses its own master password (the admin knows the one it signed in with).
pub fn require(actor: &Actor, capability: Capability, scope: Scope) -> Result<(), AppError> {
    if actor.must_change_password {
        return Err(AppError::Refused(
            crate::error::Refusal::PasswordChangeRequired,
        ));
    }
    if actor.can(capability, scope) {
        return Ok(());
    }
    let locked = match scope {
        Scope::Organization(org) => actor.organizations.iter().any(|m| {
            m.organization_id == org.organization_id
                && m.status == MemberStatus::Confirmed
                && m.blocked_by_two_step
                && decide(Role::of_member(m.user_type, m.permissions), capability)
        }),
        Scope::Provider(_) => false,
    };
    if locked {
        Err(AppError::Refused(crate::error::Refusal::TwoStepRequired))
    } else {
        Err(AppError::Forbidden)
    }
}
