//! The files people move their passwords in, read into the vault's plaintext item shape and
//! written back out (VAULT.md §5, rule V6): Bitwarden JSON (plain or password-protected),
//! Bitwarden CSV (personal and organization variants), and the two exports users arrive with
//! most, Chrome's (also Edge's) password CSV and LastPass's CSV.
//!
//! Everything here runs in the browser, on the file the user picked: what it reads is sealed
//! there (portal-crypto) before anything is sent, and the server never sees a file. The crate
//! only parses and writes; it does no I/O. Reading is all or nothing: a file either reads whole
//! (with the rows it skipped, each with its reason, for the preview) or fails with one error
//! that names the problem and, where known, the row or item.
//!
//! Folders (a personal vault) and collections (an organization) are both *containers* here:
//! a file's folders become collections when it is imported into an organization, as
//! Bitwarden's own importer does, and the other way round. Containers are linked by position
//! in [`Parsed::containers`], never by the ids in the file (V6).

mod bitwarden_csv;
mod bitwarden_json;
mod chrome;
mod csv_table;
pub mod export;
mod lastpass;

use serde::{Deserialize, Serialize};

pub use portal_crypto::vault::{Item, ItemType};

/// The largest file read (the browser refuses a larger one before reading it).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The most items one import brings (10,000 imports in seconds; Bitwarden's own cap is 7,000).
pub const MAX_ITEMS: usize = 20_000;
/// The most folders or collections one import brings.
pub const MAX_CONTAINERS: usize = 2_000;
/// The longest folder or collection name, in characters (the collections dialog's limit).
pub const MAX_CONTAINER_NAME: usize = 200;
/// The longest item name, in characters (the item dialog's limit).
pub const MAX_ITEM_NAME: usize = 200;
/// Bitwarden's name for an item that has none.
pub const UNNAMED: &str = "--";

/// The formats a file may be read as. The user says which (a CSV's header does not always
/// tell); a file of another kind fails with [`ImportError::MissingColumns`] or
/// [`ImportError::NotBitwardenJson`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// Bitwarden's `.json` export, plain or password-protected.
    BitwardenJson,
    /// Bitwarden's `.csv` export, personal (`folder`) or organization (`collections`).
    BitwardenCsv,
    /// Chrome's or Edge's "Export passwords": `name,url,username,password[,note]`.
    ChromeCsv,
    /// LastPass's "Export": `url,username,password,totp,extra,name,grouping,fav`.
    LastPassCsv,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::BitwardenJson,
        Format::BitwardenCsv,
        Format::ChromeCsv,
        Format::LastPassCsv,
    ];

    /// The short name used in forms, URLs and event details.
    pub fn slug(self) -> &'static str {
        match self {
            Format::BitwardenJson => "bitwarden-json",
            Format::BitwardenCsv => "bitwarden-csv",
            Format::ChromeCsv => "chrome-csv",
            Format::LastPassCsv => "lastpass-csv",
        }
    }

    /// The format's name, the same in every language (product names).
    pub fn label(self) -> &'static str {
        match self {
            Format::BitwardenJson => "Bitwarden (json)",
            Format::BitwardenCsv => "Bitwarden (csv)",
            Format::ChromeCsv => "Chrome / Edge (csv)",
            Format::LastPassCsv => "LastPass (csv)",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.slug() == slug)
    }
}

/// Where in the file something is: a CSV's line (the header is line 1) or a JSON item's
/// position in `items` (from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    Line(u64),
    Item(usize),
}

/// One item read from the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub place: Place,
    pub item: Item<String>,
    pub favorite: bool,
    /// Positions in [`Parsed::containers`]: its folder (the first only, in a personal vault)
    /// or its collections.
    pub containers: Vec<usize>,
}

/// A file, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Folder or collection names, each once, in the order first met; nested with `/`.
    pub containers: Vec<String>,
    pub items: Vec<Imported>,
    /// What was left out, with why.
    pub skipped: Vec<Skipped>,
}

impl Parsed {
    /// How many items of each type, in [`ItemType`] order (login, note, card, identity, SSH key):
    /// what the preview shows.
    pub fn counts(&self) -> [usize; 5] {
        let mut counts = [0; 5];
        for imported in &self.items {
            if let Some(count) = counts.get_mut(usize::from(u8::from(imported.item.kind)) - 1) {
                *count += 1;
            }
        }
        counts
    }

    /// The position of `name` in the containers, added if new.
    pub(crate) fn container(&mut self, name: &str, place: Place) -> Result<usize, ImportError> {
        if let Some(index) = self.containers.iter().position(|known| known == name) {
            return Ok(index);
        }
        if name.chars().count() > MAX_CONTAINER_NAME {
            return Err(ImportError::NameTooLong { place });
        }
        if self.containers.len() >= MAX_CONTAINERS {
            return Err(ImportError::TooManyContainers);
        }
        self.containers.push(name.to_owned());
        Ok(self.containers.len() - 1)
    }

    /// Adds an item, holding the file to [`MAX_ITEMS`] and names to [`MAX_ITEM_NAME`].
    pub(crate) fn push(&mut self, imported: Imported) -> Result<(), ImportError> {
        if self.items.len() >= MAX_ITEMS {
            return Err(ImportError::TooManyItems);
        }
        if imported.item.name.chars().count() > MAX_ITEM_NAME {
            return Err(ImportError::ItemNameTooLong {
                place: imported.place,
            });
        }
        self.items.push(imported);
        Ok(())
    }
}

