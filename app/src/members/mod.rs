//! Members of organizations and providers, one lifecycle for both places (DESIGN.md §1:
//! Invited → Accepted → Confirmed; Revoked): invite by email, confirm, change type (and an
//! organization's Custom flags), revoke / restore, remove, bulk actions with per-row results;
//! the Members page of the Admin Console and of the Provider Portal; account recovery; the
//! account area's memberships (leaving a provider).

pub mod api;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod recovery;
#[cfg(feature = "ssr")]
pub mod service;
