#![allow(clippy::unwrap_used)]
//! Zero-knowledge accounts (issue 20, VAULT.md §2): registration stores the keys the browser
//! made and a hash of the login hash, never the password; a sign-in sends the login hash; an
//! account made before zero knowledge signs in once with its password and the keys made from
//! it, which replace the old hash; changing the master password re-wraps the same user key;
//! malformed keys and KDF settings out of bounds are refused with nothing saved. Each test
//! runs on SQLite and PostgreSQL.

use crate::support;

use app::accounts::service::{self, AuthConfig, SignIn};
use app::accounts::session::ClientInfo;
use app::accounts::verification::{self, Registration};
use app::crypto::{AccountKeys, Kdf, account};
use app::db::users;
use app::error::{AppError, Refusal};
use app::mail::{Mailer, Outbox};
use axum::http::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

const PASSWORD: &str = "correct horse battery staple";

fn client() -> ClientInfo {
    ClientInfo {
        ip: Some("192.0.2.20".into()),
        user_agent: None,
    }
}

async fn row(db: &sea_orm::DatabaseConnection, email: &str) -> Option<users::Model> {
    users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await
        .unwrap()
}

/// Registers through the browser's path with mail off (the account is made at once).
async fn register(
    db: &sea_orm::DatabaseConnection,
    input: service::WebRegistration,
) -> Result<Registration, AppError> {
    let mailer = Mailer::off();
    let outbox = Outbox {
        mailer: &mailer,
        base_url: "http://portal.test",
        locale: app::i18n::Locale::en,
    };
    verification::register(
        db,
        &outbox,
        &AuthConfig::default().throttle,
        &client(),
        input,
        None,
        None,
        chrono::Utc::now(),
    )
    .await
}

fn argon2_matches(hash: &str, secret: &str) -> bool {
    use argon2::PasswordVerifier;
    let parsed = argon2::PasswordHash::new(hash).unwrap();
    argon2::Argon2::default()
        .verify_password(secret.as_bytes(), &parsed)
        .is_ok()
}

support::each_backend!(a_registration_keeps_keys_and_a_hash_of_the_login_hash_only);
async fn a_registration_keeps_keys_and_a_hash_of_the_login_hash_only(t: support::TestDb) {
    let db = &t.db;
    let input = support::web_registration(" Ann@Example.com", "Ann", PASSWORD);
    let keys = input.keys.clone();
    assert_eq!(register(db, input).await, Ok(Registration::Created));
    let ann = row(db, "ann@example.com")
        .await
        .expect("the account exists");
    assert_eq!(ann.master_password_salt.as_deref(), Some("ann@example.com"));
    assert_eq!(ann.kdf, Some(app::vocabulary::KdfKind::Pbkdf2));
    assert_eq!(ann.kdf_iterations, Some(600_000));
    assert_eq!(
        ann.user_key.as_deref(),
        Some(keys.master.user_key.to_string().as_str())
    );
    assert_eq!(ann.public_key.as_deref(), Some(keys.public_key.as_str()));
    assert!(argon2_matches(&ann.password_hash, &keys.master.login_hash));
    assert!(
        !argon2_matches(&ann.password_hash, PASSWORD),
        "the password itself was never hashed here"
    );
    // The wrapped keys open with the password, in the browser.
    let own = service::own_keys(db, &support::actor(db, app::ids::UserId(ann.id)).await)
        .await
        .unwrap()
        .unwrap();
    let (_, private) = account::unlock(
        PASSWORD,
        &own.salt,
        own.kdf,
        &own.user_key,
        &own.private_key,
    )
    .unwrap();
    assert_eq!(private.public_key().to_base64(), own.public_key);

    // A sign-in sends the login hash; the password in its place is a wrong password.
    let config = AuthConfig::default();
    let signed = service::sign_in(
        db,
        &config,
        "ann@example.com",
        support::login_hash("ann@example.com", PASSWORD),
        &client(),
        chrono::Utc::now(),
    )
    .await;
    assert!(matches!(signed, Ok(SignIn::Session(_))), "{signed:?}");
    let refused = service::sign_in(
        db,
        &config,
        "ann@example.com",
        PASSWORD.into(),
        &client(),
        chrono::Utc::now(),
    )
    .await;
    assert_eq!(refused, Err(AppError::InvalidCredentials));
    t.cleanup().await;
}

