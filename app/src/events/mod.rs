//! Events: the append-only record of every change (DESIGN.md rule 6). Each change writes its
//! event in the same transaction; the provider's and the organization's logs read them back,
//! page by page or as a streamed CSV export.

pub mod api;
pub mod text;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod service;
