//! Writing a vault out in Bitwarden's formats (VAULT.md §5): JSON, password-protected JSON and
//! CSV. What is written reads back through [`crate::parse`] to the same items (tested here,
//! and end to end in the browser).

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::bitwarden_csv::fields_cell;
use crate::{Item, ItemType};
use portal_crypto::{EncString, Kdf, MasterKey, SymmetricKey};

/// What is exported: a personal vault (`organization_id` is `None`, containers are folders)
/// or an organization's (containers are collections).
#[derive(Clone, Debug, Default)]
pub struct Export {
    pub organization_id: Option<String>,
    /// Each folder or collection: its id (as the portal knows it) and its name.
    pub containers: Vec<(String, String)>,
    pub items: Vec<Exported>,
}

#[derive(Clone, Debug)]
pub struct Exported {
    pub id: String,
    pub item: Item<String>,
    pub favorite: bool,
    /// Positions in [`Export::containers`].
    pub containers: Vec<usize>,
    pub creation_date: String,
    pub revision_date: String,
}

/// Bitwarden's unencrypted JSON export.
pub fn json(export: &Export) -> String {
    let organization = export.organization_id.is_some();
    let containers: Vec<Value> = export
        .containers
        .iter()
        .map(|(id, name)| {
            if organization {
                json!({"id": id, "organizationId": export.organization_id, "name": name, "externalId": null})
            } else {
                json!({"id": id, "name": name})
            }
        })
        .collect();
    let items: Vec<Value> = export
        .items
        .iter()
        .map(|exported| item_json(export, exported))
        .collect();
    let mut file = Map::new();
    file.insert("encrypted".into(), Value::Bool(false));
    file.insert(
        if organization {
            "collections"
        } else {
            "folders"
        }
        .into(),
        Value::Array(containers),
    );
    file.insert("items".into(), Value::Array(items));
    // Pretty, as Bitwarden writes it: people open these files.
    serde_json::to_string_pretty(&Value::Object(file)).unwrap_or_default()
}

fn item_json(export: &Export, exported: &Exported) -> Value {
    // The item's own serde form is Bitwarden's (type, name, notes, login, card, fields…).
    let mut object = match serde_json::to_value(&exported.item) {
        Ok(Value::Object(object)) => object,
        _ => Map::new(),
    };
    let container_id = |at: &usize| export.containers.get(*at).map(|(id, _)| id.clone());
    object.insert("id".into(), json!(exported.id));
    object.insert("organizationId".into(), json!(export.organization_id));
    if export.organization_id.is_some() {
        let ids: Vec<String> = exported
            .containers
            .iter()
            .filter_map(container_id)
            .collect();
        object.insert("collectionIds".into(), json!(ids));
    } else {
        object.insert(
            "folderId".into(),
            json!(exported.containers.first().and_then(container_id)),
        );
    }
    object.insert("favorite".into(), json!(exported.favorite));
    object.insert("creationDate".into(), json!(exported.creation_date));
    object.insert("revisionDate".into(), json!(exported.revision_date));
    object.insert("deletedDate".into(), Value::Null);
    Value::Object(object)
}

