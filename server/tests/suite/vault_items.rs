#![allow(clippy::unwrap_used)]
//! A user's own vault items over HTTP (issue 22): created, listed, changed and trashed through
//! the server functions as the browser calls them, each sealed in the body. Refused with
//! nothing changed: a body with a plaintext string, an unknown field or an envelope of another
//! type (at the door, 400), an item whose data does not match its type or too large, a write
//! based on an older revision (V4, 409), someone else's item (404). SQLite and PostgreSQL.

use crate::support;

use app::crypto::SymmetricKey;
use app::crypto::vault::SealedItem;
use app::db::ciphers;
use app::vault::types::{MAX_ITEM_BYTES, SyncPage, Written};
use axum::http::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use support::{item_input, post_form, post_json, session_cookie, user};

/// `vault/create` with `input` (`{key, item}`).
async fn create(
    app: &axum::Router,
    input: serde_json::Value,
    cookie: &str,
) -> (StatusCode, String) {
    post_json(
        app,
        "/api/vault/create",
        serde_json::json!({"input": input}),
        cookie,
    )
    .await
}

support::each_backend!(own_items_are_created_listed_changed_and_trashed);
async fn own_items_are_created_listed_changed_and_trashed(t: support::TestDb) {
    let db = &t.db;
    let app = support::router_for(db);
    let kim = session_cookie(db, user(db, "kim@acme.example").await).await;
    let user_key = SymmetricKey::generate();

    let (status, text) = create(&app, item_input(&user_key, "Alarm code"), &kim).await;
    assert_eq!(status, StatusCode::OK, "{}: {text}", t.backend);
    let created: Written = serde_json::from_str(&text).unwrap();
    assert_eq!(created.revision, 1);

    // Listed, and opened with the user key as the browser will.
    let (status, text) = post_form(&app, "/api/vault/sync", "", Some(&kim)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let page: SyncPage = serde_json::from_str(&text).unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(page.next.is_none());
    let listed = &page.items[0].stored;
    assert!(page.items[0].organization.is_none());
    assert!(page.items[0].rights.edit && page.items[0].rights.manage);
    let item_key = listed.key.decrypt_key(&user_key).unwrap();
    let opened = listed.item.clone().open(&item_key).unwrap();
    assert_eq!(opened.name, "Alarm code");
    assert!(!listed.trashed);

    // Changed from revision 1; a second change based on revision 1 is stale.
    let update = |revision: i64, name: &str| serde_json::json!({"id": created.id, "revision": revision, "input": item_input(&user_key, name)});
    let (status, text) = post_json(&app, "/api/vault/update", update(1, "Alarm"), &kim).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let changed: Written = serde_json::from_str(&text).unwrap();
    assert_eq!(changed.revision, 2);
    let before = stored(db, created.id.0).await;
    let (status, _) = post_json(&app, "/api/vault/update", update(1, "Stale"), &kim).await;
    assert_eq!(status, StatusCode::CONFLICT, "{}: a stale write", t.backend);
    assert_eq!(stored(db, created.id.0).await, before, "nothing changed");

    // Trashed and restored, each naming the revision it read.
    let trash =
        |revision: i64, trash: bool| format!("id={}&revision={revision}&trash={trash}", created.id);
    let (status, text) = post_form(&app, "/api/vault/trash", &trash(2, true), Some(&kim)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(stored(db, created.id.0).await.deleted_at.is_some());
    let (status, _) = post_form(&app, "/api/vault/trash", &trash(2, false), Some(&kim)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = post_form(&app, "/api/vault/trash", &trash(3, false), Some(&kim)).await;
    assert_eq!(status, StatusCode::OK);
    let row = stored(db, created.id.0).await;
    assert!(row.deleted_at.is_none());
    assert_eq!(row.revision, 4);
    t.cleanup().await;
}

async fn stored(db: &sea_orm::DatabaseConnection, id: i64) -> ciphers::Model {
    ciphers::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

support::each_backend!(bad_items_and_other_peoples_items_change_nothing);
async fn bad_items_and_other_peoples_items_change_nothing(t: support::TestDb) {
    let db = &t.db;
    let app = support::router_for(db);
    let kim = session_cookie(db, user(db, "kim@acme.example").await).await;
    let lee = session_cookie(db, user(db, "lee@acme.example").await).await;
    let user_key = SymmetricKey::generate();
    let good = item_input(&user_key, "Alarm code");

    // At the door: a plaintext name, an unknown field, a type-4 envelope where type 2 belongs.
    let mut plaintext = good.clone();
    plaintext["item"]["name"] = "Alarm code".into();
    let mut unknown = good.clone();
    unknown["item"]["password"] = "hunter2".into();
    let mut type4 = good.clone();
    type4["item"]["notes"] = support::wrapped_key().into();
    for (what, input) in [
        ("plaintext", plaintext),
        ("unknown field", unknown),
        ("type 4", type4),
    ] {
        let (status, text) = create(&app, input, &kim).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{}: {what}: {text}",
            t.backend
        );
    }
    // Past the door, refused by the shape check: login data on a secure note; too large.
    let mut mixed = good.clone();
    mixed["item"]["login"] = serde_json::json!({"username": good["item"]["name"].clone()});
    let mut large = good.clone();
    let sealed: SealedItem = serde_json::from_value(good["item"].clone()).unwrap();
    let note = serde_json::to_value(&sealed.name).unwrap();
    // Just over the item limit, still under the request limit.
    let mut fields = Vec::new();
    while serde_json::to_string(&large["item"]).unwrap().len() <= MAX_ITEM_BYTES {
        fields.push(serde_json::json!({"name": note.clone(), "value": note.clone(), "type": 0}));
        large["item"]["fields"] = fields.clone().into();
    }
    for (what, input) in [("another type's data", mixed), ("too large", large)] {
        let (status, text) = create(&app, input, &kim).await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "{}: {what}: {text}",
            t.backend
        );
        assert!(text.contains("MalformedItem"), "{what}: {text}");
    }
    assert_eq!(ciphers::Entity::find().count(db).await.unwrap(), 0);

    // Kim's item: Lee neither sees it nor changes it.
    let (_, text) = create(&app, good, &kim).await;
    let created: Written = serde_json::from_str(&text).unwrap();
    let before = stored(db, created.id.0).await;
    let (_, text) = post_form(&app, "/api/vault/sync", "", Some(&lee)).await;
    let page: SyncPage = serde_json::from_str(&text).unwrap();
    assert!(page.items.is_empty(), "{}", t.backend);
    let update = serde_json::json!({"id": created.id, "revision": 1, "input": item_input(&user_key, "Lee's")});
    let (status, _) = post_json(&app, "/api/vault/update", update, &lee).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post_form(
        &app,
        "/api/vault/trash",
        &format!("id={}&revision=1&trash=true", created.id),
        Some(&lee),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(stored(db, created.id.0).await, before);
    t.cleanup().await;
}

support::each_backend!(a_listing_is_paged_in_sql_in_id_order);
async fn a_listing_is_paged_in_sql_in_id_order(t: support::TestDb) {
    use app::vault::service::create_own;
    use app::vault::sync::page as list_own;
    use app::vault::types::{ITEM_PAGE_SIZE, ItemInput};
    let db = &t.db;
    let kim = support::actor(db, user(db, "kim@acme.example").await).await;
    let input: ItemInput =
        serde_json::from_value(item_input(&SymmetricKey::generate(), "one of many")).unwrap();
    let total = ITEM_PAGE_SIZE + 1;
    for _ in 0..total {
        create_own(db, &kim, input.clone()).await.unwrap();
    }
    let first = list_own(db, &kim, None).await.unwrap();
    assert_eq!(first.items.len() as u64, ITEM_PAGE_SIZE, "{}", t.backend);
    assert!(
        first
            .items
            .windows(2)
            .all(|w| w[0].stored.id < w[1].stored.id)
    );
    assert_eq!(first.next, first.items.last().map(|item| item.stored.id));
    let second = list_own(db, &kim, first.next).await.unwrap();
    assert_eq!(second.items.len(), 1);
    assert!(second.next.is_none());
    assert!(second.items[0].stored.id > first.items[ITEM_PAGE_SIZE as usize - 1].stored.id);
    t.cleanup().await;
}
