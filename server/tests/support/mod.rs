//! Test harness: every test gets its own freshly migrated database, on SQLite (a file in a
//! temporary directory) and on PostgreSQL (a schema of its own in `DATABASE_URL_TEST`), and
//! runs the same code against both.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use server::db::{self, ConnectExtras};
use tempfile::TempDir;

pub struct TestDb {
    pub db: DatabaseConnection,
    pub backend: &'static str,
    /// The URL (and, on PostgreSQL, the schema) this test's database lives at.
    url: String,
    _dir: Option<TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite_empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("portal.db").display());
        let db = db::connect(&url).await.unwrap();
        Self {
            db,
            backend: "sqlite",
            url,
            _dir: Some(dir),
            pg: None,
        }
    }

    /// `None` when no PostgreSQL is configured; with `PORTAL_REQUIRE_POSTGRES=1` (set by the
    /// test command when it found a server) a missing one fails the test instead.
    pub async fn postgres_empty() -> Option<Self> {
        let Some(url) = std::env::var("DATABASE_URL_TEST")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            assert!(
                std::env::var("PORTAL_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "PORTAL_REQUIRE_POSTGRES=1 but DATABASE_URL_TEST is not set"
            );
            return None;
        };
        let schema = unique_schema();
        let admin = Database::connect(&url).await.unwrap();
        admin
            .execute(Statement::from_string(
                DbBackend::Postgres,
                format!("CREATE SCHEMA \"{schema}\""),
            ))
            .await
            .unwrap();
        admin.close().await.unwrap();
        let db = db::connect_with(
            &url,
            ConnectExtras {
                pg_schema: Some(schema.clone()),
            },
        )
        .await
        .unwrap();
        Some(Self {
            db,
            backend: "postgres",
            url: url.clone(),
            _dir: None,
            pg: Some((url, schema)),
        })
    }

    pub async fn migrated(self) -> Self {
        db::migrate(&self.db).await.unwrap();
        self
    }

    /// Another connection pool on the same database, as a second server instance would have.
    pub async fn second_connection(&self) -> DatabaseConnection {
        let extras = ConnectExtras {
            pg_schema: self.pg.as_ref().map(|(_, schema)| schema.clone()),
        };
        db::connect_with(&self.url, extras).await.unwrap()
    }

    /// Drops the PostgreSQL schema; the SQLite directory goes with the value.
    pub async fn cleanup(self) {
        let TestDb { db, pg, .. } = self;
        db.close().await.unwrap();
        if let Some((url, schema)) = pg {
            let admin = Database::connect(&url).await.unwrap();
            admin
                .execute(Statement::from_string(
                    DbBackend::Postgres,
                    format!("DROP SCHEMA \"{schema}\" CASCADE"),
                ))
                .await
                .unwrap();
            admin.close().await.unwrap();
        }
    }
}

fn unique_schema() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// Empty (unmigrated) databases, one per configured backend.
pub async fn empty_databases() -> Vec<TestDb> {
    let mut all = vec![TestDb::sqlite_empty().await];
    if let Some(pg) = TestDb::postgres_empty().await {
        all.push(pg);
    }
    all
}

/// Migrated databases, one per configured backend.
pub async fn databases() -> Vec<TestDb> {
    let mut all = Vec::new();
    for db in empty_databases().await {
        all.push(db.migrated().await);
    }
    all
}
