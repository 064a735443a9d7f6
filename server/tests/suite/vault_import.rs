#![allow(clippy::unwrap_used)]
//! Importing over HTTP (issue 23, rule V6): into one's own vault with folders and favourites;
//! into a client organization by the provider's service user (V2: allowed), recorded in both
//! logs, while the items stay out of that user's reach; all or nothing when a part is refused;
//! the route's own body limit. SQLite and PostgreSQL.

use crate::support;

use app::crypto::SymmetricKey;
use app::db::{
    cipher_folders, ciphers, collection_ciphers, collections, events, favorites, folders,
};
use app::events::types::EventType;
use app::vault::import::ImportOutcome;
use app::vault::types::SyncPage;
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use support::{item_input, post_form, session_cookie, user};

/// One item to import, sealed under `key`, in the containers at `containers`.
fn imported(key: &SymmetricKey, name: &str, favorite: bool, containers: &[u32]) -> Value {
    let mut item = item_input(key, name);
    item["favorite"] = json!(favorite);
    item["containers"] = json!(containers);
    item
}

fn request(format: &str, containers: Value, items: Vec<Value>) -> String {
    json!({"format": format, "containers": containers, "items": items}).to_string()
}

/// How many rows a table holds.
macro_rules! count {
    ($entity:ty, $db:expr) => {
        <$entity>::find().count($db).await.unwrap()
    };
}

