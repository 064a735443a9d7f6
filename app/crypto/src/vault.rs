//! Vault items (ciphers) in Bitwarden's field-level shape (VAULT.md §3): every string a user
//! typed is its own type-2 envelope under the item's own key, and the item key is wrapped under
//! the owner's key (the user key for a personal item, the organization key for a shared one).
//! Keeping Bitwarden's shape, rather than one sealed blob, lets the official Bitwarden clients
//! read and write the same rows later (§10).
//!
//! One generic shape serves both sides: [`Item<String>`] is what the browser shows and edits,
//! [`Item<EncString>`] ([`SealedItem`]) what it sends and the server stores. Because an
//! [`EncString`] only deserializes from a well-formed type-2 envelope, and every struct here
//! refuses fields it does not know, reading a request body as a [`SealedItem`] *is* the check
//! that no plaintext came along (rule V1); [`SealedItem::check`] adds what the types cannot say
//! (the data matches the item's type, at most five history entries, the small enums in range).
//!
//! Dates (`passwordRevisionDate`, `lastUsedDate`) stay plain, as in Bitwarden's shape: they say
//! when, not what.

use serde::{Deserialize, Serialize};

use crate::{CryptoError, EncString, SymmetricKey};

/// An item as it is stored and sent: every user string sealed.
pub type SealedItem = Item<EncString>;

/// The kinds of item, with Bitwarden's numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum ItemType {
    Login = 1,
    SecureNote = 2,
    Card = 3,
    Identity = 4,
    SshKey = 5,
}

impl TryFrom<u8> for ItemType {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, String> {
        Ok(match value {
            1 => Self::Login,
            2 => Self::SecureNote,
            3 => Self::Card,
            4 => Self::Identity,
            5 => Self::SshKey,
            other => return Err(format!("item type {other} is not known")),
        })
    }
}

impl From<ItemType> for u8 {
    fn from(kind: ItemType) -> Self {
        kind as u8
    }
}

/// Why an item was refused: what is wrong with its shape (never a secret).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ItemError {
    /// The item's data is missing, or data of another type came with it.
    #[error("the item's data does not match its type")]
    DataMismatch,
    /// More password-history entries than Bitwarden keeps.
    #[error("more than {MAX_PASSWORD_HISTORY} password-history entries")]
    TooMuchHistory,
    /// A small number (re-prompt, field type, URI match, note type) out of its range.
    #[error("{0} is out of range")]
    OutOfRange(&'static str),
}

/// Bitwarden keeps the last five passwords of a login.
pub const MAX_PASSWORD_HISTORY: usize = 5;

/// One vault item. `S` is `String` in the browser and [`EncString`] on the wire. (The explicit
/// `bound`s: serde would otherwise ask `S: Default` for every defaulted field.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[serde(bound(deserialize = "S: Deserialize<'de>"))]
pub struct Item<S> {
    #[serde(rename = "type")]
    pub kind: ItemType,
    pub name: S,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<S>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<Login<S>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_note: Option<SecureNote>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Card<S>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity<S>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<SshKey<S>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field<S>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub password_history: Vec<PasswordHistory<S>>,
    /// 1: ask for the master password again before showing it.
    #[serde(default)]
    pub reprompt: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[serde(bound(deserialize = "S: Deserialize<'de>"))]
pub struct Login<S> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<S>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<S>,
    /// The TOTP secret (or `otpauth://` URI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<S>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uris: Vec<LoginUri<S>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_revision_date: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[serde(bound(deserialize = "S: Deserialize<'de>"))]
pub struct LoginUri<S> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<S>,
    /// How the URI is matched (Bitwarden: 0 base domain … 5 never); `None`: the default.
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_kind: Option<u8>,
}

/// A secure note's only datum is its kind, always 0 (generic).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecureNote {
    #[serde(rename = "type")]
    pub kind: u8,
}

/// Structs whose every field is an optional user string: one macro writes the struct and the
/// mapping of its strings (sealing, opening), so a field cannot be forgotten in one of them.
macro_rules! strings_only {
    ($(#[$meta:meta])* $name:ident { $($field:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        #[serde(bound(deserialize = "S: Deserialize<'de>"))]
        pub struct $name<S> {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<S>,
            )+
        }

        impl<S> $name<S> {
            /// Every field empty.
            pub const fn empty() -> Self {
                Self {
                    $($field: None,)+
                }
            }

            fn map<T, E>(self, f: &mut impl FnMut(S) -> Result<T, E>) -> Result<$name<T>, E> {
                Ok($name {
                    $($field: self.$field.map(&mut *f).transpose()?,)+
                })
            }
        }
    };
}

strings_only!(Card {
    cardholder_name,
    brand,
    number,
    exp_month,
    exp_year,
    code,
});

strings_only!(Identity {
    title,
    first_name,
    middle_name,
    last_name,
    address1,
    address2,
    address3,
    city,
    state,
    postal_code,
    country,
    company,
    email,
    phone,
    ssn,
    username,
    passport_number,
    license_number,
});

strings_only!(SshKey {
    private_key,
    public_key,
    key_fingerprint,
});

/// A custom field: `kind` 0 text, 1 hidden, 2 boolean, 3 linked (to one of the item's own
/// fields, `linked_id`, and then without a value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[serde(bound(deserialize = "S: Deserialize<'de>"))]
pub struct Field<S> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<S>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<S>,
    #[serde(rename = "type")]
    pub kind: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_id: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[serde(bound(deserialize = "S: Deserialize<'de>"))]
pub struct PasswordHistory<S> {
    pub password: S,
    pub last_used_date: String,
}

