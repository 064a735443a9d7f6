//! Database connection and migrations, for SQLite (embedded default) and PostgreSQL
//! (scale-out: several stateless servers on one database).

use std::str::FromStr;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, SqlxPostgresConnector,
    SqlxSqliteConnector, Statement, TransactionTrait,
};

use crate::error::StartupError;

/// How long a connection attempt may take before start-up gives up with a clear message.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long SQLite waits for a competing writer before reporting "database is locked".
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Options beyond the URL, used by tests to isolate themselves on a shared server.
#[derive(Clone, Debug, Default)]
pub struct ConnectExtras {
    /// PostgreSQL only: the schema every connection works in (`search_path`).
    pub pg_schema: Option<String>,
}

/// `postgres://user:secret@host/db` → `postgres://host/db`: never print credentials.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}{}", &url[..scheme_end + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, StartupError> {
    connect_with(url, ConnectExtras::default()).await
}

pub async fn connect_with(
    url: &str,
    extras: ConnectExtras,
) -> Result<DatabaseConnection, StartupError> {
    if url.starts_with("sqlite:") {
        connect_sqlite(url).await
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        connect_postgres(url, extras).await
    } else {
        Err(StartupError::InvalidDatabaseUrl {
            reason: "only sqlite:// and postgres:// are supported".into(),
        })
    }
}

async fn connect_sqlite(url: &str) -> Result<DatabaseConnection, StartupError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| StartupError::InvalidDatabaseUrl {
            reason: e.to_string(),
        })?
        .create_if_missing(true)
        .foreign_keys(true)
        .journal_mode(SqliteJournalMode::Wal)
        // WAL makes NORMAL durable against application crashes and much faster than FULL.
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(SQLITE_BUSY_TIMEOUT);
    let path = options.get_filename().to_path_buf();
    let unwritable = |reason: String| StartupError::DataDirUnwritable {
        path: path.clone(),
        reason,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| unwritable(e.to_string()))?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(CONNECT_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|e| unwritable(e.to_string()))?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

async fn connect_postgres(
    url: &str,
    extras: ConnectExtras,
) -> Result<DatabaseConnection, StartupError> {
    let mut options =
        PgConnectOptions::from_str(url).map_err(|e| StartupError::InvalidDatabaseUrl {
            reason: e.to_string(),
        })?;
    if let Some(schema) = &extras.pg_schema {
        options = options.options([("search_path", schema.as_str())]);
    }
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(CONNECT_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|e| StartupError::DatabaseUnreachable {
            target: redact(url),
            reason: e.to_string(),
        })?;
    Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
}

/// Applies every pending migration in one transaction: a failure leaves the database as it
/// was. On PostgreSQL an advisory lock serialises servers that start at the same moment.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    migrate_with::<Migrator>(db).await
}

/// [`migrate`] for any migrator (tests use one with a migration that fails on purpose).
pub async fn migrate_with<M: MigratorTrait>(db: &DatabaseConnection) -> Result<(), DbErr> {
    // Not `begin_write`: its lock statement needs the table the first migration creates. On
    // SQLite the server migrates before it serves, so no writer competes.
    #[allow(clippy::disallowed_methods)]
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute(Statement::from_string(
            DbBackend::Postgres,
            // Any constant works; this one spells "portal" in ASCII.
            "SELECT pg_advisory_xact_lock(112111114116097108)",
        ))
        .await?;
    }
    M::up(&txn, None).await?;
    txn.commit().await
}

/// Reverts every migration (the `migrate --down` command and the tests).
pub async fn rollback(db: &DatabaseConnection) -> Result<(), DbErr> {
    // Not `begin_write` (see `migrate_with`): run by an operator with the server stopped.
    #[allow(clippy::disallowed_methods)]
    let txn = db.begin().await?;
    Migrator::down(&txn, None).await?;
    txn.commit().await
}

/// The backend's short name, as `/healthz` reports it.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Sqlite => "sqlite",
        DbBackend::Postgres => "postgres",
        DbBackend::MySql => "mysql",
    }
}
