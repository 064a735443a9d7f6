//! Who may do what: the capability decision table ([`capability`]), the actor built once per
//! request from the session ([`actor`]), and the one guard every server function calls
//! ([`guard::require`]).

pub mod actor;
pub mod capability;
#[cfg(feature = "ssr")]
pub mod gate;
pub mod guard;
#[cfg(feature = "ssr")]
pub mod recheck;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod witness;

pub use actor::{Actor, OrganizationMembership, ProviderMembership};
pub use capability::{Capability, Role};
pub use guard::{OrgScope, Scope, require, require_outranks};
