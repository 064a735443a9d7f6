#![allow(clippy::unwrap_used)]
//! Issue 16, the security pass: each finding reproduced by a test that failed before its fix.
//! Redirect targets, the two-step secret, headers on every answer (413 included), generic
//! answers to malformed calls, control characters in names, refused pages' statuses, the
//! console-access event, the forwarded client address behind a trusted proxy, event exports
//! that hold no connection for slow readers and abort on failure, writers re-checked after
//! their lock, invoices that keep their addressee, mail to many addresses side by side, and
//! removal notices only for those who had access. SQLite and PostgreSQL.

use crate::support;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use app::db::{events, provider_users, users};
use app::events::types::EventType;
use support::{
    events_of, get_path, post_form, provider, provider_member, router_for, send, session_cookie,
    user,
};

const PASSWORD: &str = "correct horse battery staple";

fn state(db: &sea_orm::DatabaseConnection) -> server::http::AppState {
    let options = leptos::config::LeptosOptions::builder()
        .output_name("provider-portal")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    server::http::AppState::new(options, db.clone())
}

fn header_of<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

async fn registered(db: &impl ConnectionTrait, email: &str) -> app::ids::UserId {
    app::accounts::service::register(
        db,
        app::accounts::service::RegisterInput {
            email: email.into(),
            name: "Ann".into(),
            password: PASSWORD.into(),
            password_confirm: PASSWORD.into(),
            locale: "en".into(),
        },
        Utc::now(),
    )
    .await
    .unwrap()
}

/// Finding 4: `/\t/evil.example` left the site and a newline panicked inside the redirect.
#[tokio::test]
async fn redirects_stay_on_the_site_and_never_panic() {
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let app = router_for(&t.db);
    registered(&t.db, "ann@example.com").await;
    for target in [
        "%2F%09%2Fevil.example",
        "%2F%0A%2Fevil.example",
        "%2Fa%0D%0ASet-Cookie%3A+x%3Dy",
        "%2F%5Cevil.example",
    ] {
        let request = Request::builder()
            .method("POST")
            .uri("/language")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(format!("locale=nl&return_to={target}")))
            .unwrap();
        let (status, headers, _) = send(&app, request).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{target}");
        assert_eq!(header_of(&headers, "location"), Some("/"), "{target}");
        // A form posted without the bundle (no JSON asked for) is redirected by the server.
        let request = Request::builder()
            .method("POST")
            .uri("/api/accounts/sign-in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(format!(
                "email=ann%40example.com&login_hash={}&redirect_to={target}",
                support::login_hash_form("ann@example.com", PASSWORD)
            )))
            .unwrap();
        let (status, headers, body) = send(&app, request).await;
        assert!(status.is_redirection(), "{target}: {status} {body}");
        assert_eq!(header_of(&headers, "location"), Some("/"), "{target}");
    }
    t.cleanup().await;
}

