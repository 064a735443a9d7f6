//! Events: the append-only record of every change (DESIGN.md rule 6). Each change writes its
//! event in the same transaction; the provider's and the organization's logs read them back.

pub mod types;

#[cfg(feature = "ssr")]
pub mod service;
