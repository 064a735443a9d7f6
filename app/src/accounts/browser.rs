//! The account crypto the browser runs on what the user typed (VAULT.md §2): deriving the login
//! hash that a sign-in sends instead of the password, making a new account's keys, re-wrapping
//! the user key under a new password. Each is a split point: its code (PBKDF2, Argon2, RSA) is
//! a chunk of the bundle of its own, fetched the first time a form needs it, so no page's first
//! load carries it. On the server (where nothing calls these) they are plain function calls.
//!
//! They run on the page's thread: a PBKDF2 of 600,000 rounds and an RSA key pair take a moment,
//! while the form shows that it is working.

use leptos::wasm_split::{SplitLoaderError, wasm_split};
use portal_crypto::{
    AccountKeys, CryptoError, Kdf, MasterKey, MasterPasswordKeys, NewOrganizationKeys, PublicKey,
    WrappedKey,
};

use super::types::{OwnKeys, Prelogin, Strength};
use super::unlocked::Unlocked;
use crate::error::{AppError, Refusal};
use crate::ids::UserId;
use crate::members::types::{MemberId, MemberKey, PlaceKey};

/// What went wrong in the browser's part of a form.
#[derive(Debug)]
pub enum KeysError {
    /// The chunk with the code could not be fetched (offline, a new release meanwhile).
    Unavailable,
    Crypto(CryptoError),
    /// A shared key this needs does not open with the keys this browser holds (made for
    /// someone else, or altered on the way): not the user's typing.
    DoesNotOpen,
    /// The page is not a secure context (plain HTTP at an address other than localhost), so
    /// the browser offers no WebCrypto to make a key pair with.
    InsecureContext,
}

impl From<SplitLoaderError> for KeysError {
    fn from(_: SplitLoaderError) -> Self {
        Self::Unavailable
    }
}

impl From<KeysError> for AppError {
    fn from(error: KeysError) -> Self {
        match error {
            KeysError::Unavailable => AppError::Transport("a part of the page did not load".into()),
            KeysError::Crypto(CryptoError::KdfOutOfBounds) => {
                AppError::Refused(Refusal::KdfOutOfBounds)
            }
            // The master password does not open the stored user key: to the user, a wrong
            // current password.
            KeysError::Crypto(CryptoError::WrongKeyOrTampered) => AppError::field(
                crate::error::Field::CurrentPassword,
                crate::error::Problem::Wrong,
            ),
            KeysError::Crypto(_) => AppError::Refused(Refusal::MalformedKeys),
            KeysError::DoesNotOpen => AppError::Refused(Refusal::KeyDoesNotOpen),
            KeysError::InsecureContext => AppError::Refused(Refusal::SecureContextRequired),
        }
    }
}

/// The login hash for `password` with the account's (or the decoy's) settings.
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn login_hash(password: String, prelogin: Prelogin) -> Result<String, KeysError> {
    portal_crypto::account::login_hash(&password, &prelogin.salt, prelogin.kdf)
        .map_err(KeysError::Crypto)
}

/// A sign-in's login hash, and the master key it came from: kept to open the account's keys
/// once signed in, without deriving it a second time.
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn sign_in_keys(
    password: String,
    prelogin: Prelogin,
) -> Result<(String, MasterKey), KeysError> {
    let master =
        MasterKey::derive(&password, &prelogin.salt, prelogin.kdf).map_err(KeysError::Crypto)?;
    Ok((master.login_hash(&password), master))
}

/// Opens the account's keys with the master key a sign-in derived.
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn open(master: MasterKey, keys: OwnKeys) -> Result<Unlocked, KeysError> {
    let (user_key, private_key) =
        portal_crypto::account::open(&master, &keys.user_key, &keys.private_key)
            .map_err(KeysError::Crypto)?;
    Ok(unlocked(user_key, private_key, &keys))
}

/// Unlocking: opens the account's keys with the master password typed again.
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn unlock(password: String, keys: OwnKeys) -> Result<Unlocked, KeysError> {
    let (user_key, private_key) = portal_crypto::account::unlock(
        &password,
        &keys.salt,
        keys.kdf,
        &keys.user_key,
        &keys.private_key,
    )
    .map_err(KeysError::Crypto)?;
    Ok(unlocked(user_key, private_key, &keys))
}

