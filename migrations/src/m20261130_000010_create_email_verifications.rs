//! Verified addresses (issue 16): an address counts for invitations only once its owner proved
//! they receive its mail.
//! - `users.email_verified_at`: when the current address was verified; NULL = unverified.
//!   Accounts that exist before this migration are unverified: nobody ever proved them (the
//!   operator can verify them with `server user verify`, and an invitation link proves its
//!   address when used).
//! - `email_verifications`: one mailed single-use link each, only its SHA-256 stored:
//!   `register` (a new account waiting for its address: name, language and password hash
//!   kept until the link is used) or `change` (an account's new address, applied when used).
//! - `login_attempts.purpose`: the throttle counts registrations and email changes too.
//! - `users.totp_pending_secret` / `totp_pending_at`: the two-step secret being set up stays on
//!   the server; the browser only shows it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    EmailVerifiedAt,
    TotpPendingSecret,
    TotpPendingAt,
}

#[derive(DeriveIden)]
enum EmailVerifications {
    Table,
    Id,
    TokenHash,
    Purpose,
    UserId,
    Email,
    Name,
    Locale,
    PasswordHash,
    RedirectTo,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Purpose,
    Ip,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE statement.
        for column in [
            ColumnDef::new(Users::EmailVerifiedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Users::TotpPendingSecret)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(Users::TotpPendingAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(EmailVerifications::Table)
                    .col(
                        ColumnDef::new(EmailVerifications::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::Purpose)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::UserId)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::Email)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::Name)
                            .string_len(100)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::Locale)
                            .string_len(8)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::PasswordHash)
                            .text()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::RedirectTo)
                            .string_len(2048)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::UsedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(EmailVerifications::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // A change goes with its account.
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmailVerifications::Table, EmailVerifications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_email_verifications_user_id")
                    .table(EmailVerifications::Table)
                    .col(EmailVerifications::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(LoginAttempts::Table)
                    .add_column(
                        ColumnDef::new(LoginAttempts::Purpose)
                            .string_len(16)
                            .not_null()
                            .default("sign_in"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_attempts_purpose_ip_at")
                    .table(LoginAttempts::Table)
                    .col(LoginAttempts::Purpose)
                    .col(LoginAttempts::Ip)
                    .col(LoginAttempts::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_login_attempts_purpose_ip_at")
                    .table(LoginAttempts::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(LoginAttempts::Table)
                    .drop_column(LoginAttempts::Purpose)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(EmailVerifications::Table).to_owned())
            .await?;
        for column in [
            Users::TotpPendingAt,
            Users::TotpPendingSecret,
            Users::EmailVerifiedAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
