//! Server-side request plumbing for server functions: the shared context (database, account
//! settings), the caller's address, the session cookie, and the actor. Server functions start
//! with `let actor = current_actor().await?;` and then ask the guard.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use chrono::Utc;
use cookie::{Cookie, SameSite};
use http::header::{COOKIE, SET_COOKIE, USER_AGENT};
use http::request::Parts;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

use super::Actor;
use crate::accounts::service::{self, AuthConfig};
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

pub fn server_context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("ServerContext missing from the Leptos context");
        AppError::Internal
    })
}

/// The peer address (the server is started with connect info) and the user agent.
pub fn client_info() -> ClientInfo {
    let Some(parts) = use_context::<Parts>() else {
        return ClientInfo::default();
    };
    let ip = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string());
    let user_agent = parts
        .headers
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

/// The signed-in caller, or `Unauthenticated`.
pub async fn current_actor() -> Result<Actor, AppError> {
    optional_actor().await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in caller, if any (pages that also serve anonymous visitors).
pub async fn optional_actor() -> Result<Option<Actor>, AppError> {
    let context = server_context()?;
    let Some(token) = session_token(&context) else {
        return Ok(None);
    };
    service::load_actor(&context.db, &context.auth, &token, Utc::now()).await
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
    let target = target
        .filter(|t| crate::routes::is_local_path(t))
        .unwrap_or_else(|| fallback.to_owned());
    leptos_axum::redirect(&target);
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

/// The opening of every organization server function: the caller, the organization's scope
/// (with its provider) and the server context, once the guard allows `capability` there.
pub async fn authorize_in_organization(
    organization: crate::ids::OrganizationId,
    capability: crate::auth::Capability,
) -> Result<(Actor, crate::auth::OrgScope, ServerContext), AppError> {
    let actor = current_actor().await?;
    let context = server_context()?;
    let scope = crate::organizations::service::scope(&context.db, organization).await?;
    crate::auth::require(&actor, capability, crate::auth::Scope::Organization(scope))?;
    Ok((actor, scope, context))
}

/// The opening of every provider server function: the caller and the server context, once
/// the guard allows `capability` in `provider`.
pub async fn authorize_in_provider(
    provider: crate::ids::ProviderId,
    capability: crate::auth::Capability,
) -> Result<(Actor, ServerContext), AppError> {
    let actor = current_actor().await?;
    crate::auth::require(&actor, capability, crate::auth::Scope::Provider(provider))?;
    Ok((actor, server_context()?))
}