/// A row or item left out of an import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub place: Place,
    pub reason: SkipReason,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SkipReason {
    /// An item type this portal does not hold (the file's own word or number for it).
    UnknownType(String),
    /// A row or item with nothing in it.
    Empty,
}

/// Why a file cannot be read. Nothing of it is imported then.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ImportError {
    #[error("the file is larger than {MAX_FILE_BYTES} bytes")]
    FileTooLarge,
    #[error("the file holds more than {MAX_ITEMS} items")]
    TooManyItems,
    #[error("the file holds more than {MAX_CONTAINERS} folders or collections")]
    TooManyContainers,
    #[error("a folder or collection name is longer than {MAX_CONTAINER_NAME} characters")]
    NameTooLong { place: Place },
    #[error("an item name is longer than {MAX_ITEM_NAME} characters")]
    ItemNameTooLong { place: Place },
    #[error("the file is not valid JSON (line {line}, column {column})")]
    BadJson { line: usize, column: usize },
    #[error("the file is JSON but not a Bitwarden export")]
    NotBitwardenJson,
    /// One item of a Bitwarden JSON file is not of Bitwarden's shape.
    #[error("an item is not of Bitwarden's shape")]
    BadItem { place: Place },
    /// An export encrypted with its account's own key, which only that account can open.
    #[error("the file is encrypted with its account's key")]
    AccountEncrypted,
    #[error("the file is password-protected")]
    PasswordRequired,
    #[error("the password does not open the file")]
    WrongPassword,
    #[error("the file's key-derivation settings are out of bounds")]
    KdfOutOfBounds,
    /// The first row lacks columns the chosen format has.
    #[error("the file's first row lacks columns")]
    MissingColumns { missing: Vec<String> },
    #[error("the file is not valid CSV")]
    BadCsv { place: Place },
    #[error("the file holds nothing to import")]
    Nothing,
}

/// Reads `text` as `format`. `password` opens a password-protected Bitwarden JSON file
/// (without one, such a file fails with [`ImportError::PasswordRequired`], so the form can
/// ask for it).
pub fn parse(format: Format, text: &str, password: Option<&str>) -> Result<Parsed, ImportError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ImportError::FileTooLarge);
    }
    // Spreadsheet programs and Windows tools start UTF-8 files with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parsed = match format {
        Format::BitwardenJson => bitwarden_json::parse(text, password)?,
        Format::BitwardenCsv => bitwarden_csv::parse(text)?,
        Format::ChromeCsv => chrome::parse(text)?,
        Format::LastPassCsv => lastpass::parse(text)?,
    };
    if parsed.items.is_empty() && parsed.skipped.is_empty() {
        return Err(ImportError::Nothing);
    }
    Ok(parsed)
}

/// `Some` of the text, trimmed, unless it is empty.
pub(crate) fn text(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// `Some` of the text as it is (passwords and notes keep their spaces), unless it is empty.
pub(crate) fn verbatim(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

/// A login item from the columns every CSV format has.
pub(crate) fn login(
    name: Option<String>,
    uris: Vec<String>,
    username: Option<String>,
    password: Option<String>,
    totp: Option<String>,
) -> Item<String> {
    let name = name
        .or_else(|| uris.first().map(|uri| host_of(uri)))
        .unwrap_or_else(|| UNNAMED.to_owned());
    let mut item = Item::new(ItemType::Login, name);
    if let Some(login) = item.login.as_mut() {
        login.username = username;
        login.password = password;
        login.totp = totp;
        login.uris = uris
            .into_iter()
            .map(|uri| portal_crypto::vault::LoginUri {
                uri: Some(uri),
                match_kind: None,
            })
            .collect();
    }
    item
}

/// The host of a URL (`https://mail.example.com/x` → `mail.example.com`), or the text itself:
/// the name a nameless login gets, as Chrome shows it.
fn host_of(uri: &str) -> String {
    let rest = uri.split_once("://").map_or(uri, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    if host.is_empty() {
        uri.to_owned()
    } else {
        host.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nameless_login_is_named_after_its_host() {
        assert_eq!(
            host_of("https://mail.example.com/inbox?x=1"),
            "mail.example.com"
        );
        assert_eq!(host_of("ftp://user@files.example.org"), "files.example.org");
        assert_eq!(host_of("example.net"), "example.net");
        let item = login(None, vec![], None, None, None);
        assert_eq!(item.name, UNNAMED);
    }

    #[test]
    fn formats_round_trip_through_their_slugs() {
        for format in Format::ALL {
            assert_eq!(Format::from_slug(format.slug()), Some(format));
        }
        assert_eq!(Format::from_slug("keepass"), None);
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_header() {
        let parsed = parse(
            Format::ChromeCsv,
            "\u{feff}name,url,username,password\nBank,https://bank.example,ann,pw\n",
            None,
        )
        .expect("reads");
        assert_eq!(parsed.items.len(), 1);
    }

    #[test]
    fn an_empty_file_holds_nothing() {
        assert_eq!(
            parse(Format::ChromeCsv, "name,url,username,password\n", None),
            Err(ImportError::Nothing)
        );
    }
}
