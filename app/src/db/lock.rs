//! Serializing writers that must see each other's effects (seat sums, eligibility, "at least
//! one owner"). A transaction calls one of these before its first read: on PostgreSQL the
//! no-op update takes the row lock until commit; on SQLite the first write takes the database's
//! write lock up front (a deferred transaction that read first could not upgrade while
//! another writer is active and would fail with SQLITE_BUSY instead of waiting).

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{organizations, providers};
use crate::error::AppError;
use crate::ids::{OrganizationId, ProviderId};

/// Locks the provider's row; `NotFound` when there is none.
pub async fn provider(db: &impl ConnectionTrait, id: ProviderId) -> Result<(), AppError> {
    let result = providers::Entity::update_many()
        .col_expr(
            providers::Column::Id,
            Expr::col(providers::Column::Id).into(),
        )
        .filter(providers::Column::Id.eq(id.0))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Locks the organization's row; `NotFound` when there is none.
pub async fn organization(db: &impl ConnectionTrait, id: OrganizationId) -> Result<(), AppError> {
    let result = organizations::Entity::update_many()
        .col_expr(
            organizations::Column::Id,
            Expr::col(organizations::Column::Id).into(),
        )
        .filter(organizations::Column::Id.eq(id.0))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Locks the organization an organization member belongs to, by the member's id, in one
/// statement: a caller that knows only the member locks before reading anything of it.
/// `NotFound` when the member is gone.
pub async fn organization_of_member(
    db: &impl ConnectionTrait,
    member: crate::ids::OrganizationUserId,
) -> Result<(), AppError> {
    use super::organization_users;
    use sea_orm::QuerySelect;
    use sea_orm::QueryTrait;
    let owner = organization_users::Entity::find()
        .select_only()
        .column(organization_users::Column::OrganizationId)
        .filter(organization_users::Column::Id.eq(member.0))
        .into_query();
    let result = organizations::Entity::update_many()
        .col_expr(
            organizations::Column::Id,
            Expr::col(organizations::Column::Id).into(),
        )
        .filter(organizations::Column::Id.in_subquery(owner))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Locks the provider a provider member belongs to, by the member's id (see
/// [`organization_of_member`]).
pub async fn provider_of_member(
    db: &impl ConnectionTrait,
    member: crate::ids::ProviderUserId,
) -> Result<(), AppError> {
    use super::provider_users;
    use sea_orm::QuerySelect;
    use sea_orm::QueryTrait;
    let owner = provider_users::Entity::find()
        .select_only()
        .column(provider_users::Column::ProviderId)
        .filter(provider_users::Column::Id.eq(member.0))
        .into_query();
    let result = providers::Entity::update_many()
        .col_expr(
            providers::Column::Id,
            Expr::col(providers::Column::Id).into(),
        )
        .filter(providers::Column::Id.in_subquery(owner))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
