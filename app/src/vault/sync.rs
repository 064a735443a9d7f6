//! Sync: everything the caller may open, one page at a time, in a fixed number of statements
//! per page (the items; their collections; the caller's folders and favourites for them; the
//! caller's collections, once), whatever the vault's size.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::reach::{Reach, given_collections, visible};
use super::service::stored;
use super::types::{
    Folder, ITEM_PAGE_SIZE, OrganizationKey, Rights, SyncPage, VisibleCollection, VisibleItem,
};
use crate::auth::Actor;
use crate::db::{
    cipher_folders, ciphers, collection_ciphers, collections, favorites, folders,
    organization_users, organizations,
};
use crate::error::AppError;
use crate::ids::{CollectionId, FolderId, ItemId, OrganizationId};
use crate::vocabulary::MemberStatus;

/// One page of the caller's vault in id order from after `after`; the first page (`after` is
/// none) also carries the caller's folders and collections.
pub async fn page(
    db: &impl ConnectionTrait,
    actor: &Actor,
    after: Option<ItemId>,
) -> Result<SyncPage, AppError> {
    let reach = Reach::of(actor);
    let mut rows = ciphers::Entity::find()
        .filter(visible(actor, &reach))
        .filter(ciphers::Column::Id.gt(after.map_or(0, |id| id.0)))
        .order_by_asc(ciphers::Column::Id)
        .limit(ITEM_PAGE_SIZE + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > ITEM_PAGE_SIZE;
    rows.truncate(usize::try_from(ITEM_PAGE_SIZE).unwrap_or(usize::MAX));
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();

    let given = given_collections(db, actor, &reach.by_collection).await?;
    let mut item_collections: HashMap<i64, Vec<CollectionId>> = HashMap::new();
    let org_items: Vec<i64> = rows
        .iter()
        .filter(|row| row.organization_id.is_some())
        .map(|row| row.id)
        .collect();
    if !org_items.is_empty() {
        let links: Vec<(i64, i64)> = collection_ciphers::Entity::find()
            .select_only()
            .column(collection_ciphers::Column::CipherId)
            .column(collection_ciphers::Column::CollectionId)
            .filter(collection_ciphers::Column::CipherId.is_in(org_items))
            .order_by_asc(collection_ciphers::Column::CollectionId)
            .into_tuple()
            .all(db)
            .await?;
        for (item, collection) in links {
            item_collections
                .entry(item)
                .or_default()
                .push(CollectionId(collection));
        }
    }
    let (placed, starred) = placement(db, actor, &ids).await?;

    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let organization = row.organization_id.map(OrganizationId);
        let collections = item_collections.remove(&row.id).unwrap_or_default();
        let rights = match organization {
            None => Rights::FULL,
            Some(org) if reach.sees_everything_in(org) => Rights::FULL,
            Some(_) => collections
                .iter()
                .filter_map(|c| given.get(c).map(|(_, rights)| *rights))
                .reduce(Rights::union)
                .unwrap_or(Rights::NONE),
        };
        let id = row.id;
        items.push(VisibleItem {
            stored: stored(row)?,
            organization,
            // A member is shown only the collections they were given.
            collections: if organization.is_some_and(|org| !reach.sees_everything_in(org)) {
                collections
                    .into_iter()
                    .filter(|c| given.contains_key(c))
                    .collect()
            } else {
                collections
            },
            folder: placed.get(&id).copied(),
            favorite: starred.contains(&id),
            rights,
        });
    }
    let next = more
        .then(|| items.last().map(|item| item.stored.id))
        .flatten();

    let (folders, collections, keys) = if after.is_none() {
        (
            own_folders(db, actor).await?,
            visible_collections(db, &reach, &given).await?,
            organization_keys(db, actor, &reach).await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    Ok(SyncPage {
        items,
        next,
        folders,
        collections,
        keys,
    })
}

/// The caller's folder and favourite marks for `items` (two queries).
async fn placement(
    db: &impl ConnectionTrait,
    actor: &Actor,
    items: &[i64],
) -> Result<(HashMap<i64, FolderId>, HashSet<i64>), AppError> {
    if items.is_empty() {
        return Ok((HashMap::new(), HashSet::new()));
    }
    let placed: Vec<(i64, i64)> = cipher_folders::Entity::find()
        .select_only()
        .column(cipher_folders::Column::CipherId)
        .column(cipher_folders::Column::FolderId)
        .filter(cipher_folders::Column::UserId.eq(actor.user_id.0))
        .filter(cipher_folders::Column::CipherId.is_in(items.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let starred: Vec<i64> = favorites::Entity::find()
        .select_only()
        .column(favorites::Column::CipherId)
        .filter(favorites::Column::UserId.eq(actor.user_id.0))
        .filter(favorites::Column::CipherId.is_in(items.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok((
        placed
            .into_iter()
            .map(|(item, folder)| (item, FolderId(folder)))
            .collect(),
        starred.into_iter().collect(),
    ))
}

/// The caller's copies of the keys of the organizations it may open items of (one query).
async fn organization_keys(
    db: &impl ConnectionTrait,
    actor: &Actor,
    reach: &Reach,
) -> Result<Vec<OrganizationKey>, AppError> {
    let organizations: Vec<i64> = reach
        .everything
        .iter()
        .chain(&reach.by_collection)
        .map(|o| o.0)
        .collect();
    if organizations.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, Option<String>, String)> = organization_users::Entity::find()
        .select_only()
        .column(organization_users::Column::OrganizationId)
        .column(organization_users::Column::Key)
        .column_as(
            sea_orm::sea_query::Expr::col((organizations::Entity, organizations::Column::Name)),
            "name",
        )
        .join(
            sea_orm::JoinType::InnerJoin,
            organization_users::Entity::belongs_to(organizations::Entity)
                .from(organization_users::Column::OrganizationId)
                .to(organizations::Column::Id)
                .into(),
        )
        .filter(organization_users::Column::UserId.eq(actor.user_id.0))
        .filter(organization_users::Column::Status.eq(MemberStatus::Confirmed))
        .filter(organization_users::Column::OrganizationId.is_in(organizations))
        .order_by_asc(organization_users::Column::OrganizationId)
        .into_tuple()
        .all(db)
        .await?;
    // A membership confirmed before keys existed holds none: its items cannot be opened here
    // until it is confirmed again, and the page says which organization.
    Ok(rows
        .into_iter()
        .filter_map(|(organization, key, name)| {
            Some(OrganizationKey {
                organization: OrganizationId(organization),
                name,
                key: key?.parse().ok()?,
            })
        })
        .collect())
}

pub async fn own_folders(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<Folder>, AppError> {
    folders::Entity::find()
        .filter(folders::Column::UserId.eq(actor.user_id.0))
        .order_by_asc(folders::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            Ok(Folder {
                id: FolderId(row.id),
                name: super::service::sealed_name(&row.name, "folder", row.id)?,
            })
        })
        .collect()
}

/// Every collection of the organizations the caller sees whole, and the ones they were given
/// elsewhere (one query).
async fn visible_collections(
    db: &impl ConnectionTrait,
    reach: &Reach,
    given: &HashMap<CollectionId, (OrganizationId, Rights)>,
) -> Result<Vec<VisibleCollection>, AppError> {
    if reach.everything.is_empty() && given.is_empty() {
        return Ok(Vec::new());
    }
    let rows = collections::Entity::find()
        .filter(
            Condition::any()
                .add(
                    collections::Column::OrganizationId.is_in(reach.everything.iter().map(|o| o.0)),
                )
                .add(collections::Column::Id.is_in(given.keys().map(|c| c.0))),
        )
        .order_by_asc(collections::Column::Id)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let organization = OrganizationId(row.organization_id);
            let id = CollectionId(row.id);
            let rights = if reach.sees_everything_in(organization) {
                Rights::FULL
            } else {
                given.get(&id).map_or(Rights::NONE, |(_, rights)| *rights)
            };
            Ok(VisibleCollection {
                id,
                organization,
                name: super::service::sealed_name(&row.name, "collection", row.id)?,
                rights,
            })
        })
        .collect()
}
