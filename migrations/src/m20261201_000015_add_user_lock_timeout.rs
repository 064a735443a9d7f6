//! Accounts choose how long their keys stay unlocked in a tab without activity (issue 20):
//! minutes, `0` for "until the page is reloaded". Every account starts at 15 minutes, the
//! timeout Bitwarden's web vault starts with.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    LockMinutes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::LockMinutes)
                            .integer()
                            .not_null()
                            .default(15),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::LockMinutes)
                    .to_owned(),
            )
            .await
    }
}