fn unlocked(
    user_key: portal_crypto::SymmetricKey,
    private_key: portal_crypto::PrivateKey,
    keys: &OwnKeys,
) -> Unlocked {
    Unlocked {
        user_key,
        public_key: private_key.public_key().to_spki_der(),
        private_key: private_key.to_pkcs8_der(),
        user: keys.user,
    }
}

/// A new account's keys, derived for `email` (the salt the account keeps), and the master key
/// they came from: a registration that signs in at once (an invitation link) opens the keys
/// with it.
pub async fn new_account(
    password: String,
    email: String,
    kdf: Kdf,
) -> Result<(AccountKeys, MasterKey), KeysError> {
    let pair = key_pair().await?;
    account_keys_with(password, email, kdf, pair).await
}

#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
fn account_keys_with(
    password: String,
    email: String,
    kdf: Kdf,
    pair: portal_crypto::Zeroizing<Vec<u8>>,
) -> Result<(AccountKeys, MasterKey), KeysError> {
    let pair = portal_crypto::PrivateKey::from_pkcs8_der(&pair).map_err(KeysError::Crypto)?;
    let salt = portal_crypto::email_salt(&email);
    let master = MasterKey::derive(&password, &salt, kdf).map_err(KeysError::Crypto)?;
    let keys = portal_crypto::account::new_account_with(&master, &password, kdf, &pair);
    Ok((keys, master))
}

/// The current password's login hash and the same user key wrapped under the new password.
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn change_master_password(
    current: String,
    new: String,
    keys: OwnKeys,
    new_kdf: Kdf,
) -> Result<(String, MasterPasswordKeys), KeysError> {
    portal_crypto::account::change_master_password(
        &current,
        &new,
        &keys.salt,
        keys.kdf,
        new_kdf,
        &keys.user_key,
    )
    .map_err(KeysError::Crypto)
}

/// The keys an account made before zero knowledge gets at its first sign-in, wrapped under the
/// master key that sign-in derived for its login hash (with the prelogin's salt and `kdf`): no
/// second KDF. The master key comes back to open the keys once they are stored.
pub async fn upgrade_keys(
    master: MasterKey,
    password: String,
    kdf: Kdf,
) -> Result<(AccountKeys, MasterKey), KeysError> {
    let pair = key_pair().await?;
    upgrade_keys_with(master, password, kdf, pair).await
}

#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
fn upgrade_keys_with(
    master: MasterKey,
    password: String,
    kdf: Kdf,
    pair: portal_crypto::Zeroizing<Vec<u8>>,
) -> Result<(AccountKeys, MasterKey), KeysError> {
    let pair = portal_crypto::PrivateKey::from_pkcs8_der(&pair).map_err(KeysError::Crypto)?;
    let keys = portal_crypto::account::new_account_with(&master, &password, kdf, &pair);
    Ok((keys, master))
}

/// A new organization's key and key pair, the key wrapped to `owner` (the creator's public key,
/// base64 SPKI): Password Manager "New organization". Only a public key is needed to give a
/// key, so a locked tab can create one.
pub async fn organization_keys_for(owner: String) -> Result<NewOrganizationKeys, KeysError> {
    let pair = key_pair().await?;
    organization_keys_with(owner, pair).await
}

#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
fn organization_keys_with(
    owner: String,
    pair: portal_crypto::Zeroizing<Vec<u8>>,
) -> Result<NewOrganizationKeys, KeysError> {
    let pair = portal_crypto::PrivateKey::from_pkcs8_der(&pair).map_err(KeysError::Crypto)?;
    let owner = PublicKey::from_base64(&owner).map_err(KeysError::Crypto)?;
    Ok(portal_crypto::shared::new_organization_with(Some(&owner), None, &pair).1)
}

/// A new provider key, wrapped to `admin` (the public key of the admin setting it up).
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn provider_key_for(admin: String) -> Result<WrappedKey, KeysError> {
    let admin = PublicKey::from_base64(&admin).map_err(KeysError::Crypto)?;
    Ok(portal_crypto::shared::new_provider(&admin).1)
}

