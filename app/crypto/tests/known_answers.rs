#![allow(clippy::unwrap_used)]
//! Bitwarden's known answers (VAULT.md §8) and the envelopes' refusals. The same file runs
//! natively (`cargo nextest run -p portal-crypto`) and compiled to wasm under Node
//! (`cargo test -p portal-crypto --target wasm32-unknown-unknown`, wasm-bindgen-test), so the
//! code the browser runs is held to the same answers.

// In the wasm build every `#[test]` below is a wasm-bindgen test.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use base64::Engine as _;
#[cfg(not(target_arch = "wasm32"))]
use portal_crypto::fingerprint_phrase;
use portal_crypto::{
    CryptoError, EncString, Kdf, MasterKey, PrivateKey, PublicKey, SymmetricKey, WordList,
    WrappedKey, derive_shareable_key, email_salt, fingerprint_phrase_in,
};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn pbkdf2_100k() -> Kdf {
    Kdf::Pbkdf2 {
        iterations: 100_000,
    }
}

#[test]
fn pbkdf2_master_key_login_hash_and_stretched_key() {
    for email in ["test@bitwarden.com", " TEST@bitwarden.com"] {
        let key = MasterKey::derive("asdfasdf", &email_salt(email), pbkdf2_100k()).unwrap();
        assert_eq!(
            key.to_base64(),
            "j6LIxCM7M4VKobykynJczRKr3ji3SCcg3vTuoBgEkmg=",
            "{email:?}"
        );
        assert_eq!(
            key.login_hash("asdfasdf"),
            "wmyadRMyBZOH7P/a/ucTCbSghKgdzDpPqUnu/DAVtSw="
        );
        assert_eq!(
            B64.encode(key.stretch().to_bytes().as_slice()),
            "ihT5SD1LlESnL2bRuxrtRxliXt2y3iyRLfuBX01KjqjzfWTXLW9psQUyxrBNwX27w3KPosFS8RL8dW6sncBNdw=="
        );
    }
}

#[test]
fn argon2id_master_key_and_login_hash() {
    let kdf = Kdf::Argon2id {
        iterations: 4,
        memory_mib: 32,
        parallelism: 2,
    };
    let key = MasterKey::derive("asdfasdf", "test_salt", kdf).unwrap();
    assert_eq!(
        key.to_base64(),
        "YnVyODD8R9VCIKZDb9B7KQSGIyyZNvK9oWuVLA3yr3w="
    );
    assert_eq!(
        key.login_hash("asdfasdf"),
        "PR6UjYmjmppTYcdyTiNbAhPJuQQOmynKbdEl1oyi/iQ="
    );
}

fn key_0_to_63() -> SymmetricKey {
    SymmetricKey::from_bytes(&(0u8..64).collect::<Vec<_>>()).unwrap()
}

const TYPE_2_VECTOR: &str = "2.2NokAMS6llUxk26oueMqrA==|6k0QD71SJLy2WEBDkV4esiTrgkP/z7eoSedSesGLGYE=|PE4sb0jpAwZW+tnyPuW43eeWvSxjvdw3xMJlPGbDlYI=";

#[test]
fn type_2_envelope_known_answer() {
    let iv: [u8; 16] = B64
        .decode("2NokAMS6llUxk26oueMqrA==")
        .unwrap()
        .try_into()
        .unwrap();
    let sealed = EncString::encrypt_with_iv(&key_0_to_63(), iv, b"Bitwarden SDK test vector");
    assert_eq!(sealed.to_string(), TYPE_2_VECTOR);
    let parsed: EncString = TYPE_2_VECTOR.parse().unwrap();
    assert_eq!(
        parsed.decrypt_to_string(&key_0_to_63()).unwrap().as_str(),
        "Bitwarden SDK test vector"
    );
    // The binary form (file contents) carries the same envelope, MAC before ciphertext.
    let buffer = parsed.to_buffer();
    assert_eq!(buffer[0], 2);
    assert_eq!(EncString::from_buffer(&buffer).unwrap(), parsed);
}

