//! What the vault's server functions take and give: sealed items, never their contents.

use serde::{Deserialize, Serialize};

use crate::crypto::EncString;
use crate::crypto::vault::SealedItem;
use crate::ids::{CollectionId, FolderId, ItemId, OrganizationId, OrganizationUserId};

/// The most an item's sealed JSON may weigh (its notes, fields and history included): well
/// above what a person types into one item (sealing adds about a third), and below the
/// server's 64 KiB request limit with room for the rest of the body.
pub const MAX_ITEM_BYTES: usize = 48_000;

/// The most a sealed folder or collection name may weigh: a name of 200 characters sealed is
/// about 1 KB.
pub const MAX_NAME_BYTES: usize = 2_000;

/// Items handed out per page of a listing (the browser asks for the next page after `after`).
pub const ITEM_PAGE_SIZE: u64 = 500;

/// A custom field's type, as Bitwarden numbers them.
pub const FIELD_TEXT: u8 = 0;
pub const FIELD_HIDDEN: u8 = 1;
pub const FIELD_BOOLEAN: u8 = 2;
/// Follows another field of the item (`linked_id`: 100 the username, 101 the password, …).
pub const FIELD_LINKED: u8 = 3;

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

/// What a write left: the item and its new revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub id: ItemId,
    pub revision: i64,
}

/// What a linked custom field of each item type may follow, in the order the editor offers
/// them: Bitwarden's `LinkedIdType` numbers (login 100–101, card 300–305, identity 400–418),
/// so a field linked here follows the same field in Bitwarden's clients.
pub fn linkable(kind: crate::crypto::vault::ItemType) -> &'static [u32] {
    use crate::crypto::vault::ItemType;
    match kind {
        ItemType::Login => &[100, 101],
        ItemType::Card => &[300, 304, 305, 301, 302, 303],
        ItemType::Identity => &[418, 416, 417, 409, 410, 411, 413],
        ItemType::SecureNote | ItemType::SshKey => &[],
    }
}

/// The name of the field a linked field follows, in the reader's language (`None` for a
/// number this portal does not show: Bitwarden's clients know more identity fields).
pub fn linked_name(locale: crate::i18n::Locale, linked: u32) -> Option<String> {
    use crate::i18n::td_string;
    let name = match linked {
        100 | 413 => td_string!(locale, vault.username),
        101 => td_string!(locale, vault.password),
        300 => td_string!(locale, vault.cardholder),
        301 => td_string!(locale, vault.exp_month),
        302 => td_string!(locale, vault.exp_year),
        303 => td_string!(locale, vault.security_code),
        304 => td_string!(locale, vault.brand),
        305 => td_string!(locale, vault.card_number),
        409 => td_string!(locale, vault.company),
        410 => td_string!(locale, vault.email),
        411 => td_string!(locale, vault.phone),
        416 => td_string!(locale, vault.first_name),
        417 => td_string!(locale, vault.last_name),
        418 => td_string!(locale, vault.full_name),
        _ => return None,
    };
    Some(name.to_string())
}

/// A type's name in the reader's language (the event log and the Vault page).
pub fn kind_name(locale: crate::i18n::Locale, kind: crate::crypto::vault::ItemType) -> String {
    use crate::crypto::vault::ItemType;
    use crate::i18n::td_string;
    match kind {
        ItemType::Login => td_string!(locale, vault.kind_login).to_string(),
        ItemType::SecureNote => td_string!(locale, vault.kind_note).to_string(),
        ItemType::Card => td_string!(locale, vault.kind_card).to_string(),
        ItemType::Identity => td_string!(locale, vault.kind_identity).to_string(),
        ItemType::SshKey => td_string!(locale, vault.kind_ssh_key).to_string(),
    }
}

/// A member's access to a collection (V3), as the Collections page offers it. "Except
/// passwords" is kept by the member's browser, which holds the key: the page says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Access {
    CanView,
    CanViewExceptPasswords,
    CanEdit,
    CanEditExceptPasswords,
    CanManage,
}

impl Access {
    pub const ALL: [Self; 5] = [
        Self::CanView,
        Self::CanViewExceptPasswords,
        Self::CanEdit,
        Self::CanEditExceptPasswords,
        Self::CanManage,
    ];

    /// As stored: `(read_only, hide_passwords, manage)`.
    pub const fn flags(self) -> (bool, bool, bool) {
        match self {
            Self::CanView => (true, false, false),
            Self::CanViewExceptPasswords => (true, true, false),
            Self::CanEdit => (false, false, false),
            Self::CanEditExceptPasswords => (false, true, false),
            Self::CanManage => (false, false, true),
        }
    }

