#![allow(clippy::unwrap_used)]
//! The vault's tables (issue 22, migration 18): an item sealed in the browser is stored and read
//! back as it was sent, with nothing of what was typed in its row; the database keeps each item
//! to one owner (a user or an organization) and a known type; every vault row goes with what
//! owns it. SQLite and PostgreSQL.

use crate::support;

use app::crypto::vault::{Item, ItemType, Login, SealedItem, new_item_key};
use app::crypto::{EncString, SymmetricKey};
use app::db::{cipher_folders, ciphers, collection_ciphers, collection_members, collections};
use app::db::{favorites, folders, organizations, users};
use app::members::types::Permissions;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, ModelTrait, PaginatorTrait, Set};
use support::{acme, membership, user};

fn login(name: &str, username: &str, password: &str) -> Item<String> {
    Item {
        login: Some(Login {
            username: Some(username.into()),
            password: Some(password.into()),
            totp: None,
            uris: Vec::new(),
            password_revision_date: None,
        }),
        ..Item::new(ItemType::Login, name.into())
    }
}

/// An item row as the vault's service will write it: the sealed JSON and the wrapped key.
fn row(owner_key: &SymmetricKey, item: Item<String>) -> (SymmetricKey, ciphers::ActiveModel) {
    let (item_key, wrapped) = new_item_key(owner_key);
    let sealed = item.seal(&item_key);
    sealed.check().unwrap();
    let now = Utc::now();
    let model = ciphers::ActiveModel {
        r#type: Set(1),
        key: Set(wrapped.to_string()),
        data: Set(serde_json::to_string(&sealed).unwrap()),
        created_at: Set(now),
        revision_date: Set(now),
        ..Default::default()
    };
    (item_key, model)
}

async fn count<E>(db: &impl ConnectionTrait) -> u64
where
    E: EntityTrait,
    E::Model: Sync,
{
    PaginatorTrait::count(E::find(), db).await.unwrap()
}