support::each_backend!(the_two_step_secret_stays_on_the_server);
/// Finding 6: the secret came back from the browser; an 80-bit one answered 500 and an
/// all-zero one was accepted. Now it stays on the server; bad codes answer 422.
async fn the_two_step_secret_stays_on_the_server(t: support::TestDb) {
    let db = &t.db;
    let app = router_for(db);
    let ann = registered(db, "ann@example.com").await;
    let cookie = session_cookie(db, ann).await;
    let password = support::login_hash_form("ann@example.com", PASSWORD);
    for secret in ["JBSWY3DPEHPK3PXP", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
        let (status, answer) = post_form(
            &app,
            "/api/accounts/enable-two-step",
            &format!("secret={secret}&code=000000&current_login_hash={password}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{}: {answer}", t.backend);
        assert!(answer.contains("TwoStepSetupExpired"), "{answer}");
    }
    let (status, answer) = post_form(&app, "/api/accounts/begin-two-step", "", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let pending = users::Entity::find_by_id(ann.0)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .totp_pending_secret
        .expect("kept on the server");
    assert!(
        answer.contains(&pending),
        "the page shows it to be typed or scanned"
    );
    let code = totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        0,
        30,
        totp_rs::Secret::Encoded(pending.clone())
            .to_bytes()
            .unwrap(),
        None,
        "x".into(),
    )
    .unwrap()
    .generate_current()
    .unwrap();
    let wrong = if code == "123456" { "654321" } else { "123456" };
    let (status, answer) = post_form(
        &app,
        "/api/accounts/enable-two-step",
        &format!("code={wrong}&current_login_hash={password}"),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let (status, answer) = post_form(
        &app,
        "/api/accounts/enable-two-step",
        &format!("secret=AAAAAAAAAAAAAAAA&code={code}&current_login_hash={password}"),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let stored = users::Entity::find_by_id(ann.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.totp_secret.as_deref(),
        Some(pending.as_str()),
        "the server's secret, not the one sent"
    );
    assert!(stored.totp_pending_secret.is_none());
    t.cleanup().await;
}

/// Finding 7: no `Cache-Control: no-store` on signed-in pages and answers, no HSTS, and the
/// 413 without the security headers. Finding 10: an oversized chunked upload answers 413.
#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let ann = registered(&t.db, "ann@example.com").await;
    let cookie = session_cookie(&t.db, ann).await;
    let mut state = state(&t.db);
    state.header_policy.hsts = true;
    let app = server::http::router(state);
    let check = |what: &str, headers: &[(String, String)]| {
        assert_eq!(
            header_of(headers, "x-content-type-options"),
            Some("nosniff"),
            "{what}"
        );
        assert!(
            header_of(headers, "strict-transport-security")
                .is_some_and(|v| v.starts_with("max-age=")),
            "{what}"
        );
        assert!(
            header_of(headers, "content-security-policy").is_some(),
            "{what}"
        );
    };
    let (status, headers, _) = get_path(&app, "/account", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    check("page", &headers);
    assert_eq!(
        header_of(&headers, "cache-control"),
        Some("no-store"),
        "a signed-in page"
    );
    let request = Request::builder()
        .method("POST")
        .uri("/api/accounts/details")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send(&app, request).await;
    assert_eq!(status, StatusCode::OK);
    check("answer", &headers);
    assert_eq!(
        header_of(&headers, "cache-control"),
        Some("no-store"),
        "an answer"
    );
    // Too large, declared or chunked: 413, with the headers.
    let declared = Request::builder()
        .method("POST")
        .uri("/language")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(format!(
            "locale=nl&return_to=/{}",
            "a".repeat(server::http::BODY_LIMIT_BYTES)
        )))
        .unwrap();
    let (status, headers, _) = send(&app, declared).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    check("413", &headers);
    let chunks =
        (0..100).map(|_| Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![b'a'; 1024])));
    let chunked = Request::builder()
        .method("POST")
        .uri("/api/accounts/update-name")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    let (status, headers, _) = send(&app, chunked).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "a chunked upload");
    check("chunked 413", &headers);
    let name = users::Entity::find_by_id(ann.0)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap()
        .name;
    assert_eq!(name, "Ann", "nothing changed");
    t.cleanup().await;
}

support::each_backend!(malformed_calls_and_control_characters_get_plain_answers);
/// Finding 10: a malformed call's answer described the parser; a name could hold NUL or line
/// breaks.
async fn malformed_calls_and_control_characters_get_plain_answers(t: support::TestDb) {
    let app = router_for(&t.db);
    let ann = registered(&t.db, "ann@example.com").await;
    let cookie = session_cookie(&t.db, ann).await;
    let (status, answer) = post_form(&app, "/api/accounts/sign-in", "password=x", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer, "\"BadRequest\"",
        "{}: nothing about the parser",
        t.backend
    );
    for name in ["Ann%00", "Ann%0AAdmin", "An%0Dn", "A%09nn"] {
        let (status, answer) = post_form(
            &app,
            "/api/accounts/update-name",
            &format!("name={name}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {answer}");
        assert!(answer.contains("ControlCharacters"), "{answer}");
    }
    let stored = users::Entity::find_by_id(ann.0)
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.name, "Ann");
    t.cleanup().await;
}

