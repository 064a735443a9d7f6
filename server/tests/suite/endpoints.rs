//! Every endpoint goes through the gate (`app::auth::gate`). This test takes the list of
//! server functions from the server-function registry (what the router really serves, not a
//! list written here), the CSV routes from `server::export::ROUTES` and the import routes from
//! `server::import::ROUTES`, and proves for each:
//! - it is one of the named open endpoints (`gate::Open`), or a caller without a session is
//!   refused with 401 and nothing changes;
//! - in a provider or an organization, every role that lacks the endpoint's capability (by
//!   the decision table) and a signed-in stranger are refused with 403 and nothing changes;
//! - an own-account endpoint serves any signed-in caller.
//!
//! A new server function without a case below fails this test: give it its scope here.

#![allow(clippy::unwrap_used)]

use crate::support;

use std::collections::BTreeSet;

use app::auth::Capability;
use app::auth::capability::{Role, decide};
use app::auth::gate::Open;
use app::db;
use app::members::types::Permissions;
use axum::http::StatusCode;
use sea_orm::{DatabaseConnection, EntityTrait};
use support::{get_path, membership, post_form, provider, provider_member, session_cookie, user};

/// Whose door an endpoint is.
#[derive(Clone, Copy, Debug)]
enum Scope {
    /// The caller's own account: any signed-in caller.
    Account,
    Provider(Capability),
    Organization(Capability),
}

/// One endpoint, with a body that reaches its gate (the arguments decode).
struct Case {
    path: String,
    scope: Scope,
    body: String,
    kind: Kind,
}

/// What serves an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A server function (from the registry), posted.
    ServerFn,
    /// A CSV route (`server::export::ROUTES`): a GET, `path` filled in.
    Csv,
    /// An import route (`server::import::ROUTES`): a JSON POST, `path` filled in.
    Import,
}

/// The ids the bodies name.
struct Ids {
    provider: i64,
    organization: i64,
    org_member: i64,
    provider_member: i64,
    invoice: i64,
}

fn call(path: &str, scope: Scope, body: String) -> Case {
    Case {
        path: path.to_owned(),
        scope,
        body,
        kind: Kind::ServerFn,
    }
}

/// An import of one sealed item: what the import routes take.
fn import_body() -> String {
    let key = app::crypto::SymmetricKey::generate();
    let mut item = support::item_input(&key, "Imported");
    item["favorite"] = serde_json::json!(false);
    item["containers"] = serde_json::json!([]);
    serde_json::json!({"format": "chrome-csv", "containers": [], "items": [item]}).to_string()
}

