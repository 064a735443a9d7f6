#![allow(clippy::unwrap_used)]
//! The account area: two-step login (enable, sign in with it, replay, recovery code,
//! disable), the product switcher's entries, the overview, email change. (Password strength is estimated in the browser: `app/strength`.)
//! Each test runs on SQLite and PostgreSQL.

use crate::support;

use app::accounts::service::{self, AuthConfig, RegisterInput, SignIn};
use app::accounts::session::ClientInfo;
use app::accounts::two_step;
use app::auth::Actor;
use app::db::{organizations, provider_users, providers, users};
use app::error::{AppError, Field, Problem};
use app::ids::{OrganizationId, ProviderId, UserId};
use app::members::types::Permissions;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use support::membership;
use totp_rs::{Algorithm, Secret, TOTP};

const PASSWORD: &str = "correct horse battery staple";

fn client() -> ClientInfo {
    ClientInfo {
        ip: Some("192.0.2.7".into()),
        user_agent: Some("test".into()),
    }
}

async fn register(db: &impl ConnectionTrait, email: &str) -> UserId {
    service::register(
        db,
        RegisterInput {
            email: email.into(),
            name: "Ann Admin".into(),
            password: PASSWORD.into(),
            password_confirm: PASSWORD.into(),
            locale: "en".into(),
        },
        Utc::now(),
    )
    .await
    .unwrap()
}

async fn signed_in(db: &impl ConnectionTrait, email: &str) -> (String, Actor) {
    let config = AuthConfig::default();
    let now = Utc::now();
    let SignIn::Session(token) = service::sign_in(
        db,
        &config,
        email,
        support::login_hash_via_prelogin(db, email, PASSWORD).await,
        &client(),
        now,
    )
    .await
    .unwrap() else {
        panic!("expected a session");
    };
    let actor = service::load_actor(db, &config, &token, now)
        .await
        .unwrap()
        .unwrap();
    (token, actor)
}

fn code_at(secret: &str, at: DateTime<Utc>) -> String {
    let totp = TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        30,
        Secret::Encoded(secret.into()).to_bytes().unwrap(),
        None,
        "x".into(),
    )
    .unwrap();
    totp.generate(at.timestamp() as u64)
}

support::each_backend!(two_step_login_from_enabling_to_recovery);
async fn two_step_login_from_enabling_to_recovery(t: support::TestDb) {
    let db = &t.db;
    let config = AuthConfig::default();
    register(db, "ann@example.com").await;
    let (_, actor) = signed_in(db, "ann@example.com").await;
    let now = Utc::now();
    let setup = two_step::begin(db, &actor, now).await.unwrap();
    // A reload shows the same secret while the setup is fresh.
    assert_eq!(two_step::begin(db, &actor, now).await.unwrap(), setup);

    // A wrong code or a wrong password enables nothing.
    let err = two_step::enable(
        db,
        &actor,
        "000000",
        support::login_hash("ann@example.com", PASSWORD),
        now,
    )
    .await
    .unwrap_err();
    let wrong_code_refused = err.problem_for(Field::Code) == Some(Problem::Wrong)
        || code_at(&setup.secret, now) == "000000";
    assert!(wrong_code_refused, "{}", t.backend);
    let err = two_step::enable(
        db,
        &actor,
        &code_at(&setup.secret, now),
        support::login_hash("ann@example.com", "not my password"),
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.problem_for(Field::CurrentPassword),
        Some(Problem::Wrong)
    );
    assert!(!two_step::is_enabled(db, actor.user_id).await.unwrap());

    let recovery = two_step::enable(
        db,
        &actor,
        &code_at(&setup.secret, now),
        support::login_hash("ann@example.com", PASSWORD),
        now,
    )
    .await
    .unwrap();
    assert!(two_step::is_enabled(db, actor.user_id).await.unwrap());
    let stored = users::Entity::find_by_id(actor.user_id.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        stored.totp_recovery_hash.as_deref(),
        Some(recovery.as_str()),
        "only a hash is kept"
    );

    // The password alone now yields a pending session that grants nothing.
    let later = now + chrono::Duration::seconds(60);
    let SignIn::SecondFactorRequired(pending) = service::sign_in(
        db,
        &config,
        "ann@example.com",
        support::login_hash("ann@example.com", PASSWORD),
        &client(),
        later,
    )
    .await
    .unwrap() else {
        panic!("two-step login must be asked for ({})", t.backend);
    };
    assert_eq!(
        service::load_actor(db, &config, &pending, later)
            .await
            .unwrap(),
        None
    );

    // A wrong code is refused and counted; the right one gives a fresh session.
    let err = two_step::complete_sign_in(db, &config, &pending, "12345x", &client(), later)
        .await
        .unwrap_err();
    assert_eq!(err.problem_for(Field::Code), Some(Problem::Wrong));
    let code = code_at(&stored.totp_secret.clone().unwrap(), later);
    let done = two_step::complete_sign_in(db, &config, &pending, &code, &client(), later)
        .await
        .unwrap();
    assert!(!done.used_recovery_code);
    assert_ne!(done.token, pending, "the pending token is replaced");
    assert!(
        service::load_actor(db, &config, &done.token, later)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        two_step::complete_sign_in(db, &config, &pending, &code, &client(), later).await,
        Err(AppError::Unauthenticated),
        "the pending session is gone"
    );

    // The same code cannot be used twice.
    let SignIn::SecondFactorRequired(again) = service::sign_in(
        db,
        &config,
        "ann@example.com",
        support::login_hash("ann@example.com", PASSWORD),
        &client(),
        later,
    )
    .await
    .unwrap() else {
        panic!("expected the second step");
    };
    let err = two_step::complete_sign_in(db, &config, &again, &code, &client(), later)
        .await
        .unwrap_err();
    assert_eq!(
        err.problem_for(Field::Code),
        Some(Problem::Wrong),
        "replay ({})",
        t.backend
    );

    // The recovery code (any case, any separators) signs in and turns two-step off.
    let typed = recovery.to_lowercase().replace('-', " ");
    let done = two_step::complete_sign_in(db, &config, &again, &typed, &client(), later)
        .await
        .unwrap();
    assert!(done.used_recovery_code);
    assert!(!two_step::is_enabled(db, actor.user_id).await.unwrap());
    t.cleanup().await;
}