support::each_backend!(malformed_keys_and_kdf_settings_out_of_bounds_save_nothing);
async fn malformed_keys_and_kdf_settings_out_of_bounds_save_nothing(t: support::TestDb) {
    let db = &t.db;
    let good = support::web_registration("bo@example.com", "Bo", PASSWORD);
    let with = |change: &dyn Fn(&mut AccountKeys)| {
        let mut input = good.clone();
        change(&mut input.keys);
        input
    };
    let cases: [(&str, service::WebRegistration, Refusal); 5] = [
        (
            "too few PBKDF2 iterations",
            with(&|k| {
                k.master.kdf = Kdf::Pbkdf2 {
                    iterations: 100_000,
                }
            }),
            Refusal::KdfOutOfBounds,
        ),
        (
            "too much Argon2 memory",
            with(&|k| {
                k.master.kdf = Kdf::Argon2id {
                    iterations: 3,
                    memory_mib: 4096,
                    parallelism: 4,
                }
            }),
            Refusal::KdfOutOfBounds,
        ),
        (
            "a short login hash",
            with(&|k| k.master.login_hash = "c2hvcnQ=".into()),
            Refusal::MalformedKeys,
        ),
        (
            "a login hash that is not base64",
            with(&|k| k.master.login_hash = "not base64 at all!".into()),
            Refusal::MalformedKeys,
        ),
        (
            "a public key that is not RSA",
            with(&|k| k.public_key = "AAAA".into()),
            Refusal::MalformedKeys,
        ),
    ];
    for (what, input, refusal) in cases {
        assert_eq!(
            register(db, input).await,
            Err(AppError::Refused(refusal)),
            "{what} ({})",
            t.backend
        );
    }
    assert_eq!(users::Entity::find().count(db).await.unwrap(), 0);
    t.cleanup().await;
}

