#![allow(clippy::unwrap_used)]
//! Every server function of providers, organizations and clients, called over HTTP as a
//! browser (or an attacker) would: each role that must be refused is refused, with the
//! right error, and the database is unchanged. Positive calls show the same requests work
//! for those allowed. Runs on SQLite and PostgreSQL.

use crate::support;

use support::{membership, post_form, session_cookie, user};

use axum::Router;
use axum::http::StatusCode;
use chrono::Utc;
use leptos::config::LeptosOptions;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder, Set};
use server::http::{AppState, router};

use app::accounts::session::ClientInfo;
use app::db::{
    events, organization_users, organizations, provider_organizations, provider_users, providers,
};
use app::events::service::EventContext;
use app::ids::OrganizationId;
use app::members::types::Permissions;
use app::providers::service::{Minimums, NewProvider, ProviderConfig, ProviderSetup};

fn app(db: &sea_orm::DatabaseConnection, setup: ProviderSetup) -> Router {
    let options = LeptosOptions::builder()
        .output_name("provider-portal")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    let mut state = AppState::new(options, db.clone());
    state.providers = ProviderConfig {
        setup,
        ..ProviderConfig::default()
    };
    router(state)
}

fn operator() -> EventContext {
    EventContext {
        actor: None,
        client: ClientInfo::default(),
        at: Utc::now(),
    }
}

/// Everything a refused call could have touched.
#[derive(Debug, PartialEq)]
struct Snapshot {
    organizations: Vec<organizations::Model>,
    links: u64,
    members: u64,
    providers: u64,
    provider_members: u64,
    events: u64,
}

async fn snapshot(db: &impl ConnectionTrait) -> Snapshot {
    Snapshot {
        organizations: organizations::Entity::find()
            .order_by_asc(organizations::Column::Id)
            .all(db)
            .await
            .unwrap(),
        links: provider_organizations::Entity::find()
            .count(db)
            .await
            .unwrap(),
        members: organization_users::Entity::find().count(db).await.unwrap(),
        providers: providers::Entity::find().count(db).await.unwrap(),
        provider_members: provider_users::Entity::find().count(db).await.unwrap(),
        events: events::Entity::find().count(db).await.unwrap(),
    }
}

