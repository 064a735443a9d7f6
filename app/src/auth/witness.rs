//! What the gate hands a service: proof that a check ran. Plain data, usable by every
//! domain's service (the events log too, which sits below the gate); only `auth` can make
//! one, because the proof field is visible to `auth` alone.

use super::{Actor, Capability, OrgScope, Scope, require};
use crate::error::AppError;
use crate::events::types::LogOf;
use crate::ids::{OrganizationId, ProviderId};
use crate::vocabulary::Place;

/// Proof that the gate made the witness: only `auth` can name it.
#[derive(Clone, Copy, Debug)]
pub(in crate::auth) struct Checked;

/// A caller allowed `capability` in `provider`: what a provider's services take.
#[derive(Clone, Debug)]
pub struct InProvider {
    pub actor: Actor,
    pub provider: ProviderId,
    pub capability: Capability,
    pub(in crate::auth) _checked: Checked,
}

impl InProvider {
    /// Refuses unless the caller may do `capability` here. Each service names what it needs;
    /// the door checked what the endpoint named, and the two must agree for the call to go on
    /// (in memory: the actor's rights are loaded).
    pub fn require(&self, capability: Capability) -> Result<(), AppError> {
        if self.capability == capability {
            return Ok(());
        }
        require(&self.actor, capability, Scope::Provider(self.provider))
    }
}

/// A caller allowed `capability` in an organization (`scope` says which, with its provider):
/// what an organization's services take.
#[derive(Clone, Debug)]
pub struct InOrganization {
    pub actor: Actor,
    pub scope: OrgScope,
    pub capability: Capability,
    pub(in crate::auth) _checked: Checked,
}

impl InOrganization {
    pub const fn organization(&self) -> OrganizationId {
        self.scope.organization_id
    }

    /// As [`InProvider::require`].
    pub fn require(&self, capability: Capability) -> Result<(), AppError> {
        if self.capability == capability {
            return Ok(());
        }
        require(&self.actor, capability, Scope::Organization(self.scope))
    }
}

/// A caller allowed to read `log`.
#[derive(Clone, Debug)]
pub struct LogReader {
    pub actor: Actor,
    pub log: LogOf,
    pub(in crate::auth) _checked: Checked,
}

/// Where a [`Manager`] manages members, as the gate found it (an organization with its
/// provider, if it is a client).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberScope {
    Organization(OrgScope),
    Provider(ProviderId),
}

impl MemberScope {
    pub const fn place(self) -> Place {
        match self {
            Self::Organization(scope) => Place::Organization(scope.organization_id),
            Self::Provider(provider) => Place::Provider(provider),
        }
    }

    /// The capability that lets a caller manage these members.
    pub const fn capability(place: Place) -> Capability {
        match place {
            Place::Organization(_) => Capability::ManageOrgMembers,
            Place::Provider(_) => Capability::ManageProviderMembers,
        }
    }
}

/// A caller allowed to manage the members of `scope`: what every membership service takes.
#[derive(Clone, Debug)]
pub struct Manager {
    pub actor: Actor,
    pub scope: MemberScope,
    pub(in crate::auth) _checked: Checked,
}