support::each_backend!(a_sealed_item_is_stored_and_read_back_as_sent);
async fn a_sealed_item_is_stored_and_read_back_as_sent(t: support::TestDb) {
    let db = &t.db;
    let kim = user(db, "kim@acme.example").await;
    let user_key = SymmetricKey::generate();
    let typed = login("Acme portal", "kim@acme.example", "violet kettle harbour");
    let (_, mut model) = row(&user_key, typed.clone());
    model.user_id = Set(Some(kim.0));
    let stored = model.insert(db).await.unwrap();
    assert_eq!(stored.revision, 1, "{}", t.backend);
    assert!(stored.deleted_at.is_none());
    for secret in ["Acme portal", "violet kettle harbour", "kim@acme.example"] {
        assert!(
            !stored.data.contains(secret),
            "{}: {secret} stored",
            t.backend
        );
    }
    // Read back and opened as the browser will: the key under the user key, then each field.
    let back = ciphers::Entity::find_by_id(stored.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let key: EncString = back.key.parse().unwrap();
    let item_key = key.decrypt_key(&user_key).unwrap();
    let sealed: SealedItem = serde_json::from_str(&back.data).unwrap();
    assert_eq!(sealed.open(&item_key).unwrap(), typed);
    t.cleanup().await;
}

support::each_backend!(an_item_has_one_owner_and_a_known_type);
async fn an_item_has_one_owner_and_a_known_type(t: support::TestDb) {
    let db = &t.db;
    let owner = user(db, "owner@acme.example").await;
    let org = acme(db, owner, 10).await;
    let key = SymmetricKey::generate();
    let item = || row(&key, login("x", "y", "z")).1;

    let mut both = item();
    both.user_id = Set(Some(owner.0));
    both.organization_id = Set(Some(org.organization_id.0));
    assert!(both.insert(db).await.is_err(), "{}: two owners", t.backend);
    assert!(item().insert(db).await.is_err(), "{}: no owner", t.backend);
    let mut unknown = item();
    unknown.user_id = Set(Some(owner.0));
    unknown.r#type = Set(9);
    assert!(unknown.insert(db).await.is_err(), "{}: type 9", t.backend);
    let mut stranger = item();
    stranger.user_id = Set(Some(999_999));
    assert!(
        stranger.insert(db).await.is_err(),
        "{}: no such user",
        t.backend
    );
    assert_eq!(count::<ciphers::Entity>(db).await, 0);
    t.cleanup().await;
}

support::each_backend!(vault_rows_go_with_what_owns_them);
async fn vault_rows_go_with_what_owns_them(t: support::TestDb) {
    let db = &t.db;
    let owner = user(db, "owner@acme.example").await;
    let org = acme(db, owner, 10).await;
    let kim = user(db, "kim@acme.example").await;
    let kim_member = membership(
        db,
        org.organization_id,
        Some(kim),
        "kim@acme.example",
        "user",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let (user_key, org_key) = (SymmetricKey::generate(), SymmetricKey::generate());
    let now = Utc::now();

    // Kim's personal item in a folder of hers, a favorite.
    let mut personal = row(&user_key, login("mine", "kim", "p1")).1;
    personal.user_id = Set(Some(kim.0));
    let personal = personal.insert(db).await.unwrap();
    let folder = folders::ActiveModel {
        user_id: Set(kim.0),
        name: Set(EncString::encrypt_str(&user_key, "Work").to_string()),
        created_at: Set(now),
        revision_date: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    // The organization's item in a collection Kim can view, also in Kim's folder.
    let mut shared = row(&org_key, login("ours", "team", "p2")).1;
    shared.organization_id = Set(Some(org.organization_id.0));
    let shared = shared.insert(db).await.unwrap();
    let collection = collections::ActiveModel {
        organization_id: Set(org.organization_id.0),
        name: Set(EncString::encrypt_str(&org_key, "Shared").to_string()),
        created_at: Set(now),
        revision_date: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    collection_ciphers::ActiveModel {
        collection_id: Set(collection.id),
        cipher_id: Set(shared.id),
    }
    .insert(db)
    .await
    .unwrap();
    collection_members::ActiveModel {
        collection_id: Set(collection.id),
        organization_user_id: Set(kim_member.0),
        read_only: Set(true),
        hide_passwords: Set(false),
        manage: Set(false),
    }
    .insert(db)
    .await
    .unwrap();
    for cipher in [personal.id, shared.id] {
        cipher_folders::ActiveModel {
            user_id: Set(kim.0),
            cipher_id: Set(cipher),
            folder_id: Set(folder.id),
        }
        .insert(db)
        .await
        .unwrap();
        favorites::ActiveModel {
            user_id: Set(kim.0),
            cipher_id: Set(cipher),
        }
        .insert(db)
        .await
        .unwrap();
    }

    // The membership goes: so does Kim's access to the collection, nothing else.
    app::db::organization_users::Entity::delete_by_id(kim_member.0)
        .exec(db)
        .await
        .unwrap();
    assert_eq!(
        count::<collection_members::Entity>(db).await,
        0,
        "{}",
        t.backend
    );
    assert_eq!(count::<collection_ciphers::Entity>(db).await, 1);
    // The organization goes: its items, collections and their links with it, and Kim's
    // folder and favorite entries for its item.
    organizations::Entity::find_by_id(org.organization_id.0)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .delete(db)
        .await
        .unwrap();
    assert_eq!(count::<ciphers::Entity>(db).await, 1, "{}", t.backend);
    assert_eq!(count::<collections::Entity>(db).await, 0);
    assert_eq!(count::<collection_ciphers::Entity>(db).await, 0);
    assert_eq!(count::<cipher_folders::Entity>(db).await, 1);
    assert_eq!(count::<favorites::Entity>(db).await, 1);
    // Kim goes: her item, folder and entries with her.
    users::Entity::delete_by_id(kim.0).exec(db).await.unwrap();
    assert_eq!(count::<ciphers::Entity>(db).await, 0, "{}", t.backend);
    assert_eq!(count::<folders::Entity>(db).await, 0);
    assert_eq!(count::<cipher_folders::Entity>(db).await, 0);
    assert_eq!(count::<favorites::Entity>(db).await, 0);
    t.cleanup().await;
}
