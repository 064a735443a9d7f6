#![allow(clippy::unwrap_used)]
//! The Admin Console's member and frame server functions, called over HTTP as a browser (or
//! an attacker) would: a User, a Custom user without "manage users", a service user of another
//! provider and an anonymous caller are refused and nothing changes; an Owner's calls work,
//! Custom flags arrive from a plain form (`permissions[]`), and the console's sections follow
//! the guard for each role. SQLite and PostgreSQL.

use crate::support;

use axum::http::StatusCode;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder};

use app::auth::OrgScope;
use app::db::{events, invitations, organization_users};
use app::ids::UserId;
use app::members::types::Permissions;
use app::organizations::types::ConsoleSection;
use support::witnessed::organizations as organizations_service;
use support::{
    acme, actor, context, membership, post_form, provider, provider_member, session_cookie, user,
};

#[derive(Debug, PartialEq)]
struct Snapshot {
    members: Vec<organization_users::Model>,
    invitations: u64,
    events: u64,
}

async fn snapshot(db: &impl ConnectionTrait) -> Snapshot {
    Snapshot {
        members: organization_users::Entity::find()
            .order_by_asc(organization_users::Column::Id)
            .all(db)
            .await
            .unwrap(),
        invitations: invitations::Entity::find().count(db).await.unwrap(),
        events: events::Entity::find().count(db).await.unwrap(),
    }
}

