#![allow(clippy::unwrap_used)]
//! A provider's members and invitations (issue 6 items 1–2, issue 4's pending invitations):
//! the lifecycle invite → accept → confirm → change type → revoke → restore → remove, every
//! refusal with nothing changed, the last-admin rule under concurrency, invitation links
//! (single use, expiry, replacement, someone else's), pending invitations, and the mail
//! through a real SMTP server. Each test runs on SQLite and PostgreSQL.

use crate::support;

use app::auth::{Capability, Scope};
use app::db::{events, invitations as invitation_rows, provider_users};
use app::error::{AppError, Field, Problem, Refusal};
use app::events::types::EventType;
use app::i18n::Locale;
use app::ids::{ProviderId, ProviderUserId};
use app::invitations::service as invitations;
use app::invitations::types::{Accepted, InvitationTo, PendingRef};
use app::mail::Mailer;
use app::mail::Outbox;
use app::members::types::{MemberAction, MemberQuery, StatusFilter};
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use support::members::provider as members;
use support::{actor, context, provider, provider_member, user, user_with_locale};

const BASE: &str = "http://portal.example";

fn outbox(mailer: &Mailer) -> Outbox<'_> {
    Outbox {
        mailer,
        base_url: BASE,
        locale: Locale::en,
    }
}

/// The token at the end of an invitation link.
fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_owned()
}

async fn event_count(db: &DatabaseConnection, event: EventType) -> u64 {
    events::Entity::find()
        .filter(events::Column::Type.eq(event.code()))
        .count(db)
        .await
        .unwrap()
}

async fn status_of(db: &DatabaseConnection, member: ProviderUserId) -> Option<String> {
    provider_users::Entity::find_by_id(member.0)
        .one(db)
        .await
        .unwrap()
        .map(|m| m.status.as_str().to_owned())
}

async fn member_id(db: &DatabaseConnection, provider: ProviderId, email: &str) -> ProviderUserId {
    let row = provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::Email.eq(email))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    ProviderUserId(row.id)
}

