use sea_orm::entity::prelude::*;

/// An organization's collection (migration m20261202_000018); its name is a type-2 envelope
/// under the organization key.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "collections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    /// An identifier from a directory or an import, kept as given.
    pub external_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub revision_date: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