#[test]
fn shareable_key_known_answer() {
    let key = derive_shareable_key(b"&/$%F1a895g67HlX", "test_key", None);
    assert_eq!(
        B64.encode(key.to_bytes().as_slice()),
        "4PV6+PcmF2w7YHRatvyMcVQtI7zvCyssv/wFWmzjiH6Iv9altjmDkuBD1aagLVaLezbthbSe+ktR+U6qswxNnQ=="
    );
}

/// bitwarden-crypto's fingerprint vector: a user's id and public key (SPKI DER).
#[test]
fn fingerprint_phrase_known_answer() {
    let spki = B64
        .decode(concat!(
            "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuyYs8W7NWf0Zv35Ueco93730dtRKi4Jhc6Snar+8",
            "6drE+ruSfaCWMcbgsAoAj2Pm6KAzaJrTIVCqBERQ23OncpzjfcGAeyf+v3w/gSw/EjihMJ4AG5ICY4hLFYcG",
            "dgwa+7is+TVO0i6PEWjKQa3l2+mQo2XY7pg2ngHDMssV4gxSqq+qoBX3+FBhewCYdOV+3cebwsAzz7HwoFTx",
            "KViwNW8crbHonhZPhZgfIAzEkzo5MvzQg5azhLKW6vuPfaOQFC5HqPykVnh8OPzO0uzUi3+97CguAu4N2Cgw",
            "VYXltZuw2fGamdVw3kjbxQPbOE1tL0j7gyTwYKkfUl2m8gMh1QIDAQAB",
        ))
        .unwrap();
    assert_eq!(spki.len(), 294);
    // The browser's way: the list as the server serves it, checked, then used.
    let words = WordList::parse(include_str!("../src/eff_large_wordlist.txt")).unwrap();
    let phrase = fingerprint_phrase_in(&words, "a09726a0-9590-49d1-a5f5-afe300b6a515", &spki);
    assert_eq!(phrase, "turban-deftly-anime-chatroom-unselfish");
    assert_eq!(
        PublicKey::from_spki_der(&spki)
            .unwrap()
            .fingerprint_in(&words, "a09726a0-9590-49d1-a5f5-afe300b6a515"),
        phrase
    );
    // Native builds embed the same list.
    #[cfg(not(target_arch = "wasm32"))]
    assert_eq!(
        fingerprint_phrase("a09726a0-9590-49d1-a5f5-afe300b6a515", &spki),
        phrase
    );
}

#[test]
fn a_key_pair_wraps_and_unwraps_keys_and_is_stored_wrapped() {
    let user_key = SymmetricKey::generate();
    let pair = PrivateKey::generate();
    let public = PublicKey::from_base64(&pair.public_key().to_base64()).unwrap();

    // Type 4: an organization key handed to this user's public key.
    let org_key = SymmetricKey::generate();
    let wrapped = public.wrap_key(&org_key);
    let text = wrapped.to_string();
    assert!(text.starts_with("4."));
    let parsed: WrappedKey = text.parse().unwrap();
    assert_eq!(
        pair.unwrap_key(&parsed).unwrap().to_bytes(),
        org_key.to_bytes()
    );

    // The private key is stored as PKCS#8 under the user key, and opens again.
    let stored = pair.wrap(&user_key).to_string();
    let reopened = PrivateKey::unwrap_from(&stored.parse().unwrap(), &user_key).unwrap();
    assert_eq!(reopened.public_key(), pair.public_key());
    assert_eq!(
        reopened.unwrap_key(&parsed).unwrap().to_bytes(),
        org_key.to_bytes()
    );

    // Another key pair cannot open it.
    let other = PrivateKey::generate();
    assert_eq!(
        other.unwrap_key(&parsed).unwrap_err(),
        CryptoError::WrongKeyOrTampered
    );
}

