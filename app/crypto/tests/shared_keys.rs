#![allow(clippy::unwrap_used)]
//! Organization and provider keys (VAULT.md §1–2): the chain a service user walks (private key
//! → provider key → organization key) reaches the same organization key a confirmed member
//! holds, and every envelope on the way refuses the wrong key.

use portal_crypto::shared::{new_organization, new_provider};
use portal_crypto::{CryptoError, EncString, PrivateKey, WrappedKey};

#[test]
fn the_provider_chain_and_the_members_copy_open_the_same_organization_key() {
    let admin = PrivateKey::generate();
    let owner = PrivateKey::generate();
    let (provider_key, provider_for_admin) = new_provider(&admin.public_key());
    let (org_key, keys) = new_organization(None, Some(&provider_key));

    // The admin's browser: private key → provider key → organization key.
    let opened_provider = admin.unwrap_key(&provider_for_admin).unwrap();
    assert_eq!(opened_provider.to_bytes(), provider_key.to_bytes());
    let under_provider = keys.provider_key.clone().unwrap();
    let opened_org = under_provider.decrypt_key(&opened_provider).unwrap();
    assert_eq!(opened_org.to_bytes(), org_key.to_bytes());

    // Confirm: the admin wraps the organization key to the owner's public key (type 4); the
    // owner's browser opens the same key.
    let for_owner: WrappedKey = owner
        .public_key()
        .wrap_key(&opened_org)
        .to_string()
        .parse()
        .unwrap();
    assert_eq!(
        owner.unwrap_key(&for_owner).unwrap().to_bytes(),
        org_key.to_bytes()
    );
    // The organization's private key opens with the organization key (account recovery).
    let org_private = keys.pair.open_private(&opened_org).unwrap();
    assert_eq!(org_private.public_key().to_base64(), keys.pair.public_key);
    keys.pair.check().unwrap();

    // Someone else's private key opens nothing; neither does another provider's key.
    assert_eq!(
        PrivateKey::generate().unwrap_key(&for_owner).unwrap_err(),
        CryptoError::WrongKeyOrTampered
    );
    let (other_provider, _) = new_provider(&admin.public_key());
    assert_eq!(
        under_provider.decrypt_key(&other_provider).unwrap_err(),
        CryptoError::WrongKeyOrTampered
    );
}

#[test]
fn a_new_organization_in_the_password_manager_is_wrapped_to_its_creator() {
    let creator = PrivateKey::generate();
    let (org_key, keys) = new_organization(Some(&creator.public_key()), None);
    assert!(keys.provider_key.is_none());
    let wrapped = keys.owner_key.unwrap();
    assert!(wrapped.to_string().starts_with("4."));
    assert_eq!(
        creator.unwrap_key(&wrapped).unwrap().to_bytes(),
        org_key.to_bytes()
    );
    // The stored forms travel as text and come back the same.
    let text = serde_json::to_string(&keys.pair).unwrap();
    let back: portal_crypto::OrganizationKeyPair = serde_json::from_str(&text).unwrap();
    assert_eq!(back, keys.pair);
    // A type-2 string is not a type-4 key, and the other way round.
    let type2 = keys.pair.private_key.to_string();
    assert!(type2.parse::<WrappedKey>().is_err());
    assert!(wrapped.to_string().parse::<EncString>().is_err());
}
