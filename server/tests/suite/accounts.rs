#![allow(clippy::unwrap_used)]
//! Accounts: hashing parameters, registration rules, sessions (creation, rotation, idle and
//! absolute expiry, revocation, sign out everywhere), throttling across server instances,
//! and the actor built from a session. Each test runs on SQLite and PostgreSQL.

use crate::support;

use app::accounts::password;
use app::accounts::service::{self, AuthConfig, RegisterInput, SignIn};
use app::accounts::session::{self, ClientInfo};
use app::error::{AppError, Field, Problem};
use app::ids::UserId;
use argon2::PasswordHash;
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

const PASSWORD: &str = "correct horse battery staple";

fn input(email: &str) -> RegisterInput {
    RegisterInput {
        email: email.into(),
        name: "Ann Admin".into(),
        password: PASSWORD.into(),
        password_confirm: PASSWORD.into(),
        locale: "nl".into(),
    }
}

fn client(ip: &str) -> ClientInfo {
    ClientInfo {
        ip: Some(ip.into()),
        user_agent: Some("test".into()),
    }
}

async fn user_count(db: &impl ConnectionTrait) -> u64 {
    app::db::users::Entity::find().count(db).await.unwrap()
}

#[tokio::test]
async fn passwords_are_hashed_with_argon2id_at_owasp_parameters() {
    let hash = password::hash(PASSWORD.into()).await.unwrap();
    let parsed = PasswordHash::new(&hash).unwrap();
    assert_eq!(parsed.algorithm.as_str(), "argon2id");
    assert_eq!(parsed.params.get_decimal("m"), Some(19_456));
    assert_eq!(parsed.params.get_decimal("t"), Some(2));
    assert_eq!(parsed.params.get_decimal("p"), Some(1));
    assert!(
        password::verify(PASSWORD.into(), Some(hash.clone()))
            .await
            .unwrap()
    );
    assert!(
        !password::verify("wrong".into(), Some(hash.clone()))
            .await
            .unwrap()
    );
    // An unknown account is checked against a decoy and never matches.
    assert!(!password::verify(PASSWORD.into(), None).await.unwrap());
    // Salted: the same password hashes differently.
    assert_ne!(hash, password::hash(PASSWORD.into()).await.unwrap());
}

support::each_backend!(registration_rules);
async fn registration_rules(t: support::TestDb) {
    let db = &t.db;
    let now = Utc::now();
    service::register(db, input("Ann@Example.com"), now)
        .await
        .unwrap();
    // Unique case-insensitively.
    let err = service::register(db, input("ANN@example.COM"), now)
        .await
        .unwrap_err();
    assert_eq!(
        err.problem_for(Field::Email),
        Some(Problem::Taken),
        "{}",
        t.backend
    );

    let mut bad = input("not-an-email");
    bad.name = "   ".into();
    bad.password = "short".into();
    bad.password_confirm = "different".into();
    bad.locale = "de".into();
    let err = service::register(db, bad, now).await.unwrap_err();
    assert_eq!(err.problem_for(Field::Email), Some(Problem::InvalidEmail));
    assert_eq!(err.problem_for(Field::Name), Some(Problem::Required));
    assert_eq!(
        err.problem_for(Field::Password),
        Some(Problem::TooShort(12))
    );
    assert_eq!(
        err.problem_for(Field::PasswordConfirm),
        Some(Problem::Mismatch)
    );
    assert_eq!(err.problem_for(Field::Locale), Some(Problem::Unsupported));

    let mut long = input("long@example.com");
    long.name = "n".repeat(101);
    long.password = "p".repeat(129);
    long.password_confirm = long.password.clone();
    let err = service::register(db, long, now).await.unwrap_err();
    assert_eq!(err.problem_for(Field::Name), Some(Problem::TooLong(100)));
    assert_eq!(
        err.problem_for(Field::Password),
        Some(Problem::TooLong(128))
    );
    // Nothing refused was saved.
    assert_eq!(user_count(db).await, 1, "{}", t.backend);
    t.cleanup().await;
}

