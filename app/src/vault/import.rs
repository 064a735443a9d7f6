//! Importing (issue 23, VAULT.md §5, rule V6): the browser reads the file (`portal-import`),
//! seals every item and every new folder or collection name, and sends the lot in one request
//! to a route of its own (`server/src/import.rs`, which allows a larger body than server
//! functions do). Here it is stored all or nothing, in one transaction: a failure midway leaves
//! nothing behind.
//!
//! Into a personal vault: the caller's own account. Into an organization: `ImportVaultData`
//! there, which Owners, Admins, Custom members with the import right and the provider's users
//! in a client hold (V2: a provider user may import but not read what they imported). The
//! import is recorded in the organization's log and, for a provider user, in the provider's.

use serde::{Deserialize, Serialize};

use super::types::ItemInput;
use crate::crypto::EncString;
use crate::ids::{CollectionId, FolderId};

/// The most items and folders or collections one import brings (the file reader's limits).
pub use portal_import::{MAX_CONTAINERS, MAX_ITEMS};

/// The route a personal import is sent to.
pub const OWN_IMPORT: &str = "/vault/import";
/// The route an organization's import is sent to (`{organization}`: its id).
pub const ORGANIZATION_IMPORT: &str = "/organizations/{organization}/vault/import";
/// The largest import body the server reads. Server functions take at most 64 KiB; 10,000
/// sealed items of a typical size weigh about 15 MB.
pub const MAX_IMPORT_BODY_BYTES: usize = 64 * 1024 * 1024;

/// A folder (personal) or collection (organization) that imported items go into: one that
/// exists (the browser matched the file's name against the names it can open) or a new one,
/// its name sealed under the user or organization key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Container {
    Folder(FolderId),
    Collection(CollectionId),
    New(EncString),
}

/// One item to import: sealed like any new item, and where it goes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportItem {
    #[serde(flatten)]
    pub input: ItemInput,
    pub favorite: bool,
    /// Positions in [`ImportRequest::containers`].
    pub containers: Vec<u32>,
}

/// What the browser sends: never the file, never a plaintext string (V1).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportRequest {
    /// The file's format (`portal_import::Format::slug`), for the event log.
    pub format: String,
    pub containers: Vec<Container>,
    pub items: Vec<ImportItem>,
}

/// What an import stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub items: u32,
    /// New folders or collections made.
    pub containers: u32,
}

#[cfg(feature = "ssr")]
pub use service::{import_into_organization, import_own};

#[cfg(feature = "ssr")]
mod service {
    use chrono::Utc;
    use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
    use sea_orm::{PaginatorTrait, TransactionTrait};

    use super::{Container, ImportOutcome, ImportRequest};
    use crate::auth::gate::InOrganization;
    use crate::auth::{Actor, Capability};
    use crate::db::lock;
    use crate::db::{cipher_folders, ciphers, collection_ciphers, collections, favorites, folders};
    use crate::error::{AppError, Refusal};
    use crate::events::service::{EventContext, NewEvent, record};
    use crate::events::types::EventType;
    use crate::vault::service::{checked, name_to_store};

    /// Rows inserted per statement when linking (well under SQLite's 32,766 variables).
    const BATCH: usize = 1_000;

