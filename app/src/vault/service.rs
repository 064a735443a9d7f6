//! Personal items, and what every item write shares: the server checks an item's form, keeps
//! it, and lets only those it belongs to read or change it. Every write is one conditional statement on the item's
//! owner and revision, so a stale write (V4) or someone else's changes nothing.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::types::{ItemInput, MAX_ITEM_BYTES, MAX_NAME_BYTES, StoredItem, Written};
use crate::auth::Actor;
use crate::crypto::EncString;
use crate::db::ciphers;
use crate::error::{AppError, Refusal};
use crate::ids::{ItemId, OrganizationId, UserId};

/// The item's form, which the types could not check (its data matches its type, history and
/// small numbers in range), and its size; returns the JSON to store.
pub(super) fn checked(input: &ItemInput) -> Result<String, AppError> {
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

/// A sealed name to store, refused over [`MAX_NAME_BYTES`] (the forms take far less: only a
/// broken client sends more).
pub(super) fn name_to_store(name: &EncString) -> Result<String, AppError> {
    let name = name.to_string();
    if name.len() > MAX_NAME_BYTES {
        return Err(AppError::BadRequest);
    }
    Ok(name)
}

/// A sealed name as stored (a folder's or a collection's): the server only ever wrote
/// well-formed envelopes there, so one that does not parse is a damaged row.
pub(super) fn sealed_name(text: &str, what: &'static str, id: i64) -> Result<EncString, AppError> {
    text.parse().map_err(|_| {
        tracing::error!(what, id, "a stored name does not parse");
        AppError::Internal
    })
}

pub(super) fn stored(row: ciphers::Model) -> Result<StoredItem, AppError> {
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
    insert_item(db, ItemOwner::User(actor.user_id), &input, data).await
}

/// Stores a new item of `owner` at revision 1 (`data`: the checked JSON of `input`).
pub(super) async fn insert_item(
    db: &impl ConnectionTrait,
    owner: ItemOwner,
    input: &ItemInput,
    data: String,
) -> Result<Written, AppError> {
    let now = Utc::now();
    let (user, organization) = match owner {
        ItemOwner::User(user) => (Some(user.0), None),
        ItemOwner::Organization(organization) => (None, Some(organization.0)),
    };
    let row = ciphers::ActiveModel {
        user_id: Set(user),
        organization_id: Set(organization),
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
    write_item(db, ItemOwner::User(actor.user_id), id, revision, change).await
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
    write_item(db, ItemOwner::User(actor.user_id), id, revision, change).await
}

/// Whose an item is: a user's own, or an organization's.
#[derive(Clone, Copy, Debug)]
pub enum ItemOwner {
    User(UserId),
    Organization(OrganizationId),
}

impl ItemOwner {
    fn condition(self) -> sea_orm::Condition {
        let condition = sea_orm::Condition::all();
        match self {
            Self::User(user) => condition.add(ciphers::Column::UserId.eq(user.0)),
            Self::Organization(org) => condition.add(ciphers::Column::OrganizationId.eq(org.0)),
        }
    }
}

/// One conditional statement: the change, the next revision and its date, only on the owner's
/// item at `revision`. Nothing written: another owner's or no such item (not found), or a newer
/// revision (conflict: the browser offers to reload).
pub(super) async fn write_item(
    db: &impl ConnectionTrait,
    owner: ItemOwner,
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
        .filter(owner.condition())
        .filter(ciphers::Column::Revision.eq(revision))
        .exec(db)
        .await?;
    if written.rows_affected == 1 {
        return Ok(Written {
            id,
            revision: revision + 1,
        });
    }
    let exists = ciphers::Entity::find_by_id(id.0)
        .filter(owner.condition())
        .one(db)
        .await?;
    Err(match exists {
        Some(_) => AppError::Conflict,
        None => AppError::NotFound,
    })
}

/// Deletes the owner's item for good if it is in the trash (one statement).
pub(super) async fn delete_item(
    db: &impl ConnectionTrait,
    owner: ItemOwner,
    id: ItemId,
) -> Result<(), AppError> {
    let deleted = ciphers::Entity::delete_many()
        .filter(ciphers::Column::Id.eq(id.0))
        .filter(owner.condition())
        .filter(ciphers::Column::DeletedAt.is_not_null())
        .exec(db)
        .await?;
    if deleted.rows_affected == 1 {
        return Ok(());
    }
    let exists = ciphers::Entity::find_by_id(id.0)
        .filter(owner.condition())
        .one(db)
        .await?;
    Err(match exists {
        Some(_) => AppError::Refused(Refusal::NotInTrash),
        None => AppError::NotFound,
    })
}

/// Deletes one of the caller's items in the trash for good.
pub async fn delete_own(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: ItemId,
) -> Result<(), AppError> {
    delete_item(db, ItemOwner::User(actor.user_id), id).await
}

/// How long an item stays in the trash (V5).
pub const TRASH_DAYS: i64 = 30;

/// The hourly job's part: items in the trash for longer than [`TRASH_DAYS`] are deleted for
/// good (their collections, folders and favourites go with them). Returns how many.
pub async fn purge_trash(
    db: &impl ConnectionTrait,
    now: chrono::DateTime<Utc>,
) -> Result<u64, AppError> {
    let deleted = ciphers::Entity::delete_many()
        .filter(ciphers::Column::DeletedAt.lt(now - chrono::Duration::days(TRASH_DAYS)))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}
