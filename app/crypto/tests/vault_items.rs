#![allow(clippy::unwrap_used)]
//! Vault items (VAULT.md §3): every user string sealed under the item's own key, in Bitwarden's
//! field-level JSON; reading a body as a sealed item refuses any plaintext, unknown field or
//! envelope of another type (V1); the shape check refuses data of another type, a sixth history
//! entry and numbers out of range; moving an item re-wraps only its key.

use portal_crypto::vault::{
    Field, Identity, Item, ItemError, ItemType, Login, LoginUri, PasswordHistory, SealedItem,
    SecureNote, SshKey, new_item_key, rewrap_item_key,
};
use portal_crypto::{CryptoError, EncString, SymmetricKey};

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

/// A bare item: `Item::new` without its type's data, which the shape check refuses.
fn empty(kind: ItemType, name: &str) -> Item<String> {
    Item {
        login: None,
        secure_note: None,
        card: None,
        identity: None,
        ssh_key: None,
        ..Item::new(kind, name.to_owned())
    }
}

/// One item of each type, with what each can hold.
fn items() -> Vec<Item<String>> {
    let login = Item {
        notes: text("the shared account"),
        login: Some(Login {
            username: text("kim@acme.example"),
            password: text("correct horse battery staple"),
            totp: text("JBSWY3DPEHPK3PXP"),
            uris: vec![
                LoginUri {
                    uri: text("https://acme.example/login"),
                    match_kind: None,
                },
                LoginUri {
                    uri: text("acme.example"),
                    match_kind: Some(0),
                },
            ],
            password_revision_date: Some("2026-12-01T10:00:00Z".into()),
        }),
        fields: vec![
            Field {
                name: text("PIN"),
                value: text("4321"),
                kind: 1,
                linked_id: None,
            },
            Field {
                name: text("Username again"),
                value: None,
                kind: 3,
                linked_id: Some(100),
            },
        ],
        password_history: vec![PasswordHistory {
            password: "the old one".into(),
            last_used_date: "2026-11-01T10:00:00Z".into(),
        }],
        reprompt: 1,
        ..empty(ItemType::Login, "Acme portal")
    };
    let note = Item {
        notes: text("the alarm code is 1234"),
        secure_note: Some(SecureNote { kind: 0 }),
        ..empty(ItemType::SecureNote, "Alarm")
    };
    let card = Item {
        card: Some(portal_crypto::vault::Card {
            cardholder_name: text("Kim Lee"),
            brand: text("Visa"),
            number: text("4111111111111111"),
            exp_month: text("12"),
            exp_year: text("2030"),
            code: text("123"),
        }),
        ..empty(ItemType::Card, "Company card")
    };
    let identity = Item {
        identity: Some(Identity {
            first_name: text("Kim"),
            last_name: text("Lee"),
            email: text("kim@acme.example"),
            passport_number: text("X1234567"),
            ..Identity::empty()
        }),
        ..empty(ItemType::Identity, "Kim")
    };
    let ssh = Item {
        ssh_key: Some(SshKey {
            private_key: text("-----BEGIN OPENSSH PRIVATE KEY-----"),
            public_key: text("ssh-ed25519 AAAA"),
            key_fingerprint: text("SHA256:abc"),
        }),
        ..empty(ItemType::SshKey, "Deploy key")
    };
    vec![login, note, card, identity, ssh]
}

#[test]
fn every_type_seals_and_opens_to_what_was_typed() {
    let user_key = SymmetricKey::generate();
    for item in items() {
        item.check().unwrap();
        let (item_key, wrapped) = new_item_key(&user_key);
        let sealed = item.clone().seal(&item_key);
        sealed.check().unwrap();
        // Over the wire and back, then opened with the key unwrapped from the owner's.
        let json = serde_json::to_string(&sealed).unwrap();
        let back: SealedItem = serde_json::from_str(&json).unwrap();
        let key = wrapped.decrypt_key(&user_key).unwrap();
        assert_eq!(back.open(&key).unwrap(), item);
    }
}

#[test]
fn the_json_is_bitwardens_field_level_shape_with_no_plaintext() {
    let item_key = SymmetricKey::generate();
    let login = items().remove(0);
    let json = serde_json::to_value(login.seal(&item_key)).unwrap();
    assert_eq!(json["type"], 1);
    assert_eq!(json["reprompt"], 1);
    assert!(
        json["login"]["username"]
            .as_str()
            .unwrap()
            .starts_with("2.")
    );
    assert!(
        json["login"]["uris"][0]["uri"]
            .as_str()
            .unwrap()
            .starts_with("2.")
    );
    assert_eq!(json["login"]["uris"][1]["match"], 0);
    assert_eq!(
        json["login"]["passwordRevisionDate"],
        "2026-12-01T10:00:00Z"
    );
    assert!(
        json["passwordHistory"][0]["password"]
            .as_str()
            .unwrap()
            .starts_with("2.")
    );
    assert_eq!(json["fields"][1]["linkedId"], 100);
    let written = json.to_string();
    for typed in [
        "kim@acme.example",
        "correct horse",
        "JBSWY3DPEHPK3PXP",
        "4321",
        "Acme portal",
    ] {
        assert!(!written.contains(typed), "{typed} is in {written}");
    }
    // Each string has its own IV: the same text sealed twice differs.
    let twice = Item {
        notes: text("same"),
        ..empty(ItemType::SecureNote, "same")
    };
    let twice = Item {
        secure_note: Some(SecureNote { kind: 0 }),
        ..twice
    }
    .seal(&item_key);
    assert_ne!(twice.name, twice.notes.unwrap());
}

