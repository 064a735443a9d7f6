//! An organization's items (V2, V3). The gate let the caller in with `ViewVaultItems`, which a
//! provider's role in its client never holds (V2); here each write is checked against the
//! caller's access to the item's collections: editing needs a collection one may edit in,
//! changing an item's collections and deleting it for good need one one may manage, and
//! Owners, Admins and Custom members who may edit any collection reach every item.
//!
//! Writes that touch collections hold the organization's lock, so a collection deleted at the
//! same moment is either gone before the check or still there when the item is linked.

use std::collections::BTreeSet;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
};

use super::reach::{collections_of, given_collections};
use super::service::{ItemOwner, checked, insert_item, write_item};
use super::types::{ItemInput, MAX_COLLECTIONS_PER_ITEM, Rights, Written};
use crate::auth::Capability;
use crate::auth::gate::InOrganization;
use crate::crypto::EncString;
use crate::db::{ciphers, collection_ciphers, lock};
use crate::error::{AppError, Refusal};
use crate::events::service::{EventContext, NewEvent, item_details, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{CollectionId, ItemId};

/// What the caller may do in each collection of the organization: everything, or what they
/// were given.
async fn rights_in(
    db: &impl ConnectionTrait,
    access: &InOrganization,
) -> Result<CollectionRights, AppError> {
    if access.require(Capability::EditAnyItem).is_ok() {
        return Ok(CollectionRights::All);
    }
    let given = given_collections(db, &access.actor, &[access.organization()]).await?;
    Ok(CollectionRights::Given(
        given
            .into_iter()
            .map(|(collection, (_, rights))| (collection, rights))
            .collect(),
    ))
}

enum CollectionRights {
    All,
    Given(std::collections::HashMap<CollectionId, Rights>),
}

impl CollectionRights {
    fn of(&self, collection: CollectionId) -> Option<Rights> {
        match self {
            Self::All => Some(Rights::FULL),
            Self::Given(given) => given.get(&collection).copied(),
        }
    }

    /// The caller's rights over an item in `collections`; none if they cannot see it (an item
    /// in no collection is seen only by those who see everything).
    fn over(&self, collections: &[CollectionId]) -> Option<Rights> {
        match self {
            Self::All => Some(Rights::FULL),
            Self::Given(_) => collections
                .iter()
                .filter_map(|c| self.of(*c))
                .reduce(Rights::union),
        }
    }
}

/// The collections named for an item: at least one, the organization's own, each one the
/// caller may put items in. Returns them without repeats.
async fn placeable(
    db: &impl ConnectionTrait,
    access: &InOrganization,
    rights: &CollectionRights,
    wanted: &[CollectionId],
) -> Result<Vec<CollectionId>, AppError> {
    let wanted: Vec<CollectionId> = wanted
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if wanted.is_empty() {
        return Err(AppError::Refused(Refusal::CollectionRequired));
    }
    if wanted.len() > MAX_COLLECTIONS_PER_ITEM {
        return Err(AppError::BadRequest);
    }
    let found = collections_of(db, access.organization(), &wanted).await?;
    if found.len() != wanted.len() {
        return Err(AppError::Refused(Refusal::UnknownCollection));
    }
    if wanted
        .iter()
        .any(|c| !rights.of(*c).is_some_and(|r| r.edit))
    {
        return Err(AppError::Refused(Refusal::CollectionReadOnly));
    }
    Ok(wanted)
}

async fn link(
    db: &impl ConnectionTrait,
    item: ItemId,
    collections: &[CollectionId],
) -> Result<(), AppError> {
    collection_ciphers::Entity::insert_many(collections.iter().map(|c| {
        collection_ciphers::ActiveModel {
            collection_id: Set(c.0),
            cipher_id: Set(item.0),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// The item's collections (one query).
async fn collections_of_item(
    db: &impl ConnectionTrait,
    item: ItemId,
) -> Result<Vec<CollectionId>, AppError> {
    let ids: Vec<i64> = collection_ciphers::Entity::find()
        .select_only()
        .column(collection_ciphers::Column::CollectionId)
        .filter(collection_ciphers::Column::CipherId.eq(item.0))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().map(CollectionId).collect())
}

/// The organization's item and the caller's rights over it; not found when the caller cannot
/// see it (an item of another organization is not found either).
async fn reachable(
    db: &impl ConnectionTrait,
    access: &InOrganization,
    rights: &CollectionRights,
    item: ItemId,
) -> Result<(ciphers::Model, Vec<CollectionId>, Rights), AppError> {
    let row = ciphers::Entity::find_by_id(item.0)
        .filter(ciphers::Column::OrganizationId.eq(access.organization().0))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let collections = collections_of_item(db, item).await?;
    let over = rights.over(&collections).ok_or(AppError::NotFound)?;
    Ok((row, collections, over))
}

fn item_event(access: &InOrganization, kind: EventType, item: ItemId) -> NewEvent {
    NewEvent::new(kind)
        .organization(access.organization())
        .target(EventTarget::Item(item.0))
}

/// A new item of the organization, in `collections`.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    access: &InOrganization,
    context: &EventContext,
    collections: &[CollectionId],
    input: ItemInput,
) -> Result<Written, AppError> {
    let data = checked(&input)?;
    let kind = u8::from(input.item.kind);
    let txn = crate::db::begin_write(db).await?;
    lock::organization(&txn, access.organization()).await?;
    let rights = rights_in(&txn, access).await?;
    let collections = placeable(&txn, access, &rights, collections).await?;
    let written = insert_item(&txn, owner(access), &input, data).await?;
    let id = written.id;
    link(&txn, id, &collections).await?;
    record(
        &txn,
        context,
        item_event(access, EventType::ItemCreated, id),
        Some(item_details(id, kind)),
    )
    .await?;
    txn.commit().await?;
    Ok(written)
}

/// Changes an item the caller may edit, if it is still at `revision`.
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    access: &InOrganization,
    context: &EventContext,
    id: ItemId,
    revision: i64,
    input: ItemInput,
) -> Result<Written, AppError> {
    let data = checked(&input)?;
    let kind = u8::from(input.item.kind);
    let txn = crate::db::begin_write(db).await?;
    let rights = rights_in(&txn, access).await?;
    let (_, _, over) = reachable(&txn, access, &rights, id).await?;
    if !over.edit {
        return Err(AppError::Refused(Refusal::CollectionReadOnly));
    }
    let change = ciphers::Entity::update_many()
        .col_expr(ciphers::Column::Type, Expr::value(i16::from(kind)))
        .col_expr(ciphers::Column::Key, Expr::value(input.key.to_string()))
        .col_expr(ciphers::Column::Data, Expr::value(data));
    let written = write_item(&txn, owner(access), id, revision, change).await?;
    record(
        &txn,
        context,
        item_event(access, EventType::ItemUpdated, id),
        Some(item_details(id, kind)),
    )
    .await?;
    txn.commit().await?;
    Ok(written)
}

const fn owner(access: &InOrganization) -> ItemOwner {
    ItemOwner::Organization(access.scope.organization_id)
}

/// Moves an item the caller may edit to the trash, or back.
pub async fn trash(
    db: &(impl ConnectionTrait + TransactionTrait),
    access: &InOrganization,
    context: &EventContext,
    id: ItemId,
    revision: i64,
    trash: bool,
) -> Result<Written, AppError> {
    let txn = crate::db::begin_write(db).await?;
    let rights = rights_in(&txn, access).await?;
    let (row, _, over) = reachable(&txn, access, &rights, id).await?;
    if !over.edit {
        return Err(AppError::Refused(Refusal::CollectionReadOnly));
    }
    let change = ciphers::Entity::update_many().col_expr(
        ciphers::Column::DeletedAt,
        Expr::value(trash.then(Utc::now)),
    );
    let written = write_item(&txn, owner(access), id, revision, change).await?;
    let kind = if trash {
        EventType::ItemTrashed
    } else {
        EventType::ItemRestored
    };
    record(
        &txn,
        context,
        item_event(access, kind, id),
        Some(item_details(id, kind_of(&row))),
    )
    .await?;
    txn.commit().await?;
    Ok(written)
}

fn kind_of(row: &ciphers::Model) -> u8 {
    u8::try_from(row.r#type).unwrap_or_default()
}

/// Deletes an item in the trash for good: the caller manages it.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    access: &InOrganization,
    context: &EventContext,
    id: ItemId,
) -> Result<(), AppError> {
    let txn = crate::db::begin_write(db).await?;
    let rights = rights_in(&txn, access).await?;
    let (row, _, over) = reachable(&txn, access, &rights, id).await?;
    if !over.manage {
        return Err(AppError::Forbidden);
    }
    super::service::delete_item(&txn, owner(access), id).await?;
    record(
        &txn,
        context,
        item_event(access, EventType::ItemDeleted, id),
        Some(item_details(id, kind_of(&row))),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Puts an item the caller manages in `collections` instead of the ones it is in; collections
/// the caller cannot see keep the item (a member changes only what they were given).
pub async fn set_collections(
    db: &(impl ConnectionTrait + TransactionTrait),
    access: &InOrganization,
    context: &EventContext,
    id: ItemId,
    revision: i64,
    collections: &[CollectionId],
) -> Result<Written, AppError> {
    let txn = crate::db::begin_write(db).await?;
    lock::organization(&txn, access.organization()).await?;
    let rights = rights_in(&txn, access).await?;
    let (row, current, over) = reachable(&txn, access, &rights, id).await?;
    if !over.manage {
        return Err(AppError::Forbidden);
    }
    let hidden: Vec<CollectionId> = current
        .iter()
        .copied()
        .filter(|c| rights.of(*c).is_none())
        .collect();
    // Left only in collections the caller cannot see, the item is still in one.
    let wanted = if collections.is_empty() && !hidden.is_empty() {
        Vec::new()
    } else {
        placeable(&txn, access, &rights, collections).await?
    };
    let written = write_item(
        &txn,
        owner(access),
        id,
        revision,
        ciphers::Entity::update_many(),
    )
    .await?;
    collection_ciphers::Entity::delete_many()
        .filter(collection_ciphers::Column::CipherId.eq(id.0))
        .filter(collection_ciphers::Column::CollectionId.is_not_in(hidden.iter().map(|c| c.0)))
        .exec(&txn)
        .await?;
    let added: Vec<CollectionId> = wanted.into_iter().filter(|c| !hidden.contains(c)).collect();
    if !added.is_empty() {
        link(&txn, id, &added).await?;
    }
    record(
        &txn,
        context,
        item_event(access, EventType::ItemCollectionsChanged, id),
        Some(item_details(id, kind_of(&row))),
    )
    .await?;
    txn.commit().await?;
    Ok(written)
}

/// Moves one of the caller's own items into the organization: only its key changes (the
/// browser re-wrapped it under the organization key); its sealed fields stay as they are.
pub async fn move_in(
    db: &(impl ConnectionTrait + TransactionTrait),
    access: &InOrganization,
    context: &EventContext,
    id: ItemId,
    revision: i64,
    key: EncString,
    collections: &[CollectionId],
) -> Result<Written, AppError> {
    let txn = crate::db::begin_write(db).await?;
    lock::organization(&txn, access.organization()).await?;
    let rights = rights_in(&txn, access).await?;
    let collections = placeable(&txn, access, &rights, collections).await?;
    let change = ciphers::Entity::update_many()
        .col_expr(ciphers::Column::UserId, Expr::value(Option::<i64>::None))
        .col_expr(
            ciphers::Column::OrganizationId,
            Expr::value(access.organization().0),
        )
        .col_expr(ciphers::Column::Key, Expr::value(key.to_string()));
    let written = write_item(
        &txn,
        ItemOwner::User(access.actor.user_id),
        id,
        revision,
        change,
    )
    .await?;
    link(&txn, id, &collections).await?;
    let kind = ciphers::Entity::find_by_id(id.0)
        .one(&txn)
        .await?
        .map_or(0, |row| kind_of(&row));
    record(
        &txn,
        context,
        item_event(access, EventType::ItemMovedToOrganization, id),
        Some(item_details(id, kind)),
    )
    .await?;
    txn.commit().await?;
    Ok(written)
}
