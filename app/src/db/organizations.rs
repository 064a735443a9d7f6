use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// `name` case-folded by the application (see `organizations::types::name_key`): what
    /// search and sort by name use.
    pub name_key: String,
    pub billing_email: String,
    pub billing_address: Option<String>,
    pub tax_id: Option<String>,
    /// `free`, `families`, `teams` or `enterprise`.
    pub plan: String,
    /// `monthly` or `annual`.
    pub billing_cycle: String,
    /// The "Assigned" column of the Clients page.
    pub seats: i32,
    pub enabled: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
