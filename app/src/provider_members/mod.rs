//! A provider's members (Provider Portal → Manage → Members): Provider Admins and Service
//! Users, invited by email, accepted by the invitee, confirmed by an admin; type changes,
//! revoke / restore, remove, and leaving from the account area.

pub mod api;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod service;
