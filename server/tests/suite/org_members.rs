#![allow(clippy::unwrap_used)]
//! An organization's members in the Admin Console (issue 7 item 2): invite (seats, types,
//! Custom flags), accept, confirm, edit, revoke, restore, remove; rule 1 (a confirmed Owner
//! stays, except for provider clients), rule 2 (seats, also under concurrency), and "nobody
//! grants or touches rights they do not hold". Each test runs on SQLite and PostgreSQL.

use crate::support;

use app::auth::{OrgScope, Role};
use app::db::organization_users;
use app::error::{AppError, Field, Problem, Refusal};
use app::events::types::EventType;
use app::i18n::Locale;
use app::ids::{OrganizationUserId, ProviderId};
use app::invitations::service as invitations;
use app::invitations::types::PendingRef;
use app::mail::{Mailer, Outbox};
use app::members::types::{MemberAction, MemberQuery, Permissions, StatusFilter};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use support::members::org as members;
use support::{acme, actor, context, events_of, membership, problem, provider, user};

const BASE: &str = "http://portal.example";

fn outbox(mailer: &Mailer) -> Outbox<'_> {
    Outbox {
        mailer,
        base_url: BASE,
        locale: Locale::en,
    }
}

async fn rows(db: &impl ConnectionTrait) -> Vec<organization_users::Model> {
    organization_users::Entity::find()
        .order_by_asc(organization_users::Column::Id)
        .all(db)
        .await
        .unwrap()
}