support::each_backend!(every_org_member_server_function_refuses_whom_it_must_and_changes_nothing);
async fn every_org_member_server_function_refuses_whom_it_must_and_changes_nothing(
    t: support::TestDb,
) {
    let db = &t.db;
    let app = support::router_for(db);
    let owner = user(db, "owner@acme.example").await;
    let org = acme(db, owner, 10).await.organization_id;
    let plain = user(db, "user@acme.example").await;
    membership(
        db,
        org,
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
        org,
        Some(reporter),
        "reports@acme.example",
        "custom",
        "confirmed",
        Permissions::ACCESS_REPORTS,
    )
    .await;
    let invited = membership(
        db,
        org,
        None,
        "new@example.com",
        "user",
        "invited",
        Permissions::empty(),
    )
    .await
    .0;
    // A service user of a provider that does not manage Acme.
    user(db, "admin@other.example").await;
    let other = provider(db, "Other", "admin@other.example").await;
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

    let oid = org.0;
    let endpoints: Vec<(&str, String)> = vec![
        (
            "/api/members/list",
            format!("place=o-{oid}&query[status]=All&query[search]=&query[page]=1"),
        ),
        (
            "/api/members/get",
            format!("place=o-{oid}&members[0]={invited}"),
        ),
        (
            "/api/members/invite",
            format!("place=o-{oid}&emails=x%40example.com&user_type=user"),
        ),
        (
            "/api/members/apply",
            format!("place=o-{oid}&action=revoke&members={invited}"),
        ),
        (
            "/api/members/confirm-plan",
            format!("place=o-{oid}&members[0]={invited}"),
        ),
        (
            "/api/members/confirm",
            support::confirm_body(&format!("o-{oid}"), invited),
        ),
        (
            "/api/members/change-type",
            format!("place=o-{oid}&member={invited}&user_type=admin"),
        ),
    ];
    let before = snapshot(db).await;
    let refused = [
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
    ];
    for (cookie, expected) in &refused {
        for (path, body) in &endpoints {
            let (status, text) = post_form(&app, path, body, cookie.as_deref()).await;
            assert_eq!(status, *expected, "{path} on {}: {text}", t.backend);
        }
    }
    // The frame: a plain User and outsiders have no Admin Console at all.
    for (cookie, expected) in &refused {
        if cookie.as_deref() == refused[1].0.as_deref() {
            continue; // a Custom user with a flag opens the console (with no sections)
        }
        let (status, _) = post_form(
            &app,
            "/api/organizations/frame",
            &format!("organization={oid}"),
            cookie.as_deref(),
        )
        .await;
        assert_eq!(status, *expected, "frame on {}", t.backend);
    }
    assert_eq!(snapshot(db).await, before, "{}", t.backend);

    // The Owner: a Custom invitation from a plain form, flags as `permissions[]`.
    let cookie = session_cookie(db, owner).await;
    let (status, text) = post_form(
        &app,
        "/api/members/invite",
        &format!("place=o-{oid}&emails=c%40example.com&user_type=custom&permissions%5B%5D=manage_users&permissions%5B%5D=access_event_logs"),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let row = organization_users::Entity::find()
        .order_by_desc(organization_users::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.email, "c@example.com");
    assert_eq!(
        Permissions(row.permissions),
        Permissions::MANAGE_USERS.union(Permissions::ACCESS_EVENT_LOGS)
    );
    for (path, body) in &endpoints[..2] {
        let (status, text) = post_form(&app, path, body, Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {text}");
    }
    let (status, _) = post_form(
        &app,
        "/api/members/invite",
        &format!("place=o-{oid}&emails=d%40example.com&user_type=custom&permissions%5B%5D=root"),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    t.cleanup().await;
}

support::each_backend!(the_console_shows_each_role_exactly_its_sections);
async fn the_console_shows_each_role_exactly_its_sections(t: support::TestDb) {
    let db = &t.db;
    let owner = user(db, "owner@acme.example").await;
    let org = acme(db, owner, 10).await.organization_id;
    let admin = user(db, "admin@acme.example").await;
    membership(
        db,
        org,
        Some(admin),
        "admin@acme.example",
        "admin",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let logs = user(db, "logs@acme.example").await;
    membership(
        db,
        org,
        Some(logs),
        "logs@acme.example",
        "custom",
        "confirmed",
        Permissions::ACCESS_EVENT_LOGS,
    )
    .await;
    user(db, "pa@msp.example").await;
    let p = provider(db, "MSP", "pa@msp.example").await;
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
    support::link_client(db, p, org).await;
    let scope = OrgScope {
        organization_id: org,
        provider_id: Some(p),
    };
    let sections = |who: UserId| async move {
        let actor = actor(db, who).await;
        organizations_service::frame(db, &actor, scope)
            .await
            .unwrap()
    };
    use ConsoleSection as S;
    assert_eq!(sections(owner).await.sections, S::ALL.to_vec());
    assert_eq!(
        sections(admin).await.sections,
        vec![S::Members, S::Collections, S::EventLogs, S::Policies]
    );
    assert_eq!(sections(logs).await.sections, vec![S::EventLogs]);
    let frame = sections(service).await;
    assert_eq!(frame.sections, S::ALL.to_vec());
    assert_eq!(frame.provider.map(|p| p.name), Some("MSP".to_owned()));
    assert!(frame.viewer_in_provider);
    t.cleanup().await;
}

support::each_backend!(settings_billing_and_seats_refuse_whom_they_must_and_keep_their_rules);
async fn settings_billing_and_seats_refuse_whom_they_must_and_keep_their_rules(t: support::TestDb) {
    use app::error::{AppError, Field, Problem};
    use app::events::types::EventType;
    use app::organizations::types::OrganizationBilling;
    use sea_orm::{ColumnTrait, QueryFilter};
    let db = &t.db;
    let app = support::router_for(db);
    let owner = user(db, "owner@acme.example").await;
    let org = acme(db, owner, 10).await.organization_id;
    let admin = user(db, "admin@acme.example").await;
    membership(
        db,
        org,
        Some(admin),
        "admin@acme.example",
        "admin",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let plain = user(db, "user@acme.example").await;
    membership(
        db,
        org,
        Some(plain),
        "user@acme.example",
        "user",
        "confirmed",
        Permissions::empty(),
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
    let oid = org.0;
    let endpoints: Vec<(&str, String)> = vec![
        (
            "/api/organizations/subscription",
            format!("organization={oid}"),
        ),
        (
            "/api/organizations/seats",
            format!("organization={oid}&seats=9"),
        ),
        ("/api/organizations/info", format!("organization={oid}")),
        (
            "/api/organizations/update-info",
            format!("organization={oid}&name=Taken&billing_email=x%40y.example"),
        ),
        ("/api/organizations/billing", format!("organization={oid}")),
        (
            "/api/organizations/update-billing",
            format!("organization={oid}&address=Street+1&tax_id=SE1"),
        ),
    ];
    let before = (
        app::db::organizations::Entity::find()
            .all(db)
            .await
            .unwrap(),
        snapshot(db).await,
    );
    // An Admin has Members, logs and policies, but no seats, billing or settings.
    for (cookie, expected) in [
        (Some(session_cookie(db, admin).await), StatusCode::FORBIDDEN),
        (Some(session_cookie(db, plain).await), StatusCode::FORBIDDEN),
        (
            Some(session_cookie(db, outsider).await),
            StatusCode::FORBIDDEN,
        ),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        for (path, body) in &endpoints {
            let (status, text) = post_form(&app, path, body, cookie.as_deref()).await;
            assert_eq!(status, expected, "{path} on {}: {text}", t.backend);
        }
    }
    let after = (
        app::db::organizations::Entity::find()
            .all(db)
            .await
            .unwrap(),
        snapshot(db).await,
    );
    assert_eq!(after, before, "{}", t.backend);

    // The Owner: bad input is refused next to its field, nothing changes.
    let owner_actor = actor(db, owner).await;
    let ctx = context(&owner_actor);
    let scope = OrgScope {
        organization_id: org,
        provider_id: None,
    };
    let problem = |result: Result<(), AppError>, field| result.unwrap_err().problem_for(field);
    assert_eq!(
        problem(
            organizations_service::update_info(db, &ctx, scope, "  ", None).await,
            Field::Name
        ),
        Some(Problem::Required)
    );
    assert_eq!(
        problem(
            organizations_service::update_info(db, &ctx, scope, &"x".repeat(51), None).await,
            Field::Name
        ),
        Some(Problem::TooLong(50))
    );
    assert_eq!(
        problem(
            organizations_service::update_info(db, &ctx, scope, "Acme", Some("nope")).await,
            Field::BillingEmail
        ),
        Some(Problem::InvalidEmail)
    );
    let seats = |s: &'static str| {
        let (actor, ctx) = (owner_actor.clone(), ctx.clone());
        async move {
            let seats = app::vocabulary::Seats::read_field(s)?;
            organizations_service::set_seats(db, &ctx, &actor, scope, seats).await
        }
    };
    assert_eq!(
        problem(seats("0").await, Field::Seats),
        Some(Problem::BelowMinimum(1))
    );
    assert_eq!(
        problem(seats("ten").await, Field::Seats),
        Some(Problem::NotANumber)
    );
    // Owner and admin and user are confirmed: three seats in use.
    assert_eq!(
        problem(seats("2").await, Field::Seats),
        Some(Problem::BelowUsed(3))
    );
    assert_eq!(
        problem(seats("1000000").await, Field::Seats),
        Some(Problem::AboveMaximum(100_000))
    );
    let billing = |address: String, tax_id: &'static str| {
        let ctx = ctx.clone();
        async move {
            organizations_service::update_billing(
                db,
                &ctx,
                scope,
                OrganizationBilling {
                    address,
                    tax_id: tax_id.into(),
                },
            )
            .await
        }
    };
    assert_eq!(
        problem(billing(String::new(), "SE<script>").await, Field::TaxId),
        Some(Problem::InvalidTaxId)
    );
    assert_eq!(
        problem(billing("x".repeat(501), "").await, Field::Address),
        Some(Problem::TooLong(500))
    );
    assert_eq!(
        app::db::organizations::Entity::find()
            .all(db)
            .await
            .unwrap(),
        before.0
    );

    // Valid changes land, each with its event.
    organizations_service::update_info(db, &ctx, scope, "Acme Europe", Some("ap@acme.example"))
        .await
        .unwrap();
    seats("12").await.unwrap();
    billing("Main Street 1\nStockholm".into(), "SE 5566-1234")
        .await
        .unwrap();
    let row = app::db::organizations::Entity::find_by_id(oid)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            row.name.as_str(),
            row.name_key.as_str(),
            row.billing_email.as_str(),
            row.seats
        ),
        ("Acme Europe", "acme europe", "ap@acme.example", 12)
    );
    assert_eq!(row.tax_id.as_deref(), Some("SE 5566-1234"));
    let count = |event: EventType| async move {
        events::Entity::find()
            .filter(events::Column::Type.eq(event.code()))
            .count(db)
            .await
            .unwrap()
    };
    assert_eq!(count(EventType::OrganizationUpdated).await, 2);
    assert_eq!(count(EventType::OrganizationSeatsChanged).await, 1);

    // A client's billing email is its provider's: not changed from here. (The gate reads the
    // organization's provider from the database, so it becomes a client for real.)
    support::link_client(db, other, org).await;
    let client = OrgScope {
        organization_id: org,
        provider_id: Some(other),
    };
    assert_eq!(
        problem(
            organizations_service::update_info(db, &ctx, client, "Acme", Some("a@b.example")).await,
            Field::BillingEmail
        ),
        Some(Problem::Unsupported)
    );
    t.cleanup().await;
}
