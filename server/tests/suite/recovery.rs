#![allow(clippy::unwrap_used)]
//! Policies and account recovery that keeps the vault (issue 7 items 4–5, issue 21 item 5,
//! VAULT.md §2). A member enrols while the policy is on by wrapping their user key to the
//! organization's public key; an admin's browser opens it through the organization's private
//! key and wraps the *same* user key under a new master password with the member's own KDF
//! settings. Done here natively, as the browsers do it: what was encrypted to the member
//! before still opens after; every session of the member ends; until the member chooses a
//! password of their own the guard refuses them everything but their account. Each refusal
//! (not enrolled, oneself, an Admin on an Owner, policy off, settings changed meanwhile,
//! malformed keys) changes nothing; the server functions refuse every role that must be
//! refused. SQLite and PostgreSQL.

use crate::support;

use axum::http::StatusCode;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};

use app::accounts::keys::NewAccount;
use app::auth::{Capability, OrgScope, gate};
use app::crypto::{Kdf, PrivateKey, PublicKey, SymmetricKey, shared};
use app::db::{events, organization_users, policies, sessions, users};
use app::error::{AppError, Field, Problem, Refusal};
use app::events::types::EventType;
use app::ids::{OrganizationUserId, UserId};
use app::members::types::{Permissions, PlaceKey, RecoveryPlan};
use app::organizations::types::NewOrganizationForm;
use support::witnessed::policy::{self, PolicyChange};
use support::witnessed::recovery;
use support::{
    context, events_of, membership, post_form, provider, provider_member, session_cookie, user,
};

const FIRST: &str = "violet kettle harbour lantern";
const RECOVERED: &str = "tangerine lighthouse velvet orbit";
const OWN_AGAIN: &str = "quiet meadow copper saxophone";
const ADMIN_PASSWORD: &str = "admin master password at acme";

/// An account with real keys made from `password` (natively, as the browser makes them), and
/// its keys as an unlocked tab holds them.
async fn account(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
) -> (UserId, SymmetricKey, PrivateKey) {
    let id = support::user(db, email).await;
    let salt = app::crypto::email_salt(email);
    let keys = app::crypto::account::new_account(password, &salt, Kdf::default()).unwrap();
    let (user_key, private) = app::crypto::account::unlock(
        password,
        &salt,
        keys.master.kdf,
        &keys.master.user_key,
        &keys.private_key,
    )
    .unwrap();
    let mut active: users::ActiveModel = users::Entity::find_by_id(id.0)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into();
    NewAccount::from(keys)
        .await
        .unwrap()
        .apply(&mut active, &salt);
    active.update(db).await.unwrap();
    (id, user_key, private)
}

/// "Acme" with real keys, as Password Manager "New organization" makes it: the owner holds
/// the organization key (type 4 to their public key). Returns the scope and the key.
async fn acme_with_keys(
    db: &DatabaseConnection,
    owner: UserId,
    owner_key: &PrivateKey,
) -> (OrgScope, SymmetricKey) {
    let owner = support::actor(db, owner).await;
    let (key, keys) = shared::new_organization(Some(&owner_key.public_key()), None);
    let organization = app::organizations::service::create(
        db,
        &owner,
        NewOrganizationForm {
            name: "Acme".into(),
            billing_email: owner.email.clone(),
            plan: "teams".into(),
            billing_cycle: "annual".into(),
            seats: "10".into(),
        }
        .read()
        .unwrap(),
        Some(&keys),
        &context(&owner),
    )
    .await
    .unwrap();
    let scope = OrgScope {
        organization_id: organization,
        provider_id: None,
    };
    (scope, key)
}

async fn user_row(db: &impl ConnectionTrait, user: UserId) -> users::Model {
    users::Entity::find_by_id(user.0)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn sessions_of(db: &impl ConnectionTrait, user: UserId) -> u64 {
    sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(user.0))
        .count(db)
        .await
        .unwrap()
}

/// The recovering admin's browser: its private key opens the organization key (its own copy
/// here), that opens the member's enrolment, and the same user key is wrapped under `new`.
fn recovered_keys(
    admin: &PrivateKey,
    plan: &RecoveryPlan,
    new: &str,
) -> app::crypto::MasterPasswordKeys {
    let PlaceKey::Own(own) = &plan.key else {
        panic!("the owner holds its own copy")
    };
    let organization_key = admin.unwrap_key(own).unwrap();
    shared::recover_account(
        &organization_key,
        &plan.organization_private_key,
        &plan.recovery_key,
        new,
        &plan.prelogin.salt,
        plan.prelogin.kdf,
    )
    .unwrap()
}

