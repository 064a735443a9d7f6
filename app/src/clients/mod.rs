//! Clients: the organizations a provider administers (the seeds' Clients tab). Listing with
//! search, sort and paging in SQL; new client; add existing organization; rename; seats under
//! consolidated billing (DESIGN.md rule 8); unlink.

pub mod api;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
mod search;
#[cfg(feature = "ssr")]
pub mod service;
