#![allow(clippy::unwrap_used)]
//! An organization's vault over HTTP (issue 22): collections decide which members see which
//! items and what they may do with them (V3); provider users administer the client but reach
//! none of its items, unless they are also a member with access (V2); moving one's own item
//! in; folders and favourites per user; the trash, deleting for good and the purge (V5);
//! collections deleted with or without items; the events. SQLite and PostgreSQL.

use crate::support;

use app::crypto::SymmetricKey;
use app::db::{ciphers, collection_ciphers, events};
use app::events::types::EventType;
use app::ids::{CollectionId, ItemId, OrganizationId};
use app::members::types::Permissions;
use app::vault::types::{CollectionsPage, Rights, SyncPage, Written};
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use support::{item_input, membership, post_form, post_json, session_cookie, user};

struct Org {
    app: axum::Router,
    organization: OrganizationId,
    key: SymmetricKey,
    owner: String,
    /// Can view collection A.
    viewer: String,
    /// Can view A except passwords; can edit in B.
    editor: String,
    /// A member given no collection.
    bystander: String,
    provider_admin: String,
    service_user: String,
    /// A service user who is also a member of the client, with "can view" on A.
    member_too: String,
    a: CollectionId,
    b: CollectionId,
}

async fn post(app: &axum::Router, path: &str, body: &str, cookie: &str) -> (StatusCode, String) {
    post_form(app, path, body, Some(cookie)).await
}

async fn sync(app: &axum::Router, cookie: &str) -> SyncPage {
    let (status, text) = post(app, "/api/vault/sync", "", cookie).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

fn visible_ids(page: &SyncPage) -> Vec<ItemId> {
    page.items.iter().map(|item| item.stored.id).collect()
}

/// A client of a provider with an Owner, members with different access, the provider's two
/// kinds of user, and collections A and B.
async fn client_with_collections(t: &support::TestDb) -> Org {
    let db = &t.db;
    let app = support::router_for(db);
    let owner = user(db, "owner@client.example").await;
    let scope = support::acme(db, owner, 20).await;
    let organization = scope.organization_id;
    let admin = user(db, "admin@msp.example").await;
    let provider = support::provider(db, "MSP", "admin@msp.example").await;
    support::link_client(db, provider, organization).await;
    let service = user(db, "service@msp.example").await;
    support::provider_member(
        db,
        provider,
        Some(service),
        "service@msp.example",
        "service_user",
        "confirmed",
    )
    .await;
    let both = user(db, "both@msp.example").await;
    support::provider_member(
        db,
        provider,
        Some(both),
        "both@msp.example",
        "service_user",
        "confirmed",
    )
    .await;
    let mut members = Vec::new();
    for (email, kind) in [
        ("viewer@client.example", "user"),
        ("editor@client.example", "custom"),
        ("bystander@client.example", "user"),
    ] {
        let id = user(db, email).await;
        let member = membership(
            db,
            organization,
            Some(id),
            email,
            kind,
            "confirmed",
            Permissions::empty(),
        )
        .await;
        members.push((id, member));
    }
    let both_member = membership(
        db,
        organization,
        Some(both),
        "both@msp.example",
        "user",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let owner_cookie = session_cookie(db, owner).await;
    let save = |access: serde_json::Value| {
        serde_json::json!({
            "organization": organization,
            "id": null,
            "input": {"name": support::ENVELOPE, "access": access},
        })
    };
    let (status, text) = post_json(
        &app,
        "/api/vault/collection-save",
        save(serde_json::json!([
            {"member": members[0].1, "access": "CanView"},
            {"member": members[1].1, "access": "CanViewExceptPasswords"},
            {"member": both_member, "access": "CanView"},
        ])),
        &owner_cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}: {text}", t.backend);
    let a: CollectionId = serde_json::from_str(&text).unwrap();
    let (_, text) = post_json(
        &app,
        "/api/vault/collection-save",
        save(serde_json::json!([{"member": members[1].1, "access": "CanEdit"}])),
        &owner_cookie,
    )
    .await;
    let b: CollectionId = serde_json::from_str(&text).unwrap();
    Org {
        organization,
        key: SymmetricKey::generate(),
        owner: owner_cookie,
        viewer: session_cookie(db, members[0].0).await,
        editor: session_cookie(db, members[1].0).await,
        bystander: session_cookie(db, members[2].0).await,
        provider_admin: session_cookie(db, admin).await,
        service_user: session_cookie(db, service).await,
        member_too: session_cookie(db, both).await,
        app,
        a,
        b,
    }
}

impl Org {
    async fn create(&self, collections: &[CollectionId], cookie: &str) -> (StatusCode, String) {
        post_json(
            &self.app,
            "/api/vault/org-create",
            serde_json::json!({
                "organization": self.organization,
                "collections": collections,
                "input": item_input(&self.key, "Router admin"),
            }),
            cookie,
        )
        .await
    }

    async fn update(&self, id: ItemId, revision: i64, cookie: &str) -> (StatusCode, String) {
        post_json(
            &self.app,
            "/api/vault/org-update",
            serde_json::json!({
                "organization": self.organization,
                "id": id,
                "revision": revision,
                "input": item_input(&self.key, "Changed"),
            }),
            cookie,
        )
        .await
    }

    async fn trash(&self, id: ItemId, revision: i64, cookie: &str) -> (StatusCode, String) {
        post(
            &self.app,
            "/api/vault/org-trash",
            &format!(
                "organization={}&id={id}&revision={revision}&trash=true",
                self.organization
            ),
            cookie,
        )
        .await
    }
}

async fn rows(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let mut rows: Vec<String> = ciphers::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| format!("{row:?}"))
        .collect();
    rows.extend(
        collection_ciphers::Entity::find()
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|row| format!("{row:?}")),
    );
    rows.sort();
    rows
}

