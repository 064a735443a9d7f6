//! Accounts: registration, sign-in (password, then TOTP when enabled), sessions, and the actor
//! every server function starts from.

pub mod api;
pub mod browser;
pub mod rules;
pub mod types;
pub mod ui;
pub mod unlocked;

#[cfg(feature = "ssr")]
mod access;
#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod prelogin;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub use crate::strength;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod two_step;
#[cfg(feature = "ssr")]
pub mod verification;
