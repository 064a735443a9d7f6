#![allow(clippy::unwrap_used)]
//! Policies and account recovery (issue 7 items 4–5): enrolment only while the policy is on,
//! an admin reset that applies the portal's and the policy's password rules and ends every
//! session of the member, and each refusal (not enrolled, oneself, an Admin on an Owner,
//! policy off) with nothing changed; the server functions refuse every role that must be
//! refused. SQLite and PostgreSQL.

use crate::support;

use axum::http::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use app::accounts::password;
use app::db::{events, organization_users, policies, sessions, users};
use app::error::{AppError, Field, Problem, Refusal};
use app::events::types::EventType;
use app::ids::{OrganizationUserId, UserId};
use app::members::types::Permissions;
use support::witnessed::policy::{self, PolicyChange};
use support::witnessed::recovery;
use support::{
    acme, actor, context, events_of, membership, post_form, provider, provider_member,
    session_cookie, user,
};

const NEW: &str = "violet kettle harbour lantern";

async fn hash_of(db: &impl ConnectionTrait, user: UserId) -> String {
    users::Entity::find_by_id(user.0)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .password_hash
}

async fn sessions_of(db: &impl ConnectionTrait, user: UserId) -> u64 {
    sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(user.0))
        .count(db)
        .await
        .unwrap()
}