support::each_backend!(refused_pages_answer_with_their_status);
/// Finding 10: refused pages answered 200 with a message; a signed-out visitor stayed on a
/// "please sign in" box instead of being sent to sign in and back.
async fn refused_pages_answer_with_their_status(t: support::TestDb) {
    let db = &t.db;
    let app = router_for(db);
    user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let stranger = user(db, "stranger@example.com").await;
    let cookie = session_cookie(db, stranger).await;
    let clients = app::routes::provider_clients(p);
    let (status, _, body) = get_path(&app, &clients, Some(&cookie)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{}: {body}", t.backend);
    assert!(body.contains("You don't have access to this."));
    let (status, headers, _) = get_path(&app, &clients, None).await;
    assert_eq!(status, StatusCode::FOUND, "{}", t.backend);
    assert_eq!(
        header_of(&headers, "location"),
        Some(
            format!(
                "/sign-in?redirect_to={}",
                app::routes::encode_query(&clients)
            )
            .as_str()
        )
    );
    let (status, _, _) = get_path(&app, "/organizations/999999/members", Some(&cookie)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    t.cleanup().await;
}

support::each_backend!(opening_a_console_is_recorded_by_its_post_not_by_a_get);
/// Finding 10: a bare GET of a client's console (a prefetch could send one) recorded the
/// provider user's access; now the console's POST does, once.
async fn opening_a_console_is_recorded_by_its_post_not_by_a_get(t: support::TestDb) {
    let db = &t.db;
    let app = router_for(db);
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let service = user(db, "service@msp.example").await;
    provider_member(
        db,
        p,
        Some(service),
        "service@msp.example",
        "service_user",
        "confirmed",
    )
    .await;
    let client = support::witnessed::clients::create(
        db,
        p,
        app::clients::types::NewClientForm {
            name: "Client One".into(),
            plan: "teams".into(),
            seats: "5".into(),
            owner_email: "boss@client.example".into(),
        }
        .read()
        .unwrap(),
        &support::context(&support::actor(db, admin).await),
    )
    .await
    .unwrap();
    let cookie = session_cookie(db, service).await;
    for path in [
        app::routes::organization_console(client),
        app::routes::organization_members(client),
    ] {
        let (status, _, _) = get_path(&app, &path, Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
    assert_eq!(
        events_of(db, EventType::ProviderClientAccessed).await,
        0,
        "{}",
        t.backend
    );
    for _ in 0..2 {
        let (status, answer) = post_form(
            &app,
            "/api/organizations/visit",
            &format!("organization={client}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    assert_eq!(events_of(db, EventType::ProviderClientAccessed).await, 1);
    // Someone who may not open the console records nothing.
    let stranger = user(db, "stranger@example.com").await;
    let (status, _) = post_form(
        &app,
        "/api/organizations/visit",
        &format!("organization={client}"),
        Some(&session_cookie(db, stranger).await),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(events_of(db, EventType::ProviderClientAccessed).await, 1);
    t.cleanup().await;
}

fn sign_in_from(peer: &str, forwarded: Option<&str>) -> Request<Body> {
    let body = |password: &str| {
        format!(
            "email=ann%40example.com&login_hash={}",
            support::login_hash_form("ann@example.com", password)
        )
    };
    let (password, forwarded) = match forwarded {
        Some(f) if f.starts_with("right:") => (PASSWORD, Some(&f[6..])),
        other => ("wrong password!", other),
    };
    let mut request = Request::builder()
        .method("POST")
        .uri("/api/accounts/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin");
    if let Some(forwarded) = forwarded {
        request = request.header("x-forwarded-for", forwarded);
    }
    let mut request = request.body(Body::from(body(password))).unwrap();
    let peer: SocketAddr = peer.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

support::each_backend!(behind_a_trusted_proxy_the_forwarded_address_is_the_client);
/// Finding 3: behind a reverse proxy every client had the proxy's address. With
/// `TRUSTED_PROXIES`, the proxy's `X-Forwarded-For` names the client; without it the header
/// is ignored (anyone could write it).
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client(t: support::TestDb) {
    let db = &t.db;
    registered(db, "ann@example.com").await;
    let mut trusting = state(db);
    trusting.trusted_proxies =
        std::sync::Arc::from(vec!["127.0.0.1/32".parse::<ipnet::IpNet>().unwrap()]);
    let trusting = server::http::router(trusting);
    let plain = router_for(db);
    for _ in 0..5 {
        let (status, _, _) = send(
            &trusting,
            sign_in_from("127.0.0.1:4000", Some("203.0.113.1")),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _, _) = send(
        &trusting,
        sign_in_from("127.0.0.1:4000", Some("203.0.113.1")),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}: that client waits",
        t.backend
    );
    let (status, _, answer) = send(
        &trusting,
        sign_in_from("127.0.0.1:4000", Some("right:203.0.113.2")),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}: another client behind the proxy: {answer}",
        t.backend
    );
    let session = app::db::sessions::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        session.ip.as_deref(),
        Some("203.0.113.2"),
        "the client's address is recorded"
    );
    // Untrusted, the header counts for nothing: these all come from 127.0.0.1.
    for _ in 0..5 {
        send(&plain, sign_in_from("127.0.0.1:4000", Some("198.51.100.1"))).await;
    }
    let (status, _, _) = send(
        &plain,
        sign_in_from("127.0.0.1:4000", Some("right:198.51.100.2")),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}: a forged header helps nobody",
        t.backend
    );
    t.cleanup().await;
}

/// Ten thousand events of a provider, inserted in a few statements.
async fn many_events(db: &impl ConnectionTrait, provider: app::ids::ProviderId, count: usize) {
    let now = Utc::now();
    for batch in 0..count.div_ceil(500) {
        let rows = (0..500.min(count - batch * 500)).map(|i| events::ActiveModel {
            at: Set(now - chrono::Duration::seconds((batch * 500 + i) as i64)),
            r#type: Set(EventType::ProviderUpdated.code()),
            provider_id: Set(Some(provider.0)),
            ..Default::default()
        });
        events::Entity::insert_many(rows).exec(db).await.unwrap();
    }
}

fn connections_in_use(db: &sea_orm::DatabaseConnection) -> u32 {
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            pool.size() - u32::try_from(pool.num_idle()).unwrap()
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            pool.size() - u32::try_from(pool.num_idle()).unwrap()
        }
    }
}

support::each_backend!(slow_export_readers_hold_no_connection);
/// From the notes: an export held a pool connection as long as a slow reader read, and any
/// number ran at once. Now it reads in keyset batches (no connection held while the reader
/// waits), a few run at once per instance, and the rest are told to come back.
async fn slow_export_readers_hold_no_connection(t: support::TestDb) {
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    many_events(db, p, 10_000).await;
    let app = router_for(db);
    let cookie = session_cookie(db, admin).await;
    let export = format!("/providers/{p}/manage/events/export.csv");
    let request = || {
        Request::builder()
            .uri(&export)
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap()
    };
    // Four downloads that nobody reads.
    let mut stalled = Vec::new();
    for _ in 0..4 {
        let response = tower::ServiceExt::oneshot(app.clone(), request())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        stalled.push(response);
    }
    // Once each has filled its channel and waits for its reader, none holds a connection.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while connections_in_use(db) > 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        connections_in_use(db),
        0,
        "{}: a stalled export holds a connection",
        t.backend
    );
    let (status, headers, _) = send(&app, request()).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}: a fifth at once",
        t.backend
    );
    assert!(header_of(&headers, "retry-after").is_some());
    let (status, _, _) = get_path(&app, "/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    // Read whole, each is complete: the header and every event.
    let first = stalled.remove(0);
    let body = http_body_util::BodyExt::collect(first.into_body())
        .await
        .unwrap()
        .to_bytes();
    let logged = events::Entity::find()
        .filter(events::Column::ProviderId.eq(p.0))
        .count(db)
        .await
        .unwrap();
    assert!(logged > 10_000);
    let lines = body.iter().filter(|b| **b == b'\n').count() as u64;
    assert_eq!(lines, 1 + logged, "{}", t.backend);
    drop(stalled);
    t.cleanup().await;
}

support::each_backend!(an_export_that_fails_midway_is_cut_off);
/// From the notes: an export that failed midway ended the file early with 200, as if it were
/// complete. Now the download is cut, so the browser reports it failed.
async fn an_export_that_fails_midway_is_cut_off(t: support::TestDb) {
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    many_events(db, p, 10_000).await;
    let app = router_for(db);
    let cookie = session_cookie(db, admin).await;
    let request = Request::builder()
        .uri(format!("/providers/{p}/manage/events/export.csv"))
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.clone(), request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let first = http_body_util::BodyExt::frame(&mut body)
        .await
        .unwrap()
        .unwrap();
    assert!(first.is_data());
    // The table goes away while the export is between batches.
    let dropped = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        db.execute_unprepared("DROP TABLE events"),
    )
    .await;
    assert!(
        matches!(dropped, Ok(Ok(_))),
        "{}: the export held the table: {dropped:?}",
        t.backend
    );
    let rest = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        http_body_util::BodyExt::collect(body),
    )
    .await
    .expect("the download ends");
    assert!(
        rest.is_err(),
        "{}: the download ended as if complete",
        t.backend
    );
    t.cleanup().await;
}

