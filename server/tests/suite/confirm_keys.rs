#![allow(clippy::unwrap_used)]
//! Confirm as a key exchange (issue 21 item 3, VAULT.md §2): the confirming admin's browser
//! opens the place's key (a service user through the chain private key → provider key →
//! client key), wraps it to the member's public key and sends the type-4 envelope; the server
//! stores it with the status in one statement. Done here natively, as the browser does it.
//! Refused, with nothing changed: a Confirm without a key, a key made for a public key that is
//! not the member's, a member whose account has no keys, a malformed envelope, a Confirm
//! racing a removal. Each test runs on SQLite and PostgreSQL.

use crate::support;

use app::auth::gate;
use app::crypto::{EncString, PrivateKey, SymmetricKey, shared::new_provider};
use app::db::{organization_users, provider_organizations, users};
use app::error::{AppError, Refusal};
use app::ids::{MemberId, OrganizationId, OrganizationUserId, UserId};
use app::mail::{Mailer, Outbox};
use app::members::keys::confirm_plan;
use app::members::service;
use app::members::types::{MemberAction, MemberKey, PlaceKey};
use app::vocabulary::{MemberStatus, Permissions, Place};
use axum::http::StatusCode;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use support::{actor, context, membership, provider, provider_member, user};

fn outbox(mailer: &Mailer) -> Outbox<'_> {
    Outbox {
        mailer,
        base_url: "http://portal.example",
        locale: app::i18n::Locale::en,
    }
}

/// An account with keys: its public key stored, its private key kept by the test (the
/// account's browser would hold it).
async fn account(db: &DatabaseConnection, email: &str) -> (UserId, PrivateKey) {
    let id = user(db, email).await;
    let private = PrivateKey::generate();
    users::ActiveModel {
        id: Set(id.0),
        public_key: Set(Some(private.public_key().to_base64())),
        ..Default::default()
    }
    .update(db)
    .await
    .unwrap();
    (id, private)
}

/// A provider with its key, a service user holding a copy, and a client whose key is wrapped
/// under the provider key, as New client leaves them; the client's owner has accepted.
struct Client {
    service: UserId,
    service_key: PrivateKey,
    organization: OrganizationId,
    organization_key: SymmetricKey,
    owner_member: OrganizationUserId,
    owner_key: PrivateKey,
}

async fn client(db: &DatabaseConnection) -> Client {
    let (ada, ada_key) = account(db, "ada@msp.example").await;
    let msp = provider(db, "MSP", "ada@msp.example").await;
    let (provider_key, for_ada) = new_provider(&ada_key.public_key());
    app::providers::service::set_up_keys(db, msp, ada, &for_ada, chrono::Utc::now())
        .await
        .unwrap();
    let (service, service_key) = account(db, "sid@msp.example").await;
    let row = provider_member(
        db,
        msp,
        Some(service),
        "sid@msp.example",
        "service_user",
        "confirmed",
    )
    .await;
    app::db::provider_users::ActiveModel {
        id: Set(row),
        key: Set(Some(
            service_key.public_key().wrap_key(&provider_key).to_string(),
        )),
        ..Default::default()
    }
    .update(db)
    .await
    .unwrap();

    // The client, owned by a stand-in until its owner is confirmed, linked with its key under
    // the provider key.
    let stand_in = actor(db, user(db, "stand-in@msp.example").await).await;
    let organization = support::own_organization(db, &stand_in, "Client Co", "teams", 5).await;
    support::link_client(db, msp, organization).await;
    let organization_key = SymmetricKey::generate();
    let link = provider_organizations::Entity::find()
        .filter(provider_organizations::Column::OrganizationId.eq(organization.0))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    provider_organizations::ActiveModel {
        id: Set(link.id),
        key: Set(Some(
            EncString::wrap_key(&provider_key, &organization_key).to_string(),
        )),
        ..Default::default()
    }
    .update(db)
    .await
    .unwrap();
    let (owner, owner_key) = account(db, "olga@client.example").await;
    let owner_member = membership(
        db,
        organization,
        Some(owner),
        "olga@client.example",
        "owner",
        "accepted",
        Permissions::empty(),
    )
    .await;
    Client {
        service,
        service_key,
        organization,
        organization_key,
        owner_member,
        owner_key,
    }
}

