use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization_users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// Null while the invitation has not been accepted.
    pub user_id: Option<i64>,
    pub email: String,
    /// `owner`, `admin`, `user` or `custom`.
    pub r#type: String,
    /// `invited`, `accepted`, `confirmed` or `revoked`; all but `revoked` take a seat.
    pub status: String,
    /// Custom permission flags, a bit set.
    pub permissions: i64,
    pub reset_password_enrolled: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id"
    )]
    Organization,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