support::each_backend!(turning_two_step_off_needs_the_password);
async fn turning_two_step_off_needs_the_password(t: support::TestDb) {
    let db = &t.db;
    register(db, "ann@example.com").await;
    let (_, actor) = signed_in(db, "ann@example.com").await;
    let now = Utc::now();
    let setup = two_step::begin(db, &actor, now).await.unwrap();
    two_step::enable(
        db,
        &actor,
        &code_at(&setup.secret, now),
        support::login_hash("ann@example.com", PASSWORD),
        now,
    )
    .await
    .unwrap();
    let err = two_step::disable(db, &actor, support::login_hash("ann@example.com", "guess"))
        .await
        .unwrap_err();
    assert_eq!(
        err.problem_for(Field::CurrentPassword),
        Some(Problem::Wrong)
    );
    assert!(
        two_step::is_enabled(db, actor.user_id).await.unwrap(),
        "{}",
        t.backend
    );
    two_step::disable(db, &actor, support::login_hash("ann@example.com", PASSWORD))
        .await
        .unwrap();
    assert!(!two_step::is_enabled(db, actor.user_id).await.unwrap());
    t.cleanup().await;
}

async fn organization(db: &impl ConnectionTrait, name: &str) -> OrganizationId {
    let org = organizations::ActiveModel {
        name: Set(name.into()),
        name_key: Set(name.to_lowercase()),
        billing_email: Set("billing@example.com".into()),
        plan: Set(app::vocabulary::Plan::Teams),
        billing_cycle: Set(app::vocabulary::BillingCycle::Monthly),
        seats: Set(10),
        enabled: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    OrganizationId(org.id)
}

async fn provider(db: &impl ConnectionTrait, name: &str, user: UserId, status: &str) -> ProviderId {
    let provider = providers::ActiveModel {
        name: Set(name.into()),
        billing_email: Set("billing@example.com".into()),
        enabled: Set(true),
        service_users_may_purchase_seats: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    provider_users::ActiveModel {
        provider_id: Set(provider.id),
        user_id: Set(Some(user.0)),
        email: Set(format!("user{}@example.com", user.0)),
        r#type: Set(app::vocabulary::ProviderUserType::ServiceUser),
        status: Set(app::vocabulary::MemberStatus::parse(status).expect("a member status")),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    ProviderId(provider.id)
}

support::each_backend!(the_switcher_offers_exactly_what_the_user_may_open);
async fn the_switcher_offers_exactly_what_the_user_may_open(t: support::TestDb) {
    let db = &t.db;
    let ann = register(db, "ann@example.com").await;
    let owned = organization(db, "Zeta Owned").await;
    membership(
        db,
        owned,
        Some(ann),
        &format!("user{}@example.com", ann.0),
        "owner",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let as_user = organization(db, "Plain Membership").await;
    membership(
        db,
        as_user,
        Some(ann),
        &format!("user{}@example.com", ann.0),
        "user",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let invited = organization(db, "Only Invited").await;
    membership(
        db,
        invited,
        Some(ann),
        &format!("user{}@example.com", ann.0),
        "admin",
        "invited",
        Permissions::empty(),
    )
    .await;

    let msp = provider(db, "Acme MSP", ann, "confirmed").await;
    let pending = provider(db, "Pending MSP", ann, "accepted").await;
    for i in 0..12 {
        let client = organization(db, &format!("Client {i:02}")).await;
        support::link_client(db, msp, client).await;
    }
    let foreign_client = organization(db, "Not Ours").await;
    support::link_client(db, pending, foreign_client).await;

    let (_, actor) = signed_in(db, "ann@example.com").await;
    let products = service::product_access(db, &actor).await.unwrap();
    let names: Vec<&str> = products
        .organizations
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert!(names.contains(&"Zeta Owned"), "{names:?}");
    assert!(
        !names.contains(&"Plain Membership"),
        "a User has no Admin Console"
    );
    assert!(
        !names.contains(&"Only Invited"),
        "unconfirmed memberships grant nothing"
    );
    assert!(
        !names.contains(&"Not Ours"),
        "an accepted (unconfirmed) provider grants nothing"
    );
    let clients: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.starts_with("Client"))
        .collect();
    assert_eq!(
        clients.len(),
        10,
        "the first ten clients by name ({})",
        t.backend
    );
    assert_eq!(clients[0], "Client 00");
    assert!(products.more_clients);
    let sorted = {
        let mut s = names.clone();
        s.sort_by_key(|n| n.to_lowercase());
        s
    };
    assert_eq!(names, sorted, "listed by name");
    let providers: Vec<&str> = products.providers.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(providers, vec!["Acme MSP"]);

    // A newcomer gets the Password Manager only.
    register(db, "bob@example.com").await;
    let (_, bob) = signed_in(db, "bob@example.com").await;
    let products = service::product_access(db, &bob).await.unwrap();
    assert!(products.organizations.is_empty() && products.providers.is_empty());
    assert!(!products.more_clients);
    t.cleanup().await;
}

support::each_backend!(the_overview_lists_sessions_and_memberships);
async fn the_overview_lists_sessions_and_memberships(t: support::TestDb) {
    let db = &t.db;
    let ann = register(db, "ann@example.com").await;
    let org = organization(db, "Own Org").await;
    membership(
        db,
        org,
        Some(ann),
        &format!("user{}@example.com", ann.0),
        "admin",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    provider(db, "Acme MSP", ann, "invited").await;
    let (_, _other) = signed_in(db, "ann@example.com").await;
    let (_, actor) = signed_in(db, "ann@example.com").await;
    let overview = service::overview(db, &actor).await.unwrap();
    assert_eq!(overview.sessions.len(), 2, "{}", t.backend);
    assert_eq!(overview.sessions.iter().filter(|s| s.current).count(), 1);
    assert_eq!(overview.organizations.len(), 1);
    assert_eq!(overview.organizations[0].name, "Own Org");
    assert_eq!(overview.providers.len(), 1);
    assert!(!overview.two_step_enabled);
    t.cleanup().await;
}

support::each_backend!(email_changes_need_the_password_and_wait_for_verification);
async fn email_changes_need_the_password_and_wait_for_verification(t: support::TestDb) {
    use app::accounts::types::EmailChangeStep;
    use app::accounts::verification;
    let mail_off = app::mail::Mailer::off();
    let outbox = app::mail::Outbox {
        mailer: &mail_off,
        base_url: "http://portal.test",
        locale: app::i18n::Locale::en,
    };
    let throttle = AuthConfig::default().throttle;
    let db = &t.db;
    register(db, "ann@example.com").await;
    register(db, "bob@example.com").await;
    let (_, actor) = signed_in(db, "ann@example.com").await;
    let now = Utc::now();
    let change = |email: &'static str, password: &'static str| {
        verification::request_change(
            db,
            &outbox,
            &throttle,
            &actor,
            email,
            support::login_hash("ann@example.com", password),
            now,
        )
    };
    let err = change("new@example.com", "guess").await.unwrap_err();
    assert_eq!(
        err.problem_for(Field::CurrentPassword),
        Some(Problem::Wrong)
    );
    let err = change("nope", PASSWORD).await.unwrap_err();
    assert_eq!(err.problem_for(Field::Email), Some(Problem::InvalidEmail));
    // A taken address gets the same answer as a free one (issue 16: no enumeration)…
    let taken = change("BOB@example.com", PASSWORD).await.unwrap();
    let free = change(" New@Example.com", PASSWORD).await.unwrap();
    let pending = |email: &str| EmailChangeStep::Pending {
        email: email.into(),
        mail_on: false,
    };
    assert_eq!(taken, pending("bob@example.com"), "{}", t.backend);
    assert_eq!(free, pending("new@example.com"));
    // …and nothing changes until the new address is verified.
    let stored = users::Entity::find_by_id(actor.user_id.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.email, "ann@example.com", "nothing changed yet");
    assert_eq!(
        verification::pending_change(db, actor.user_id, now)
            .await
            .unwrap()
            .as_deref(),
        Some("new@example.com"),
        "the newer request replaced the older"
    );
    // Mail is off: the operator vouches for the address, and the change takes effect.
    verification::verify_by_operator(db, "new@example.com", now)
        .await
        .unwrap();
    signed_in(db, "new@example.com").await;
    t.cleanup().await;
}

support::each_backend!(guessable_passwords_are_refused_with_a_reason);
async fn guessable_passwords_are_refused_with_a_reason(t: support::TestDb) {
    let db = &t.db;
    let err = service::register(
        db,
        RegisterInput {
            email: "ann@example.com".into(),
            name: "Ann".into(),
            password: "password1234".into(),
            password_confirm: "password1234".into(),
            locale: "en".into(),
        },
        Utc::now(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.problem_for(Field::Password),
        Some(Problem::TooWeak),
        "{}",
        t.backend
    );
    t.cleanup().await;
}
