//! What the server does with an account's keys (VAULT.md §2): it checks their form, keeps them,
//! and hashes the login hash the way it used to hash passwords. It never sees the master
//! password (except once, when an account made before zero knowledge upgrades), so it cannot
//! derive any key; the envelopes it keeps are opaque to it.

use portal_crypto::{AccountKeys, CryptoError, Kdf, MasterPasswordKeys};
use sea_orm::Set;

use super::password;
use crate::db::users;
use crate::error::{AppError, Refusal};
use crate::vocabulary::KdfKind;

/// A refused key as the user is told about it: KDF settings out of bounds can be chosen by
/// hand; anything else only comes from a broken (or hostile) client.
pub fn refusal(error: &CryptoError) -> AppError {
    match error {
        CryptoError::KdfOutOfBounds => AppError::Refused(Refusal::KdfOutOfBounds),
        _ => AppError::Refused(Refusal::MalformedKeys),
    }
}

/// A new master password's keys, checked, with the login hash hashed for storage.
pub struct NewMaster {
    pub keys: MasterPasswordKeys,
    pub hash: String,
}

impl NewMaster {
    pub async fn from(keys: MasterPasswordKeys) -> Result<Self, AppError> {
        keys.check().map_err(|e| refusal(&e))?;
        let hash = password::hash(keys.login_hash.clone()).await?;
        Ok(Self { keys, hash })
    }

    /// Writes the credential and the wrapped user key; the salt and the key pair stay.
    pub fn apply(&self, user: &mut users::ActiveModel) {
        user.password_hash = Set(self.hash.clone());
        set_kdf(user, self.keys.kdf);
        user.user_key = Set(Some(self.keys.user_key.to_string()));
    }
}

/// A new account's keys, checked, with the login hash hashed for storage.
pub struct NewAccount {
    pub master: NewMaster,
    pub public_key: String,
    pub private_key: String,
}

impl NewAccount {
    pub async fn from(keys: AccountKeys) -> Result<Self, AppError> {
        keys.check().map_err(|e| refusal(&e))?;
        Ok(Self {
            public_key: keys.public_key,
            private_key: keys.private_key.to_string(),
            master: NewMaster::from(keys.master).await?,
        })
    }

    /// Writes everything, with `salt` (the address the keys were derived for) kept.
    pub fn apply(&self, user: &mut users::ActiveModel, salt: &str) {
        self.master.apply(user);
        user.master_password_salt = Set(Some(salt.to_owned()));
        user.public_key = Set(Some(self.public_key.clone()));
        user.private_key = Set(Some(self.private_key.clone()));
    }

    /// The keys as a registration waiting for its link keeps them (JSON).
    pub fn to_json(&self) -> Result<String, AppError> {
        let keys = AccountKeys {
            master: self.master.keys.clone(),
            public_key: self.public_key.clone(),
            private_key: self.private_key.parse().map_err(|_| AppError::Internal)?,
        };
        serde_json::to_string(&keys).map_err(|_| AppError::Internal)
    }

    /// Back from [`Self::to_json`], with the hash kept beside it.
    pub fn from_json(json: &str, hash: String) -> Result<Self, AppError> {
        let keys: AccountKeys = serde_json::from_str(json).map_err(|error| {
            tracing::error!(%error, "a waiting registration's keys do not parse");
            AppError::Internal
        })?;
        Ok(Self {
            public_key: keys.public_key,
            private_key: keys.private_key.to_string(),
            master: NewMaster {
                keys: keys.master,
                hash,
            },
        })
    }
}

/// Takes an account back to the state of one made before zero knowledge: no KDF settings, no
/// keys (its password hash is then a password's, set by the caller).
pub fn forget(user: &mut users::ActiveModel) {
    user.kdf = Set(None);
    user.kdf_iterations = Set(None);
    user.kdf_memory_mib = Set(None);
    user.kdf_parallelism = Set(None);
    user.master_password_salt = Set(None);
    user.user_key = Set(None);
    user.public_key = Set(None);
    user.private_key = Set(None);
}

fn set_kdf(user: &mut users::ActiveModel, kdf: Kdf) {
    let column = |value: u32| Some(i32::try_from(value).unwrap_or(i32::MAX));
    match kdf {
        Kdf::Pbkdf2 { iterations } => {
            user.kdf = Set(Some(KdfKind::Pbkdf2));
            user.kdf_iterations = Set(column(iterations));
            user.kdf_memory_mib = Set(None);
            user.kdf_parallelism = Set(None);
        }
        Kdf::Argon2id {
            iterations,
            memory_mib,
            parallelism,
        } => {
            user.kdf = Set(Some(KdfKind::Argon2id));
            user.kdf_iterations = Set(column(iterations));
            user.kdf_memory_mib = Set(column(memory_mib));
            user.kdf_parallelism = Set(column(parallelism));
        }
    }
}

/// Keys made on the server's side of the wire, where the password is known: the operator's
/// command line and the demo data. The same code the browser runs, on the blocking pool
/// (PBKDF2 and an RSA key pair take a moment).
pub async fn make_natively(
    password: String,
    salt: String,
    kdf: Kdf,
) -> Result<AccountKeys, AppError> {
    tokio::task::spawn_blocking(move || portal_crypto::account::new_account(&password, &salt, kdf))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|e| refusal(&e))
}
