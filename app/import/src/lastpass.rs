//! LastPass's CSV export: `url,username,password,totp,extra,name,grouping,fav`. A row whose URL
//! is `http://sn` is a secure note; its `extra` starts with `NoteType:` for LastPass's typed
//! notes, whose `Key:Value` lines become a card (Credit Card), an identity (Address) or, for
//! other types, a note with one custom field per line. Folders (`grouping`) nest with `\`,
//! which becomes `/`.

use crate::csv_table::Table;
use crate::{ImportError, Imported, Item, ItemType, Parsed, login, text, verbatim};
use portal_crypto::vault::{Card, Field, Identity};

/// LastPass's URL for a secure note.
const NOTE_URL: &str = "http://sn";

pub(crate) fn parse(text_in: &str) -> Result<Parsed, ImportError> {
    let table = Table::read(
        text_in,
        &["url", "username", "password", "extra", "name", "grouping"],
    )?;
    let mut parsed = Parsed::default();
    for row in table.filled_rows(&mut parsed) {
        let name = text(row.get("name"));
        let item = if row.get("url").trim() == NOTE_URL {
            note(name, row.get("extra"))
        } else {
            let mut item = login(
                name,
                text(row.get("url")).into_iter().collect(),
                verbatim(row.get("username")),
                verbatim(row.get("password")),
                text(row.get("totp")),
            );
            item.notes = verbatim(row.get("extra"));
            item
        };
        let mut containers = Vec::new();
        // LastPass files loose items under "(none)" in some versions.
        if let Some(folder) =
            text(&row.get("grouping").replace('\\', "/")).filter(|folder| folder != "(none)")
        {
            containers.push(parsed.container(&folder, row.place)?);
        }
        parsed.push(Imported {
            place: row.place,
            item,
            favorite: row.get("fav").trim() == "1",
            containers,
        })?;
    }
    Ok(parsed)
}

/// A secure note, or the card or identity a typed note describes.
fn note(name: Option<String>, extra: &str) -> Item<String> {
    let name = name.unwrap_or_else(|| crate::UNNAMED.to_owned());
    let Some(typed) = extra.strip_prefix("NoteType:") else {
        let mut item = Item::new(ItemType::SecureNote, name);
        item.notes = verbatim(extra);
        return item;
    };
    let (note_type, body) = typed.split_once('\n').unwrap_or((typed, ""));
    let mut pairs = Vec::new();
    let mut notes = None;
    let mut lines = body.lines();
    while let Some(line) = lines.next() {
        let (key, value) = line.split_once(':').unwrap_or((line, ""));
        if key == "Notes" {
            // The free text comes last and may span lines.
            let rest: Vec<&str> = std::iter::once(value).chain(lines.by_ref()).collect();
            notes = verbatim(&rest.join("\n"));
            break;
        }
        // An empty date is written `,` (an empty month and year).
        if key != "Language" && !value.trim().trim_matches(',').is_empty() {
            pairs.push((key.to_owned(), value.to_owned()));
        }
    }
    let take = |pairs: &mut Vec<(String, String)>, key: &str| {
        pairs
            .iter()
            .position(|(k, _)| k == key)
            .and_then(|at| text(&pairs.remove(at).1))
    };
    let mut item = match note_type.trim() {
        "Credit Card" => {
            let mut item = Item::new(ItemType::Card, name);
            let (exp_month, exp_year) = expiry(take(&mut pairs, "Expiration Date"));
            item.card = Some(Card {
                cardholder_name: take(&mut pairs, "Name on Card"),
                brand: take(&mut pairs, "Type"),
                number: take(&mut pairs, "Number"),
                exp_month,
                exp_year,
                code: take(&mut pairs, "Security Code"),
            });
            item
        }
        "Address" => {
            let mut item = Item::new(ItemType::Identity, name);
            item.identity = Some(Identity {
                title: take(&mut pairs, "Title"),
                first_name: take(&mut pairs, "First Name"),
                middle_name: take(&mut pairs, "Middle Name"),
                last_name: take(&mut pairs, "Last Name"),
                address1: take(&mut pairs, "Address 1"),
                address2: take(&mut pairs, "Address 2"),
                address3: take(&mut pairs, "Address 3"),
                city: take(&mut pairs, "City / Town"),
                state: take(&mut pairs, "State"),
                postal_code: take(&mut pairs, "Zip / Postal Code"),
                country: take(&mut pairs, "Country"),
                company: take(&mut pairs, "Company"),
                email: take(&mut pairs, "Email Address"),
                phone: take(&mut pairs, "Phone"),
                ssn: None,
                username: take(&mut pairs, "Username"),
                passport_number: None,
                license_number: None,
            });
            item
        }
        _ => Item::new(ItemType::SecureNote, name),
    };
    item.notes = notes;
    // What has no place in the item's type is kept as custom fields, not dropped.
    item.fields = pairs
        .into_iter()
        .map(|(key, value)| Field {
            name: text(&key),
            value: verbatim(&value),
            kind: 0,
            linked_id: None,
        })
        .collect();
    item
}

