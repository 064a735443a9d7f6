//! Server-side request plumbing for server functions: the shared context (database, account
//! settings), the caller's address and the session cookie. Server functions start with one
//! call to [`super::gate`], which builds the actor and asks the guard.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use chrono::Utc;
use cookie::{Cookie, SameSite};
use http::header::{COOKIE, SET_COOKIE, USER_AGENT};
use http::request::Parts;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

use super::Actor;
use crate::accounts::service::AuthConfig;
use crate::accounts::session::ClientInfo;
use crate::error::AppError;

/// Provided by the server to every page render and server function.
#[derive(Clone, Debug)]
pub struct ServerContext {
    pub db: DatabaseConnection,
    pub auth: AuthConfig,
    /// Served over HTTPS: the session cookie is `Secure` and takes the `__Host-` prefix.
    pub secure_cookies: bool,
    pub providers: crate::providers::service::ProviderConfig,
    /// Invitation and notice mails (off when no `SMTP_URL`).
    pub mailer: crate::mail::Mailer,
    /// The portal's public address, for links in mails (`PUBLIC_URL`).
    pub base_url: String,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`).
    pub trusted_proxies: std::sync::Arc<[ipnet::IpNet]>,
}

impl ServerContext {
    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-portal_session"
        } else {
            "portal_session"
        }
    }
}

/// Who is signed in, loaded at most once per page render. A page asks many times (the top
/// bar, then each of its resources' server functions, all in the same request), and each load
/// is four or five queries: on the Clients page they were most of the database's work.
/// Provided fresh to every request beside [`ServerContext`]; used for GET only, since a
/// render reads, while a POST (a server function that writes) may change the very session or
/// memberships a cache would hold.
#[derive(Clone, Default)]
pub struct RenderCache {
    actor: std::sync::Arc<tokio::sync::OnceCell<Option<Actor>>>,
}

impl RenderCache {
    /// This request's cache, if it is a page render.
    pub(super) fn of_render() -> Option<Self> {
        let parts = use_context::<Parts>()?;
        (parts.method == http::Method::GET)
            .then(use_context::<Self>)
            .flatten()
    }

    /// The actor, loaded by `load` the first time it is asked for.
    pub(super) async fn actor<F, L>(&self, load: L) -> Result<Option<Actor>, AppError>
    where
        L: FnOnce() -> F,
        F: Future<Output = Result<Option<Actor>, AppError>>,
    {
        self.actor.get_or_try_init(load).await.cloned()
    }
}

/// Only the gate reads it: a server function gets the context from its witness.
pub(super) fn server_context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("ServerContext missing from the Leptos context");
        AppError::Internal
    })
}

/// The client's address: the peer (the server is started with connect info), unless the peer
/// is a trusted proxy; then `X-Forwarded-For` is read from the right (each proxy appends the
/// address it received from), skipping trusted proxies, and the first other address is the
/// client. Entries left of it could be written by anyone, so they are never read. An entry
/// that is not an address ends the walk at the proxy that passed it on.
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &http::HeaderMap,
    trusted: &[ipnet::IpNet],
) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer?;
    if !is_trusted(&client) {
        return Some(client);
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    Some(client)
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`[::1]:443`, `1.2.3.4:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The request is a plain HTML form posted without the browser bundle (it accepts HTML): a
/// redirect is the only answer it can follow. The bundle's calls ask for data instead.
pub fn is_plain_form_post() -> bool {
    use_context::<Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// The client's address (see [`client_address`]) and user agent.
pub fn client_info() -> ClientInfo {
    let Some(parts) = use_context::<Parts>() else {
        return ClientInfo::default();
    };
    let trusted = use_context::<ServerContext>()
        .map(|context| context.trusted_proxies)
        .unwrap_or_else(|| std::sync::Arc::from(Vec::new()));
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    client_info_from(peer, &parts.headers, &trusted)
}

/// [`client_info`] for plain axum handlers (the import route), from what they extract.
pub fn client_info_from(
    peer: Option<IpAddr>,
    headers: &http::HeaderMap,
    trusted: &[ipnet::IpNet],
) -> ClientInfo {
    let ip = client_address(peer, headers, trusted).map(|ip| ip.to_string());
    let user_agent = headers
        .get(USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    ClientInfo { ip, user_agent }
}

/// The session cookie's token, if the request carries one.
pub fn session_token(context: &ServerContext) -> Option<String> {
    let parts = use_context::<Parts>()?;
    cookie_value(&parts.headers, context.session_cookie_name())
}

/// A cookie's value from request headers (also for plain axum handlers, such as exports).
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_owned())
}

fn send_cookie(cookie: Cookie<'_>) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie.to_string()),
    ) {
        response.append_header(SET_COOKIE, value);
    }
}

