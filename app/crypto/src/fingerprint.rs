use sha2::{Digest, Sha256};

use crate::CryptoError;
use crate::keys::hkdf_expand;

/// EFF's long word list (<https://www.eff.org/dice>, CC BY 3.0 US): 7,776 words, one per line.
/// Embedded in native builds only. The browser fetches it the first time it shows a phrase:
/// the wasm splitter moves code into chunks but leaves all data in the main module, so an
/// embedded list sat in every page's first load (62 KB raw, 21 KB brotli).
#[cfg(not(target_arch = "wasm32"))]
pub const EFF_WORDS: &str = include_str!("eff_large_wordlist.txt");

/// How many words the list has: each word carries log2(7,776) ≈ 12.9 bits.
pub const WORD_COUNT: usize = 7776;

/// A word list of EFF's long list's shape (7,776 words, sorted, no repeats): what a phrase
/// is made of. A list fetched from the server is checked before any phrase is shown with it.
#[derive(Clone, Debug)]
pub struct WordList<'a>(Vec<&'a str>);

impl<'a> WordList<'a> {
    pub fn parse(text: &'a str) -> Result<Self, CryptoError> {
        let words: Vec<&str> = text.lines().collect();
        let sorted = words.windows(2).all(|pair| pair[0] < pair[1]);
        if words.len() != WORD_COUNT || !sorted {
            return Err(CryptoError::WordList);
        }
        Ok(Self(words))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl WordList<'static> {
    /// The embedded list (native builds).
    pub fn eff() -> Self {
        Self(EFF_WORDS.lines().collect())
    }
}

/// The five words a person compares before trusting a public key (Confirm, account recovery
/// enrollment): HKDF-Expand-SHA256(PRK = SHA-256(SPKI DER), info = the owner's id, 32 bytes),
/// read as a big-endian number and taken apart in base 7,776, least significant digit first,
/// each digit a word. Five words carry 64 bits. The same phrase as Bitwarden's clients show.
pub fn fingerprint_phrase_in(words: &WordList<'_>, owner_id: &str, spki_der: &[u8]) -> String {
    let words = &words.0;
    let prk = Sha256::digest(spki_der);
    let mut number = *hkdf_expand::<32>(&prk, owner_id.as_bytes());
    (0..5)
        .map(|_| words[divide_in_place(&mut number, words.len())])
        .collect::<Vec<_>>()
        .join("-")
}

/// [`fingerprint_phrase_in`] with the embedded list (native builds).
#[cfg(not(target_arch = "wasm32"))]
pub fn fingerprint_phrase(owner_id: &str, spki_der: &[u8]) -> String {
    fingerprint_phrase_in(&WordList::eff(), owner_id, spki_der)
}

/// Divides the big-endian number in `digits` by `divisor` in place; returns the remainder.
fn divide_in_place(digits: &mut [u8], divisor: usize) -> usize {
    let mut remainder = 0usize;
    for digit in digits.iter_mut() {
        let value = (remainder << 8) | usize::from(*digit);
        // value < divisor · 256, so the quotient digit fits a byte.
        *digit = u8::try_from(value / divisor).unwrap_or(u8::MAX);
        remainder = value % divisor;
    }
    remainder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_list_is_effs_long_list() {
        let words = WordList::eff().0;
        assert_eq!(words.len(), 7776);
        assert_eq!((words[0], words[7775]), ("abacus", "zoom"));
        // A list of another shape is refused.
        assert_eq!(
            WordList::parse("abacus\nzoom").expect_err("two words"),
            CryptoError::WordList
        );
        let unsorted = EFF_WORDS.replacen("abacus\nabdomen", "abdomen\nabacus", 1);
        assert_eq!(
            WordList::parse(&unsorted).expect_err("unsorted"),
            CryptoError::WordList
        );
    }

    #[test]
    fn long_division_matches_native_arithmetic() {
        let n: u128 = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210;
        let mut digits = n.to_be_bytes();
        let remainder = divide_in_place(&mut digits, 7776);
        assert_eq!(remainder as u128, n % 7776);
        assert_eq!(u128::from_be_bytes(digits), n / 7776);
    }
}
