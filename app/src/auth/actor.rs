//! The actor: who is calling, with every membership the guard needs, built once per request
//! from the session cookie in a constant number of queries (see `accounts::service`).

use crate::ids::{OrganizationId, ProviderId, SessionId, UserId};
use crate::members::types::{MemberStatus, OrgUserType, Permissions};
use crate::providers::types::ProviderUserType;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderMembership {
    pub provider_id: ProviderId,
    pub user_type: ProviderUserType,
    pub status: MemberStatus,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganizationMembership {
    pub organization_id: OrganizationId,
    pub user_type: OrgUserType,
    pub status: MemberStatus,
    pub permissions: Permissions,
    /// The organization requires two-step login, the actor has it off, and its type is not
    /// exempt (Owners and Admins are, so nobody locks an organization out of its own policy):
    /// the membership grants nothing until the actor turns two-step login on.
    pub blocked_by_two_step: bool,
}

impl OrganizationMembership {
    /// Types the two-step login policy does not lock out.
    pub const fn exempt_from_two_step(user_type: OrgUserType) -> bool {
        matches!(user_type, OrgUserType::Owner | OrgUserType::Admin)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub session_id: SessionId,
    pub email: String,
    /// The address was proved; until it is, invitations to it are not offered to the actor
    /// (anyone can type any address when registering).
    pub email_verified: bool,
    pub name: String,
    /// The account's theme: pages are rendered in it (no flash of the other one).
    pub theme: crate::vocabulary::Theme,
    /// When the account's unlocked tabs lock themselves.
    pub lock: crate::accounts::types::LockTimeout,
    pub providers: Vec<ProviderMembership>,
    pub organizations: Vec<OrganizationMembership>,
    /// The account was recovered by an organization's admin and has not chosen its own master
    /// password since: it may act on its own account only (the guard refuses the rest).
    pub must_change_password: bool,
}

impl Actor {
    /// True when the actor is a confirmed member of the provider (either type).
    pub fn is_confirmed_provider_member(&self, provider: ProviderId) -> bool {
        self.providers
            .iter()
            .any(|m| m.provider_id == provider && m.status == MemberStatus::Confirmed)
    }
}
