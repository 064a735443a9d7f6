//! Organizations: created in the Password Manager (their creator becomes the Owner) or by a
//! provider as a new client; administered in the Admin Console.

pub mod api;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod service;
