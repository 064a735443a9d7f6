//! Invitation links (provider members now, organization members next): a random token in the
//! link, only its SHA-256 here. Single use (`used_at`), expiring (`expires_at`); a new
//! invitation to the same member replaces the old link. The member row itself
//! (`provider_users` / `organization_users`, status `invited`) is the invitation; this table
//! only proves that whoever holds the link received the mail.
//!
//! Also: member rows by address, for the Password Manager's pending invitations (looked up
//! by the signed-in user's address on every page, to point them out).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    TokenHash,
    ProviderUserId,
    OrganizationUserId,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProviderUsers {
    Table,
    Id,
    Email,
    Status,
}

#[derive(DeriveIden)]
enum OrganizationUsers {
    Table,
    Id,
    Email,
    Status,
}

fn timestamp(column: Invitations) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(
                        ColumnDef::new(Invitations::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Invitations::TokenHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Invitations::ProviderUserId)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Invitations::OrganizationUserId)
                            .big_integer()
                            .null(),
                    )
                    .col(timestamp(Invitations::ExpiresAt))
                    .col(
                        ColumnDef::new(Invitations::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(timestamp(Invitations::CreatedAt))
                    // Removing the member takes its links with it.
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitations_provider_user")
                            .from(Invitations::Table, Invitations::ProviderUserId)
                            .to(ProviderUsers::Table, ProviderUsers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitations_organization_user")
                            .from(Invitations::Table, Invitations::OrganizationUserId)
                            .to(OrganizationUsers::Table, OrganizationUsers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_invitations_token_hash")
                    .table(Invitations::Table)
                    .col(Invitations::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invitations_provider_user")
                    .table(Invitations::Table)
                    .col(Invitations::ProviderUserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invitations_organization_user")
                    .table(Invitations::Table)
                    .col(Invitations::OrganizationUserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_provider_users_email_status")
                    .table(ProviderUsers::Table)
                    .col(ProviderUsers::Email)
                    .col(ProviderUsers::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_organization_users_email_status")
                    .table(OrganizationUsers::Table)
                    .col(OrganizationUsers::Email)
                    .col(OrganizationUsers::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            (
                "ix_organization_users_email_status",
                OrganizationUsers::Table.into_iden(),
            ),
            (
                "ix_provider_users_email_status",
                ProviderUsers::Table.into_iden(),
            ),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Invitations::Table).to_owned())
            .await
    }
}
