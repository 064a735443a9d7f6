//! Configuration from the environment. Every variable has a default that works on a laptop;
//! the README lists them all.

use std::env;
use std::net::SocketAddr;
use std::path::PathBuf;

use leptos::config::{Env, LeptosOptions};

use app::accounts::service::AuthConfig;
use app::providers::service::{PlanDefaults, ProviderConfig, ProviderSetup};
use chrono::Duration;

use crate::error::StartupError;

fn positive(name: &'static str, default: i64) -> Result<i64, StartupError> {
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|v| (1..=100_000).contains(v))
            .ok_or_else(|| {
                StartupError::Other(format!(
                    "{name} must be a whole number from 1 to 100000 (got {raw})"
                ))
            }),
    }
}

fn non_negative(name: &'static str, default: i64) -> Result<i64, StartupError> {
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| (0..=100_000).contains(v))
            .ok_or_else(|| {
                StartupError::Other(format!(
                    "{name} must be a whole number from 0 to 100000 (got {raw})"
                ))
            }),
    }
}

/// A price per seat and month such as `4` or `4.50`, in cents (at most 100000.00).
fn parse_price(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (units, fraction) = match raw.split_once('.') {
        Some((units, fraction)) if digits(fraction) && fraction.len() <= 2 => (units, fraction),
        Some(_) => return None,
        None => (raw, ""),
    };
    if !digits(units) {
        return None;
    }
    let units: i64 = units.parse().ok()?;
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .filter(|total| *total <= 10_000_000)
}

fn price_cents(name: &'static str, default: i64) -> Result<i64, StartupError> {
    match var(name) {
        None => Ok(default),
        Some(raw) => parse_price(&raw).ok_or_else(|| {
            StartupError::Other(format!(
                "{name} must be a price such as 4 or 4.50, at most 100000 (got {raw})"
            ))
        }),
    }
}

fn provider_config() -> Result<ProviderConfig, StartupError> {
    let defaults = ProviderConfig::default();
    let setup = match var("PROVIDER_SETUP").as_deref() {
        None | Some("open") => ProviderSetup::Open,
        Some("operator") => ProviderSetup::Operator,
        Some(other) => {
            return Err(StartupError::Other(format!(
                "PROVIDER_SETUP must be open or operator (got {other})"
            )));
        }
    };
    Ok(ProviderConfig {
        setup,
        teams: PlanDefaults {
            seat_minimum: non_negative("TEAMS_SEAT_MINIMUM", defaults.teams.seat_minimum)?,
            price_cents: price_cents("TEAMS_SEAT_PRICE", defaults.teams.price_cents)?,
        },
        enterprise: PlanDefaults {
            seat_minimum: non_negative(
                "ENTERPRISE_SEAT_MINIMUM",
                defaults.enterprise.seat_minimum,
            )?,
            price_cents: price_cents("ENTERPRISE_SEAT_PRICE", defaults.enterprise.price_cents)?,
        },
    })
}

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
    /// `PUBLIC_URL`: the address users reach the portal at (`https://portal.example.com`).
    /// When set, it is the only origin accepted on writes, and `https` turns on secure cookies.
    pub public_url: Option<String>,
    /// `SESSION_IDLE_MINUTES` (30) and `SESSION_ABSOLUTE_HOURS` (12); throttling defaults.
    pub auth: AuthConfig,
    /// `PROVIDER_SETUP` (open), `TEAMS_SEAT_MINIMUM` (10), `ENTERPRISE_SEAT_MINIMUM` (10),
    /// `TEAMS_SEAT_PRICE` (4), `ENTERPRISE_SEAT_PRICE` (6): defaults for new providers.
    pub providers: ProviderConfig,
    /// `DEMO` (on): `serve` loads the demo data into a brand-new database; `0` turns it off.
    pub demo: bool,
    /// `DEMO_PASSWORD`: the demo accounts' password; unset, a random one is printed once.
    pub demo_password: Option<String>,
    /// `SMTP_URL`: where mail goes (`smtp://host:port`, `smtps://user:pass@host`); unset, mail
    /// is off and inviters are shown the invitation link to pass on.
    pub smtp_url: Option<String>,
    /// `MAIL_FROM`: the sender of the portal's mails.
    pub mail_from: String,
    /// `TRUSTED_PROXIES`: addresses or CIDRs of reverse proxies whose `X-Forwarded-For` is
    /// believed (empty: the peer address is the client).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// `TRUSTED_PROXIES` as a list: `127.0.0.1, 10.0.0.0/8, ::1`. A bare address is one host.
