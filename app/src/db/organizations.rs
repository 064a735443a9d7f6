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

/// The organization with the provider it is a client of (one query), or `None` when there is
/// no such organization. What the guard's scope is built from.
pub async fn scope_of(
    db: &impl ConnectionTrait,
    organization: crate::ids::OrganizationId,
) -> Result<Option<crate::auth::OrgScope>, DbErr> {
    use super::provider_organizations;
    use sea_orm::{JoinType, QuerySelect};
    let row: Option<(i64, Option<i64>)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(provider_organizations::Column::ProviderId)
        .join(
            JoinType::LeftJoin,
            Entity::belongs_to(provider_organizations::Entity)
                .from(Column::Id)
                .to(provider_organizations::Column::OrganizationId)
                .into(),
        )
        .filter(Column::Id.eq(organization.0))
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.map(|(id, provider)| crate::auth::OrgScope {
        organization_id: crate::ids::OrganizationId(id),
        provider_id: provider.map(crate::ids::ProviderId),
    }))
}
