//! The HTTP router: Leptos pages and server functions, the bundle under `/pkg`, `/healthz`,
//! and the no-JavaScript language switch. Layers apply to every route.

use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use serde_json::json;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use app::accounts::service::AuthConfig;
use app::auth::request::{RenderCache, ServerContext};
use app::error::AppError;
use app::i18n::Locale;
use app::mail::Mailer;
use app::providers::service::ProviderConfig;
use app::routes;

use crate::db::backend_name;
use crate::security::{
    BodyLimits, HeaderPolicy, OriginPolicy, check_origin, limit_body, security_headers,
};

/// No form or server-function argument in the product comes near this; larger bodies are
/// refused before any handler reads them.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// One year: the longest lifetime caches honour. Hashed file names change with their content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub origin_policy: OriginPolicy,
    /// HSTS when served over HTTPS (`PUBLIC_URL` is https).
    pub header_policy: HeaderPolicy,
    pub auth: AuthConfig,
    /// Served over HTTPS (`PUBLIC_URL` is https): session cookies are `Secure` and `__Host-`.
    pub secure_cookies: bool,
    pub providers: ProviderConfig,
    /// Invitation mails; off unless `SMTP_URL` is set.
    pub mailer: Mailer,
    /// Where the portal is reached, for links in mails (`PUBLIC_URL`, else the listen address).
    pub base_url: String,
    /// `TRUSTED_PROXIES`: whose `X-Forwarded-For` names the client.
    pub trusted_proxies: std::sync::Arc<[ipnet::IpNet]>,
    /// Event exports running at once on this instance (`export::CONCURRENT_EXPORTS`).
    pub exports: std::sync::Arc<tokio::sync::Semaphore>,
    /// The password-strength module's files (`.ci/strength-module`), served at
    /// `app::routes::STRENGTH_DIR`: beside the site root (`target/strength` for
    /// `target/site`), not in it, since every `cargo leptos build` empties the site root.
    pub strength_dir: std::path::PathBuf,
}

impl AppState {
    /// State with the defaults of a laptop deployment (tests, and `serve` without settings).
    pub fn new(leptos_options: LeptosOptions, db: DatabaseConnection) -> Self {
        let strength_dir = std::path::Path::new(leptos_options.site_root.as_ref())
            .parent()
            .unwrap_or_else(|| std::path::Path::new("."))
            .join(&app::routes::STRENGTH_DIR[1..]);
        Self {
            strength_dir,
            leptos_options,
            db,
            origin_policy: OriginPolicy::default(),
            header_policy: HeaderPolicy::default(),
            auth: AuthConfig::default(),
            secure_cookies: false,
            providers: ProviderConfig::default(),
            mailer: Mailer::off(),
            base_url: format!("http://{}", crate::config::DEFAULT_ADDR),
            trusted_proxies: std::sync::Arc::from(Vec::new()),
            exports: std::sync::Arc::new(tokio::sync::Semaphore::new(
                crate::export::CONCURRENT_EXPORTS,
            )),
        }
    }

    pub(crate) fn server_context(&self) -> ServerContext {
        ServerContext {
            db: self.db.clone(),
            auth: self.auth,
            secure_cookies: self.secure_cookies,
            providers: self.providers,
            mailer: self.mailer.clone(),
            base_url: self.base_url.clone(),
            trusted_proxies: self.trusted_proxies.clone(),
        }
    }
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(app::App);
    let options = state.leptos_options.clone();
    let pkg_dir =
        std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let cache_control = HeaderValue::from_static(if options.hash_files {
        IMMUTABLE
    } else {
        REVALIDATE
    });
    let bundle = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            cache_control,
        ))
        // The release build writes each file's brotli and gzip forms beside it (cargo-leptos
        // `--precompress`, brotli at quality 11): served as they are, where compressing 3 MB
        // of wasm per request would cost CPU and compress less. Without them (a debug build)
        // the compression layer compresses on the fly.
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );
    // The password-strength module keeps its file names from one release to the next, so the
    // browser asks whether its copy is current (Last-Modified) each time a page imports it.
    let strength_dir = state.strength_dir.clone();
    let strength_module = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(REVALIDATE),
        ))
        .service(
            ServeDir::new(strength_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );
    let context = state.server_context();
    let fallback_context = context.clone();

    Router::new()
        .route(routes::HEALTHZ, get(healthz))
        .route(routes::LANGUAGE, post(set_language))
        .route(routes::WORD_LIST, get(word_list))
        .route(
            crate::export::PROVIDER_EVENTS,
            get(crate::export::provider_events),
        )
        .route(
            crate::export::ORGANIZATION_EVENTS,
            get(crate::export::organization_events),
        )
        .route(
            crate::export::INVOICE_REPORT,
            get(crate::export::invoice_report),
        )
        .route(app::vault::import::OWN_IMPORT, post(crate::import::own))
        .route(
            app::vault::import::ORGANIZATION_IMPORT,
            post(crate::import::organization),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context.clone());
                provide_context(RenderCache::default());
            },
            move || app::shell(options.clone()),
        )
        .nest_service("/pkg", bundle)
        .nest_service(app::routes::STRENGTH_DIR, strength_module)
        // Unknown paths render the app's 404 page, with the same context as every page.
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || {
                provide_context(fallback_context.clone());
                provide_context(RenderCache::default());
            },
            app::shell,
        ))
        .layer(axum::middleware::from_fn(server_fn_error_status))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.origin_policy.clone(),
            check_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(
            BodyLimits {
                default: BODY_LIMIT_BYTES,
                import: app::vault::import::MAX_IMPORT_BODY_BYTES,
            },
            limit_body,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.header_policy,
            security_headers,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A server function's error answer carries `AppError` as JSON with status 500 and server_fn's
/// error header; this gives it its own status (`AppError::http_status`). The browser's client
/// decodes any 4xx or 5xx the same way; a form posted without the bundle gets a redirect, not
/// an error answer, and passes through untouched.
async fn server_fn_error_status(request: axum::extract::Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error answer is a few hundred bytes; the limit only guards against surprises.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = match error {
            AppError::TooManyAttempts { minutes } => Some(u64::from(minutes) * 60),
            AppError::Busy => Some(1),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// `GET /healthz`: 200 with the version and database status, 503 when the database is down.
async fn healthz(State(db): State<DatabaseConnection>) -> Response {
    let database_ok = db.ping().await.is_ok();
    let status = if database_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if database_ok { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "database": {
            "backend": backend_name(&db),
            "status": if database_ok { "ok" } else { "unavailable" },
        },
    });
    (status, Json(body)).into_response()
}

#[derive(Deserialize)]
struct LanguageForm {
    locale: String,
    return_to: Option<String>,
}

/// The fingerprint word list (see [`routes::WORD_LIST`]): cached for good, compressed by the
/// compression layer (62 KB of text, about 21 KB brotli).
async fn word_list() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, IMMUTABLE),
        ],
        app::crypto::fingerprint::EFF_WORDS,
    )
        .into_response()
}

/// The language menu's form target without JavaScript: remember the choice, go back.
async fn set_language(Form(form): Form<LanguageForm>) -> Response {
    let back = routes::local_or(form.return_to, routes::HOME);
    let mut response = Redirect::to(&back).into_response();
    if let Ok(locale) = form.locale.parse::<Locale>()
        && let Ok(value) = HeaderValue::from_str(&app::language_cookie(locale))
    {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
