//! Password strength with zxcvbn (Dropbox's estimator, maintained as the `zxcvbn` crate): it
//! knows common passwords, names, keyboard walks and dates, and penalizes the user's own email
//! and name.
//!
//! The same code runs in two places: natively on the server, where the server knows the
//! password anyway (the operator's command line, the admin's recovery form), and in the browser
//! as a wasm module of its own, loaded only by the pages with a new-password field
//! (`app::accounts::browser::strength`), so a password being typed never leaves the browser.
//! The password generator ([`generator`]) rides in the same module, with its word list.

pub mod generator;

/// The longest password estimated: zxcvbn's cost grows with length, and the portal refuses
/// longer passwords anyway (`app::accounts::types::MAX_PASSWORD_CHARS`, which a test keeps
/// equal to this).
pub const MAX_CHARS: usize = 128;

/// Scores 0–4 (too guessable … very unguessable), zxcvbn's scale; `context` holds the user's
/// own words (email, name), which count against the password.
pub fn estimate(password: &str, context: &[&str]) -> u8 {
    let password: String = password.chars().take(MAX_CHARS).collect();
    if password.is_empty() {
        return 0;
    }
    // "Ann Smith" and "ann.smith@example.com" count word by word, as well as whole.
    let context: Vec<&str> = context
        .iter()
        .flat_map(|text| std::iter::once(*text).chain(text.split(|c: char| !c.is_alphanumeric())))
        .filter(|word| word.chars().count() > 2)
        .collect();
    u8::from(zxcvbn::zxcvbn(&password, &context).score())
}

/// The module's exports, for the browser: `score(password, context)`, `password(...)` and
/// `passphrase(...)`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn score(password: &str, context: Vec<String>) -> u8 {
    let context: Vec<&str> = context.iter().take(8).map(String::as_str).collect();
    estimate(password, &context)
}

/// A generated password (see [`generator::password`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn password(
    length: u32,
    uppercase: bool,
    lowercase: bool,
    digits: bool,
    special: bool,
    avoid_ambiguous: bool,
) -> String {
    generator::password(&generator::PasswordRules {
        length: length as usize,
        uppercase,
        lowercase,
        digits,
        special,
        avoid_ambiguous,
    })
}

/// A generated passphrase (see [`generator::passphrase`]).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn passphrase(words: u32, separator: String, capitalize: bool, include_number: bool) -> String {
    generator::passphrase(&generator::PassphraseRules {
        words: words as usize,
        separator,
        capitalize,
        include_number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guessable_passwords_score_low_and_passphrases_high() {
        assert!(estimate("password1234", &[]) < 2);
        assert!(estimate("qwertyuiop12", &[]) < 2);
        let own = ["Annabel Smithers", "annabel@example.com"];
        assert!(estimate("smithersannabel", &own) < estimate("smithersannabel", &[]));
        assert!(estimate("correct horse battery staple", &[]) >= 3);
        assert_eq!(estimate("", &[]), 0);
    }
}
