//! Bitwarden's key hierarchy and envelopes, byte for byte (`../shared/VAULT.md` §1), so that
//! Bitwarden's published known answers, its export files and, later, its own clients all agree
//! with what the portal stores.
//!
//! - [`Kdf`] and [`MasterKey`]: the master key from the master password (PBKDF2-SHA256 or
//!   Argon2id), the login hash the server sees instead of the password, and the stretched key
//!   that wraps the user key.
//! - [`SymmetricKey`]: 64 random bytes (AES-256 key ‖ HMAC-SHA256 key): user, organization,
//!   provider and item keys.
//! - [`EncString`]: the type-2 envelope (AES-256-CBC, then HMAC-SHA256 over iv ‖ ciphertext).
//! - [`PrivateKey`] / [`PublicKey`] and [`WrappedKey`]: RSA-2048 and the type-4 envelope
//!   (RSA-OAEP with SHA-1) that hands a symmetric key to someone's public key.
//! - [`fingerprint_phrase`]: the five words a person compares before trusting a public key.
//! - [`derive_shareable_key`]: the key of a Send, from the seed in its link.
//! - [`vault`]: items in Bitwarden's field-level shape, each string sealed under the item's key.
//!
//! Only types 2 and 4 are made, and only they are accepted: Bitwarden's older types (0: no MAC,
//! 1: AES-128, 3/5/6: other RSA paddings) are refused when parsed, so nothing can be downgraded.
//!
//! Secrets are zeroized when dropped. The crate does no I/O and needs no clock: it compiles for
//! the browser and natively alike, and the same known-answer tests run in both
//! (`tests/known_answers.rs`).

/// An envelope's `Debug` and serde forms are its text (`2.…`, `4.…`), parsed on the way in, so
/// a malformed or refused envelope fails deserialization with the reason.
macro_rules! text_form {
    ($name:ident) => {
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({self})", stringify!($name))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use text_form;

pub mod account;
mod envelope;
mod error;
pub mod fingerprint;
mod kdf;
mod keys;
mod rsa_keys;
pub mod shared;
pub mod vault;

pub use account::{AccountKeys, MasterPasswordKeys};
pub use envelope::EncString;
pub use error::CryptoError;
#[cfg(not(target_arch = "wasm32"))]
pub use fingerprint::fingerprint_phrase;
pub use fingerprint::{WordList, fingerprint_phrase_in};
pub use kdf::{Kdf, MasterKey, email_salt};
pub use keys::{SymmetricKey, derive_shareable_key, keyed_hash};
pub use rsa_keys::{PrivateKey, PublicKey, WrappedKey};
pub use shared::{NewOrganizationKeys, OrganizationKeyPair};
/// Byte buffers that are zeroed when dropped, for holders of key material outside this crate.
pub use zeroize::Zeroizing;

/// The standard base64 alphabet with padding, as every Bitwarden envelope and key uses.
pub(crate) const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Fills `buf` from the operating system's (or the browser's) secure random source.
pub(crate) fn random_bytes(buf: &mut [u8]) {
    // The source failing means the platform cannot make keys at all; there is no safe fallback.
    #[allow(clippy::expect_used)]
    getrandom::fill(buf).expect("the platform's secure random source answers");
}
