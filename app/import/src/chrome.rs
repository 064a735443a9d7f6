//! Chrome's and Edge's "Export passwords": `name,url,username,password`, and `note` since
//! Chrome 118. Every row is a login.

use crate::csv_table::Table;
use crate::{ImportError, Imported, Parsed, login, text, verbatim};

pub(crate) fn parse(text_in: &str) -> Result<Parsed, ImportError> {
    let table = Table::read(text_in, &["name", "url", "username", "password"])?;
    let mut parsed = Parsed::default();
    for row in table.filled_rows(&mut parsed) {
        let uris = text(row.get("url")).into_iter().collect();
        let mut item = login(
            text(row.get("name")),
            uris,
            text(row.get("username")),
            verbatim(row.get("password")),
            None,
        );
        item.notes = verbatim(row.get("note"));
        parsed.push(Imported {
            place: row.place,
            item,
            favorite: false,
            containers: Vec::new(),
        })?;
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, Place, SkipReason, Skipped, parse as read};

    #[test]
    fn rows_become_logins_with_their_notes() {
        let parsed = read(
            Format::ChromeCsv,
            "name,url,username,password,note\n\
             Bank,https://bank.example/login,ann@example.com, p@ss word ,\"two\nlines\"\n\
             ,https://mail.example.com/,ann,,\n\
             ,,,,\n",
            None,
        )
        .expect("reads");
        assert_eq!(parsed.items.len(), 2);
        let bank = &parsed.items[0].item;
        assert_eq!(bank.name, "Bank");
        let login = bank.login.as_ref().expect("a login");
        assert_eq!(login.username.as_deref(), Some("ann@example.com"));
        assert_eq!(login.password.as_deref(), Some(" p@ss word "));
        assert_eq!(
            login.uris[0].uri.as_deref(),
            Some("https://bank.example/login")
        );
        assert_eq!(bank.notes.as_deref(), Some("two\nlines"));
        assert_eq!(parsed.items[1].item.name, "mail.example.com");
        assert_eq!(
            parsed.skipped,
            vec![Skipped {
                place: Place::Line(5),
                reason: SkipReason::Empty
            }]
        );
    }

    #[test]
    fn a_file_of_another_kind_is_refused_by_its_header() {
        assert!(matches!(
            read(Format::ChromeCsv, "folder,favorite,type,name\n", None),
            Err(ImportError::MissingColumns { missing }) if missing == ["url", "username", "password"]
        ));
    }
}
