//! The vault (issue 22, VAULT.md §3–4): items sealed in the browser, stored and handed back by
//! the server, which checks their form and who may touch them and nothing else. This part holds
//! personal items: a user's own, reached through their own account; organization items,
//! collections, folders and the Vault page build on it.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod service;
