//! Benchmarks (not tests): the Clients page at 1,000, 10,000 and 100,000 clients (the query
//! alone, and the whole server-rendered page over HTTP), sign-in latency and throughput, and
//! the streamed CSV export of 1,000,000 events (time and the server's peak memory).
//! Run with `cargo bench -p server --bench portal`; set `DATABASE_URL_TEST` to also measure
//! PostgreSQL, `BENCH_CLIENTS=1000,10000` to choose the sizes, `BENCH_EVENTS=100000` the
//! export's size, `BENCH_ONLY=clients|sign-in|export` to run one part, and
//! `BENCH_BACKENDS=SQLite|PostgreSQL` to measure one backend. Figures go into
//! the README with this command.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use tower::ServiceExt;

use app::accounts::service::{self as accounts, AuthConfig, RegisterInput};
use app::accounts::session::{self, ClientInfo};
use app::clients::service as clients;
use app::clients::types::ClientQuery;
use app::events::service::EventContext;
use app::ids::{ProviderId, UserId};
use app::providers::service::{self as providers, Minimums, NewProvider, ProviderConfig};
use server::db::{self, ConnectExtras};
use server::http::{AppState, router};
use server::operator::bulk_clients;

const RUNS: usize = 30;
const SIGN_INS: usize = 200;
const PASSWORD: &str = "correct horse battery staple";

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index].as_secs_f64() * 1000.0
}

fn query(pairs: &[(&str, &str)]) -> ClientQuery {
    ClientQuery::from_params(|key| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| (*v).to_owned())
    })
}

/// A fresh database of one backend: SQLite in a temporary file, or a PostgreSQL schema.
enum Fresh {
    Sqlite(tempfile::TempDir),
    Postgres { url: String, schema: String },
}

impl Fresh {
    async fn connect(&self) -> DatabaseConnection {
        let db = match self {
            Self::Sqlite(dir) => {
                let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                db::connect(&url).await.unwrap()
            }
            Self::Postgres { url, schema } => {
                Database::connect(url)
                    .await
                    .unwrap()
                    .execute(ddl(format!("CREATE SCHEMA \"{schema}\"")))
                    .await
                    .unwrap();
                db::connect_with(
                    url,
                    ConnectExtras {
                        pg_schema: Some(schema.clone()),
                    },
                )
                .await
                .unwrap()
            }
        };
        db::migrate(&db).await.unwrap();
        db
    }

    async fn drop(self) {
        if let Self::Postgres { url, schema } = self {
            Database::connect(&url)
                .await
                .unwrap()
                .execute(ddl(format!("DROP SCHEMA \"{schema}\" CASCADE")))
                .await
                .unwrap();
        }
    }
}

fn ddl(sql: String) -> Statement {
    Statement::from_string(DbBackend::Postgres, sql)
}