/// LastPass writes a card's expiry as `June,2025`: Bitwarden keeps the month as a number.
fn expiry(value: Option<String>) -> (Option<String>, Option<String>) {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let Some(value) = value else {
        return (None, None);
    };
    let (month, year) = value.split_once(',').unwrap_or((&value, ""));
    let month = month.trim().to_lowercase();
    let month = MONTHS
        .iter()
        .position(|name| *name == month)
        .map(|at| (at + 1).to_string())
        .or_else(|| text(&month));
    (month, text(year))
}

#[cfg(test)]
mod tests {
    use crate::{Format, ItemType, parse};

    const FILE: &str = "url,username,password,totp,extra,name,grouping,fav\n\
        https://shop.example,ann,hunter2,JBSWY3DPEHPK3PXP,Loyalty no. 55,Shop,Personal\\Shopping,1\n\
        http://sn,,,,\"NoteType:Credit Card\nLanguage:en-US\nName on Card:Ann Example\nType:Visa\nNumber:4111111111111111\nSecurity Code:123\nStart Date:,\nExpiration Date:June,2031\nNotes:Backup card\nkept in the safe\",Visa,Finance,0\n\
        http://sn,,,,\"NoteType:Address\nLanguage:en-US\nTitle:ms\nFirst Name:Ann\nLast Name:Example\nAddress 1:1 Main St\nCity / Town:Springfield\nZip / Postal Code:12345\nCountry:US\nEmail Address:ann@example.com\nNotes:\",Home,,0\n\
        http://sn,,,,\"NoteType:Wi-Fi Password\nSSID:office\nPassword:wifipass\nNotes:\",Office Wi-Fi,(none),0\n\
        http://sn,,,,Just a note,Plain,,0\n";

    #[test]
    fn logins_typed_notes_and_folders_are_read() {
        let parsed = parse(Format::LastPassCsv, FILE, None).expect("reads");
        assert_eq!(parsed.counts(), [1, 2, 1, 1, 0]);
        assert_eq!(parsed.containers, ["Personal/Shopping", "Finance"]);

        let shop = &parsed.items[0];
        assert!(shop.favorite);
        let login = shop.item.login.as_ref().expect("a login");
        assert_eq!(login.password.as_deref(), Some("hunter2"));
        assert_eq!(login.totp.as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(shop.item.notes.as_deref(), Some("Loyalty no. 55"));

        let card = &parsed.items[1];
        assert_eq!(card.item.kind, ItemType::Card);
        let data = card.item.card.as_ref().expect("card data");
        assert_eq!(data.cardholder_name.as_deref(), Some("Ann Example"));
        assert_eq!(data.number.as_deref(), Some("4111111111111111"));
        assert_eq!(data.exp_month.as_deref(), Some("6"));
        assert_eq!(data.exp_year.as_deref(), Some("2031"));
        assert_eq!(data.code.as_deref(), Some("123"));
        assert_eq!(
            card.item.notes.as_deref(),
            Some("Backup card\nkept in the safe")
        );
        assert!(card.item.fields.is_empty(), "{:?}", card.item.fields);

        let home = &parsed.items[2];
        let identity = home.item.identity.as_ref().expect("identity data");
        assert_eq!(identity.first_name.as_deref(), Some("Ann"));
        assert_eq!(identity.postal_code.as_deref(), Some("12345"));
        assert_eq!(identity.email.as_deref(), Some("ann@example.com"));
        assert!(home.containers.is_empty());

        let wifi = &parsed.items[3];
        assert_eq!(wifi.item.kind, ItemType::SecureNote);
        assert_eq!(wifi.item.fields.len(), 2);
        assert_eq!(wifi.item.fields[1].name.as_deref(), Some("Password"));
        assert_eq!(wifi.item.fields[1].value.as_deref(), Some("wifipass"));
        assert!(wifi.containers.is_empty(), "(none) is no folder");

        assert_eq!(parsed.items[4].item.notes.as_deref(), Some("Just a note"));
    }
}
