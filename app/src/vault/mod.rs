//! The vault (issue 22, VAULT.md §3–4): items sealed in the browser, stored and handed back by
//! the server, which checks their form and who may touch them and nothing else.
//! - `service`: one's own items, and what every item write shares (one conditional statement
//!   on owner and revision, V4; the trash and its purge, V5);
//! - `reach`: who may open which items (V2, V3), from the actor and at most one query;
//! - `sync`: everything the caller may open, paged;
//! - `org_items`: an organization's items, checked against the caller's collections;
//! - `collections`: the Admin Console's Collections page;
//! - `folders`: a user's own folders, and per-user filing and favourites.

pub mod api;
pub mod browser;
pub mod import;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod collections;
#[cfg(feature = "ssr")]
pub mod folders;
#[cfg(feature = "ssr")]
pub mod org_items;
#[cfg(feature = "ssr")]
pub mod reach;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sync;
