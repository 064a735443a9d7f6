#![allow(clippy::unwrap_used)]
//! The HTTP surface: `/healthz`, server-rendered pages in each language, the 404 page, the
//! no-JavaScript language switch, caching and compression of the bundle, the body limit.

use crate::support;

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
    router(AppState::new(options(site_root, hash_files), db.clone()))
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

/// The tests of this file take turns. Rendering the 404 page while another test's runtime
/// rendered a page sometimes never finished (the render waited on something of the other
/// runtime; the cause, inside the rendering libraries, is not found yet). A server has one
/// runtime, where concurrent renders are fine (`concurrent_404s_on_one_runtime_all_answer`);
/// only tests run several. The test command runs each test in a process of its own
/// (cargo-nextest); the turns keep a plain `cargo test`, whose tests are threads of one
/// process, from meeting it here.
static RENDERS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

support::each_backend!(healthz_reports_version_and_database);
async fn healthz_reports_version_and_database(t: support::TestDb) {
    let _turn = RENDERS.lock().await;
    let site = tempfile::tempdir().unwrap();
    let app = app(&t.db, site.path(), false);
    let (status, headers, body) = send(&app, get("/healthz").body(Body::empty()).unwrap()).await;
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

#[tokio::test]
async fn pages_are_server_rendered_in_the_visitors_language() {
    let _turn = RENDERS.lock().await;
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
    let _turn = RENDERS.lock().await;
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
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn the_language_form_sets_the_cookie_and_returns_to_the_page() {
    let _turn = RENDERS.lock().await;
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
async fn the_fingerprint_word_list_is_served_compressed_and_cached_for_good() {
    let _turn = RENDERS.lock().await;
    let site = tempfile::tempdir().unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), false);
    let response = app
        .clone()
        .oneshot(
            get(app::routes::WORD_LIST)
                .header(header::ACCEPT_ENCODING, "br")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    assert!(
        response.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    // Uncompressed, it is the list the browser checks and makes phrases of.
    let (status, _, body) = send(
        &app,
        get(app::routes::WORD_LIST).body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let words = app::crypto::WordList::parse(&body).unwrap();
    let key = app::crypto::PrivateKey::generate().public_key();
    assert_eq!(key.fingerprint_in(&words, "7"), key.fingerprint("7"));
    t.cleanup().await;
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let _turn = RENDERS.lock().await;
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
    let _turn = RENDERS.lock().await;
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

#[tokio::test]
async fn the_release_builds_precompressed_files_are_sent_as_they_are() {
    let _turn = RENDERS.lock().await;
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    // What `cargo leptos build --precompress` leaves: the file and its two encoded forms
    // (marker bytes here, so only a file sent as it is can match them).
    std::fs::write(pkg.join("chunk.abc.wasm"), vec![7u8; 4096]).unwrap();
    std::fs::write(pkg.join("chunk.abc.wasm.br"), b"brotli form").unwrap();
    std::fs::write(pkg.join("chunk.abc.wasm.gz"), b"gzip form").unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), true);
    let fetch = |accept: &'static str| {
        let app = app.clone();
        async move {
            let response = app
                .oneshot(
                    get("/pkg/chunk.abc.wasm")
                        .header(header::ACCEPT_ENCODING, accept)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let encoding = response
                .headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap().to_owned());
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (encoding, body)
        }
    };
    let (encoding, body) = fetch("br, gzip").await;
    assert_eq!(encoding.as_deref(), Some("br"));
    assert_eq!(
        &body[..],
        b"brotli form",
        "the .br file, not compressed again"
    );
    let (encoding, body) = fetch("gzip").await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(&body[..], b"gzip form");
    let (encoding, body) = fetch("identity").await;
    assert_eq!(encoding, None);
    assert_eq!(body.len(), 4096);
    t.cleanup().await;
}

#[tokio::test]
async fn the_strength_module_is_served_beside_the_bundle_and_revalidated() {
    let _turn = RENDERS.lock().await;
    let site = tempfile::tempdir().unwrap();
    // Beside the site root (`target/strength` for `target/site`): cargo-leptos empties the
    // site root at every build.
    let dir = site.path().join("strength");
    std::fs::create_dir_all(&dir).unwrap();
    // What .ci/strength-module leaves: the module's files under their own names, each with its
    // brotli form.
    std::fs::write(dir.join("portal_strength_bg.wasm"), vec![7u8; 4096]).unwrap();
    std::fs::write(dir.join("portal_strength_bg.wasm.br"), b"brotli form").unwrap();
    std::fs::write(dir.join("portal_strength.js"), "export default 1;\n").unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    // Hashed names for the bundle; the module's names are stable, so it is never cached for
    // a year: a new release's module reaches every browser at its next import.
    let site_root = site.path().join("site");
    let state = AppState::new(options(&site_root, true), t.db.clone());
    assert_eq!(state.strength_dir, dir);
    let app = router(state);
    let response = app
        .clone()
        .oneshot(
            get("/strength/portal_strength_bg.wasm")
                .header(header::ACCEPT_ENCODING, "br")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    assert!(response.headers().contains_key(header::LAST_MODIFIED));
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"brotli form");

    let response = app
        .oneshot(
            get(app::routes::STRENGTH_MODULE)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    t.cleanup().await;
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_and_everything_carries_security_headers() {
    let _turn = RENDERS.lock().await;
    let site = tempfile::tempdir().unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), false);

    let (_, headers, body) = send(&app, get("/").body(Body::empty()).unwrap()).await;
    let csp = headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    assert!(nonce.len() >= 16, "{csp}");
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    for directive in [
        "'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");

    // A new nonce for every response.
    let (_, again, _) = send(&app, get("/").body(Body::empty()).unwrap()).await;
    assert_ne!(
        again[header::CONTENT_SECURITY_POLICY],
        headers[header::CONTENT_SECURITY_POLICY]
    );

    for uri in ["/", "/healthz", "/no/such/page"] {
        let (_, headers, _) = send(&app, get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(headers[header::REFERRER_POLICY], "same-origin", "{uri}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
        assert!(
            headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{uri}"
        );
    }
    let (_, headers, _) = send(&app, get("/healthz").body(Body::empty()).unwrap()).await;
    assert!(
        headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'")
    );
    t.cleanup().await;
}

#[tokio::test]
async fn writes_from_a_foreign_origin_are_refused() {
    let _turn = RENDERS.lock().await;
    let site = tempfile::tempdir().unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), false);
    let write = |origin: Option<&str>, fetch_site: Option<&str>| {
        let mut request = Request::builder()
            .method("POST")
            .uri("/language")
            .header(header::HOST, "portal.test:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if let Some(site) = fetch_site {
            request = request.header("sec-fetch-site", site);
        }
        request.body(Body::from("locale=nl&return_to=%2F")).unwrap()
    };
    let (status, headers, _) = send(&app, write(Some("https://evil.example"), None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        headers.get(header::SET_COOKIE).is_none(),
        "refused: nothing changed"
    );
    let (status, _, _) = send(&app, write(Some("http://portal.test:3001"), None)).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "another port is another origin"
    );
    let (status, _, _) = send(&app, write(None, Some("cross-site"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(&app, write(Some("null"), None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, _, _) = send(
        &app,
        write(Some("http://portal.test:3000"), Some("same-origin")),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // A write that says neither where it comes from (a script, a stripped header) is
    // refused, and changes nothing (no language cookie).
    let (status, headers, _) = send(&app, write(None, None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a write without Origin");
    assert!(headers.get(header::SET_COOKIE).is_none());
    let (status, _, _) = send(&app, write(None, Some("same-site"))).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a sibling subdomain is not this site"
    );
    let (status, _, _) = send(&app, write(None, Some("same-origin"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "fetch metadata of this site");

    // With PUBLIC_URL configured, only that origin is accepted, whatever the Host says.
    let mut state = AppState::new(options(site.path(), false), t.db.clone());
    state.origin_policy.public_origin = Some("https://portal.example.com".into());
    let pinned = router(state);
    let (status, _, _) = send(&pinned, write(Some("http://portal.test:3000"), None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(&pinned, write(Some("https://portal.example.com"), None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    t.cleanup().await;
}

/// Registers Ann Admin and signs her in through the service: her session cookie.
async fn ann_signed_in(db: &sea_orm::DatabaseConnection) -> String {
    use app::accounts::service::{self, AuthConfig, RegisterInput, SignIn};
    let now = chrono::Utc::now();
    let input = RegisterInput {
        email: "ann@example.com".into(),
        name: "Ann Admin".into(),
        password: "correct horse battery staple".into(),
        password_confirm: "correct horse battery staple".into(),
        locale: "en".into(),
    };
    service::register(db, input, now).await.unwrap();
    let SignIn::Session(token) = service::sign_in(
        db,
        &AuthConfig::default(),
        "ann@example.com",
        support::login_hash("ann@example.com", "correct horse battery staple"),
        &app::accounts::session::ClientInfo::default(),
        now,
    )
    .await
    .unwrap() else {
        panic!("no second factor")
    };
    format!("portal_session={token}")
}

#[tokio::test]
async fn the_404_page_knows_the_signed_in_user() {
    let _turn = RENDERS.lock().await;
    let site = tempfile::tempdir().unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), false);
    let cookie = ann_signed_in(&t.db).await;
    for uri in ["/", "/no/such/page"] {
        let request = get(uri)
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap();
        let (_, _, body) = send(&app, request).await;
        assert!(
            body.contains("Ann Admin"),
            "{uri}: the top bar shows the user"
        );
    }
    let (_, _, body) = send(&app, get("/").body(Body::empty()).unwrap()).await;
    assert!(
        !body.contains("Ann Admin") && body.contains("/sign-in"),
        "visitors get the way in"
    );
    t.cleanup().await;
}

/// Every account server function that acts on a signed-in user, with a valid body.
const SIGNED_IN_ENDPOINTS: [(&str, &str); 13] = [
    ("/api/accounts/sign-out-everywhere", ""),
    (
        "/api/accounts/change-password",
        r#"{"current_login_hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","new":{"kdf":{"kind":"pbkdf2","iterations":600000},"login_hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","user_key":"2.2NokAMS6llUxk26oueMqrA==|6k0QD71SJLy2WEBDkV4esiTrgkP/z7eoSedSesGLGYE=|PE4sb0jpAwZW+tnyPuW43eeWvSxjvdw3xMJlPGbDlYI="}}"#,
    ),
    ("/api/accounts/keys", ""),
    ("/api/accounts/details", ""),
    ("/api/accounts/update-name", "name=Mallory"),
    ("/api/accounts/set-theme", "theme=dark"),
    ("/api/accounts/set-lock-timeout", "minutes=5"),
    (
        "/api/accounts/change-email",
        "email=mallory%40example.com&current_login_hash=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D",
    ),
    ("/api/accounts/end-session", "session=1"),
    ("/api/accounts/begin-two-step", ""),
    ("/api/accounts/send-verification", ""),
    (
        "/api/accounts/enable-two-step",
        "secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&code=123456&current_login_hash=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D",
    ),
    (
        "/api/accounts/disable-two-step",
        "current_login_hash=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D",
    ),
];

/// Keys as a browser makes them for a registration (for bodies that must decode).
fn registration_keys() -> app::crypto::AccountKeys {
    app::crypto::account::new_account(
        "correct horse battery staple",
        "ann@example.com",
        app::crypto::Kdf::default(),
    )
    .unwrap()
}

fn server_fn_call(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let content_type = support::content_type_of(body);
    let mut request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body.to_owned())).unwrap()
}

async fn snapshot(db: &sea_orm::DatabaseConnection) -> (Vec<app::db::users::Model>, u64) {
    use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
    let users = app::db::users::Entity::find()
        .order_by_asc(app::db::users::Column::Id)
        .all(db)
        .await
        .unwrap();
    let sessions = app::db::sessions::Entity::find().count(db).await.unwrap();
    (users, sessions)
}

support::each_backend!(account_server_functions_refuse_visitors_and_half_signed_in_callers);
async fn account_server_functions_refuse_visitors_and_half_signed_in_callers(t: support::TestDb) {
    let _turn = RENDERS.lock().await;
    use app::accounts::service::{self, AuthConfig, RegisterInput, SignIn};
    use app::accounts::session::ClientInfo;
    use sea_orm::EntityTrait;
    let site = tempfile::tempdir().unwrap();
    let app = app(&t.db, site.path(), false);
    let password = "correct horse battery staple";
    let now = chrono::Utc::now();
    service::register(
        &t.db,
        RegisterInput {
            email: "ann@example.com".into(),
            name: "Ann".into(),
            password: password.into(),
            password_confirm: password.into(),
            locale: "en".into(),
        },
        now,
    )
    .await
    .unwrap();
    // A caller who gave the password but not yet the TOTP code holds a pending session.
    app::db::users::Entity::update_many()
        .col_expr(
            app::db::users::Column::TotpSecret,
            sea_orm::sea_query::Expr::value("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
        )
        .exec(&t.db)
        .await
        .unwrap();
    let config = AuthConfig::default();
    let SignIn::SecondFactorRequired(pending) = service::sign_in(
        &t.db,
        &config,
        "ann@example.com",
        support::login_hash("ann@example.com", password),
        &ClientInfo::default(),
        now,
    )
    .await
    .unwrap() else {
        panic!("expected the second step");
    };
    let before = snapshot(&t.db).await;
    let pending_cookie = format!("portal_session={pending}");
    for cookie in [
        None,
        Some("portal_session=forged"),
        Some(pending_cookie.as_str()),
    ] {
        for (path, body) in SIGNED_IN_ENDPOINTS {
            let (status, _, answer) = send(&app, server_fn_call(path, body, cookie)).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{path} with {cookie:?} ({})",
                t.backend
            );
            assert!(
                answer.contains("Unauthenticated"),
                "{path} with {cookie:?}: {answer}"
            );
            assert_eq!(snapshot(&t.db).await, before, "{path}: nothing changed");
        }
    }
    // The second step itself refuses callers without a pending session.
    for cookie in [None, Some("portal_session=forged")] {
        let (status, _, answer) = send(
            &app,
            server_fn_call("/api/accounts/two-step-sign-in", "code=123456", cookie),
        )
        .await;
        assert!(answer.contains("Unauthenticated"), "{answer}");
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(snapshot(&t.db).await, before);

    // Each kind of error answers with its own status; throttling says when to come back.
    let (status, _, answer) = send(
        &app,
        server_fn_call(
            "/api/accounts/register",
            &serde_json::json!({
                "email": "not-an-email",
                "name": "X",
                "locale": "en",
                "keys": registration_keys(),
            })
            .to_string(),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer.contains("Invalid"), "{answer}");
    let wrong = &format!(
        "email=ann%40example.com&login_hash={}",
        support::login_hash_form("ann@example.com", "wrong wrong wrong")
    );
    let mut last = (StatusCode::OK, axum::http::HeaderMap::new(), String::new());
    for _ in 0..=config.throttle.free_per_pair {
        last = send(&app, server_fn_call("/api/accounts/sign-in", wrong, None)).await;
    }
    let (status, headers, answer) = last;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{answer}");
    let retry: u64 = headers[axum::http::header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((60..=15 * 60).contains(&retry), "{retry}");
    let (status, _, _) = send(
        &app,
        server_fn_call("/api/accounts/sign-in", "password=x", None),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a malformed call");
    t.cleanup().await;
}

/// Many visitors opening unknown addresses at once, on one server: every one is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_404s_on_one_runtime_all_answer() {
    let _turn = RENDERS.lock().await;
    let site = tempfile::tempdir().unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), false);
    let mut answers = Vec::new();
    for _ in 0..64 {
        let app = app.clone();
        answers.push(tokio::spawn(async move {
            send(&app, get("/no/such/page").body(Body::empty()).unwrap())
                .await
                .0
        }));
    }
    for answer in answers {
        let status = tokio::time::timeout(std::time::Duration::from_secs(30), answer)
            .await
            .expect("every 404 is answered")
            .unwrap();
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    t.cleanup().await;
}

/// Issue 19: the theme an account chose is rendered into every page's `<html>` by the server
/// (no flash of the other theme while the bundle loads); visitors follow their system.
#[tokio::test]
async fn the_accounts_theme_is_rendered_into_the_page() {
    let _turn = RENDERS.lock().await;
    let site = tempfile::tempdir().unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), false);
    let cookie = ann_signed_in(&t.db).await;
    let html_tag = |body: &str| {
        let start = body.find("<html").unwrap();
        body[start..start + body[start..].find('>').unwrap()].to_owned()
    };
    let page = |cookie: Option<String>| {
        let mut request = get("/account");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::empty()).unwrap()
    };
    let (_, _, body) = send(&app, page(Some(cookie.clone()))).await;
    assert!(
        !html_tag(&body).contains("data-theme"),
        "{}",
        html_tag(&body)
    );

    let (status, _, answer) = send(
        &app,
        server_fn_call("/api/accounts/set-theme", "theme=dark", Some(&cookie)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (_, _, body) = send(&app, page(Some(cookie.clone()))).await;
    assert!(
        html_tag(&body).contains(r#"data-theme="dark""#),
        "{}",
        html_tag(&body)
    );
    // Not another visitor's page.
    let (_, _, body) = send(&app, page(None)).await;
    assert!(
        !html_tag(&body).contains("data-theme"),
        "{}",
        html_tag(&body)
    );

    // A value the menu never sends is refused and changes nothing.
    let (status, _, _) = send(
        &app,
        server_fn_call("/api/accounts/set-theme", "theme=neon", Some(&cookie)),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, _, body) = send(&app, page(Some(cookie.clone()))).await;
    assert!(html_tag(&body).contains(r#"data-theme="dark""#));

    // Back to the system's.
    send(
        &app,
        server_fn_call("/api/accounts/set-theme", "theme=system", Some(&cookie)),
    )
    .await;
    let (_, _, body) = send(&app, page(Some(cookie))).await;
    assert!(
        !html_tag(&body).contains("data-theme"),
        "{}",
        html_tag(&body)
    );
    t.cleanup().await;
}

/// Issue 18: a split build's page names its own chunks as preloads, in every answer, however the
/// runtime schedules the render (Leptos's built-in emission lost them when the request resumed on
/// another worker thread; CI caught it once in a browser run). The manifest is the one
/// `cargo leptos build --split` writes: page name → the chunks that page needs. Leptos reads it
/// once per process, so this relies on the test command's one process per test (cargo-nextest).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_split_pages_answer_preloads_its_chunks_every_time() {
    let _turn = RENDERS.lock().await;
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(
        site.path().join("pkg/__wasm_split_manifest.json"),
        r#"{"SIGN_IN": ["split_SIGN_IN.0a1b", "chunk_7.2c3d"], "HOME": ["split_HOME.4e5f"]}"#,
    )
    .unwrap();
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = app(&t.db, site.path(), false);
    let mut answers = Vec::new();
    for _ in 0..24 {
        let app = app.clone();
        answers.push(tokio::spawn(async move {
            send(&app, get("/sign-in").body(Body::empty()).unwrap()).await
        }));
    }
    for answer in answers {
        let (status, _, body) = answer.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        let head = &body[..body.find("</head>").expect("a head")];
        for chunk in ["split_SIGN_IN.0a1b", "chunk_7.2c3d"] {
            assert!(
                head.contains(&format!(r#"href="/pkg/{chunk}.wasm""#)),
                "{chunk} is preloaded: {head}"
            );
        }
        assert!(
            !head.contains("split_HOME"),
            "only this page's chunks: {head}"
        );
        assert_eq!(
            head.matches(r#"href="/pkg/__wasm_split."#).count(),
            1,
            "the chunk loader is preloaded once: {head}"
        );
    }
    t.cleanup().await;
}
