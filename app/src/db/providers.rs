use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "providers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub business_name: Option<String>,
    pub billing_email: String,
    pub billing_address: Option<String>,
    pub tax_id: Option<String>,
    pub enabled: bool,
    pub service_users_may_purchase_seats: bool,
    pub created_at: DateTimeUtc,
    /// When the provider's key was made (its first admin's browser); `None` until then, for a
    /// provider the operator's command line made.
    pub keys_made_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
