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

/// The one key copy held in `provider` (its only member in these tests holds it).
async fn the_key_held(db: &sea_orm::DatabaseConnection, provider: i64) -> String {
    provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider))
        .filter(provider_users::Column::Key.is_not_null())
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .key
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
    let held = the_key_held(db, provider.0).await;
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

support::each_backend!(new_organizations_and_providers_keep_the_keys_the_browser_made);
/// Through the endpoints the Password Manager's forms call: the organization keeps its key
/// pair and its Owner a copy of the key that opens with the Owner's private key; the provider
/// keeps its key for its admin and is marked set up. Keys not of the browser's form are refused
/// with nothing saved; a second key setup is refused.
async fn new_organizations_and_providers_keep_the_keys_the_browser_made(t: support::TestDb) {
    use app::crypto::shared::new_organization;
    use app::db::{organization_users, organizations};
    let db = &t.db;
    let app = support::router_for(db);
    let ann = support::user(db, "ann@example.com").await;
    let cookie = support::session_cookie(db, ann).await;
    let organizations_now = || async { organizations::Entity::find().count(db).await.unwrap() };

    let owner = PrivateKey::generate();
    let (org_key, keys) = new_organization(Some(&owner.public_key()), None);
    let body = |keys: &app::crypto::NewOrganizationKeys| {
        serde_json::json!({
            "name": "Keyed Org", "billing_email": "ann@example.com", "plan": "teams",
            "billing_cycle": "monthly", "seats": "5", "keys": keys,
        })
        .to_string()
    };
    // Malformed: no copy for the owner, or a public key that is not RSA-2048.
    let mut without_owner = keys.clone();
    without_owner.owner_key = None;
    let mut bad_public = keys.clone();
    bad_public.pair.public_key = "AAAA".into();
    for bad in [without_owner, bad_public] {
        let (_, answer) = support::post_form(
            &app,
            "/api/organizations/create",
            &body(&bad),
            Some(&cookie),
        )
        .await;
        assert!(answer.contains("MalformedKeys"), "{answer}");
    }
    assert_eq!(organizations_now().await, 0);

    let (status, answer) = support::post_form(
        &app,
        "/api/organizations/create",
        &body(&keys),
        Some(&cookie),
    )
    .await;
    assert!(status.is_success(), "{answer}");
    let organization = organizations::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        organization.public_key.as_deref(),
        Some(keys.pair.public_key.as_str())
    );
    assert_eq!(
        organization.private_key,
        Some(keys.pair.private_key.to_string())
    );
    let held = organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(organization.id))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .key
        .unwrap();
    let opened = owner.unwrap_key(&held.parse().unwrap()).unwrap();
    assert_eq!(opened.to_bytes(), org_key.to_bytes());

    // A provider: its key for its admin, marked set up; a second setup is refused.
    let (provider_key, for_ann) = new_provider(&owner.public_key());
    let body = serde_json::json!({
        "name": "Keyed MSP", "business_name": "", "billing_email": "ann@example.com",
        "key": for_ann.to_string(),
    })
    .to_string();
    let (status, answer) =
        support::post_form(&app, "/api/providers/create", &body, Some(&cookie)).await;
    assert!(status.is_success(), "{answer}");
    let provider: i64 = answer.trim().parse().unwrap();
    let row = providers::Entity::find_by_id(provider)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.keys_made_at.is_some());
    let held = the_key_held(db, provider).await;
    let opened = owner.unwrap_key(&held.parse().unwrap()).unwrap();
    assert_eq!(opened.to_bytes(), provider_key.to_bytes());
    let again =
        serde_json::json!({"provider": provider, "key": support::wrapped_key()}).to_string();
    let (_, answer) =
        support::post_form(&app, "/api/providers/set-up-keys", &again, Some(&cookie)).await;
    assert!(answer.contains("StatusChanged"), "{answer}");
    assert_eq!(the_key_held(db, provider).await, held);
    t.cleanup().await;
}

support::each_backend!(a_new_client_keeps_its_key_under_the_provider_key);
/// New client over HTTP: refused while the provider has no key, then stored as the admin's
/// browser made it (the organization key under the provider key opens the organization's
/// private key); the invited owner holds nothing until Confirm. Keys without the copy under
/// the provider key are refused, nothing saved.
async fn a_new_client_keeps_its_key_under_the_provider_key(t: support::TestDb) {
    use app::crypto::shared::new_organization;
    use app::db::{organization_users, organizations, provider_organizations};
    let db = &t.db;
    let app = support::router_for(db);
    let admin = support::user(db, "ida@msp.example").await;
    let provider = support::provider(db, "Client MSP", "ida@msp.example").await;
    let cookie = support::session_cookie(db, admin).await;
    let body = |keys: &app::crypto::NewOrganizationKeys| {
        serde_json::json!({
            "provider": provider.0, "name": "Keyed Client", "plan": "teams", "seats": "5",
            "owner_email": "owner@keyed.example", "keys": keys,
        })
        .to_string()
    };
    let clients_now = || async {
        provider_organizations::Entity::find()
            .filter(provider_organizations::Column::ProviderId.eq(provider.0))
            .count(db)
            .await
            .unwrap()
    };

    // No provider key yet: nothing to wrap the client's key under.
    let provider_key = app::crypto::SymmetricKey::generate();
    let (_, keys) = new_organization(None, Some(&provider_key));
    let (_, answer) =
        support::post_form(&app, "/api/clients/create", &body(&keys), Some(&cookie)).await;
    assert!(answer.contains("ProviderKeyMissing"), "{answer}");
    assert_eq!(clients_now().await, 0);

    let ida = PrivateKey::generate();
    let (provider_key, for_ida) = new_provider(&ida.public_key());
    set_up_keys(db, provider, admin, &for_ida, chrono::Utc::now())
        .await
        .unwrap();
    // Without the copy under the provider key: malformed.
    let (_, mut keys) = new_organization(None, Some(&provider_key));
    let under_provider = keys.provider_key.take();
    let (_, answer) =
        support::post_form(&app, "/api/clients/create", &body(&keys), Some(&cookie)).await;
    assert!(answer.contains("MalformedKeys"), "{answer}");
    assert_eq!(clients_now().await, 0);

    keys.provider_key = under_provider;
    let (status, answer) =
        support::post_form(&app, "/api/clients/create", &body(&keys), Some(&cookie)).await;
    assert!(status.is_success(), "{answer}");
    let link = provider_organizations::Entity::find()
        .filter(provider_organizations::Column::ProviderId.eq(provider.0))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let stored: app::crypto::EncString = link.key.unwrap().parse().unwrap();
    let org_key = stored.decrypt_key(&provider_key).unwrap();
    let organization = organizations::Entity::find_by_id(link.organization_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let private = PrivateKey::unwrap_from(
        &organization.private_key.unwrap().parse().unwrap(),
        &org_key,
    )
    .unwrap();
    assert_eq!(
        private.public_key().to_base64(),
        organization.public_key.unwrap()
    );
    let owner = organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(organization.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        owner.key.is_none(),
        "the invited owner gets the key at Confirm"
    );

    // The admin's copy of the provider key comes with the Clients page's overview.
    let (_, answer) = support::post_form(
        &app,
        "/api/providers/overview",
        &format!("provider={}", provider.0),
        Some(&cookie),
    )
    .await;
    assert!(answer.contains(&for_ida.to_string()), "{answer}");
    t.cleanup().await;
}