async fn member_row(db: &DatabaseConnection, id: OrganizationUserId) -> organization_users::Model {
    organization_users::Entity::find_by_id(id.0)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn all_members(db: &DatabaseConnection) -> Vec<organization_users::Model> {
    organization_users::Entity::find()
        .order_by_asc(organization_users::Column::Id)
        .all(db)
        .await
        .unwrap()
}

support::each_backend!(a_service_user_confirms_a_client_owner_with_the_key_the_chain_opens);
async fn a_service_user_confirms_a_client_owner_with_the_key_the_chain_opens(t: support::TestDb) {
    let db = &t.db;
    let mailer = Mailer::off();
    let c = client(db).await;
    let sid = actor(db, c.service).await;
    let place = Place::Organization(c.organization);
    let manager = gate::manager(db, sid.clone(), place).await.unwrap();
    let member = MemberId::from(c.owner_member);

    // The plan: the service user's way to the client key, and the owner's public key.
    let plan = confirm_plan(db, &manager, &[member]).await.unwrap();
    let Some(PlaceKey::ThroughProvider {
        provider_key,
        organization_key,
    }) = plan.key
    else {
        panic!("a service user reaches a client's key through the provider key");
    };
    assert_eq!(plan.members.len(), 1);
    let public_key = plan.members[0].public_key.clone().unwrap();
    assert_eq!(public_key, c.owner_key.public_key().to_base64());

    // The chain, as the service user's browser opens it: private key → provider key → client
    // key, the same key the client was made with.
    let opened = organization_key
        .decrypt_key(&c.service_key.unwrap_key(&provider_key).unwrap())
        .unwrap();
    assert_eq!(opened.to_bytes(), c.organization_key.to_bytes());

    // Confirming with the key wrapped to the owner stores it with the status.
    let to = app::crypto::PublicKey::from_base64(&public_key).unwrap();
    let keys = [MemberKey {
        member,
        public_key,
        key: to.wrap_key(&opened),
    }];
    let outcome = service::confirm(db, &context(&sid), &outbox(&mailer), &manager, &keys)
        .await
        .unwrap();
    assert_eq!(outcome[0].result, Ok(()));
    let row = member_row(db, c.owner_member).await;
    assert_eq!(row.status, MemberStatus::Confirmed);

    // The owner's browser opens its copy: the same organization key the provider key opens.
    let held: app::crypto::WrappedKey = row.key.unwrap().parse().unwrap();
    let owners = c.owner_key.unwrap_key(&held).unwrap();
    assert_eq!(owners.to_bytes(), c.organization_key.to_bytes());

    // Now a confirmed member, the owner reaches the key through their own copy.
    let olga = actor(db, UserId(row.user_id.unwrap())).await;
    let as_owner = gate::manager(db, olga, place).await.unwrap();
    let plan = confirm_plan(db, &as_owner, &[]).await.unwrap();
    assert!(matches!(plan.key, Some(PlaceKey::Own(own)) if own == held));
    t.cleanup().await;
}

support::each_backend!(a_confirm_without_the_members_key_changes_nothing);
async fn a_confirm_without_the_members_key_changes_nothing(t: support::TestDb) {
    let db = &t.db;
    let mailer = Mailer::off();
    let c = client(db).await;
    let sid = actor(db, c.service).await;
    let place = Place::Organization(c.organization);
    let manager = gate::manager(db, sid.clone(), place).await.unwrap();
    let member = MemberId::from(c.owner_member);
    let ctx = context(&sid);
    let before = all_members(db).await;

    // A Confirm as a plain bulk action (no key): refused as a whole.
    assert_eq!(
        service::apply(
            db,
            &ctx,
            &outbox(&mailer),
            &manager,
            MemberAction::Confirm,
            &[member]
        )
        .await
        .unwrap_err(),
        AppError::Refused(Refusal::MemberKeyRequired)
    );

    // A key made for a public key that is not the owner's (meant for someone else, or the
    // owner's keys changed since the dialog opened): refused for that row.
    let stranger = PrivateKey::generate().public_key();
    let wrong = [MemberKey {
        member,
        public_key: stranger.to_base64(),
        key: stranger.wrap_key(&c.organization_key),
    }];
    let outcome = service::confirm(db, &ctx, &outbox(&mailer), &manager, &wrong)
        .await
        .unwrap();
    assert_eq!(
        outcome[0].result,
        Err(AppError::Refused(Refusal::MemberKeyChanged))
    );

    // An accepted member whose account has no keys yet cannot be given one.
    let keyless = user(db, "kim@client.example").await;
    let kim = membership(
        db,
        c.organization,
        Some(keyless),
        "kim@client.example",
        "user",
        "accepted",
        Permissions::empty(),
    )
    .await;
    let plan = confirm_plan(db, &manager, &[kim.into()]).await.unwrap();
    assert_eq!(plan.members[0].public_key, None);
    let made_up = [MemberKey {
        member: kim.into(),
        public_key: stranger.to_base64(),
        key: stranger.wrap_key(&c.organization_key),
    }];
    let outcome = service::confirm(db, &ctx, &outbox(&mailer), &manager, &made_up)
        .await
        .unwrap();
    assert_eq!(
        outcome[0].result,
        Err(AppError::Refused(Refusal::MemberKeysMissing))
    );
    let mut expected = before.clone();
    expected.push(member_row(db, kim).await);
    assert_eq!(all_members(db).await, expected, "nothing changed");
    assert_eq!(member_row(db, kim).await.status, MemberStatus::Accepted);

    // A Confirm racing a removal: the member is gone when it arrives.
    let public_key = c.owner_key.public_key();
    let keys = [MemberKey {
        member,
        public_key: public_key.to_base64(),
        key: public_key.wrap_key(&c.organization_key),
    }];
    organization_users::Entity::delete_by_id(c.owner_member.0)
        .exec(db)
        .await
        .unwrap();
    let outcome = service::confirm(db, &ctx, &outbox(&mailer), &manager, &keys)
        .await
        .unwrap();
    assert_eq!(outcome[0].result, Err(AppError::NotFound));
    assert!(
        organization_users::Entity::find_by_id(c.owner_member.0)
            .one(db)
            .await
            .unwrap()
            .is_none()
    );
    t.cleanup().await;
}

support::each_backend!(a_member_revoked_before_confirm_comes_back_accepted_not_keyless_confirmed);
async fn a_member_revoked_before_confirm_comes_back_accepted_not_keyless_confirmed(
    t: support::TestDb,
) {
    let db = &t.db;
    let mailer = Mailer::off();
    let c = client(db).await;
    let sid = actor(db, c.service).await;
    let manager = gate::manager(db, sid.clone(), Place::Organization(c.organization))
        .await
        .unwrap();
    let member = MemberId::from(c.owner_member);
    let ctx = context(&sid);
    for action in [MemberAction::Revoke, MemberAction::Restore] {
        let outcome = service::apply(db, &ctx, &outbox(&mailer), &manager, action, &[member])
            .await
            .unwrap();
        assert_eq!(outcome[0].result, Ok(()), "{action:?}");
    }
    let row = member_row(db, c.owner_member).await;
    assert_eq!((row.status, row.key), (MemberStatus::Accepted, None));
    t.cleanup().await;
}

support::each_backend!(an_admin_without_a_copy_of_the_key_gets_no_way_to_it);
async fn an_admin_without_a_copy_of_the_key_gets_no_way_to_it(t: support::TestDb) {
    let db = &t.db;
    let c = client(db).await;
    // The admin of a provider the command line made, before its key is set up, holds none.
    let (other, _) = account(db, "other@msp.example").await;
    let keyless = support::provider(db, "Other MSP", "other@msp.example").await;
    let admin = actor(db, other).await;
    let manager = gate::manager(db, admin, Place::Provider(keyless))
        .await
        .unwrap();
    assert!(confirm_plan(db, &manager, &[]).await.unwrap().key.is_none());
    // The client's service user, holding a copy of its provider's key, has a way.
    let sid = actor(db, c.service).await;
    let manager = gate::manager(db, sid, Place::Organization(c.organization))
        .await
        .unwrap();
    assert!(confirm_plan(db, &manager, &[]).await.unwrap().key.is_some());
    t.cleanup().await;
}

support::each_backend!(a_malformed_envelope_is_refused_at_the_door);
async fn a_malformed_envelope_is_refused_at_the_door(t: support::TestDb) {
    let db = &t.db;
    let c = client(db).await;
    let app = support::router_for(db);
    let cookie = support::session_cookie(db, c.service).await;
    let before = all_members(db).await;
    let public_key = c.owner_key.public_key().to_base64();
    for key in ["4.AAAA", "2.not-a-type-4", ""] {
        let body = serde_json::json!({
            "place": format!("o-{}", c.organization.0),
            "keys": [{"member": c.owner_member.0, "public_key": public_key, "key": key}],
        })
        .to_string();
        let (status, text) =
            support::post_form(&app, "/api/members/confirm", &body, Some(&cookie)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{key}: {text}");
    }
    assert_eq!(all_members(db).await, before, "nothing changed");
    t.cleanup().await;
}

support::each_backend!(add_existing_hands_the_organization_key_to_the_provider);
async fn add_existing_hands_the_organization_key_to_the_provider(t: support::TestDb) {
    use app::organizations::types::NewOrganizationForm;
    let db = &t.db;
    let (ada, ada_key) = account(db, "ada@msp.example").await;
    let msp = provider(db, "MSP", "ada@msp.example").await;
    let (provider_key, for_ada) = new_provider(&ada_key.public_key());
    app::providers::service::set_up_keys(db, msp, ada, &for_ada, chrono::Utc::now())
        .await
        .unwrap();
    // Ada's own organization, made with keys as Password Manager's form makes them.
    let ada_actor = actor(db, ada).await;
    let (organization_key, keys) =
        app::crypto::shared::new_organization(Some(&ada_key.public_key()), None);
    let input = NewOrganizationForm {
        name: "Ada's Shop".into(),
        billing_email: "ada@msp.example".into(),
        plan: "teams".into(),
        billing_cycle: "annual".into(),
        seats: "5".into(),
    }
    .read()
    .unwrap();
    let organization = app::organizations::service::create(
        db,
        &ada_actor,
        input,
        Some(&keys),
        &context(&ada_actor),
    )
    .await
    .unwrap();
    let eligible = support::witnessed::clients::eligible_organizations(db, &ada_actor, msp)
        .await
        .unwrap();
    assert_eq!(eligible.len(), 1);
    assert!(eligible[0].has_keys);
    let own = eligible[0].key.clone().unwrap();

    // Without its key it is refused: no client its provider could not open.
    let access =
        gate::in_provider(ada_actor.clone(), msp, app::auth::Capability::ManageClients).unwrap();
    assert_eq!(
        app::clients::service::add_existing(db, &access, organization, None, &context(&ada_actor))
            .await
            .unwrap_err(),
        AppError::Refused(Refusal::OrganizationKeyMissing)
    );
    assert_eq!(
        provider_organizations::Entity::find()
            .filter(provider_organizations::Column::OrganizationId.eq(organization.0))
            .one(db)
            .await
            .unwrap(),
        None,
        "not linked"
    );

    // The owner's browser opens both copies and wraps one key under the other.
    let opened = ada_key.unwrap_key(&own).unwrap();
    let provider_opened = ada_key.unwrap_key(&for_ada).unwrap();
    let wrapped = EncString::wrap_key(&provider_opened, &opened);
    app::clients::service::add_existing(
        db,
        &access,
        organization,
        Some(&wrapped),
        &context(&ada_actor),
    )
    .await
    .unwrap();
    let link = provider_organizations::Entity::find()
        .filter(provider_organizations::Column::OrganizationId.eq(organization.0))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let stored: EncString = link.key.unwrap().parse().unwrap();
    assert_eq!(
        stored.decrypt_key(&provider_key).unwrap().to_bytes(),
        organization_key.to_bytes(),
        "the provider key opens the organization's key"
    );
    t.cleanup().await;
}