    /// From the stored flags; `manage` wins, as it does for the rights it gives.
    pub const fn from_flags(read_only: bool, hide_passwords: bool, manage: bool) -> Self {
        match (read_only, hide_passwords, manage) {
            (_, _, true) => Self::CanManage,
            (true, false, _) => Self::CanView,
            (true, true, _) => Self::CanViewExceptPasswords,
            (false, false, _) => Self::CanEdit,
            (false, true, _) => Self::CanEditExceptPasswords,
        }
    }
}

/// What the caller may do with one item they can see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rights {
    pub edit: bool,
    /// The browser shows no password (V3: the member holds the key, so this is a courtesy
    /// the browser keeps, which the page says).
    pub hide_passwords: bool,
    /// Change the item's collections, delete it for good.
    pub manage: bool,
}

impl Rights {
    /// Seen through nothing: the default for an item whose collections the caller lost.
    pub const NONE: Self = Self {
        edit: false,
        hide_passwords: true,
        manage: false,
    };

    /// The owner's, or an Owner's or Admin's in their organization.
    pub const FULL: Self = Self {
        edit: true,
        hide_passwords: false,
        manage: true,
    };

    /// The most generous of several collections' access (an item in two collections is as
    /// open as the more open one).
    pub fn union(self, other: Self) -> Self {
        Self {
            edit: self.edit || other.edit,
            hide_passwords: self.hide_passwords && other.hide_passwords,
            manage: self.manage || other.manage,
        }
    }

    pub const fn of(access: Access) -> Self {
        let (read_only, hide_passwords, manage) = access.flags();
        Self {
            edit: !read_only || manage,
            hide_passwords: hide_passwords && !manage,
            manage,
        }
    }
}

/// An item the caller may open, with where it sits for them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VisibleItem {
    #[serde(flatten)]
    pub stored: StoredItem,
    /// Its organization (its key is under that organization's key), or none for one's own.
    pub organization: Option<OrganizationId>,
    pub collections: Vec<CollectionId>,
    /// The caller's own folder for it.
    pub folder: Option<FolderId>,
    pub favorite: bool,
    pub rights: Rights,
}

/// A folder of the caller's; its name is sealed under the user key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Folder {
    pub id: FolderId,
    pub name: EncString,
}

/// A collection the caller can see items of, with their access to it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VisibleCollection {
    pub id: CollectionId,
    pub organization: OrganizationId,
    /// Sealed under the organization key.
    pub name: EncString,
    pub rights: Rights,
}

/// One page of everything the caller may open (V2: a provider user's access to a client is
/// not a member's, so no client item is here unless they are a member). The first page also
/// carries the caller's folders and collections.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SyncPage {
    pub items: Vec<VisibleItem>,
    pub next: Option<ItemId>,
    pub folders: Vec<Folder>,
    pub collections: Vec<VisibleCollection>,
    /// The caller's copy of each organization's key it may open items of (type 4, to the
    /// caller's public key: what Confirm gave it).
    pub keys: Vec<OrganizationKey>,
}

/// A member's copy of an organization's key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OrganizationKey {
    pub organization: OrganizationId,
    /// Its name (not secret: organizations' names are stored in the clear).
    pub name: String,
    pub key: crate::crypto::WrappedKey,
}

/// The most collections one item may be in, and one collection's members in one write: far
/// above real use, low enough to bound one statement.
pub const MAX_COLLECTIONS_PER_ITEM: usize = 100;
pub const MAX_ACCESS_ROWS: usize = 1_000;

/// A member's access, as the Collections page edits it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberAccess {
    pub member: OrganizationUserId,
    pub access: Access,
}

/// A new or changed collection: its name sealed under the organization key, and who may see
/// its items (Owners and Admins see every item without being named).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CollectionInput {
    pub name: EncString,
    pub access: Vec<MemberAccess>,
}

/// One collection on the Collections page.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CollectionRow {
    pub id: CollectionId,
    pub name: EncString,
    pub items: u64,
    pub access: Vec<MemberAccess>,
}

/// A confirmed member who can be given access (Owners and Admins see everything already).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Grantee {
    pub member: OrganizationUserId,
    pub email: String,
    pub name: Option<String>,
}

/// The Collections page: every collection of the organization, the members who can be given
/// access, and the organization's items in no collection (only Owners and Admins see those).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CollectionsPage {
    pub collections: Vec<CollectionRow>,
    pub grantees: Vec<Grantee>,
    pub unassigned: u64,
    /// How the viewer's browser reaches the organization's key (to open the names).
    pub key: Option<crate::members::types::PlaceKey>,
    /// The viewer may open the organization's items (a provider user who is not also a
    /// member may not, V2: the page says so).
    pub sees_items: bool,
}
