#![allow(clippy::unwrap_used)]
//! Provider keys (issue 21, VAULT.md §2): a provider the operator's command line made starts
//! without a key; its first confirmed Provider Admin sets it up once, wrapped to their own public
//! key. Nobody else can, a second setup is refused with the first key kept, and two admins
//! setting it up at the same moment leave exactly one key. Each test runs on SQLite and
//! PostgreSQL.

use crate::support;

use app::crypto::{PrivateKey, shared::new_provider};
use app::db::{provider_users, providers};
use app::error::{AppError, Refusal};
use app::ids::{ProviderId, UserId};
use app::providers::service::set_up_keys;
use app::vocabulary::{MemberStatus, ProviderUserType};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

async fn member(
    db: &sea_orm::DatabaseConnection,
    provider: ProviderId,
    email: &str,
    kind: ProviderUserType,
) -> UserId {
    let user = support::user(db, email).await;
    provider_users::ActiveModel {
        provider_id: Set(provider.0),
        user_id: Set(Some(user.0)),
        email: Set(email.into()),
        r#type: Set(kind),
        status: Set(MemberStatus::Confirmed),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    user
}

async fn keys_held(db: &sea_orm::DatabaseConnection, provider: ProviderId) -> u64 {
    provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::Key.is_not_null())
        .count(db)
        .await
        .unwrap()
}

support::each_backend!(a_provider_from_the_command_line_gets_its_key_once_from_an_admin);
async fn a_provider_from_the_command_line_gets_its_key_once_from_an_admin(t: support::TestDb) {
    let db = &t.db;
    let admin = support::user(db, "ada@msp.example").await;
    let provider = support::provider(db, "Keyless MSP", "ada@msp.example").await;
    let row = providers::Entity::find_by_id(provider.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.keys_made_at.is_none(), "the command line makes no key");
    assert_eq!(keys_held(db, provider).await, 0);
    let service = member(
        db,
        provider,
        "sid@msp.example",
        ProviderUserType::ServiceUser,
    )
    .await;
    let now = chrono::Utc::now();

    // A service user cannot set the provider's key: refused, nothing marked.
    let (_, wrapped) = new_provider(&PrivateKey::generate().public_key());
    assert_eq!(
        set_up_keys(db, provider, service, &wrapped, now)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    let row = providers::Entity::find_by_id(provider.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.keys_made_at.is_none());
    assert_eq!(keys_held(db, provider).await, 0);

    // The admin can, once; a second setup is refused and the first key stays.
    let ada = PrivateKey::generate();
    let (key, for_ada) = new_provider(&ada.public_key());
    set_up_keys(db, provider, admin, &for_ada, now)
        .await
        .unwrap();
    let (_, other) = new_provider(&ada.public_key());
    assert_eq!(
        set_up_keys(db, provider, admin, &other, now)
            .await
            .unwrap_err(),
        AppError::Refused(Refusal::StatusChanged)
    );
    let held = provider_users::Entity::find()
        .filter(provider_users::Column::UserId.eq(admin.0))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .key
        .unwrap();
    assert_eq!(held, for_ada.to_string());
    let opened = ada.unwrap_key(&held.parse().unwrap()).unwrap();
    assert_eq!(opened.to_bytes(), key.to_bytes());
    assert_eq!(keys_held(db, provider).await, 1);
    t.cleanup().await;
}

support::each_backend!(
    two_admins_setting_up_at_once_leave_one_key,
    flavor = "multi_thread"
);
async fn two_admins_setting_up_at_once_leave_one_key(t: support::TestDb) {
    let db = &t.db;
    let first = support::user(db, "fay@msp.example").await;
    let provider = support::provider(db, "Racing MSP", "fay@msp.example").await;
    let second = member(
        db,
        provider,
        "gus@msp.example",
        ProviderUserType::ProviderAdmin,
    )
    .await;
    let now = chrono::Utc::now();
    let (_, a) = new_provider(&PrivateKey::generate().public_key());
    let (_, b) = new_provider(&PrivateKey::generate().public_key());
    let (one, two) = tokio::join!(
        set_up_keys(db, provider, first, &a, now),
        set_up_keys(db, provider, second, &b, now)
    );
    assert_eq!(
        [one.is_ok(), two.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "{one:?} {two:?}"
    );
    assert_eq!(keys_held(db, provider).await, 1);
    t.cleanup().await;
}