/// A provider's new client: its key and key pair, the key wrapped under the provider key,
/// which `provider_key` (the admin's copy, type 4) gives up to `private_key` (the admin's,
/// PKCS#8 DER, from the unlocked tab).
pub async fn client_keys(
    private_key: portal_crypto::Zeroizing<Vec<u8>>,
    provider_key: WrappedKey,
) -> Result<NewOrganizationKeys, KeysError> {
    let pair = key_pair().await?;
    client_keys_with(private_key, provider_key, pair).await
}

#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
fn client_keys_with(
    private_key: portal_crypto::Zeroizing<Vec<u8>>,
    provider_key: WrappedKey,
    pair: portal_crypto::Zeroizing<Vec<u8>>,
) -> Result<NewOrganizationKeys, KeysError> {
    let pair = portal_crypto::PrivateKey::from_pkcs8_der(&pair).map_err(KeysError::Crypto)?;
    let private =
        portal_crypto::PrivateKey::from_pkcs8_der(&private_key).map_err(KeysError::Crypto)?;
    let provider = private
        .unwrap_key(&provider_key)
        .map_err(KeysError::Crypto)?;
    Ok(portal_crypto::shared::new_organization_with(None, Some(&provider), &pair).1)
}

/// A new RSA-2048 key pair (e = 65537), as PKCS#8 DER. The browser's WebCrypto makes it:
/// Rust's prime search would put a 49 KB table of constants into every page's first load
/// (the splitter moves code out of the main module, never data) and runs several times
/// slower than the browser's native code. WebCrypto exists only in a secure context (HTTPS,
/// or localhost), as Bitwarden's web vault also requires. On the server, where nothing calls
/// this, it is the crate's own generator.
async fn key_pair() -> Result<portal_crypto::Zeroizing<Vec<u8>>, KeysError> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{JsCast, JsValue};
        use wasm_bindgen_futures::JsFuture;
        let window = leptos::prelude::window();
        if !window.is_secure_context() {
            return Err(KeysError::InsecureContext);
        }
        let subtle = window
            .crypto()
            .map_err(|_| KeysError::InsecureContext)?
            .subtle();
        // What Bitwarden's clients make: RSA-OAEP, 2048 bits, e = 65537, SHA-1 (VAULT.md §1).
        let algorithm = js_sys::Object::new();
        let exponent = js_sys::Uint8Array::from(&[1u8, 0, 1][..]);
        for (name, value) in [
            ("name", JsValue::from_str("RSA-OAEP")),
            ("modulusLength", JsValue::from(2048)),
            ("publicExponent", exponent.into()),
            ("hash", JsValue::from_str("SHA-1")),
        ] {
            js_sys::Reflect::set(&algorithm, &JsValue::from_str(name), &value)
                .map_err(|_| KeysError::Unavailable)?;
        }
        let usages = js_sys::Array::of2(&"encrypt".into(), &"decrypt".into());
        let pair = subtle
            .generate_key_with_object(&algorithm, true, &usages)
            .map_err(|_| KeysError::Unavailable)?;
        let pair: web_sys::CryptoKeyPair = JsFuture::from(pair)
            .await
            .map_err(|_| KeysError::Unavailable)?
            .unchecked_into();
        let der = subtle
            .export_key("pkcs8", &pair.get_private_key())
            .map_err(|_| KeysError::Unavailable)?;
        let der = JsFuture::from(der)
            .await
            .map_err(|_| KeysError::Unavailable)?;
        Ok(portal_crypto::Zeroizing::new(
            js_sys::Uint8Array::new(&der).to_vec(),
        ))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Ok(portal_crypto::PrivateKey::generate().to_pkcs8_der())
    }
}

#[cfg(feature = "hydrate")]
thread_local! {
    /// EFF's word list, which phrases are made of: fetched from the server the first time this
    /// tab shows a phrase, checked, and kept for the tab's life. Embedded, it sat in every
    /// page's first load (the splitter leaves all data in the main module); natively it is
    /// embedded.
    static WORDS: std::cell::OnceCell<&'static str> = const { std::cell::OnceCell::new() };
}

