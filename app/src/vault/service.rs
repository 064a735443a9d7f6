//! Personal items: what the server does with them is check their form, keep them, and let
//! only their owner read or change them. Every write is one conditional statement on the item's
//! owner and revision, so a stale write (V4) or someone else's changes nothing.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::types::{ITEM_PAGE_SIZE, ItemInput, ItemPage, MAX_ITEM_BYTES, StoredItem, Written};
use crate::auth::Actor;
use crate::db::ciphers;
use crate::error::{AppError, Refusal};
use crate::ids::ItemId;

/// The item's form, which the types could not check (its data matches its type, history and
/// small numbers in range), and its size; returns the JSON to store.
fn checked(input: &ItemInput) -> Result<String, AppError> {
    input
        .item
        .check()
        .map_err(|_| AppError::Refused(Refusal::MalformedItem))?;
    let data = serde_json::to_string(&input.item).map_err(|_| AppError::Internal)?;
    if data.len() > MAX_ITEM_BYTES {
        return Err(AppError::Refused(Refusal::MalformedItem));
    }
    Ok(data)
}

/// The caller's own items, one page in id order (one query).
pub async fn list_own(
    db: &impl ConnectionTrait,
    actor: &Actor,
    after: Option<ItemId>,
) -> Result<ItemPage, AppError> {
    let mut rows = ciphers::Entity::find()
        .filter(ciphers::Column::UserId.eq(actor.user_id.0))
        .filter(ciphers::Column::Id.gt(after.map_or(0, |id| id.0)))
        .order_by_asc(ciphers::Column::Id)
        .limit(ITEM_PAGE_SIZE + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > ITEM_PAGE_SIZE;
    rows.truncate(usize::try_from(ITEM_PAGE_SIZE).unwrap_or(usize::MAX));
    let items = rows
        .into_iter()
        .map(stored)
        .collect::<Result<Vec<_>, _>>()?;
    let next = more.then(|| items.last().map(|item| item.id)).flatten();
    Ok(ItemPage { items, next })
}

fn stored(row: ciphers::Model) -> Result<StoredItem, AppError> {
    let broken = |what: &str| {
        tracing::error!(item = row.id, what, "a stored item does not parse");
        AppError::Internal
    };
    Ok(StoredItem {
        id: ItemId(row.id),
        key: row.key.parse().map_err(|_| broken("key"))?,
        item: serde_json::from_str(&row.data).map_err(|_| broken("data"))?,
        revision: row.revision,
        trashed: row.deleted_at.is_some(),
    })
}

/// A new item of the caller's own.
pub async fn create_own(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: ItemInput,
) -> Result<Written, AppError> {
    let data = checked(&input)?;
    let now = Utc::now();
    let row = ciphers::ActiveModel {
        user_id: Set(Some(actor.user_id.0)),
        r#type: Set(i16::from(u8::from(input.item.kind))),
        key: Set(input.key.to_string()),
        data: Set(data),
        revision: Set(1),
        created_at: Set(now),
        revision_date: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(Written {
        id: ItemId(row.id),
        revision: row.revision,
    })
}

/// Changes one of the caller's items, if it is still at `revision`.
pub async fn update_own(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: ItemId,
    revision: i64,
    input: ItemInput,
) -> Result<Written, AppError> {
    let data = checked(&input)?;
    let change = ciphers::Entity::update_many()
        .col_expr(
            ciphers::Column::Type,
            Expr::value(i16::from(u8::from(input.item.kind))),
        )
        .col_expr(ciphers::Column::Key, Expr::value(input.key.to_string()))
        .col_expr(ciphers::Column::Data, Expr::value(data));
    write_own(db, actor, id, revision, change).await
}

/// Moves one of the caller's items to the trash, or back, if it is still at `revision`.
pub async fn trash_own(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: ItemId,
    revision: i64,
    trash: bool,
) -> Result<Written, AppError> {
    let deleted_at = trash.then(Utc::now);
    let change = ciphers::Entity::update_many()
        .col_expr(ciphers::Column::DeletedAt, Expr::value(deleted_at));
    write_own(db, actor, id, revision, change).await
}

/// One conditional statement: the change, the next revision and its date, only on the caller's
/// item at `revision`. Nothing written: someone else's or no such item (not found), or a newer
/// revision (conflict: the browser offers to reload).
async fn write_own(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: ItemId,
    revision: i64,
    change: sea_orm::UpdateMany<ciphers::Entity>,
) -> Result<Written, AppError> {
    let written = change
        .col_expr(
            ciphers::Column::Revision,
            Expr::col(ciphers::Column::Revision).add(1),
        )
        .col_expr(ciphers::Column::RevisionDate, Expr::value(Utc::now()))
        .filter(ciphers::Column::Id.eq(id.0))
        .filter(ciphers::Column::UserId.eq(actor.user_id.0))
        .filter(ciphers::Column::Revision.eq(revision))
        .exec(db)
        .await?;
    if written.rows_affected == 1 {
        return Ok(Written {
            id,
            revision: revision + 1,
        });
    }
    let mine = ciphers::Entity::find_by_id(id.0)
        .filter(ciphers::Column::UserId.eq(actor.user_id.0))
        .one(db)
        .await?;
    Err(match mine {
        Some(_) => AppError::Conflict,
        None => AppError::NotFound,
    })
}
