#![allow(clippy::unwrap_used)]
//! Issue 16, finding 1 (invitations taken by whoever claims the address), 5 (enumeration)
//! and 8 (sessions on an email change): addresses are verified before they count, the
//! registration and email-change answers do not tell whether an address is taken, and an
//! email change takes effect only from its link, ending every other session and telling the
//! old address. Over HTTP, with a real SMTP server (maildev) where mail is on. SQLite and
//! PostgreSQL.

use crate::support;

use axum::http::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use app::db::{provider_users, users};
use app::mail::Mailer;
use support::{post_form, provider, provider_member, session_cookie, unverified_user, user};

const PASSWORD: &str = "correct horse battery staple";
const BASE: &str = "http://portal.example";

fn router(db: &sea_orm::DatabaseConnection, mailer: Mailer) -> axum::Router {
    let options = leptos::config::LeptosOptions::builder()
        .output_name("provider-portal")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    let mut state = server::http::AppState::new(options, db.clone());
    state.mailer = mailer;
    state.base_url = BASE.into();
    server::http::router(state)
}

/// A registration's body as the browser posts it (JSON: the keys it made from the password),
/// optionally from an invitation link.
fn registration_from(email: &str, name: &str, invitation: Option<&str>) -> String {
    let input = support::web_registration(email, name, PASSWORD);
    serde_json::json!({
        "email": input.email,
        "name": input.name,
        "locale": input.locale,
        "keys": input.keys,
        "invitation": invitation,
    })
    .to_string()
}

fn registration(email: &str, name: &str) -> String {
    registration_from(email, name, None)
}

async fn account(db: &impl ConnectionTrait, email: &str) -> Option<users::Model> {
    users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await
        .unwrap()
}

/// The session cookie a response set, as a request sends it back.
fn cookie_from(headers: &[(String, String)]) -> Option<String> {
    headers
        .iter()
        .find(|(k, v)| {
            k == "set-cookie" && v.starts_with("portal_session=") && !v.contains("Max-Age=0")
        })
        .map(|(_, v)| v.split(';').next().unwrap().to_owned())
}

async fn post(
    app: &axum::Router,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> (StatusCode, Vec<(String, String)>, String) {
    use axum::body::Body;
    use axum::http::{Request, header};
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
    support::send(app, request.body(Body::from(body.to_owned())).unwrap()).await
}

/// The verification link's token (the last path segment).
fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_owned()
}