/// The bench's Provider Admin and provider.
async fn provider(db: &DatabaseConnection) -> (UserId, ProviderId) {
    let user = accounts::register(
        db,
        RegisterInput {
            email: "admin@bench.example".into(),
            name: "Bench".into(),
            password: PASSWORD.into(),
            password_confirm: PASSWORD.into(),
            locale: "en".into(),
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let provider = providers::create_by_operator(
        db,
        &ProviderConfig::default(),
        "admin@bench.example",
        NewProvider {
            name: "Bench MSP".into(),
            business_name: String::new(),
            billing_email: "billing@bench.example".into(),
        },
        Minimums::default(),
        &EventContext {
            actor: None,
            client: ClientInfo::default(),
            at: Utc::now(),
        },
    )
    .await
    .unwrap();
    (user, provider)
}

/// The portal's router, as `serve` builds it (without a built site: pages render all the same).
fn app(db: &DatabaseConnection) -> Router {
    let options = LeptosOptions::builder()
        .output_name("provider-portal")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    router(AppState::new(options, db.clone()))
}

async fn get_page(app: &Router, path: &str, cookie: &str) -> usize {
    let request = Request::builder()
        .uri(path)
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    body.len()
}

const SCENARIOS: [(&str, &[(&str, &str)]); 4] = [
    ("default (name)", &[]),
    ("sorted by Used, desc", &[("sort", "used"), ("dir", "desc")]),
    // One client in twelve: a broad search, counted a few pages ahead.
    ("search \"dental\"", &[("q", "dental")]),
    // One client: a rare term, found through the trigram index.
    ("search \"00042\"", &[("q", "00042")]),
];

async fn clients_list(fresh: &Fresh, backend: &str, count: u32) {
    let db = fresh.connect().await;
    let (user, provider) = provider(&db).await;
    let started = Instant::now();
    bulk_clients(&db, provider, count, None).await.unwrap();
    let loaded = started.elapsed().as_secs_f64();
    let token = session::create(
        &db,
        &AuthConfig::default().session,
        user,
        &ClientInfo::default(),
        false,
        Utc::now(),
    )
    .await
    .unwrap();
    let cookie = format!("portal_session={token}");
    let actor = app::accounts::service::load_actor(&db, &AuthConfig::default(), &token, Utc::now())
        .await
        .unwrap()
        .unwrap();
    let viewer =
        app::auth::gate::in_provider(actor, provider, app::auth::Capability::ViewClients).unwrap();
    let app = app(&db);
    for (name, params) in SCENARIOS {
        let q = query(params);
        let mut list = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let page = clients::list(&db, &viewer, &q).await.unwrap();
            list.push(started.elapsed());
            assert!(!page.rows.is_empty());
        }
        let url = format!(
            "/providers/{}/clients?{}",
            provider.0,
            params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        );
        let mut pages = Vec::with_capacity(RUNS);
        let mut bytes = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            bytes = get_page(&app, &url, &cookie).await;
            pages.push(started.elapsed());
        }
        println!(
            "| {backend} | {count} | {name} | {:.1} | {:.1} | {:.1} | {:.1} | {} |",
            percentile(&mut list, 0.5),
            percentile(&mut list, 0.95),
            percentile(&mut pages, 0.5),
            percentile(&mut pages, 0.95),
            bytes / 1024,
        );
    }
    eprintln!("({backend}: {count} clients loaded in {loaded:.1} s)");
    db.close().await.unwrap();
}

/// One sign-in through the server, as the browser posts it: the server function over HTTP,
/// Argon2id verification on the blocking pool, a new session row, the cookie.
async fn sign_in(app: &Router) {
    let request = Request::builder()
        .method("POST")
        .uri("/api/accounts/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(
            "email=admin%40bench.example&password=correct+horse+battery+staple",
        ))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().contains_key(header::SET_COOKIE));
}

