#![allow(clippy::unwrap_used)]
//! The HTTP surface: `/healthz`, server-rendered pages in each language, the 404 page, the
//! no-JavaScript language switch, caching and compression of the bundle, the body limit.

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use server::http::{AppState, router};
use tower::ServiceExt;

fn options(site_root: &std::path::Path, hash_files: bool) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("provider-portal")
        .site_root(site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .hash_files(hash_files)
        .build()
}

fn app(db: &sea_orm::DatabaseConnection, site_root: &std::path::Path, hash_files: bool) -> Router {
    router(AppState {
        leptos_options: options(site_root, hash_files),
        db: db.clone(),
    })
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn get(uri: &str) -> axum::http::request::Builder {
    Request::builder().uri(uri)
}

#[tokio::test]
async fn healthz_reports_version_and_database() {
    let site = tempfile::tempdir().unwrap();
    for t in support::databases().await {
        let app = app(&t.db, site.path(), false);
        let (status, headers, body) =
            send(&app, get("/healthz").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{}", t.backend);
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["status"], "ok");
        assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(json["database"]["status"], "ok");
        assert_eq!(json["database"]["backend"], t.backend);

        // With the database gone, the server says so (503) instead of pretending.
        t.db.clone().close().await.unwrap();
        let (status, _, body) = send(&app, get("/healthz").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{}", t.backend);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["database"]["status"], "unavailable");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn pages_are_server_rendered_in_the_visitors_language() {
    let site = tempfile::tempdir().unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), false);

    // No preference: English.
    let (status, _, body) = send(&app, get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<html lang=\"en\""), "{body}");
    assert!(
        body.contains("Administer your clients&#x27; password managers")
            || body.contains("Administer your clients' password managers")
    );

    // Accept-Language picks a supported language.
    let (_, _, body) = send(
        &app,
        get("/")
            .header(header::ACCEPT_LANGUAGE, "sv-SE,sv;q=0.9,en;q=0.5")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(body.contains("<html lang=\"sv\""), "{body}");
    assert!(body.contains("Administrera dina kunders lösenordshanterare"));

    // The saved choice (cookie) wins over Accept-Language.
    let (_, _, body) = send(
        &app,
        get("/")
            .header(header::ACCEPT_LANGUAGE, "sv")
            .header(header::COOKIE, format!("{}=nl", app::LANGUAGE_COOKIE))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(body.contains("<html lang=\"nl\""), "{body}");
    assert!(body.contains("Beheer de wachtwoordbeheerders van je klanten"));

    // An unsupported language falls back to English.
    let (_, _, body) = send(
        &app,
        get("/")
            .header(header::ACCEPT_LANGUAGE, "de-DE")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(body.contains("<html lang=\"en\""));
    t.cleanup().await;
}

#[tokio::test]
async fn unknown_pages_get_a_translated_404() {
    let site = tempfile::tempdir().unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), false);
    let (status, _, body) = send(&app, get("/no/such/page").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Page not found"));
    let (status, _, body) = send(
        &app,
        get("/no/such/page")
            .header(header::COOKIE, format!("{}=fr", app::LANGUAGE_COOKIE))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Page introuvable"));
    t.cleanup().await;
}

fn language_form(body: &str) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri("/language")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn the_language_form_sets_the_cookie_and_returns_to_the_page() {
    let site = tempfile::tempdir().unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), false);

    let (status, headers, _) = send(
        &app,
        language_form("locale=nl&return_to=%2Fsome%2Fpage%3Fq%3D1"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/some/page?q=1");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("i18n_pref_locale=nl;"), "{cookie}");
    assert!(cookie.contains("Path=/") && cookie.contains("SameSite=Lax"));

    // No open redirect, and an unknown language changes nothing.
    let (status, headers, _) = send(
        &app,
        language_form("locale=xx&return_to=%2F%2Fevil.example%2F"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/");
    assert!(headers.get(header::SET_COOKIE).is_none());
    t.cleanup().await;
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let site = tempfile::tempdir().unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), false);
    let big = format!(
        "locale=nl&return_to=/{}",
        "a".repeat(server::http::BODY_LIMIT_BYTES + 1)
    );
    let (status, _, _) = send(&app, language_form(&big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    t.cleanup().await;
}

#[tokio::test]
async fn the_bundle_is_compressed_and_cached_for_a_year_when_hashed() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    let script = "export function hydrate() { /* a bundle */ }\n".repeat(200);
    std::fs::write(site.path().join("pkg/provider-portal.abc123.js"), &script).unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;

    let hashed = app(&t.db, site.path(), true);
    let request = || {
        get("/pkg/provider-portal.abc123.js")
            .header(header::ACCEPT_ENCODING, "br, gzip")
            .body(Body::empty())
            .unwrap()
    };
    let response = hashed.clone().oneshot(request()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let compressed = response.into_body().collect().await.unwrap().to_bytes();
    assert!(
        compressed.len() < script.len() / 10,
        "{} bytes",
        compressed.len()
    );

    // Without hashed names the browser must revalidate.
    let plain = app(&t.db, site.path(), false);
    let response = plain.oneshot(request()).await.unwrap();
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
    t.cleanup().await;
}
