use sea_orm::entity::prelude::*;

/// The link that makes an organization a provider's client (at most one provider each).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "provider_organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub provider_id: i64,
    #[sea_orm(unique)]
    pub organization_id: i64,
    pub created_at: DateTimeUtc,
    /// The client's organization key, type 2 under the provider key.
    pub key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
