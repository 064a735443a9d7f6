use sea_orm::entity::prelude::*;

/// Append-only: events are inserted in the transaction of the change they record, never updated.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// Bitwarden's numbering where one exists (1800s provider users, 1900s clients, ...).
    pub r#type: i32,
    pub acting_user_id: Option<i64>,
    pub provider_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub target_kind: Option<String>,
    pub target_id: Option<i64>,
    pub details: Option<String>,
    pub ip: Option<String>,
    pub device: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