#[test]
fn a_body_with_plaintext_an_unknown_field_or_another_envelope_type_is_refused() {
    let item_key = SymmetricKey::generate();
    let sealed = serde_json::to_value(items().remove(1).seal(&item_key)).unwrap();
    let refused = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut body = sealed.clone();
        change(&mut body);
        serde_json::from_value::<SealedItem>(body).is_err()
    };
    assert!(serde_json::from_value::<SealedItem>(sealed.clone()).is_ok());
    assert!(refused(&|b| b["name"] = "Alarm".into()), "plaintext name");
    assert!(
        refused(&|b| b["notes"] = "the alarm code".into()),
        "plaintext notes"
    );
    assert!(
        refused(&|b| b["password"] = sealed["name"].clone()),
        "unknown field"
    );
    assert!(
        refused(&|b| b["secureNote"]["text"] = "x".into()),
        "unknown nested field"
    );
    assert!(refused(&|b| b["type"] = 9.into()), "unknown type");
    let type4 = portal_crypto::PrivateKey::generate()
        .public_key()
        .wrap_key(&SymmetricKey::generate())
        .to_string();
    assert!(
        refused(&|b| b["name"] = type4.clone().into()),
        "type-4 envelope"
    );
    assert!(
        refused(&|b| b["name"] = "0.abc|def".into()),
        "type-0 envelope"
    );
}

#[test]
fn the_shape_check_refuses_what_the_types_cannot() {
    let item_key = SymmetricKey::generate();
    let [login, note, ..] = <[Item<String>; 5]>::try_from(items()).unwrap();
    // Login data on a secure note, or a note without its data.
    let mixed = Item {
        login: login.login.clone(),
        ..note.clone()
    };
    assert_eq!(mixed.seal(&item_key).check(), Err(ItemError::DataMismatch));
    let bare = empty(ItemType::SecureNote, "bare");
    assert_eq!(bare.check(), Err(ItemError::DataMismatch));
    for kind in [
        ItemType::Login,
        ItemType::SecureNote,
        ItemType::Card,
        ItemType::Identity,
        ItemType::SshKey,
    ] {
        assert_eq!(
            Item::new(kind, "new".to_owned()).check(),
            Ok(()),
            "{kind:?}"
        );
    }
    let history = PasswordHistory {
        password: "old".to_owned(),
        last_used_date: "2026-01-01T00:00:00Z".into(),
    };
    let long = Item {
        password_history: vec![history; 6],
        ..login.clone()
    };
    assert_eq!(long.check(), Err(ItemError::TooMuchHistory));
    let reprompt = Item {
        reprompt: 2,
        ..login.clone()
    };
    assert_eq!(reprompt.check(), Err(ItemError::OutOfRange("reprompt")));
    let mut field = login.clone();
    field.fields[0].kind = 4;
    assert_eq!(field.check(), Err(ItemError::OutOfRange("fields.type")));
    let mut uri = login.clone();
    uri.login.as_mut().unwrap().uris[0].match_kind = Some(6);
    assert_eq!(uri.check(), Err(ItemError::OutOfRange("uris.match")));
    let odd_note = Item {
        secure_note: Some(SecureNote { kind: 1 }),
        ..note
    };
    assert_eq!(
        odd_note.check(),
        Err(ItemError::OutOfRange("secureNote.type"))
    );
}

#[test]
fn another_key_opens_nothing_and_moving_rewraps_only_the_key() {
    let user_key = SymmetricKey::generate();
    let organization_key = SymmetricKey::generate();
    let (item_key, wrapped) = new_item_key(&user_key);
    let item = items().remove(2);
    let sealed = item.clone().seal(&item_key);
    assert_eq!(
        sealed.clone().open(&SymmetricKey::generate()),
        Err(CryptoError::WrongKeyOrTampered)
    );
    // Into an organization: the key now under the organization key, the fields untouched.
    let moved = rewrap_item_key(&wrapped, &user_key, &organization_key).unwrap();
    assert!(moved.decrypt_key(&user_key).is_err());
    let key = moved.decrypt_key(&organization_key).unwrap();
    assert_eq!(sealed.open(&key).unwrap(), item);
    let _: &EncString = &moved;
}
