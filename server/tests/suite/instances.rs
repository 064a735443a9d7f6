#![allow(clippy::unwrap_used, clippy::print_stdout)]
//! Issue 16, "two instances on one PostgreSQL": DESIGN.md promises that several stateless
//! server instances can share one PostgreSQL database. This starts two instances of the real
//! binary on one database and checks, over HTTP, that a session made on one works on the
//! other, the sign-in throttle counts across both, two invoice runs at once issue each invoice
//! once, and the add-existing race across instances leaves one provider per organization.
//! Then one instance is killed with SIGKILL under a write load (New client through both): every
//! write answered 200 is in the database, the counters agree with a recount, and the surviving
//! instance never stopped answering. The same kill check runs for SQLite with one instance,
//! restarted on its file.
//!
//! The binary is `PORTAL_SERVER_BIN` when set (the test command points it at the release
//! build), else the one cargo built for these tests. The figures are printed (`--nocapture`).

use crate::support;

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

const PASSWORD: &str = "correct horse battery staple";
const ADMIN: &str = "admin@demo.example";

fn binary() -> String {
    std::env::var("PORTAL_SERVER_BIN")
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_server").to_owned())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One running instance of the server.
struct Instance {
    child: Child,
    url: String,
}

impl Instance {
    fn start(database_url: &str, demo: bool) -> Self {
        let port = free_port();
        let url = format!("http://127.0.0.1:{port}");
        let child = Command::new(binary())
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("PORTAL_ADDR", format!("127.0.0.1:{port}"))
            .env("PUBLIC_URL", &url)
            .env("DEMO", if demo { "1" } else { "0" })
            .env("DEMO_PASSWORD", PASSWORD)
            .env("LEPTOS_SITE_ROOT", std::env::temp_dir())
            .env("RUST_LOG", "error")
            .env_remove("SMTP_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let instance = Self { child, url };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !instance.healthy() {
            assert!(Instant::now() < deadline, "{} did not start", instance.url);
            std::thread::sleep(Duration::from_millis(100));
        }
        instance
    }

    fn healthy(&self) -> bool {
        ureq::get(&format!("{}/healthz", self.url))
            .call()
            .is_ok_and(|r| r.status() == 200)
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// A server function call as the portal's own page makes it: (status, body, session cookie
/// the answer set).
fn call(
    agent: &ureq::Agent,
    instance: &Instance,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> (u16, String, Option<String>) {
    let mut request = agent
        .post(&format!("{}{path}", instance.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", &instance.url);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    match request.send(body) {
        Ok(mut response) => {
            let status = response.status().as_u16();
            let cookie = response
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|v| v.starts_with("portal_session=") && !v.contains("Max-Age=0"))
                .map(|v| v.split(';').next().unwrap().to_owned());
            let text = response.body_mut().read_to_string().unwrap_or_default();
            (status, text, cookie)
        }
        Err(error) => (0, error.to_string(), None),
    }
}

fn sign_in(agent: &ureq::Agent, instance: &Instance, password: &str) -> (u16, Option<String>) {
    let body = format!(
        "email={}&login_hash={}",
        ADMIN.replace('@', "%40"),
        crate::support::login_hash_form(ADMIN, password)
    );
    let (status, _, cookie) = call(agent, instance, "/api/accounts/sign-in", &body, None);
    (status, cookie)
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// The counters the triggers keep, against a recount: the number of rows that disagree.
async fn counter_differences(db: &DatabaseConnection) -> i64 {
    let clients = scalar(
        db,
        "SELECT COUNT(*) FROM providers p WHERE p.client_count <> \
         (SELECT COUNT(*) FROM provider_organizations po WHERE po.provider_id = p.id)",
    )
    .await;
    let seats = scalar(
        db,
        "SELECT COUNT(*) FROM organizations o WHERE o.used_seats <> \
         (SELECT COUNT(*) FROM organization_users ou WHERE ou.organization_id = o.id \
          AND ou.status IN ('invited', 'accepted', 'confirmed'))",
    )
    .await;
    clients + seats
}

/// New-client requests from `threads` workers, spread over `targets`, until `stop`: the names
/// of those answered 200.
fn write_load(
    targets: Vec<Arc<String>>,
    cookie: String,
    provider: i64,
    threads: usize,
    stop: Arc<AtomicBool>,
) -> Vec<std::thread::JoinHandle<(Vec<String>, u64)>> {
    // The keys a browser makes for a new client (the server checks their form only): made once
    // and sent with every request, so the load measures the server, not RSA key generation.
    let keys = crate::support::client_keys();
    (0..threads)
        .map(|worker| {
            let keys = keys.clone();
            let targets = targets.clone();
            let cookie = cookie.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let agent = agent();
                let (mut answered, mut failed) = (Vec::new(), 0_u64);
                let mut i = 0_u64;
                while !stop.load(Ordering::Relaxed) {
                    let url = &targets[(i as usize + worker) % targets.len()];
                    let name = format!("Load {worker}-{i}");
                    let body = serde_json::json!({
                        "provider": provider,
                        "name": name,
                        "plan": "teams",
                        "seats": "3",
                        "owner_email": format!("owner{worker}x{i}@client.example"),
                        "keys": keys,
                    })
                    .to_string();
                    let response = agent
                        .post(&format!("{url}/api/clients/create"))
                        .header("content-type", "application/json")
                        .header("accept", "application/json")
                        .header("origin", url.as_str())
                        .header("cookie", &cookie)
                        .send(&body);
                    match response {
                        Ok(r) if r.status() == 200 => answered.push(name),
                        _ => failed += 1,
                    }
                    i += 1;
                }
                (answered, failed)
            })
        })
        .collect()
}

/// The names of the load's clients in the database.
async fn load_clients(db: &DatabaseConnection) -> BTreeSet<String> {
    db.query_all(Statement::from_string(
        db.get_database_backend(),
        "SELECT name FROM organizations WHERE name LIKE 'Load %'",
    ))
    .await
    .unwrap()
    .iter()
    .map(|r| r.try_get_by_index::<String>(0).unwrap())
    .collect()
}

/// Kills `victim` under the load (through it and the survivor, if any): the names of the
/// writes answered 200, and how often the survivor failed a health check meanwhile.
async fn kill_under_load(
    mut victim: Instance,
    survivor: Option<&Instance>,
    cookie: String,
    provider: i64,
) -> (Vec<String>, u64) {
    let mut targets = vec![Arc::new(victim.url.clone())];
    if let Some(survivor) = survivor {
        targets.push(Arc::new(survivor.url.clone()));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let workers = write_load(targets, cookie, provider, 4, stop.clone());
    // The survivor must keep answering throughout.
    let probe_failures = Arc::new(AtomicU64::new(0));
    let probe = survivor.map(|s| {
        let (url, stop, failures) = (s.url.clone(), stop.clone(), probe_failures.clone());
        std::thread::spawn(move || {
            let agent = agent();
            while !stop.load(Ordering::Relaxed) {
                let ok = agent
                    .get(&format!("{url}/healthz"))
                    .call()
                    .is_ok_and(|r| r.status() == 200);
                if !ok {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    victim.kill();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut answered = Vec::new();
    for worker in workers {
        answered.extend(worker.join().unwrap().0);
    }
    if let Some(probe) = probe {
        probe.join().unwrap();
    }
    (answered, probe_failures.load(Ordering::Relaxed))
}

async fn demo_provider_id(db: &DatabaseConnection) -> i64 {
    scalar(db, "SELECT id FROM providers WHERE name = 'Demo MSP'").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_one_postgresql() {
    let Some(t) = support::TestDb::postgres_empty().await else {
        return;
    };
    let schema = t.pg_schema().unwrap();
    let base = std::env::var("DATABASE_URL_TEST").unwrap();
    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options[search_path]={schema}");
    let a = Instance::start(&url, true);
    let b = Instance::start(&url, false);
    let db = &t.db;
    let http = agent();

    // A session made on one instance is valid on the other.
    let (status, cookie) = sign_in(&http, &a, PASSWORD);
    assert_eq!(status, 200);
    let cookie = cookie.unwrap();
    let (status, viewer, _) = call(&http, &b, "/api/accounts/viewer", "", Some(&cookie));
    assert_eq!(status, 200);
    assert!(viewer.contains(ADMIN), "{viewer}");

    // The throttle counts across both: five failures on A, then B makes the address wait.
    for _ in 0..5 {
        assert_eq!(sign_in(&http, &a, "wrong password!").0, 401);
    }
    assert_eq!(
        sign_in(&http, &b, "wrong password!").0,
        429,
        "B saw A's failures"
    );
    assert_eq!(
        sign_in(&http, &b, PASSWORD).0,
        429,
        "even with the right password"
    );

    // Two invoice runs at once issue each invoice once.
    db.execute_unprepared("UPDATE providers SET created_at = created_at - INTERVAL '90 days'")
        .await
        .unwrap();
    let month = (chrono::Utc::now() - chrono::Duration::days(40))
        .format("%Y-%m")
        .to_string();
    let runs: Vec<Child> = (0..2)
        .map(|_| {
            Command::new(binary())
                .args(["invoice", "--month", &month])
                .env("DATABASE_URL", &url)
                .env("RUST_LOG", "error")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut run in runs {
        assert!(run.wait().unwrap().success());
    }
    let providers = scalar(db, "SELECT COUNT(*) FROM providers").await;
    let invoices = scalar(
        db,
        &format!("SELECT COUNT(*) FROM invoices WHERE period = '{month}'"),
    )
    .await;
    assert_eq!(invoices, providers, "one invoice per provider");

    // The add-existing race across instances: a second provider of the same admin, and both
    // add Northwind at once, one through each instance.
    let second = Command::new(binary())
        .args([
            "provider",
            "create",
            "--name",
            "Second MSP",
            "--admin-email",
            ADMIN,
        ])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "error")
        .status()
        .unwrap();
    assert!(second.success());
    let northwind = scalar(
        db,
        "SELECT id FROM organizations WHERE name = 'Northwind Traders'",
    )
    .await;
    let second_provider = scalar(db, "SELECT id FROM providers WHERE name = 'Second MSP'").await;
    // The session's actor is built at each request: the new membership counts at once.
    let demo = demo_provider_id(db).await;
    let racers: Vec<_> = [(&a, demo), (&b, second_provider)]
        .into_iter()
        .map(|(instance, provider)| {
            let (url, cookie) = (instance.url.clone(), cookie.clone());
            std::thread::spawn(move || {
                agent()
                    .post(&format!("{url}/api/clients/add-existing"))
                    .header("content-type", "application/json")
                    .header("accept", "application/json")
                    .header("origin", &url)
                    .header("cookie", &cookie)
                    // Northwind has keys: its key under the provider's, as the owner's browser
                    // sends it (any well-formed envelope; the server cannot open it).
                    .send(
                        &serde_json::json!({
                            "provider": provider,
                            "organization": northwind,
                            "key": crate::support::ENVELOPE,
                        })
                        .to_string(),
                    )
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            })
        })
        .collect();
    let statuses: Vec<u16> = racers.into_iter().map(|r| r.join().unwrap()).collect();
    let links = scalar(
        db,
        &format!("SELECT COUNT(*) FROM provider_organizations WHERE organization_id = {northwind}"),
    )
    .await;
    assert_eq!(links, 1, "one provider per organization ({statuses:?})");
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "exactly one succeeds: {statuses:?}"
    );
    assert!(statuses.contains(&409), "the other is told: {statuses:?}");

    // kill -9 one instance under a write load through both.
    let (answered, probe_failures) = kill_under_load(a, Some(&b), cookie, demo).await;
    let present = load_clients(db).await;
    let found = answered.iter().filter(|n| present.contains(*n)).count();
    let answered = answered.len();
    let differences = counter_differences(db).await;
    println!(
        "PostgreSQL, two instances, one killed under load: writes answered 200: {answered}, \
         found afterwards: {found}, counter differences: {differences}, \
         survivor health checks failed: {probe_failures}"
    );
    assert!(answered > 0, "the load wrote nothing");
    assert_eq!(found, answered, "every answered write is in the database");
    assert_eq!(differences, 0, "the counters agree with a recount");
    assert_eq!(probe_failures, 0, "the surviving instance kept answering");
    assert!(b.healthy());
    drop(b);
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_every_answered_write_through_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("portal.db").display());
    let instance = Instance::start(&url, true);
    let http = agent();
    let (status, cookie) = sign_in(&http, &instance, PASSWORD);
    assert_eq!(status, 200);
    let db = server::db::connect(&url).await.unwrap();
    let provider = demo_provider_id(&db).await;
    db.close().await.unwrap();
    let (answered, _) = kill_under_load(instance, None, cookie.unwrap(), provider).await;
    // Restarted on the same file: everything answered is there.
    let restarted = Instance::start(&url, false);
    let db = server::db::connect(&url).await.unwrap();
    let present = load_clients(&db).await;
    let found = answered.iter().filter(|n| present.contains(*n)).count();
    let differences = counter_differences(&db).await;
    println!(
        "SQLite, one instance killed under load: writes answered 200: {}, found after \
         restart: {found}, counter differences: {differences}",
        answered.len()
    );
    assert!(!answered.is_empty(), "the load wrote nothing");
    assert_eq!(
        found,
        answered.len(),
        "every answered write survived the kill"
    );
    assert_eq!(differences, 0, "the counters agree with a recount");
    assert!(restarted.healthy());
    db.close().await.unwrap();
}