/// An account as the previous schema made it: the password's Argon2id hash, no keys.
async fn legacy(db: &sea_orm::DatabaseConnection, email: &str, password: &str) -> i64 {
    use argon2::PasswordHasher;
    let salt = argon2::password_hash::SaltString::encode_b64(b"a legacy salt!!").unwrap();
    let hash = argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .unwrap()
        .to_string();
    users::ActiveModel {
        email: Set(email.into()),
        name: Set("Old Timer".into()),
        password_hash: Set(hash),
        locale: Set("en".into()),
        created_at: Set(chrono::Utc::now()),
        email_verified_at: Set(Some(chrono::Utc::now())),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

support::each_backend!(an_account_from_before_zero_knowledge_is_upgraded_at_its_next_sign_in);
async fn an_account_from_before_zero_knowledge_is_upgraded_at_its_next_sign_in(t: support::TestDb) {
    let db = &t.db;
    let config = AuthConfig::default();
    let now = chrono::Utc::now();
    let id = legacy(db, "old@example.com", PASSWORD).await;
    // Prelogin answers with the address's decoy; the browser derives, the server says upgrade.
    let prelogin = app::accounts::prelogin::prelogin(db, "old@example.com")
        .await
        .unwrap();
    let hash = account::login_hash(PASSWORD, &prelogin.salt, prelogin.kdf).unwrap();
    assert_eq!(
        service::sign_in(db, &config, "old@example.com", hash, &client(), now).await,
        Ok(SignIn::UpgradeRequired)
    );
    let keys = account::new_account(PASSWORD, &prelogin.salt, prelogin.kdf).unwrap();
    let before = row(db, "old@example.com").await.unwrap();

    // The wrong password changes nothing; neither does an upgrade of an account with keys.
    let wrong = service::upgrade(
        db,
        &config,
        "old@example.com",
        "not the password".into(),
        keys.clone(),
        &client(),
        now,
    )
    .await;
    assert_eq!(wrong, Err(AppError::InvalidCredentials));
    assert_eq!(row(db, "old@example.com").await.unwrap(), before);

    let upgraded = service::upgrade(
        db,
        &config,
        "old@example.com",
        PASSWORD.into(),
        keys.clone(),
        &client(),
        now,
    )
    .await;
    assert!(matches!(upgraded, Ok(SignIn::Session(_))), "{upgraded:?}");
    let after = row(db, "old@example.com").await.unwrap();
    assert_eq!(after.id, id);
    assert!(after.kdf.is_some() && after.user_key.is_some() && after.private_key.is_some());
    assert!(
        !argon2_matches(&after.password_hash, PASSWORD),
        "the old hash is gone"
    );
    assert!(argon2_matches(
        &after.password_hash,
        &keys.master.login_hash
    ));
    // Now an account like any other: the login hash signs in, the password upgrades nothing.
    let hash = account::login_hash(PASSWORD, &prelogin.salt, prelogin.kdf).unwrap();
    let again = service::sign_in(db, &config, "old@example.com", hash, &client(), now).await;
    assert!(matches!(again, Ok(SignIn::Session(_))), "{again:?}");
    let replay = service::upgrade(
        db,
        &config,
        "old@example.com",
        PASSWORD.into(),
        account::new_account(PASSWORD, &prelogin.salt, prelogin.kdf).unwrap(),
        &client(),
        now,
    )
    .await;
    assert_eq!(replay, Err(AppError::InvalidCredentials));
    assert_eq!(
        row(db, "old@example.com").await.unwrap().user_key,
        after.user_key,
        "the keys stay"
    );
    t.cleanup().await;
}

support::each_backend!(a_new_master_password_rewraps_the_same_user_key);
async fn a_new_master_password_rewraps_the_same_user_key(t: support::TestDb) {
    let db = &t.db;
    register(
        db,
        support::web_registration("cy@example.com", "Cy", PASSWORD),
    )
    .await
    .unwrap();
    let cy = row(db, "cy@example.com").await.unwrap();
    let actor = support::actor(db, app::ids::UserId(cy.id)).await;
    let own = service::own_keys(db, &actor).await.unwrap().unwrap();
    let (user_key, _) = account::unlock(
        PASSWORD,
        &own.salt,
        own.kdf,
        &own.user_key,
        &own.private_key,
    )
    .unwrap();

    // Argon2id this time: changing the KDF settings is the same operation.
    let argon = Kdf::Argon2id {
        iterations: 3,
        memory_mib: 16,
        parallelism: 1,
    };
    let (current, new) = account::change_master_password(
        PASSWORD,
        "a brand new passphrase",
        &own.salt,
        own.kdf,
        argon,
        &own.user_key,
    )
    .unwrap();
    let mut weak = new.clone();
    weak.kdf = Kdf::Argon2id {
        iterations: 1,
        memory_mib: 16,
        parallelism: 1,
    };
    assert_eq!(
        service::change_password(db, &actor, current.clone(), weak).await,
        Err(AppError::Refused(Refusal::KdfOutOfBounds))
    );
    assert_eq!(
        row(db, "cy@example.com").await.unwrap(),
        cy,
        "nothing saved"
    );
    service::change_password(db, &actor, current, new)
        .await
        .unwrap();

    let own = service::own_keys(db, &actor).await.unwrap().unwrap();
    assert_eq!(own.kdf, argon);
    assert_eq!(own.salt, "cy@example.com", "the salt stays");
    let (same, _) = account::unlock(
        "a brand new passphrase",
        &own.salt,
        own.kdf,
        &own.user_key,
        &own.private_key,
    )
    .unwrap();
    assert_eq!(same.to_bytes(), user_key.to_bytes());
    assert!(
        account::unlock(
            PASSWORD,
            &own.salt,
            own.kdf,
            &own.user_key,
            &own.private_key
        )
        .is_err()
    );
    t.cleanup().await;
}

support::each_backend!(an_envelope_of_another_type_is_refused_at_the_door);
/// Through HTTP: a type-0 envelope (no MAC) does not decode; the answer says nothing about the
/// parser and nothing is saved. The password-policy endpoint gives an invitation's rules.
async fn an_envelope_of_another_type_is_refused_at_the_door(t: support::TestDb) {
    let db = &t.db;
    let app = support::router_for(db);
    let mut keys =
        serde_json::to_value(support::web_registration("di@example.com", "Di", PASSWORD).keys)
            .unwrap();
    keys["master"]["user_key"] = "0.AAAAAAAAAAAAAAAAAAAAAA==|AAAA".into();
    let body = serde_json::json!({
        "email": "di@example.com",
        "name": "Di",
        "locale": "en",
        "keys": keys,
    });
    let (status, answer) =
        support::post_form(&app, "/api/accounts/register", &body.to_string(), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer, "\"BadRequest\"");
    assert_eq!(users::Entity::find().count(db).await.unwrap(), 0);

    let (status, answer) =
        support::post_form(&app, "/api/accounts/password-policy", "", None).await;
    assert_eq!((status, answer.as_str()), (StatusCode::OK, "null"));
    t.cleanup().await;
}

support::each_backend!(the_lock_timeout_is_the_accounts_own_and_refuses_other_values);
/// Lock and unlock: keys live in the tab's memory only, and how soon an idle tab forgets them
/// is the account's own setting (15 minutes until changed), served with the viewer the idle
/// watcher reads and with the account page. A value the form never offers is refused with
/// nothing changed. The keys the account page opens name the account, whose id is the
/// fingerprint phrase's material: the phrase made from the opened private key is the one
/// anybody makes from the stored public key.
async fn the_lock_timeout_is_the_accounts_own_and_refuses_other_values(t: support::TestDb) {
    let db = &t.db;
    let app = support::router_for(db);
    for (email, name) in [("el@example.com", "El"), ("fay@example.com", "Fay")] {
        register(db, support::web_registration(email, name, PASSWORD))
            .await
            .unwrap();
    }
    let el = row(db, "el@example.com").await.unwrap();
    let fay = row(db, "fay@example.com").await.unwrap();
    let cookie = support::session_cookie(db, app::ids::UserId(el.id)).await;
    let lock_of = |path: &'static str| {
        let (app, cookie) = (app.clone(), cookie.clone());
        async move {
            let (status, answer) = support::post_form(&app, path, "", Some(&cookie)).await;
            assert_eq!(status, StatusCode::OK, "{answer}");
            serde_json::from_str::<serde_json::Value>(&answer).unwrap()["lock"].clone()
        }
    };
    assert_eq!(lock_of("/api/accounts/viewer").await, 15, "the default");

    let (status, answer) = support::post_form(
        &app,
        "/api/accounts/set-lock-timeout",
        "minutes=5",
        Some(&cookie),
    )
    .await;
    assert_eq!((status, answer.as_str()), (StatusCode::OK, "5"));
    assert_eq!(lock_of("/api/accounts/viewer").await, 5);
    assert_eq!(lock_of("/api/accounts/details").await, 5);
    let (_, details) = support::post_form(&app, "/api/accounts/details", "", Some(&cookie)).await;
    let details: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(
        details["kdf"],
        serde_json::json!({"kind": "pbkdf2", "iterations": 600_000}),
        "the account page shows the key derivation settings it would change"
    );

    for bad in ["minutes=7", "minutes=-1", "minutes=forever", "minutes="] {
        let (status, answer) =
            support::post_form(&app, "/api/accounts/set-lock-timeout", bad, Some(&cookie)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {answer}");
    }
    assert_eq!(row(db, "el@example.com").await.unwrap().lock_minutes, 5);

    // "Only when the page reloads".
    let (status, _) = support::post_form(
        &app,
        "/api/accounts/set-lock-timeout",
        "minutes=0",
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(lock_of("/api/accounts/viewer").await, 0);
    assert_eq!(
        row(db, "fay@example.com").await.unwrap(),
        fay,
        "another account keeps its own"
    );

    let (status, answer) = support::post_form(&app, "/api/accounts/keys", "", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let own: app::accounts::types::OwnKeys = serde_json::from_str(&answer).unwrap();
    assert_eq!(own.user, app::ids::UserId(el.id));
    let (_, private) = account::unlock(
        PASSWORD,
        &own.salt,
        own.kdf,
        &own.user_key,
        &own.private_key,
    )
    .unwrap();
    let stored = app::crypto::PublicKey::from_base64(&own.public_key).unwrap();
    assert_eq!(
        private.public_key().fingerprint(&own.user.to_string()),
        stored.fingerprint(&el.id.to_string())
    );
    t.cleanup().await;
}
