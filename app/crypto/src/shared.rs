//! Keys that several people hold (VAULT.md §1–2): an organization's key and key pair, and a
//! provider's key. Each is made in one browser and handed to others wrapped: to a member's
//! public key (type 4, what Confirm sends) or, for a provider's client, under the provider's
//! key (type 2). The server stores these envelopes and checks only their form.

use serde::{Deserialize, Serialize};

use crate::{CryptoError, EncString, PrivateKey, PublicKey, SymmetricKey, WrappedKey};

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
    let key = SymmetricKey::generate();
    let keys = NewOrganizationKeys {
        pair: OrganizationKeyPair::generate(&key),
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
