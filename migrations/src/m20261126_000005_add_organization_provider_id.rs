//! Clients page at scale, second step: a page costs the same at 1,000 and 100,000 clients.
//!
//! - `organizations.provider_id`: the provider the organization is a client of, copied from
//!   `provider_organizations` by triggers (the link table stays the source of truth and keeps
//!   its unique constraint, which settles the add-existing race). With it the page reads one
//!   table, and an index per sort column (`provider_id`, key, `name_key`, `id`) hands out the
//!   rows of a page already in order: no join, no sort, no reading the clients off-page.
//!   Both directions have their index because the tie-break (name, then id) stays ascending.
//! - `providers.client_count`: how many clients, kept by the same triggers, so the page's
//!   total is one row read instead of a count over all clients.
//! - On PostgreSQL `name_key` sorts by code point (`COLLATE "C"`), the order SQLite uses, so
//!   one index serves `ORDER BY name_key` on both.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    ProviderId,
}

#[derive(DeriveIden)]
enum Providers {
    Table,
    ClientCount,
}

/// The sort keys of the Clients page; each gets an ascending and a descending index.
/// `seats - used_seats` (Remaining) must be written the same way in the page query.
const SORT_KEYS: &[(&str, &str)] = &[
    ("seats", "seats"),
    ("used", "used_seats"),
    ("remaining", "(seats - used_seats)"),
    ("plan", "plan"),
];

fn index_statements() -> Vec<String> {
    let mut statements = vec![
        "CREATE INDEX ix_organizations_client_name ON organizations (provider_id, name_key, id)"
            .to_owned(),
    ];
    for (name, key) in SORT_KEYS {
        for (suffix, direction) in [("asc", "ASC"), ("desc", "DESC")] {
            statements.push(format!(
                "CREATE INDEX ix_organizations_client_{name}_{suffix} \
                 ON organizations (provider_id, {key} {direction}, name_key, id)"
            ));
        }
    }
    statements
}

fn index_names() -> Vec<String> {
    let mut names = vec!["ix_organizations_client_name".to_owned()];
    for (name, _) in SORT_KEYS {
        for suffix in ["asc", "desc"] {
            names.push(format!("ix_organizations_client_{name}_{suffix}"));
        }
    }
    names
}

const SQLITE_TRIGGERS: &[&str] = &[
    "CREATE TRIGGER provider_organizations_link AFTER INSERT ON provider_organizations BEGIN \
     UPDATE organizations SET provider_id = NEW.provider_id WHERE id = NEW.organization_id; \
     UPDATE providers SET client_count = client_count + 1 WHERE id = NEW.provider_id; \
     END",
    "CREATE TRIGGER provider_organizations_unlink AFTER DELETE ON provider_organizations BEGIN \
     UPDATE organizations SET provider_id = NULL \
     WHERE id = OLD.organization_id AND provider_id = OLD.provider_id; \
     UPDATE providers SET client_count = client_count - 1 WHERE id = OLD.provider_id; \
     END",
    "CREATE TRIGGER provider_organizations_move \
     AFTER UPDATE OF provider_id, organization_id ON provider_organizations BEGIN \
     UPDATE organizations SET provider_id = NULL \
     WHERE id = OLD.organization_id AND provider_id = OLD.provider_id; \
     UPDATE providers SET client_count = client_count - 1 WHERE id = OLD.provider_id; \
     UPDATE organizations SET provider_id = NEW.provider_id WHERE id = NEW.organization_id; \
     UPDATE providers SET client_count = client_count + 1 WHERE id = NEW.provider_id; \
     END",
];

const POSTGRES_TRIGGERS: &[&str] = &[
    "CREATE FUNCTION provider_organizations_sync() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
     IF TG_OP IN ('UPDATE', 'DELETE') THEN \
     UPDATE organizations SET provider_id = NULL \
     WHERE id = OLD.organization_id AND provider_id = OLD.provider_id; \
     UPDATE providers SET client_count = client_count - 1 WHERE id = OLD.provider_id; \
     END IF; \
     IF TG_OP IN ('INSERT', 'UPDATE') THEN \
     UPDATE organizations SET provider_id = NEW.provider_id WHERE id = NEW.organization_id; \
     UPDATE providers SET client_count = client_count + 1 WHERE id = NEW.provider_id; \
     END IF; \
     RETURN NULL; \
     END $$",
    "CREATE TRIGGER provider_organizations_sync \
     AFTER INSERT OR DELETE OR UPDATE OF provider_id, organization_id ON provider_organizations \
     FOR EACH ROW EXECUTE FUNCTION provider_organizations_sync()",
    r#"ALTER TABLE organizations ALTER COLUMN name_key TYPE VARCHAR(200) COLLATE "C""#,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(
                        ColumnDef::new(Organizations::ProviderId)
                            .big_integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Providers::Table)
                    .add_column(
                        ColumnDef::new(Providers::ClientCount)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // Links from before this step.
        db.execute_unprepared(
            "UPDATE organizations SET provider_id = (SELECT po.provider_id \
             FROM provider_organizations po WHERE po.organization_id = organizations.id)",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE providers SET client_count = (SELECT COUNT(*) \
             FROM provider_organizations po WHERE po.provider_id = providers.id)",
        )
        .await?;
        let triggers = match db.get_database_backend() {
            DbBackend::Postgres => POSTGRES_TRIGGERS,
            _ => SQLITE_TRIGGERS,
        };
        for statement in triggers
            .iter()
            .map(|s| (*s).to_owned())
            .chain(index_statements())
        {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = db.get_database_backend() == DbBackend::Postgres;
        let mut statements: Vec<String> = index_names()
            .into_iter()
            .map(|name| format!("DROP INDEX {name}"))
            .collect();
        if postgres {
            statements.extend([
                "DROP TRIGGER provider_organizations_sync ON provider_organizations".to_owned(),
                "DROP FUNCTION provider_organizations_sync()".to_owned(),
                "ALTER TABLE organizations ALTER COLUMN name_key TYPE VARCHAR(200) \
                 COLLATE \"default\""
                    .to_owned(),
            ]);
        } else {
            statements.extend(
                ["link", "unlink", "move"]
                    .iter()
                    .map(|name| format!("DROP TRIGGER provider_organizations_{name}")),
            );
        }
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Providers::Table)
                    .drop_column(Providers::ClientCount)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .drop_column(Organizations::ProviderId)
                    .to_owned(),
            )
            .await
    }
}
