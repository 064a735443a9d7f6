//! The axum host: configuration, database connection and migrations, the HTTP router
//! (Leptos pages and server functions, static files, health), and the operator CLI.

pub mod config;
pub mod db;
pub mod error;
pub mod export;
pub mod http;
pub mod import;
pub mod operator;
pub mod security;

pub use config::Config;
pub use error::StartupError;