async fn sign_ins(db: &DatabaseConnection, backend: &str) {
    let app = app(db);
    let mut samples = Vec::with_capacity(SIGN_INS);
    for _ in 0..SIGN_INS {
        let started = Instant::now();
        sign_in(&app).await;
        samples.push(started.elapsed());
    }
    // Throughput: eight concurrent callers for five seconds (more than the two cores can
    // hash at once, so the figure is the server's ceiling, not the callers').
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let mut done = 0_u32;
            while Instant::now() < deadline {
                sign_in(&app).await;
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    println!(
        "| {backend} | {:.1} | {:.1} | {:.1} |",
        percentile(&mut samples, 0.5),
        percentile(&mut samples, 0.95),
        f64::from(total) / 5.0
    );
}

fn sizes() -> Vec<u32> {
    std::env::var("BENCH_CLIENTS")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .map(|n| n.trim().parse().unwrap())
        .collect()
}

type Backend = (&'static str, Box<dyn FnMut() -> Fresh>);

#[tokio::main]
async fn main() {
    let mut backends: Vec<Backend> = vec![(
        "SQLite",
        Box::new(|| Fresh::Sqlite(tempfile::tempdir().unwrap())),
    )];
    if let Ok(url) = std::env::var("DATABASE_URL_TEST") {
        let mut n = 0;
        backends.push((
            "PostgreSQL",
            Box::new(move || {
                n += 1;
                Fresh::Postgres {
                    url: url.clone(),
                    schema: format!("bench_{}_{n}", std::process::id()),
                }
            }),
        ));
    }
    // `BENCH_BACKENDS=PostgreSQL` (or `SQLite`) measures one backend only.
    if let Ok(chosen) = std::env::var("BENCH_BACKENDS") {
        backends.retain(|(name, _)| {
            chosen
                .split(',')
                .any(|c| c.trim().eq_ignore_ascii_case(name))
        });
    }
    let only = std::env::var("BENCH_ONLY").ok();
    let runs = |part: &str| only.as_deref().is_none_or(|o| o == part);
    if runs("clients") {
        println!(
            "| backend | clients | Clients page | query p50 ms | query p95 ms | page p50 ms | page p95 ms | page KiB |"
        );
        println!("|---|---|---|---|---|---|---|---|");
        for (name, make) in &mut backends {
            for count in sizes() {
                let fresh = make();
                clients_list(&fresh, name, count).await;
                fresh.drop().await;
            }
        }
        println!();
    }
    if runs("sign-in") {
        println!(
            "| backend | sign-in p50 ms ({SIGN_INS} sequential) | p95 ms | sign-ins per second (8 concurrent, 5 s) |"
        );
        println!("|---|---|---|---|");
        for (name, make) in &mut backends {
            let fresh = make();
            let db = fresh.connect().await;
            provider(&db).await;
            sign_ins(&db, name).await;
            db.close().await.unwrap();
            fresh.drop().await;
        }
        println!();
    }
    if runs("export") {
        let count: u64 = std::env::var("BENCH_EVENTS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1_000_000);
        println!(
            "| backend | events exported | seconds | events per second | CSV MiB | server memory before | peak during export |"
        );
        println!("|---|---|---|---|---|---|---|");
        for (name, make) in &mut backends {
            let fresh = make();
            export(&fresh, name, count).await;
            fresh.drop().await;
        }
    }
}

/// The process's resident memory, in KiB (Linux).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

/// `count` events in the provider's log, one every 25 seconds back from now (a million
/// span 290 days: one export), inserted by the database itself.
async fn seed_events(db: &DatabaseConnection, provider: ProviderId, user: UserId, count: u64) {
    let (p, u) = (provider.0, user.0);
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => format!(
            "INSERT INTO events (at, type, acting_user_id, provider_id, details, ip, device) \
             SELECT now() - (i * interval '25 seconds'), 1800, {u}, {p}, \
             '{{\"email\":\"member' || i || '@example.com\"}}', '198.51.100.' || (i % 250), 'bench' \
             FROM generate_series(1, {count}) AS i"
        ),
        _ => format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) \
             INSERT INTO events (at, type, acting_user_id, provider_id, details, ip, device) \
             SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || (i * 25) || ' seconds'), 1800, {u}, {p}, \
             '{{\"email\":\"member' || i || '@example.com\"}}', '198.51.100.' || (i % 250), 'bench' FROM n"
        ),
    };
    db.execute_unprepared(&sql).await.unwrap();
    db.execute_unprepared("ANALYZE events").await.unwrap();
}

async fn export(fresh: &Fresh, backend: &str, count: u64) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let db = fresh.connect().await;
    let (user, provider) = provider(&db).await;
    seed_events(&db, provider, user, count).await;
    let token = session::create(
        &db,
        &AuthConfig::default().session,
        user,
        &ClientInfo::default(),
        false,
        Utc::now(),
    )
    .await
    .unwrap();
    let app = app(&db);
    let today = Utc::now().date_naive();
    let from = today - chrono::Duration::days(365);
    let path = format!(
        "/providers/{}/manage/events/export.csv?from={from}&to={today}",
        provider.0
    );
    let before = rss_kib();
    let peak = Arc::new(AtomicU64::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let started = Instant::now();
    let request = Request::builder()
        .uri(&path)
        .header(header::COOKIE, format!("portal_session={token}"))
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let (mut bytes, mut lines) = (0_u64, 0_u64);
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.unwrap().into_data() {
            bytes += data.len() as u64;
            lines += data.iter().filter(|b| **b == b'\n').count() as u64;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    // The header line, then one line per event (the seeded ones and the provider's own
    // set-up events).
    assert!(
        lines > count,
        "every event exported: {lines} lines for {count} events"
    );
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "| {backend} | {count} | {seconds:.1} | {:.0} | {:.0} | {:.0} MiB | {:.0} MiB |",
        count as f64 / seconds,
        bytes as f64 / 1024.0 / 1024.0,
        mib(before),
        mib(peak.load(Ordering::Relaxed)),
    );
    db.close().await.unwrap();
}
