//! Bitwarden's CSV export: logins and secure notes only. Personal files have
//! `folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp`;
//! organization files `collections` (comma-joined names) in place of `folder,favorite`.
//! `fields` holds one `name: value` per line; `login_uri` is comma-joined.

use crate::csv_table::Table;
use crate::{
    ImportError, Imported, Item, ItemType, Parsed, SkipReason, Skipped, login, text, verbatim,
};
use portal_crypto::vault::Field;

pub(crate) fn parse(text_in: &str) -> Result<Parsed, ImportError> {
    let table = Table::read(
        text_in,
        &[
            "type",
            "name",
            "notes",
            "login_uri",
            "login_username",
            "login_password",
        ],
    )?;
    let mut parsed = Parsed::default();
    for row in table.filled_rows(&mut parsed) {
        let kind = row.get("type").trim().to_lowercase();
        let mut item = match kind.as_str() {
            "login" | "" => login(
                text(row.get("name")),
                row.get("login_uri").split(',').filter_map(text).collect(),
                verbatim(row.get("login_username")),
                verbatim(row.get("login_password")),
                text(row.get("login_totp")),
            ),
            "note" => Item::new(
                ItemType::SecureNote,
                text(row.get("name")).unwrap_or_else(|| crate::UNNAMED.to_owned()),
            ),
            other => {
                parsed.skipped.push(Skipped {
                    place: row.place,
                    reason: SkipReason::UnknownType(other.to_owned()),
                });
                continue;
            }
        };
        item.notes = verbatim(row.get("notes"));
        item.fields = fields(row.get("fields"));
        item.reprompt = u8::from(row.get("reprompt").trim() == "1");
        let mut containers = Vec::new();
        if table.has("collections") {
            for name in row.get("collections").split(',').filter_map(text) {
                containers.push(parsed.container(&name, row.place)?);
            }
        } else if let Some(folder) = text(row.get("folder")) {
            containers.push(parsed.container(&folder, row.place)?);
        }
        parsed.push(Imported {
            place: row.place,
            item,
            favorite: row.get("favorite").trim() == "1",
            containers,
        })?;
    }
    Ok(parsed)
}

/// Custom fields, one `name: value` per line, as text fields (the CSV does not keep a
/// field's kind). A line without `: ` is a name with no value.
pub(crate) fn fields(cell: &str) -> Vec<Field<String>> {
    cell.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (name, value) = line.split_once(": ").unwrap_or((line, ""));
            Field {
                name: text(name),
                value: verbatim(value),
                kind: 0,
                linked_id: None,
            }
        })
        .collect()
}

/// The `fields` cell of an item's custom fields (text, hidden and boolean alike; linked
/// fields have no value to write).
pub(crate) fn fields_cell(fields: &[Field<String>]) -> String {
    fields
        .iter()
        .filter(|field| field.kind != 3)
        .map(|field| {
            format!(
                "{}: {}",
                field.name.as_deref().unwrap_or(""),
                field.value.as_deref().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use crate::{Format, ImportError, ItemType, Place, SkipReason, parse};

    const PERSONAL: &str = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
        Work,1,login,Intranet,,\"Employee ID: 4471\nBadge: \",1,\"https://intranet.example,https://sso.example\",ann,s3cret,JBSWY3DPEHPK3PXP\n\
        ,,note,Alarm code,Code is 1234,,0,,,,\n\
        Work,,card,Visa,,,,,,,\n";

    #[test]
    fn a_personal_file_reads_logins_notes_folders_and_fields() {
        let parsed = parse(Format::BitwardenCsv, PERSONAL, None).expect("reads");
        assert_eq!(parsed.containers, ["Work"]);
        assert_eq!(parsed.counts(), [1, 1, 0, 0, 0]);
        let intranet = &parsed.items[0];
        assert!(intranet.favorite);
        assert_eq!(intranet.containers, [0]);
        assert_eq!(intranet.item.reprompt, 1);
        let login = intranet.item.login.as_ref().expect("a login");
        assert_eq!(login.uris.len(), 2);
        assert_eq!(login.totp.as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(intranet.item.fields.len(), 2);
        assert_eq!(intranet.item.fields[0].name.as_deref(), Some("Employee ID"));
        assert_eq!(intranet.item.fields[0].value.as_deref(), Some("4471"));
        assert_eq!(intranet.item.fields[1].value, None);
        let note = &parsed.items[1];
        assert_eq!(note.item.kind, ItemType::SecureNote);
        assert_eq!(note.item.notes.as_deref(), Some("Code is 1234"));
        assert!(note.containers.is_empty());
        assert_eq!(parsed.skipped.len(), 1);
        assert_eq!(parsed.skipped[0].place, Place::Line(5));
        assert_eq!(
            parsed.skipped[0].reason,
            SkipReason::UnknownType("card".into())
        );
    }

    #[test]
    fn an_organization_file_reads_its_collections_by_name() {
        let parsed = parse(
            Format::BitwardenCsv,
            "collections,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
             \"Finance,Finance/Banking\",login,Bank,,,0,https://bank.example,acct,pw,\n\
             Finance,login,Payroll,,,0,,,,\n",
            None,
        )
        .expect("reads");
        assert_eq!(parsed.containers, ["Finance", "Finance/Banking"]);
        assert_eq!(parsed.items[0].containers, [0, 1]);
        assert_eq!(parsed.items[1].containers, [0]);
    }

    #[test]
    fn a_collection_name_of_a_thousand_characters_is_refused_with_its_line() {
        let file = format!(
            "collections,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
             Fine,login,A,,,0,,,,\n{},login,B,,,0,,,,\n",
            "x".repeat(1000)
        );
        assert_eq!(
            parse(Format::BitwardenCsv, &file, None),
            Err(ImportError::NameTooLong {
                place: Place::Line(3)
            })
        );
    }
}