/// Runs `write` while another connection holds the provider's lock, and demotes `user` to
/// Service User in that transaction before letting go: the write waits, then meets the
/// demotion. Returns what the write returned.
async fn demoted_while_waiting<T: Send + 'static>(
    second: &sea_orm::DatabaseConnection,
    provider: app::ids::ProviderId,
    user: app::ids::UserId,
    write: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    let txn = app::db::begin_write(second).await.unwrap();
    app::db::lock::provider(&txn, provider).await.unwrap();
    let waiting = tokio::spawn(write);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    provider_users::Entity::update_many()
        .col_expr(
            provider_users::Column::Type,
            sea_orm::sea_query::Expr::value("service_user"),
        )
        .filter(provider_users::Column::UserId.eq(user.0))
        .exec(&txn)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    waiting.await.unwrap()
}

support::each_backend!(a_writer_demoted_while_it_waited_is_refused);
/// From the notes: an admin demoted while its request waited for the provider's lock went on
/// with the rights it no longer had. Now the writer checks again after the lock: writes that
/// hold the actor (member removal) and writes that know it by their event context (settings).
async fn a_writer_demoted_while_it_waited_is_refused(t: support::TestDb) {
    use app::members::types::MemberAction;
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let other_admin = user(db, "second@msp.example").await;
    provider_member(
        db,
        p,
        Some(other_admin),
        "second@msp.example",
        "provider_admin",
        "confirmed",
    )
    .await;
    let target = provider_member(db, p, None, "kim@example.com", "service_user", "invited").await;
    let second = t.second_connection().await;

    let actor = support::actor(db, admin).await;
    let removal = {
        let db = db.clone();
        async move {
            let mailer = app::mail::Mailer::off();
            let outbox = app::mail::Outbox {
                mailer: &mailer,
                base_url: "http://portal.example",
                locale: app::i18n::Locale::en,
            };
            support::members::provider::apply(
                &db,
                &support::context(&actor),
                &outbox,
                &actor,
                p,
                MemberAction::Remove,
                &[app::ids::ProviderUserId(target)],
            )
            .await
        }
    };
    let outcomes = demoted_while_waiting(&second, p, admin, removal)
        .await
        .unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(
        outcomes[0].result,
        Err(app::error::AppError::Forbidden),
        "{}",
        t.backend
    );
    let kept = provider_users::Entity::find_by_id(target)
        .one(db)
        .await
        .unwrap();
    assert!(kept.is_some(), "{}: nothing removed", t.backend);

    let ctx = support::context(&support::actor(db, other_admin).await);
    let save = {
        let db = db.clone();
        async move {
            support::witnessed::providers::update_settings(
                &db,
                &ctx,
                p,
                app::providers::types::ProviderSettings {
                    name: "Renamed MSP".into(),
                    business_name: String::new(),
                    billing_email: "billing@msp.example".into(),
                    service_users_may_purchase_seats: true,
                },
            )
            .await
        }
    };
    let saved = demoted_while_waiting(&second, p, other_admin, save).await;
    assert_eq!(saved, Err(app::error::AppError::Forbidden), "{}", t.backend);
    let name = app::providers::service::row(db, p).await.unwrap().name;
    assert_eq!(name, "MSP", "{}: nothing saved", t.backend);
    second.close().await.unwrap();
    t.cleanup().await;
}