support::each_backend!(sign_in_rotates_tokens_and_sessions_expire_and_end);
async fn sign_in_rotates_tokens_and_sessions_expire_and_end(t: support::TestDb) {
    let config = AuthConfig::default();
    let db = &t.db;
    let now = Utc::now();
    let user = service::register(db, input("ann@example.com"), now)
        .await
        .unwrap();

    // Same answer for an unknown email and a wrong password.
    let unknown = service::sign_in(
        db,
        &config,
        "nobody@example.com",
        support::login_hash("nobody@example.com", PASSWORD),
        &client("10.0.0.1"),
        now,
    )
    .await;
    let wrong = service::sign_in(
        db,
        &config,
        "ann@example.com",
        support::login_hash("ann@example.com", "wrong password!"),
        &client("10.0.0.1"),
        now,
    )
    .await;
    assert_eq!(unknown, Err(AppError::InvalidCredentials));
    assert_eq!(wrong, Err(AppError::InvalidCredentials));

    let SignIn::Session(first) = service::sign_in(
        db,
        &config,
        " ANN@example.com",
        support::login_hash(" ANN@example.com", PASSWORD),
        &client("10.0.0.1"),
        now,
    )
    .await
    .unwrap() else {
        panic!("no second factor is enabled");
    };
    let SignIn::Session(second) = service::sign_in(
        db,
        &config,
        "ann@example.com",
        support::login_hash("ann@example.com", PASSWORD),
        &client("10.0.0.2"),
        now,
    )
    .await
    .unwrap() else {
        panic!("no second factor is enabled");
    };
    // A new random 256-bit token at every sign-in; only its hash is stored.
    assert_ne!(first, second);
    assert_eq!(first.len(), 43);
    let stored: Vec<String> = app::db::sessions::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.token_hash)
        .collect();
    assert!(!stored.contains(&first) && stored.contains(&session::token_hash(&first)));

    let actor = service::load_actor(db, &config, &first, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(actor.user_id, user);
    assert_eq!(actor.email, "ann@example.com");

    // Idle expiry: untouched for longer than the idle timeout.
    let later = now + config.session.idle + Duration::seconds(1);
    assert!(
        service::load_actor(db, &config, &first, later)
            .await
            .unwrap()
            .is_none(),
        "{}",
        t.backend
    );
    // The expired session is gone for good, even if asked again "earlier".
    assert!(
        service::load_actor(db, &config, &first, now)
            .await
            .unwrap()
            .is_none()
    );

    // Absolute expiry: used every 20 minutes, it still ends 12 hours after sign-in.
    let mut at = now;
    while at + Duration::minutes(20) < now + config.session.absolute {
        at += Duration::minutes(20);
        assert!(
            service::load_actor(db, &config, &second, at)
                .await
                .unwrap()
                .is_some(),
            "{at}"
        );
    }
    assert!(
        service::load_actor(db, &config, &second, now + config.session.absolute)
            .await
            .unwrap()
            .is_none()
    );

    // A forged token resolves to nothing.
    assert!(
        service::load_actor(db, &config, "forged-token", now)
            .await
            .unwrap()
            .is_none()
    );
    t.cleanup().await;
}

