//! The rules a new master password must meet. The browser checks them, since only it sees the
//! password (VAULT.md §2); the operator's command line and the admin's recovery form, which do
//! know a password, check the same ones on the server.

use super::types::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, Strength};
use crate::error::{Field, FieldError, Problem};
use crate::policies::types::PasswordRules;

/// What is wrong with a new password and its repetition: the portal's own rules (length and
/// a zxcvbn `strength` of at least "somewhat guessable"), then those of a master-password
/// policy, if one applies.
pub fn problems(
    password: &str,
    confirm: &str,
    strength: Strength,
    policy: Option<PasswordRules>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let chars = password.chars().count();
    let own = if chars < MIN_PASSWORD_CHARS {
        Some(Problem::TooShort(MIN_PASSWORD_CHARS))
    } else if chars > MAX_PASSWORD_CHARS {
        Some(Problem::TooLong(MAX_PASSWORD_CHARS))
    } else if !strength.acceptable() {
        Some(Problem::TooWeak)
    } else {
        None
    };
    let policy = own.is_none().then_some(policy).flatten().and_then(|rules| {
        let length = usize::try_from(rules.min_length).unwrap_or(usize::MAX);
        if chars < length {
            Some(Problem::TooShort(length))
        } else if u32::from(strength.score) < rules.min_strength {
            Some(Problem::TooWeak)
        } else {
            None
        }
    });
    if let Some(problem) = own.or(policy) {
        errors.push(FieldError::new(Field::Password, problem));
    }
    if password != confirm {
        errors.push(FieldError::new(Field::PasswordConfirm, Problem::Mismatch));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(errors: &[FieldError]) -> Vec<Problem> {
        errors.iter().map(|e| e.problem).collect()
    }

    #[test]
    fn own_rules_come_first_then_the_policy() {
        let strong = Strength { score: 3 };
        assert!(
            problems(
                "long enough passphrase",
                "long enough passphrase",
                strong,
                None
            )
            .is_empty()
        );
        assert_eq!(
            only(&problems("short", "short", strong, None)),
            [Problem::TooShort(MIN_PASSWORD_CHARS)]
        );
        assert_eq!(
            only(&problems(
                "password1234",
                "password1234",
                Strength { score: 1 },
                None
            )),
            [Problem::TooWeak]
        );
        let policy = PasswordRules {
            min_length: 20,
            min_strength: 4,
        };
        assert_eq!(
            only(&problems(
                "sixteen chars ok",
                "sixteen chars ok",
                strong,
                Some(policy)
            )),
            [Problem::TooShort(20)]
        );
        assert_eq!(
            only(&problems(
                "a long passphrase of words",
                "a long passphrase of words",
                strong,
                Some(policy)
            )),
            [Problem::TooWeak]
        );
        assert_eq!(
            only(&problems("long enough passphrase", "another", strong, None)),
            [Problem::Mismatch]
        );
    }
}