support::each_backend!(a_member_goes_from_invitation_to_removal);
async fn a_member_goes_from_invitation_to_removal(t: support::TestDb) {
    let db = &t.db;
    let admin_user = user(db, "admin@msp.example").await;
    let acme = provider(db, "Acme", "admin@msp.example").await;
    let admin = actor(db, admin_user).await;
    let mailer = Mailer::off();

    // Invite: mail is off, so the answer carries the link.
    let invited = members::invite(
        db,
        &context(&admin),
        &outbox(&mailer),
        &admin,
        acme,
        " Sam@Example.com ",
        "service_user",
    )
    .await
    .unwrap();
    assert_eq!(invited.len(), 1, "{}", t.backend);
    assert_eq!(invited[0].email, "sam@example.com");
    let link = invited[0].link.clone().unwrap();
    assert!(
        link.starts_with("http://portal.example/invitations/"),
        "{link}"
    );
    let sam = member_id(db, acme, "sam@example.com").await;
    assert_eq!(status_of(db, sam).await.as_deref(), Some("invited"));

    // The link's page, before an account exists.
    let preview = invitations::preview(db, &token_of(&link), Utc::now())
        .await
        .unwrap();
    assert_eq!(preview.email, "sam@example.com");
    assert!(!preview.has_account);
    assert!(matches!(preview.to, InvitationTo::Provider { ref name, .. } if name == "Acme"));

    // Sam registers with the invited address and accepts through the link.
    let sam_user = user(db, "sam@example.com").await;
    let sam_actor = actor(db, sam_user).await;
    let accepted = invitations::accept_link(db, &context(&sam_actor), &sam_actor, &token_of(&link))
        .await
        .unwrap();
    assert_eq!(accepted, Accepted::Provider(acme));
    assert_eq!(status_of(db, sam).await.as_deref(), Some("accepted"));
    // Accepted is not yet a right.
    let sam_actor = actor(db, sam_user).await;
    assert!(!sam_actor.can(Capability::ViewClients, Scope::Provider(acme)));

    // The admin confirms; now Sam sees the clients, and only that.
    let outcome = members::apply(
        db,
        &context(&admin),
        &outbox(&mailer),
        &admin,
        acme,
        MemberAction::Confirm,
        &[sam],
    )
    .await
    .unwrap();
    assert_eq!(outcome[0].result, Ok(()));
    let sam_actor = actor(db, sam_user).await;
    assert!(sam_actor.can(Capability::ViewClients, Scope::Provider(acme)));
    assert!(!sam_actor.can(Capability::ManageProviderMembers, Scope::Provider(acme)));

    // Promoted, revoked (no rights), restored (rights again), removed (gone).
    members::change_type(db, &context(&admin), &admin, acme, sam, "provider_admin")
        .await
        .unwrap();
    let sam_actor = actor(db, sam_user).await;
    assert!(sam_actor.can(Capability::ManageProviderMembers, Scope::Provider(acme)));
    for (action, status) in [
        (MemberAction::Revoke, Some("revoked")),
        (MemberAction::Restore, Some("confirmed")),
        (MemberAction::Remove, None),
    ] {
        let outcome = members::apply(
            db,
            &context(&admin),
            &outbox(&mailer),
            &admin,
            acme,
            action,
            &[sam],
        )
        .await
        .unwrap();
        assert_eq!(outcome[0].result, Ok(()), "{action:?} on {}", t.backend);
        assert_eq!(status_of(db, sam).await.as_deref(), status, "{action:?}");
    }
    let sam_actor = actor(db, sam_user).await;
    assert!(!sam_actor.can(Capability::ViewClients, Scope::Provider(acme)));

    // Each step is in the provider's log, with the member's address.
    for event in [
        EventType::ProviderUserInvited,
        EventType::ProviderUserAccepted,
        EventType::ProviderUserConfirmed,
        EventType::ProviderUserUpdated,
        EventType::ProviderUserRevoked,
        EventType::ProviderUserRestored,
        EventType::ProviderUserRemoved,
    ] {
        let about_sam = events::Entity::find()
            .filter(events::Column::Type.eq(event.code()))
            .filter(events::Column::Details.eq(r#"{"email":"sam@example.com"}"#))
            .count(db)
            .await
            .unwrap();
        assert_eq!(about_sam, 1, "{event:?} on {}", t.backend);
    }
    let removed = events::Entity::find()
        .filter(events::Column::Type.eq(EventType::ProviderUserRemoved.code()))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(removed.provider_id, Some(acme.0));
    assert_eq!(
        removed.details.as_deref(),
        Some(r#"{"email":"sam@example.com"}"#)
    );
    t.cleanup().await;
}

support::each_backend!(bad_invitations_are_refused_per_address_and_nothing_is_saved);
async fn bad_invitations_are_refused_per_address_and_nothing_is_saved(t: support::TestDb) {
    let db = &t.db;
    let admin_user = user(db, "admin@msp.example").await;
    let acme = provider(db, "Acme", "admin@msp.example").await;
    let admin = actor(db, admin_user).await;
    let mailer = Mailer::off();
    let before = provider_users::Entity::find().count(db).await.unwrap();

    let invite = |emails: &'static str, kind: &'static str| {
        let (admin, mailer) = (&admin, &mailer);
        async move {
            members::invite(
                db,
                &context(admin),
                &outbox(mailer),
                admin,
                acme,
                emails,
                kind,
            )
            .await
        }
    };
    let Err(AppError::Invalid(errors)) = invite(
        "ok@example.com, not-an-address, ok@example.com, ADMIN@msp.example",
        "service_user",
    )
    .await
    else {
        panic!("expected per-address problems");
    };
    let problem = |index| {
        errors
            .iter()
            .find(|e| e.field == Field::EmailAt(index))
            .map(|e| e.problem)
    };
    assert_eq!(problem(0), None, "{}", t.backend);
    assert_eq!(problem(1), Some(Problem::InvalidEmail));
    assert_eq!(problem(2), Some(Problem::Duplicate));
    assert_eq!(problem(3), Some(Problem::AlreadyMember));

    let many = Box::leak(
        (0..21)
            .map(|i| format!("m{i}@example.com"))
            .collect::<Vec<_>>()
            .join("\n")
            .into_boxed_str(),
    );
    assert_eq!(
        invite(many, "service_user")
            .await
            .unwrap_err()
            .problem_for(Field::Emails),
        Some(Problem::TooMany(20))
    );
    assert_eq!(
        invite("  ", "service_user")
            .await
            .unwrap_err()
            .problem_for(Field::Emails),
        Some(Problem::Required)
    );
    assert_eq!(
        invite("x@example.com", "owner")
            .await
            .unwrap_err()
            .problem_for(Field::MemberType),
        Some(Problem::Unsupported)
    );
    assert_eq!(
        provider_users::Entity::find().count(db).await.unwrap(),
        before
    );
    assert_eq!(invitation_rows::Entity::find().count(db).await.unwrap(), 0);
    assert_eq!(event_count(db, EventType::ProviderUserInvited).await, 0);
    t.cleanup().await;
}

support::each_backend!(a_provider_keeps_a_confirmed_admin);
async fn a_provider_keeps_a_confirmed_admin(t: support::TestDb) {
    let db = &t.db;
    let a = user(db, "a@msp.example").await;
    let acme = provider(db, "Acme", "a@msp.example").await;
    let admin = actor(db, a).await;
    let mailer = Mailer::off();
    let a_member = member_id(db, acme, "a@msp.example").await;

    // The only admin cannot leave; nobody acts on their own row from the list.
    let refused = members::leave(db, &context(&admin), &admin, acme).await;
    assert_eq!(
        refused,
        Err(AppError::Refused(Refusal::LastProviderAdmin)),
        "{}",
        t.backend
    );
    let own = members::apply(
        db,
        &context(&admin),
        &outbox(&mailer),
        &admin,
        acme,
        MemberAction::Remove,
        &[a_member],
    )
    .await
    .unwrap();
    assert_eq!(
        own[0].result,
        Err(AppError::Refused(Refusal::NotOnYourself))
    );

    // Confirming someone who has not accepted is refused.
    let invited =
        provider_member(db, acme, None, "new@example.com", "service_user", "invited").await;
    let outcome = members::apply(
        db,
        &context(&admin),
        &outbox(&mailer),
        &admin,
        acme,
        MemberAction::Confirm,
        &[ProviderUserId(invited)],
    )
    .await
    .unwrap();
    assert_eq!(
        outcome[0].result,
        Err(AppError::Refused(Refusal::NotAccepted))
    );
    assert_eq!(
        status_of(db, ProviderUserId(invited)).await.as_deref(),
        Some("invited")
    );

    // Another provider's member is not found, and not touched.
    user(db, "o@other.example").await;
    let other = provider(db, "Other", "o@other.example").await;
    let stranger = member_id(db, other, "o@other.example").await;
    let outcome = members::apply(
        db,
        &context(&admin),
        &outbox(&mailer),
        &admin,
        acme,
        MemberAction::Remove,
        &[stranger],
    )
    .await
    .unwrap();
    assert_eq!(outcome[0].result, Err(AppError::NotFound));
    assert_eq!(status_of(db, stranger).await.as_deref(), Some("confirmed"));

    // Two admins demote each other at the same moment: exactly one wins.
    let b = user(db, "b@msp.example").await;
    let b_member = ProviderUserId(
        provider_member(
            db,
            acme,
            Some(b),
            "b@msp.example",
            "provider_admin",
            "confirmed",
        )
        .await,
    );
    let admin_b = actor(db, b).await;
    let second = t.second_connection().await;
    let (context_a, context_b) = (context(&admin), context(&admin_b));
    let (first, other_result) = tokio::join!(
        members::change_type(db, &context_a, &admin, acme, b_member, "service_user"),
        members::change_type(
            &second,
            &context_b,
            &admin_b,
            acme,
            a_member,
            "service_user"
        ),
    );
    let results = [first, other_result];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?} on {}",
        t.backend
    );
    // The loser waited for the lock while the winner demoted it: checked again after the
    // lock, it is no Provider Admin any more (issue 16), and is refused for that.
    assert!(results.contains(&Err(AppError::Forbidden)), "{results:?}");
    let admins = provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(acme.0))
        .filter(provider_users::Column::Type.eq("provider_admin"))
        .filter(provider_users::Column::Status.eq("confirmed"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(admins, 1);
    second.close().await.unwrap();
    t.cleanup().await;
}

support::each_backend!(invitation_links_are_single_use_expiring_and_personal);
async fn invitation_links_are_single_use_expiring_and_personal(t: support::TestDb) {
    let db = &t.db;
    let admin_user = user(db, "admin@msp.example").await;
    let acme = provider(db, "Acme", "admin@msp.example").await;
    let admin = actor(db, admin_user).await;
    let mailer = Mailer::off();
    let invite = |email: &'static str| {
        let (admin, mailer) = (&admin, &mailer);
        async move {
            let invited = members::invite(
                db,
                &context(admin),
                &outbox(mailer),
                admin,
                acme,
                email,
                "service_user",
            )
            .await
            .unwrap();
            token_of(invited[0].link.as_deref().unwrap())
        }
    };
    let kim = actor(db, user(db, "kim@example.com").await).await;
    let eve = actor(db, user(db, "eve@example.com").await).await;

    // Someone else's invitation.
    let token = invite("kim@example.com").await;
    let refused = invitations::accept_link(db, &context(&eve), &eve, &token).await;
    assert_eq!(
        refused,
        Err(AppError::Refused(Refusal::InvitationForAnotherEmail)),
        "{}",
        t.backend
    );

    // A re-invitation replaces the link; the old one is unknown from then on.
    let kim_member = member_id(db, acme, "kim@example.com").await;
    let outcome = members::apply(
        db,
        &context(&admin),
        &outbox(&mailer),
        &admin,
        acme,
        MemberAction::Reinvite,
        &[kim_member],
    )
    .await
    .unwrap();
    let fresh = token_of(outcome[0].link.as_deref().unwrap());
    assert_eq!(
        invitations::accept_link(db, &context(&kim), &kim, &token).await,
        Err(AppError::Refused(Refusal::InvitationInvalid))
    );
    // Used once, then never again.
    invitations::accept_link(db, &context(&kim), &kim, &fresh)
        .await
        .unwrap();
    assert_eq!(
        invitations::accept_link(db, &context(&kim), &kim, &fresh).await,
        Err(AppError::Refused(Refusal::InvitationUsed))
    );

    // Expired: refused, and the member stays invited.
    let token = invite("late@example.com").await;
    invitation_rows::Entity::update_many()
        .col_expr(
            invitation_rows::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .filter(invitation_rows::Column::UsedAt.is_null())
        .exec(db)
        .await
        .unwrap();
    let late = actor(db, user(db, "late@example.com").await).await;
    assert_eq!(
        invitations::preview(db, &token, Utc::now()).await,
        Err(AppError::Refused(Refusal::InvitationExpired))
    );
    assert_eq!(
        invitations::accept_link(db, &context(&late), &late, &token).await,
        Err(AppError::Refused(Refusal::InvitationExpired))
    );
    let late_member = member_id(db, acme, "late@example.com").await;
    assert_eq!(status_of(db, late_member).await.as_deref(), Some("invited"));
    // Only hashes are stored.
    let stored = invitation_rows::Entity::find().all(db).await.unwrap();
    assert!(
        stored
            .iter()
            .all(|i| i.token_hash.len() == 64 && i.token_hash != token)
    );
    t.cleanup().await;
}

support::each_backend!(pending_invitations_are_accepted_or_declined_from_the_password_manager);
async fn pending_invitations_are_accepted_or_declined_from_the_password_manager(
    t: support::TestDb,
) {
    let db = &t.db;
    let admin_user = user(db, "admin@msp.example").await;
    let acme = provider(db, "Acme", "admin@msp.example").await;
    let admin = actor(db, admin_user).await;
    let mailer = Mailer::off();
    user(db, "b@globex.example").await;
    let globex = provider(db, "Globex", "b@globex.example").await;
    members::invite(
        db,
        &context(&admin),
        &outbox(&mailer),
        &admin,
        acme,
        "pat@example.com",
        "service_user",
    )
    .await
    .unwrap();
    let globex_admin = actor(db, provider_admin_user(db, globex).await).await;
    members::invite(
        db,
        &context(&globex_admin),
        &outbox(&mailer),
        &globex_admin,
        globex,
        "pat@example.com",
        "provider_admin",
    )
    .await
    .unwrap();

    let pat = actor(db, user(db, "pat@example.com").await).await;
    let pending = invitations::pending(db, &pat).await.unwrap();
    let names: Vec<&str> = pending
        .iter()
        .map(|p| match p {
            InvitationTo::Provider { name, .. } | InvitationTo::Organization { name, .. } => {
                name.as_str()
            }
        })
        .collect();
    assert_eq!(names, ["Acme", "Globex"], "{}", t.backend);
    // Nobody else sees them.
    assert!(invitations::pending(db, &admin).await.unwrap().is_empty());

    let acme_member = member_id(db, acme, "pat@example.com").await;
    let globex_member = member_id(db, globex, "pat@example.com").await;
    // Someone else cannot answer Pat's invitation.
    assert_eq!(
        invitations::decline_pending(
            db,
            &context(&admin),
            &admin,
            PendingRef::Provider(acme_member)
        )
        .await,
        Err(AppError::Refused(Refusal::InvitationForAnotherEmail))
    );
    invitations::accept_pending(db, &context(&pat), &pat, PendingRef::Provider(acme_member))
        .await
        .unwrap();
    invitations::decline_pending(
        db,
        &context(&pat),
        &pat,
        PendingRef::Provider(globex_member),
    )
    .await
    .unwrap();
    assert_eq!(
        status_of(db, acme_member).await.as_deref(),
        Some("accepted")
    );
    assert_eq!(status_of(db, globex_member).await, None);
    assert!(invitations::pending(db, &pat).await.unwrap().is_empty());
    assert_eq!(event_count(db, EventType::ProviderUserDeclined).await, 1);
    // The accepted member's link is used up.
    assert_eq!(
        invitation_rows::Entity::find()
            .filter(invitation_rows::Column::ProviderUserId.eq(acme_member.0))
            .filter(invitation_rows::Column::UsedAt.is_null())
            .count(db)
            .await
            .unwrap(),
        0
    );

    // The list: filters with counts, search by address or name.
    let page = members::list(db, &admin, acme, &MemberQuery::default())
        .await
        .unwrap();
    assert_eq!((page.counts.confirmed, page.counts.accepted), (1, 1));
    assert_eq!(page.total, 2);
    let accepted = members::list(
        db,
        &admin,
        acme,
        &MemberQuery {
            status: StatusFilter::Only(app::members::types::MemberStatus::Accepted),
            ..MemberQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(accepted.rows.len(), 1);
    assert_eq!(accepted.rows[0].email, "pat@example.com");
    let searched = members::list(
        db,
        &admin,
        acme,
        &MemberQuery {
            search: "ADMIN".into(),
            ..MemberQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(searched.rows.len(), 1);
    assert!(searched.rows[0].is_self);
    t.cleanup().await;
}

/// The confirmed Provider Admin of `provider` (the one the operator set up).
async fn provider_admin_user(db: &DatabaseConnection, provider: ProviderId) -> app::ids::UserId {
    let row = provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::Type.eq("provider_admin"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    app::ids::UserId(row.user_id.unwrap())
}

support::each_backend!(invitations_are_mailed_in_the_invitees_language);
async fn invitations_are_mailed_in_the_invitees_language(t: support::TestDb) {
    let sink = support::SmtpSink::start();
    let mailer = Mailer::new(
        Some(&sink.smtp_url()),
        "Provider Portal <portal@portal.example>",
    )
    .unwrap();
    let db = &t.db;
    let admin_user = user(db, "admin@msp.example").await;
    let acme = provider(db, "Acme & Co <IT>", "admin@msp.example").await;
    let admin = actor(db, admin_user).await;
    let dutch = format!("nl-{}@example.com", t.backend);
    let english = format!("new-{}@example.com", t.backend);
    user_with_locale(db, &dutch, "nl").await;
    let invited = members::invite(
        db,
        &context(&admin),
        &outbox(&mailer),
        &admin,
        acme,
        &format!("{dutch}, {english}"),
        "service_user",
    )
    .await
    .unwrap();
    // Mail went out: no links for the inviter to pass on.
    assert!(invited.iter().all(|i| i.link.is_none()), "{invited:?}");

    let mails = sink.mails_to(&english);
    assert_eq!(mails.len(), 1, "{}", t.backend);
    let mail = &mails[0];
    assert_eq!(mail["subject"], "You're invited to join Acme & Co <IT>");
    let text = mail["text"].as_str().unwrap();
    assert!(
        text.contains("admin invited you to join Acme & Co <IT>"),
        "{text}"
    );
    assert!(
        text.contains("http://portal.example/invitations/"),
        "{text}"
    );
    let html = mail["html"].as_str().unwrap();
    assert!(html.contains("Acme &amp; Co &lt;IT&gt;"), "{html}");
    assert!(
        html.contains("href=\"http://portal.example/invitations/"),
        "{html}"
    );
    // The link in the mail works.
    let token = text
        .split("/invitations/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    assert_eq!(
        invitations::preview(db, token, Utc::now())
            .await
            .unwrap()
            .email,
        english
    );

    let mails = sink.mails_to(&dutch);
    assert_eq!(mails.len(), 1);
    let subject = mails[0]["subject"].as_str().unwrap();
    assert_ne!(
        subject, "You're invited to join Acme & Co <IT>",
        "Dutch mail: {subject}"
    );
    assert!(subject.contains("Acme & Co <IT>"), "{subject}");

    // Confirmation and removal are mailed too.
    let newcomer = actor(db, user(db, &english).await).await;
    invitations::accept_link(db, &context(&newcomer), &newcomer, token)
        .await
        .unwrap();
    let member = member_id(db, acme, &english).await;
    for action in [MemberAction::Confirm, MemberAction::Remove] {
        members::apply(
            db,
            &context(&admin),
            &outbox(&mailer),
            &admin,
            acme,
            action,
            &[member],
        )
        .await
        .unwrap();
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let subjects = loop {
        let subjects: Vec<String> = sink
            .mails_to(&english)
            .iter()
            .map(|m| m["subject"].as_str().unwrap().to_owned())
            .collect();
        if subjects.len() >= 3 || std::time::Instant::now() > deadline {
            break subjects;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let has = |s: &str| subjects.iter().any(|x| x == s);
    assert!(has("You now have access to Acme & Co <IT>"), "{subjects:?}");
    assert!(
        has("You no longer have access to Acme & Co <IT>"),
        "{subjects:?}"
    );
    t.cleanup().await;
}

support::each_backend!(an_unreachable_smtp_server_leaves_the_invitation_and_shows_the_link);
async fn an_unreachable_smtp_server_leaves_the_invitation_and_shows_the_link(t: support::TestDb) {
    let db = &t.db;
    let admin_user = user(db, "admin@msp.example").await;
    let acme = provider(db, "Acme", "admin@msp.example").await;
    let admin = actor(db, admin_user).await;
    // Nothing listens on a port just freed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mailer = Mailer::new(
        Some(&format!("smtp://127.0.0.1:{port}")),
        "portal@portal.example",
    )
    .unwrap();
    let invited = members::invite(
        db,
        &context(&admin),
        &outbox(&mailer),
        &admin,
        acme,
        "sam@example.com",
        "service_user",
    )
    .await
    .unwrap();
    assert!(invited[0].link.is_some(), "{}", t.backend);
    let sam = member_id(db, acme, "sam@example.com").await;
    assert_eq!(status_of(db, sam).await.as_deref(), Some("invited"));
    t.cleanup().await;
}

support::each_backend!(settings_are_validated_and_each_change_is_an_event);
async fn settings_are_validated_and_each_change_is_an_event(t: support::TestDb) {
    use app::providers::types::ProviderSettings;
    use support::witnessed::providers;
    let db = &t.db;
    let admin_user = user(db, "admin@msp.example").await;
    let acme = provider(db, "Acme", "admin@msp.example").await;
    let admin = actor(db, admin_user).await;
    let before = providers::settings(db, acme).await.unwrap();
    assert!(
        before.service_users_may_purchase_seats,
        "default on ({})",
        t.backend
    );

    let bad = ProviderSettings {
        name: " ".into(),
        business_name: "x".repeat(101),
        billing_email: "nope".into(),
        service_users_may_purchase_seats: false,
    };
    let Err(AppError::Invalid(errors)) =
        providers::update_settings(db, &context(&admin), acme, bad).await
    else {
        panic!("expected problems");
    };
    let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [Field::Name, Field::BusinessName, Field::BillingEmail]
    );
    assert_eq!(providers::settings(db, acme).await.unwrap(), before);

    let after = ProviderSettings {
        name: "Acme IT".into(),
        service_users_may_purchase_seats: false,
        ..before.clone()
    };
    providers::update_settings(db, &context(&admin), acme, after.clone())
        .await
        .unwrap();
    // The same values again change nothing and record nothing.
    providers::update_settings(db, &context(&admin), acme, after.clone())
        .await
        .unwrap();
    assert_eq!(providers::settings(db, acme).await.unwrap(), after);
    let updated = events::Entity::find()
        .filter(events::Column::Type.eq(EventType::ProviderUpdated.code()))
        .all(db)
        .await
        .unwrap();
    assert_eq!(updated.len(), 1);
    let details: serde_json::Value =
        serde_json::from_str(updated[0].details.as_deref().unwrap()).unwrap();
    assert_eq!(details["name"]["to"], "Acme IT");
    assert_eq!(details["service_users_may_purchase_seats"]["from"], true);
    assert!(details.get("billing_email").is_none());
    t.cleanup().await;
}