/// Makes sure the word list is at hand (one request per tab, cached by the browser for good).
async fn load_words() -> Result<(), KeysError> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        if WORDS.with(|words| words.get().is_some()) {
            return Ok(());
        }
        let response =
            JsFuture::from(leptos::prelude::window().fetch_with_str(crate::routes::WORD_LIST))
                .await
                .ok()
                .and_then(|response| response.dyn_into::<web_sys::Response>().ok())
                .filter(web_sys::Response::ok)
                .ok_or(KeysError::Unavailable)?;
        let text = match response.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|text| text.as_string()),
            Err(_) => None,
        }
        .ok_or(KeysError::Unavailable)?;
        portal_crypto::WordList::parse(&text).map_err(KeysError::Crypto)?;
        let text: &'static str = Box::leak(text.into_boxed_str());
        WORDS.with(|words| {
            let _ = words.set(text);
        });
    }
    Ok(())
}

/// The list [`load_words`] made sure of.
fn words() -> Result<portal_crypto::WordList<'static>, KeysError> {
    #[cfg(feature = "hydrate")]
    {
        let text = WORDS
            .with(|words| words.get().copied())
            .ok_or(KeysError::Unavailable)?;
        portal_crypto::WordList::parse(text).map_err(KeysError::Crypto)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Ok(portal_crypto::WordList::eff())
    }
}

/// The account's own fingerprint phrase, from the public key of the private key it opened (not
/// the one the server lists, which a hostile server could swap): what a member compares with
/// the admin who confirms them.
pub async fn own_fingerprint(user: UserId, public_key: Vec<u8>) -> Result<String, KeysError> {
    load_words().await?;
    own_phrase(user, public_key).await
}

#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
fn own_phrase(user: UserId, public_key: Vec<u8>) -> Result<String, KeysError> {
    let key = PublicKey::from_spki_der(&public_key).map_err(KeysError::Crypto)?;
    Ok(key.fingerprint_in(&words()?, &user.to_string()))
}

/// Each member's fingerprint phrase, made here from the public key (base64 SPKI) this browser
/// will wrap the place's key to, and the member's account id: what the member sees in their
/// own account. Made in the browser, not taken from the server, so that a public key swapped
/// on the way shows a different phrase. `None` for a key that does not read.
pub async fn fingerprints(
    members: Vec<(UserId, String)>,
) -> Result<Vec<Option<String>>, KeysError> {
    load_words().await?;
    member_phrases(members).await
}

#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
fn member_phrases(members: Vec<(UserId, String)>) -> Result<Vec<Option<String>>, KeysError> {
    let words = words()?;
    Ok(members
        .iter()
        .map(|(user, public_key)| {
            PublicKey::from_base64(public_key)
                .ok()
                .map(|key| key.fingerprint_in(&words, &user.to_string()))
        })
        .collect())
}

/// Confirm's key exchange: opens the place's key with `private_key` (the viewer's, PKCS#8
/// DER, from the unlocked tab), through the provider key in a provider's client, and wraps it
/// to each member's public key (base64 SPKI).
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn keys_for_members(
    private_key: portal_crypto::Zeroizing<Vec<u8>>,
    place: PlaceKey,
    members: Vec<(MemberId, String)>,
) -> Result<Vec<MemberKey>, KeysError> {
    let key = open_place_key(&private_key, place)?;
    members
        .into_iter()
        .map(|(member, public_key)| {
            let to = PublicKey::from_base64(&public_key).map_err(KeysError::Crypto)?;
            Ok(MemberKey {
                member,
                key: to.wrap_key(&key),
                public_key,
            })
        })
        .collect()
}

/// The place's key, opened with `private_key` (PKCS#8 DER): the viewer's own copy, or through
/// the provider key in a provider's client.
pub(crate) fn open_place_key(
    private_key: &[u8],
    place: PlaceKey,
) -> Result<portal_crypto::SymmetricKey, KeysError> {
    let private =
        portal_crypto::PrivateKey::from_pkcs8_der(private_key).map_err(KeysError::Crypto)?;
    match place {
        PlaceKey::Own(wrapped) => private.unwrap_key(&wrapped),
        PlaceKey::ThroughProvider {
            provider_key,
            organization_key,
        } => private
            .unwrap_key(&provider_key)
            .and_then(|provider| organization_key.decrypt_key(&provider)),
    }
    .map_err(|_| KeysError::DoesNotOpen)
}

