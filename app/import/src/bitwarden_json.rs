//! Bitwarden's JSON export (VAULT.md §5): `{"encrypted": false, "folders" | "collections": [...],
//! "items": [...]}`, or the password-protected form whose `data` is that JSON in one type-2
//! envelope under `stretch(KDF(password, salt))`.
//!
//! Read leniently, field by field: exports from newer Bitwarden versions carry fields this
//! portal does not keep (passkeys, archive dates), which are left out rather than refused.

use serde_json::{Map, Value};

use crate::{ImportError, Imported, Item, ItemType, Parsed, Place, SkipReason, Skipped, verbatim};
use portal_crypto::vault::{Card, Field, Identity, Login, LoginUri, PasswordHistory, SshKey};
use portal_crypto::{EncString, Kdf, MasterKey};

pub(crate) fn parse(text: &str, password: Option<&str>) -> Result<Parsed, ImportError> {
    let file = json(text)?;
    let Value::Object(file) = file else {
        return Err(ImportError::NotBitwardenJson);
    };
    if file.get("encrypted").and_then(Value::as_bool) == Some(true) {
        if file.get("passwordProtected").and_then(Value::as_bool) != Some(true) {
            return Err(ImportError::AccountEncrypted);
        }
        let password = password
            .filter(|password| !password.is_empty())
            .ok_or(ImportError::PasswordRequired)?;
        let inner = open_protected(&file, password)?;
        return parse(&inner, None);
    }
    let Some(Value::Array(items)) = file.get("items") else {
        return Err(ImportError::NotBitwardenJson);
    };
    let mut parsed = Parsed::default();
    // The file's folder or collection ids, to the position of their name.
    let mut containers: Vec<(String, usize)> = Vec::new();
    for list in ["folders", "collections"] {
        for (index, entry) in array(file.get(list)).iter().enumerate() {
            let place = Place::Item(index + 1);
            let (Some(id), Some(name)) = (string(entry, "id"), string(entry, "name")) else {
                continue;
            };
            let position = parsed.container(name.trim(), place)?;
            containers.push((id, position));
        }
    }
    for (index, entry) in items.iter().enumerate() {
        let place = Place::Item(index + 1);
        let Some(object) = entry.as_object() else {
            return Err(ImportError::BadItem { place });
        };
        let kind = match object.get("type").and_then(Value::as_u64) {
            Some(number) => match u8::try_from(number).ok().map(ItemType::try_from) {
                Some(Ok(kind)) => kind,
                _ => {
                    parsed.skipped.push(Skipped {
                        place,
                        reason: SkipReason::UnknownType(number.to_string()),
                    });
                    continue;
                }
            },
            None => return Err(ImportError::BadItem { place }),
        };
        let item = item(kind, object);
        let mut linked: Vec<usize> = Vec::new();
        let folder = string(entry, "folderId");
        let collections = array(object.get("collectionIds"))
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned);
        for id in folder.into_iter().chain(collections) {
            if let Some(&(_, position)) = containers.iter().find(|(known, _)| *known == id)
                && !linked.contains(&position)
            {
                linked.push(position);
            }
        }
        parsed.push(Imported {
            place,
            item,
            favorite: object.get("favorite").and_then(Value::as_bool) == Some(true),
            containers: linked,
        })?;
    }
    Ok(parsed)
}

fn json(text: &str) -> Result<Value, ImportError> {
    serde_json::from_str(text).map_err(|error| ImportError::BadJson {
        line: error.line(),
        column: error.column(),
    })
}

/// The plain JSON inside a password-protected export.
fn open_protected(file: &Map<String, Value>, password: &str) -> Result<String, ImportError> {
    let field = |name: &str| file.get(name).and_then(Value::as_str);
    let number = |name: &str| {
        file.get(name)
            .and_then(Value::as_u64)
            .and_then(|value| u32::try_from(value).ok())
    };
    let salt = field("salt").ok_or(ImportError::NotBitwardenJson)?;
    let kdf = match number("kdfType") {
        Some(0) => Kdf::Pbkdf2 {
            iterations: number("kdfIterations").ok_or(ImportError::NotBitwardenJson)?,
        },
        Some(1) => Kdf::Argon2id {
            iterations: number("kdfIterations").ok_or(ImportError::NotBitwardenJson)?,
            memory_mib: number("kdfMemory").ok_or(ImportError::NotBitwardenJson)?,
            parallelism: number("kdfParallelism").ok_or(ImportError::NotBitwardenJson)?,
        },
        _ => return Err(ImportError::NotBitwardenJson),
    };
    check_import_kdf(kdf)?;
    let envelope = |name: &str| -> Result<EncString, ImportError> {
        field(name)
            .and_then(|text| text.parse().ok())
            .ok_or(ImportError::NotBitwardenJson)
    };
    let validation = envelope("encKeyValidation_DO_NOT_EDIT")?;
    let data = envelope("data")?;
    let key = MasterKey::derive(password, salt, kdf)
        .map_err(|_| ImportError::KdfOutOfBounds)?
        .stretch();
    // The validation envelope opens only with the right key: a wrong password is said as such,
    // not as a broken file.
    validation
        .decrypt_to_string(&key)
        .map_err(|_| ImportError::WrongPassword)?;
    let inner = data
        .decrypt_to_string(&key)
        .map_err(|_| ImportError::WrongPassword)?;
    Ok(inner.to_string())
}