support::each_backend!(collections_decide_who_sees_and_changes_an_organizations_items);
async fn collections_decide_who_sees_and_changes_an_organizations_items(t: support::TestDb) {
    let db = &t.db;
    let org = client_with_collections(&t).await;
    let backend = t.backend;

    let (status, text) = org.create(&[org.a], &org.owner).await;
    assert_eq!(status, StatusCode::OK, "{backend}: {text}");
    let in_a: Written = serde_json::from_str(&text).unwrap();
    let (status, text) = org.create(&[org.b], &org.editor).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{backend}: the editor may create in B: {text}"
    );
    let in_b: Written = serde_json::from_str(&text).unwrap();

    // The Owner sees both, fully, with every collection.
    let owner = sync(&org.app, &org.owner).await;
    assert_eq!(visible_ids(&owner), vec![in_a.id, in_b.id], "{backend}");
    assert!(owner.items.iter().all(|item| item.rights == Rights::FULL));
    assert_eq!(owner.collections.len(), 2);
    let opened = owner.items[0]
        .stored
        .key
        .decrypt_key(&org.key)
        .and_then(|key| owner.items[0].stored.item.clone().open(&key))
        .unwrap();
    assert_eq!(opened.name, "Router admin");

    // "Can view": A's item, read only; the collection list shows A alone.
    let viewer = sync(&org.app, &org.viewer).await;
    assert_eq!(visible_ids(&viewer), vec![in_a.id], "{backend}");
    assert_eq!(
        viewer.items[0].rights,
        Rights {
            edit: false,
            hide_passwords: false,
            manage: false
        }
    );
    assert_eq!(viewer.items[0].collections, vec![org.a]);
    assert_eq!(
        viewer.collections.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![org.a]
    );
    // "Can view except passwords" on A and "can edit" on B.
    let editor = sync(&org.app, &org.editor).await;
    assert_eq!(visible_ids(&editor), vec![in_a.id, in_b.id], "{backend}");
    assert!(editor.items[0].rights.hide_passwords && !editor.items[0].rights.edit);
    assert!(!editor.items[1].rights.hide_passwords && editor.items[1].rights.edit);
    // A member given nothing sees nothing of the organization.
    assert!(sync(&org.app, &org.bystander).await.items.is_empty());

    // Read-only access changes nothing; a stale write neither.
    let before = rows(db).await;
    for (who, cookie) in [("viewer", &org.viewer), ("editor", &org.editor)] {
        let (status, text) = org.update(in_a.id, 1, cookie).await;
        assert_eq!(status, StatusCode::CONFLICT, "{who}: {text}");
        assert!(text.contains("CollectionReadOnly"), "{who}: {text}");
        let (status, text) = org.trash(in_a.id, 1, cookie).await;
        assert!(
            text.contains("CollectionReadOnly"),
            "{who}: {status} {text}"
        );
    }
    let (status, text) = org.create(&[org.a], &org.viewer).await;
    assert!(text.contains("CollectionReadOnly"), "{status} {text}");
    let (status, _) = org.update(in_a.id, 1, &org.bystander).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "{backend}: unseen is not found"
    );
    assert_eq!(rows(db).await, before, "{backend}: nothing changed");
    let (status, text) = org.update(in_b.id, 1, &org.editor).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, _) = org.update(in_b.id, 1, &org.owner).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "{backend}: a stale write (V4)"
    );

    // V2: the provider's users administer the client but reach no item of it, by any
    // endpoint, with real ids; their collections page works.
    let before = rows(db).await;
    for (who, cookie) in [
        ("provider admin", &org.provider_admin),
        ("service user", &org.service_user),
    ] {
        let page = sync(&org.app, cookie).await;
        assert!(
            page.items.is_empty() && page.collections.is_empty(),
            "{who}"
        );
        let o = org.organization;
        let id = in_a.id;
        let calls = [
            org.create(&[org.a], cookie).await,
            org.update(id, 1, cookie).await,
            org.trash(id, 1, cookie).await,
            post(&org.app, "/api/vault/org-delete", &format!("organization={o}&id={id}"), cookie).await,
            post_json(
                &org.app,
                "/api/vault/org-item-collections",
                serde_json::json!({"organization": o, "id": id, "revision": 1, "collections": [org.b]}),
                cookie,
            )
            .await,
            post(&org.app, "/api/vault/place", &format!("id={id}&favorite=true"), cookie).await,
        ];
        for (n, (status, text)) in calls.into_iter().enumerate() {
            assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                "{backend}: {who}, call {n}: {status} {text}"
            );
        }
        let (status, text) = post(
            &org.app,
            "/api/vault/collections",
            &format!("organization={o}"),
            cookie,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{who} manages collections: {text}");
        let page: CollectionsPage = serde_json::from_str(&text).unwrap();
        assert_eq!(page.collections.len(), 2);
        assert_eq!(page.collections[0].items, 1);
        assert_eq!(page.grantees.len(), 4, "{:?}", page.grantees);
    }
    assert_eq!(rows(db).await, before, "{backend}: nothing changed");
    // ... unless they are also a member with access.
    assert_eq!(
        visible_ids(&sync(&org.app, &org.member_too).await),
        vec![in_a.id]
    );

    // Bad input, nothing saved: no collection, another organization's, an unknown member.
    let other_owner = user(db, "other@else.example").await;
    let other = support::acme(db, other_owner, 5).await.organization_id;
    let (_, text) = post_json(
        &org.app,
        "/api/vault/collection-save",
        serde_json::json!({"organization": other, "id": null, "input": {"name": support::ENVELOPE, "access": []}}),
        &session_cookie(db, other_owner).await,
    )
    .await;
    let foreign: CollectionId = serde_json::from_str(&text).unwrap();
    let before = rows(db).await;
    let (_, text) = org.create(&[], &org.owner).await;
    assert!(text.contains("CollectionRequired"), "{text}");
    let (_, text) = org.create(&[foreign], &org.owner).await;
    assert!(text.contains("UnknownCollection"), "{text}");
    let (_, text) = org.create(&[org.a, foreign], &org.owner).await;
    assert!(text.contains("UnknownCollection"), "{text}");
    assert_eq!(rows(db).await, before, "{backend}: nothing saved");
    let (_, text) = post_json(
        &org.app,
        "/api/vault/collection-save",
        serde_json::json!({"organization": org.organization, "id": org.a, "input": {"name": support::ENVELOPE, "access": [{"member": 999_999, "access": "CanEdit"}]}}),
        &org.owner,
    )
    .await;
    assert!(text.contains("UnknownMember"), "{text}");
    assert_eq!(
        sync(&org.app, &org.viewer).await.items.len(),
        1,
        "{backend}: the viewer kept access"
    );

    // The organization's log: two items created, one edited, two collections created, each
    // naming the item's number and type.
    let logged = |event: EventType| {
        events::Entity::find()
            .filter(events::Column::OrganizationId.eq(org.organization.0))
            .filter(events::Column::Type.eq(event.code()))
            .count(db)
    };
    assert_eq!(logged(EventType::ItemCreated).await.unwrap(), 2);
    assert_eq!(logged(EventType::ItemUpdated).await.unwrap(), 1);
    assert_eq!(logged(EventType::CollectionCreated).await.unwrap(), 2);
    let created = events::Entity::find()
        .filter(events::Column::Type.eq(1100))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        created.details.as_deref(),
        Some(format!(r#"{{"item":{},"type":2}}"#, in_a.id).as_str())
    );
    t.cleanup().await;
}

