//! Providers: the MSPs, resellers and IT partners that administer client organizations.

pub mod api;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod service;