fn cases(ids: &Ids) -> Vec<Case> {
    use Capability as C;
    use Scope::{Account, Organization as Org, Provider as Prov};
    let Ids {
        provider: p,
        organization: o,
        org_member: m,
        provider_member: pm,
        invoice,
    } = *ids;
    let member_query = "query[status]=All&query[search]=&query[page]=1";
    let client_query =
        "query[search]=&query[sort]=name&query[direction]=asc&query[page]=1&query[size]=25";
    let event_query = "query[from]=&query[to]=&query[tz]=0&query[page]=1";
    let item = || support::item_input(&app::crypto::SymmetricKey::generate(), "x");
    vec![
        // Own account.
        call("/api/accounts/details", Account, String::new()),
        call("/api/accounts/update-name", Account, "name=Mallory".into()),
        call("/api/accounts/set-theme", Account, "theme=dark".into()),
        call("/api/accounts/set-lock-timeout", Account, "minutes=5".into()),
        call(
            "/api/accounts/change-email",
            Account,
            "email=mallory%40example.com&current_login_hash=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D".into(),
        ),
        call("/api/accounts/send-verification", Account, String::new()),
        call("/api/accounts/end-session", Account, "session=1".into()),
        call("/api/accounts/begin-two-step", Account, String::new()),
        call(
            "/api/accounts/enable-two-step",
            Account,
            "code=123456&current_login_hash=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D".into(),
        ),
        call(
            "/api/accounts/disable-two-step",
            Account,
            "current_login_hash=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D".into(),
        ),
        call(
            "/api/accounts/change-password",
            Account,
            serde_json::json!({
                "current_login_hash": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "new": {
                    "kdf": {"kind": "pbkdf2", "iterations": 600_000},
                    "login_hash": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                    "user_key": support::ENVELOPE,
                },
            })
            .to_string(),
        ),
        call("/api/accounts/sign-out-everywhere", Account, String::new()),
        call("/api/accounts/keys", Account, String::new()),
        call("/api/invitations/accept-link", Account, "token=nothing".into()),
        call("/api/invitations/pending", Account, String::new()),
        call(
            "/api/invitations/answer",
            Account,
            "invitation=o-999999&decision=decline".into(),
        ),
        call("/api/members/mine", Account, String::new()),
        call("/api/provider-members/mine", Account, String::new()),
        call(
            "/api/provider-members/leave",
            Account,
            "provider=999999".into(),
        ),
        call("/api/providers/setup-open", Account, String::new()),
        call(
            "/api/providers/create",
            Account,
            serde_json::json!({
                "name": "", "business_name": "", "billing_email": "",
                "key": support::wrapped_key(),
            })
            .to_string(),
        ),
        call(
            "/api/organizations/create",
            Account,
            serde_json::json!({
                "name": "", "billing_email": "", "plan": "teams", "billing_cycle": "monthly",
                "seats": "0", "keys": support::organization_keys(),
            })
            .to_string(),
        ),
        // A provider.
        call(
            "/api/providers/overview",
            Prov(C::ViewClients),
            format!("provider={p}"),
        ),
        call(
            "/api/providers/settings",
            Prov(C::ManageProviderSettings),
            format!("provider={p}"),
        ),
        call(
            "/api/providers/set-up-keys",
            Prov(C::ManageProviderSettings),
            serde_json::json!({"provider": p, "key": support::wrapped_key()}).to_string(),
        ),
        call(
            "/api/providers/update-settings",
            Prov(C::ManageProviderSettings),
            format!("provider={p}&name=Taken&business_name=&billing_email=x%40x.example"),
        ),
        call(
            "/api/clients/list",
            Prov(C::ViewClients),
            format!("provider={p}&{client_query}"),
        ),
        call(
            "/api/clients/details",
            Prov(C::ViewClients),
            format!("provider={p}&client={o}"),
        ),
        call(
            "/api/clients/create",
            Prov(C::ManageClients),
            serde_json::json!({
                "provider": p, "name": "Sneaky", "plan": "teams", "seats": "5",
                "owner_email": "x@x.example", "keys": support::client_keys(),
            })
            .to_string(),
        ),
        call(
            "/api/clients/eligible",
            Prov(C::ManageClients),
            format!("provider={p}"),
        ),
        call(
            "/api/clients/add-existing",
            Prov(C::ManageClients),
            serde_json::json!({"provider": p, "organization": o, "key": support::ENVELOPE})
                .to_string(),
        ),
        call(
            "/api/clients/rename",
            Prov(C::UpdateClient),
            format!("provider={p}&client={o}&name=Renamed"),
        ),
        call(
            "/api/clients/seats",
            Prov(C::UpdateClient),
            format!("provider={p}&client={o}&seats=9"),
        ),
        call(
            "/api/clients/unlink",
            Prov(C::ManageClients),
            format!("provider={p}&client={o}"),
        ),
        call(
            "/api/members/list",
            Prov(C::ManageProviderMembers),
            format!("place=p-{p}&{member_query}"),
        ),
        call(
            "/api/members/get",
            Prov(C::ManageProviderMembers),
            format!("place=p-{p}&members[0]={pm}"),
        ),
        call(
            "/api/members/invite",
            Prov(C::ManageProviderMembers),
            format!("place=p-{p}&emails=x%40example.com&user_type=service_user"),
        ),
        call(
            "/api/members/apply",
            Prov(C::ManageProviderMembers),
            format!("place=p-{p}&action=remove&members={pm}"),
        ),
        call(
            "/api/members/confirm-plan",
            Prov(C::ManageProviderMembers),
            format!("place=p-{p}&members[0]={pm}"),
        ),
        call(
            "/api/members/confirm",
            Prov(C::ManageProviderMembers),
            support::confirm_body(&format!("p-{p}"), pm),
        ),
        call(
            "/api/members/change-type",
            Prov(C::ManageProviderMembers),
            format!("place=p-{p}&member={pm}&user_type=provider_admin"),
        ),
        call(
            "/api/billing/subscription",
            Prov(C::ManageProviderBilling),
            format!("provider={p}"),
        ),
        call(
            "/api/billing/history",
            Prov(C::ManageProviderBilling),
            format!("provider={p}"),
        ),
        call(
            "/api/billing/invoice",
            Prov(C::ManageProviderBilling),
            format!("provider={p}&invoice={invoice}"),
        ),
        call(
            "/api/billing/information",
            Prov(C::ManageProviderBilling),
            format!("provider={p}"),
        ),
        call(
            "/api/billing/update-information",
            Prov(C::ManageProviderBilling),
            format!("provider={p}&billing_email=x%40x.example&address=&tax_id="),
        ),
        call(
            "/api/events/list",
            Prov(C::ViewProviderEventLogs),
            format!("log[Provider]={p}&{event_query}"),
        ),
        // An organization (a client of the provider).
        call(
            "/api/events/list",
            Org(C::ViewEventLogs),
            format!("log[Organization]={o}&{event_query}"),
        ),
        call(
            "/api/organizations/overview",
            Org(C::AdministerOrganization),
            format!("organization={o}"),
        ),
        call(
            "/api/organizations/frame",
            Org(C::AdministerOrganization),
            format!("organization={o}"),
        ),
        call(
            "/api/organizations/visit",
            Org(C::AdministerOrganization),
            format!("organization={o}"),
        ),
        call(
            "/api/organizations/subscription",
            Org(C::ManageSeats),
            format!("organization={o}"),
        ),
        call(
            "/api/organizations/seats",
            Org(C::ManageSeats),
            format!("organization={o}&seats=9"),
        ),
        call(
            "/api/organizations/info",
            Org(C::ManageOrgSettings),
            format!("organization={o}"),
        ),
        call(
            "/api/organizations/update-info",
            Org(C::ManageOrgSettings),
            format!("organization={o}&name=Taken&billing_email=x%40y.example"),
        ),
        call(
            "/api/organizations/billing",
            Org(C::ManageOrgBilling),
            format!("organization={o}"),
        ),
        call(
            "/api/organizations/update-billing",
            Org(C::ManageOrgBilling),
            format!("organization={o}&address=Street+1&tax_id=SE1"),
        ),
        call(
            "/api/members/list",
            Org(C::ManageOrgMembers),
            format!("place=o-{o}&{member_query}"),
        ),
        call(
            "/api/members/get",
            Org(C::ManageOrgMembers),
            format!("place=o-{o}&members[0]={m}"),
        ),
        call(
            "/api/members/invite",
            Org(C::ManageOrgMembers),
            format!("place=o-{o}&emails=x%40example.com&user_type=user"),
        ),
        call(
            "/api/members/apply",
            Org(C::ManageOrgMembers),
            format!("place=o-{o}&action=revoke&members={m}"),
        ),
        call(
            "/api/members/confirm-plan",
            Org(C::ManageOrgMembers),
            format!("place=o-{o}&members[0]={m}"),
        ),
        call(
            "/api/members/confirm",
            Org(C::ManageOrgMembers),
            support::confirm_body(&format!("o-{o}"), m),
        ),
        call(
            "/api/members/change-type",
            Org(C::ManageOrgMembers),
            format!("place=o-{o}&member={m}&user_type=admin"),
        ),
        call(
            "/api/members/recovery-plan",
            Org(C::ManageAccountRecovery),
            format!("organization={o}&member={m}"),
        ),
        call(
            "/api/members/recover",
            Org(C::ManageAccountRecovery),
            serde_json::json!({"organization": o, "member": m, "keys": support::master_keys()})
                .to_string(),
        ),
        // The vault: one's own items, folders and sync; an organization's items (a member's
        // access, which a provider's role in its client never is: V2) and collections.
        call("/api/vault/sync", Account, String::new()),
        call(
            "/api/vault/create",
            Account,
            serde_json::json!({"input": item()}).to_string(),
        ),
        call(
            "/api/vault/update",
            Account,
            serde_json::json!({"id": 1, "revision": 1, "input": item()}).to_string(),
        ),
        call("/api/vault/trash", Account, "id=1&revision=1&trash=true".into()),
        call("/api/vault/delete", Account, "id=1".into()),
        call(
            "/api/vault/folder-save",
            Account,
            serde_json::json!({"id": null, "name": support::ENVELOPE}).to_string(),
        ),
        call("/api/vault/folder-delete", Account, "id=1".into()),
        call("/api/vault/place", Account, "id=1&favorite=true".into()),
        call(
            "/api/vault/org-create",
            Org(C::ViewVaultItems),
            serde_json::json!({"organization": o, "collections": [1], "input": item()}).to_string(),
        ),
        call(
            "/api/vault/org-update",
            Org(C::ViewVaultItems),
            serde_json::json!({"organization": o, "id": 1, "revision": 1, "input": item()})
                .to_string(),
        ),
        call(
            "/api/vault/org-trash",
            Org(C::ViewVaultItems),
            format!("organization={o}&id=1&revision=1&trash=true"),
        ),
        call(
            "/api/vault/org-delete",
            Org(C::ViewVaultItems),
            format!("organization={o}&id=1"),
        ),
        call(
            "/api/vault/org-item-collections",
            Org(C::ViewVaultItems),
            serde_json::json!({"organization": o, "id": 1, "revision": 1, "collections": [1]})
                .to_string(),
        ),
        call(
            "/api/vault/move",
            Org(C::ViewVaultItems),
            serde_json::json!({"organization": o, "id": 1, "revision": 1, "key": support::ENVELOPE, "collections": [1]})
                .to_string(),
        ),
        call(
            "/api/vault/collections",
            Org(C::ManageCollections),
            format!("organization={o}"),
        ),
        call(
            "/api/vault/collection-save",
            Org(C::ManageCollections),
            serde_json::json!({"organization": o, "id": null, "input": {"name": support::ENVELOPE, "access": []}})
                .to_string(),
        ),
        call(
            "/api/vault/collection-delete",
            Org(C::ManageCollections),
            format!("organization={o}&id=1&with_items=true"),
        ),
        call(
            "/api/members/recovery-enrol",
            Org(C::ManageOwnMembership),
            serde_json::json!({"organization": o, "key": support::wrapped_key()}).to_string(),
        ),
        call(
            "/api/members/recovery-withdraw",
            Org(C::ManageOwnMembership),
            format!("organization={o}"),
        ),
        call(
            "/api/policies/get",
            Org(C::ManagePolicies),
            format!("organization={o}"),
        ),
        call(
            "/api/policies/set",
            Org(C::ManagePolicies),
            format!("organization={o}&kind=two_step&enabled=on"),
        ),
        // CSV routes.
        Case {
            path: format!("/providers/{p}/manage/events/export.csv"),
            scope: Prov(C::ViewProviderEventLogs),
            body: String::new(),
            kind: Kind::Csv,
        },
        Case {
            path: format!("/organizations/{o}/events/export.csv"),
            scope: Org(C::ViewEventLogs),
            body: String::new(),
            kind: Kind::Csv,
        },
        Case {
            path: format!("/providers/{p}/billing/invoices/{invoice}/report.csv"),
            scope: Prov(C::ManageProviderBilling),
            body: String::new(),
            kind: Kind::Csv,
        },
        // Import routes.
        Case {
            path: "/vault/import".into(),
            scope: Account,
            body: import_body(),
            kind: Kind::Import,
        },
        Case {
            path: format!("/organizations/{o}/vault/import"),
            scope: Org(C::ImportVaultData),
            body: import_body(),
            kind: Kind::Import,
        },
    ]
}

