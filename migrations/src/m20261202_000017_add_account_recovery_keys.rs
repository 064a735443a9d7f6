//! Account recovery that keeps the vault (issue 21, VAULT.md §2): an account an admin recovered
//! must choose a new master password at its next sign-in (`users.must_change_password`), and an
//! enrolment is the member's user key wrapped to the organization's public key
//! (`organization_users.reset_password_key`, added by migration 16).
//!
//! Enrolments made before keys existed hold no key, so nothing could recover those accounts:
//! they are withdrawn here, and the Password Manager offers enrolment again while the policy is
//! on. Afterwards "enrolled" and "holds a recovery key" are the same thing.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    MustChangePassword,
}

#[derive(DeriveIden)]
enum OrganizationUsers {
    Table,
    ResetPasswordEnrolled,
    ResetPasswordKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::MustChangePassword)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        let withdraw = Query::update()
            .table(OrganizationUsers::Table)
            .value(OrganizationUsers::ResetPasswordEnrolled, false)
            .and_where(Expr::col(OrganizationUsers::ResetPasswordEnrolled).eq(true))
            .and_where(Expr::col(OrganizationUsers::ResetPasswordKey).is_null())
            .to_owned();
        manager.exec_stmt(withdraw).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::MustChangePassword)
                    .to_owned(),
            )
            .await
    }
}
