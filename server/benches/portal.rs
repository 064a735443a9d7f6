//! Benchmarks (not tests): the Clients page at 10,000 clients, and sign-in latency and
//! throughput. Run with `cargo bench -p server --bench portal`; set `DATABASE_URL_TEST` to
//! also measure PostgreSQL. Figures go into the README with this command.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

use app::accounts::service::{self as accounts, AuthConfig, RegisterInput, SignIn};
use app::accounts::session::ClientInfo;
use app::clients::service as clients;
use app::clients::types::ClientQuery;
use app::events::service::EventContext;
use app::providers::service::{self as providers, Minimums, NewProvider, ProviderConfig};
use server::db::{self, ConnectExtras};
use server::operator::bulk_clients;

const CLIENTS: u32 = 10_000;
const RUNS: usize = 50;
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

async fn clients_list(db: &DatabaseConnection, backend: &str) {
    accounts::register(
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
    let started = Instant::now();
    bulk_clients(db, provider, CLIENTS).await.unwrap();
    println!(
        "{backend}: loaded {CLIENTS} clients (~2.5 members each) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let scenarios: [(&str, &[(&str, &str)]); 6] = [
        ("first page, by name", &[]),
        (
            "sorted by Used, descending",
            &[("sort", "used"), ("dir", "desc")],
        ),
        ("sorted by Remaining", &[("sort", "remaining")]),
        ("search \"dental\"", &[("q", "dental")]),
        (
            "page 100 of 100 (size 100)",
            &[("page", "100"), ("size", "100")],
        ),
        ("past the end (page 9999)", &[("page", "9999")]),
    ];
    println!("| backend | Clients page at {CLIENTS} clients | p50 ms | p95 ms |");
    println!("|---|---|---|---|");
    for (name, params) in scenarios {
        let q = query(params);
        let mut samples = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let page = clients::list(db, provider, &q).await.unwrap();
            samples.push(started.elapsed());
            assert!(!page.rows.is_empty());
        }
        println!(
            "| {backend} | {name} | {:.1} | {:.1} |",
            percentile(&mut samples, 0.5),
            percentile(&mut samples, 0.95)
        );
    }
}

async fn sign_ins(db: &DatabaseConnection, backend: &str) {
    let config = AuthConfig::default();
    let client = ClientInfo {
        ip: Some("192.0.2.1".into()),
        user_agent: None,
    };
    let mut samples = Vec::with_capacity(SIGN_INS);
    for _ in 0..SIGN_INS {
        let started = Instant::now();
        let result = accounts::sign_in(
            db,
            &config,
            "admin@bench.example",
            PASSWORD.into(),
            &client,
            Utc::now(),
        )
        .await
        .unwrap();
        samples.push(started.elapsed());
        assert!(matches!(result, SignIn::Session(_)));
    }
    println!(
        "| {backend} | {SIGN_INS} sequential sign-ins | p50 {:.1} ms | p95 {:.1} ms |",
        percentile(&mut samples, 0.5),
        percentile(&mut samples, 0.95)
    );
    // Throughput: eight concurrent callers for five seconds.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let db = db.clone();
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut done = 0_u32;
            while Instant::now() < deadline {
                accounts::sign_in(
                    &db,
                    &config,
                    "admin@bench.example",
                    PASSWORD.into(),
                    &client,
                    Utc::now(),
                )
                .await
                .unwrap();
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
        "| {backend} | sustained sign-ins, 8 concurrent callers | {:.1} per second | |",
        f64::from(total) / 5.0
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let sqlite = db::connect(&url).await.unwrap();
    db::migrate(&sqlite).await.unwrap();
    clients_list(&sqlite, "SQLite").await;
    sign_ins(&sqlite, "SQLite").await;

    if let Ok(url) = std::env::var("DATABASE_URL_TEST") {
        let schema = format!("bench_{}", std::process::id());
        let admin = Database::connect(&url).await.unwrap();
        let ddl = |sql: String| Statement::from_string(DbBackend::Postgres, sql);
        admin
            .execute(ddl(format!("CREATE SCHEMA \"{schema}\"")))
            .await
            .unwrap();
        let pg = db::connect_with(
            &url,
            ConnectExtras {
                pg_schema: Some(schema.clone()),
            },
        )
        .await
        .unwrap();
        db::migrate(&pg).await.unwrap();
        clients_list(&pg, "PostgreSQL").await;
        sign_ins(&pg, "PostgreSQL").await;
        pg.close().await.unwrap();
        admin
            .execute(ddl(format!("DROP SCHEMA \"{schema}\" CASCADE")))
            .await
            .unwrap();
    }
}
