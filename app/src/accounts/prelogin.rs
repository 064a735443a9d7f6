//! Prelogin (VAULT.md §2): the key-derivation settings and salt of the account an address
//! belongs to, asked for before signing in, since the browser derives the master key itself.
//!
//! An address without an account (or with one made before zero knowledge, which has no
//! settings until its next sign-in upgrades it) gets a decoy: settings picked by a keyed hash
//! of the address under a secret of the server's, so the same address always gets the same
//! answer, of the same shape as a real one. The pick follows what accounts are made with:
//! Bitwarden's PBKDF2 default, and for about one address in ten its Argon2id default.

use portal_crypto::{Kdf, email_salt, keyed_hash};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::types::{Prelogin, normalize_email};
use crate::db::{server_secrets, users};
use crate::error::AppError;
use crate::vocabulary::KdfKind;

/// The name of the decoys' secret in `server_secrets`.
const DECOY_SECRET: &str = "prelogin_decoy";

/// The answer for `email`: the account's own settings, or its decoy.
pub async fn prelogin(db: &impl ConnectionTrait, email: &str) -> Result<Prelogin, AppError> {
    let email = normalize_email(email).unwrap_or_else(|| email.trim().to_lowercase());
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .one(db)
        .await?;
    // The decoy is worked out for accounts too, so both answers cost the same queries and
    // their timing tells nothing either.
    let secret = server_secrets::get_or_make(db, DECOY_SECRET).await?;
    let made_up = decoy(&secret, &email);
    Ok(user.as_ref().and_then(stored).unwrap_or(made_up))
}

/// The settings an account was made with, if it was made with keys.
pub fn stored(user: &users::Model) -> Option<Prelogin> {
    let count = |value: Option<i32>| value.and_then(|v| u32::try_from(v).ok());
    let kdf = match user.kdf? {
        KdfKind::Pbkdf2 => Kdf::Pbkdf2 {
            iterations: count(user.kdf_iterations)?,
        },
        KdfKind::Argon2id => Kdf::Argon2id {
            iterations: count(user.kdf_iterations)?,
            memory_mib: count(user.kdf_memory_mib)?,
            parallelism: count(user.kdf_parallelism)?,
        },
    };
    Some(Prelogin {
        kdf,
        salt: user.master_password_salt.clone()?,
    })
}

/// The made-up answer for an address (already normalized) without settings.
pub fn decoy(secret: &[u8], email: &str) -> Prelogin {
    let pick = keyed_hash(secret, format!("prelogin:{email}").as_bytes());
    let kdf = if pick[0] < 26 {
        Kdf::ARGON2_DEFAULT
    } else {
        Kdf::default()
    };
    Prelogin {
        kdf,
        salt: email_salt(email),
    }
}
