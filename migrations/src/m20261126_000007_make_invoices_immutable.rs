//! Invoices are issued once and never edited (issue 6: "immutable once issued"): the database
//! refuses any UPDATE of an invoice row, whoever asks. Deleting stays possible (a provider's
//! removal takes its invoices along).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const MESSAGE: &str = "invoices are immutable once issued";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements = match db.get_database_backend() {
            DbBackend::Postgres => vec![
                format!(
                    "CREATE FUNCTION invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
                ),
                "CREATE TRIGGER invoices_immutable BEFORE UPDATE ON invoices \
                 FOR EACH ROW EXECUTE FUNCTION invoices_immutable()"
                    .to_owned(),
            ],
            _ => vec![format!(
                "CREATE TRIGGER invoices_immutable BEFORE UPDATE ON invoices \
                 BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )],
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
                "DROP TRIGGER invoices_immutable ON invoices",
                "DROP FUNCTION invoices_immutable()",
            ],
            _ => &["DROP TRIGGER invoices_immutable"],
        };
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