/// `HttpOnly; SameSite=Lax; Path=/`, plus `Secure` under HTTPS; it lives as long as the
/// session's absolute lifetime.
pub fn set_session_cookie(context: &ServerContext, token: &str) {
    let max_age = cookie::time::Duration::seconds(context.auth.session.absolute.num_seconds());
    send_cookie(
        Cookie::build((context.session_cookie_name(), token.to_owned()))
            .http_only(true)
            .same_site(SameSite::Lax)
            .path("/")
            .secure(context.secure_cookies)
            .max_age(max_age)
            .build(),
    );
}

pub fn clear_session_cookie(context: &ServerContext) {
    send_cookie(
        Cookie::build((context.session_cookie_name(), ""))
            .http_only(true)
            .same_site(SameSite::Lax)
            .path("/")
            .secure(context.secure_cookies)
            .max_age(cookie::time::Duration::ZERO)
            .build(),
    );
}

/// Who is acting, from where, now: the context every event of this request is recorded with.
pub fn event_context(actor: &Actor) -> crate::events::service::EventContext {
    crate::events::service::EventContext {
        actor: Some(actor.user_id),
        client: client_info(),
        at: Utc::now(),
    }
}

/// After a form post, go back to `return_to` when it is a path on this site (the list the
/// dialog was opened from), else to `fallback`. Browsers without the bundle follow it as a
/// redirect; the bundle's router navigates there.
pub fn return_to(target: Option<String>, fallback: &str) {
    leptos_axum::redirect(&crate::routes::local_or(target, fallback));
}

/// The language of the request: the visitor's chosen language (cookie), else the browser's
/// first supported `Accept-Language`, else English. For mails to people without an account.
pub fn request_locale() -> crate::i18n::Locale {
    match use_context::<Parts>() {
        Some(parts) => locale_from_headers(&parts.headers),
        None => crate::i18n::Locale::en,
    }
}

/// The language a request asks for (see [`request_locale`]), from its headers.
pub fn locale_from_headers(headers: &http::HeaderMap) -> crate::i18n::Locale {
    use crate::i18n::Locale;
    let chosen = cookie_value(headers, crate::LANGUAGE_COOKIE)
        .and_then(|value| value.parse::<Locale>().ok());
    let accepted = || {
        headers
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                value.split(',').find_map(|tag| {
                    let tag = tag.split(';').next()?.trim();
                    let language = tag.split('-').next()?;
                    language.to_ascii_lowercase().parse::<Locale>().ok()
                })
            })
    };
    chosen.or_else(accepted).unwrap_or(Locale::en)
}

/// What a server function that sends mail hands to its service.
pub fn outbox(context: &ServerContext) -> crate::mail::Outbox<'_> {
    crate::mail::Outbox {
        mailer: &context.mailer,
        base_url: &context.base_url,
        locale: request_locale(),
    }
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use std::net::IpAddr;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn forwarded(values: &[&str]) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        for value in values {
            headers.append(
                "x-forwarded-for",
                http::HeaderValue::from_str(value).expect("a header value"),
            );
        }
        headers
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let trusted: Vec<ipnet::IpNet> = vec![
            "127.0.0.1/32".parse().expect("cidr"),
            "10.0.0.0/8".parse().expect("cidr"),
        ];
        let spoof = forwarded(&["203.0.113.9"]);
        // Straight from the internet: the header is whatever the client wrote; ignored.
        assert_eq!(
            client_address(Some(ip("198.51.100.7")), &spoof, &trusted),
            Some(ip("198.51.100.7"))
        );
        // Through the proxy: its entry names the client.
        assert_eq!(
            client_address(Some(ip("127.0.0.1")), &spoof, &trusted),
            Some(ip("203.0.113.9"))
        );
        // A client's forged entry sits left of the one the proxy appended: never read.
        let chain = forwarded(&["6.6.6.6, 203.0.113.9", "10.1.2.3"]);
        assert_eq!(
            client_address(Some(ip("127.0.0.1")), &chain, &trusted),
            Some(ip("203.0.113.9"))
        );
        // Without a header, or with garbage, the proxy is all that is known.
        assert_eq!(
            client_address(Some(ip("127.0.0.1")), &forwarded(&[]), &trusted),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(
            client_address(Some(ip("127.0.0.1")), &forwarded(&["unknown"]), &trusted),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(
            client_address(
                Some(ip("127.0.0.1")),
                &forwarded(&["[2001:db8::1]:443"]),
                &trusted
            ),
            Some(ip("2001:db8::1"))
        );
        // No trusted proxies configured: the peer, whatever the header says.
        assert_eq!(
            client_address(Some(ip("127.0.0.1")), &spoof, &[]),
            Some(ip("127.0.0.1"))
        );
    }
}
