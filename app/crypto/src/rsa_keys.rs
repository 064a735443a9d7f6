use base64::Engine as _;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

use crate::envelope::{decode_b64, split_type};
use crate::{B64, CryptoError, EncString, SymmetricKey};

/// Bitwarden's key pairs are RSA-2048; a key of another size is refused when read, so nobody
/// can hand a member a weak key to wrap an organization key to.
const BITS: usize = 2048;

/// The padding of a type-4 envelope: RSA-OAEP with SHA-1 for the hash and for MGF1, no label.
/// SHA-1 is what every Bitwarden client expects here (OAEP's security does not rest on SHA-1's
/// collision resistance).
fn padding() -> rsa::Oaep<sha1::Sha1> {
    rsa::Oaep::<sha1::Sha1>::new()
}

/// An RSA-2048 private key: a user's, or an organization's (account recovery). Stored only
/// wrapped (PKCS#8 DER in a type-2 envelope under the user or organization key); zeroized when
/// dropped.
#[derive(Clone)]
pub struct PrivateKey(rsa::PrivateKey);

impl PrivateKey {
    /// A new key pair (e = 65537), for native callers (the operator's command line, demo data,
    /// tests). The browser bundle must not call it: its prime search carries a 49 KB table of
    /// constants that would sit in every page's first load (the splitter moves code out of
    /// the main module, never data), and WebCrypto makes the pair faster anyway. The browser
    /// hands its pair to [`crate::account::new_account_with`] and
    /// [`crate::shared::new_organization_with`] as PKCS#8 instead.
    pub fn generate() -> Self {
        // The random source failing means no key can be made at all (see `random_bytes`); key
        // generation at a fixed size and exponent cannot otherwise fail.
        #[allow(clippy::expect_used)]
        let key = rsa::PrivateKey::new(&mut getrandom::SysRng, BITS)
            .expect("an RSA-2048 key can be generated");
        Self(key)
    }

    /// The key from PKCS#8 DER.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, CryptoError> {
        let key = rsa::PrivateKey::from_pkcs8_der(der).map_err(|_| CryptoError::MalformedRsaKey)?;
        if key.size() * 8 != BITS {
            return Err(CryptoError::MalformedRsaKey);
        }
        Ok(Self(key))
    }

    /// PKCS#8 DER, to be wrapped and nowhere else.
    pub fn to_pkcs8_der(&self) -> Zeroizing<Vec<u8>> {
        // Encoding a valid in-memory key cannot fail.
        #[allow(clippy::expect_used)]
        let der = self.0.to_pkcs8_der().expect("an RSA key encodes as PKCS#8");
        Zeroizing::new(der.as_bytes().to_vec())
    }

    /// The private key wrapped under `key` (the user or organization key), as stored.
    pub fn wrap(&self, key: &SymmetricKey) -> EncString {
        EncString::encrypt(key, &self.to_pkcs8_der())
    }

    /// Opens a wrapped private key.
    pub fn unwrap_from(wrapped: &EncString, key: &SymmetricKey) -> Result<Self, CryptoError> {
        Self::from_pkcs8_der(&wrapped.decrypt(key)?)
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.to_public_key())
    }

    /// Opens a type-4 envelope addressed to this key.
    pub fn unwrap_key(&self, wrapped: &WrappedKey) -> Result<SymmetricKey, CryptoError> {
        let bytes = Zeroizing::new(
            self.0
                .decrypt(padding(), &wrapped.0)
                .map_err(|_| CryptoError::WrongKeyOrTampered)?,
        );
        SymmetricKey::from_bytes(&bytes)
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey(…)")
    }
}

/// An RSA-2048 public key, stored and sent as base64 of its SPKI DER.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(rsa::PublicKey);

impl PublicKey {
    pub fn from_spki_der(der: &[u8]) -> Result<Self, CryptoError> {
        let key =
            rsa::PublicKey::from_public_key_der(der).map_err(|_| CryptoError::MalformedRsaKey)?;
        if key.size() * 8 != BITS {
            return Err(CryptoError::MalformedRsaKey);
        }
        Ok(Self(key))
    }

    pub fn to_spki_der(&self) -> Vec<u8> {
        // Encoding a valid in-memory key cannot fail.
        #[allow(clippy::expect_used)]
        let der = self
            .0
            .to_public_key_der()
            .expect("an RSA key encodes as SPKI");
        der.as_bytes().to_vec()
    }

    /// The key from base64 of its SPKI DER, as stored in `users.public_key`.
    pub fn from_base64(text: &str) -> Result<Self, CryptoError> {
        Self::from_spki_der(&B64.decode(text).map_err(|_| CryptoError::MalformedRsaKey)?)
    }

    pub fn to_base64(&self) -> String {
        B64.encode(self.to_spki_der())
    }

    /// Wraps a symmetric key (an organization or provider key) to this public key: the
    /// type-4 envelope Confirm sends.
    pub fn wrap_key(&self, key: &SymmetricKey) -> WrappedKey {
        // OAEP-SHA1 over 64 bytes fits a 2048-bit key with room to spare; the random source
        // failing is handled as in `PrivateKey::generate`.
        #[allow(clippy::expect_used)]
        let bytes = self
            .0
            .encrypt(&mut getrandom::SysRng, padding(), &key.to_bytes())
            .expect("64 bytes fit RSA-2048 with OAEP");
        WrappedKey(bytes)
    }

    /// The five words a person compares before trusting this key
    /// ([`crate::fingerprint_phrase_in`]).
    pub fn fingerprint_in(&self, words: &crate::WordList<'_>, owner_id: &str) -> String {
        crate::fingerprint_phrase_in(words, owner_id, &self.to_spki_der())
    }

    /// [`Self::fingerprint_in`] with the embedded list (native builds).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn fingerprint(&self, owner_id: &str) -> String {
        crate::fingerprint_phrase(owner_id, &self.to_spki_der())
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.to_base64())
    }
}

/// A type-4 envelope: a symmetric key encrypted to someone's public key, `4.` b64(RSA-OAEP).
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedKey(Vec<u8>);

impl std::str::FromStr for WrappedKey {
    type Err = CryptoError;

    fn from_str(text: &str) -> Result<Self, CryptoError> {
        let bytes = decode_b64(split_type(text, "4")?)?;
        // The ciphertext of RSA-2048 is always 256 bytes.
        if bytes.len() != BITS / 8 {
            return Err(CryptoError::MalformedEnvelope);
        }
        Ok(Self(bytes))
    }
}

impl std::fmt::Display for WrappedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "4.{}", B64.encode(&self.0))
    }
}

crate::text_form!(WrappedKey);
