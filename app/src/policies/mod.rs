//! Organization policies: account recovery administration, required two-step login, master
//! password requirements.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod service;
pub mod ui;