async fn turn_on_recovery(db: &DatabaseConnection, owner: UserId, scope: OrgScope) {
    let owner = support::actor(db, owner).await;
    policy::set(
        db,
        &context(&owner),
        scope,
        PolicyChange::toggle("account_recovery", true),
    )
    .await
    .unwrap();
}

support::each_backend!(recovery_keeps_the_vault_and_makes_the_member_choose_a_password);
async fn recovery_keeps_the_vault_and_makes_the_member_choose_a_password(t: support::TestDb) {
    let db = &t.db;
    let (owner_id, _, owner_key) = account(db, "owner@acme.example", ADMIN_PASSWORD).await;
    let (org, organization_key) = acme_with_keys(db, owner_id, &owner_key).await;
    let owner = support::actor(db, owner_id).await;
    let (kim_id, kim_user_key, kim_private) = account(db, "kim@acme.example", FIRST).await;
    let kim = membership(
        db,
        org.organization_id,
        Some(kim_id),
        "kim@acme.example",
        "user",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    // Something encrypted to Kim before the recovery: the organization key, as Confirm gave it.
    let held = kim_private.public_key().wrap_key(&organization_key);
    organization_users::ActiveModel {
        id: Set(kim.0),
        key: Set(Some(held.to_string())),
        ..Default::default()
    }
    .update(db)
    .await
    .unwrap();
    let kim_actor = support::actor(db, kim_id).await;
    support::actor(db, kim_id).await; // a second session
    assert_eq!(sessions_of(db, kim_id).await, 2);

    // Enrolling needs the policy; the enrolment is Kim's user key wrapped to the
    // organization's public key, made in Kim's browser.
    let organization_public = PublicKey::from_base64(
        &recovery::memberships(db, &kim_actor).await.unwrap()[0]
            .public_key
            .clone()
            .expect("the organization has keys"),
    )
    .unwrap();
    let enrolment = shared::recovery_key(&kim_user_key, &organization_public);
    assert_eq!(
        recovery::enrol(db, &context(&kim_actor), &kim_actor, org, &enrolment).await,
        Err(AppError::Refused(Refusal::RecoveryOff))
    );
    turn_on_recovery(db, owner_id, org).await;
    recovery::enrol(db, &context(&kim_actor), &kim_actor, org, &enrolment)
        .await
        .unwrap();
    assert_eq!(
        events_of(db, EventType::OrganizationUserRecoveryEnrolled).await,
        1
    );
    let mine = recovery::memberships(db, &kim_actor).await.unwrap();
    assert!(mine[0].recovery_enrolled);

    // The owner's browser recovers the account with the new password.
    let plan = recovery::plan(db, &owner, org, kim).await.unwrap();
    assert_eq!(plan.email, "kim@acme.example");
    assert_eq!(
        plan.prelogin.salt,
        app::crypto::email_salt("kim@acme.example")
    );
    let before = user_row(db, kim_id).await;
    let keys = recovered_keys(&owner_key, &plan, RECOVERED);
    recovery::recover(db, &context(&owner), &owner, org, kim, keys)
        .await
        .unwrap();
    let after = user_row(db, kim_id).await;
    assert_ne!(after.password_hash, before.password_hash);
    assert_ne!(after.user_key, before.user_key);
    assert_eq!(after.private_key, before.private_key, "the key pair stays");
    assert!(after.must_change_password);
    assert_eq!(sessions_of(db, kim_id).await, 0, "{}", t.backend);
    assert_eq!(
        events_of(db, EventType::OrganizationUserPasswordReset).await,
        1
    );

    // The new password opens the same user key and private key: what was encrypted to Kim
    // before still opens. The old password opens nothing.
    let own = app::accounts::prelogin::stored(&after).unwrap();
    let stored_user_key = after.user_key.clone().unwrap().parse().unwrap();
    let stored_private = after.private_key.clone().unwrap().parse().unwrap();
    let (user_key, private) = app::crypto::account::unlock(
        RECOVERED,
        &own.salt,
        own.kdf,
        &stored_user_key,
        &stored_private,
    )
    .unwrap();
    assert_eq!(user_key.to_bytes(), kim_user_key.to_bytes());
    assert_eq!(
        private.unwrap_key(&held).unwrap().to_bytes(),
        organization_key.to_bytes()
    );
    assert!(
        app::crypto::account::unlock(FIRST, &own.salt, own.kdf, &stored_user_key, &stored_private)
            .is_err()
    );
    // The new password signs in (its login hash is the stored one).
    let login = app::crypto::account::login_hash(RECOVERED, &own.salt, own.kdf).unwrap();
    assert!(
        app::accounts::password::verify(login, Some(after.password_hash.clone()))
            .await
            .unwrap()
    );

    // Signed in again, Kim may act on their own account only until they choose a password.
    let kim_actor = support::actor(db, kim_id).await;
    assert!(kim_actor.must_change_password);
    assert_eq!(
        gate::in_organization(
            db,
            kim_actor.clone(),
            org.organization_id,
            Capability::ManageOwnMembership
        )
        .await
        .map(|_| ()),
        Err(AppError::Refused(Refusal::PasswordChangeRequired))
    );
    let (current, new) = support::rewrap(db, &kim_actor, RECOVERED, OWN_AGAIN).await;
    app::accounts::service::change_password(db, &kim_actor, current, new)
        .await
        .unwrap();
    assert!(!user_row(db, kim_id).await.must_change_password);
    let kim_actor = support::actor(db, kim_id).await;
    gate::in_organization(
        db,
        kim_actor.clone(),
        org.organization_id,
        Capability::ManageOwnMembership,
    )
    .await
    .unwrap();
    // The user key is still the same after Kim's own change.
    let own_keys = app::accounts::service::own_keys(db, &kim_actor)
        .await
        .unwrap()
        .unwrap();
    let (user_key, _) = app::crypto::account::unlock(
        OWN_AGAIN,
        &own_keys.salt,
        own_keys.kdf,
        &own_keys.user_key,
        &own_keys.private_key,
    )
    .unwrap();
    assert_eq!(user_key.to_bytes(), kim_user_key.to_bytes());

    // Turning the policy off withdraws every enrolment, and forgets the keys they gave:
    // asked once more, then done.
    let enrolment_of = || async {
        let row = organization_users::Entity::find_by_id(kim.0)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        (
            row.reset_password_enrolled,
            row.reset_password_key.is_some(),
        )
    };
    let unconfirmed = policy::set(
        db,
        &context(&owner),
        org,
        PolicyChange::toggle("account_recovery", false),
    )
    .await;
    assert_eq!(
        unconfirmed.unwrap_err().problem_for(Field::Confirm),
        Some(Problem::WithdrawsEnrolments(1))
    );
    assert_eq!(
        enrolment_of().await,
        (true, true),
        "nothing changed without the confirmation"
    );
    policy::set(
        db,
        &context(&owner),
        org,
        PolicyChange {
            confirmed: true,
            ..PolicyChange::toggle("account_recovery", false)
        },
    )
    .await
    .unwrap();
    assert_eq!(enrolment_of().await, (false, false));
    assert_eq!(
        recovery::plan(db, &owner, org, kim).await.map(|_| ()),
        Err(AppError::Refused(Refusal::RecoveryOff))
    );

    // Withdrawing by oneself forgets the key too.
    turn_on_recovery(db, owner_id, org).await;
    recovery::enrol(db, &context(&kim_actor), &kim_actor, org, &enrolment)
        .await
        .unwrap();
    assert_eq!(enrolment_of().await, (true, true));
    recovery::withdraw(db, &context(&kim_actor), &kim_actor, org)
        .await
        .unwrap();
    assert_eq!(enrolment_of().await, (false, false));
    assert_eq!(
        events_of(db, EventType::OrganizationUserRecoveryWithdrawn).await,
        1
    );
    t.cleanup().await;
}

support::each_backend!(recoveries_are_refused_where_they_must_be_and_change_nothing);
async fn recoveries_are_refused_where_they_must_be_and_change_nothing(t: support::TestDb) {
    let db = &t.db;
    let (owner_id, owner_user_key, owner_key) =
        account(db, "owner@acme.example", ADMIN_PASSWORD).await;
    let (org, _) = acme_with_keys(db, owner_id, &owner_key).await;
    let oid = org.organization_id;
    let owner = support::actor(db, owner_id).await;
    turn_on_recovery(db, owner_id, org).await;
    let (admin_id, _, _) = account(db, "admin@acme.example", ADMIN_PASSWORD).await;
    membership(
        db,
        oid,
        Some(admin_id),
        "admin@acme.example",
        "admin",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let admin = support::actor(db, admin_id).await;
    let (plain_id, plain_user_key, _) = account(db, "plain@acme.example", FIRST).await;
    let plain = membership(
        db,
        oid,
        Some(plain_id),
        "plain@acme.example",
        "user",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let owner_row = organization_users::Entity::find()
        .filter(organization_users::Column::UserId.eq(owner_id.0))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let owner_member = OrganizationUserId(owner_row.id);
    let public = PublicKey::from_base64(
        &recovery::memberships(db, &owner).await.unwrap()[0]
            .public_key
            .clone()
            .unwrap(),
    )
    .unwrap();
    // The owner enrols; an Admin still cannot recover an Owner.
    recovery::enrol(
        db,
        &context(&owner),
        &owner,
        org,
        &shared::recovery_key(&owner_user_key, &public),
    )
    .await
    .unwrap();
    let keys = || {
        let salt = app::crypto::email_salt("plain@acme.example");
        app::crypto::account::new_account(RECOVERED, &salt, Kdf::default())
            .unwrap()
            .master
    };
    let snapshot = || async {
        let rows = [user_row(db, owner_id).await, user_row(db, plain_id).await];
        rows.map(|u| (u.password_hash, u.user_key, u.must_change_password))
    };
    let before = snapshot().await;
    let recover = |who: &app::auth::Actor, target: OrganizationUserId, keys| {
        let who = who.clone();
        async move { recovery::recover(db, &context(&who), &who, org, target, keys).await }
    };
    assert_eq!(
        recover(&admin, owner_member, keys()).await,
        Err(AppError::Refused(Refusal::BeyondOwnRights))
    );
    assert_eq!(
        recovery::plan(db, &admin, org, owner_member)
            .await
            .map(|_| ()),
        Err(AppError::Refused(Refusal::BeyondOwnRights))
    );
    assert_eq!(
        recover(&admin, plain, keys()).await,
        Err(AppError::Refused(Refusal::NotEnrolled))
    );
    assert_eq!(
        recovery::plan(db, &admin, org, plain).await.map(|_| ()),
        Err(AppError::Refused(Refusal::NotEnrolled))
    );
    assert_eq!(
        recover(&owner, owner_member, keys()).await,
        Err(AppError::Refused(Refusal::NotOnYourself))
    );
    assert_eq!(
        recover(&owner, OrganizationUserId(999_999), keys()).await,
        Err(AppError::NotFound)
    );
    // Plain enrols; keys wrapped with other KDF settings than the member's (changed while
    // the dialog was open) would lock them out, and a malformed login hash is refused.
    let plain_actor = support::actor(db, plain_id).await;
    recovery::enrol(
        db,
        &context(&plain_actor),
        &plain_actor,
        org,
        &shared::recovery_key(&plain_user_key, &public),
    )
    .await
    .unwrap();
    let before_plain_sessions = sessions_of(db, plain_id).await;
    let other_kdf = {
        let salt = app::crypto::email_salt("plain@acme.example");
        let kdf = Kdf::Argon2id {
            iterations: 3,
            memory_mib: 64,
            parallelism: 4,
        };
        app::crypto::account::new_account(RECOVERED, &salt, kdf)
            .unwrap()
            .master
    };
    assert_eq!(
        recover(&owner, plain, other_kdf).await,
        Err(AppError::Refused(Refusal::AccountChanged))
    );
    let mut malformed = keys();
    malformed.login_hash = "c2hvcnQ=".into();
    assert_eq!(
        recover(&owner, plain, malformed).await,
        Err(AppError::Refused(Refusal::MalformedKeys))
    );
    assert_eq!(snapshot().await, before, "{}", t.backend);
    assert_eq!(sessions_of(db, plain_id).await, before_plain_sessions);
    assert_eq!(
        events_of(db, EventType::OrganizationUserPasswordReset).await,
        0
    );

    // Bad policy settings are refused next to their fields.
    let bad = policy::set(
        db,
        &context(&owner),
        org,
        PolicyChange {
            min_length: "5",
            min_strength: "9",
            ..PolicyChange::toggle("master_password", true)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        bad.problem_for(Field::MinLength),
        Some(Problem::BelowMinimum(12))
    );
    assert_eq!(
        bad.problem_for(Field::MinStrength),
        Some(Problem::AboveMaximum(4))
    );
    assert_eq!(
        policy::set(
            db,
            &context(&owner),
            org,
            PolicyChange::toggle("no_such_policy", true)
        )
        .await,
        Err(AppError::NotFound)
    );
    assert!(
        policy::load(db, oid)
            .await
            .unwrap()
            .master_password
            .is_none()
    );
    t.cleanup().await;
}

support::each_backend!(policy_and_recovery_server_functions_refuse_whom_they_must);
async fn policy_and_recovery_server_functions_refuse_whom_they_must(t: support::TestDb) {
    let db = &t.db;
    let app = support::router_for(db);
    let (owner, _, owner_key) = account(db, "owner@acme.example", ADMIN_PASSWORD).await;
    let (org, _) = acme_with_keys(db, owner, &owner_key).await;
    let oid = org.organization_id.0;
    let plain = user(db, "user@acme.example").await;
    let plain_row = membership(
        db,
        org.organization_id,
        Some(plain),
        "user@acme.example",
        "user",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let reporter = user(db, "reports@acme.example").await;
    membership(
        db,
        org.organization_id,
        Some(reporter),
        "reports@acme.example",
        "custom",
        "confirmed",
        Permissions::ACCESS_REPORTS,
    )
    .await;
    user(db, "pa@other.example").await;
    let other = provider(db, "Other", "pa@other.example").await;
    let outsider = user(db, "service@other.example").await;
    provider_member(
        db,
        other,
        Some(outsider),
        "service@other.example",
        "service_user",
        "confirmed",
    )
    .await;
    let pid = plain_row.0;
    let admin_only = [
        ("/api/policies/get", format!("organization={oid}")),
        (
            "/api/policies/set",
            format!("organization={oid}&kind=account_recovery&enabled=on"),
        ),
        (
            "/api/members/recovery-plan",
            format!("organization={oid}&member={pid}"),
        ),
        (
            "/api/members/recover",
            serde_json::json!({"organization": oid, "member": pid, "keys": support::master_keys()})
                .to_string(),
        ),
    ];
    let snapshot = || async {
        (
            policies::Entity::find().count(db).await.unwrap(),
            events::Entity::find().count(db).await.unwrap(),
            user_row(db, plain).await.password_hash,
        )
    };
    let before = snapshot().await;
    for (cookie, expected) in [
        (Some(session_cookie(db, plain).await), StatusCode::FORBIDDEN),
        (
            Some(session_cookie(db, reporter).await),
            StatusCode::FORBIDDEN,
        ),
        (
            Some(session_cookie(db, outsider).await),
            StatusCode::FORBIDDEN,
        ),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        for (path, body) in &admin_only {
            let (status, text) = post_form(&app, path, body, cookie.as_deref()).await;
            assert_eq!(status, expected, "{path} on {}: {text}", t.backend);
        }
    }
    // Enrolment is a member's own: not a provider user's of another provider, not anonymous.
    let enrol = serde_json::json!({"organization": oid, "key": support::wrapped_key()}).to_string();
    let withdraw = format!("organization={oid}");
    for (cookie, expected) in [
        (
            Some(session_cookie(db, outsider).await),
            StatusCode::FORBIDDEN,
        ),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        for (path, body) in [
            ("/api/members/recovery-enrol", &enrol),
            ("/api/members/recovery-withdraw", &withdraw),
        ] {
            let (status, _) = post_form(&app, path, body, cookie.as_deref()).await;
            assert_eq!(status, expected, "{path}");
        }
    }
    assert_eq!(snapshot().await, before, "{}", t.backend);

    // The Owner turns the policy on from a plain form; the member then enrols.
    let cookie = session_cookie(db, owner).await;
    let (status, text) =
        post_form(&app, "/api/policies/set", &admin_only[1].1, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let member = Some(session_cookie(db, plain).await);
    let enrolment = || async {
        let row = organization_users::Entity::find_by_id(pid)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        (row.reset_password_enrolled, row.reset_password_key)
    };
    let (status, text) = post_form(
        &app,
        "/api/members/recovery-enrol",
        &enrol,
        member.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let enrolled = enrolment().await;
    assert!(enrolled.0 && enrolled.1.is_some());
    // A malformed enrolment (a type-2 envelope, not type 4) is refused at the door and
    // changes nothing.
    let malformed = serde_json::json!({"organization": oid, "key": support::ENVELOPE});
    let (status, text) = post_form(
        &app,
        "/api/members/recovery-enrol",
        &malformed.to_string(),
        member.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert_eq!(enrolment().await, enrolled);
    let (status, text) = post_form(
        &app,
        "/api/members/recovery-withdraw",
        &withdraw,
        member.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(enrolment().await, (false, None));
    t.cleanup().await;
}
