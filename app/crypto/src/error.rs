/// Why a cryptographic operation did not happen. The variants name what was wrong with the
/// input, never a secret, so they may be logged and shown (translated by the caller).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// A key had the wrong number of bytes (symmetric keys are 64, master keys 32).
    #[error("a key has the wrong length")]
    KeyLength,
    /// An envelope was not of the form `2.iv|ct|mac` or `4.data`, or its base64 was broken.
    #[error("malformed envelope")]
    MalformedEnvelope,
    /// An envelope of a type this portal neither makes nor accepts (anything but 2 and 4).
    #[error("envelope type {0} is not accepted")]
    UnsupportedEnvelopeType(String),
    /// The MAC did not match: the wrong key, or the envelope was altered.
    #[error("the envelope does not match its key")]
    WrongKeyOrTampered,
    /// KDF settings outside the accepted bounds (VAULT.md §2).
    #[error("key derivation settings out of bounds")]
    KdfOutOfBounds,
    /// A public or private key that is not valid DER of an RSA key, or not 2048 bits.
    #[error("malformed RSA key")]
    MalformedRsaKey,
    /// Decrypted bytes that should have been UTF-8 text were not.
    #[error("decrypted data is not text")]
    NotText,
    /// A fingerprint word list that is not of EFF's long list's shape (fetched from the server).
    #[error("the word list is not EFF's long list")]
    WordList,
}