support::each_backend!(
    with_mail_on_registration_is_finished_from_the_mailed_link_and_tells_nothing
);
async fn with_mail_on_registration_is_finished_from_the_mailed_link_and_tells_nothing(
    t: support::TestDb,
) {
    let sink = support::SmtpSink::start();
    let mailer = Mailer::new(Some(&sink.smtp_url()), "Portal <portal@portal.example>").unwrap();
    let db = &t.db;
    let app = router(db, mailer.clone());
    let (owner, newcomer) = (
        format!("owner-{}@example.com", t.backend),
        format!("zoe-{}@example.com", t.backend),
    );
    user(db, &owner).await;
    // The same answer for a taken address and a free one.
    let taken = post_form(
        &app,
        "/api/accounts/register",
        &registration(&owner, "Mallory"),
        None,
    )
    .await;
    let free = post_form(
        &app,
        "/api/accounts/register",
        &registration(&newcomer, "Zoe"),
        None,
    )
    .await;
    assert_eq!(taken.0, StatusCode::OK, "{}: {}", t.backend, taken.1);
    assert_eq!(taken, free, "{}: the answers differ", t.backend);
    assert!(free.1.contains("CheckMail"), "{}", free.1);
    // Nothing exists until the link is used; the owner was told instead.
    assert!(account(db, &newcomer).await.is_none());
    let told = sink.mails_to(&owner);
    assert_eq!(told.len(), 1, "{}", t.backend);
    assert_eq!(told[0]["subject"], "You already have an account");
    let mails = sink.mails_to(&newcomer);
    assert_eq!(mails.len(), 1);
    let link = support::link_in(&mails[0], &format!("{BASE}/verify-email/"));
    // Following the link only shows a page (a mail scanner's fetch uses nothing up).
    let (status, _, page) = support::get_path(&app, &link[BASE.len()..], None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Confirm your email address"), "{page}");
    assert!(account(db, &newcomer).await.is_none());
    // Confirming creates the account, verified, and signs it in.
    let token = token_of(&link);
    let (status, headers, body) = post(
        &app,
        "/api/accounts/verify-email",
        &format!("token={token}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let created = account(db, &newcomer).await.expect("the account exists");
    assert!(created.email_verified_at.is_some());
    assert_eq!(created.name, "Zoe");
    let cookie = cookie_from(&headers).expect("signed in");
    let (_, viewer) = post_form(&app, "/api/accounts/viewer", "", Some(&cookie)).await;
    assert!(viewer.contains(&newcomer), "{viewer}");
    // Once only.
    let (status, _, body) = post(
        &app,
        "/api/accounts/verify-email",
        &format!("token={token}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("VerificationUsed"), "{body}");
    assert_eq!(
        users::Entity::find().count(db).await.unwrap(),
        2,
        "{}: no second account",
        t.backend
    );
    t.cleanup().await;
}

support::each_backend!(with_mail_off_registration_answers_the_same_and_the_account_is_unverified);
async fn with_mail_off_registration_answers_the_same_and_the_account_is_unverified(
    t: support::TestDb,
) {
    let db = &t.db;
    let app = router(db, Mailer::off());
    user(db, "ann@example.com").await;
    let before = account(db, "ann@example.com").await.unwrap();
    let taken = post_form(
        &app,
        "/api/accounts/register",
        &registration("ann@example.com", "Mallory"),
        None,
    )
    .await;
    let free = post_form(
        &app,
        "/api/accounts/register",
        &registration("zoe@example.com", "Zoe"),
        None,
    )
    .await;
    assert_eq!(taken, free, "{}", t.backend);
    assert!(free.1.contains("SignInNext"), "{}", free.1);
    // The taken account is untouched; the new one exists, unverified.
    assert_eq!(account(db, "ann@example.com").await.unwrap(), before);
    let zoe = account(db, "zoe@example.com").await.unwrap();
    assert!(zoe.email_verified_at.is_none(), "{}", t.backend);
    t.cleanup().await;
}

support::each_backend!(invitations_wait_for_a_verified_address);
async fn invitations_wait_for_a_verified_address(t: support::TestDb) {
    let db = &t.db;
    let app = router(db, Mailer::off());
    user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let invited = provider_member(
        db,
        p,
        None,
        "victim@example.com",
        "provider_admin",
        "invited",
    )
    .await;
    // Mallory registers the invited address without owning it.
    let mallory = unverified_user(db, "victim@example.com").await;
    let cookie = session_cookie(db, mallory).await;
    let (status, list) = post_form(&app, "/api/invitations/pending", "", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(list.contains("\"invitations\":[]"), "{}: {list}", t.backend);
    assert!(
        list.contains("\"unverified\":{\"mail_on\":false}"),
        "{list}"
    );
    let (_, viewer) = post_form(&app, "/api/accounts/viewer", "", Some(&cookie)).await;
    assert!(viewer.contains("\"pending_invitations\":0"), "{viewer}");
    for decision in ["accept", "decline"] {
        let (status, answer) = post_form(
            &app,
            "/api/invitations/answer",
            &format!("invitation=provider-{invited}&decision={decision}"),
            Some(&cookie),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{decision}: {answer}");
        assert!(answer.contains("EmailNotVerified"), "{answer}");
    }
    let row = provider_users::Entity::find_by_id(invited)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.status.as_str(), row.user_id),
        ("invited", None),
        "{}",
        t.backend
    );

    // Once the operator vouches for the address, the invitation is offered.
    server::operator::verify_user(db, "victim@example.com")
        .await
        .unwrap();
    let (_, list) = post_form(&app, "/api/invitations/pending", "", Some(&cookie)).await;
    assert!(list.contains("\"unverified\":null"), "{list}");
    assert!(list.contains("MSP"), "{list}");
    t.cleanup().await;
}

support::each_backend!(an_invitation_link_proves_its_address);
async fn an_invitation_link_proves_its_address(t: support::TestDb) {
    use app::invitations::service as invitations;
    use app::invitations::types::PendingRef;
    let db = &t.db;
    let app = router(db, Mailer::off());
    user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let first = provider_member(db, p, None, "kim@example.com", "service_user", "invited").await;
    let second = provider_member(db, p, None, "lee@example.com", "service_user", "invited").await;
    let now = chrono::Utc::now();
    let kim_link = invitations::issue(
        db,
        PendingRef::Provider(app::ids::ProviderUserId(first)),
        now,
    )
    .await
    .unwrap();
    let lee_link = invitations::issue(
        db,
        PendingRef::Provider(app::ids::ProviderUserId(second)),
        now,
    )
    .await
    .unwrap();
    // Registering from the link signs in at once, verified (the link went to the address).
    let body = registration_from("kim@example.com", "Kim", Some(&kim_link));
    let (status, headers, answer) = post(&app, "/api/accounts/register", &body, None).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer.contains("SignedIn"), "{answer}");
    assert!(cookie_from(&headers).is_some());
    let kim = account(db, "kim@example.com").await.unwrap();
    assert!(kim.email_verified_at.is_some(), "{}", t.backend);
    // Another invitation's token proves nothing about this address.
    let body = registration_from("mia@example.com", "Mia", Some(&lee_link));
    let (_, _, answer) = post(&app, "/api/accounts/register", &body, None).await;
    assert!(answer.contains("SignInNext"), "{answer}");
    assert!(
        account(db, "mia@example.com")
            .await
            .unwrap()
            .email_verified_at
            .is_none()
    );
    // An unverified account accepting through its link gets its address verified.
    let lee = unverified_user(db, "lee@example.com").await;
    let cookie = session_cookie(db, lee).await;
    let (status, answer) = post_form(
        &app,
        "/api/invitations/accept-link",
        &format!("token={lee_link}"),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let lee = account(db, "lee@example.com").await.unwrap();
    assert!(lee.email_verified_at.is_some(), "{}", t.backend);
    t.cleanup().await;
}

support::each_backend!(
    an_email_change_waits_for_its_link_ends_other_sessions_and_tells_the_old_address
);
async fn an_email_change_waits_for_its_link_ends_other_sessions_and_tells_the_old_address(
    t: support::TestDb,
) {
    let sink = support::SmtpSink::start();
    let mailer = Mailer::new(Some(&sink.smtp_url()), "Portal <portal@portal.example>").unwrap();
    let db = &t.db;
    let app = router(db, mailer.clone());
    let (old, new, taken) = (
        format!("ann-{}@example.com", t.backend),
        format!("ann.new-{}@example.com", t.backend),
        format!("bob-{}@example.com", t.backend),
    );
    let now = chrono::Utc::now();
    let ann = app::accounts::service::register(
        db,
        app::accounts::service::RegisterInput {
            email: old.clone(),
            name: "Ann".into(),
            password: PASSWORD.into(),
            password_confirm: PASSWORD.into(),
            locale: "en".into(),
        },
        now,
    )
    .await
    .unwrap();
    user(db, &taken).await;
    // Ann is a confirmed member of a provider, invited at her old address.
    user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    provider_member(db, p, Some(ann), &old, "service_user", "confirmed").await;
    let here = session_cookie(db, ann).await;
    let elsewhere = session_cookie(db, ann).await;
    let change = |email: &str| {
        format!(
            "email={}&current_login_hash={}",
            email.replace('@', "%40"),
            support::login_hash_form(&old, PASSWORD)
        )
    };
    // A taken address and a free one get the same kind of answer.
    let (status, answer) = post_form(
        &app,
        "/api/accounts/change-email",
        &change(&taken),
        Some(&here),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer.contains("Pending"), "{answer}");
    assert_eq!(
        sink.mails_to(&taken)[0]["subject"],
        "Someone asked to use this address"
    );
    let (status, answer) = post_form(
        &app,
        "/api/accounts/change-email",
        &change(&new),
        Some(&here),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    // Nothing changed yet.
    assert_eq!(account(db, &old).await.map(|a| a.id), Some(ann.0));
    let mails = sink.mails_to(&new);
    assert_eq!(mails.len(), 1, "{}", t.backend);
    let link = support::link_in(&mails[0], &format!("{BASE}/verify-email/"));
    let (status, _, body) = post(
        &app,
        "/api/accounts/verify-email",
        &format!("token={}", token_of(&link)),
        Some(&here),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let moved = account(db, &new).await.expect("moved");
    assert_eq!(moved.id, ann.0);
    assert!(moved.email_verified_at.is_some());
    // This session stays; every other one ended.
    let (_, viewer) = post_form(&app, "/api/accounts/viewer", "", Some(&here)).await;
    assert!(viewer.contains(&new), "{viewer}");
    let (_, viewer) = post_form(&app, "/api/accounts/viewer", "", Some(&elsewhere)).await;
    assert_eq!(viewer, "null", "{}: the other session ended", t.backend);
    // The old address is told.
    let told: Vec<_> = sink
        .mails_to(&old)
        .into_iter()
        .filter(|m| m["subject"] == "Your sign-in address was changed")
        .collect();
    assert_eq!(told.len(), 1, "{}", t.backend);
    assert!(told[0]["text"].as_str().unwrap().contains(&new));
    // Member lists show the account's verified address, not the one invited.
    let admin = support::actor(
        db,
        account(db, "admin@msp.example")
            .await
            .map(|a| app::ids::UserId(a.id))
            .unwrap(),
    )
    .await;
    let page = support::members::provider::list(
        db,
        &admin,
        p,
        &app::members::types::MemberQuery::default(),
    )
    .await
    .unwrap();
    let emails: Vec<&str> = page.rows.iter().map(|r| r.email.as_str()).collect();
    assert!(emails.contains(&new.as_str()), "{emails:?}");
    assert!(!emails.contains(&old.as_str()), "{emails:?}");
    t.cleanup().await;
}

support::each_backend!(registrations_and_email_changes_are_throttled);
async fn registrations_and_email_changes_are_throttled(t: support::TestDb) {
    use app::accounts::service::AuthConfig;
    use app::accounts::session::ClientInfo;
    use app::accounts::verification;
    let config = AuthConfig::default().throttle;
    let mailer = Mailer::off();
    let outbox = app::mail::Outbox {
        mailer: &mailer,
        base_url: BASE,
        locale: app::i18n::Locale::en,
    };
    let db = &t.db;
    let client = ClientInfo {
        ip: Some("192.0.2.9".into()),
        user_agent: None,
    };
    let now = chrono::Utc::now();
    let input =
        |i: u64| support::web_registration(&format!("user{i}@example.com"), "User", PASSWORD);
    for i in 0..config.registrations_per_address {
        verification::register(db, &outbox, &config, &client, input(i), None, None, now)
            .await
            .unwrap();
    }
    let refused =
        verification::register(db, &outbox, &config, &client, input(99), None, None, now).await;
    assert!(
        matches!(refused, Err(app::error::AppError::TooManyAttempts { .. })),
        "{}: {refused:?}",
        t.backend
    );
    assert!(account(db, "user99@example.com").await.is_none());
    let ann = user(db, "ann@example.com").await;
    let actor = support::actor(db, ann).await;
    for i in 0..config.email_changes_per_account {
        let _ = verification::request_change(
            db,
            &outbox,
            &config,
            &actor,
            &format!("new{i}@example.com"),
            support::login_hash("ann@example.com", "wrong"),
            now,
        )
        .await;
    }
    let refused = verification::request_change(
        db,
        &outbox,
        &config,
        &actor,
        "x@example.com",
        support::login_hash("ann@example.com", "wrong"),
        now,
    )
    .await;
    assert!(
        matches!(refused, Err(app::error::AppError::TooManyAttempts { .. })),
        "{refused:?}"
    );
    t.cleanup().await;
}

support::each_backend!(
    registrations_confirmed_at_the_same_moment_all_succeed,
    flavor = "multi_thread",
    worker_threads = 2
);
/// Parallel browsers confirming their registrations at once: each confirmation reads its
/// link and then writes, and on SQLite a transaction that read before it wrote cannot wait
/// for a competing writer ("database is locked" at once, whatever the busy timeout). Every
/// writing transaction therefore takes the write lock first (`app::db::begin_write`).
async fn registrations_confirmed_at_the_same_moment_all_succeed(t: support::TestDb) {
    use app::accounts::service::AuthConfig;
    use app::accounts::session::ClientInfo;
    use app::accounts::verification;
    const PEOPLE: usize = 8;
    let sink = support::SmtpSink::start();
    let mailer = Mailer::new(Some(&sink.smtp_url()), "Portal <portal@portal.example>").unwrap();
    let outbox = app::mail::Outbox {
        mailer: &mailer,
        base_url: BASE,
        locale: app::i18n::Locale::en,
    };
    let config = AuthConfig::default().throttle;
    let db = &t.db;
    let now = chrono::Utc::now();
    let email = |i: usize| format!("person{i}-{}@example.com", t.backend);
    let mut tokens = Vec::new();
    for i in 0..PEOPLE {
        let client = ClientInfo {
            ip: Some(format!("192.0.2.{i}")),
            user_agent: None,
        };
        let input = support::web_registration(&email(i), &format!("Person {i}"), PASSWORD);
        verification::register(db, &outbox, &config, &client, input, None, None, now)
            .await
            .unwrap();
        let mails = sink.mails_to(&email(i));
        assert_eq!(mails.len(), 1, "{}: {}", t.backend, email(i));
        tokens.push(token_of(&support::link_in(
            &mails[0],
            &format!("{BASE}/verify-email/"),
        )));
    }
    let confirmations = tokens
        .iter()
        .map(|token| verification::apply(db, &outbox, token, None, now));
    let results = futures_util::future::join_all(confirmations).await;
    for (i, result) in results.iter().enumerate() {
        assert!(result.is_ok(), "{}: person {i}: {result:?}", t.backend);
    }
    for i in 0..PEOPLE {
        let created = account(db, &email(i)).await;
        assert!(
            created.is_some_and(|u| u.email_verified_at.is_some()),
            "{i}"
        );
    }
    t.cleanup().await;
}