support::each_backend!(an_enrolled_member_is_reset_and_signed_out_everywhere);
async fn an_enrolled_member_is_reset_and_signed_out_everywhere(t: support::TestDb) {
    let db = &t.db;
    let owner_id = user(db, "owner@acme.example").await;
    let org = acme(db, owner_id, 10).await;
    let owner = actor(db, owner_id).await;
    let member_id = user(db, "kim@acme.example").await;
    let kim = membership(
        db,
        org.organization_id,
        Some(member_id),
        "kim@acme.example",
        "user",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let kim_actor = actor(db, member_id).await;
    actor(db, member_id).await; // a second session
    assert_eq!(sessions_of(db, member_id).await, 2);

    // Enrolling needs the policy.
    assert_eq!(
        recovery::set_enrolment(db, &context(&kim_actor), &kim_actor, org, true).await,
        Err(AppError::Refused(Refusal::RecoveryOff))
    );
    policy::set(
        db,
        &context(&owner),
        org,
        PolicyChange::toggle("account_recovery", true),
    )
    .await
    .unwrap();
    assert_eq!(events_of(db, EventType::PolicyUpdated).await, 1);
    recovery::set_enrolment(db, &context(&kim_actor), &kim_actor, org, true)
        .await
        .unwrap();
    assert_eq!(
        events_of(db, EventType::OrganizationUserRecoveryEnrolled).await,
        1
    );

    // The new password meets the portal's rules and the organization's policy.
    let before = hash_of(db, member_id).await;
    let reset = |new: &'static str, confirm: &'static str| {
        let owner = owner.clone();
        async move {
            recovery::reset_password(
                db,
                &context(&owner),
                &owner,
                org,
                kim,
                new.into(),
                confirm.into(),
            )
            .await
        }
    };
    let problem = |r: Result<(), AppError>, field| r.unwrap_err().problem_for(field);
    assert_eq!(
        problem(reset(NEW, "something else").await, Field::PasswordConfirm),
        Some(Problem::Mismatch)
    );
    assert_eq!(
        problem(reset("password1234", "password1234").await, Field::Password),
        Some(Problem::TooWeak)
    );
    policy::set(
        db,
        &context(&owner),
        org,
        PolicyChange {
            min_length: "40",
            min_strength: "4",
            ..PolicyChange::toggle("master_password", true)
        },
    )
    .await
    .unwrap();
    assert_eq!(
        problem(reset(NEW, NEW).await, Field::Password),
        Some(Problem::TooShort(40))
    );
    assert_eq!(hash_of(db, member_id).await, before);
    assert_eq!(sessions_of(db, member_id).await, 2);
    policy::set(
        db,
        &context(&owner),
        org,
        PolicyChange::toggle("master_password", false),
    )
    .await
    .unwrap();

    reset(NEW, NEW).await.unwrap();
    let after = hash_of(db, member_id).await;
    assert_ne!(after, before);
    assert!(password::verify(NEW.into(), Some(after)).await.unwrap());
    assert_eq!(sessions_of(db, member_id).await, 0, "{}", t.backend);
    assert_eq!(
        events_of(db, EventType::OrganizationUserPasswordReset).await,
        1
    );

    // Turning the policy off withdraws every enrolment: asked once more, then done.
    let enrolled = || async {
        organization_users::Entity::find_by_id(kim.0)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .reset_password_enrolled
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
    assert!(enrolled().await, "nothing changed without the confirmation");
    assert!(
        policy::load(db, org.organization_id)
            .await
            .unwrap()
            .account_recovery
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
    assert!(!enrolled().await);
    assert_eq!(
        reset(NEW, NEW).await,
        Err(AppError::Refused(Refusal::RecoveryOff))
    );
    t.cleanup().await;
}

support::each_backend!(resets_are_refused_where_they_must_be_and_change_nothing);
async fn resets_are_refused_where_they_must_be_and_change_nothing(t: support::TestDb) {
    let db = &t.db;
    let owner_id = user(db, "owner@acme.example").await;
    let org = acme(db, owner_id, 10).await;
    let oid = org.organization_id;
    let owner = actor(db, owner_id).await;
    policy::set(
        db,
        &context(&owner),
        org,
        PolicyChange::toggle("account_recovery", true),
    )
    .await
    .unwrap();
    let admin_id = user(db, "admin@acme.example").await;
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
    let admin = actor(db, admin_id).await;
    let plain_id = user(db, "plain@acme.example").await;
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
    // The owner enrols; an Admin still cannot reset an Owner.
    recovery::set_enrolment(db, &context(&owner), &owner, org, true)
        .await
        .unwrap();
    let hashes = (hash_of(db, owner_id).await, hash_of(db, plain_id).await);
    let reset = |who: &app::auth::Actor, target: OrganizationUserId| {
        let who = who.clone();
        async move {
            recovery::reset_password(
                db,
                &context(&who),
                &who,
                org,
                target,
                NEW.into(),
                NEW.into(),
            )
            .await
        }
    };
    assert_eq!(
        reset(&admin, OrganizationUserId(owner_row.id)).await,
        Err(AppError::Refused(Refusal::BeyondOwnRights))
    );
    assert_eq!(
        reset(&admin, plain).await,
        Err(AppError::Refused(Refusal::NotEnrolled))
    );
    assert_eq!(
        reset(&owner, OrganizationUserId(owner_row.id)).await,
        Err(AppError::Refused(Refusal::NotOnYourself))
    );
    assert_eq!(
        reset(&owner, OrganizationUserId(999_999)).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        (hash_of(db, owner_id).await, hash_of(db, plain_id).await),
        hashes,
        "{}",
        t.backend
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
    let owner = user(db, "owner@acme.example").await;
    let org = acme(db, owner, 10).await;
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
            "/api/members/reset-password",
            format!("organization={oid}&member={pid}&password=a&password_confirm=a"),
        ),
    ];
    let snapshot = || async {
        (
            policies::Entity::find().count(db).await.unwrap(),
            events::Entity::find().count(db).await.unwrap(),
            hash_of(db, plain).await,
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
    let enrol = format!("organization={oid}&enrolled=true");
    for (cookie, expected) in [
        (
            Some(session_cookie(db, outsider).await),
            StatusCode::FORBIDDEN,
        ),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        let (status, _) = post_form(
            &app,
            "/api/members/recovery-enrolment",
            &enrol,
            cookie.as_deref(),
        )
        .await;
        assert_eq!(status, expected);
    }
    assert_eq!(snapshot().await, before, "{}", t.backend);

    // The Owner turns the policy on from a plain form; the member then enrols.
    let cookie = session_cookie(db, owner).await;
    let (status, text) =
        post_form(&app, "/api/policies/set", &admin_only[1].1, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, text) = post_form(
        &app,
        "/api/members/recovery-enrolment",
        &enrol,
        Some(&session_cookie(db, plain).await),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(
        organization_users::Entity::find_by_id(pid)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .reset_password_enrolled
    );
    t.cleanup().await;
}