#[test]
fn the_user_key_is_wrapped_by_the_stretched_master_key() {
    let master = MasterKey::derive(
        "correct horse",
        &email_salt("Ann@Example.com"),
        pbkdf2_100k(),
    )
    .unwrap();
    let user_key = SymmetricKey::generate();
    let stored = EncString::wrap_key(&master.stretch(), &user_key).to_string();
    let again = MasterKey::derive("correct horse", "ann@example.com", pbkdf2_100k()).unwrap();
    let opened = stored
        .parse::<EncString>()
        .unwrap()
        .decrypt_key(&again.stretch())
        .unwrap();
    assert_eq!(opened.to_bytes(), user_key.to_bytes());
    let wrong = MasterKey::derive("correct horsf", "ann@example.com", pbkdf2_100k()).unwrap();
    assert_eq!(
        stored
            .parse::<EncString>()
            .unwrap()
            .decrypt_key(&wrong.stretch())
            .unwrap_err(),
        CryptoError::WrongKeyOrTampered
    );
}

#[test]
fn only_types_2_and_4_are_accepted() {
    let body = "2NokAMS6llUxk26oueMqrA==|6k0QD71SJLy2WEBDkV4esiTrgkP/z7eoSedSesGLGYE=";
    for kind in ["0", "1", "3", "5", "6"] {
        assert_eq!(
            format!("{kind}.{body}").parse::<EncString>().unwrap_err(),
            CryptoError::UnsupportedEnvelopeType(kind.to_owned()),
        );
    }
    assert_eq!(
        TYPE_2_VECTOR.parse::<WrappedKey>().unwrap_err(),
        CryptoError::UnsupportedEnvelopeType("2".into())
    );
    let mut binary = TYPE_2_VECTOR.parse::<EncString>().unwrap().to_buffer();
    binary[0] = 0;
    assert_eq!(
        EncString::from_buffer(&binary).unwrap_err(),
        CryptoError::UnsupportedEnvelopeType("0".into())
    );
}

#[test]
fn malformed_or_altered_envelopes_are_refused() {
    for bad in [
        "",
        "2.",
        "2.abc",
        "2.2NokAMS6llUxk26oueMqrA==|6k0QD71SJLy2WEBDkV4esiTrgkP/z7eoSedSesGLGYE=",
        "2.2NokAMS6llUxk26oueMqrA==|not base64!|PE4sb0jpAwZW+tnyPuW43eeWvSxjvdw3xMJlPGbDlYI=",
        "2.AAAA|6k0QD71SJLy2WEBDkV4esiTrgkP/z7eoSedSesGLGYE=|PE4sb0jpAwZW+tnyPuW43eeWvSxjvdw3xMJlPGbDlYI=",
        "2.2NokAMS6llUxk26oueMqrA==|6k0Q|PE4sb0jpAwZW+tnyPuW43eeWvSxjvdw3xMJlPGbDlYI=",
        "hello",
        "4.AAAA",
    ] {
        assert!(bad.parse::<EncString>().is_err(), "{bad:?}");
        assert!(bad.parse::<WrappedKey>().is_err(), "{bad:?}");
    }
    // One flipped bit of the ciphertext: the MAC no longer matches, and nothing is decrypted.
    let altered = TYPE_2_VECTOR.replacen("6k0Q", "6k0R", 1);
    assert_eq!(
        altered
            .parse::<EncString>()
            .unwrap()
            .decrypt(&key_0_to_63())
            .unwrap_err(),
        CryptoError::WrongKeyOrTampered
    );
    assert_eq!(
        TYPE_2_VECTOR
            .parse::<EncString>()
            .unwrap()
            .decrypt(&SymmetricKey::generate())
            .unwrap_err(),
        CryptoError::WrongKeyOrTampered
    );
}

#[test]
fn keys_of_the_wrong_length_are_refused() {
    assert_eq!(
        SymmetricKey::from_bytes(&[0; 32]).unwrap_err(),
        CryptoError::KeyLength
    );
    assert_eq!(
        MasterKey::from_bytes(&[0; 64]).unwrap_err(),
        CryptoError::KeyLength
    );
    // A 64-byte plaintext is a key; 32 bytes under a key are not.
    let short = EncString::encrypt(&key_0_to_63(), &[7; 32]);
    assert_eq!(
        short.decrypt_key(&key_0_to_63()).unwrap_err(),
        CryptoError::KeyLength
    );
    assert_eq!(
        PublicKey::from_base64("AAAA").unwrap_err(),
        CryptoError::MalformedRsaKey
    );
}

