//! Keys that several people hold (VAULT.md §1–2): an organization's key and key pair, and a
//! provider's key. Each is made in one browser and handed to others wrapped: to a member's
//! public key (type 4, what Confirm sends) or, for a provider's client, under the provider's
//! key (type 2). The server stores these envelopes and checks only their form.

use serde::{Deserialize, Serialize};

use crate::{
    CryptoError, EncString, Kdf, MasterPasswordKeys, PrivateKey, PublicKey, SymmetricKey,
    WrappedKey,
};

/// An organization's key pair as stored: the public key (base64 SPKI DER), to which members
/// enrolled in account recovery wrap their user key, and the private key (PKCS#8 DER, type 2
/// under the organization key), which an admin's browser opens to recover an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationKeyPair {
    pub public_key: String,
    pub private_key: EncString,
}

impl OrganizationKeyPair {
    /// A new RSA-2048 pair for the organization whose key is `organization_key`.
    pub fn generate(organization_key: &SymmetricKey) -> Self {
        Self::of(&PrivateKey::generate(), organization_key)
    }

    /// The pair of an existing private key, wrapped under `organization_key`. Generated data
    /// (`seed-bulk`) shares one pair among many organizations to stay fast; everything real
    /// calls [`Self::generate`].
    pub fn of(private: &PrivateKey, organization_key: &SymmetricKey) -> Self {
        Self {
            public_key: private.public_key().to_base64(),
            private_key: private.wrap(organization_key),
        }
    }

    /// The form the server checks: a 2048-bit public key and a type-2 private key.
    pub fn check(&self) -> Result<(), CryptoError> {
        PublicKey::from_base64(&self.public_key).map(|_| ())
    }

    /// The two columns the server stores (public key, wrapped private key), once their form
    /// is checked: the server holds no key that opens them, so it can check no more.
    pub fn stored(&self) -> Result<(String, String), CryptoError> {
        self.check()?;
        Ok((self.public_key.clone(), self.private_key.to_string()))
    }

    /// Opens the private key with the organization key (account recovery).
    pub fn open_private(&self, organization_key: &SymmetricKey) -> Result<PrivateKey, CryptoError> {
        PrivateKey::unwrap_from(&self.private_key, organization_key)
    }
}

/// A new organization, as its creating browser sends it: the key pair, and the organization
/// key wrapped to the first holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrganizationKeys {
    pub pair: OrganizationKeyPair,
    /// Password Manager "New organization": to the creator's public key, who is its Owner.
    /// A provider's new client: `None`, the key goes under the provider key instead.
    pub owner_key: Option<WrappedKey>,
    /// A provider's new client: the organization key, type 2 under the provider key.
    pub provider_key: Option<EncString>,
}

/// Makes a new organization's key and key pair, wrapping the key to `owner` (a member's public
/// key) and/or under `provider` (the provider's key). Returns the key too: the browser that
/// made it may go on using it.
pub fn new_organization(
    owner: Option<&PublicKey>,
    provider: Option<&SymmetricKey>,
) -> (SymmetricKey, NewOrganizationKeys) {
    new_organization_with(owner, provider, &PrivateKey::generate())
}

/// [`new_organization`] with its key pair already made (the browser makes it with WebCrypto:
/// see [`PrivateKey::generate`]).
pub fn new_organization_with(
    owner: Option<&PublicKey>,
    provider: Option<&SymmetricKey>,
    pair: &PrivateKey,
) -> (SymmetricKey, NewOrganizationKeys) {
    let key = SymmetricKey::generate();
    let keys = NewOrganizationKeys {
        pair: OrganizationKeyPair::of(pair, &key),
        owner_key: owner.map(|public| public.wrap_key(&key)),
        provider_key: provider.map(|provider| EncString::wrap_key(provider, &key)),
    };
    (key, keys)
}

/// A new provider's key, wrapped to the public key of the admin setting it up.
pub fn new_provider(admin: &PublicKey) -> (SymmetricKey, WrappedKey) {
    let key = SymmetricKey::generate();
    let wrapped = admin.wrap_key(&key);
    (key, wrapped)
}

/// Enrolling in account recovery: the member's user key, wrapped to the organization's public
/// key (made in the member's browser, after it showed the organization's fingerprint phrase).
pub fn recovery_key(user_key: &SymmetricKey, organization: &PublicKey) -> WrappedKey {
    organization.wrap_key(user_key)
}

/// Account recovery, in the recovering admin's browser: the organization's private key
/// (`organization_private`, type 2 under `organization_key`) opens the member's enrolment
/// (`recovery_key`), and the *same* user key is wrapped under `new_password`, derived with the
/// member's own `salt` and `kdf`. What was encrypted to the member before still opens after.
pub fn recover_account(
    organization_key: &SymmetricKey,
    organization_private: &EncString,
    recovery_key: &WrappedKey,
    new_password: &str,
    salt: &str,
    kdf: Kdf,
) -> Result<MasterPasswordKeys, CryptoError> {
    let private = PrivateKey::unwrap_from(organization_private, organization_key)?;
    let user_key = private.unwrap_key(recovery_key)?;
    crate::account::wrap_user_key(new_password, salt, kdf, &user_key)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::account;

    const KDF: Kdf = Kdf::Pbkdf2 {
        iterations: 600_000,
    };

    /// Enrol, recover, unlock with the new password: the same user key and private key, so
    /// what was wrapped to the member before recovery still opens after it.
    #[test]
    fn recovery_keeps_the_user_key() {
        let salt = crate::email_salt("kim@acme.example");
        let keys = account::new_account("first password", &salt, KDF).unwrap();
        let (user_key, private) = account::unlock(
            "first password",
            &salt,
            KDF,
            &keys.master.user_key,
            &keys.private_key,
        )
        .unwrap();
        let (organization_key, organization) = new_organization(None, None);
        let organization_public = PublicKey::from_base64(&organization.pair.public_key).unwrap();
        let enrolment = recovery_key(&user_key, &organization_public);
        // Shared with the member before the recovery: an organization key wrapped to them.
        let held = private.public_key().wrap_key(&organization_key);

        let recovered = recover_account(
            &organization_key,
            &organization.pair.private_key,
            &enrolment,
            "second password",
            &salt,
            KDF,
        )
        .unwrap();
        assert_eq!(recovered.kdf, KDF);
        let (after, private_after) = account::unlock(
            "second password",
            &salt,
            KDF,
            &recovered.user_key,
            &keys.private_key,
        )
        .unwrap();
        assert_eq!(after.to_bytes(), user_key.to_bytes());
        assert_eq!(
            private_after.unwrap_key(&held).unwrap().to_bytes(),
            organization_key.to_bytes()
        );
        // The old password no longer opens the new envelope.
        assert!(
            account::unlock(
                "first password",
                &salt,
                KDF,
                &recovered.user_key,
                &keys.private_key
            )
            .is_err()
        );
    }

    /// An enrolment made for another organization does not open.
    #[test]
    fn another_organizations_enrolment_does_not_open() {
        let user_key = SymmetricKey::generate();
        let (key, ours) = new_organization(None, None);
        let (_, theirs) = new_organization(None, None);
        let theirs = PublicKey::from_base64(&theirs.pair.public_key).unwrap();
        let enrolment = recovery_key(&user_key, &theirs);
        assert!(
            recover_account(&key, &ours.pair.private_key, &enrolment, "x", "salt", KDF).is_err()
        );
    }
}