support::each_backend!(invoices_keep_whom_they_were_billed_to);
/// From the notes: an invoice showed the provider's details as they are now, not as billed.
async fn invoices_keep_whom_they_were_billed_to(t: support::TestDb) {
    use app::billing::types::BillingInfo;
    use support::witnessed::billing;
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let ctx = support::context(&support::actor(db, admin).await);
    let info = |address: &str, tax_id: &str| BillingInfo {
        billing_email: "billing@msp.example".into(),
        address: address.into(),
        tax_id: tax_id.into(),
    };
    billing::update_billing_info(db, &ctx, p, info("1 Old Street\nAmsterdam", "NL001"))
        .await
        .unwrap();
    assert!(billing::issue(db, p, "2026-10", Utc::now()).await.unwrap());
    billing::update_billing_info(db, &ctx, p, info("2 New Road\nUtrecht", "NL002"))
        .await
        .unwrap();
    let id = app::db::invoices::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let invoice = billing::invoice(db, p, id).await.unwrap();
    assert_eq!(
        invoice.billed_to.address, "1 Old Street\nAmsterdam",
        "{}",
        t.backend
    );
    assert_eq!(invoice.billed_to.tax_id, "NL001");
    assert_eq!(invoice.billed_to.name, "MSP");
    t.cleanup().await;
}

