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
    pub r#type: crate::vocabulary::OrgUserType,
    /// `invited`, `accepted`, `confirmed` or `revoked`; all but `revoked` take a seat.
    pub status: crate::vocabulary::MemberStatus,
    /// Custom permission flags, a bit set.
    pub permissions: i64,
    pub reset_password_enrolled: bool,
    pub created_at: DateTimeUtc,
    /// The organization key, type 4 to the member's public key: set by Confirm (issue 21).
    pub key: Option<String>,
    /// The member's user key, type 4 to the organization's public key: set by enrolling in
    /// account recovery.
    pub reset_password_key: Option<String>,
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

/// The statuses that take a seat, as stored (DESIGN.md §2: all but Revoked).
pub fn seat_taking_statuses() -> [&'static str; 3] {
    use crate::members::types::MemberStatus;
    [
        MemberStatus::Invited.as_str(),
        MemberStatus::Accepted.as_str(),
        MemberStatus::Confirmed.as_str(),
    ]
}

/// Seats taken in one organization (a count; the `organizations.used_seats` column kept by
/// triggers is what lists read).
pub async fn used_seats(
    db: &impl ConnectionTrait,
    organization: crate::ids::OrganizationId,
) -> Result<i64, DbErr> {
    use sea_orm::{PaginatorTrait, QueryFilter};
    let used = Entity::find()
        .filter(Column::OrganizationId.eq(organization.0))
        .filter(Column::Status.is_in(seat_taking_statuses()))
        .count(db)
        .await?;
    Ok(i64::try_from(used).unwrap_or(i64::MAX))
}
