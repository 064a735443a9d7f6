#![allow(clippy::unwrap_used)]
//! Every server function of provider members, invitations, event logs and settings, called over HTTP as a browser
//! (or an attacker) would: each role that must be refused is refused with the right status,
//! and nothing changed; the same calls work for a Provider Admin. SQLite and PostgreSQL.

use crate::support;

use axum::http::StatusCode;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder};

use app::db::{events, invitations, organization_users, provider_users, providers};
use support::{post_form, provider, provider_member, session_cookie, user};

/// Everything a refused call could have touched.
#[derive(Debug, PartialEq)]
struct Snapshot {
    providers: Vec<providers::Model>,
    members: Vec<provider_users::Model>,
    org_members: u64,
    invitations: u64,
    events: u64,
}

async fn snapshot(db: &impl ConnectionTrait) -> Snapshot {
    Snapshot {
        providers: providers::Entity::find()
            .order_by_asc(providers::Column::Id)
            .all(db)
            .await
            .unwrap(),
        members: provider_users::Entity::find()
            .order_by_asc(provider_users::Column::Id)
            .all(db)
            .await
            .unwrap(),
        org_members: organization_users::Entity::find().count(db).await.unwrap(),
        invitations: invitations::Entity::find().count(db).await.unwrap(),
        events: events::Entity::find().count(db).await.unwrap(),
    }
}

