use sha2::{Digest, Sha256};

use crate::keys::hkdf_expand;

/// EFF's long word list (<https://www.eff.org/dice>, CC BY 3.0 US): 7,776 words, one per line.
const WORDS: &str = include_str!("eff_large_wordlist.txt");

/// The five words a person compares before trusting a public key (Confirm, account recovery
/// enrollment): HKDF-Expand-SHA256(PRK = SHA-256(SPKI DER), info = the owner's id, 32 bytes),
/// read as a big-endian number and taken apart in base 7,776, least significant digit first,
/// each digit a word. Five words carry 64 bits. The same phrase as Bitwarden's clients show.
pub fn fingerprint_phrase(owner_id: &str, spki_der: &[u8]) -> String {
    let words: Vec<&str> = WORDS.lines().collect();
    let prk = Sha256::digest(spki_der);
    let mut number = *hkdf_expand::<32>(&prk, owner_id.as_bytes());
    (0..5)
        .map(|_| words[divide_in_place(&mut number, words.len())])
        .collect::<Vec<_>>()
        .join("-")
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
        let words: Vec<&str> = WORDS.lines().collect();
        assert_eq!(words.len(), 7776);
        assert_eq!((words[0], words[7775]), ("abacus", "zoom"));
        assert!(
            words.windows(2).all(|pair| pair[0] < pair[1]),
            "sorted, no repeats"
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