support::each_backend!(moving_filing_trashing_and_deleting);
async fn moving_filing_trashing_and_deleting(t: support::TestDb) {
    let db = &t.db;
    let org = client_with_collections(&t).await;
    let backend = t.backend;
    let user_key = SymmetricKey::generate();

    // The editor's own item moves into B (where they may edit), not into A (view only).
    let (_, text) = post_json(
        &org.app,
        "/api/vault/create",
        serde_json::json!({"input": item_input(&user_key, "Wi-Fi")}),
        &org.editor,
    )
    .await;
    let own: Written = serde_json::from_str(&text).unwrap();
    let (item_key, _) = {
        let page = sync(&org.app, &org.editor).await;
        let item = page.items.iter().find(|i| i.stored.id == own.id).unwrap();
        (item.stored.key.decrypt_key(&user_key).unwrap(), ())
    };
    let rewrapped = app::crypto::EncString::wrap_key(&org.key, &item_key);
    let move_to = |collection: CollectionId| {
        serde_json::json!({
            "organization": org.organization, "id": own.id, "revision": 1,
            "key": rewrapped.to_string(), "collections": [collection],
        })
    };
    let (_, text) = post_json(&org.app, "/api/vault/move", move_to(org.a), &org.editor).await;
    assert!(text.contains("CollectionReadOnly"), "{backend}: {text}");
    let (status, text) = post_json(&org.app, "/api/vault/move", move_to(org.b), &org.editor).await;
    assert_eq!(status, StatusCode::OK, "{backend}: {text}");
    let row = ciphers::Entity::find_by_id(own.id.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.organization_id, Some(org.organization.0));
    assert_eq!(row.user_id, None);
    assert_eq!(row.key, rewrapped.to_string());
    let page = sync(&org.app, &org.owner).await;
    let moved = page.items.iter().find(|i| i.stored.id == own.id).unwrap();
    let opened = moved
        .stored
        .key
        .decrypt_key(&org.key)
        .and_then(|key| moved.stored.item.clone().open(&key))
        .unwrap();
    assert_eq!(
        opened.name, "Wi-Fi",
        "{backend}: the same sealed fields open"
    );
    assert_eq!(
        support::events_of(db, EventType::ItemMovedToOrganization).await,
        1
    );

    // Folders and favourites are the editor's own.
    let (status, text) = post_json(
        &org.app,
        "/api/vault/folder-save",
        serde_json::json!({"id": null, "name": support::ENVELOPE}),
        &org.editor,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let folder: app::ids::FolderId = serde_json::from_str(&text).unwrap();
    let place = format!("id={}&folder={folder}&favorite=true", own.id);
    let (status, text) = post(&org.app, "/api/vault/place", &place, &org.editor).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let page = sync(&org.app, &org.editor).await;
    let filed = page.items.iter().find(|i| i.stored.id == own.id).unwrap();
    assert_eq!((filed.folder, filed.favorite), (Some(folder), true));
    assert_eq!(page.folders.len(), 1);
    let page = sync(&org.app, &org.owner).await;
    let unfiled = page.items.iter().find(|i| i.stored.id == own.id).unwrap();
    assert_eq!(
        (unfiled.folder, unfiled.favorite),
        (None, false),
        "per user"
    );
    let (_, text) = post(&org.app, "/api/vault/place", &place, &org.owner).await;
    assert!(text.contains("UnknownFolder"), "another's folder: {text}");
    let (status, _) = post(
        &org.app,
        "/api/vault/folder-delete",
        &format!("id={folder}"),
        &org.editor,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let page = sync(&org.app, &org.editor).await;
    let kept = page.items.iter().find(|i| i.stored.id == own.id).unwrap();
    assert_eq!(
        (kept.folder, kept.favorite),
        (None, true),
        "{backend}: the item stays"
    );

    // The trash: deleting for good needs the trash and the right to manage.
    let o = org.organization;
    let delete = format!("organization={o}&id={}", own.id);
    let (_, text) = post(&org.app, "/api/vault/org-delete", &delete, &org.owner).await;
    assert!(text.contains("NotInTrash"), "{text}");
    let (status, text) = org.trash(own.id, 2, &org.editor).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, _) = post(&org.app, "/api/vault/org-delete", &delete, &org.editor).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "{backend}: edit is not manage"
    );
    let (status, text) = post(&org.app, "/api/vault/org-delete", &delete, &org.owner).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(
        ciphers::Entity::find_by_id(own.id.0)
            .one(db)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(support::events_of(db, EventType::ItemTrashed).await, 1);
    assert_eq!(support::events_of(db, EventType::ItemDeleted).await, 1);

    // V5: the hourly job deletes what has been in the trash for 30 days, nothing younger.
    let (_, text) = org.create(&[org.a], &org.owner).await;
    let old: Written = serde_json::from_str(&text).unwrap();
    let (_, text) = org.create(&[org.a], &org.owner).await;
    let young: Written = serde_json::from_str(&text).unwrap();
    let now = chrono::Utc::now();
    for (item, days) in [(old.id, 31), (young.id, 29)] {
        ciphers::Entity::update_many()
            .col_expr(
                ciphers::Column::DeletedAt,
                sea_orm::sea_query::Expr::value(now - chrono::Duration::days(days)),
            )
            .filter(ciphers::Column::Id.eq(item.0))
            .exec(db)
            .await
            .unwrap();
    }
    assert_eq!(app::vault::service::purge_trash(db, now).await.unwrap(), 1);
    assert!(
        ciphers::Entity::find_by_id(old.id.0)
            .one(db)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        ciphers::Entity::find_by_id(young.id.0)
            .one(db)
            .await
            .unwrap()
            .is_some()
    );

    // A collection with items is deleted only when the admin says so; its items stay.
    let delete = |with: bool| format!("organization={o}&id={}&with_items={with}", org.a);
    let (_, text) = post(
        &org.app,
        "/api/vault/collection-delete",
        &delete(false),
        &org.owner,
    )
    .await;
    assert!(text.contains("CollectionNotEmpty"), "{text}");
    let (status, _) = post(
        &org.app,
        "/api/vault/collection-delete",
        &delete(true),
        &org.owner,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        ciphers::Entity::find_by_id(young.id.0)
            .one(db)
            .await
            .unwrap()
            .is_some()
    );
    let (_, text) = post(
        &org.app,
        "/api/vault/collections",
        &format!("organization={o}"),
        &org.owner,
    )
    .await;
    let page: CollectionsPage = serde_json::from_str(&text).unwrap();
    assert_eq!(page.collections.len(), 1, "{backend}");
    assert_eq!(
        page.unassigned, 1,
        "{backend}: the item left in no collection"
    );
    assert!(sync(&org.app, &org.viewer).await.items.is_empty());
    assert_eq!(
        support::events_of(db, EventType::CollectionDeleted).await,
        1
    );
    t.cleanup().await;
}
