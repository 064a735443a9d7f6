//! The password and passphrase generator. It lives in this module (not the browser bundle) for
//! the reason zxcvbn does: its word list, EFF's long list of 7,776 words (12.9 bits each),
//! would otherwise sit in the main module of every page. Every choice is uniform over the
//! platform's secure random source (the browser's `crypto.getRandomValues`).

use diceware_wordlists::EFF_LONG_WORDLIST;

/// Bitwarden's limits, so a generated password fits wherever theirs do.
pub const PASSWORD_LENGTH: std::ops::RangeInclusive<usize> = 5..=128;
pub const PASSPHRASE_WORDS: std::ops::RangeInclusive<usize> = 3..=20;

const UPPERCASE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWERCASE: &str = "abcdefghijklmnopqrstuvwxyz";
const DIGITS: &str = "0123456789";
const SPECIAL: &str = "!@#$%^&*";
/// Read aloud or copied by hand, these are mistaken for one another.
const AMBIGUOUS: &str = "IlO01o";

/// What a generated password is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordRules {
    pub length: usize,
    pub uppercase: bool,
    pub lowercase: bool,
    pub digits: bool,
    pub special: bool,
    pub avoid_ambiguous: bool,
}

/// What a generated passphrase is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassphraseRules {
    pub words: usize,
    pub separator: String,
    pub capitalize: bool,
    pub include_number: bool,
}

/// A uniform number below `bound` (> 0): rejection sampling, so no value is favoured the way
/// `random % bound` favours the small ones.
fn below(bound: usize) -> usize {
    let bound = u32::try_from(bound).unwrap_or(u32::MAX).max(1);
    let zone = u32::MAX - (u32::MAX % bound);
    loop {
        let mut bytes = [0u8; 4];
        // Without a random source no password can be made safely; there is nothing to fall
        // back to.
        #[allow(clippy::expect_used)]
        getrandom::fill(&mut bytes).expect("the platform's secure random source answers");
        let value = u32::from_le_bytes(bytes);
        if value < zone {
            return (value % bound) as usize;
        }
    }
}

fn pick(from: &[char]) -> char {
    from[below(from.len())]
}

/// A password of `rules.length` characters (clamped to [`PASSWORD_LENGTH`]) with at least one
/// character of each chosen set; lowercase letters when none is chosen.
pub fn password(rules: &PasswordRules) -> String {
    let length = rules
        .length
        .clamp(*PASSWORD_LENGTH.start(), *PASSWORD_LENGTH.end());
    let sets: Vec<Vec<char>> = [
        (rules.uppercase, UPPERCASE),
        (rules.lowercase, LOWERCASE),
        (rules.digits, DIGITS),
        (rules.special, SPECIAL),
    ]
    .into_iter()
    .filter(|(chosen, _)| *chosen)
    .map(|(_, set)| {
        set.chars()
            .filter(|c| !(rules.avoid_ambiguous && AMBIGUOUS.contains(*c)))
            .collect()
    })
    .collect();
    let sets = if sets.is_empty() {
        vec![LOWERCASE.chars().collect()]
    } else {
        sets
    };
    let all: Vec<char> = sets.iter().flatten().copied().collect();
    let mut chars: Vec<char> = sets.iter().map(|set| pick(set)).collect();
    while chars.len() < length {
        chars.push(pick(&all));
    }
    // Fisher–Yates: the guaranteed characters end up anywhere.
    for i in (1..chars.len()).rev() {
        chars.swap(i, below(i + 1));
    }
    chars.into_iter().collect()
}

/// A passphrase of `rules.words` words (clamped to [`PASSPHRASE_WORDS`]) from EFF's long list,
/// joined by the separator; with `include_number`, one word chosen at random gets a digit.
pub fn passphrase(rules: &PassphraseRules) -> String {
    let count = rules
        .words
        .clamp(*PASSPHRASE_WORDS.start(), *PASSPHRASE_WORDS.end());
    let numbered = rules.include_number.then(|| below(count));
    let words: Vec<String> = (0..count)
        .map(|index| {
            let word = EFF_LONG_WORDLIST[below(EFF_LONG_WORDLIST.len())];
            let mut word = if rules.capitalize {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            } else {
                word.to_owned()
            };
            if numbered == Some(index) {
                word.push_str(&below(10).to_string());
            }
            word
        })
        .collect();
    let separator: String = rules.separator.chars().take(1).collect();
    words.join(&separator)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(length: usize) -> PasswordRules {
        PasswordRules {
            length,
            uppercase: true,
            lowercase: true,
            digits: true,
            special: true,
            avoid_ambiguous: false,
        }
    }

    #[test]
    fn a_password_has_its_length_and_a_character_of_every_chosen_set() {
        for _ in 0..200 {
            let made = password(&rules(8));
            assert_eq!(made.chars().count(), 8);
            for set in [UPPERCASE, LOWERCASE, DIGITS, SPECIAL] {
                assert!(
                    made.chars().any(|c| set.contains(c)),
                    "{made} lacks one of {set}"
                );
            }
        }
        assert_eq!(password(&rules(1)).chars().count(), 5);
        assert_eq!(password(&rules(1000)).chars().count(), 128);
    }

    #[test]
    fn unchosen_and_ambiguous_characters_stay_out() {
        let digits_only = PasswordRules {
            uppercase: false,
            lowercase: false,
            special: false,
            avoid_ambiguous: true,
            ..rules(64)
        };
        for _ in 0..50 {
            let made = password(&digits_only);
            assert!(
                made.chars()
                    .all(|c| c.is_ascii_digit() && c != '0' && c != '1'),
                "{made}"
            );
        }
        let nothing = PasswordRules {
            uppercase: false,
            lowercase: false,
            digits: false,
            special: false,
            ..rules(20)
        };
        assert!(password(&nothing).chars().all(|c| c.is_ascii_lowercase()));
    }

    #[test]
    fn two_passwords_differ() {
        assert_ne!(password(&rules(20)), password(&rules(20)));
    }

    #[test]
    fn every_character_of_a_set_turns_up() {
        // 4,000 draws from 10 digits: a digit never drawn would mean a biased or broken source.
        let digits = PasswordRules {
            uppercase: false,
            lowercase: false,
            special: false,
            ..rules(128)
        };
        let drawn: String = (0..32).map(|_| password(&digits)).collect();
        for digit in DIGITS.chars() {
            assert!(drawn.contains(digit), "{digit} never drawn");
        }
    }

    #[test]
    fn a_passphrase_is_words_from_the_list_with_one_number() {
        let made = passphrase(&PassphraseRules {
            words: 5,
            separator: "-".into(),
            capitalize: true,
            include_number: true,
        });
        let words: Vec<&str> = made.split('-').collect();
        assert_eq!(words.len(), 5, "{made}");
        assert_eq!(
            words
                .iter()
                .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
                .count(),
            1
        );
        for word in words {
            let bare: String = word.chars().filter(|c| !c.is_ascii_digit()).collect();
            assert!(bare.starts_with(|c: char| c.is_uppercase()), "{made}");
            assert!(
                EFF_LONG_WORDLIST.contains(&bare.to_lowercase().as_str()),
                "{bare} in {made}"
            );
        }
        let plain = passphrase(&PassphraseRules {
            words: 1,
            separator: " ".into(),
            capitalize: false,
            include_number: false,
        });
        assert_eq!(
            plain.split(' ').count(),
            3,
            "clamped to three words: {plain}"
        );
        assert_eq!(EFF_LONG_WORDLIST.len(), 7776);
    }
}
