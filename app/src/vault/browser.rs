//! The vault's crypto in the browser (VAULT.md §3): opening what a sync brought with the keys
//! of this unlocked tab, and sealing what the user typed before it is sent. Each function is a
//! split point of the `account_keys` chunk (the crypto every key form already fetches), so
//! the Vault page's own chunk holds views only. On the server nothing calls them.

use std::collections::HashMap;

use leptos::wasm_split::wasm_split;
use portal_crypto::vault::{Item, new_item_key};
use portal_crypto::{EncString, PrivateKey, SymmetricKey, Zeroizing};

use super::types::{ItemInput, SyncPage};
use crate::accounts::browser::KeysError;
use crate::ids::{CollectionId, FolderId, ItemId, OrganizationId};
use crate::vault::types::Rights;

/// An item opened in this tab.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenItem {
    pub id: ItemId,
    pub revision: i64,
    /// Its own key as stored (wrapped under the owner's key): an edit seals with the same key.
    pub key: EncString,
    pub organization: Option<OrganizationId>,
    pub collections: Vec<CollectionId>,
    pub folder: Option<FolderId>,
    pub favorite: bool,
    pub trashed: bool,
    pub rights: Rights,
    pub item: Item<String>,
}

/// Everything a sync brought, opened.
#[derive(Clone, Debug, Default)]
pub struct OpenVault {
    pub items: Vec<OpenItem>,
    pub folders: Vec<(FolderId, String)>,
    pub collections: Vec<(CollectionId, OrganizationId, String)>,
    /// The organization keys this tab opened, to seal those organizations' items.
    pub keys: HashMap<OrganizationId, SymmetricKey>,
    /// The organizations' names (not secret: the server knows them).
    pub organizations: Vec<(OrganizationId, String)>,
    /// Items (or names) that did not open: made with a key this account no longer holds, or
    /// altered. The page says how many.
    pub unreadable: usize,
}

impl OpenVault {
    pub fn organization_name(&self, organization: OrganizationId) -> String {
        self.organizations
            .iter()
            .find(|(id, _)| *id == organization)
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    }
}

/// Opens one page of a sync into `vault` (what the pages before it opened): the organization
/// keys it carries with the private key (PKCS#8 DER, parsed only when a page has keys), each
/// item's key with its owner's key, and the item with its key. Page by page, so the next
/// page travels while this one opens (`ui::load`).
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn open_page(
    user_key: SymmetricKey,
    private_key: Zeroizing<Vec<u8>>,
    mut vault: OpenVault,
    page: SyncPage,
) -> Result<OpenVault, KeysError> {
    if !page.keys.is_empty() {
        let private = PrivateKey::from_pkcs8_der(&private_key).map_err(KeysError::Crypto)?;
        for held in page.keys {
            vault
                .organizations
                .push((held.organization, held.name.clone()));
            match private.unwrap_key(&held.key) {
                Ok(key) => {
                    vault.keys.insert(held.organization, key);
                }
                Err(_) => vault.unreadable += 1,
            }
        }
    }
    for folder in page.folders {
        match folder.name.decrypt_to_string(&user_key) {
            Ok(name) => vault.folders.push((folder.id, String::clone(&name))),
            Err(_) => vault.unreadable += 1,
        }
    }
    for collection in page.collections {
        let name = vault
            .keys
            .get(&collection.organization)
            .and_then(|key| collection.name.decrypt_to_string(key).ok());
        match name {
            Some(name) => vault.collections.push((
                collection.id,
                collection.organization,
                String::clone(&name),
            )),
            None => vault.unreadable += 1,
        }
    }
    vault.items.reserve(page.items.len());
    for visible in page.items {
        let owner = match visible.organization {
            None => Some(&user_key),
            Some(organization) => vault.keys.get(&organization),
        };
        let stored = visible.stored;
        let opened = owner
            .and_then(|owner| stored.key.decrypt_key(owner).ok())
            .and_then(|key| stored.item.open(&key).ok());
        let Some(item) = opened else {
            vault.unreadable += 1;
            continue;
        };
        vault.items.push(OpenItem {
            id: stored.id,
            revision: stored.revision,
            key: stored.key,
            organization: visible.organization,
            collections: visible.collections,
            folder: visible.folder,
            favorite: visible.favorite,
            trashed: stored.trashed,
            rights: visible.rights,
            item,
        });
    }
    Ok(vault)
}

/// Seals an item under its own key: the one it has (`key`, wrapped under `owner`), or a new
/// one for a new item.
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn seal_item(
    owner: SymmetricKey,
    key: Option<EncString>,
    item: Item<String>,
) -> Result<ItemInput, KeysError> {
    let (item_key, key) = match key {
        Some(key) => (
            key.decrypt_key(&owner)
                .map_err(|_| KeysError::DoesNotOpen)?,
            key,
        ),
        None => new_item_key(&owner),
    };
    Ok(ItemInput {
        key,
        item: item.seal(&item_key),
    })
}

/// Opens the organization's key (the viewer's own copy, or through its provider's key) and
/// with it the collections' names (none for a name that does not open).
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn open_names(
    private_key: Zeroizing<Vec<u8>>,
    place: crate::members::types::PlaceKey,
    names: Vec<EncString>,
) -> Result<(SymmetricKey, Vec<Option<String>>), KeysError> {
    let key = crate::accounts::browser::open_place_key(&private_key, place)?;
    let names = names
        .iter()
        .map(|name| {
            name.decrypt_to_string(&key)
                .ok()
                .map(|name| String::clone(&name))
        })
        .collect();
    Ok((key, names))
}

/// Seals a name (a folder's, under the user key; a collection's, under the organization key).
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn seal_name(key: SymmetricKey, name: String) -> Result<EncString, KeysError> {
    Ok(EncString::encrypt(&key, name.as_bytes()))
}

/// An item's key, taken from under one key (the user key) and wrapped under another (an
/// organization's), for moving the item into that organization: the item itself is not
/// sealed again (VAULT.md §4).
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn rewrap_item_key(
    from: SymmetricKey,
    to: SymmetricKey,
    key: EncString,
) -> Result<EncString, KeysError> {
    let item_key = key.decrypt_key(&from).map_err(|_| KeysError::DoesNotOpen)?;
    Ok(EncString::wrap_key(&to, &item_key))
}
