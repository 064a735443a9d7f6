use base64::Engine as _;
use sha2::{Digest, Sha256};
use zeroize::{ZeroizeOnDrop, Zeroizing};

use crate::keys::hkdf_expand;
use crate::{B64, CryptoError, SymmetricKey};

/// How a master key is derived from the master password: Bitwarden's two choices, with their
/// settings. Stored per account; prelogin tells the browser which to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kdf {
    /// PBKDF2-HMAC-SHA256 over the salt string as it is.
    Pbkdf2 { iterations: u32 },
    /// Argon2id v0x13 over SHA-256 of the salt string; memory in MiB.
    Argon2id {
        iterations: u32,
        memory_mib: u32,
        parallelism: u32,
    },
}

impl Default for Kdf {
    /// Bitwarden's default for new accounts.
    fn default() -> Self {
        Kdf::Pbkdf2 {
            iterations: Self::PBKDF2_ITERATIONS.0,
        }
    }
}

impl Kdf {
    /// PBKDF2 iterations the server accepts (VAULT.md §2).
    pub const PBKDF2_ITERATIONS: (u32, u32) = (600_000, 2_000_000);
    /// Argon2id passes the server accepts.
    pub const ARGON2_ITERATIONS: (u32, u32) = (2, 10);
    /// Argon2id memory in MiB the server accepts.
    pub const ARGON2_MEMORY_MIB: (u32, u32) = (15, 1024);
    /// Argon2id lanes the server accepts.
    pub const ARGON2_PARALLELISM: (u32, u32) = (1, 16);

    /// Bitwarden's Argon2id defaults (t 3, m 64 MiB, p 4).
    pub const ARGON2_DEFAULT: Kdf = Kdf::Argon2id {
        iterations: 3,
        memory_mib: 64,
        parallelism: 4,
    };

    /// Refuses settings that are too weak to protect a vault or so heavy that a sign-in would
    /// stall a browser (or that an attacker could use to make the server's decoys stand out).
    pub fn check_bounds(&self) -> Result<(), CryptoError> {
        let within = |value: u32, (low, high): (u32, u32)| (low..=high).contains(&value);
        let ok = match *self {
            Kdf::Pbkdf2 { iterations } => within(iterations, Self::PBKDF2_ITERATIONS),
            Kdf::Argon2id {
                iterations,
                memory_mib,
                parallelism,
            } => {
                within(iterations, Self::ARGON2_ITERATIONS)
                    && within(memory_mib, Self::ARGON2_MEMORY_MIB)
                    && within(parallelism, Self::ARGON2_PARALLELISM)
            }
        };
        if ok {
            Ok(())
        } else {
            Err(CryptoError::KdfOutOfBounds)
        }
    }
}

/// The salt string Bitwarden derives from an address: trimmed and lowercased. An account keeps
/// the salt it was made with, so that changing its email does not change its keys.
pub fn email_salt(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The 32-byte key derived from the master password. Never stored, never sent: it yields the
/// login hash (sent instead of the password) and, stretched, the key that wraps the user key.
#[derive(ZeroizeOnDrop)]
pub struct MasterKey([u8; 32]);

impl MasterKey {
    /// Derives the master key. `salt` is the account's salt string ([`email_salt`] at
    /// registration). The bounds are not checked here: the known answers use lighter settings,
    /// and an account is held to [`Kdf::check_bounds`] when it is made or changed.
    pub fn derive(password: &str, salt: &str, kdf: Kdf) -> Result<Self, CryptoError> {
        let mut key = [0u8; 32];
        match kdf {
            Kdf::Pbkdf2 { iterations } => {
                pbkdf2::pbkdf2_hmac::<Sha256>(
                    password.as_bytes(),
                    salt.as_bytes(),
                    iterations,
                    &mut key,
                );
            }
            Kdf::Argon2id {
                iterations,
                memory_mib,
                parallelism,
            } => {
                let salt = Sha256::digest(salt.as_bytes());
                let params = argon2::Params::new(
                    memory_mib
                        .checked_mul(1024)
                        .ok_or(CryptoError::KdfOutOfBounds)?,
                    iterations,
                    parallelism,
                    Some(32),
                )
                .map_err(|_| CryptoError::KdfOutOfBounds)?;
                argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
                    .hash_password_into(password.as_bytes(), &salt, &mut key)
                    .map_err(|_| CryptoError::KdfOutOfBounds)?;
            }
        }
        Ok(Self(key))
    }

    /// The master key from its bytes (tests, and the known answers).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        Ok(Self(bytes.try_into().map_err(|_| CryptoError::KeyLength)?))
    }

    /// What the browser sends instead of the password: base64(PBKDF2-SHA256(password = master
    /// key, salt = master password, 1 iteration)). The server stores a slow hash of it.
    pub fn login_hash(&self, password: &str) -> String {
        let mut hash = Zeroizing::new([0u8; 32]);
        pbkdf2::pbkdf2_hmac::<Sha256>(&self.0, password.as_bytes(), 1, hash.as_mut());
        B64.encode(hash.as_ref())
    }

    /// The 64-byte key that wraps the user key: HKDF-Expand of the master key with "enc" and
    /// with "mac" (no Extract step).
    pub fn stretch(&self) -> SymmetricKey {
        let enc = hkdf_expand::<32>(&self.0, b"enc");
        let mac = hkdf_expand::<32>(&self.0, b"mac");
        SymmetricKey::from_halves(enc.as_ref(), mac.as_ref())
    }

    /// The base64 of the key, for the known-answer tests.
    #[doc(hidden)]
    pub fn to_base64(&self) -> String {
        B64.encode(self.0)
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}
