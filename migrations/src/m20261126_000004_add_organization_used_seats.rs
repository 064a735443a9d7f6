//! Clients page at scale: `organizations.used_seats`, the members taking a seat (DESIGN.md §2:
//! invited, accepted or confirmed), kept by triggers in the database. Counting them per row
//! made every Clients page cost one sub-query per client of the provider (360 ms at 100,000
//! clients); a column makes Used and Remaining as cheap to sort as Assigned. Triggers, not
//! application code, keep it right: no code path that adds, removes or changes a member can
//! forget it. They add or subtract one rather than recount, so two transactions changing one
//! organization's members at once both land (each update reads the row's latest value).
//!
//! The application's rule checks (seats never below Used) still count the members under the
//! organization's row lock; this column serves listing and sorting.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    UsedSeats,
}

/// The statuses that take a seat; `MemberStatus` in the app names the same three.
const TAKING: &str = "('invited', 'accepted', 'confirmed')";

fn sqlite_up() -> Vec<String> {
    vec![
        format!(
            "CREATE TRIGGER organization_users_used_insert AFTER INSERT ON organization_users \
             WHEN NEW.status IN {TAKING} BEGIN \
             UPDATE organizations SET used_seats = used_seats + 1 WHERE id = NEW.organization_id; \
             END"
        ),
        format!(
            "CREATE TRIGGER organization_users_used_delete AFTER DELETE ON organization_users \
             WHEN OLD.status IN {TAKING} BEGIN \
             UPDATE organizations SET used_seats = used_seats - 1 WHERE id = OLD.organization_id; \
             END"
        ),
        format!(
            "CREATE TRIGGER organization_users_used_update \
             AFTER UPDATE OF status, organization_id ON organization_users BEGIN \
             UPDATE organizations SET used_seats = used_seats - 1 \
             WHERE id = OLD.organization_id AND OLD.status IN {TAKING}; \
             UPDATE organizations SET used_seats = used_seats + 1 \
             WHERE id = NEW.organization_id AND NEW.status IN {TAKING}; \
             END"
        ),
    ]
}

fn postgres_up() -> Vec<String> {
    vec![
        format!(
            "CREATE FUNCTION organization_users_used() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN \
             IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN {TAKING} THEN \
             UPDATE organizations SET used_seats = used_seats - 1 WHERE id = OLD.organization_id; \
             END IF; \
             IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN {TAKING} THEN \
             UPDATE organizations SET used_seats = used_seats + 1 WHERE id = NEW.organization_id; \
             END IF; \
             RETURN NULL; \
             END $$"
        ),
        "CREATE TRIGGER organization_users_used \
         AFTER INSERT OR DELETE OR UPDATE OF status, organization_id ON organization_users \
         FOR EACH ROW EXECUTE FUNCTION organization_users_used()"
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(
                        ColumnDef::new(Organizations::UsedSeats)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // Members from before this step.
        db.execute_unprepared(&format!(
            "UPDATE organizations SET used_seats = (SELECT COUNT(*) FROM organization_users u \
             WHERE u.organization_id = organizations.id AND u.status IN {TAKING})"
        ))
        .await?;
        let statements = match db.get_database_backend() {
            DbBackend::Postgres => postgres_up(),
            _ => sqlite_up(),
        };
        for statement in statements {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements: &[&str] = match db.get_database_backend() {
            DbBackend::Postgres => &[
                "DROP TRIGGER organization_users_used ON organization_users",
                "DROP FUNCTION organization_users_used()",
            ],
            _ => &[
                "DROP TRIGGER organization_users_used_insert",
                "DROP TRIGGER organization_users_used_delete",
                "DROP TRIGGER organization_users_used_update",
            ],
        };
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .drop_column(Organizations::UsedSeats)
                    .to_owned(),
            )
            .await
    }
}
