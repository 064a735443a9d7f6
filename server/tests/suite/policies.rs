#![allow(clippy::unwrap_used)]
//! Policy enforcement (issue 7 item 5): required two-step login locks members without it out
//! of the organization (Owners and Admins exempt) until they turn it on, and says why; the
//! master-password policy applies at registration through an invitation and at password
//! change; the memberships list shows recovery and lock-out. SQLite and PostgreSQL.

use crate::support;

use axum::http::StatusCode;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use app::accounts::service::{self as accounts, RegisterInput};
use app::auth::{Capability, Scope, require};
use app::db::users;
use app::error::{AppError, Field, Problem, Refusal};
use app::ids::UserId;
use app::members::types::{MemberQuery, Permissions};
use support::members::org as members;
use support::witnessed::policy::{self, PolicyChange};
use support::witnessed::recovery;
use support::{acme, actor, context, membership, post_form, session_cookie, user};

async fn turn_on_two_step(db: &impl ConnectionTrait, user: UserId) {
    let mut row: users::ActiveModel = users::Entity::find_by_id(user.0)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into();
    row.totp_secret = Set(Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".into()));
    row.update(db).await.unwrap();
}

async fn hash_of(db: &impl ConnectionTrait, user: UserId) -> String {
    users::Entity::find_by_id(user.0)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .password_hash
}

support::each_backend!(required_two_step_login_locks_members_without_it_until_they_turn_it_on);
async fn required_two_step_login_locks_members_without_it_until_they_turn_it_on(
    t: support::TestDb,
) {
    let db = &t.db;
    let owner_id = user(db, "owner@acme.example").await;
    let org = acme(db, owner_id, 10).await;
    let owner = actor(db, owner_id).await;
    let kim_id = user(db, "kim@acme.example").await;
    membership(
        db,
        org.organization_id,
        Some(kim_id),
        "kim@acme.example",
        "custom",
        "confirmed",
        Permissions::MANAGE_USERS,
    )
    .await;
    let ada_id = user(db, "ada@acme.example").await;
    membership(
        db,
        org.organization_id,
        Some(ada_id),
        "ada@acme.example",
        "admin",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let scope = Scope::Organization(org);
    let members_cap = Capability::ManageOrgMembers;

    // Policy off: both open the organization.
    assert!(actor(db, kim_id).await.can(members_cap, scope));
    let list = members::list(db, &owner, org, &MemberQuery::default())
        .await
        .unwrap();
    assert!(!list.two_step_required);

    policy::set(
        db,
        &context(&owner),
        org,
        PolicyChange::toggle("two_step_login", true),
    )
    .await
    .unwrap();
    let list = members::list(db, &owner, org, &MemberQuery::default())
        .await
        .unwrap();
    assert!(list.two_step_required, "the Members page warns");

    // Kim (Custom) is locked out, and told why; Ada (Admin) and the Owner are exempt.
    let kim = actor(db, kim_id).await;
    assert_eq!(
        require(&kim, members_cap, scope),
        Err(AppError::Refused(Refusal::TwoStepRequired))
    );
    assert_eq!(
        require(&kim, Capability::ViewVaultItems, scope),
        Err(AppError::Refused(Refusal::TwoStepRequired))
    );
    // A right the membership never held stays a plain refusal.
    assert_eq!(
        require(&kim, Capability::ManagePolicies, scope),
        Err(AppError::Forbidden)
    );
    assert!(actor(db, ada_id).await.can(members_cap, scope));
    assert!(
        actor(db, owner_id)
            .await
            .can(Capability::ManagePolicies, scope)
    );
    let mine = recovery::memberships(db, &kim).await.unwrap();
    assert!(mine[0].two_step_blocked);

    // Over HTTP, the server function refuses with the reason, and the product switcher
    // leaves the organization out.
    let app = support::router_for(db);
    let kim_cookie = session_cookie(db, kim_id).await;
    let list_body = format!(
        "place=o-{}&query[status]=All&query[search]=&query[page]=1",
        org.organization_id
    );
    let (status, text) = post_form(&app, "/api/members/list", &list_body, Some(&kim_cookie)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    assert!(text.contains("TwoStepRequired"), "{text}");
    let products = accounts::product_access(db, &kim).await.unwrap();
    assert!(products.organizations.is_empty(), "{products:?}");

    // Two-step login on: the lock lifts at once (the actor is built per request).
    turn_on_two_step(db, kim_id).await;
    let kim = actor(db, kim_id).await;
    assert!(kim.can(members_cap, scope));
    assert!(!recovery::memberships(db, &kim).await.unwrap()[0].two_step_blocked);
    let (status, text) = post_form(&app, "/api/members/list", &list_body, Some(&kim_cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text}");

    // Policy off again: nobody is locked.
    policy::set(
        db,
        &context(&owner),
        org,
        PolicyChange::toggle("two_step_login", false),
    )
    .await
    .unwrap();
    assert!(actor(db, ada_id).await.can(members_cap, scope));
    t.cleanup().await;
}

support::each_backend!(the_master_password_policy_applies_at_registration_and_password_change);
async fn the_master_password_policy_applies_at_registration_and_password_change(
    t: support::TestDb,
) {
    let db = &t.db;
    let owner_id = user(db, "owner@acme.example").await;
    let org = acme(db, owner_id, 10).await;
    let owner = actor(db, owner_id).await;
    policy::set(
        db,
        &context(&owner),
        org,
        PolicyChange {
            min_length: "30",
            min_strength: "3",
            ..PolicyChange::toggle("master_password", true)
        },
    )
    .await
    .unwrap();
    // Invited, not yet registered.
    membership(
        db,
        org.organization_id,
        None,
        "new@acme.example",
        "user",
        "invited",
        Permissions::empty(),
    )
    .await;
    let register = |password: &str| RegisterInput {
        email: "new@acme.example".into(),
        name: "New Person".into(),
        password: password.into(),
        password_confirm: password.into(),
        locale: "en".into(),
    };
    // Strong enough for the portal (12+), too short for the organization (30).
    let short = "violet kettle harbour";
    assert_eq!(
        accounts::register(db, register(short), chrono::Utc::now()).await,
        Err(AppError::field(Field::Password, Problem::TooShort(30)))
    );
    assert_eq!(
        users::Entity::find().all(db).await.unwrap().len(),
        1,
        "nothing was created"
    );
    // Someone not invited there registers under the portal's rules alone.
    let mut elsewhere = register(short);
    elsewhere.email = "other@example.net".into();
    accounts::register(db, elsewhere, chrono::Utc::now())
        .await
        .unwrap();
    let long = "violet kettle harbour lantern meadow";
    accounts::register(db, register(long), chrono::Utc::now())
        .await
        .unwrap();

    // A confirmed member changing the password meets the policy too.
    let current = "kettle violet harbour sunrise".to_owned();
    let mut input = register(&current);
    input.email = "kim@acme.example".into();
    let kim_id = accounts::register(db, input, chrono::Utc::now())
        .await
        .unwrap();
    membership(
        db,
        org.organization_id,
        Some(kim_id),
        "kim@acme.example",
        "user",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let kim = actor(db, kim_id).await;
    // The browser checks a new password against the rules the server gives it (the server
    // never sees the password): the organization's, for its member.
    let rules = app::policies::service::rules_for(db, kim_id).await.unwrap();
    let problems = |new: &str| -> Vec<Problem> {
        let strength = app::strength::estimate(new, &["kim@acme.example"]);
        app::accounts::rules::problems(new, new, strength, rules)
            .into_iter()
            .map(|e| e.problem)
            .collect()
    };
    assert_eq!(problems(short), [Problem::TooShort(30)]);
    // Long enough but guessable: refused on strength.
    assert_eq!(
        problems("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        [Problem::TooWeak]
    );
    assert!(problems(long).is_empty());
    let before = hash_of(db, kim_id).await;
    let (current_hash, keys) = support::rewrap(db, &kim, &current, long).await;
    accounts::change_password(db, &kim, current_hash, keys)
        .await
        .unwrap();
    assert_ne!(hash_of(db, kim_id).await, before);
    t.cleanup().await;
}

support::each_backend!(the_memberships_list_is_the_callers_own);
async fn the_memberships_list_is_the_callers_own(t: support::TestDb) {
    let db = &t.db;
    let owner_id = user(db, "owner@acme.example").await;
    let org = acme(db, owner_id, 10).await;
    let owner = actor(db, owner_id).await;
    policy::set(
        db,
        &context(&owner),
        org,
        PolicyChange::toggle("account_recovery", true),
    )
    .await
    .unwrap();
    let mine = recovery::memberships(db, &owner).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].recovery_policy && !mine[0].recovery_enrolled);
    let stranger = actor(db, user(db, "stranger@example.net").await).await;
    assert!(
        recovery::memberships(db, &stranger)
            .await
            .unwrap()
            .is_empty()
    );
    // Anonymous callers get nothing.
    let app = support::router_for(db);
    let (status, _) = post_form(&app, "/api/members/mine", "", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, text) = post_form(
        &app,
        "/api/members/mine",
        "",
        Some(&session_cookie(db, owner_id).await),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains("\"recovery_policy\":true"), "{text}");
    t.cleanup().await;
}
