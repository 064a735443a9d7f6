//! An account's own keys (VAULT.md §2): what registering makes, what a sign-in sends instead of
//! the password, and what changing the master password re-wraps. The browser runs these on what
//! the user typed; the operator's command line, the demo data and the tests run the same code
//! natively. The server only ever sees the values of [`AccountKeys`] and [`MasterPasswordKeys`],
//! and checks their form with [`AccountKeys::check`].

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::{B64, CryptoError, EncString, Kdf, MasterKey, PrivateKey, PublicKey, SymmetricKey};

/// What a new master password comes down to on the wire: how the master key is derived, the
/// login hash that stands in for the password, and the user key wrapped under the stretched
/// master key. The salt is not here: the account keeps the one it was made with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MasterPasswordKeys {
    pub kdf: Kdf,
    /// base64 of 32 bytes (PBKDF2 of the master key with the password as salt, 1 iteration).
    pub login_hash: String,
    /// The user key, type 2 under the stretched master key.
    pub user_key: EncString,
}

/// Everything a new account sends: its master-password keys and its RSA key pair (the public
/// key as base64 SPKI DER, the private key as PKCS#8 DER, type 2 under the user key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountKeys {
    pub master: MasterPasswordKeys,
    pub public_key: String,
    pub private_key: EncString,
}

/// The login hash for `password`, as a sign-in (or any "enter your password again") sends it.
pub fn login_hash(password: &str, salt: &str, kdf: Kdf) -> Result<String, CryptoError> {
    Ok(MasterKey::derive(password, salt, kdf)?.login_hash(password))
}

/// A new account's keys: a random user key, an RSA-2048 pair, both wrapped as VAULT.md §1 says.
pub fn new_account(password: &str, salt: &str, kdf: Kdf) -> Result<AccountKeys, CryptoError> {
    Ok(new_account_with(
        &MasterKey::derive(password, salt, kdf)?,
        password,
        kdf,
        &PrivateKey::generate(),
    ))
}

/// [`new_account`] with the master key already derived (from `password` with `kdf`) and the
/// key pair already made: the browser keeps the master key to open the new keys once the
/// account is signed in, without a second KDF, and makes the pair with WebCrypto (see
/// [`PrivateKey::generate`]).
pub fn new_account_with(
    master: &MasterKey,
    password: &str,
    kdf: Kdf,
    private: &PrivateKey,
) -> AccountKeys {
    let user_key = SymmetricKey::generate();
    AccountKeys {
        master: master_password_keys(master, password, kdf, &user_key),
        public_key: private.public_key().to_base64(),
        private_key: private.wrap(&user_key),
    }
}

/// A new master password (or new KDF settings) for an account: the *same* user key, unwrapped
/// with the current password and wrapped again under the new one, so nothing else changes.
/// Returns the current login hash (the server checks it) and the new keys.
pub fn change_master_password(
    current: &str,
    new: &str,
    salt: &str,
    current_kdf: Kdf,
    new_kdf: Kdf,
    wrapped_user_key: &EncString,
) -> Result<(String, MasterPasswordKeys), CryptoError> {
    let master = MasterKey::derive(current, salt, current_kdf)?;
    let user_key = wrapped_user_key.decrypt_key(&master.stretch())?;
    let current_hash = master.login_hash(current);
    Ok((current_hash, wrap_user_key(new, salt, new_kdf, &user_key)?))
}

/// Unwraps the user key and the private key with the master password: what unlocking does.
pub fn unlock(
    password: &str,
    salt: &str,
    kdf: Kdf,
    user_key: &EncString,
    private_key: &EncString,
) -> Result<(SymmetricKey, PrivateKey), CryptoError> {
    open(
        &MasterKey::derive(password, salt, kdf)?,
        user_key,
        private_key,
    )
}

/// Unwraps the user key and the private key with a master key already derived (a sign-in
/// derived it for its login hash, and need not spend the KDF twice).
pub fn open(
    master: &MasterKey,
    user_key: &EncString,
    private_key: &EncString,
) -> Result<(SymmetricKey, PrivateKey), CryptoError> {
    let user_key = user_key.decrypt_key(&master.stretch())?;
    let private = PrivateKey::unwrap_from(private_key, &user_key)?;
    Ok((user_key, private))
}

