//! Vault server functions, thin: gate → service. A user's own items, folders and sync are
//! reached through their own account (`gate::account`); an organization's items through
//! `ViewVaultItems` there, which a provider's role in its client never holds (V2), and its
//! collections through `ManageCollections`. Item bodies are JSON, read as sealed items at the
//! door, so a body with a plaintext string, an unknown field or an envelope of another type is
//! refused before anything runs (V1).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::types::{CollectionInput, CollectionsPage, ItemInput, SyncPage, Written};
use crate::crypto::EncString;
use crate::error::AppError;
use crate::ids::{CollectionId, FolderId, ItemId, OrganizationId};

#[cfg(feature = "ssr")]
use crate::auth::{Capability, gate, gate::Within, request::event_context};

/// One page of everything the caller may open, from after `after`; the first page carries the
/// caller's folders and collections too.
#[server(prefix = "/api", endpoint = "vault/sync")]
pub async fn sync(after: Option<ItemId>) -> Result<SyncPage, AppError> {
    let call = gate::account().await?;
    super::sync::page(&call.context.db, &call.actor, after).await
}

/// A new item of the caller's own.
#[server(prefix = "/api", endpoint = "vault/create", input = Json)]
pub async fn create_item(input: ItemInput) -> Result<Written, AppError> {
    let call = gate::account().await?;
    super::service::create_own(&call.context.db, &call.actor, input).await
}

/// One of the caller's items, changed: `revision` is the one the browser read (V4).
#[server(prefix = "/api", endpoint = "vault/update", input = Json)]
pub async fn update_item(id: ItemId, revision: i64, input: ItemInput) -> Result<Written, AppError> {
    let call = gate::account().await?;
    super::service::update_own(&call.context.db, &call.actor, id, revision, input).await
}

/// Moves one of the caller's items to the trash (`trash`) or back out of it.
#[server(prefix = "/api", endpoint = "vault/trash")]
pub async fn trash_item(id: ItemId, revision: i64, trash: bool) -> Result<Written, AppError> {
    let call = gate::account().await?;
    super::service::trash_own(&call.context.db, &call.actor, id, revision, trash).await
}

/// Deletes one of the caller's items in the trash for good.
#[server(prefix = "/api", endpoint = "vault/delete")]
pub async fn delete_item(id: ItemId) -> Result<(), AppError> {
    let call = gate::account().await?;
    super::service::delete_own(&call.context.db, &call.actor, id).await
}

/// A new item of an organization, in `collections` (each one the caller may edit in).
#[server(prefix = "/api", endpoint = "vault/org-create", input = Json)]
pub async fn create_org_item(
    organization: OrganizationId,
    collections: Vec<CollectionId>,
    input: ItemInput,
) -> Result<Written, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ViewVaultItems).await?;
    let events = event_context(&access.actor);
    super::org_items::create(&context.db, &access, &events, &collections, input).await
}

/// An organization's item, changed (V4 as for one's own).
#[server(prefix = "/api", endpoint = "vault/org-update", input = Json)]
pub async fn update_org_item(
    organization: OrganizationId,
    id: ItemId,
    revision: i64,
    input: ItemInput,
) -> Result<Written, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ViewVaultItems).await?;
    let events = event_context(&access.actor);
    super::org_items::update(&context.db, &access, &events, id, revision, input).await
}

/// An organization's item to the trash, or back.
#[server(prefix = "/api", endpoint = "vault/org-trash")]
pub async fn trash_org_item(
    organization: OrganizationId,
    id: ItemId,
    revision: i64,
    trash: bool,
) -> Result<Written, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ViewVaultItems).await?;
    let events = event_context(&access.actor);
    super::org_items::trash(&context.db, &access, &events, id, revision, trash).await
}

/// An organization's item in the trash, deleted for good.
#[server(prefix = "/api", endpoint = "vault/org-delete")]
pub async fn delete_org_item(organization: OrganizationId, id: ItemId) -> Result<(), AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ViewVaultItems).await?;
    let events = event_context(&access.actor);
    super::org_items::delete(&context.db, &access, &events, id).await
}

/// The collections an organization's item is in, replaced.
#[server(prefix = "/api", endpoint = "vault/org-item-collections", input = Json)]
pub async fn set_item_collections(
    organization: OrganizationId,
    id: ItemId,
    revision: i64,
    collections: Vec<CollectionId>,
) -> Result<Written, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ViewVaultItems).await?;
    let events = event_context(&access.actor);
    super::org_items::set_collections(&context.db, &access, &events, id, revision, &collections)
        .await
}

/// One of the caller's items, moved into an organization: `key` is its item key re-wrapped
/// under the organization key in the caller's browser.
#[server(prefix = "/api", endpoint = "vault/move", input = Json)]
pub async fn move_item(
    organization: OrganizationId,
    id: ItemId,
    revision: i64,
    key: EncString,
    collections: Vec<CollectionId>,
) -> Result<Written, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ViewVaultItems).await?;
    let events = event_context(&access.actor);
    super::org_items::move_in(
        &context.db,
        &access,
        &events,
        id,
        revision,
        key,
        &collections,
    )
    .await
}

/// A new folder (`id` none) or a renamed one; the name is sealed under the user key.
#[server(prefix = "/api", endpoint = "vault/folder-save", input = Json)]
pub async fn save_folder(id: Option<FolderId>, name: EncString) -> Result<FolderId, AppError> {
    let call = gate::account().await?;
    super::folders::save(&call.context.db, &call.actor, id, &name).await
}

/// One of the caller's folders, deleted; its items stay, in no folder.
#[server(prefix = "/api", endpoint = "vault/folder-delete")]
pub async fn delete_folder(id: FolderId) -> Result<(), AppError> {
    let call = gate::account().await?;
    super::folders::delete(&call.context.db, &call.actor, id).await
}

/// Files an item the caller can open in one of their folders (or none), starred or not.
#[server(prefix = "/api", endpoint = "vault/place")]
pub async fn place_item(
    id: ItemId,
    folder: Option<FolderId>,
    favorite: bool,
) -> Result<(), AppError> {
    let call = gate::account().await?;
    super::folders::place(&call.context.db, &call.actor, id, folder, favorite).await
}

/// The Admin Console's Collections page.
#[server(prefix = "/api", endpoint = "vault/collections")]
pub async fn list_collections(organization: OrganizationId) -> Result<CollectionsPage, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ManageCollections).await?;
    super::collections::page(&context.db, &access).await
}

/// A new collection (`id` none) or a changed one.
#[server(prefix = "/api", endpoint = "vault/collection-save", input = Json)]
pub async fn save_collection(
    organization: OrganizationId,
    id: Option<CollectionId>,
    input: CollectionInput,
) -> Result<CollectionId, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ManageCollections).await?;
    let events = event_context(&access.actor);
    super::collections::save(&context.db, &access, &events, id, &input).await
}

/// A collection, deleted (one holding items only with `with_items`).
#[server(prefix = "/api", endpoint = "vault/collection-delete")]
pub async fn delete_collection(
    organization: OrganizationId,
    id: CollectionId,
    // A plain form's unticked box sends nothing.
    with_items: Option<bool>,
) -> Result<(), AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ManageCollections).await?;
    let events = event_context(&access.actor);
    super::collections::delete(
        &context.db,
        &access,
        &events,
        id,
        with_items.unwrap_or(false),
    )
    .await
}