support::each_backend!(every_member_server_function_refuses_whom_it_must_and_changes_nothing);
async fn every_member_server_function_refuses_whom_it_must_and_changes_nothing(t: support::TestDb) {
    let db = &t.db;
    let app = support::router_for(db);
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let service = user(db, "service@msp.example").await;
    provider_member(
        db,
        p,
        Some(service),
        "service@msp.example",
        "service_user",
        "confirmed",
    )
    .await;
    let other_admin = user(db, "admin@other.example").await;
    provider(db, "Other", "admin@other.example").await;
    let invited = provider_member(db, p, None, "new@example.com", "service_user", "invited").await;
    let accepted_user = user(db, "acc@example.com").await;
    support::give_test_keys(db, accepted_user).await;
    let accepted = provider_member(
        db,
        p,
        Some(accepted_user),
        "acc@example.com",
        "service_user",
        "accepted",
    )
    .await;

    let pid = p.0;
    let endpoints: Vec<(&str, String)> = vec![
        (
            "/api/members/list",
            format!("place=p-{pid}&query[status]=All&query[search]=&query[page]=1"),
        ),
        (
            "/api/members/get",
            format!("place=p-{pid}&members[0]={invited}"),
        ),
        (
            "/api/members/invite",
            format!("place=p-{pid}&emails=x%40example.com&user_type=service_user"),
        ),
        (
            "/api/members/confirm-plan",
            format!("place=p-{pid}&members[0]={accepted}"),
        ),
        (
            "/api/members/confirm",
            support::confirm_body(&format!("p-{pid}"), accepted),
        ),
        (
            "/api/members/apply",
            format!("place=p-{pid}&action=remove&members={invited}"),
        ),
        (
            "/api/members/change-type",
            format!("place=p-{pid}&member={accepted}&user_type=provider_admin"),
        ),
        ("/api/providers/settings", format!("provider={pid}")),
        (
            "/api/providers/update-settings",
            format!("provider={pid}&name=Renamed&business_name=&billing_email=b%40msp.example"),
        ),
        (
            "/api/events/list",
            format!("log[Provider]={pid}&query[from]=&query[to]=&query[tz]=0&query[page]=1"),
        ),
    ];
    let cookies = [
        ("service user", Some(session_cookie(db, service).await)),
        (
            "admin of another provider",
            Some(session_cookie(db, other_admin).await),
        ),
        (
            "accepted, not confirmed",
            Some(session_cookie(db, accepted_user).await),
        ),
        ("anonymous", None),
    ];
    let before = snapshot(db).await;
    for (who, cookie) in &cookies {
        for (path, body) in &endpoints {
            let (status, answer) = post_form(&app, path, body, cookie.as_deref()).await;
            let (expected, expected_status) = if cookie.is_none() {
                ("Unauthenticated", StatusCode::UNAUTHORIZED)
            } else {
                ("Forbidden", StatusCode::FORBIDDEN)
            };
            assert_eq!(
                status, expected_status,
                "{who} → {path}: {answer} on {}",
                t.backend
            );
            assert!(answer.contains(expected), "{who} → {path}: {answer}");
            assert_eq!(snapshot(db).await, before, "{who} → {path} changed nothing");
        }
    }
    // One's own business needs a session, nothing more.
    for (path, body) in [
        ("/api/provider-members/mine", String::new()),
        ("/api/provider-members/leave", format!("provider={pid}")),
        ("/api/invitations/pending", String::new()),
        ("/api/invitations/accept-link", "token=abc".to_owned()),
        (
            "/api/invitations/answer",
            format!("invitation=provider-{invited}&decision=accept"),
        ),
    ] {
        let (status, answer) = post_form(&app, path, &body, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {answer}");
        assert_eq!(snapshot(db).await, before, "{path} changed nothing");
    }
    // Answering someone else's invitation is refused, and changes nothing.
    let (status, answer) = post_form(
        &app,
        "/api/invitations/answer",
        &format!("invitation=provider-{invited}&decision=decline"),
        cookies[0].1.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(answer.contains("InvitationForAnotherEmail"), "{answer}");
    // An unknown link says so to anyone.
    let (status, answer) = post_form(&app, "/api/invitations/preview", "token=nope", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(answer.contains("InvitationInvalid"), "{answer}");
    assert_eq!(snapshot(db).await, before);

    // The Provider Admin may do all of it.
    let admin_cookie = session_cookie(db, admin).await;
    for (path, body) in &endpoints {
        let (status, answer) = post_form(&app, path, body, Some(&admin_cookie)).await;
        assert!(status.is_success(), "admin → {path}: {status} {answer}");
    }
    // Confirm as a plain bulk action carries no key: refused even to the admin.
    let (status, answer) = post_form(
        &app,
        "/api/members/apply",
        &format!("place=p-{pid}&action=confirm&members={accepted}"),
        Some(&admin_cookie),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(answer.contains("MemberKeyRequired"), "{answer}");
    let after = snapshot(db).await;
    assert_ne!(after, before);
    assert!(after.members.iter().any(|m| m.email == "x@example.com"));
    assert!(!after.members.iter().any(|m| m.id == invited));
    let renamed = after.providers.iter().find(|p| p.id == pid).unwrap();
    // Renamed; the checkbox was not sent, so Service Users may no longer purchase seats.
    assert_eq!(
        (
            renamed.name.as_str(),
            renamed.service_users_may_purchase_seats
        ),
        ("Renamed", false)
    );
    let promoted = after.members.iter().find(|m| m.id == accepted).unwrap();
    assert_eq!(
        (promoted.status.as_str(), promoted.r#type.as_str()),
        ("confirmed", "provider_admin")
    );
    t.cleanup().await;
}

support::each_backend!(an_invitation_mail_carried_returns_to_the_list_one_it_did_not_stays);
/// Issue 19: with mail on, "Invite" closes its dialog (back to the list, which says how many
/// went out); with mail off the links stay in the dialog to be passed on.
async fn an_invitation_mail_carried_returns_to_the_list_one_it_did_not_stays(t: support::TestDb) {
    use axum::body::Body;
    use axum::http::{Request, header};
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let cookie = session_cookie(db, admin).await;
    let list = format!("/providers/{}/manage/members?q=new", p.0);
    let form = |emails: &str| {
        format!(
            "place=p-{0}&emails={emails}&user_type=service_user\
             &return_to=%2Fproviders%2F{0}%2Fmanage%2Fmembers%3Fq%3Dnew",
            p.0
        )
    };
    // Posted without the bundle, as a browser posts a form.
    let plain_post = |body: String| {
        Request::builder()
            .method("POST")
            .uri("/api/members/invite")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, &cookie)
            .body(Body::from(body))
            .unwrap()
    };

    let sink = support::SmtpSink::start();
    let mailed = support::router_with_mail(db, &sink.smtp_url());
    let (status, headers, body) = support::send(
        &mailed,
        plain_post(form("new-a%40example.com%2C+new-b%40example.com")),
    )
    .await;
    assert!(status.is_redirection(), "{}: {status} {body}", t.backend);
    let location = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("location"))
        .map(|(_, v)| v.as_str());
    assert_eq!(location, Some(format!("{list}&invites_sent=2").as_str()));
    assert_eq!(sink.mails_to("new-a@example.com").len(), 1);

    // Mail off: no return to the list; the answer carries the link to pass on.
    let unmailed = support::router_for(db);
    let (status, body) = post_form(
        &unmailed,
        "/api/members/invite",
        &form("new-c%40example.com"),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("/invitations/"), "{body}");
    t.cleanup().await;
}

support::each_backend!(a_bulk_action_posted_without_the_bundle_returns_to_the_list_with_its_counts);
/// A bulk action's dialog posted as a plain form (no bundle, or before the page was
/// interactive) goes back to the list with how many rows changed and how many did not; the
/// bundle's call gets the per-row results and no redirect.
async fn a_bulk_action_posted_without_the_bundle_returns_to_the_list_with_its_counts(
    t: support::TestDb,
) {
    use axum::body::Body;
    use axum::http::{Request, header};
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let cookie = session_cookie(db, admin).await;
    let invited = provider_member(db, p, None, "new@example.com", "service_user", "invited").await;
    let revoked = provider_member(db, p, None, "old@example.com", "service_user", "revoked").await;
    let app = support::router_for(db);
    let body = format!(
        "place=p-{0}&action=revoke&members={invited},{revoked}\
         &return_to=%2Fproviders%2F{0}%2Fmanage%2Fmembers%3Fq%3Dexample",
        p.0
    );
    let request = Request::builder()
        .method("POST")
        .uri("/api/members/apply")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, &cookie)
        .body(Body::from(body.clone()))
        .unwrap();
    let (status, headers, answer) = support::send(&app, request).await;
    assert!(status.is_redirection(), "{}: {status} {answer}", t.backend);
    let location = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("location"))
        .map(|(_, v)| v.as_str());
    assert_eq!(
        location,
        Some(
            format!(
                "/providers/{}/manage/members?q=example&done=1&unchanged=1",
                p.0
            )
            .as_str()
        ),
        "one revoked, one already revoked"
    );
    let members = snapshot(db).await.members;
    let status_of = |id: i64| {
        members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.status.as_str().to_owned())
    };
    assert_eq!(status_of(invited).as_deref(), Some("revoked"));

    // The bundle's call: per-row results, no redirect.
    let (status, answer) = post_form(&app, "/api/members/apply", &body, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer.contains("\"member\""), "{answer}");
    t.cleanup().await;
}
