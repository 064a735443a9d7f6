#![allow(clippy::unwrap_used)]
//! Prelogin (issue 20, VAULT.md §2): an account's key-derivation settings and salt for the
//! browser, and for every other address a decoy of the same shape, stable per address and
//! the same from every server instance. Each test runs on SQLite and PostgreSQL.

use crate::support;

use app::accounts::prelogin::{decoy, prelogin};
use app::crypto::Kdf;
use app::db::users;
use app::vocabulary::KdfKind;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};

/// Gives the account the settings a browser would have registered it with.
async fn with_keys(db: &sea_orm::DatabaseConnection, email: &str, kdf: Kdf, salt: &str) {
    let id = support::user(db, email).await;
    let user = users::Entity::find_by_id(id.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut user: users::ActiveModel = user.into();
    let (kind, iterations, memory, parallelism) = match kdf {
        Kdf::Pbkdf2 { iterations } => (KdfKind::Pbkdf2, iterations, None, None),
        Kdf::Argon2id {
            iterations,
            memory_mib,
            parallelism,
        } => (
            KdfKind::Argon2id,
            iterations,
            Some(memory_mib),
            Some(parallelism),
        ),
    };
    let int = |v: u32| i32::try_from(v).unwrap();
    user.kdf = Set(Some(kind));
    user.kdf_iterations = Set(Some(int(iterations)));
    user.kdf_memory_mib = Set(memory.map(int));
    user.kdf_parallelism = Set(parallelism.map(int));
    user.master_password_salt = Set(Some(salt.to_owned()));
    user.update(db).await.unwrap();
}

async fn secrets(db: &sea_orm::DatabaseConnection) -> u64 {
    app::db::server_secrets::Entity::find()
        .count(db)
        .await
        .unwrap()
}

support::each_backend!(an_account_gets_its_own_settings_and_salt);
async fn an_account_gets_its_own_settings_and_salt(t: support::TestDb) {
    let argon = Kdf::Argon2id {
        iterations: 4,
        memory_mib: 128,
        parallelism: 2,
    };
    // The salt stays what the account was made with, after an address change too.
    with_keys(&t.db, "ann@example.com", argon, "ann.old@example.com").await;
    let answer = prelogin(&t.db, "  Ann@Example.COM ").await.unwrap();
    assert_eq!(answer.kdf, argon);
    assert_eq!(answer.salt, "ann.old@example.com");
    t.cleanup().await;
}

support::each_backend!(strangers_get_a_stable_decoy_of_the_same_shape);
async fn strangers_get_a_stable_decoy_of_the_same_shape(t: support::TestDb) {
    let first = prelogin(&t.db, "nobody@example.com").await.unwrap();
    assert!(first.kdf.check_bounds().is_ok(), "{first:?}");
    assert_eq!(
        first.salt, "nobody@example.com",
        "the salt a real account would have"
    );
    // The same answer every time, however the address is written.
    for _ in 0..3 {
        assert_eq!(prelogin(&t.db, "NOBODY@example.com ").await.unwrap(), first);
    }
    // An account made before zero knowledge has no settings yet: it gets its decoy, like a
    // stranger, until its next sign-in upgrades it.
    support::user(&t.db, "old@example.com").await;
    let old = prelogin(&t.db, "old@example.com").await.unwrap();
    assert_eq!(old.salt, "old@example.com");
    assert!(old.kdf.check_bounds().is_ok());
    // Real answers and decoys serialize to the same fields.
    with_keys(&t.db, "ann@example.com", Kdf::default(), "ann@example.com").await;
    let real = serde_json::to_value(prelogin(&t.db, "ann@example.com").await.unwrap()).unwrap();
    let fake = serde_json::to_value(&first).unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&real), keys(&fake));
    // One secret, made once and kept.
    assert_eq!(secrets(&t.db).await, 1);
    t.cleanup().await;
}

support::each_backend!(instances_on_one_database_give_the_same_decoys);
async fn instances_on_one_database_give_the_same_decoys(t: support::TestDb) {
    // Two connections making the secret at once (two instances starting): one secret wins,
    // and both then answer alike.
    let other = t.second_connection().await;
    let (a, b) = tokio::join!(
        prelogin(&t.db, "someone@example.com"),
        prelogin(&other, "someone@example.com")
    );
    assert_eq!(a.unwrap(), b.unwrap());
    for n in 0..20 {
        let email = format!("visitor{n}@example.com");
        assert_eq!(
            prelogin(&t.db, &email).await.unwrap(),
            prelogin(&other, &email).await.unwrap()
        );
    }
    assert_eq!(secrets(&t.db).await, 1);
    t.cleanup().await;
}

#[test]
fn decoys_follow_what_accounts_are_made_with() {
    // Keyed: another server's secret picks differently, so nobody can compute them.
    let picks = |secret: &[u8]| {
        (0..1000)
            .map(|n| decoy(secret, &format!("user{n}@example.com")).kdf)
            .collect::<Vec<_>>()
    };
    let ours = picks(&[1; 32]);
    assert_ne!(ours, picks(&[2; 32]));
    // Mostly Bitwarden's PBKDF2 default, about one in ten its Argon2id default, nothing else.
    let argon = ours.iter().filter(|k| **k == Kdf::ARGON2_DEFAULT).count();
    assert!((50..=160).contains(&argon), "{argon} of 1000");
    assert!(
        ours.iter()
            .all(|k| *k == Kdf::ARGON2_DEFAULT || *k == Kdf::default())
    );
}

support::each_backend!(the_endpoint_answers_visitors_with_json);
async fn the_endpoint_answers_visitors_with_json(t: support::TestDb) {
    with_keys(&t.db, "ann@example.com", Kdf::default(), "ann@example.com").await;
    let app = support::router_for(&t.db);
    for email in ["ann@example.com", "nobody@example.com"] {
        let (status, body) = support::post_form(
            &app,
            "/api/accounts/prelogin",
            &format!("email={}", email.replace('@', "%40")),
            None,
        )
        .await;
        assert_eq!(status, axum::http::StatusCode::OK, "{body}");
        let answer: app::accounts::types::Prelogin = serde_json::from_str(&body).unwrap();
        assert_eq!(answer.salt, email);
    }
    t.cleanup().await;
}
