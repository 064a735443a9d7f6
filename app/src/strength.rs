//! Password strength with zxcvbn (Dropbox's estimator, maintained as the `zxcvbn` crate): it
//! knows common passwords, names, keyboard walks and dates, and penalizes the user's own email
//! and name. It runs on the server: in the browser bundle its 790 KB frequency list stays in the
//! main module even when its code is a split chunk (measured), tripling every page's first load.
//! So the meter beside a new-password field asks the server: the one place where a typed
//! password still leaves the browser, until zxcvbn is built as a module of its own.

use crate::accounts::types::{MAX_PASSWORD_CHARS, Strength};

/// Scores 0–4 (too guessable … very unguessable); `context` holds the user's own words.
pub fn estimate(password: &str, context: &[&str]) -> Strength {
    // zxcvbn's cost grows with length; beyond the maximum the password is refused anyway.
    let password: String = password.chars().take(MAX_PASSWORD_CHARS).collect();
    if password.is_empty() {
        return Strength { score: 0 };
    }
    // "Ann Smith" and "ann.smith@example.com" count word by word, as well as whole.
    let context: Vec<&str> = context
        .iter()
        .flat_map(|text| std::iter::once(*text).chain(text.split(|c: char| !c.is_alphanumeric())))
        .filter(|word| word.chars().count() > 2)
        .collect();
    let entropy = zxcvbn::zxcvbn(&password, &context);
    Strength {
        score: u8::from(entropy.score()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guessable_passwords_score_low_and_passphrases_high() {
        assert!(estimate("password1234", &[]).score < 2);
        assert!(estimate("qwertyuiop12", &[]).score < 2);
        let own = ["Annabel Smithers", "annabel@example.com"];
        assert!(estimate("smithersannabel", &own).score < estimate("smithersannabel", &[]).score);
        assert!(estimate("correct horse battery staple", &[]).score >= 3);
    }
}
