//! A CSV file as a header and rows, read by column name (exports differ in column order and
//! in optional columns, never in names).

use crate::{ImportError, Place};

pub(crate) struct Table {
    columns: Vec<String>,
    rows: Vec<(Place, csv::StringRecord)>,
}

/// One row, read by column name.
pub(crate) struct Row<'a> {
    pub place: Place,
    table: &'a Table,
    record: &'a csv::StringRecord,
}

impl Table {
    /// Reads `text`, whose first row must name every column in `required` (in any order,
    /// case and surrounding spaces ignored).
    pub fn read(text: &str, required: &[&str]) -> Result<Self, ImportError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let columns: Vec<String> = reader
            .headers()
            .map_err(|_| ImportError::BadCsv {
                place: Place::Line(1),
            })?
            .iter()
            .map(|name| name.trim().to_lowercase())
            .collect();
        let missing: Vec<String> = required
            .iter()
            .filter(|name| !columns.iter().any(|column| column == *name))
            .map(|name| (*name).to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns { missing });
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|error| ImportError::BadCsv {
                place: Place::Line(error.position().map_or(0, csv::Position::line)),
            })?;
            let line = record.position().map_or(0, csv::Position::line);
            rows.push((Place::Line(line), record));
            // Counted here too, so that a file of a million rows stops early.
            if rows.len() > crate::MAX_ITEMS {
                return Err(ImportError::TooManyItems);
            }
        }
        Ok(Self { columns, rows })
    }

    pub fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|name| name == column)
    }

    /// The rows with something in them; each blank row is listed in `parsed` as skipped.
    pub fn filled_rows(&self, parsed: &mut crate::Parsed) -> Vec<Row<'_>> {
        let (filled, blank): (Vec<Row<'_>>, Vec<Row<'_>>) =
            self.rows().partition(|row| !row.is_blank());
        parsed
            .skipped
            .extend(blank.into_iter().map(|row| crate::Skipped {
                place: row.place,
                reason: crate::SkipReason::Empty,
            }));
        filled
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(place, record)| Row {
            place: *place,
            table: self,
            record,
        })
    }
}

impl Row<'_> {
    /// The value in `column`, or "" when the column or the cell is missing.
    pub fn get(&self, column: &str) -> &str {
        self.table
            .columns
            .iter()
            .position(|name| name == column)
            .and_then(|index| self.record.get(index))
            .unwrap_or("")
    }

    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.record.iter().all(|cell| cell.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_name_whatever_their_order_or_case() {
        let table =
            Table::read(" Password ,NAME\nsecret,Bank\n", &["name", "password"]).expect("reads");
        let row = table.rows().next().expect("one row");
        assert_eq!(row.get("name"), "Bank");
        assert_eq!(row.get("password"), "secret");
        assert_eq!(row.get("username"), "");
        assert_eq!(row.place, Place::Line(2));
    }

    #[test]
    fn a_missing_column_is_named() {
        assert_eq!(
            Table::read("name,url\n", &["name", "url", "username", "password"]).err(),
            Some(ImportError::MissingColumns {
                missing: vec!["username".into(), "password".into()]
            })
        );
    }

    #[test]
    fn quoted_cells_keep_their_commas_and_line_breaks() {
        let table =
            Table::read("name,notes\n\"A, B\",\"one\ntwo\"\nC,d\n", &["name"]).expect("reads");
        let rows: Vec<_> = table.rows().collect();
        assert_eq!(rows[0].get("name"), "A, B");
        assert_eq!(rows[0].get("notes"), "one\ntwo");
        // The third record starts on line 4: the second spans lines 2 and 3.
        assert_eq!(rows[1].place, Place::Line(4));
    }
}