/// Enrolling in account recovery: the account's user key (from the unlocked tab) wrapped to
/// the organization's public key (base64 SPKI).
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn recovery_key_for(
    user_key: portal_crypto::SymmetricKey,
    organization: String,
) -> Result<WrappedKey, KeysError> {
    let organization = PublicKey::from_base64(&organization).map_err(KeysError::Crypto)?;
    Ok(portal_crypto::shared::recovery_key(
        &user_key,
        &organization,
    ))
}

/// An organization's fingerprint phrase, from its public key (base64 SPKI) as this browser has
/// it: what a member compares before enrolling in account recovery. `None` for a key that
/// does not read.
pub async fn organization_fingerprint(
    organization: crate::ids::OrganizationId,
    public_key: String,
) -> Result<Option<String>, KeysError> {
    load_words().await?;
    organization_phrase(organization, public_key).await
}

#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
fn organization_phrase(
    organization: crate::ids::OrganizationId,
    public_key: String,
) -> Result<Option<String>, KeysError> {
    let words = words()?;
    Ok(PublicKey::from_base64(&public_key)
        .ok()
        .map(|key| key.fingerprint_in(&words, &organization.to_string())))
}

/// Account recovery in the admin's browser: `private_key` (the admin's, PKCS#8 DER) opens the
/// organization key, that the organization's private key, that the member's user key, which is
/// wrapped under `new_password` with the member's own KDF settings and salt.
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn recovered_keys(
    private_key: portal_crypto::Zeroizing<Vec<u8>>,
    plan: crate::members::types::RecoveryPlan,
    new_password: String,
) -> Result<MasterPasswordKeys, KeysError> {
    let organization_key = open_place_key(&private_key, plan.key)?;
    portal_crypto::shared::recover_account(
        &organization_key,
        &plan.organization_private_key,
        &plan.recovery_key,
        &new_password,
        &plan.prelogin.salt,
        plan.prelogin.kdf,
    )
    .map_err(|error| match error {
        CryptoError::KdfOutOfBounds => KeysError::Crypto(error),
        _ => KeysError::DoesNotOpen,
    })
}

/// Add existing organization: the organization key, opened from the owner's copy (`own`, type
/// 4, with `private_key`, PKCS#8 DER), wrapped under the provider key, opened from the owner's
/// copy of it (`provider_key`, type 4).
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn client_key_of(
    private_key: portal_crypto::Zeroizing<Vec<u8>>,
    own: WrappedKey,
    provider_key: WrappedKey,
) -> Result<portal_crypto::EncString, KeysError> {
    let private =
        portal_crypto::PrivateKey::from_pkcs8_der(&private_key).map_err(KeysError::Crypto)?;
    let organization = private.unwrap_key(&own).map_err(KeysError::Crypto)?;
    let provider = private
        .unwrap_key(&provider_key)
        .map_err(KeysError::Crypto)?;
    Ok(portal_crypto::EncString::wrap_key(&provider, &organization))
}

/// Whether each of the account's copies of a shared key opens with its private key
/// (`private_key`, PKCS#8 DER).
#[wasm_split(account_keys, wasm_split_path = leptos::wasm_split, fallible)]
pub fn keys_open(
    private_key: portal_crypto::Zeroizing<Vec<u8>>,
    keys: Vec<WrappedKey>,
) -> Result<Vec<bool>, KeysError> {
    let private =
        portal_crypto::PrivateKey::from_pkcs8_der(&private_key).map_err(KeysError::Crypto)?;
    Ok(keys
        .iter()
        .map(|key| private.unwrap_key(key).is_ok())
        .collect())
}

/// The signed-in account's public key (base64 SPKI), to give it a shared key.
pub async fn own_public_key() -> Result<String, AppError> {
    super::api::wrapped_keys()
        .await?
        .map(|keys| keys.public_key)
        .ok_or(AppError::Refused(Refusal::KeysMissing))
}

/// zxcvbn's estimate, with the user's own words (email, name) counted against the password,
/// made in the browser by a wasm module of its own (`app/strength`, built by
/// `.ci/strength-module`): not a chunk of the bundle, since zxcvbn's frequency lists would stay
/// in the main module. Imported the first time a page asks, then kept; a failed import is tried
/// again on the next call. The password never leaves the browser.
pub async fn strength(password: String, context: Vec<String>) -> Result<Strength, AppError> {
    #[cfg(feature = "hydrate")]
    {
        zxcvbn::score(&password, context)
            .await
            .map(|score| Strength { score })
            .ok_or_else(|| AppError::Transport("the password-strength check did not load".into()))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        // Only the browser estimates (the server knows no password being typed).
        let _ = (password, context);
        Err(AppError::Transport("estimated in the browser only".into()))
    }
}

