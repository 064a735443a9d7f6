//! Field checks shared by every domain's service: each returns the cleaned value or the
//! [`Problem`] the form shows next to the field. Run on the server; forms mirror the limits
//! in their `maxlength`/`min`/`max` attributes for speed, never as the protection.

use crate::accounts::types::normalize_email;
use crate::billing::types::{MAX_ADDRESS_CHARS, MAX_TAX_ID_CHARS, plausible_tax_id};
use crate::error::{Field, FieldError, Problem};

/// A trimmed, non-empty name of at most `max` characters, on one line: no NUL, line break or
/// other control character (they break logs, CSV exports and mail headers, and no name
/// needs them).
pub fn name(raw: &str, max: usize) -> Result<String, Problem> {
    let name = raw.trim();
    if name.is_empty() {
        Err(Problem::Required)
    } else if name.chars().any(char::is_control) {
        Err(Problem::ControlCharacters)
    } else if name.chars().count() > max {
        Err(Problem::TooLong(max))
    } else {
        Ok(name.to_owned())
    }
}

/// A lowercased, plausible email address.
pub fn email(raw: &str) -> Result<String, Problem> {
    if raw.trim().is_empty() {
        return Err(Problem::Required);
    }
    normalize_email(raw).ok_or(Problem::InvalidEmail)
}

/// A whole number within `min..=max`, typed by a person (surrounding spaces allowed).
pub fn whole_number(raw: &str, min: i64, max: i64) -> Result<i64, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::Required);
    }
    let value: i64 = match raw.parse() {
        Ok(value) => value,
        // Digits only but too long for i64: certainly above the maximum.
        Err(_) if raw.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(Problem::AboveMaximum(max));
        }
        Err(_) => return Err(Problem::NotANumber),
    };
    if value < min {
        Err(Problem::BelowMinimum(min))
    } else if value > max {
        Err(Problem::AboveMaximum(max))
    } else {
        Ok(value)
    }
}

/// Collects the problems of several fields, so a form shows them all at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    /// The value when valid; otherwise records the problem against `field`.
    pub fn check<T>(&mut self, field: Field, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.0.push(FieldError::new(field, problem));
                None
            }
        }
    }

    pub fn add(&mut self, field: Field, problem: Problem) {
        self.0.push(FieldError::new(field, problem));
    }

    /// `Err(Invalid)` when any field had a problem.
    pub fn finish(self) -> Result<(), crate::AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(crate::AppError::Invalid(self.0))
        }
    }
}

/// An address (lines kept, at most [`MAX_ADDRESS_CHARS`]) and a tax id (as tax
/// authorities print them), trimmed; problems go next to their fields. Providers and organizations alike.
pub fn address_and_tax_id(
    address: &str,
    tax_id: &str,
    problems: &mut Problems,
) -> (String, String) {
    let address = address.trim().replace("\r\n", "\n");
    if address.chars().count() > MAX_ADDRESS_CHARS {
        problems.add(Field::Address, Problem::TooLong(MAX_ADDRESS_CHARS));
    } else if address.chars().any(|c| c.is_control() && c != '\n') {
        // Lines are kept; NUL, lone carriage returns and other control characters are not.
        problems.add(Field::Address, Problem::ControlCharacters);
    }
    let tax_id = tax_id.trim().to_owned();
    if tax_id.chars().count() > MAX_TAX_ID_CHARS {
        problems.add(Field::TaxId, Problem::TooLong(MAX_TAX_ID_CHARS));
    } else if !plausible_tax_id(&tax_id) {
        problems.add(Field::TaxId, Problem::InvalidTaxId);
    }
    (address, tax_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("  Acme  ", 50), Ok("Acme".to_owned()));
        assert_eq!(name("   ", 50), Err(Problem::Required));
        assert_eq!(name(&"x".repeat(51), 50), Err(Problem::TooLong(50)));
        assert_eq!(name(&"é".repeat(50), 50), Ok("é".repeat(50)));
        for bad in [
            "Ac\0me",
            "Ac\nme",
            "Ac\rme",
            "Ac\tme",
            "Ac\u{85}me",
            "Ac\u{7f}me",
        ] {
            assert_eq!(name(bad, 50), Err(Problem::ControlCharacters), "{bad:?}");
        }
    }

    #[test]
    fn numbers_are_whole_and_in_range() {
        assert_eq!(whole_number(" 15 ", 1, 100), Ok(15));
        assert_eq!(whole_number("0", 1, 100), Err(Problem::BelowMinimum(1)));
        assert_eq!(whole_number("-3", 1, 100), Err(Problem::BelowMinimum(1)));
        assert_eq!(whole_number("101", 1, 100), Err(Problem::AboveMaximum(100)));
        assert_eq!(
            whole_number("99999999999999999999999", 1, 100),
            Err(Problem::AboveMaximum(100))
        );
        assert_eq!(whole_number("ten", 1, 100), Err(Problem::NotANumber));
        assert_eq!(whole_number("1.5", 1, 100), Err(Problem::NotANumber));
        assert_eq!(whole_number("", 1, 100), Err(Problem::Required));
    }

    #[test]
    fn emails_are_required_and_plausible() {
        assert_eq!(email(" A@B.example "), Ok("a@b.example".to_owned()));
        assert_eq!(email(""), Err(Problem::Required));
        assert_eq!(email("nobody"), Err(Problem::InvalidEmail));
    }
}