/// A file may come from an older client with fewer PBKDF2 rounds than new accounts get (its
/// strength is the file's business), but not with settings that would stall the browser.
fn check_import_kdf(kdf: Kdf) -> Result<(), ImportError> {
    let ok = match kdf {
        Kdf::Pbkdf2 { iterations } => (1..=Kdf::PBKDF2_ITERATIONS.1).contains(&iterations),
        Kdf::Argon2id {
            iterations,
            memory_mib,
            parallelism,
        } => {
            (1..=Kdf::ARGON2_ITERATIONS.1).contains(&iterations)
                && (1..=Kdf::ARGON2_MEMORY_MIB.1).contains(&memory_mib)
                && (1..=Kdf::ARGON2_PARALLELISM.1).contains(&parallelism)
        }
    };
    ok.then_some(()).ok_or(ImportError::KdfOutOfBounds)
}

/// The file's array under a key, or none.
fn array(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A non-empty string (or a number, as some exporters write months and years) under `key`.
fn string(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(text) => verbatim(text),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn item(kind: ItemType, object: &Map<String, Value>) -> Item<String> {
    let value = Value::Object(object.clone());
    let name = string(&value, "name")
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| crate::UNNAMED.to_owned());
    let mut item = Item::new(kind, name);
    item.notes = string(&value, "notes");
    item.reprompt = u8::from(
        object.get("reprompt").and_then(Value::as_u64) == Some(1)
            || object.get("reprompt").and_then(Value::as_bool) == Some(true),
    );
    let part = |key: &str| object.get(key).filter(|part| part.is_object());
    match kind {
        ItemType::Login => {
            if let Some(login) = part("login") {
                item.login = Some(Login {
                    username: string(login, "username"),
                    password: string(login, "password"),
                    totp: string(login, "totp"),
                    uris: array(login.get("uris"))
                        .iter()
                        .filter_map(|uri| {
                            Some(LoginUri {
                                uri: Some(string(uri, "uri")?),
                                match_kind: uri
                                    .get("match")
                                    .and_then(Value::as_u64)
                                    .and_then(|m| u8::try_from(m).ok())
                                    .filter(|m| *m <= 5),
                            })
                        })
                        .collect(),
                    password_revision_date: string(login, "passwordRevisionDate"),
                });
            }
        }
        ItemType::SecureNote => {}
        ItemType::Card => {
            if let Some(card) = part("card") {
                item.card = Some(Card {
                    cardholder_name: string(card, "cardholderName"),
                    brand: string(card, "brand"),
                    number: string(card, "number"),
                    exp_month: string(card, "expMonth"),
                    exp_year: string(card, "expYear"),
                    code: string(card, "code"),
                });
            }
        }
        ItemType::Identity => {
            if let Some(id) = part("identity") {
                item.identity = Some(Identity {
                    title: string(id, "title"),
                    first_name: string(id, "firstName"),
                    middle_name: string(id, "middleName"),
                    last_name: string(id, "lastName"),
                    address1: string(id, "address1"),
                    address2: string(id, "address2"),
                    address3: string(id, "address3"),
                    city: string(id, "city"),
                    state: string(id, "state"),
                    postal_code: string(id, "postalCode"),
                    country: string(id, "country"),
                    company: string(id, "company"),
                    email: string(id, "email"),
                    phone: string(id, "phone"),
                    ssn: string(id, "ssn"),
                    username: string(id, "username"),
                    passport_number: string(id, "passportNumber"),
                    license_number: string(id, "licenseNumber"),
                });
            }
        }
        ItemType::SshKey => {
            if let Some(key) = part("sshKey") {
                item.ssh_key = Some(SshKey {
                    private_key: string(key, "privateKey"),
                    public_key: string(key, "publicKey"),
                    key_fingerprint: string(key, "keyFingerprint"),
                });
            }
        }
    }
    item.fields = array(object.get("fields"))
        .iter()
        .map(|field| {
            let kind = field
                .get("type")
                .and_then(Value::as_u64)
                .and_then(|kind| u8::try_from(kind).ok())
                .filter(|kind| *kind <= 3)
                .unwrap_or(0);
            Field {
                name: string(field, "name"),
                // A linked field follows another field and has no value of its own.
                value: (kind != 3).then(|| string(field, "value")).flatten(),
                kind,
                linked_id: (kind == 3)
                    .then(|| field.get("linkedId").and_then(Value::as_u64))
                    .flatten()
                    .and_then(|id| u32::try_from(id).ok()),
            }
        })
        .collect();
    // Newest first, as Bitwarden keeps them; at most five (V6).
    item.password_history = array(object.get("passwordHistory"))
        .iter()
        .filter_map(|entry| {
            Some(PasswordHistory {
                password: string(entry, "password")?,
                last_used_date: string(entry, "lastUsedDate").unwrap_or_default(),
            })
        })
        .take(portal_crypto::vault::MAX_PASSWORD_HISTORY)
        .collect();
    item
}