impl<S> Item<S> {
    /// A new item of `kind` named `name`, with its type's data present and empty (what the
    /// shape check asks for) and nothing else: what an "add item" form starts from.
    pub fn new(kind: ItemType, name: S) -> Self {
        Self {
            kind,
            name,
            notes: None,
            login: (kind == ItemType::Login).then_some(Login {
                username: None,
                password: None,
                totp: None,
                uris: Vec::new(),
                password_revision_date: None,
            }),
            secure_note: (kind == ItemType::SecureNote).then_some(SecureNote { kind: 0 }),
            card: (kind == ItemType::Card).then(Card::empty),
            identity: (kind == ItemType::Identity).then(Identity::empty),
            ssh_key: (kind == ItemType::SshKey).then(SshKey::empty),
            fields: Vec::new(),
            password_history: Vec::new(),
            reprompt: 0,
        }
    }

    /// The same item with every user string passed through `f`, in one place so that sealing
    /// and opening cannot disagree about which strings there are.
    fn map<T, E>(self, mut f: impl FnMut(S) -> Result<T, E>) -> Result<Item<T>, E> {
        let f = &mut f;
        Ok(Item {
            kind: self.kind,
            name: f(self.name)?,
            notes: self.notes.map(&mut *f).transpose()?,
            login: self
                .login
                .map(|login| -> Result<Login<T>, E> {
                    Ok(Login {
                        username: login.username.map(&mut *f).transpose()?,
                        password: login.password.map(&mut *f).transpose()?,
                        totp: login.totp.map(&mut *f).transpose()?,
                        uris: login
                            .uris
                            .into_iter()
                            .map(|uri| {
                                Ok(LoginUri {
                                    uri: uri.uri.map(&mut *f).transpose()?,
                                    match_kind: uri.match_kind,
                                })
                            })
                            .collect::<Result<_, E>>()?,
                        password_revision_date: login.password_revision_date,
                    })
                })
                .transpose()?,
            secure_note: self.secure_note,
            card: self.card.map(|card| card.map(f)).transpose()?,
            identity: self.identity.map(|id| id.map(f)).transpose()?,
            ssh_key: self.ssh_key.map(|key| key.map(f)).transpose()?,
            fields: self
                .fields
                .into_iter()
                .map(|field| {
                    Ok(Field {
                        name: field.name.map(&mut *f).transpose()?,
                        value: field.value.map(&mut *f).transpose()?,
                        kind: field.kind,
                        linked_id: field.linked_id,
                    })
                })
                .collect::<Result<_, E>>()?,
            password_history: self
                .password_history
                .into_iter()
                .map(|entry| {
                    Ok(PasswordHistory {
                        password: f(entry.password)?,
                        last_used_date: entry.last_used_date,
                    })
                })
                .collect::<Result<_, E>>()?,
            reprompt: self.reprompt,
        })
    }

    /// What the types cannot say: exactly the data of the item's type, at most five history
    /// entries, the small numbers in their ranges.
    pub fn check(&self) -> Result<(), ItemError> {
        let present = [
            (ItemType::Login, self.login.is_some()),
            (ItemType::SecureNote, self.secure_note.is_some()),
            (ItemType::Card, self.card.is_some()),
            (ItemType::Identity, self.identity.is_some()),
            (ItemType::SshKey, self.ssh_key.is_some()),
        ];
        if present
            .iter()
            .any(|&(kind, has)| has != (kind == self.kind))
        {
            return Err(ItemError::DataMismatch);
        }
        if self.password_history.len() > MAX_PASSWORD_HISTORY {
            return Err(ItemError::TooMuchHistory);
        }
        if self.reprompt > 1 {
            return Err(ItemError::OutOfRange("reprompt"));
        }
        if self.secure_note.is_some_and(|note| note.kind != 0) {
            return Err(ItemError::OutOfRange("secureNote.type"));
        }
        if self.fields.iter().any(|field| field.kind > 3) {
            return Err(ItemError::OutOfRange("fields.type"));
        }
        let uris = self.login.iter().flat_map(|login| &login.uris);
        if uris
            .filter_map(|uri| uri.match_kind)
            .any(|match_kind| match_kind > 5)
        {
            return Err(ItemError::OutOfRange("uris.match"));
        }
        Ok(())
    }
}

impl Item<String> {
    /// Seals every string under `item_key` (each its own envelope, with its own IV).
    pub fn seal(self, item_key: &SymmetricKey) -> SealedItem {
        let sealed: Result<SealedItem, std::convert::Infallible> =
            self.map(|text| Ok(EncString::encrypt_str(item_key, &text)));
        match sealed {
            Ok(item) => item,
            Err(never) => match never {},
        }
    }
}

impl SealedItem {
    /// Opens every string with `item_key`; any envelope that does not open fails the whole item.
    pub fn open(self, item_key: &SymmetricKey) -> Result<Item<String>, CryptoError> {
        self.map(|sealed| Ok(sealed.decrypt_to_string(item_key)?.to_string()))
    }
}

/// A new item's own key, and that key wrapped under `owner` (the user key for a personal item,
/// the organization key for a shared one): what the `key` column keeps.
pub fn new_item_key(owner: &SymmetricKey) -> (SymmetricKey, EncString) {
    let key = SymmetricKey::generate();
    let wrapped = EncString::wrap_key(owner, &key);
    (key, wrapped)
}

/// Moving an item to another owner (a personal item into an organization) re-wraps only its
/// key: every field stays as it was sealed.
pub fn rewrap_item_key(
    wrapped: &EncString,
    from: &SymmetricKey,
    to: &SymmetricKey,
) -> Result<EncString, CryptoError> {
    Ok(EncString::wrap_key(to, &wrapped.decrypt_key(from)?))
}
