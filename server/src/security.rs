//! Security middleware applied to every response and every state-changing request:
//! - headers: `X-Content-Type-Options`, `Referrer-Policy`, `X-Frame-Options`, COOP, and a
//!   locked-down Content-Security-Policy for anything that is not a page (pages carry their own,
//!   with the per-response nonce of Leptos's inline hydration script, set by `app::shell`);
//! - CSRF defence in depth on top of `SameSite=Lax`: a POST, PUT, PATCH or DELETE whose
//!   `Origin` (or, without one, `Sec-Fetch-Site`) names another site is refused before any
//!   handler or server function runs.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// For JSON, files and errors: nothing may be loaded, nothing may frame it.
const CSP_NON_HTML: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Where the portal is reached, when the operator said so (`PUBLIC_URL`); otherwise the
/// request's own `Host` is the only accepted origin.
#[derive(Clone, Debug, Default)]
pub struct OriginPolicy {
    pub public_origin: Option<String>,
}

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
            // Browsers send Origin on every POST; without it, trust their fetch metadata.
            None => headers
                .get("sec-fetch-site")
                .is_some_and(|site| site.as_bytes() == b"cross-site"),
        };
        if foreign {
            tracing::warn!(method = %request.method(), uri = %request.uri(), "refused a cross-origin write");
            return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
        }
    }
    next.run(request).await
}

pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
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