    /// Imports into the caller's own vault; folders are the containers (an item goes into its
    /// first).
    pub async fn import_own(
        db: &(impl ConnectionTrait + TransactionTrait),
        actor: &Actor,
        request: ImportRequest,
    ) -> Result<ImportOutcome, AppError> {
        let data = checked_request(&request)?;
        let user = actor.user_id.0;
        let txn = crate::db::begin_write(db).await?;
        let now = Utc::now();
        let mut made = 0;
        let named = existing(&request, |container| match container {
            Container::Folder(id) => Some(id.0),
            _ => None,
        });
        let mine = folders::Entity::find()
            .filter(folders::Column::Id.is_in(named.clone()))
            .filter(folders::Column::UserId.eq(user))
            .count(&txn)
            .await?;
        if mine != named.len() as u64 {
            return Err(AppError::Refused(Refusal::UnknownFolder));
        }
        let mut folder_ids = Vec::with_capacity(request.containers.len());
        for container in &request.containers {
            folder_ids.push(match container {
                Container::Folder(id) => id.0,
                Container::New(name) => {
                    made += 1;
                    folders::ActiveModel {
                        user_id: Set(user),
                        name: Set(name_to_store(name)?),
                        created_at: Set(now),
                        revision_date: Set(now),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?
                    .id
                }
                Container::Collection(_) => return Err(AppError::BadRequest),
            });
        }
        let ids = insert_items(&txn, Some(user), None, &request, data).await?;
        let filed = request.items.iter().zip(&ids).filter_map(|(item, id)| {
            let folder = folder_ids.get(*item.containers.first()? as usize)?;
            Some(cipher_folders::ActiveModel {
                user_id: Set(user),
                cipher_id: Set(*id),
                folder_id: Set(*folder),
            })
        });
        insert_batches(&txn, filed.collect(), |batch| {
            cipher_folders::Entity::insert_many(batch)
        })
        .await?;
        let liked = request
            .items
            .iter()
            .zip(&ids)
            .filter(|(item, _)| item.favorite);
        let liked = liked.map(|(_, id)| favorites::ActiveModel {
            user_id: Set(user),
            cipher_id: Set(*id),
        });
        insert_batches(&txn, liked.collect(), |batch| {
            favorites::Entity::insert_many(batch)
        })
        .await?;
        txn.commit().await?;
        outcome(ids.len(), made)
    }

    /// Imports into an organization; collections are the containers.
    pub async fn import_into_organization(
        db: &(impl ConnectionTrait + TransactionTrait),
        access: &InOrganization,
        context: &EventContext,
        request: ImportRequest,
    ) -> Result<ImportOutcome, AppError> {
        access.require(Capability::ImportVaultData)?;
        let data = checked_request(&request)?;
        let organization = access.organization();
        let txn = crate::db::begin_write(db).await?;
        lock::organization(&txn, organization).await?;
        let now = Utc::now();
        let mut made = 0;
        let named = existing(&request, |container| match container {
            Container::Collection(id) => Some(id.0),
            _ => None,
        });
        let ours = collections::Entity::find()
            .filter(collections::Column::Id.is_in(named.clone()))
            .filter(collections::Column::OrganizationId.eq(organization.0))
            .count(&txn)
            .await?;
        if ours != named.len() as u64 {
            return Err(AppError::Refused(Refusal::UnknownCollection));
        }
        let mut collection_ids = Vec::with_capacity(request.containers.len());
        for container in &request.containers {
            collection_ids.push(match container {
                Container::Collection(id) => id.0,
                Container::New(name) => {
                    made += 1;
                    collections::ActiveModel {
                        organization_id: Set(organization.0),
                        name: Set(name_to_store(name)?),
                        created_at: Set(now),
                        revision_date: Set(now),
                        ..Default::default()
                    }
                    .insert(&txn)
                    .await?
                    .id
                }
                Container::Folder(_) => return Err(AppError::BadRequest),
            });
        }
        let ids = insert_items(&txn, None, Some(organization.0), &request, data).await?;
        let mut links = Vec::new();
        for (item, id) in request.items.iter().zip(&ids) {
            let mut seen = Vec::new();
            for at in &item.containers {
                let Some(collection) = collection_ids.get(*at as usize).copied() else {
                    continue;
                };
                if !seen.contains(&collection) {
                    seen.push(collection);
                    links.push(collection_ciphers::ActiveModel {
                        collection_id: Set(collection),
                        cipher_id: Set(*id),
                    });
                }
            }
        }
        insert_batches(&txn, links, |batch| {
            collection_ciphers::Entity::insert_many(batch)
        })
        .await?;
        // One event for the import (not one per item): in the organization's log, and in the
        // provider's when a provider user imported into a client.
        let mut event = NewEvent::new(EventType::VaultImported).organization(organization);
        if let Some(provider) = access.scope.provider_id {
            event = event.provider(provider);
        }
        let details = serde_json::json!({
            "imported": ids.len(),
            "format": request.format,
        });
        record(&txn, context, event, Some(details.to_string())).await?;
        txn.commit().await?;
        outcome(ids.len(), made)
    }

    /// The existing folders or collections the request names (`id_of` picks them), each once:
    /// checked against their owner in one query, not one per container.
    fn existing(request: &ImportRequest, id_of: impl Fn(&Container) -> Option<i64>) -> Vec<i64> {
        let mut ids: Vec<i64> = request.containers.iter().filter_map(id_of).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Every item's form and size (as a single new item's), the container positions, the
    /// counts and the format, before anything is written; returns each item's JSON to store.
    fn checked_request(request: &ImportRequest) -> Result<Vec<String>, AppError> {
        if request.items.is_empty() {
            return Err(AppError::BadRequest);
        }
        if request.items.len() > portal_import::MAX_ITEMS {
            return Err(AppError::Refused(Refusal::ImportTooLarge));
        }
        if request.containers.len() > portal_import::MAX_CONTAINERS {
            return Err(AppError::Refused(Refusal::ImportTooLarge));
        }
        if portal_import::Format::from_slug(&request.format).is_none() {
            return Err(AppError::BadRequest);
        }
        let containers = request.containers.len();
        request
            .items
            .iter()
            .map(|item| {
                if item.containers.iter().any(|at| *at as usize >= containers) {
                    return Err(AppError::BadRequest);
                }
                checked(&item.input)
            })
            .collect()
    }

    /// Inserts the items, one statement each (each insert gives back its id on SQLite and
    /// PostgreSQL alike), in the caller's transaction; returns their ids in order.
    async fn insert_items(
        txn: &impl ConnectionTrait,
        user: Option<i64>,
        organization: Option<i64>,
        request: &ImportRequest,
        data: Vec<String>,
    ) -> Result<Vec<i64>, AppError> {
        let now = Utc::now();
        let mut ids = Vec::with_capacity(data.len());
        for (item, data) in request.items.iter().zip(data) {
            let row = ciphers::ActiveModel {
                user_id: Set(user),
                organization_id: Set(organization),
                r#type: Set(i16::from(u8::from(item.input.item.kind))),
                key: Set(item.input.key.to_string()),
                data: Set(data),
                revision: Set(1),
                created_at: Set(now),
                revision_date: Set(now),
                ..Default::default()
            };
            let inserted = ciphers::Entity::insert(row).exec(txn).await?;
            ids.push(inserted.last_insert_id);
        }
        Ok(ids)
    }

    /// Inserts `rows` in statements of [`BATCH`] rows.
    async fn insert_batches<A, F>(
        txn: &impl ConnectionTrait,
        rows: Vec<A>,
        insert: F,
    ) -> Result<(), AppError>
    where
        A: sea_orm::ActiveModelTrait,
        <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
        F: Fn(Vec<A>) -> sea_orm::Insert<A>,
    {
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let batch: Vec<A> = rows.by_ref().take(BATCH).collect();
            insert(batch).exec_without_returning(txn).await?;
        }
        Ok(())
    }

    fn outcome(items: usize, containers: u32) -> Result<ImportOutcome, AppError> {
        Ok(ImportOutcome {
            items: u32::try_from(items).map_err(|_| AppError::Internal)?,
            containers,
        })
    }
}