support::each_backend!(members_go_from_invitation_to_removal_with_an_event_each);
async fn members_go_from_invitation_to_removal_with_an_event_each(t: support::TestDb) {
    let db = &t.db;
    let mailer = Mailer::off();
    let owner_id = user(db, "owner@acme.example").await;
    let org = acme(db, owner_id, 5).await;
    let owner = actor(db, owner_id).await;
    let ctx = context(&owner);

    let invited = members::invite(
        db,
        &ctx,
        &outbox(&mailer),
        &owner,
        org,
        "anna@example.com, bo@example.com",
        "custom",
        Permissions::MANAGE_USERS.union(Permissions::ACCESS_EVENT_LOGS),
    )
    .await
    .unwrap();
    // Mail is off: the answer carries each link to pass on.
    assert_eq!(invited.len(), 2);
    assert!(invited.iter().all(|i| i.link.is_some()));
    assert_eq!(events_of(db, EventType::OrganizationUserInvited).await, 2);
    let page = members::list(db, &owner, org, &MemberQuery::default())
        .await
        .unwrap();
    let seats = page.seats.unwrap();
    assert_eq!((seats.assigned, seats.used, page.counts.invited), (5, 3, 2));
    let anna = page
        .rows
        .iter()
        .find(|r| r.email == "anna@example.com")
        .unwrap();
    assert!(anna.permissions.contains(Permissions::MANAGE_USERS));
    let anna_id = OrganizationUserId(anna.id.0);

    // Anna accepts with her link, then the owner confirms her.
    let anna_user = user(db, "anna@example.com").await;
    let anna_actor = actor(db, anna_user).await;
    let token = invited[0]
        .link
        .as_deref()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap();
    invitations::accept_link(db, &context(&anna_actor), &anna_actor, token)
        .await
        .unwrap();
    let apply = |action, ids: Vec<OrganizationUserId>| {
        let (owner, ctx, mailer) = (owner.clone(), ctx.clone(), &mailer);
        async move {
            members::apply(db, &ctx, &outbox(mailer), &owner, org, action, &ids)
                .await
                .unwrap()
        }
    };
    let outcome = apply(MemberAction::Confirm, vec![anna_id]).await;
    assert_eq!(outcome[0].result, Ok(()));
    let confirmed = members::list(
        db,
        &owner,
        org,
        &MemberQuery {
            status: StatusFilter::Only(app::members::types::MemberStatus::Confirmed),
            ..MemberQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(confirmed.total, 2, "the owner and anna");

    // Edit: Custom → Admin.
    members::change_type(
        db,
        &ctx,
        &owner,
        org,
        anna_id,
        "admin",
        Permissions::empty(),
    )
    .await
    .unwrap();
    let row = organization_users::Entity::find_by_id(anna_id.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.r#type.as_str(), row.permissions), ("admin", 0));

    // Revoke frees the seat and keeps the row; restore takes it again.
    apply(MemberAction::Revoke, vec![anna_id]).await;
    let page = members::list(db, &owner, org, &MemberQuery::default())
        .await
        .unwrap();
    assert_eq!((page.seats.unwrap().used, page.counts.revoked), (2, 1));
    apply(MemberAction::Restore, vec![anna_id]).await;
    let row = organization_users::Entity::find_by_id(anna_id.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "confirmed");

    // A selection: one row refused (the owner acting on themself) does not stop the other.
    let own = OrganizationUserId(page.rows.iter().find(|r| r.is_self).unwrap().id.0);
    let outcomes = apply(MemberAction::Remove, vec![anna_id, own]).await;
    assert_eq!(outcomes[0].result, Ok(()));
    assert_eq!(
        outcomes[1].result,
        Err(AppError::Refused(Refusal::NotOnYourself))
    );
    assert!(
        organization_users::Entity::find_by_id(anna_id.0)
            .one(db)
            .await
            .unwrap()
            .is_none()
    );
    for event in [
        EventType::OrganizationUserAccepted,
        EventType::OrganizationUserConfirmed,
        EventType::OrganizationUserUpdated,
        EventType::OrganizationUserRevoked,
        EventType::OrganizationUserRestored,
        EventType::OrganizationUserRemoved,
    ] {
        assert_eq!(events_of(db, event).await, 1, "{event:?} on {}", t.backend);
    }
    t.cleanup().await;
}

support::each_backend!(bad_invitations_are_refused_with_their_reason_and_change_nothing);
async fn bad_invitations_are_refused_with_their_reason_and_change_nothing(t: support::TestDb) {
    let db = &t.db;
    let mailer = Mailer::off();
    let owner_id = user(db, "owner@acme.example").await;
    let org = acme(db, owner_id, 3).await;
    let owner = actor(db, owner_id).await;
    let ctx = context(&owner);
    membership(
        db,
        org.organization_id,
        None,
        "old@example.com",
        "user",
        "revoked",
        Permissions::empty(),
    )
    .await;
    let before = rows(db).await;
    let invite = |emails: &'static str, kind: &'static str, flags: Permissions| {
        let (owner, ctx, mailer) = (owner.clone(), ctx.clone(), &mailer);
        async move { members::invite(db, &ctx, &outbox(mailer), &owner, org, emails, kind, flags).await }
    };
    let none = Permissions::empty();
    // Seats: 3 assigned, 1 used (the owner); a revoked member takes none.
    assert_eq!(
        problem(
            invite("a@x.example b@x.example c@x.example", "user", none).await,
            Field::Emails
        ),
        Problem::SeatsLeft(2)
    );
    assert_eq!(
        problem(
            invite("old@example.com", "user", none).await,
            Field::EmailAt(0)
        ),
        Problem::AlreadyMember
    );
    assert_eq!(
        problem(
            invite("owner@acme.example", "user", none).await,
            Field::EmailAt(0)
        ),
        Problem::AlreadyMember
    );
    assert_eq!(
        problem(
            invite("a@x.example, A@X.example", "user", none).await,
            Field::EmailAt(1)
        ),
        Problem::Duplicate
    );
    assert_eq!(
        problem(
            invite("not-an-address", "user", none).await,
            Field::EmailAt(0)
        ),
        Problem::InvalidEmail
    );
    assert_eq!(
        problem(invite("", "user", none).await, Field::Emails),
        Problem::Required
    );
    assert_eq!(
        problem(
            invite("a@x.example", "manager", none).await,
            Field::MemberType
        ),
        Problem::Unsupported
    );
    assert_eq!(
        problem(
            invite("a@x.example", "custom", none).await,
            Field::Permissions
        ),
        Problem::Required
    );
    assert_eq!(rows(db).await, before, "{}", t.backend);
    assert_eq!(events_of(db, EventType::OrganizationUserInvited).await, 0);
    // The last seats can be used.
    invite("a@x.example b@x.example", "user", none)
        .await
        .unwrap();
    assert_eq!(
        problem(invite("c@x.example", "user", none).await, Field::Emails),
        Problem::SeatsLeft(0)
    );
    t.cleanup().await;
}

support::each_backend!(two_invitations_for_the_last_seat_at_once_take_it_once);
async fn two_invitations_for_the_last_seat_at_once_take_it_once(t: support::TestDb) {
    let db = &t.db;
    let second = t.second_connection().await;
    let owner_id = user(db, "owner@acme.example").await;
    let org = acme(db, owner_id, 3).await;
    let owner = actor(db, owner_id).await;
    let admin_id = user(db, "admin@acme.example").await;
    membership(
        db,
        org.organization_id,
        Some(admin_id),
        "admin@acme.example",
        "admin",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    // Three seats: owner and admin take two; a revoked member takes none.
    let revoked = membership(
        db,
        org.organization_id,
        None,
        "gone@example.com",
        "user",
        "revoked",
        Permissions::empty(),
    )
    .await;
    let admin = actor(db, admin_id).await;
    let mailer = Mailer::off();
    let (owner_ctx, admin_ctx) = (context(&owner), context(&admin));
    let post = outbox(&mailer);
    let (first, other) = tokio::join!(
        members::invite(
            db,
            &owner_ctx,
            &post,
            &owner,
            org,
            "one@example.com",
            "user",
            Permissions::empty()
        ),
        members::invite(
            &second,
            &admin_ctx,
            &post,
            &admin,
            org,
            "two@example.com",
            "user",
            Permissions::empty()
        ),
    );
    let results = [first.is_ok(), other.is_ok()];
    assert_eq!(
        results.iter().filter(|ok| **ok).count(),
        1,
        "exactly one invitation takes the last seat on {}",
        t.backend
    );
    let refused = if first.is_ok() { other } else { first };
    assert_eq!(problem(refused, Field::Emails), Problem::SeatsLeft(0));
    // Restoring the revoked member now finds no seat.
    let outcome = members::apply(
        db,
        &owner_ctx,
        &outbox(&mailer),
        &owner,
        org,
        MemberAction::Restore,
        &[revoked],
    )
    .await
    .unwrap();
    assert_eq!(
        outcome[0].result,
        Err(AppError::Refused(Refusal::NoSeatsLeft))
    );
    t.cleanup().await;
}

support::each_backend!(an_organization_outside_providers_keeps_a_confirmed_owner);
async fn an_organization_outside_providers_keeps_a_confirmed_owner(t: support::TestDb) {
    let db = &t.db;
    let mailer = Mailer::off();
    let first_id = user(db, "first@acme.example").await;
    let org = acme(db, first_id, 10).await;
    let second_id = user(db, "second@acme.example").await;
    let second_row = membership(
        db,
        org.organization_id,
        Some(second_id),
        "second@acme.example",
        "owner",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let first = actor(db, first_id).await;
    let second = actor(db, second_id).await;
    let first_row = members::list(db, &second, org, &MemberQuery::default())
        .await
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.email == "first@acme.example")
        .map(|r| OrganizationUserId(r.id.0))
        .unwrap();
    // Two owners demote each other at once: one of them stays an Owner.
    let second_db = t.second_connection().await;
    let (ctx1, ctx2) = (context(&first), context(&second));
    let (a, b) = tokio::join!(
        members::change_type(
            db,
            &ctx1,
            &first,
            org,
            second_row,
            "user",
            Permissions::empty()
        ),
        members::change_type(
            &second_db,
            &ctx2,
            &second,
            org,
            first_row,
            "user",
            Permissions::empty()
        ),
    );
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "{}",
        t.backend
    );
    // The loser waited for the lock while the winner demoted it: checked again after the
    // lock, it is no Owner any more (issue 16), so it is refused before the last-owner rule
    // is even reached.
    let refused = if a.is_ok() { b } else { a };
    assert_eq!(refused, Err(AppError::Forbidden));
    let owners = organization_users::Entity::find()
        .filter(organization_users::Column::Type.eq("owner"))
        .filter(organization_users::Column::Status.eq("confirmed"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(owners, 1);

    // A provider's client may have none for a while: its provider administers it.
    let admin_id = user(db, "admin@msp.example").await;
    let p: ProviderId = provider(db, "MSP", "admin@msp.example").await;
    support::link_client(db, p, org.organization_id).await;
    let client = OrgScope {
        provider_id: Some(p),
        ..org
    };
    let admin = actor(db, admin_id).await;
    let remaining_owner = rows(db)
        .await
        .into_iter()
        .find(|r| r.r#type == "owner")
        .unwrap();
    let outcome = members::apply(
        db,
        &context(&admin),
        &outbox(&mailer),
        &admin,
        client,
        MemberAction::Revoke,
        &[OrganizationUserId(remaining_owner.id)],
    )
    .await
    .unwrap();
    assert_eq!(outcome[0].result, Ok(()), "{}", t.backend);
    t.cleanup().await;
}

support::each_backend!(nobody_grants_or_touches_rights_they_do_not_hold);
async fn nobody_grants_or_touches_rights_they_do_not_hold(t: support::TestDb) {
    let db = &t.db;
    let mailer = Mailer::off();
    let owner_id = user(db, "owner@acme.example").await;
    let org = acme(db, owner_id, 20).await;
    let oid = org.organization_id;
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
    let custom_id = user(db, "custom@acme.example").await;
    membership(
        db,
        oid,
        Some(custom_id),
        "custom@acme.example",
        "custom",
        "confirmed",
        Permissions::MANAGE_USERS.union(Permissions::ACCESS_REPORTS),
    )
    .await;
    let plain = membership(
        db,
        oid,
        None,
        "plain@acme.example",
        "user",
        "invited",
        Permissions::empty(),
    )
    .await;
    let other_admin = membership(
        db,
        oid,
        None,
        "admin2@acme.example",
        "admin",
        "invited",
        Permissions::empty(),
    )
    .await;
    let owner_row = rows(db)
        .await
        .into_iter()
        .find(|r| r.r#type == "owner")
        .unwrap()
        .id;
    let admin = actor(db, admin_id).await;
    let custom = actor(db, custom_id).await;
    let owner = actor(db, owner_id).await;
    assert!(owner.outranks(Role::Owner, org));
    assert!(!admin.outranks(Role::Owner, org));
    assert!(admin.outranks(Role::Admin, org));
    assert!(!custom.outranks(Role::Admin, org));
    assert!(custom.outranks(Role::Custom(Permissions::ACCESS_REPORTS), org));
    assert!(!custom.outranks(Role::Custom(Permissions::MANAGE_POLICIES), org));
    let before = rows(db).await;
    let beyond = Err(AppError::Refused(Refusal::BeyondOwnRights));

    let invite = |who: &app::auth::Actor, kind: &'static str, flags: Permissions| {
        let (who, mailer) = (who.clone(), &mailer);
        async move {
            members::invite(
                db,
                &context(&who),
                &outbox(mailer),
                &who,
                org,
                "n@x.example",
                kind,
                flags,
            )
            .await
            .map(|_| ())
        }
    };
    assert_eq!(invite(&admin, "owner", Permissions::empty()).await, beyond);
    assert_eq!(invite(&custom, "admin", Permissions::empty()).await, beyond);
    assert_eq!(
        invite(&custom, "custom", Permissions::MANAGE_POLICIES).await,
        beyond
    );
    // Admin acting on an Owner.
    let on_owner = members::apply(
        db,
        &context(&admin),
        &outbox(&mailer),
        &admin,
        org,
        MemberAction::Revoke,
        &[OrganizationUserId(owner_row)],
    )
    .await
    .unwrap();
    assert_eq!(on_owner[0].result, beyond);
    assert_eq!(
        members::change_type(
            db,
            &context(&admin),
            &admin,
            org,
            OrganizationUserId(owner_row),
            "admin",
            Permissions::empty()
        )
        .await,
        beyond
    );
    // An Admin cannot make someone an Owner; a Custom user cannot touch an Admin.
    assert_eq!(
        members::change_type(
            db,
            &context(&admin),
            &admin,
            org,
            plain,
            "owner",
            Permissions::empty()
        )
        .await,
        beyond
    );
    let on_admin = members::apply(
        db,
        &context(&custom),
        &outbox(&mailer),
        &custom,
        org,
        MemberAction::Remove,
        &[other_admin],
    )
    .await
    .unwrap();
    assert_eq!(on_admin[0].result, beyond);
    assert_eq!(rows(db).await, before, "{}", t.backend);

    // Within their rights they act: the Custom user grants a flag they hold.
    invite(&custom, "custom", Permissions::ACCESS_REPORTS)
        .await
        .unwrap();
    members::change_type(
        db,
        &context(&admin),
        &admin,
        org,
        plain,
        "admin",
        Permissions::empty(),
    )
    .await
    .unwrap();
    t.cleanup().await;
}

support::each_backend!(a_provider_user_reinvites_and_the_link_is_replaced);
async fn a_provider_user_reinvites_and_the_link_is_replaced(t: support::TestDb) {
    let db = &t.db;
    let mailer = Mailer::off();
    let owner_id = user(db, "owner@acme.example").await;
    let org = acme(db, owner_id, 5).await;
    let owner = actor(db, owner_id).await;
    let invited = members::invite(
        db,
        &context(&owner),
        &outbox(&mailer),
        &owner,
        org,
        "late@example.com",
        "user",
        Permissions::empty(),
    )
    .await
    .unwrap();
    let id = rows(db)
        .await
        .into_iter()
        .find(|r| r.email == "late@example.com")
        .unwrap()
        .id;
    let again = members::apply(
        db,
        &context(&owner),
        &outbox(&mailer),
        &owner,
        org,
        MemberAction::Reinvite,
        &[OrganizationUserId(id)],
    )
    .await
    .unwrap();
    let new_link = again[0].link.clone().unwrap();
    assert_ne!(Some(new_link.clone()), invited[0].link);
    let late = user(db, "late@example.com").await;
    let late = actor(db, late).await;
    let old_token = invited[0]
        .link
        .as_deref()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap();
    assert_eq!(
        invitations::accept_link(db, &context(&late), &late, old_token).await,
        Err(AppError::Refused(Refusal::InvitationInvalid))
    );
    let accepted = invitations::accept_pending(
        db,
        &context(&late),
        &late,
        PendingRef::Organization(OrganizationUserId(id)),
    )
    .await;
    assert!(accepted.is_ok(), "{accepted:?}");
    t.cleanup().await;
}
