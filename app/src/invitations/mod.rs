//! Invitations: the single-use, expiring links sent by mail, the page they open, and the
//! Password Manager's list of pending invitations (accept / decline).

pub mod api;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod service;
