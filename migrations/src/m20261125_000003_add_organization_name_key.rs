//! Clients page (providers issue): `organizations.name_key`, the name case-folded by the
//! application (Unicode-aware, unlike SQLite's ASCII-only `LOWER`), so search and sort by
//! name behave the same on SQLite and PostgreSQL, "Örebro" included.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Name,
    NameKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(
                        ColumnDef::new(Organizations::NameKey)
                            .string_len(200)
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
        // Rows from before this step: the database's LOWER is the best fold SQL offers.
        manager
            .exec_stmt(
                Query::update()
                    .table(Organizations::Table)
                    .value(
                        Organizations::NameKey,
                        Func::lower(Expr::col(Organizations::Name)),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .drop_column(Organizations::NameKey)
                    .to_owned(),
            )
            .await
    }
}
