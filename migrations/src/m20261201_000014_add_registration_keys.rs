//! Zero-knowledge registration (issue 20): a registration waiting for its mailed link keeps the
//! keys the browser made (JSON of `portal_crypto::AccountKeys`: wrapped user key, public key,
//! wrapped private key, KDF settings) until the link creates the account. Its `password_hash`
//! column now holds the Argon2id hash of the login hash, as `users.password_hash` does.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EmailVerifications {
    Table,
    AccountKeys,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(EmailVerifications::Table)
                    .add_column(
                        ColumnDef::new(EmailVerifications::AccountKeys)
                            .text()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(EmailVerifications::Table)
                    .drop_column(EmailVerifications::AccountKeys)
                    .to_owned(),
            )
            .await
    }
}
