//! Organization policies (Admin Console → Settings → Policies): one row per organization and
//! kind (`account_recovery`, `two_step_login`, `master_password`), on or off, with the kind's
//! settings as JSON (`{"min_length": 14, "min_strength": 3}` for master passwords). No row
//! means off.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Policies {
    Table,
    Id,
    OrganizationId,
    Kind,
    Enabled,
    Data,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Policies::Table)
                    .col(
                        ColumnDef::new(Policies::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Policies::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Policies::Kind).string_len(32).not_null())
                    .col(
                        ColumnDef::new(Policies::Enabled)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(ColumnDef::new(Policies::Data).text().not_null())
                    .col(
                        ColumnDef::new(Policies::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // An organization's policies go with it.
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_policies_organization")
                            .from(Policies::Table, Policies::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_policies_organization_kind")
                    .table(Policies::Table)
                    .col(Policies::OrganizationId)
                    .col(Policies::Kind)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Policies::Table).to_owned())
            .await
    }
}
