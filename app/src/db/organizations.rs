use sea_orm::entity::prelude::*;
use sea_orm::sea_query::SelectStatement;

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
    pub plan: crate::vocabulary::Plan,
    /// `monthly` or `annual`.
    pub billing_cycle: crate::vocabulary::BillingCycle,
    /// The "Assigned" column of the Clients page.
    pub seats: i32,
    pub enabled: bool,
    pub created_at: DateTimeUtc,
    /// The organization's RSA public key (base64 SPKI DER), made in the creating browser.
    pub public_key: Option<String>,
    /// Its private key, PKCS#8 DER type 2 under the organization key (account recovery).
    pub private_key: Option<String>,
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

/// DESIGN.md rule 9, as a query: organizations `user` owns (confirmed) that are enabled, have
/// seats, are on Teams or Enterprise, and belong to no provider.
pub fn eligible_statement(user: crate::ids::UserId) -> SelectStatement {
    use super::{organization_users, provider_organizations};
    use crate::members::types::{MemberStatus, OrgUserType};
    use crate::organizations::types::Plan;
    use sea_orm::sea_query::{Alias, Expr, JoinType, Order, Query};
    let (o, ou, po) = (Alias::new("o"), Alias::new("ou"), Alias::new("po"));
    let linked = Query::select()
        .expr(Expr::val(1))
        .from_as(provider_organizations::Entity, po.clone())
        .and_where(
            Expr::col((po, provider_organizations::Column::OrganizationId))
                .equals((o.clone(), Column::Id)),
        )
        .to_owned();
    Query::select()
        .column((o.clone(), Column::Id))
        .column((o.clone(), Column::Name))
        .column((o.clone(), Column::Plan))
        .column((o.clone(), Column::Seats))
        // Whether it has keys at all, and the owner's copy of its key (type 4): the owner's
        // browser wraps that key under the provider key when adding it.
        .expr_as(
            Expr::col((o.clone(), Column::PublicKey)).is_not_null(),
            Alias::new("has_keys"),
        )
        .column((ou.clone(), organization_users::Column::Key))
        .from_as(Entity, o.clone())
        .join_as(
            JoinType::InnerJoin,
            organization_users::Entity,
            ou.clone(),
            Expr::col((ou.clone(), organization_users::Column::OrganizationId))
                .equals((o.clone(), Column::Id)),
        )
        .and_where(Expr::col((ou.clone(), organization_users::Column::UserId)).eq(user.0))
        .and_where(
            Expr::col((ou.clone(), organization_users::Column::Type))
                .eq(OrgUserType::Owner.as_str()),
        )
        .and_where(
            Expr::col((ou, organization_users::Column::Status))
                .eq(MemberStatus::Confirmed.as_str()),
        )
        .and_where(Expr::col((o.clone(), Column::Enabled)).eq(true))
        .and_where(Expr::col((o.clone(), Column::Seats)).gt(0))
        .and_where(
            Expr::col((o.clone(), Column::Plan))
                .is_in([Plan::Teams.as_str(), Plan::Enterprise.as_str()]),
        )
        .and_where(Expr::exists(linked).not())
        .order_by((o.clone(), Column::NameKey), Order::Asc)
        .order_by((o, Column::Id), Order::Asc)
        .to_owned()
}

/// Rule 4: whether "+ Add existing organization" is offered at all.
pub async fn has_eligible_organizations(
    db: &impl ConnectionTrait,
    user: crate::ids::UserId,
) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let statement = eligible_statement(user).limit(1).to_owned();
    Ok(db.query_one(backend.build(&statement)).await?.is_some())
}