support::each_backend!(sign_out_everywhere_and_password_change_end_other_sessions);
async fn sign_out_everywhere_and_password_change_end_other_sessions(t: support::TestDb) {
    let config = AuthConfig::default();
    let db = &t.db;
    let now = Utc::now();
    service::register(db, input("ann@example.com"), now)
        .await
        .unwrap();
    let mut tokens = Vec::new();
    for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
        match service::sign_in(
            db,
            &config,
            "ann@example.com",
            support::login_hash("ann@example.com", PASSWORD),
            &client(ip),
            now,
        )
        .await
        .unwrap()
        {
            SignIn::Session(token) => tokens.push(token),
            other => panic!("{other:?}"),
        }
    }
    let actor = service::load_actor(db, &config, &tokens[0], now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session::list(db, actor.user_id).await.unwrap().len(), 3);

    // Change password: the current one is asked again, and the others end.
    let (current_hash, new_keys) =
        support::rewrap(db, &actor, PASSWORD, "a brand new passphrase").await;
    let err = service::change_password(
        db,
        &actor,
        support::login_hash("ann@example.com", "wrong"),
        new_keys.clone(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.problem_for(Field::CurrentPassword),
        Some(Problem::Wrong)
    );
    assert_eq!(
        session::list(db, actor.user_id).await.unwrap().len(),
        3,
        "refused: nothing changed"
    );
    service::change_password(db, &actor, current_hash, new_keys)
        .await
        .unwrap();
    assert!(
        service::load_actor(db, &config, &tokens[0], now)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        service::load_actor(db, &config, &tokens[1], now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        service::load_actor(db, &config, &tokens[2], now)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        service::sign_in(
            db,
            &config,
            "ann@example.com",
            support::login_hash("ann@example.com", PASSWORD),
            &client("10.0.0.9"),
            now
        )
        .await,
        Err(AppError::InvalidCredentials)
    );

    // Sign out everywhere: this session too.
    session::revoke_all(db, actor.user_id, None).await.unwrap();
    assert!(
        service::load_actor(db, &config, &tokens[0], now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(session::list(db, actor.user_id).await.unwrap().is_empty());

    // Ending one session by id works only on one's own.
    let SignIn::Session(token) = service::sign_in(
        db,
        &config,
        "ann@example.com",
        support::login_hash("ann@example.com", "a brand new passphrase"),
        &client("10.0.0.1"),
        now,
    )
    .await
    .unwrap() else {
        panic!()
    };
    let actor = service::load_actor(db, &config, &token, now)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !session::revoke_own(db, UserId(actor.user_id.0 + 1), actor.session_id)
            .await
            .unwrap()
    );
    assert!(
        session::revoke_own(db, actor.user_id, actor.session_id)
            .await
            .unwrap()
    );
    assert!(
        service::load_actor(db, &config, &token, now)
            .await
            .unwrap()
            .is_none()
    );
    t.cleanup().await;
}

support::each_backend!(sign_in_is_throttled_per_account_and_address_across_instances);
async fn sign_in_is_throttled_per_account_and_address_across_instances(t: support::TestDb) {
    let config = AuthConfig::default();
    let now = Utc::now();
    service::register(&t.db, input("ann@example.com"), now)
        .await
        .unwrap();
    // A second "server instance": its own connection pool on the same database.
    let other = t.second_connection().await;
    let attempt = |db, password: &str, ip: &str, at| {
        let password = password.to_owned();
        let ip = ip.to_owned();
        async move {
            service::sign_in(
                db,
                &config,
                "ann@example.com",
                support::login_hash("ann@example.com", &password),
                &client(&ip),
                at,
            )
            .await
        }
    };

    // Five free failures from one address, on either instance.
    for i in 0..5 {
        let db = if i % 2 == 0 { &t.db } else { &other };
        let result = attempt(db, "wrong password!", "10.0.0.1", now).await;
        assert_eq!(result, Err(AppError::InvalidCredentials), "{}", t.backend);
    }
    // Then that address waits 30 s after its last failure, even with the right password.
    let waiting = attempt(&other, PASSWORD, "10.0.0.1", now + Duration::seconds(10)).await;
    assert_eq!(
        waiting,
        Err(AppError::TooManyAttempts { minutes: 1 }),
        "{}",
        t.backend
    );
    // The owner at another address is not locked out (issue 16: lockout was a denial of
    // service).
    assert!(
        attempt(&t.db, PASSWORD, "10.9.9.9", now + Duration::seconds(10))
            .await
            .is_ok(),
        "{}: another address signs in",
        t.backend
    );
    // Growing delays: 30 s after the fifth failure, 60 s after the sixth.
    let sixth = now + Duration::seconds(31);
    assert_eq!(
        attempt(&t.db, "wrong password!", "10.0.0.1", sixth).await,
        Err(AppError::InvalidCredentials)
    );
    assert_eq!(
        attempt(
            &other,
            "wrong password!",
            "10.0.0.1",
            sixth + Duration::seconds(59)
        )
        .await,
        Err(AppError::TooManyAttempts { minutes: 1 })
    );
    let later = sixth + Duration::seconds(61);
    assert!(attempt(&other, PASSWORD, "10.0.0.1", later).await.is_ok());
    // A success clears the pair: the next wrong password is free again.
    assert_eq!(
        attempt(&t.db, "wrong password!", "10.0.0.1", later).await,
        Err(AppError::InvalidCredentials)
    );

    // Per address: past its ceiling of failures on assorted accounts, the address is
    // refused, on any account; other addresses are not.
    for i in 0..config.throttle.per_address {
        let email = format!("user{i}@example.com");
        let _ = service::sign_in(
            &t.db,
            &config,
            &email,
            support::login_hash(&email, "whatever password"),
            &client("10.6.6.6"),
            later,
        )
        .await;
    }
    let from_address = attempt(&other, PASSWORD, "10.6.6.6", later).await;
    assert_eq!(from_address, Err(AppError::TooManyAttempts { minutes: 60 }));
    assert!(attempt(&other, PASSWORD, "10.0.0.2", later).await.is_ok());
    other.close().await.unwrap();
    t.cleanup().await;
}

support::each_backend!(an_attacked_account_is_slowed_not_locked);
/// Past the account's ceiling (a botnet guessing from many addresses), every address is
/// slowed to one attempt a minute, yet an address that has not been guessing (the owner's)
/// still signs in at once.
async fn an_attacked_account_is_slowed_not_locked(t: support::TestDb) {
    let config = AuthConfig::default();
    let now = Utc::now();
    service::register(&t.db, input("ann@example.com"), now)
        .await
        .unwrap();
    for i in 0..config.throttle.account_ceiling {
        let result = service::sign_in(
            &t.db,
            &config,
            "ann@example.com",
            support::login_hash("ann@example.com", "a guess"),
            &client(&format!("198.51.100.{}", i % 250)),
            now,
        )
        .await;
        assert_eq!(result, Err(AppError::InvalidCredentials), "guess {i}");
    }
    let again = service::sign_in(
        &t.db,
        &config,
        "ann@example.com",
        support::login_hash("ann@example.com", "a guess"),
        &client("198.51.100.0"),
        now + Duration::seconds(30),
    )
    .await;
    assert_eq!(
        again,
        Err(AppError::TooManyAttempts { minutes: 1 }),
        "{}: a guessing address is slowed",
        t.backend
    );
    let owner = service::sign_in(
        &t.db,
        &config,
        "ann@example.com",
        support::login_hash("ann@example.com", PASSWORD),
        &client("203.0.113.5"),
        now + Duration::seconds(30),
    )
    .await;
    assert!(owner.is_ok(), "{}: the owner is not locked out", t.backend);
    t.cleanup().await;
}

support::each_backend!(parallel_guesses_cannot_overrun_the_throttle);
/// Issue 16: the check could be raced. Thirty wrong passwords at once were all checked, and
/// 24 wrong with the right one among them signed in. Now each attempt reserves its row before
/// any hashing: of any number of parallel attempts, no more than the free allowance is
/// checked, and the rest are told to wait.
async fn parallel_guesses_cannot_overrun_the_throttle(t: support::TestDb) {
    let config = AuthConfig::default();
    service::register(&t.db, input("ann@example.com"), Utc::now())
        .await
        .unwrap();
    let other = t.second_connection().await;
    let now = Utc::now();
    let mut tasks = Vec::new();
    for i in 0..30 {
        let db = if i % 2 == 0 {
            t.db.clone()
        } else {
            other.clone()
        };
        // The right password is the last one sent: it must not slip through the crowd.
        let password = if i == 29 { PASSWORD } else { "wrong password!" };
        tasks.push(tokio::spawn(async move {
            service::sign_in(
                &db,
                &config,
                "ann@example.com",
                support::login_hash("ann@example.com", password),
                &client("10.0.0.1"),
                now,
            )
            .await
        }));
    }
    let mut checked = 0;
    let mut waited = 0;
    for task in tasks {
        match task.await.unwrap() {
            Err(AppError::TooManyAttempts { .. }) => waited += 1,
            Err(AppError::InvalidCredentials) | Ok(_) => checked += 1,
            Err(other) => panic!("{}: unexpected {other:?}", t.backend),
        }
    }
    assert!(
        checked <= config.throttle.free_per_pair,
        "{}: {checked} passwords checked in parallel (at most {} may be)",
        t.backend,
        config.throttle.free_per_pair
    );
    assert_eq!(checked + waited, 30);
    // Every attempt that was checked is recorded; refused ones leave nothing behind.
    let rows = app::db::login_attempts::Entity::find()
        .count(&t.db)
        .await
        .unwrap();
    assert_eq!(rows, checked, "{}", t.backend);
    other.close().await.unwrap();
    t.cleanup().await;
}

support::each_backend!(parallel_two_step_codes_cannot_overrun_the_throttle);
/// The second step is throttled like the first, and cannot be raced either: thirty wrong
/// codes at once for one pending sign-in are not all checked.
async fn parallel_two_step_codes_cannot_overrun_the_throttle(t: support::TestDb) {
    let config = AuthConfig::default();
    let user = service::register(&t.db, input("ann@example.com"), Utc::now())
        .await
        .unwrap();
    app::db::users::Entity::update_many()
        .col_expr(
            app::db::users::Column::TotpSecret,
            sea_orm::sea_query::Expr::value("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
        )
        .filter(sea_orm::ColumnTrait::eq(
            &app::db::users::Column::Id,
            user.0,
        ))
        .exec(&t.db)
        .await
        .unwrap();
    let now = Utc::now();
    let SignIn::SecondFactorRequired(pending) = service::sign_in(
        &t.db,
        &config,
        "ann@example.com",
        support::login_hash("ann@example.com", PASSWORD),
        &client("10.0.0.1"),
        now,
    )
    .await
    .unwrap() else {
        panic!("expected the second step");
    };
    let mut tasks = Vec::new();
    for _ in 0..30 {
        let (db, pending) = (t.db.clone(), pending.clone());
        tasks.push(tokio::spawn(async move {
            app::accounts::two_step::complete_sign_in(
                &db,
                &config,
                &pending,
                "not-a-code",
                &client("10.0.0.1"),
                now,
            )
            .await
        }));
    }
    let mut checked = 0;
    for task in tasks {
        match task.await.unwrap() {
            Err(AppError::TooManyAttempts { .. }) => {}
            Err(AppError::Invalid(_)) => checked += 1,
            other => panic!("{}: unexpected {other:?}", t.backend),
        }
    }
    assert!(
        checked <= config.throttle.free_per_pair,
        "{}: {checked} codes checked in parallel",
        t.backend
    );
    t.cleanup().await;
}
