//! Configuration from the environment. Every variable has a default that works on a laptop;
//! the README lists them all.

use std::env;
use std::net::SocketAddr;
use std::path::PathBuf;

use leptos::config::{Env, LeptosOptions};

use crate::error::StartupError;

/// The SQLite file used when `DATABASE_URL` is not set, relative to the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
/// The `name` of the `[[workspace.metadata.leptos]]` block: the bundle's file names.
pub const OUTPUT_NAME: &str = "provider-portal";

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` (default) or `postgres://…`.
    pub database_url: String,
    /// `PORTAL_ADDR` (or cargo-leptos's `LEPTOS_SITE_ADDR`): where the server listens.
    pub addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the built site (`target/site`), holding `pkg/` with the bundle.
    pub site_root: PathBuf,
}

fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    pub fn from_env() -> Result<Self, StartupError> {
        let database_url = var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        let (variable, raw_addr) = match (var("PORTAL_ADDR"), var("LEPTOS_SITE_ADDR")) {
            (Some(addr), _) => ("PORTAL_ADDR", addr),
            (None, Some(addr)) => ("LEPTOS_SITE_ADDR", addr),
            (None, None) => ("PORTAL_ADDR", DEFAULT_ADDR.to_owned()),
        };
        let addr = raw_addr.parse().map_err(|_| StartupError::InvalidAddress {
            variable,
            value: raw_addr.clone(),
        })?;
        let site_root = var("LEPTOS_SITE_ROOT")
            .unwrap_or_else(|| "target/site".into())
            .into();
        Ok(Self {
            database_url,
            addr,
            site_root,
        })
    }

    /// Leptos's options, built here rather than from `Cargo.toml` so the binary runs from
    /// anywhere. File hashing is on when cargo-leptos left its `hash.txt` beside the binary.
    pub fn leptos_options(&self) -> LeptosOptions {
        let hash_files = env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists()))
            .unwrap_or(false);
        let env = match var("LEPTOS_ENV").as_deref() {
            Some("DEV") | Some("dev") => Env::DEV,
            _ => Env::PROD,
        };
        LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(self.site_root.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .site_addr(self.addr)
            .env(env)
            .hash_files(hash_files)
            .build()
    }
}
