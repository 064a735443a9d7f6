//! Vault server functions, thin: gate → service. A user's own items are reached through their
//! own account (`gate::account`); item bodies are JSON, read as sealed items at the door, so a
//! body with a plaintext string, an unknown field or an envelope of another type is refused
//! before anything runs (V1).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::types::{ItemInput, ItemPage, Written};
use crate::error::AppError;
use crate::ids::ItemId;

#[cfg(feature = "ssr")]
use crate::auth::gate;

/// The caller's own items, one page in id order from after `after`.
#[server(prefix = "/api", endpoint = "vault/items")]
pub async fn my_items(after: Option<ItemId>) -> Result<ItemPage, AppError> {
    let call = gate::account().await?;
    super::service::list_own(&call.context.db, &call.actor, after).await
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
