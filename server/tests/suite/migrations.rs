#![allow(clippy::unwrap_used, elided_lifetimes_in_paths)]
//! Migrations apply, roll back and re-apply on both backends; constraints hold; a failing
//! migration leaves the database as it was.

use crate::support;

use migration::{MigrationTrait, MigratorTrait, SchemaManager, TABLES, async_trait};
use sea_orm::{ConnectionTrait, DbErr, Statement};

async fn existing_tables(db: &sea_orm::DatabaseConnection) -> Vec<&'static str> {
    let manager = SchemaManager::new(db);
    let mut found = Vec::new();
    for table in TABLES {
        if manager.has_table(*table).await.unwrap() {
            found.push(*table);
        }
    }
    found
}

support::each_empty_backend!(migrations_apply_roll_back_and_reapply);
async fn migrations_apply_roll_back_and_reapply(t: support::TestDb) {
    assert!(existing_tables(&t.db).await.is_empty(), "{}", t.backend);
    server::db::migrate(&t.db).await.unwrap();
    assert_eq!(
        existing_tables(&t.db).await,
        TABLES,
        "{}: after up",
        t.backend
    );
    // A second run is a no-op, as at every start-up.
    server::db::migrate(&t.db).await.unwrap();
    server::db::rollback(&t.db).await.unwrap();
    assert!(
        existing_tables(&t.db).await.is_empty(),
        "{}: after down",
        t.backend
    );
    server::db::migrate(&t.db).await.unwrap();
    assert_eq!(
        existing_tables(&t.db).await,
        TABLES,
        "{}: after re-up",
        t.backend
    );
    t.cleanup().await;
}

async fn exec(db: &sea_orm::DatabaseConnection, sql: &str) -> Result<(), DbErr> {
    db.execute(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .map(|_| ())
}

support::each_backend!(constraints_are_enforced);
async fn constraints_are_enforced(t: support::TestDb) {
    let db = &t.db;
    let now = "'2026-11-24 10:00:00+00:00'";
    exec(db, &format!("INSERT INTO users (email, name, password_hash, locale, created_at) VALUES ('a@example.com', 'A', 'x', 'en', {now})")).await.unwrap();
    // Emails are unique (stored lowercased by the accounts service).
    let dup = exec(db, &format!("INSERT INTO users (email, name, password_hash, locale, created_at) VALUES ('a@example.com', 'B', 'x', 'en', {now})")).await;
    assert!(dup.is_err(), "{}: duplicate email accepted", t.backend);
    // Foreign keys are on (SQLite needs the pragma for that).
    let orphan = exec(db, &format!("INSERT INTO sessions (user_id, token_hash, created_at, last_seen_at, expires_at) VALUES (999, 'h', {now}, {now}, {now})")).await;
    assert!(orphan.is_err(), "{}: orphan session accepted", t.backend);
    // Rule 3: an organization belongs to at most one provider.
    exec(db, &format!("INSERT INTO providers (name, billing_email, created_at) VALUES ('P1', 'p1@example.com', {now})")).await.unwrap();
    exec(db, &format!("INSERT INTO providers (name, billing_email, created_at) VALUES ('P2', 'p2@example.com', {now})")).await.unwrap();
    exec(db, &format!("INSERT INTO organizations (name, billing_email, plan, billing_cycle, seats, created_at) VALUES ('O', 'o@example.com', 'teams', 'monthly', 5, {now})")).await.unwrap();
    exec(db, &format!("INSERT INTO provider_organizations (provider_id, organization_id, created_at) VALUES (1, 1, {now})")).await.unwrap();
    let second = exec(db, &format!("INSERT INTO provider_organizations (provider_id, organization_id, created_at) VALUES (2, 1, {now})")).await;
    assert!(
        second.is_err(),
        "{}: organization linked to two providers",
        t.backend
    );
    // Seats cannot be negative.
    let negative = exec(db, "UPDATE organizations SET seats = -1").await;
    assert!(negative.is_err(), "{}: negative seats accepted", t.backend);
    t.cleanup().await;
}

/// A migration that creates a table and then fails.
struct Broken;

impl migration::MigrationName for Broken {
    fn name(&self) -> &str {
        "m29991231_000000_break_on_purpose"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Broken {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE TABLE should_vanish (id INTEGER)")
            .await?;
        db.execute_unprepared("THIS IS NOT SQL").await?;
        Ok(())
    }

    async fn down(&self, _: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}

struct BrokenMigrator;

impl MigratorTrait for BrokenMigrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = migration::Migrator::migrations();
        all.push(Box::new(Broken));
        all
    }
}

support::each_empty_backend!(a_failing_migration_leaves_the_database_as_it_was);
async fn a_failing_migration_leaves_the_database_as_it_was(t: support::TestDb) {
    let result = server::db::migrate_with::<BrokenMigrator>(&t.db).await;
    assert!(result.is_err(), "{}", t.backend);
    assert!(
        existing_tables(&t.db).await.is_empty(),
        "{}: v1 tables left behind",
        t.backend
    );
    let manager = SchemaManager::new(&t.db);
    assert!(
        !manager.has_table("should_vanish").await.unwrap(),
        "{}",
        t.backend
    );
    assert!(
        !manager.has_table("seaql_migrations").await.unwrap(),
        "{}",
        t.backend
    );
    // And the real migrations still apply afterwards.
    server::db::migrate(&t.db).await.unwrap();
    assert_eq!(existing_tables(&t.db).await, TABLES, "{}", t.backend);
    t.cleanup().await;
}