support::each_backend!(a_personal_import_files_items_in_new_folders_with_favourites);
async fn a_personal_import_files_items_in_new_folders_with_favourites(t: support::TestDb) {
    let db = &t.db;
    let app = support::router_for(db);
    let ann = user(db, "ann@example.com").await;
    let cookie = session_cookie(db, ann).await;
    let key = SymmetricKey::generate();
    let body = request(
        "bitwarden-json",
        json!([{"New": support::ENVELOPE}, {"New": support::ENVELOPE}]),
        vec![
            imported(&key, "Webmail", true, &[0]),
            imported(&key, "Server", false, &[1]),
            imported(&key, "Loose", false, &[]),
        ],
    );
    let (status, text) = post_form(&app, "/vault/import", &body, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text} on {}", t.backend);
    let outcome: ImportOutcome = serde_json::from_str(&text).unwrap();
    assert_eq!(
        outcome,
        ImportOutcome {
            items: 3,
            containers: 2
        }
    );
    assert_eq!(count!(folders::Entity, db), 2);
    assert_eq!(count!(cipher_folders::Entity, db), 2);
    assert_eq!(count!(favorites::Entity, db), 1);
    let (status, text) = post_form(&app, "/api/vault/sync", "", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let page: SyncPage = serde_json::from_str(&text).unwrap();
    assert_eq!(page.items.len(), 3);
    assert_eq!(page.folders.len(), 2);
    // Nobody else's vault got anything.
    let bob = session_cookie(db, user(db, "bob@example.com").await).await;
    let (_, text) = post_form(&app, "/api/vault/sync", "", Some(&bob)).await;
    let page: SyncPage = serde_json::from_str(&text).unwrap();
    assert!(page.items.is_empty());

    // A folder that exists may be named: Ann's is taken, Bob may not file into it.
    let folder = page_folders(&app, &cookie).await[0];
    let into = |folder: i64| {
        request(
            "chrome-csv",
            json!([{"Folder": folder}]),
            vec![imported(&key, "Filed", false, &[0])],
        )
    };
    let (status, text) = post_form(&app, "/vault/import", &into(folder), Some(&bob)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    assert!(text.contains("UnknownFolder"), "{text}");
    let (status, text) = post_form(&app, "/vault/import", &into(folder), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(count!(folders::Entity, db), 2, "no folder made");
    assert_eq!(count!(cipher_folders::Entity, db), 3);
}

/// The ids of the caller's folders, from sync.
async fn page_folders(app: &axum::Router, cookie: &str) -> Vec<i64> {
    let (_, text) = post_form(app, "/api/vault/sync", "", Some(cookie)).await;
    let page: SyncPage = serde_json::from_str(&text).unwrap();
    page.folders.iter().map(|folder| folder.id.0).collect()
}

support::each_backend!(a_service_user_imports_into_a_client_and_both_logs_say_so);
async fn a_service_user_imports_into_a_client_and_both_logs_say_so(t: support::TestDb) {
    let db = &t.db;
    let app = support::router_for(db);
    let owner = user(db, "owner@client.example").await;
    let organization = support::acme(db, owner, 10).await.organization_id;
    user(db, "admin@msp.example").await;
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
    let service_cookie = session_cookie(db, service).await;
    let key = SymmetricKey::generate();
    let body = request(
        "lastpass-csv",
        json!([{"New": support::ENVELOPE}, {"New": support::ENVELOPE}]),
        vec![
            imported(&key, "Router", false, &[0, 1]),
            imported(&key, "Wi-Fi", false, &[0]),
        ],
    );
    let path = format!("/organizations/{}/vault/import", organization.0);
    let (status, text) = post_form(&app, &path, &body, Some(&service_cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text} on {}", t.backend);
    let outcome: ImportOutcome = serde_json::from_str(&text).unwrap();
    assert_eq!(
        outcome,
        ImportOutcome {
            items: 2,
            containers: 2
        }
    );
    let stored = ciphers::Entity::find()
        .filter(ciphers::Column::OrganizationId.eq(organization.0))
        .count(db)
        .await
        .unwrap();
    assert_eq!(stored, 2);
    assert_eq!(count!(collections::Entity, db), 2);
    assert_eq!(count!(collection_ciphers::Entity, db), 3);

    // One event, in the organization's log and the provider's, with the count and format.
    let imports = events::Entity::find()
        .filter(events::Column::Type.eq(EventType::VaultImported.code()))
        .all(db)
        .await
        .unwrap();
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0].organization_id, Some(organization.0));
    assert_eq!(imports[0].provider_id, Some(provider.0));
    assert_eq!(imports[0].acting_user_id, Some(service.0));
    let details: Value = serde_json::from_str(imports[0].details.as_deref().unwrap()).unwrap();
    assert_eq!(details, json!({"imported": 2, "format": "lastpass-csv"}));

    // The service user imported them and still cannot read them (V2); the Owner can.
    let (_, text) = post_form(&app, "/api/vault/sync", "", Some(&service_cookie)).await;
    let page: SyncPage = serde_json::from_str(&text).unwrap();
    assert!(page.items.is_empty(), "{text}");
    let owner_cookie = session_cookie(db, owner).await;
    let (_, text) = post_form(&app, "/api/vault/sync", "", Some(&owner_cookie)).await;
    let page: SyncPage = serde_json::from_str(&text).unwrap();
    assert_eq!(page.items.len(), 2);
}

support::each_backend!(an_import_refused_midway_leaves_nothing_behind);
async fn an_import_refused_midway_leaves_nothing_behind(t: support::TestDb) {
    let db = &t.db;
    let app = support::router_for(db);
    let owner = user(db, "owner@client.example").await;
    let organization = support::acme(db, owner, 10).await.organization_id;
    let other_owner = user(db, "owner@other.example").await;
    let other = support::acme(db, other_owner, 10).await.organization_id;
    let cookie = session_cookie(db, owner).await;
    let key = SymmetricKey::generate();
    // Another organization's collection, to name as a container.
    let foreign = {
        use sea_orm::{ActiveModelTrait, Set};
        collections::ActiveModel {
            organization_id: Set(other.0),
            name: Set(support::ENVELOPE.to_owned()),
            created_at: Set(chrono::Utc::now()),
            revision_date: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap()
        .id
    };
    let path = format!("/organizations/{}/vault/import", organization.0);
    let before = (
        count!(ciphers::Entity, db),
        count!(collections::Entity, db),
        count!(events::Entity, db),
    );
    // A new collection is made first, then the foreign one is refused: the new one goes too.
    let body = request(
        "bitwarden-json",
        json!([{"New": support::ENVELOPE}, {"Collection": foreign}]),
        vec![
            imported(&key, "A", false, &[0]),
            imported(&key, "B", false, &[1]),
        ],
    );
    let (status, text) = post_form(&app, &path, &body, Some(&cookie)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{text} on {}", t.backend);
    assert!(text.contains("UnknownCollection"), "{text}");
    // An item pointing past the containers, after good ones.
    let body = request(
        "bitwarden-json",
        json!([{"New": support::ENVELOPE}]),
        vec![
            imported(&key, "A", false, &[0]),
            imported(&key, "B", false, &[3]),
        ],
    );
    let (status, text) = post_form(&app, &path, &body, Some(&cookie)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    // A plaintext string where an envelope belongs (V1).
    let mut plain = imported(&key, "C", false, &[]);
    plain["item"]["name"] = json!("Online banking");
    let body = request("bitwarden-json", json!([]), vec![plain]);
    let (status, text) = post_form(&app, &path, &body, Some(&cookie)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    assert!(text.contains("MalformedItem"), "{text}");
    let after = (
        count!(ciphers::Entity, db),
        count!(collections::Entity, db),
        count!(events::Entity, db),
    );
    assert_eq!(after, before, "nothing stored on {}", t.backend);

    // More items than one import may bring.
    let one = imported(&key, "Many", false, &[]);
    let body = request(
        "chrome-csv",
        json!([]),
        vec![one; app::vault::import::MAX_ITEMS + 1],
    );
    let (status, text) = post_form(&app, &path, &body, Some(&cookie)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{text:.200}");
    assert!(text.contains("ImportTooLarge"), "{text:.200}");
    assert_eq!(count!(ciphers::Entity, db), before.0);
}

support::each_backend!(
    the_import_route_takes_more_than_a_server_function_and_no_more_than_its_limit
);
async fn the_import_route_takes_more_than_a_server_function_and_no_more_than_its_limit(
    t: support::TestDb,
) {
    let db = &t.db;
    let app = support::router_for(db);
    let cookie = session_cookie(db, user(db, "ann@example.com").await).await;
    // 200 KB: over a server function's 64 KiB, well under the import's limit.
    let padding = "x".repeat(200_000);
    let body = json!({"padding": padding}).to_string();
    let (status, _) = post_form(&app, "/api/vault/create", &body, Some(&cookie)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, text) = post_form(&app, "/vault/import", &body, Some(&cookie)).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "read, and refused as no import: {text}"
    );
    // A body that says it is larger than the limit is refused before it is read.
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/vault/import")
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .header(
            axum::http::header::CONTENT_LENGTH,
            (app::vault::import::MAX_IMPORT_BODY_BYTES + 1).to_string(),
        )
        .header(axum::http::header::COOKIE, cookie.as_str())
        .header("sec-fetch-site", "same-origin")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    let (status, _, _) = support::send(&app, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "on {}", t.backend);
    // One that does not say its length is cut off at the limit as it streams; and a caller
    // without a session is refused before the body is read at all.
    let oversized = vec![b' '; app::vault::import::MAX_IMPORT_BODY_BYTES + 1];
    for (cookie, expected) in [
        (Some(cookie.as_str()), StatusCode::PAYLOAD_TOO_LARGE),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        let mut request = axum::http::Request::builder()
            .method("POST")
            .uri("/vault/import")
            .header(axum::http::header::CONTENT_TYPE, "application/json")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(axum::http::header::COOKIE, cookie);
        }
        let body = axum::body::Body::from_stream(futures_util::stream::iter(
            oversized
                .chunks(1 << 20)
                .map(|chunk| Ok::<_, std::io::Error>(axum::body::Bytes::copy_from_slice(chunk)))
                .collect::<Vec<_>>(),
        ));
        let (status, _, _) = support::send(&app, request.body(body).unwrap()).await;
        assert_eq!(
            status,
            expected,
            "session {:?} on {}",
            cookie.is_some(),
            t.backend
        );
    }
}
