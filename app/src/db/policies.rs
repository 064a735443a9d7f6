use sea_orm::entity::prelude::*;

/// One organization policy (migration m20261126_000008): no row means off.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// `account_recovery`, `two_step_login` or `master_password`.
    pub kind: String,
    pub enabled: bool,
    /// The kind's settings as JSON (`{}` when it has none).
    pub data: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