pub fn parse_trusted_proxies(raw: &str) -> Result<Vec<ipnet::IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<ipnet::IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    format!(
                        "TRUSTED_PROXIES must list addresses or CIDRs such as 10.0.0.0/8 (got {entry})"
                    )
                })
        })
        .collect()
}

fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// An on/off variable: `1`, `true`, `on` or `0`, `false`, `off`; anything else is refused
/// rather than guessed.
fn switch(name: &'static str, default: bool) -> Result<bool, StartupError> {
    match var(name).map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "on" | "yes") => Ok(true),
        Some("0" | "false" | "off" | "no") => Ok(false),
        Some(other) => Err(StartupError::Other(format!(
            "{name} must be 1 or 0 (got {other})"
        ))),
    }
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
        let public_url = match var("PUBLIC_URL") {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                Some(url.trim_end_matches('/').to_owned())
            }
            Some(url) => {
                return Err(StartupError::Other(format!(
                    "PUBLIC_URL must start with http:// or https:// (got {url})"
                )));
            }
            None => None,
        };
        let mut auth = AuthConfig::default();
        auth.session.idle = Duration::minutes(positive(
            "SESSION_IDLE_MINUTES",
            auth.session.idle.num_minutes(),
        )?);
        auth.session.absolute = Duration::hours(positive(
            "SESSION_ABSOLUTE_HOURS",
            auth.session.absolute.num_hours(),
        )?);
        auth.throttle.registrations_per_address = positive(
            "REGISTRATIONS_PER_ADDRESS",
            i64::try_from(auth.throttle.registrations_per_address).unwrap_or(10),
        )?
        .unsigned_abs();
        Ok(Self {
            database_url,
            addr,
            site_root,
            public_url,
            auth,
            providers: provider_config()?,
            demo: switch("DEMO", true)?,
            demo_password: var("DEMO_PASSWORD"),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM")
                .unwrap_or_else(|| "Provider Portal <portal@localhost>".to_owned()),
            trusted_proxies: match var("TRUSTED_PROXIES") {
                Some(raw) => parse_trusted_proxies(&raw).map_err(StartupError::Other)?,
                None => Vec::new(),
            },
        })
    }

    /// The mailer of `SMTP_URL` and `MAIL_FROM`; a malformed one stops the start-up.
    pub fn mailer(&self) -> Result<app::mail::Mailer, StartupError> {
        app::mail::Mailer::new(self.smtp_url.as_deref(), &self.mail_from)
            .map_err(StartupError::Other)
    }

    /// Links in mails start with this: `PUBLIC_URL`, else the address the server listens on.
    pub fn base_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
    }

    /// The origin (scheme, host, port) of `PUBLIC_URL`, as browsers send it in `Origin`.
    pub fn public_origin(&self) -> Option<String> {
        let url = self.public_url.as_deref()?;
        let (scheme, rest) = url.split_once("://")?;
        let host = rest.split('/').next()?;
        Some(format!("{scheme}://{host}"))
    }

    /// Session cookies are `Secure` (with the `__Host-` prefix) when the portal is served over
    /// HTTPS; `COOKIE_SECURE=true|false` overrides the guess from `PUBLIC_URL`.
    pub fn secure_cookies(&self) -> bool {
        match var("COOKIE_SECURE").as_deref() {
            Some("true") | Some("1") => true,
            Some("false") | Some("0") => false,
            _ => self
                .public_url
                .as_deref()
                .is_some_and(|url| url.starts_with("https://")),
        }
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

#[cfg(test)]
mod tests {
    use super::parse_price;

    #[test]
    fn trusted_proxies_are_addresses_or_cidrs() {
        use super::parse_trusted_proxies;
        let list = parse_trusted_proxies(" 127.0.0.1, 10.0.0.0/8 ,::1,").expect("a list");
        let shown: Vec<String> = list.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
        assert!(parse_trusted_proxies("10.0.0.0/33").is_err());
        assert!(parse_trusted_proxies("proxy.example").is_err());
        assert_eq!(parse_trusted_proxies("").expect("empty"), []);
    }

    #[test]
    fn prices_are_read_in_cents() {
        assert_eq!(parse_price("4"), Some(400));
        assert_eq!(parse_price(" 4.5 "), Some(450));
        assert_eq!(parse_price("4.05"), Some(405));
        assert_eq!(parse_price("4.005"), None);
        assert_eq!(parse_price("4."), None);
        assert_eq!(parse_price("x"), None);
        assert_eq!(parse_price("-1"), None);
        assert_eq!(parse_price("100001"), None);
    }
}
