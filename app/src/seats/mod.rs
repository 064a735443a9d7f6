//! An organization's assigned seats: the one place they change, whether from the Admin
//! Console's Subscription page or the Provider Portal's Clients page (DESIGN.md rules 2 and 8;
//! who may, and rule 8's purchases, are the callers' to check first).

#[cfg(feature = "ssr")]
pub mod service;