/// Bitwarden's password-protected JSON: `plain` (a [`json`] export) sealed under
/// `stretch(PBKDF2(password, salt))`, with a validation envelope that tells a wrong password
/// from a damaged file. New salt each time; Bitwarden's default of 600,000 rounds.
pub fn protect(plain: &str, password: &str) -> String {
    let random = || {
        let bytes = SymmetricKey::generate().to_bytes();
        portal_crypto_b64(bytes.get(..16).unwrap_or_default())
    };
    let salt = random();
    let kdf = Kdf::default();
    let iterations = match kdf {
        Kdf::Pbkdf2 { iterations } => iterations,
        Kdf::Argon2id { iterations, .. } => iterations,
    };
    // PBKDF2 at fixed settings cannot fail.
    let key = match MasterKey::derive(password, &salt, kdf) {
        Ok(master) => master.stretch(),
        Err(_) => return String::new(),
    };
    let file = json!({
        "encrypted": true,
        "passwordProtected": true,
        "salt": salt,
        "kdfType": 0,
        "kdfIterations": iterations,
        "kdfMemory": null,
        "kdfParallelism": null,
        "encKeyValidation_DO_NOT_EDIT": EncString::encrypt_str(&key, &random()).to_string(),
        "data": EncString::encrypt_str(&key, plain).to_string(),
    });
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

fn portal_crypto_b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Bitwarden's CSV export, which holds logins and secure notes only: the text, and how many
/// items of other types (cards, identities, SSH keys) it could not hold.
pub fn csv(export: &Export) -> (String, usize) {
    let organization = export.organization_id.is_some();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = if organization {
        vec!["collections"]
    } else {
        vec!["folder", "favorite"]
    };
    header.extend([
        "type",
        "name",
        "notes",
        "fields",
        "reprompt",
        "login_uri",
        "login_username",
        "login_password",
        "login_totp",
    ]);
    let mut left_out = 0;
    // Writing to memory cannot fail.
    let _ = writer.write_record(&header);
    for exported in &export.items {
        let item = &exported.item;
        let kind = match item.kind {
            ItemType::Login => "login",
            ItemType::SecureNote => "note",
            _ => {
                left_out += 1;
                continue;
            }
        };
        let names: Vec<&str> = exported
            .containers
            .iter()
            .filter_map(|at| export.containers.get(*at).map(|(_, name)| name.as_str()))
            .collect();
        let mut row: Vec<String> = if organization {
            vec![names.join(",")]
        } else {
            vec![
                names.first().copied().unwrap_or("").to_owned(),
                if exported.favorite { "1" } else { "" }.to_owned(),
            ]
        };
        let login = item.login.as_ref();
        let uris: Vec<&str> = login
            .map(|login| {
                login
                    .uris
                    .iter()
                    .filter_map(|uri| uri.uri.as_deref())
                    .collect()
            })
            .unwrap_or_default();
        let text = |value: Option<&String>| value.cloned().unwrap_or_default();
        row.extend([
            kind.to_owned(),
            item.name.clone(),
            text(item.notes.as_ref()),
            fields_cell(&item.fields),
            item.reprompt.to_string(),
            uris.join(","),
            text(login.and_then(|login| login.username.as_ref())),
            text(login.and_then(|login| login.password.as_ref())),
            text(login.and_then(|login| login.totp.as_ref())),
        ]);
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    (String::from_utf8(bytes).unwrap_or_default(), left_out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, ImportError, parse};
    use portal_crypto::vault::{Card, Field, LoginUri, PasswordHistory};

    fn sample(organization: bool) -> Export {
        let mut login = Item::new(ItemType::Login, "Bank".to_owned());
        if let Some(data) = login.login.as_mut() {
            data.username = Some("ann".into());
            data.password = Some("s3cret, with a comma".into());
            data.totp = Some("JBSWY3DPEHPK3PXP".into());
            data.uris = vec![LoginUri {
                uri: Some("https://bank.example".into()),
                match_kind: Some(1),
            }];
        }
        login.notes = Some("line one\nline two".into());
        login.fields = vec![
            Field {
                name: Some("PIN".into()),
                value: Some("4321".into()),
                kind: 1,
                linked_id: None,
            },
            Field {
                name: Some("Login as".into()),
                value: None,
                kind: 3,
                linked_id: Some(100),
            },
        ];
        login.password_history = vec![PasswordHistory {
            password: "old".into(),
            last_used_date: "2026-01-01T00:00:00.000Z".into(),
        }];
        login.reprompt = 1;
        let mut card = Item::new(ItemType::Card, "Visa".to_owned());
        card.card = Some(Card {
            cardholder_name: Some("Ann Example".into()),
            brand: Some("Visa".into()),
            number: Some("4111111111111111".into()),
            exp_month: Some("6".into()),
            exp_year: Some("2031".into()),
            code: Some("123".into()),
        });
        let note = Item::new(ItemType::SecureNote, "Alarm".to_owned());
        let exported = |id: &str, item: Item<String>, containers: Vec<usize>| Exported {
            id: id.into(),
            item,
            favorite: id == "1",
            containers,
            creation_date: "2026-11-01T10:00:00Z".into(),
            revision_date: "2026-11-02T10:00:00Z".into(),
        };
        Export {
            organization_id: organization.then(|| "7".to_owned()),
            containers: vec![
                ("10".into(), "Finance".into()),
                ("11".into(), "Finance/Banking".into()),
            ],
            items: vec![
                exported("1", login, if organization { vec![0, 1] } else { vec![1] }),
                exported("2", card, vec![]),
                exported("3", note, vec![0]),
            ],
        }
    }

    #[test]
    fn json_reads_back_to_the_same_items_personal_and_organization() {
        for organization in [false, true] {
            let export = sample(organization);
            let parsed = parse(Format::BitwardenJson, &json(&export), None).expect("reads back");
            assert_eq!(parsed.items.len(), 3);
            for (read, written) in parsed.items.iter().zip(&export.items) {
                assert_eq!(read.item, written.item);
                assert_eq!(read.favorite, written.favorite);
                let names = |positions: &[usize], names: &[String]| -> Vec<String> {
                    positions.iter().map(|at| names[*at].clone()).collect()
                };
                let written_names: Vec<String> = export
                    .containers
                    .iter()
                    .map(|(_, name)| name.clone())
                    .collect();
                assert_eq!(
                    names(&read.containers, &parsed.containers),
                    names(&written.containers, &written_names)
                );
            }
        }
    }

    #[test]
    fn a_protected_file_opens_with_its_password_only() {
        let plain = json(&sample(false));
        let file = protect(&plain, "file password");
        assert!(!file.contains("s3cret"));
        assert_eq!(
            parse(Format::BitwardenJson, &file, None),
            Err(ImportError::PasswordRequired)
        );
        assert_eq!(
            parse(Format::BitwardenJson, &file, Some("wrong password")),
            Err(ImportError::WrongPassword)
        );
        let parsed = parse(Format::BitwardenJson, &file, Some("file password")).expect("opens");
        assert_eq!(parsed.items.len(), 3);
        assert_eq!(parsed.items[0].item.name, "Bank");
    }

    #[test]
    fn csv_holds_logins_and_notes_and_reads_back() {
        for organization in [false, true] {
            let export = sample(organization);
            let (text, left_out) = csv(&export);
            assert_eq!(left_out, 1, "the card");
            let parsed = parse(Format::BitwardenCsv, &text, None).expect("reads back");
            assert_eq!(parsed.counts(), [1, 1, 0, 0, 0]);
            let bank = &parsed.items[0];
            let login = bank.item.login.as_ref().expect("a login");
            assert_eq!(login.password.as_deref(), Some("s3cret, with a comma"));
            assert_eq!(login.uris[0].uri.as_deref(), Some("https://bank.example"));
            assert_eq!(bank.item.notes.as_deref(), Some("line one\nline two"));
            assert_eq!(bank.item.reprompt, 1);
            // CSV keeps a field's name and value, not its kind; linked fields have no value.
            assert_eq!(bank.item.fields.len(), 1);
            assert_eq!(bank.item.fields[0].value.as_deref(), Some("4321"));
            let expected: &[&str] = if organization {
                &["Finance", "Finance/Banking"]
            } else {
                &["Finance/Banking", "Finance"]
            };
            assert_eq!(parsed.containers, expected);
            assert_eq!(
                bank.favorite, !organization,
                "the organization CSV has no favorites"
            );
        }
    }
}
