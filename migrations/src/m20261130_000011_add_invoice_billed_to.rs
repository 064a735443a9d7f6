//! Invoices keep who they were billed to (issue 16): the provider's name, business name,
//! billing email, address and tax id as they were when the invoice was issued, as JSON. A
//! later change of the provider's details does not rewrite a statement already issued.
//! Invoices issued before this column existed have none; they show the current details.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Invoices {
    Table,
    BilledTo,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .add_column(ColumnDef::new(Invoices::BilledTo).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .drop_column(Invoices::BilledTo)
                    .to_owned(),
            )
            .await
    }
}
