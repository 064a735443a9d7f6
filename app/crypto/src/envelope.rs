use aes::Aes256;
use base64::Engine as _;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::{B64, CryptoError, SymmetricKey};

/// A type-2 envelope: AES-256-CBC with PKCS#7 under the key's enc half, authenticated by
/// HMAC-SHA256(mac half, iv ‖ ciphertext). Its text form is `2.` b64(iv) `|` b64(ct) `|`
/// b64(mac); its binary form (file contents) is `0x02 ‖ iv ‖ mac ‖ ct`, the MAC before the
/// ciphertext, unlike the text.
#[derive(Clone, PartialEq, Eq)]
pub struct EncString {
    iv: [u8; 16],
    data: Vec<u8>,
    mac: [u8; 32],
}

type Encryptor = cbc::Encryptor<Aes256>;
type Decryptor = cbc::Decryptor<Aes256>;

impl EncString {
    /// Encrypts `plaintext` under `key` with a fresh random IV.
    pub fn encrypt(key: &SymmetricKey, plaintext: &[u8]) -> Self {
        let mut iv = [0u8; 16];
        crate::random_bytes(&mut iv);
        Self::encrypt_with_iv(key, iv, plaintext)
    }

    /// Encrypts with a given IV: for the known-answer tests only, since reusing an IV under one
    /// key gives patterns away.
    #[doc(hidden)]
    pub fn encrypt_with_iv(key: &SymmetricKey, iv: [u8; 16], plaintext: &[u8]) -> Self {
        let data =
            Encryptor::new(key.enc().into(), &iv.into()).encrypt_padded_vec::<Pkcs7>(plaintext);
        let mac = mac(key, &iv, &data);
        Self { iv, data, mac }
    }

    /// Encrypts text (names, notes, passwords).
    pub fn encrypt_str(key: &SymmetricKey, text: &str) -> Self {
        Self::encrypt(key, text.as_bytes())
    }

    /// Checks the MAC (in constant time) and only then decrypts.
    pub fn decrypt(&self, key: &SymmetricKey) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let expected = mac(key, &self.iv, &self.data);
        if !bool::from(expected.ct_eq(&self.mac)) {
            return Err(CryptoError::WrongKeyOrTampered);
        }
        Decryptor::new(key.enc().into(), &self.iv.into())
            .decrypt_padded_vec::<Pkcs7>(&self.data)
            .map(Zeroizing::new)
            // The MAC matched, so the key is right and the bytes are the ones it sealed: bad
            // padding means the sender made the envelope wrongly.
            .map_err(|_| CryptoError::MalformedEnvelope)
    }

    /// Decrypts text.
    pub fn decrypt_to_string(&self, key: &SymmetricKey) -> Result<Zeroizing<String>, CryptoError> {
        let bytes = self.decrypt(key)?;
        std::str::from_utf8(&bytes)
            .map(|text| Zeroizing::new(text.to_owned()))
            .map_err(|_| CryptoError::NotText)
    }

    /// Decrypts a wrapped key (a user key under the stretched master key, an item key under an
    /// organization key...).
    pub fn decrypt_key(&self, key: &SymmetricKey) -> Result<SymmetricKey, CryptoError> {
        SymmetricKey::from_bytes(&self.decrypt(key)?)
    }

    /// Wraps a symmetric key under another.
    pub fn wrap_key(wrapping: &SymmetricKey, key: &SymmetricKey) -> Self {
        Self::encrypt(wrapping, &key.to_bytes())
    }

    /// The binary form, for file contents: `0x02 ‖ iv ‖ mac ‖ ct`.
    pub fn to_buffer(&self) -> Vec<u8> {
        let mut buf = Vec::with_capacity(1 + 16 + 32 + self.data.len());
        buf.push(2);
        buf.extend_from_slice(&self.iv);
        buf.extend_from_slice(&self.mac);
        buf.extend_from_slice(&self.data);
        buf
    }

    /// Reads the binary form; any type byte but 2 is refused.
    pub fn from_buffer(buf: &[u8]) -> Result<Self, CryptoError> {
        let (&kind, rest) = buf.split_first().ok_or(CryptoError::MalformedEnvelope)?;
        if kind != 2 {
            return Err(CryptoError::UnsupportedEnvelopeType(kind.to_string()));
        }
        if rest.len() < 16 + 32 + 16 {
            return Err(CryptoError::MalformedEnvelope);
        }
        let (iv, rest) = rest.split_at(16);
        let (mac, data) = rest.split_at(32);
        Self::from_parts(iv, data.to_vec(), mac)
    }

    fn from_parts(iv: &[u8], data: Vec<u8>, mac: &[u8]) -> Result<Self, CryptoError> {
        // AES-CBC with padding always yields whole blocks, at least one.
        if data.is_empty() || !data.len().is_multiple_of(16) {
            return Err(CryptoError::MalformedEnvelope);
        }
        Ok(Self {
            iv: iv.try_into().map_err(|_| CryptoError::MalformedEnvelope)?,
            data,
            mac: mac.try_into().map_err(|_| CryptoError::MalformedEnvelope)?,
        })
    }
}

fn mac(key: &SymmetricKey, iv: &[u8; 16], data: &[u8]) -> [u8; 32] {
    #[allow(clippy::expect_used)] // HMAC takes a key of any length.
    let mut hmac = Hmac::<Sha256>::new_from_slice(key.mac()).expect("HMAC accepts any key length");
    hmac.update(iv);
    hmac.update(data);
    hmac.finalize().into_bytes().into()
}

/// Splits `T.body` into the type and the body, refusing every type but `expected`.
pub(crate) fn split_type<'a>(text: &'a str, expected: &str) -> Result<&'a str, CryptoError> {
    let (kind, body) = text.split_once('.').ok_or(CryptoError::MalformedEnvelope)?;
    if kind != expected {
        if kind.len() <= 2 && kind.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CryptoError::UnsupportedEnvelopeType(kind.to_owned()));
        }
        return Err(CryptoError::MalformedEnvelope);
    }
    Ok(body)
}

pub(crate) fn decode_b64(part: &str) -> Result<Vec<u8>, CryptoError> {
    B64.decode(part).map_err(|_| CryptoError::MalformedEnvelope)
}

impl std::str::FromStr for EncString {
    type Err = CryptoError;

    fn from_str(text: &str) -> Result<Self, CryptoError> {
        let body = split_type(text, "2")?;
        let mut parts = body.split('|');
        let (Some(iv), Some(data), Some(mac), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(CryptoError::MalformedEnvelope);
        };
        Self::from_parts(&decode_b64(iv)?, decode_b64(data)?, &decode_b64(mac)?)
    }
}

impl std::fmt::Display for EncString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "2.{}|{}|{}",
            B64.encode(self.iv),
            B64.encode(&self.data),
            B64.encode(self.mac)
        )
    }
}

crate::text_form!(EncString);