support::each_backend!(every_clients_server_function_refuses_whom_it_must_and_changes_nothing);
async fn every_clients_server_function_refuses_whom_it_must_and_changes_nothing(
    t: support::TestDb,
) {
    let db = &t.db;
    let app = app(db, ProviderSetup::Open);
    let config = ProviderConfig::default();
    let admin = user(db, "admin@msp.example").await;
    let service = user(db, "service@msp.example").await;
    let other_admin = user(db, "admin@other.example").await;
    let org_admin = user(db, "it@client.example").await;
    let outsider = user(db, "boss@client.example").await;
    let new_provider = |name: &str| NewProvider {
        name: name.into(),
        business_name: String::new(),
        billing_email: "billing@example.com".into(),
    };
    let p = app::providers::service::create_by_operator(
        db,
        &config,
        "admin@msp.example",
        new_provider("MSP"),
        Minimums::default(),
        &operator(),
    )
    .await
    .unwrap();
    app::providers::service::create_by_operator(
        db,
        &config,
        "admin@other.example",
        new_provider("Other"),
        Minimums::default(),
        &operator(),
    )
    .await
    .unwrap();
    provider_users::ActiveModel {
        provider_id: Set(p.0),
        user_id: Set(Some(service.0)),
        email: Set("service@msp.example".into()),
        r#type: Set(app::vocabulary::ProviderUserType::ServiceUser),
        status: Set(app::vocabulary::MemberStatus::Confirmed),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let c = support::witnessed::clients::create(
        db,
        p,
        app::clients::types::NewClientForm {
            name: "Client One".into(),
            plan: "teams".into(),
            seats: "5".into(),
            owner_email: "boss@client.example".into(),
        }
        .read()
        .unwrap(),
        &operator(),
    )
    .await
    .unwrap();
    // An Admin of the client who is no provider member, and an independent Owner (so an
    // unlink would succeed if the guard let it through).
    membership(
        db,
        c,
        Some(org_admin),
        &format!("u{}@example.com", org_admin.0),
        "admin",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    membership(
        db,
        c,
        Some(outsider),
        &format!("u{}@example.com", outsider.0),
        "owner",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    // Organizations the refused callers own and could otherwise add.
    let mut owned = Vec::new();
    for owner in [service, other_admin, org_admin] {
        let row = organizations::ActiveModel {
            name: Set(format!("Owned by {owner}")),
            name_key: Set(format!("owned by {owner}")),
            billing_email: Set("b@example.com".into()),
            plan: Set(app::vocabulary::Plan::Teams),
            billing_cycle: Set(app::vocabulary::BillingCycle::Monthly),
            seats: Set(3),
            enabled: Set(true),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        membership(
            db,
            OrganizationId(row.id),
            Some(owner),
            &format!("u{}@example.com", owner.0),
            "owner",
            "confirmed",
            Permissions::empty(),
        )
        .await;
        owned.push(OrganizationId(row.id));
    }

    let (pid, cid) = (p.0, c.0);
    let list = format!(
        "provider={pid}&query[search]=&query[sort]=name&query[direction]=asc&query[page]=1&query[size]=25"
    );
    let details = format!("provider={pid}&client={cid}");
    let create = serde_json::json!({
        "provider": pid, "name": "Sneaky", "plan": "teams", "seats": "5",
        "owner_email": "x@x.example", "keys": support::client_keys(),
    })
    .to_string();
    let eligible = format!("provider={pid}");
    let rename = format!("provider={pid}&client={cid}&name=Renamed");
    let seats = format!("provider={pid}&client={cid}&seats=9");
    let unlink = format!("provider={pid}&client={cid}");
    let overview = format!("provider={pid}");
    let org_overview = format!("organization={cid}");
    // (endpoint, body, whether a Service User of the provider may call it)
    let mut endpoints: Vec<(&str, String, bool)> = vec![
        ("/api/clients/list", list.clone(), true),
        ("/api/clients/details", details.clone(), true),
        ("/api/clients/create", create, false),
        ("/api/clients/eligible", eligible, false),
        ("/api/clients/rename", rename.clone(), true),
        ("/api/clients/seats", seats.clone(), true),
        ("/api/clients/unlink", unlink, false),
        ("/api/providers/overview", overview, true),
    ];
    for org in &owned {
        endpoints.push((
            "/api/clients/add-existing",
            serde_json::json!({"provider": pid, "organization": org.0}).to_string(),
            false,
        ));
    }

    let cookies = [
        ("service user", Some(session_cookie(db, service).await)),
        (
            "admin of another provider",
            Some(session_cookie(db, other_admin).await),
        ),
        (
            "admin of the client, not in the provider",
            Some(session_cookie(db, org_admin).await),
        ),
        ("anonymous", None),
    ];
    let before = snapshot(db).await;
    for (who, cookie) in &cookies {
        for (path, body, service_may) in &endpoints {
            if *who == "service user" && *service_may {
                continue;
            }
            let (status, answer) = post_form(&app, path, body, cookie.as_deref()).await;
            let (expected, expected_status) = if cookie.is_none() {
                ("Unauthenticated", StatusCode::UNAUTHORIZED)
            } else {
                ("Forbidden", StatusCode::FORBIDDEN)
            };
            assert_eq!(status, expected_status, "{who} → {path} on {}", t.backend);
            assert!(
                answer.contains(expected),
                "{who} → {path}: {answer} on {}",
                t.backend
            );
            assert_eq!(snapshot(db).await, before, "{who} → {path} changed nothing");
        }
    }
    // The Admin Console's overview: the provider's members and the client's own Admin
    // may open it; the other provider and anonymous callers may not.
    for (who, cookie) in [&cookies[1], &cookies[3]] {
        let (_, answer) = post_form(
            &app,
            "/api/organizations/overview",
            &org_overview,
            cookie.as_deref(),
        )
        .await;
        let expected = if cookie.is_none() {
            "Unauthenticated"
        } else {
            "Forbidden"
        };
        assert!(answer.contains(expected), "{who}: {answer}");
    }
    // Anonymous callers cannot create organizations or providers.
    let new_provider = serde_json::json!({
        "name": "X", "business_name": "", "billing_email": "x@x.example",
        "key": support::wrapped_key(),
    })
    .to_string();
    let new_organization = serde_json::json!({
        "name": "X", "billing_email": "x@x.example", "plan": "teams",
        "billing_cycle": "monthly", "seats": "3", "keys": support::organization_keys(),
    })
    .to_string();
    for (path, body) in [
        ("/api/organizations/create", new_organization.as_str()),
        ("/api/providers/create", new_provider.as_str()),
        ("/api/providers/setup-open", ""),
    ] {
        let (_, answer) = post_form(&app, path, body, None).await;
        assert!(answer.contains("Unauthenticated"), "{path}: {answer}");
    }
    assert_eq!(snapshot(db).await, before);

    // With PROVIDER_SETUP=operator, signed-in users are refused too.
    let closed = self::app(db, ProviderSetup::Operator);
    let (_, answer) = post_form(
        &closed,
        "/api/providers/create",
        &new_provider,
        cookies[0].1.as_deref(),
    )
    .await;
    assert!(answer.contains("ProviderSetupClosed"), "{answer}");
    assert_eq!(snapshot(db).await, before);

    // The same requests succeed for those allowed.
    let service_cookie = cookies[0].1.clone();
    let (status, answer) =
        post_form(&app, "/api/clients/list", &list, service_cookie.as_deref()).await;
    assert!(
        status.is_success() && answer.contains("Client One"),
        "{status} {answer}"
    );
    for (who, cookie) in [
        ("service user", service_cookie.clone()),
        ("client admin", cookies[2].1.clone()),
    ] {
        let (status, answer) = post_form(
            &app,
            "/api/organizations/overview",
            &org_overview,
            cookie.as_deref(),
        )
        .await;
        assert!(
            status.is_success() && answer.contains("Client One"),
            "{who}: {status} {answer}"
        );
    }
    let (status, _) = post_form(
        &app,
        "/api/clients/seats",
        &seats,
        service_cookie.as_deref(),
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let admin_cookie = session_cookie(db, admin).await;
    let (status, answer) =
        post_form(&app, "/api/clients/rename", &rename, Some(&admin_cookie)).await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status} {answer}"
    );
    let after = snapshot(db).await;
    let client = after.organizations.iter().find(|o| o.id == cid).unwrap();
    assert_eq!((client.name.as_str(), client.seats), ("Renamed", 9));
    t.cleanup().await;
}

support::each_backend!(a_page_render_asks_the_database_a_constant_number_of_times);
/// The Clients page as a browser loads it: the signed-in caller is looked up once for the
/// whole render (the top bar and each resource's server function share it), and the number
/// of statements does not grow with the number of clients or the page's depth.
async fn a_page_render_asks_the_database_a_constant_number_of_times(t: support::TestDb) {
    use std::sync::{Arc, Mutex};
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = support::provider(db, "MSP", "admin@msp.example").await;
    let cookie = session_cookie(db, admin).await;
    let statements: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut counted = db.clone();
    let log = statements.clone();
    counted.set_metric_callback(move |info| {
        log.lock().unwrap().push(info.statement.sql.clone());
    });
    let app = support::router_for(&counted);
    let render = async |path: &str| {
        statements.lock().unwrap().clear();
        let (status, _, body) = support::get_path(&app, path, Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(body.contains("<table"), "{path} shows the table");
        let all = statements.lock().unwrap().clone();
        let sessions = all
            .iter()
            .filter(|sql| sql.contains("FROM \"sessions\""))
            .count();
        (all.len(), sessions)
    };
    let clients = format!("/providers/{}/clients", p.0);
    server::operator::bulk_clients(db, p, 30, None)
        .await
        .unwrap();
    let (small, sessions) = render(&clients).await;
    // The caller (session, user, two memberships), the top bar's switcher (2), the provider's
    // overview (4) and the page with its total (1): 12 on 2026-11-30, 20 before the
    // caller was shared. A new one here is a choice, not an accident.
    assert!(small <= 12, "{small} statements for the Clients page");
    assert_eq!(sessions, 1, "the session is read once per render");
    server::operator::bulk_clients(db, p, 270, None)
        .await
        .unwrap();
    let (large, _) = render(&clients).await;
    assert_eq!(large, small, "300 clients cost what 30 do");
    let (deep, sessions) = render(&format!("{clients}?page=12")).await;
    assert_eq!(
        (deep, sessions),
        (small, 1),
        "page 12 costs what page 1 does"
    );
    // A server function call (POST) loads its caller itself: nothing outlives a request.
    let list = format!(
        "provider={}&query[search]=&query[sort]=name&query[direction]=asc&query[page]=1&query[size]=25",
        p.0
    );
    statements.lock().unwrap().clear();
    let (status, _) = post_form(&app, "/api/clients/list", &list, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    let sessions = statements
        .lock()
        .unwrap()
        .iter()
        .filter(|sql| sql.contains("FROM \"sessions\""))
        .count();
    assert_eq!(sessions, 1);
    t.cleanup().await;
}
