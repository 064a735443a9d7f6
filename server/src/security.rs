//! Security middleware applied to every response and every state-changing request:
//! - headers: `X-Content-Type-Options`, `Referrer-Policy`, `X-Frame-Options`, COOP, a
//!   locked-down Content-Security-Policy for anything that is not a page (pages carry their own,
//!   with the per-response nonce of Leptos's inline hydration script, set by `app::shell`),
//!   `Cache-Control: no-store` on everything that does not set its own caching (pages and
//!   answers may hold a signed-in user's data; the bundle sets its own), and HSTS when the
//!   portal is served over HTTPS;
//! - CSRF defence in depth on top of `SameSite=Lax`: a POST, PUT, PATCH or DELETE must show
//!   where it comes from, by an `Origin` of this site or `Sec-Fetch-Site: same-origin`; a
//!   foreign origin, or neither header, is refused before any handler or server function runs;
//! - the request body limit, enforced here (inside the headers layer, so a 413 carries them
//!   too) for declared and chunked bodies alike.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

/// For JSON, files and errors: nothing may be loaded, nothing may frame it.
const CSP_NON_HTML: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Where the portal is reached, when the operator said so (`PUBLIC_URL`); otherwise the
/// request's own `Host` is the only accepted origin.
#[derive(Clone, Debug, Default)]
pub struct OriginPolicy {
    pub public_origin: Option<String>,
}

/// Two years, preloading not requested: the operator decides about their subdomains.
const HSTS: &str = "max-age=63072000";

impl OriginPolicy {
    fn accepts(&self, origin: &str, headers: &HeaderMap) -> bool {
        let origin = origin.trim_end_matches('/');
        if let Some(public) = &self.public_origin {
            return origin.eq_ignore_ascii_case(public.trim_end_matches('/'));
        }
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        origin.split_once("://").is_some_and(|(scheme, rest)| {
            matches!(scheme, "http" | "https") && rest.eq_ignore_ascii_case(host)
        })
    }
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

pub async fn check_origin(
    State(policy): State<OriginPolicy>,
    request: Request,
    next: Next,
) -> Response {
    if is_state_changing(request.method()) {
        let headers = request.headers();
        let foreign = match headers.get(header::ORIGIN).map(HeaderValue::to_str) {
            Some(Ok(origin)) => !policy.accepts(origin, headers),
            Some(Err(_)) => true,
            // Browsers send Origin on every POST; without it, their fetch metadata must say
            // same-origin. A write that says neither (a script, a stripped header) is refused.
            None => headers
                .get("sec-fetch-site")
                .is_none_or(|site| site.as_bytes() != b"same-origin"),
        };
        if foreign {
            tracing::warn!(method = %request.method(), uri = %request.uri(), "refused a cross-origin write");
            return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
        }
    }
    next.run(request).await
}

/// What every response carries; `hsts` when the portal is served over HTTPS.
#[derive(Clone, Copy, Debug, Default)]
pub struct HeaderPolicy {
    pub hsts: bool,
}

pub async fn security_headers(
    State(policy): State<HeaderPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if policy.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP_NON_HTML),
        );
    }
    response
}

/// How large a request body may be: `default` for every form and server function, `import`
/// for the import routes (`crate::import::ROUTES`), whose sealed items weigh megabytes.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimits {
    pub default: usize,
    pub import: usize,
}

impl BodyLimits {
    /// The limit for `path`, and whether it is an import route.
    fn for_path(self, path: &str) -> (usize, bool) {
        // Every request passes here: both import routes end as the personal one does, so
        // most requests are told apart by their ending alone.
        if !path.ends_with(app::vault::import::OWN_IMPORT) {
            return (self.default, false);
        }
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let import = crate::import::ROUTES.iter().any(|route| {
            let pattern: Vec<&str> = route.trim_matches('/').split('/').collect();
            pattern.len() == segments.len()
                && pattern.iter().zip(&segments).all(|(want, got)| {
                    want == got || (want.starts_with('{') && got.parse::<i64>().is_ok())
                })
        });
        if import {
            (self.import, true)
        } else {
            (self.default, false)
        }
    }
}

/// Refuses a body over its limit ([`BodyLimits`]) with 413, whether it declares its length or
/// comes in chunks. Small bodies are read here once and handed on whole; handlers never see a
/// partial one. An import's body is handed on unread, held to its limit as it streams: the
/// handler reads it only once the caller is authorized, so nobody without a session can make
/// the server hold 64 MiB.
pub async fn limit_body(
    State(limits): State<BodyLimits>,
    request: Request,
    next: Next,
) -> Response {
    let (limit, import) = limits.for_path(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let (parts, body) = request.into_parts();
    if import {
        let body = Body::new(http_body_util::Limited::new(body, limit));
        return next.run(Request::from_parts(parts, body)).await;
    }
    let bytes = match http_body_util::Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => {
            return StatusCode::PAYLOAD_TOO_LARGE.into_response();
        }
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
