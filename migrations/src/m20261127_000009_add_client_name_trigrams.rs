//! Clients page at scale, third step: a search for a rare piece of a name costs the same at
//! 1,000 and 100,000 clients. Without an index for "contains", finding the one "Client 00042"
//! reads every name of the provider.
//!
//! - SQLite: an FTS5 table with the trigram tokenizer over `organizations.name_key`
//!   (external content: it stores only the index, kept by triggers). A phrase query on it is
//!   a substring match, answered from the index.
//! - PostgreSQL: a GIN trigram index (`pg_trgm`) on `name_key`, which the planner uses for
//!   `LIKE '%…%'` by itself. The extension is created when the server offers it and the
//!   database user may (it is a trusted extension since PostgreSQL 13); otherwise the step
//!   leaves the index out and searches keep scanning, correct but slower.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE organization_name_trigrams USING fts5(\
     name_key, content='organizations', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER organizations_trigrams_insert AFTER INSERT ON organizations BEGIN \
     INSERT INTO organization_name_trigrams(rowid, name_key) VALUES (NEW.id, NEW.name_key); \
     END",
    "CREATE TRIGGER organizations_trigrams_delete AFTER DELETE ON organizations BEGIN \
     INSERT INTO organization_name_trigrams(organization_name_trigrams, rowid, name_key) \
     VALUES ('delete', OLD.id, OLD.name_key); \
     END",
    "CREATE TRIGGER organizations_trigrams_update AFTER UPDATE OF name_key ON organizations BEGIN \
     INSERT INTO organization_name_trigrams(organization_name_trigrams, rowid, name_key) \
     VALUES ('delete', OLD.id, OLD.name_key); \
     INSERT INTO organization_name_trigrams(rowid, name_key) VALUES (NEW.id, NEW.name_key); \
     END",
    "INSERT INTO organization_name_trigrams(organization_name_trigrams) VALUES ('rebuild')",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS organizations_trigrams_update",
    "DROP TRIGGER IF EXISTS organizations_trigrams_delete",
    "DROP TRIGGER IF EXISTS organizations_trigrams_insert",
    "DROP TABLE IF EXISTS organization_name_trigrams",
];

const PG_INDEX: &str = "ix_organizations_name_key_trigrams";

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

async fn one_string(manager: &SchemaManager<'_>, sql: &str) -> Result<Option<String>, DbErr> {
    let db = manager.get_connection();
    let row = db
        .query_one(Statement::from_string(DbBackend::Postgres, sql.to_owned()))
        .await?;
    row.map(|row| row.try_get_by_index::<String>(0)).transpose()
}

/// The schema `pg_trgm` lives in, creating it (in `public`) when it may.
async fn trigram_schema(manager: &SchemaManager<'_>) -> Result<Option<String>, DbErr> {
    const INSTALLED: &str = "SELECT n.nspname::text FROM pg_extension e \
         JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'";
    // Two servers (or tests) migrating at once would race on CREATE EXTENSION: one at a time.
    run(
        manager,
        &["SELECT pg_advisory_xact_lock(hashtext('portal pg_trgm'))"],
    )
    .await?;
    if let Some(schema) = one_string(manager, INSTALLED).await? {
        return Ok(Some(schema));
    }
    // Checked first: a failing CREATE EXTENSION would abort the migration's transaction.
    let installable = one_string(
        manager,
        "SELECT 'yes' FROM pg_available_extensions WHERE name = 'pg_trgm' \
         AND has_database_privilege(current_database(), 'CREATE') \
         AND EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') \
         AND has_schema_privilege('public', 'CREATE')",
    )
    .await?;
    if installable.is_none() {
        return Ok(None);
    }
    run(
        manager,
        &["CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"],
    )
    .await?;
    one_string(manager, INSTALLED).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Sqlite => run(manager, SQLITE_UP).await,
            DbBackend::Postgres => {
                let Some(schema) = trigram_schema(manager).await? else {
                    return Ok(());
                };
                let schema = schema.replace('"', "\"\"");
                let sql = format!(
                    "CREATE INDEX {PG_INDEX} ON organizations \
                     USING gin (name_key \"{schema}\".gin_trgm_ops)"
                );
                run(manager, &[sql.as_str()]).await
            }
            _ => Ok(()),
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Sqlite => run(manager, SQLITE_DOWN).await,
            // The extension stays: other tables or databases may use it.
            DbBackend::Postgres => {
                run(manager, &[&format!("DROP INDEX IF EXISTS {PG_INDEX}")]).await
            }
            _ => Ok(()),
        }
    }
}
