//! Organization and provider keys (issue 21, VAULT.md §1 and §3), all made in browsers: each
//! organization's key pair (the public key as base64 SPKI, the private key wrapped under the
//! organization key, for account recovery); each confirmed member's copy of the organization
//! key (type 4, to the member's public key) and, once enrolled in account recovery, their user
//! key wrapped to the organization's public key; each confirmed provider member's copy of the
//! provider key; each client's organization key wrapped under its provider's key; and when a
//! provider's key was made (NULL: not yet, for a provider the operator's command line made).
//!
//! All nullable: rows from before have no keys, and the portal says what is missing.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    PublicKey,
    PrivateKey,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganizationUsers {
    Table,
    Key,
    ResetPasswordKey,
}

#[derive(DeriveIden, Clone, Copy)]
enum ProviderUsers {
    Table,
    Key,
}

#[derive(DeriveIden, Clone, Copy)]
enum ProviderOrganizations {
    Table,
    Key,
}

#[derive(DeriveIden, Clone, Copy)]
enum Providers {
    Table,
    KeysMadeAt,
}

/// (table, column, is a timestamp): one column per statement, since SQLite alters one at a time.
fn columns() -> [(DynIden, DynIden, bool); 7] {
    [
        (
            Organizations::Table.into_iden(),
            Organizations::PublicKey.into_iden(),
            false,
        ),
        (
            Organizations::Table.into_iden(),
            Organizations::PrivateKey.into_iden(),
            false,
        ),
        (
            OrganizationUsers::Table.into_iden(),
            OrganizationUsers::Key.into_iden(),
            false,
        ),
        (
            OrganizationUsers::Table.into_iden(),
            OrganizationUsers::ResetPasswordKey.into_iden(),
            false,
        ),
        (
            ProviderUsers::Table.into_iden(),
            ProviderUsers::Key.into_iden(),
            false,
        ),
        (
            ProviderOrganizations::Table.into_iden(),
            ProviderOrganizations::Key.into_iden(),
            false,
        ),
        (
            Providers::Table.into_iden(),
            Providers::KeysMadeAt.into_iden(),
            true,
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column, timestamp) in columns() {
            let mut def = ColumnDef::new(column);
            if timestamp {
                def.timestamp_with_time_zone();
            } else {
                def.text();
            }
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(def.null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column, _) in columns().into_iter().rev() {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
