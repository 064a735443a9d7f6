//! What the vault's server functions take and give: sealed items, never their contents.

use serde::{Deserialize, Serialize};

use crate::crypto::EncString;
use crate::crypto::vault::SealedItem;
use crate::ids::ItemId;

/// The most an item's sealed JSON may weigh (its notes, fields and history included): well
/// above what a person types into one item (sealing adds about a third), and below the
/// server's 64 KiB request limit with room for the rest of the body.
pub const MAX_ITEM_BYTES: usize = 48_000;

/// Items handed out per page of a listing (the browser asks for the next page after `after`).
pub const ITEM_PAGE_SIZE: u64 = 500;

/// An item as the browser sends it: its own key, wrapped under the owner's key, and the item
/// with every user string sealed under that key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItemInput {
    pub key: EncString,
    pub item: SealedItem,
}

/// An item as stored, for the browser to open.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredItem {
    pub id: ItemId,
    pub key: EncString,
    pub item: SealedItem,
    /// What a write must name (V4): a write based on an older revision changes nothing.
    pub revision: i64,
    /// In the trash (V5).
    pub trashed: bool,
}

/// One page of a listing, in id order; `next` is where the following page starts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItemPage {
    pub items: Vec<StoredItem>,
    pub next: Option<ItemId>,
}

/// What a write left: the item and its new revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub id: ItemId,
    pub revision: i64,
}
