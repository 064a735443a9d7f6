//! Members of organizations and providers: types, statuses and permission flags, and their
//! translated names (shared with the provider's members); and an organization's Members page
//! in the Admin Console (its server functions, rules and components).

pub mod api;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod recovery;
#[cfg(feature = "ssr")]
pub mod service;