/// Every row of every table, as text: "nothing changed" compares two of these.
async fn snapshot(db: &DatabaseConnection) -> Vec<String> {
    macro_rules! rows {
        ($($table:ident),* $(,)?) => {{
            let mut all = Vec::new();
            $(
                let mut rows: Vec<String> = db::$table::Entity::find()
                    .all(db)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|row| format!("{row:?}"))
                    .collect();
                rows.sort();
                all.extend(rows);
            )*
            all
        }};
    }
    rows!(
        users,
        email_verifications,
        events,
        invitations,
        invoices,
        login_attempts,
        organization_users,
        organizations,
        policies,
        provider_organizations,
        provider_plans,
        provider_users,
        providers,
        ciphers,
        collections,
        collection_ciphers,
        collection_members,
        folders,
        cipher_folders,
        favorites,
    )
}

/// The `{param}` pattern a filled-in CSV or import path was made from.
fn route_pattern(path: &str) -> String {
    path.split('/')
        .map(|part| match part.parse::<i64>() {
            Ok(_) => "{}",
            Err(_) => part,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn pattern_of(route: &str) -> String {
    route
        .split('/')
        .map(|part| if part.starts_with('{') { "{}" } else { part })
        .collect::<Vec<_>>()
        .join("/")
}

support::each_backend!(every_endpoint_names_its_scope_and_refuses_who_it_must);
async fn every_endpoint_names_its_scope_and_refuses_who_it_must(t: support::TestDb) {
    let db = &t.db;
    let app = support::router_for(db);

    // A provider with a Provider Admin and a Service User, a client with an Owner, an
    // Admin, a User and a Custom user without flags, and a stranger.
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let service = user(db, "service@msp.example").await;
    let pm = provider_member(
        db,
        p,
        Some(service),
        "service@msp.example",
        "service_user",
        "confirmed",
    )
    .await;
    let organization = support::witnessed::clients::create(
        db,
        p,
        app::clients::types::NewClientForm {
            name: "Client".into(),
            plan: "teams".into(),
            seats: "10".into(),
            owner_email: "invited@client.example".into(),
        }
        .read()
        .unwrap(),
        &support::context(&support::actor(db, admin).await),
    )
    .await
    .unwrap();
    let mut org_roles = Vec::new();
    for (kind, role) in [
        ("owner", Role::Owner),
        ("admin", Role::Admin),
        ("user", Role::User),
        ("custom", Role::Custom(Permissions::empty())),
    ] {
        let email = format!("{kind}@client.example");
        let member = user(db, &email).await;
        membership(
            db,
            organization,
            Some(member),
            &email,
            kind,
            "confirmed",
            Permissions::empty(),
        )
        .await;
        org_roles.push((kind, role, session_cookie(db, member).await));
    }
    let invited = membership(
        db,
        organization,
        None,
        "someone@client.example",
        "user",
        "invited",
        Permissions::empty(),
    )
    .await;
    app::billing::service::issue(db, p, "2026-10", chrono::Utc::now())
        .await
        .unwrap();
    let invoice = support::witnessed::billing::history(db, p).await.unwrap()[0].id;
    let stranger = session_cookie(db, user(db, "stranger@else.example").await).await;
    let admin_cookie = session_cookie(db, admin).await;
    let service_cookie = session_cookie(db, service).await;

    let ids = Ids {
        provider: p.0,
        organization: organization.0,
        org_member: invited.0,
        provider_member: pm,
        invoice,
    };
    let cases = cases(&ids);

    // The registry and the CSV routes against the cases: every endpoint has one.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let open: BTreeSet<String> = Open::ALL.iter().map(|e| e.path().to_owned()).collect();
    assert!(open.is_subset(&registered), "every open endpoint is served");
    let covered: BTreeSet<String> = cases
        .iter()
        .filter(|c| c.kind == Kind::ServerFn)
        .map(|c| c.path.clone())
        .collect();
    let missing: Vec<&String> = registered
        .iter()
        .filter(|path| !open.contains(*path) && !covered.contains(*path))
        .collect();
    assert!(
        missing.is_empty(),
        "server functions without a scope in this test: {missing:?}"
    );
    assert!(
        covered.is_disjoint(&open),
        "an open endpoint is listed with a scope"
    );
    let stale: Vec<&String> = covered.difference(&registered).collect();
    assert!(stale.is_empty(), "cases for no endpoint: {stale:?}");
    for (kind, routes) in [
        (Kind::Csv, &server::export::ROUTES[..]),
        (Kind::Import, &server::import::ROUTES[..]),
    ] {
        let cased: BTreeSet<String> = cases
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| route_pattern(&c.path))
            .collect();
        let routes: BTreeSet<String> = routes.iter().map(|r| pattern_of(r)).collect();
        assert_eq!(cased, routes, "every {kind:?} route has a case");
    }

    let send = |case: &Case, cookie: Option<String>| {
        let app = app.clone();
        let (path, body, kind) = (case.path.clone(), case.body.clone(), case.kind);
        async move {
            if kind == Kind::Csv {
                let (status, _, answer) = get_path(&app, &path, cookie.as_deref()).await;
                (status, answer)
            } else {
                post_form(&app, &path, &body, cookie.as_deref()).await
            }
        }
    };

    let before = snapshot(db).await;
    let mut refusals = 0;
    for case in &cases {
        let what = format!("{} ({:?}) on {}", case.path, case.scope, t.backend);
        // No session: 401, for every endpoint not named open.
        let (status, answer) = send(case, None).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "anonymous → {what}: {answer}"
        );
        assert_eq!(
            snapshot(db).await,
            before,
            "anonymous → {what} changed nothing"
        );
        refusals += 1;

        // Signed in, without the right: 403.
        let mut refused: Vec<(String, &str)> = Vec::new();
        match case.scope {
            Scope::Account => {}
            Scope::Provider(capability) => {
                refused.push(("a stranger".into(), stranger.as_str()));
                for (role, cookie) in [
                    (Role::ProviderAdmin, &admin_cookie),
                    (Role::ServiceUser, &service_cookie),
                ] {
                    if !decide(role, capability) {
                        refused.push((format!("{role:?}"), cookie.as_str()));
                    }
                }
                // The client's own people are not the provider's.
                refused.push(("the client's Owner".into(), org_roles[0].2.as_str()));
            }
            Scope::Organization(capability) => {
                refused.push(("a stranger".into(), stranger.as_str()));
                for (_, role, cookie) in &org_roles {
                    if !decide(*role, capability) {
                        refused.push((format!("{role:?}"), cookie.as_str()));
                    }
                }
                for cookie in [&admin_cookie, &service_cookie] {
                    if !decide(Role::ProviderUserInClient, capability) {
                        refused.push(("a provider user".into(), cookie.as_str()));
                    }
                }
            }
        }
        for (who, cookie) in refused {
            let (status, answer) = send(case, Some(cookie.to_owned())).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who} → {what}: {answer}");
            assert_eq!(snapshot(db).await, before, "{who} → {what} changed nothing");
            refusals += 1;
        }
    }
    assert!(refusals > 150, "{refusals} refusals checked");

    // Own-account endpoints serve any signed-in caller: the stranger gets past the gate
    // (a wrong current password may still be refused; the session is not). Signing out
    // everywhere ends the session, so it goes last.
    let mut own: Vec<&Case> = cases
        .iter()
        .filter(|c| matches!(c.scope, Scope::Account))
        .collect();
    own.sort_by_key(|c| c.path.ends_with("/sign-out-everywhere"));
    for case in own {
        let (status, answer) = send(case, Some(stranger.clone())).await;
        assert!(
            status != StatusCode::FORBIDDEN
                && !answer.contains("Unauthenticated")
                && !answer.contains("Forbidden"),
            "{} is the caller's own: {status} {answer} on {}",
            case.path,
            t.backend
        );
    }
    t.cleanup().await;
}
