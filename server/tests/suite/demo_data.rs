#![allow(clippy::unwrap_used)]
//! Demo data through the real binary: `seed-demo` prints a random password once and it signs
//! in; `serve` loads the demo data into a brand-new database only, and `DEMO=0` stops it;
//! `seed-bulk` adds generated clients to the demo provider.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::{ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};

use app::accounts::service::{self as accounts, AuthConfig, SignIn};
use app::accounts::session::ClientInfo;
use app::db::{provider_organizations, users};

fn command(url: &str, envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env_remove("DEMO")
        .env_remove("DEMO_PASSWORD")
        .env_remove("PORTAL_ADDR")
        .env_remove("LEPTOS_SITE_ADDR")
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "info");
    for (key, value) in envs {
        command.env(key, value);
    }
    command
}

fn run(url: &str, args: &[&str], envs: &[(&str, &str)]) -> Output {
    command(url, envs).args(args).output().unwrap()
}

/// The password line of the printed sign-ins.
fn printed_password(stdout: &str) -> Option<String> {
    stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("and the password"))
        .map(|p| p.trim().to_owned())
}

fn sqlite_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("portal.db").display())
}

async fn signs_in(url: &str, email: &str, password: &str) -> bool {
    let db = Database::connect(url).await.unwrap();
    let result = accounts::sign_in(
        &db,
        &AuthConfig::default(),
        email,
        crate::support::login_hash(email, password),
        &ClientInfo::default(),
        Utc::now(),
    )
    .await;
    matches!(result, Ok(SignIn::Session(_)))
}

#[tokio::test]
async fn seed_demo_prints_a_random_password_once_that_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let output = run(&url, &["seed-demo"], &[]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let password = printed_password(&stdout).expect("the sign-ins are printed");
    assert_eq!(password.len(), 24);
    assert!(stdout.contains("admin@demo.example"));
    assert!(signs_in(&url, "admin@demo.example", &password).await);
    assert!(signs_in(&url, "service@demo.example", &password).await);

    // Another database gets another password.
    let other_dir = tempfile::tempdir().unwrap();
    let other = run(&sqlite_url(&other_dir), &["seed-demo"], &[]);
    let other_password = printed_password(&String::from_utf8_lossy(&other.stdout)).unwrap();
    assert_ne!(password, other_password);

    // A second run refuses, prints no password, and changes nothing.
    let again = run(&url, &["seed-demo"], &[]);
    assert!(!again.status.success());
    assert!(printed_password(&String::from_utf8_lossy(&again.stdout)).is_none());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already there"));
    assert!(signs_in(&url, "admin@demo.example", &password).await);
}

#[tokio::test]
async fn seed_bulk_adds_clients_to_the_demo_provider() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let output = run(
        &url,
        &["seed-bulk", "--clients", "40"],
        &[("DEMO_PASSWORD", "correct horse battery staple")],
    );
    assert!(output.status.success(), "{output:?}");
    let db = Database::connect(&url).await.unwrap();
    // The seeds' three clients plus the forty generated ones, all in provider 1.
    let clients = provider_organizations::Entity::find()
        .filter(provider_organizations::Column::ProviderId.eq(1))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(clients, 43);
}

/// An account's private key, opened with its password as its browser would.
fn private_key_of(user: &users::Model, password: &str) -> app::crypto::PrivateKey {
    let settings = app::accounts::prelogin::stored(user).unwrap();
    let (_, private) = app::crypto::account::unlock(
        password,
        &settings.salt,
        settings.kdf,
        &user.user_key.as_deref().unwrap().parse().unwrap(),
        &user.private_key.as_deref().unwrap().parse().unwrap(),
    )
    .unwrap();
    private
}