/// From the notes: invitations to many addresses were mailed one after another, so an SMTP
/// server that hangs held the request for its timeout once per address.
#[tokio::test]
async fn a_hanging_smtp_server_costs_one_timeout_not_one_per_address() {
    // A "server" that accepts connections and never says a word.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let _held = std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in listener.incoming().take(16) {
            open.push(stream);
        }
        std::thread::sleep(std::time::Duration::from_secs(60));
    });
    let mailer = app::mail::Mailer::new(
        Some(&format!("smtp://127.0.0.1:{port}")),
        "portal@portal.example",
    )
    .unwrap();
    let outbox = app::mail::Outbox {
        mailer: &mailer,
        base_url: "http://portal.example",
        locale: app::i18n::Locale::en,
    };
    let t = support::TestDb::sqlite_empty().await.migrated().await;
    let admin = user(&t.db, "admin@msp.example").await;
    let p = provider(&t.db, "MSP", "admin@msp.example").await;
    let actor = support::actor(&t.db, admin).await;
    let started = std::time::Instant::now();
    let invited = support::members::provider::invite(
        &t.db,
        &support::context(&actor),
        &outbox,
        &actor,
        p,
        "a@example.com, b@example.com, c@example.com",
        "service_user",
    )
    .await
    .unwrap();
    let took = started.elapsed();
    assert_eq!(invited.len(), 3);
    assert!(
        invited.iter().all(|i| i.link.is_some()),
        "the inviter gets the links to pass on"
    );
    assert!(
        took < std::time::Duration::from_secs(18),
        "took {took:?}: one timeout per address"
    );
    t.cleanup().await;
}