/// The same user key under a new master password (what changing it and account recovery send).
pub(crate) fn wrap_user_key(
    password: &str,
    salt: &str,
    kdf: Kdf,
    user_key: &SymmetricKey,
) -> Result<MasterPasswordKeys, CryptoError> {
    Ok(master_password_keys(
        &MasterKey::derive(password, salt, kdf)?,
        password,
        kdf,
        user_key,
    ))
}

fn master_password_keys(
    master: &MasterKey,
    password: &str,
    kdf: Kdf,
    user_key: &SymmetricKey,
) -> MasterPasswordKeys {
    MasterPasswordKeys {
        kdf,
        login_hash: master.login_hash(password),
        user_key: EncString::wrap_key(&master.stretch(), user_key),
    }
}

/// A login hash as the server accepts it: base64 of exactly 32 bytes.
pub fn check_login_hash(hash: &str) -> Result<(), CryptoError> {
    match B64.decode(hash) {
        Ok(bytes) if bytes.len() == 32 => Ok(()),
        _ => Err(CryptoError::KeyLength),
    }
}

impl MasterPasswordKeys {
    /// What the server can check without any secret: KDF bounds and the login hash's form (the
    /// envelope was parsed, and its type refused unless 2, when it was deserialized).
    pub fn check(&self) -> Result<(), CryptoError> {
        self.kdf.check_bounds()?;
        check_login_hash(&self.login_hash)
    }
}

impl AccountKeys {
    /// [`MasterPasswordKeys::check`], and that the public key is an RSA-2048 SPKI.
    pub fn check(&self) -> Result<(), CryptoError> {
        self.master.check()?;
        PublicKey::from_base64(&self.public_key).map(|_| ())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const KDF: Kdf = Kdf::Argon2id {
        iterations: 2,
        memory_mib: 15,
        parallelism: 1,
    };

    #[test]
    fn a_changed_password_wraps_the_same_user_key_and_the_old_one_no_longer_unlocks() {
        let keys = new_account("old password here", "ann@example.com", KDF).unwrap();
        keys.check().unwrap();
        let (user_key, private) = unlock(
            "old password here",
            "ann@example.com",
            KDF,
            &keys.master.user_key,
            &keys.private_key,
        )
        .unwrap();
        assert_eq!(private.public_key().to_base64(), keys.public_key);

        let (current_hash, changed) = change_master_password(
            "old password here",
            "new password there",
            "ann@example.com",
            KDF,
            Kdf::default(),
            &keys.master.user_key,
        )
        .unwrap();
        assert_eq!(current_hash, keys.master.login_hash);
        assert_ne!(changed.login_hash, keys.master.login_hash);
        let (same, _) = unlock(
            "new password there",
            "ann@example.com",
            Kdf::default(),
            &changed.user_key,
            &keys.private_key,
        )
        .unwrap();
        assert_eq!(same.to_bytes(), user_key.to_bytes());
        assert_eq!(
            unlock(
                "old password here",
                "ann@example.com",
                KDF,
                &changed.user_key,
                &keys.private_key
            )
            .err(),
            Some(CryptoError::WrongKeyOrTampered)
        );
    }

    #[test]
    fn the_server_side_check_refuses_what_it_can_see_is_wrong() {
        let keys = new_account("a password", "bo@example.com", KDF).unwrap();
        let mut weak = keys.clone();
        weak.master.kdf = Kdf::Pbkdf2 { iterations: 5_000 };
        assert_eq!(weak.check(), Err(CryptoError::KdfOutOfBounds));
        let mut short = keys.clone();
        short.master.login_hash = B64.encode([1u8; 16]);
        assert_eq!(short.check(), Err(CryptoError::KeyLength));
        let mut not_rsa = keys;
        not_rsa.public_key = B64.encode([1u8; 294]);
        assert_eq!(not_rsa.check(), Err(CryptoError::MalformedRsaKey));
        // A type-0 envelope never gets as far as a check: it does not deserialize.
        let wire = r#"{"master":{"kdf":{"kind":"pbkdf2","iterations":600000},"login_hash":"x","user_key":"0.AAAA|AAAA"},"public_key":"x","private_key":"0.AAAA|AAAA"}"#;
        assert!(serde_json::from_str::<AccountKeys>(wire).is_err());
    }
}