#[test]
fn kdf_bounds() {
    assert!(Kdf::default().check_bounds().is_ok());
    assert!(Kdf::ARGON2_DEFAULT.check_bounds().is_ok());
    assert!(
        Kdf::Pbkdf2 {
            iterations: 2_000_000
        }
        .check_bounds()
        .is_ok()
    );
    for weak in [
        Kdf::Pbkdf2 {
            iterations: 599_999,
        },
        Kdf::Pbkdf2 {
            iterations: 2_000_001,
        },
        Kdf::Argon2id {
            iterations: 1,
            memory_mib: 64,
            parallelism: 4,
        },
        Kdf::Argon2id {
            iterations: 3,
            memory_mib: 14,
            parallelism: 4,
        },
        Kdf::Argon2id {
            iterations: 3,
            memory_mib: 1025,
            parallelism: 4,
        },
        Kdf::Argon2id {
            iterations: 3,
            memory_mib: 64,
            parallelism: 0,
        },
        Kdf::Argon2id {
            iterations: 3,
            memory_mib: 64,
            parallelism: 17,
        },
    ] {
        assert_eq!(
            weak.check_bounds(),
            Err(CryptoError::KdfOutOfBounds),
            "{weak:?}"
        );
    }
    // The settings travel as JSON between browser and server.
    let json = serde_json::to_string(&Kdf::ARGON2_DEFAULT).unwrap();
    assert_eq!(
        json,
        r#"{"kind":"argon2id","iterations":3,"memory_mib":64,"parallelism":4}"#
    );
    assert_eq!(
        serde_json::from_str::<Kdf>(&json).unwrap(),
        Kdf::ARGON2_DEFAULT
    );
}

#[test]
fn envelopes_travel_as_their_text() {
    let sealed: EncString = TYPE_2_VECTOR.parse().unwrap();
    let json = serde_json::to_string(&sealed).unwrap();
    assert_eq!(json, format!("\"{TYPE_2_VECTOR}\""));
    assert_eq!(serde_json::from_str::<EncString>(&json).unwrap(), sealed);
    assert!(serde_json::from_str::<EncString>("\"1.abc|def\"").is_err());
}

/// What the browser runs for an account (`portal_crypto::account`), here in its wasm build too:
/// a new account's keys, the login hash a sign-in sends (the same as the master key's), and a
/// new master password that wraps the same user key.
#[test]
fn an_accounts_keys_are_made_and_rewrapped_as_the_browser_does() {
    use portal_crypto::account;
    // 100,000 iterations keep the wasm run quick; the server's check would refuse them.
    let kdf = pbkdf2_100k();
    let salt = email_salt(" Test@Bitwarden.com");
    let keys = account::new_account("asdfasdf", &salt, kdf).unwrap();
    assert_eq!(keys.check(), Err(CryptoError::KdfOutOfBounds));
    PublicKey::from_base64(&keys.public_key).unwrap();
    assert_eq!(
        account::login_hash("asdfasdf", &salt, kdf).unwrap(),
        keys.master.login_hash
    );
    let (user_key, private) = account::unlock(
        "asdfasdf",
        &salt,
        kdf,
        &keys.master.user_key,
        &keys.private_key,
    )
    .unwrap();
    assert_eq!(private.public_key().to_base64(), keys.public_key);
    let (current, changed) = account::change_master_password(
        "asdfasdf",
        "a new master password",
        &salt,
        kdf,
        kdf,
        &keys.master.user_key,
    )
    .unwrap();
    assert_eq!(current, keys.master.login_hash);
    let (same, _) = account::unlock(
        "a new master password",
        &salt,
        kdf,
        &changed.user_key,
        &keys.private_key,
    )
    .unwrap();
    assert_eq!(same.to_bytes(), user_key.to_bytes());
}
