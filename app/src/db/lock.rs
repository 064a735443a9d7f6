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
