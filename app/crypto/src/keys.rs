use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::{ZeroizeOnDrop, Zeroizing};

use crate::CryptoError;

/// A 64-byte symmetric key: 32 bytes for AES-256 ‖ 32 bytes for HMAC-SHA256. User,
/// organization, provider and item keys are all of this kind; so is the stretched master key.
/// Zeroized when dropped; `Debug` shows nothing of it.
#[derive(Clone, ZeroizeOnDrop)]
pub struct SymmetricKey {
    enc: [u8; 32],
    mac: [u8; 32],
}

impl SymmetricKey {
    /// A new random key.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 64]);
        crate::random_bytes(bytes.as_mut());
        Self::from_halves(&bytes[..32], &bytes[32..])
    }

    /// The key from its 64 bytes (enc ‖ mac), as it comes out of an envelope.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        if bytes.len() != 64 {
            return Err(CryptoError::KeyLength);
        }
        Ok(Self::from_halves(&bytes[..32], &bytes[32..]))
    }

    pub(crate) fn from_halves(enc: &[u8], mac: &[u8]) -> Self {
        let mut key = Self {
            enc: [0; 32],
            mac: [0; 32],
        };
        key.enc.copy_from_slice(enc);
        key.mac.copy_from_slice(mac);
        key
    }

    /// The 64 bytes (enc ‖ mac), to be wrapped into an envelope and nowhere else.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(64));
        bytes.extend_from_slice(&self.enc);
        bytes.extend_from_slice(&self.mac);
        bytes
    }

    pub(crate) fn enc(&self) -> &[u8; 32] {
        &self.enc
    }

    pub(crate) fn mac(&self) -> &[u8; 32] {
        &self.mac
    }
}

impl std::fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SymmetricKey(…)")
    }
}

/// HKDF-Expand-SHA256 without the Extract step, as Bitwarden uses it throughout: with Extract
/// the keys come out different (VAULT.md §9).
pub(crate) fn hkdf_expand<const N: usize>(prk: &[u8], info: &[u8]) -> Zeroizing<[u8; N]> {
    let mut out = Zeroizing::new([0u8; N]);
    // `from_prk` refuses keys shorter than the hash (32 B): every caller passes 32 B or more;
    // `expand` refuses more than 255 blocks: N is at most 64.
    #[allow(clippy::expect_used)]
    hkdf::Hkdf::<Sha256>::from_prk(prk)
        .expect("a PRK of at least 32 bytes")
        .expand(info, out.as_mut())
        .expect("an output of at most 64 bytes");
    out
}

/// The key derived from a short secret shared out of band (a Send's 16-byte seed in its link):
/// PRK = HMAC-SHA256(key = "bitwarden-" + `name`, `secret`), then HKDF-Expand to 64 bytes with
/// `info` (empty when `None`). A Send uses name "send" and info "send" (VAULT.md §6).
pub fn derive_shareable_key(secret: &[u8], name: &str, info: Option<&str>) -> SymmetricKey {
    #[allow(clippy::expect_used)] // HMAC takes a key of any length.
    let mut hmac = Hmac::<Sha256>::new_from_slice(format!("bitwarden-{name}").as_bytes())
        .expect("HMAC accepts any key length");
    hmac.update(secret);
    let prk: Zeroizing<[u8; 32]> = Zeroizing::new(hmac.finalize().into_bytes().into());
    let okm = hkdf_expand::<64>(prk.as_ref(), info.unwrap_or("").as_bytes());
    SymmetricKey::from_halves(&okm[..32], &okm[32..])
}

/// HMAC-SHA256 of `message` under `key`: for secrets of the server's own (the prelogin decoys
/// are picked by it), not for anything a browser must repeat.
pub fn keyed_hash(key: &[u8], message: &[u8]) -> [u8; 32] {
    #[allow(clippy::expect_used)] // HMAC takes a key of any length.
    let mut hmac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    hmac.update(message);
    hmac.finalize().into_bytes().into()
}