#[tokio::test]
async fn the_demo_datas_keys_form_one_chain_from_each_account_to_each_client() {
    use app::crypto::{EncString, SymmetricKey, WrappedKey};
    use app::db::{organization_users, organizations, provider_users, providers};
    const PASSWORD: &str = "correct horse battery staple";
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let output = run(
        &url,
        &["seed-bulk", "--clients", "5"],
        &[("DEMO_PASSWORD", PASSWORD)],
    );
    assert!(output.status.success(), "{output:?}");
    let db = Database::connect(&url).await.unwrap();
    let account = |email: &'static str| {
        let db = db.clone();
        async move {
            users::Entity::find()
                .filter(users::Column::Email.eq(email))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let (admin, service) = (
        account("admin@demo.example").await,
        account("service@demo.example").await,
    );
    let provider = providers::Entity::find_by_id(1)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(provider.keys_made_at.is_some());

    // The admin's and the service user's copies open to the same provider key.
    let provider_key = |user: &users::Model| {
        let db = db.clone();
        let private = private_key_of(user, PASSWORD);
        let id = user.id;
        async move {
            let held = provider_users::Entity::find()
                .filter(provider_users::Column::UserId.eq(id))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .key
                .unwrap();
            private
                .unwrap_key(&held.parse::<WrappedKey>().unwrap())
                .unwrap()
        }
    };
    let from_admin = provider_key(&admin).await;
    let from_service = provider_key(&service).await;
    assert_eq!(from_admin.to_bytes(), from_service.to_bytes());
    let opened = server::operator::demo_provider_key(&db, app::ids::ProviderId(1), PASSWORD)
        .await
        .unwrap();
    assert_eq!(opened.to_bytes(), from_admin.to_bytes());

    // Every client (the seeds' three and the generated five): its key under the provider key
    // opens its private key, whose public half is the one stored.
    let links = provider_organizations::Entity::find()
        .filter(provider_organizations::Column::ProviderId.eq(1))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(links.len(), 8);
    let mut org_keys = Vec::new();
    let mut key_of_client = std::collections::HashMap::new();
    for link in links {
        let wrapped: EncString = link.key.unwrap().parse().unwrap();
        let org_key = wrapped.decrypt_key(&from_admin).unwrap();
        let organization = organizations::Entity::find_by_id(link.organization_id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let pair = app::crypto::OrganizationKeyPair {
            public_key: organization.public_key.unwrap(),
            private_key: organization.private_key.unwrap().parse().unwrap(),
        };
        let private = pair.open_private(&org_key).unwrap();
        assert_eq!(private.public_key().to_base64(), pair.public_key);
        org_keys.push(org_key.to_bytes().to_vec());
        key_of_client.insert(link.organization_id, org_key);
    }
    org_keys.sort();
    org_keys.dedup();
    assert_eq!(org_keys.len(), 8, "each client has a key of its own");

    // The admin's own organization: the Owner's copy (type 4) opens its private key. The
    // clients' invited owners hold nothing until Confirm.
    let northwind = organizations::Entity::find()
        .filter(organizations::Column::Name.eq("Northwind Traders"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let owner = organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(northwind.id))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let org_key: SymmetricKey = private_key_of(&admin, PASSWORD)
        .unwrap_key(&owner.key.unwrap().parse().unwrap())
        .unwrap();
    let private = app::crypto::PrivateKey::unwrap_from(
        &northwind.private_key.unwrap().parse().unwrap(),
        &org_key,
    )
    .unwrap();
    assert_eq!(
        private.public_key().to_base64(),
        northwind.public_key.unwrap()
    );
    let invited_with_keys = organization_users::Entity::find()
        .filter(organization_users::Column::Status.eq(app::vocabulary::MemberStatus::Invited))
        .filter(organization_users::Column::Key.is_not_null())
        .count(&db)
        .await
        .unwrap();
    assert_eq!(invited_with_keys, 0);

    // A newcomer sees a vault at once: the admin's own items and Northwind's, each opening
    // with the keys the admin's browser holds (user key; the Owner's copy of Northwind's key).
    let settings = app::accounts::prelogin::stored(&admin).unwrap();
    let (user_key, _) = app::crypto::account::unlock(
        PASSWORD,
        &settings.salt,
        settings.kdf,
        &admin.user_key.as_deref().unwrap().parse().unwrap(),
        &admin.private_key.as_deref().unwrap().parse().unwrap(),
    )
    .unwrap();
    let actor =
        app::accounts::service::actor_of(&db, app::ids::UserId(admin.id), app::ids::SessionId(0))
            .await
            .unwrap()
            .unwrap();
    let page = app::vault::sync::page(&db, &actor, None).await.unwrap();
    let mut names = Vec::new();
    for visible in &page.items {
        let owner = match visible.organization {
            None => &user_key,
            Some(organization) => {
                assert_eq!(organization.0, northwind.id, "no client's items (V2)");
                &org_key
            }
        };
        let item_key = visible.stored.key.decrypt_key(owner).unwrap();
        names.push(visible.stored.item.clone().open(&item_key).unwrap().name);
    }
    names.sort();
    assert_eq!(
        names,
        [
            "Company card (test number)",
            "Escalation procedure",
            "Firewall admin",
            "Microsoft 365 admin center",
            "Office Wi-Fi",
            "RMM console",
        ]
    );
    assert_eq!(page.collections.len(), 1);
    assert_eq!(
        &*page.collections[0]
            .name
            .decrypt_to_string(&org_key)
            .unwrap(),
        "Office IT"
    );

    // Each seed client's Owner is a confirmed member whose copy (type 4) opens the same key the
    // provider key opens, and sees the client's items (sealed under that key) in their vault.
    for (email, expected_collections, expected) in [
        (
            "owner@myclient.example",
            2,
            &["Booking system", "Online banking", "Reception PC"][..],
        ),
        (
            "owner@secondclient.example",
            1,
            &["Accounting software", "Company social media"][..],
        ),
        (
            "owner@thirdclient.example",
            1,
            &["Cloud console", "Domain registrar"][..],
        ),
    ] {
        let owner = account(email).await;
        let member = organization_users::Entity::find()
            .filter(organization_users::Column::UserId.eq(owner.id))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(member.status, app::vocabulary::MemberStatus::Confirmed);
        assert_eq!(member.r#type, app::vocabulary::OrgUserType::Owner);
        let held: SymmetricKey = private_key_of(&owner, PASSWORD)
            .unwrap_key(&member.key.unwrap().parse().unwrap())
            .unwrap();
        assert_eq!(
            held.to_bytes(),
            key_of_client[&member.organization_id].to_bytes(),
            "{email}"
        );
        let actor = app::accounts::service::actor_of(
            &db,
            app::ids::UserId(owner.id),
            app::ids::SessionId(0),
        )
        .await
        .unwrap()
        .unwrap();
        let page = app::vault::sync::page(&db, &actor, None).await.unwrap();
        let mut names = Vec::new();
        for visible in &page.items {
            assert_eq!(
                visible.organization.map(|o| o.0),
                Some(member.organization_id)
            );
            let item_key = visible.stored.key.decrypt_key(&held).unwrap();
            names.push(visible.stored.item.clone().open(&item_key).unwrap().name);
        }
        names.sort();
        assert_eq!(names, expected, "{email}");
        assert_eq!(page.collections.len(), expected_collections, "{email}");
    }

    // Adding to demo data already there needs the admin's password to reach the provider key.
    let refused = run(&url, &["seed-bulk", "--clients", "1"], &[]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("DEMO_PASSWORD"));
    let wrong = run(
        &url,
        &["seed-bulk", "--clients", "1"],
        &[("DEMO_PASSWORD", "not the password at all")],
    );
    assert!(!wrong.status.success());
    let after = provider_organizations::Entity::find()
        .filter(provider_organizations::Column::ProviderId.eq(1))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(after, 8, "nothing added without the provider key");
}

/// Starts `serve` on a free port, stops it once it listens, and returns what it printed.
fn serve(url: &str, envs: &[(&str, &str)], args: &[&str]) -> String {
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().to_string()
    };
    let mut child = command(url, envs)
        .arg("serve")
        .args(args)
        .env("PORTAL_ADDR", &addr)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    for line in stderr.lines() {
        let line = line.unwrap();
        if line.contains("listening") {
            break;
        }
        assert!(Instant::now() < deadline, "the server did not start");
    }
    // The sign-ins are printed before the server listens; stdout is complete up to here.
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn accounts_in(url: &str) -> u64 {
    let db = Database::connect(url).await.unwrap();
    users::Entity::find().count(&db).await.unwrap()
}

#[tokio::test]
async fn serve_loads_demo_data_into_a_brand_new_database_only() {
    let password = [("DEMO_PASSWORD", "correct horse battery staple")];
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    let stdout = serve(&url, &password, &[]);
    assert_eq!(
        printed_password(&stdout).as_deref(),
        Some("correct horse battery staple")
    );
    let seeded = accounts_in(&url).await;
    assert!(seeded >= 2);

    // Started again, the database is no longer new: nothing printed, nothing added.
    let stdout = serve(&url, &password, &[]);
    assert!(printed_password(&stdout).is_none(), "{stdout}");
    assert_eq!(accounts_in(&url).await, seeded);

    // DEMO=0 and --no-demo each keep a brand-new database empty.
    let off = tempfile::tempdir().unwrap();
    let stdout = serve(&sqlite_url(&off), &[("DEMO", "0")], &[]);
    assert!(printed_password(&stdout).is_none());
    assert_eq!(accounts_in(&sqlite_url(&off)).await, 0);
    let flag = tempfile::tempdir().unwrap();
    let stdout = serve(&sqlite_url(&flag), &[], &["--no-demo"]);
    assert!(printed_password(&stdout).is_none());
    assert_eq!(accounts_in(&sqlite_url(&flag)).await, 0);

    // A malformed switch is refused rather than guessed.
    let output = run(&sqlite_url(&flag), &["serve"], &[("DEMO", "maybe")]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("DEMO must be 1 or 0"));
    let exists = users::Entity::find()
        .filter(users::Column::Email.eq("admin@demo.example"))
        .count(&Database::connect(&url).await.unwrap())
        .await
        .unwrap();
    assert_eq!(exists, 1);
}

#[tokio::test]
async fn invoices_and_seat_minimums_from_the_command_line() {
    use app::db::{invoices, provider_plans};
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir);
    assert!(
        run(
            &url,
            &["seed-demo"],
            &[("DEMO_PASSWORD", "correct horse battery staple")]
        )
        .status
        .success()
    );

    // Bad months are refused with the reason, and nothing is issued.
    let next_year = (Utc::now().date_naive() + chrono::Duration::days(400))
        .format("%Y-%m")
        .to_string();
    for month in ["2026-13", "last", next_year.as_str()] {
        let output = run(&url, &["invoice", "--month", month], &[]);
        assert!(!output.status.success(), "{month}: {output:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("Month"),
            "{month}: {output:?}"
        );
    }
    let db = Database::connect(&url).await.unwrap();
    assert_eq!(invoices::Entity::find().count(&db).await.unwrap(), 0);

    // A month before the provider existed: nothing to invoice.
    let output = run(&url, &["invoice", "--month", "2025-01"], &[]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(invoices::Entity::find().count(&db).await.unwrap(), 0);
    // The provider existed then: one invoice; a second run adds none.
    app::db::providers::Entity::update_many()
        .col_expr(
            app::db::providers::Column::CreatedAt,
            sea_orm::sea_query::Expr::value(
                chrono::TimeZone::with_ymd_and_hms(&Utc, 2024, 12, 1, 0, 0, 0).unwrap(),
            ),
        )
        .exec(&db)
        .await
        .unwrap();
    for _ in 0..2 {
        let output = run(&url, &["invoice", "--month", "2025-01"], &[]);
        assert!(output.status.success(), "{output:?}");
    }
    let issued = invoices::Entity::find().all(&db).await.unwrap();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].period, "2025-01");
    // The seeds' clients: Teams 20 (above the minimum of 10), Enterprise 15 + 10.
    assert_eq!(issued[0].total_cents, 20 * 400 + 25 * 600);

    let output = run(
        &url,
        &[
            "provider",
            "set-minimum",
            "--provider",
            "1",
            "--plan",
            "teams",
            "--seats",
            "30",
        ],
        &[],
    );
    assert!(output.status.success(), "{output:?}");
    let teams = provider_plans::Entity::find()
        .filter(provider_plans::Column::Plan.eq("teams"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(teams.seat_minimum, 30);
    let refused = run(
        &url,
        &[
            "provider",
            "set-minimum",
            "--provider",
            "1",
            "--plan",
            "free",
            "--seats",
            "3",
        ],
        &[],
    );
    assert!(!refused.status.success());
}