support::each_backend!(only_members_who_had_access_are_told_of_their_removal);
/// From the notes: someone who was only invited got a "you no longer have access" mail when
/// the invitation was withdrawn.
async fn only_members_who_had_access_are_told_of_their_removal(t: support::TestDb) {
    use app::members::types::MemberAction;
    let sink = support::SmtpSink::start();
    let mailer = app::mail::Mailer::new(Some(&sink.smtp_url()), "portal@portal.example").unwrap();
    let outbox = app::mail::Outbox {
        mailer: &mailer,
        base_url: "http://portal.example",
        locale: app::i18n::Locale::en,
    };
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let (invited_only, member) = (
        format!("invited-{}@example.com", t.backend),
        format!("member-{}@example.com", t.backend),
    );
    let invited = provider_member(db, p, None, &invited_only, "service_user", "invited").await;
    let kim = user(db, &member).await;
    let confirmed = provider_member(db, p, Some(kim), &member, "service_user", "confirmed").await;
    let actor = support::actor(db, admin).await;
    let outcomes = support::members::provider::apply(
        db,
        &support::context(&actor),
        &outbox,
        &actor,
        p,
        MemberAction::Remove,
        &[
            app::ids::ProviderUserId(invited),
            app::ids::ProviderUserId(confirmed),
        ],
    )
    .await
    .unwrap();
    assert!(outcomes.iter().all(|o| o.result.is_ok()), "{outcomes:?}");
    assert_eq!(
        sink.mails_to(&member).len(),
        1,
        "{}: the member is told",
        t.backend
    );
    // The mails go out in order: the invitee's would have arrived before the member's.
    assert!(
        sink.mails_now(&invited_only).is_empty(),
        "{}: the invitee is not",
        t.backend
    );
    assert_eq!(
        provider_users::Entity::find()
            .filter(provider_users::Column::ProviderId.eq(p.0))
            .count(db)
            .await
            .unwrap(),
        1
    );
    t.cleanup().await;
}

support::each_backend!(answers_and_admin_changes_to_one_place_wait_for_each_other);
/// From the notes: accepting or declining read the member before taking the place's lock, so
/// on SQLite an answer that met an admin's write failed ("database is locked") instead of
/// waiting, and the two could interleave. Now both take the lock first: every answer and every
/// admin change either happens or is refused for what it is.
async fn answers_and_admin_changes_to_one_place_wait_for_each_other(t: support::TestDb) {
    use app::invitations::service as invitations;
    use app::invitations::types::PendingRef;
    use app::members::types::MemberAction;
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let mut invitees = Vec::new();
    for i in 0..10 {
        let email = format!("kim{i}@example.com");
        let account = user(db, &email).await;
        let member = provider_member(db, p, None, &email, "service_user", "invited").await;
        invitees.push((
            support::actor(db, account).await,
            app::ids::ProviderUserId(member),
        ));
    }
    let admin = support::actor(db, admin).await;
    let mut answers = Vec::new();
    for (i, (actor, member)) in invitees.iter().cloned().enumerate() {
        let db = db.clone();
        answers.push(tokio::spawn(async move {
            let ctx = support::context(&actor);
            if i % 2 == 0 {
                invitations::accept_pending(&db, &ctx, &actor, PendingRef::Provider(member))
                    .await
                    .map(|_| ())
            } else {
                invitations::decline_pending(&db, &ctx, &actor, PendingRef::Provider(member)).await
            }
        }));
    }
    let removal = {
        let (db, admin) = (db.clone(), admin.clone());
        let members: Vec<_> = invitees.iter().map(|(_, m)| *m).collect();
        tokio::spawn(async move {
            let mailer = app::mail::Mailer::off();
            let outbox = app::mail::Outbox {
                mailer: &mailer,
                base_url: "http://portal.example",
                locale: app::i18n::Locale::en,
            };
            support::members::provider::apply(
                &db,
                &support::context(&admin),
                &outbox,
                &admin,
                p,
                MemberAction::Remove,
                &members,
            )
            .await
        })
    };
    for answer in answers {
        match answer.await.unwrap() {
            Ok(()) | Err(app::error::AppError::Refused(app::error::Refusal::InvitationUsed)) => {}
            other => panic!("{}: an answer failed: {other:?}", t.backend),
        }
    }
    for outcome in removal.await.unwrap().unwrap() {
        match outcome.result {
            Ok(()) | Err(app::error::AppError::NotFound) => {}
            other => panic!("{}: a removal failed: {other:?}", t.backend),
        }
    }
    let left = provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(p.0))
        .count(db)
        .await
        .unwrap();
    assert_eq!(left, 1, "{}: only the admin is left", t.backend);
    t.cleanup().await;
}
