//! The files in `end2end/fixtures/` (the browser tests import the same ones): every format,
//! every item type and field kind each format carries, read to the values they hold.

use portal_import::{Format, ImportError, ItemType, Place, SkipReason, parse};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../end2end/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

#[test]
fn bitwarden_json_personal_holds_every_type_and_field_kind() {
    let parsed = parse(
        Format::BitwardenJson,
        &fixture("bitwarden-personal.json"),
        None,
    )
    .expect("reads");
    assert_eq!(parsed.counts(), [1, 1, 1, 1, 1]);
    assert_eq!(parsed.containers, ["Work", "Work/Servers"]);
    assert_eq!(
        parsed.skipped,
        [portal_import::Skipped {
            place: Place::Item(6),
            reason: SkipReason::UnknownType("9".into())
        }]
    );
    let webmail = &parsed.items[0];
    assert!(webmail.favorite);
    assert_eq!(webmail.containers, [0]);
    let login = webmail.item.login.as_ref().expect("login data");
    assert_eq!(login.password.as_deref(), Some("Fixture-Mail-Pass-42"));
    assert_eq!(login.uris.len(), 2);
    assert_eq!(login.uris[1].match_kind, Some(3));
    let kinds: Vec<u8> = webmail.item.fields.iter().map(|field| field.kind).collect();
    assert_eq!(kinds, [0, 1, 2, 3]);
    assert_eq!(webmail.item.fields[3].linked_id, Some(100));
    assert_eq!(
        webmail.item.password_history[0].password,
        "Fixture-Old-Pass-1"
    );
    assert_eq!(parsed.items[1].item.reprompt, 1);
    let card = parsed.items[2].item.card.as_ref().expect("card data");
    assert_eq!(card.code.as_deref(), Some("737"));
    let identity = parsed.items[3]
        .item
        .identity
        .as_ref()
        .expect("identity data");
    assert_eq!(
        identity.license_number.as_deref(),
        Some("Fixture-Licence-2")
    );
    assert_eq!(identity.middle_name, None);
    let key = parsed.items[4].item.ssh_key.as_ref().expect("SSH key data");
    assert_eq!(
        key.key_fingerprint.as_deref(),
        Some("SHA256:FixtureFingerprint")
    );
    assert_eq!(parsed.items[4].containers, [1]);
    for imported in &parsed.items {
        imported
            .item
            .check()
            .expect("of the shape the server accepts");
    }
}

#[test]
fn bitwarden_json_organization_links_collections() {
    let parsed = parse(
        Format::BitwardenJson,
        &fixture("bitwarden-organization.json"),
        None,
    )
    .expect("reads");
    assert_eq!(parsed.containers, ["Finance", "Finance/Banking"]);
    assert_eq!(parsed.items[0].containers, [0, 1]);
    assert_eq!(parsed.items[1].containers, [0]);
}

#[test]
fn the_protected_fixture_opens_with_its_password() {
    let file = fixture("bitwarden-protected.json");
    assert_eq!(
        parse(Format::BitwardenJson, &file, Some("not the password")),
        Err(ImportError::WrongPassword)
    );
    let parsed = parse(
        Format::BitwardenJson,
        &file,
        Some("Fixture file password 2026"),
    )
    .expect("opens");
    assert_eq!(parsed.counts(), [1, 1, 1, 1, 1]);
}

#[test]
fn bitwarden_csv_personal_and_organization() {
    let personal = parse(
        Format::BitwardenCsv,
        &fixture("bitwarden-personal.csv"),
        None,
    )
    .expect("reads");
    assert_eq!(personal.counts(), [1, 1, 0, 0, 0]);
    assert_eq!(personal.skipped.len(), 1, "the empty row");
    let portal = &personal.items[0].item;
    assert_eq!(portal.fields.len(), 2);
    assert_eq!(portal.login.as_ref().map(|login| login.uris.len()), Some(2));
    let organization = parse(
        Format::BitwardenCsv,
        &fixture("bitwarden-organization.csv"),
        None,
    )
    .expect("reads");
    assert_eq!(organization.containers, ["Shared", "Shared/IT"]);
}

#[test]
fn chrome_and_lastpass() {
    let chrome = parse(Format::ChromeCsv, &fixture("chrome.csv"), None).expect("reads");
    assert_eq!(chrome.counts(), [3, 0, 0, 0, 0]);
    assert_eq!(chrome.items[1].item.name, "forum.fixture.example");
    let quoted = chrome.items[2].item.login.as_ref().expect("login data");
    assert_eq!(quoted.username.as_deref(), Some("Fixture, with comma"));
    assert_eq!(
        quoted.password.as_deref(),
        Some("Fixture-Chrome-\"Quoted\"-3")
    );

    let lastpass = parse(Format::LastPassCsv, &fixture("lastpass.csv"), None).expect("reads");
    assert_eq!(lastpass.counts(), [1, 1, 1, 1, 0]);
    assert_eq!(lastpass.containers, ["Sales/Tools", "Finance"]);
    let card = lastpass
        .items
        .iter()
        .find(|imported| imported.item.kind == ItemType::Card)
        .and_then(|imported| imported.item.card.as_ref())
        .expect("a card");
    assert_eq!(card.exp_month.as_deref(), Some("3"));
    assert_eq!(card.brand.as_deref(), Some("Mastercard"));
}

#[test]
fn bad_files_say_what_is_wrong_and_where() {
    assert_eq!(
        parse(
            Format::BitwardenJson,
            "{\n  \"items\": [\n    {\"type\": 1,}\n  ]\n}",
            None
        ),
        Err(ImportError::BadJson {
            line: 3,
            column: 16
        })
    );
    assert_eq!(
        parse(Format::BitwardenJson, "{\"folders\": []}", None),
        Err(ImportError::NotBitwardenJson)
    );
    assert_eq!(
        parse(
            Format::BitwardenJson,
            "{\"encrypted\": true, \"items\": []}",
            None
        ),
        Err(ImportError::AccountEncrypted)
    );
    assert_eq!(
        parse(
            Format::BitwardenJson,
            "{\"items\": [{\"type\": 1}, \"text\"]}",
            None
        ),
        Err(ImportError::BadItem {
            place: Place::Item(2)
        })
    );
    assert!(matches!(
        parse(Format::LastPassCsv, &fixture("chrome.csv"), None),
        Err(ImportError::MissingColumns { missing }) if missing == ["extra", "grouping"]
    ));
}

#[test]
fn a_file_too_large_or_with_too_many_rows_is_refused_whole() {
    let huge = "x".repeat(portal_import::MAX_FILE_BYTES + 1);
    assert_eq!(
        parse(Format::ChromeCsv, &huge, None),
        Err(ImportError::FileTooLarge)
    );
    let mut rows = String::from("name,url,username,password\n");
    for n in 0..100_000 {
        rows.push_str(&format!("Site {n},https://{n}.example,user,pw\n"));
    }
    assert_eq!(
        parse(Format::ChromeCsv, &rows, None),
        Err(ImportError::TooManyItems)
    );
}
