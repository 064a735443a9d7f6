use sea_orm::entity::prelude::*;

/// Generated once per period and never edited.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub provider_id: Option<i64>,
    pub organization_id: Option<i64>,
    /// `YYYY-MM`.
    pub period: String,
    /// The invoice lines as JSON.
    pub lines: String,
    pub total_cents: i64,
    pub status: String,
    pub issued_at: DateTimeUtc,
    /// Who it was billed to when issued (`billing::types::BilledTo` as JSON); `None` for
    /// invoices issued before it was kept.
    pub billed_to: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