/// What the generator makes (the module clamps the numbers to Bitwarden's limits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Generate {
    Password {
        length: u32,
        uppercase: bool,
        lowercase: bool,
        digits: bool,
        special: bool,
        avoid_ambiguous: bool,
    },
    Passphrase {
        words: u32,
        separator: String,
        capitalize: bool,
        include_number: bool,
    },
}

/// A new password or passphrase, made in the browser by the strength module (which carries
/// the generator and its word list, `app/strength`): never asked of the server.
pub async fn generate(rules: Generate) -> Result<String, AppError> {
    #[cfg(feature = "hydrate")]
    {
        zxcvbn::generate(&rules)
            .await
            .ok_or_else(|| AppError::Transport("the password generator did not load".into()))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = rules;
        Err(AppError::Transport("generated in the browser only".into()))
    }
}

/// Starts fetching the strength module before the first estimate (a new-password field got
/// focus), so the meter answers as soon as the user pauses.
pub fn prepare_strength() {
    #[cfg(feature = "hydrate")]
    zxcvbn::prepare();
}

#[cfg(feature = "hydrate")]
mod zxcvbn {
    use wasm_bindgen::prelude::*;

    use crate::routes::STRENGTH_MODULE;

    // A dynamic `import()` has no Rust or web-sys form; this snippet is a module file of the
    // bundle (script-src 'self'), not an eval. One import per page, shared by every caller.
    #[wasm_bindgen(inline_js = r#"
let ready = null;
function load(url) {
  if (!ready) {
    ready = import(url).then(async (module) => { await module.default(); return module; });
    ready.catch(() => { ready = null; });
  }
  return ready;
}
export function prepare_strength(url) { load(url).catch(() => {}); }
export function strength_score(url, password, context) {
  return load(url).then((module) => module.score(password, context));
}
export function generate_password(url, length, upper, lower, digits, special, unambiguous) {
  return load(url).then((module) => module.password(length, upper, lower, digits, special, unambiguous));
}
export function generate_passphrase(url, words, separator, capitalize, number) {
  return load(url).then((module) => module.passphrase(words, separator, capitalize, number));
}
"#)]
    extern "C" {
        fn prepare_strength(url: &str);
        fn strength_score(url: &str, password: &str, context: Vec<String>) -> js_sys::Promise;
        fn generate_password(
            url: &str,
            length: u32,
            upper: bool,
            lower: bool,
            digits: bool,
            special: bool,
            unambiguous: bool,
        ) -> js_sys::Promise;
        fn generate_passphrase(
            url: &str,
            words: u32,
            separator: &str,
            capitalize: bool,
            number: bool,
        ) -> js_sys::Promise;
    }

    /// `None`: the module did not load.
    pub async fn generate(rules: &super::Generate) -> Option<String> {
        let promise = match rules {
            super::Generate::Password {
                length,
                uppercase,
                lowercase,
                digits,
                special,
                avoid_ambiguous,
            } => generate_password(
                STRENGTH_MODULE,
                *length,
                *uppercase,
                *lowercase,
                *digits,
                *special,
                *avoid_ambiguous,
            ),
            super::Generate::Passphrase {
                words,
                separator,
                capitalize,
                include_number,
            } => generate_passphrase(
                STRENGTH_MODULE,
                *words,
                separator,
                *capitalize,
                *include_number,
            ),
        };
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()?
            .as_string()
    }

    pub fn prepare() {
        prepare_strength(STRENGTH_MODULE);
    }

    /// `None`: the module did not load.
    pub async fn score(password: &str, context: Vec<String>) -> Option<u8> {
        let promise = strength_score(STRENGTH_MODULE, password, context);
        let score = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()?
            .as_f64()?;
        // zxcvbn's scale is 0–4; anything else would be a broken module.
        (0.0..=4.0).contains(&score).then_some(score as u8)
    }
}
