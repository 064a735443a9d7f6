//! The account's keys while this tab is unlocked (VAULT.md §2): the user key and the private
//! key, opened with the master password, held in this tab's memory and nowhere else (not in
//! storage, not in a cookie), so a reload, closing the tab, signing out, "Lock now" or the idle
//! timeout the account chose leave a session that is signed in but locked. Unlocking asks for
//! the master password again. Dropping the keys zeroizes them (`portal_crypto`).
//!
//! Only the browser ever holds keys: on the server every page renders locked (a tab is always
//! locked when a page loads, so the hydrated page agrees with what the server sent).

use portal_crypto::{MasterKey, SymmetricKey, Zeroizing};

/// The keys of an unlocked tab.
pub struct Unlocked {
    pub user_key: SymmetricKey,
    /// PKCS#8 DER. Kept as bytes, parsed by the code that uses it: holding the parsed RSA key
    /// here would pull RSA code (its drop) out of the crypto chunk into every page that can
    /// unlock (measured: the account page's first load grew by 107 KB raw).
    pub private_key: Zeroizing<Vec<u8>>,
    /// The public half of the private key just opened (SPKI DER), and the account it belongs
    /// to: what the account's fingerprint phrase is made of (`browser::own_fingerprint`).
    pub public_key: Vec<u8>,
    pub user: crate::ids::UserId,
}

#[cfg(feature = "hydrate")]
mod state {
    use std::cell::{Cell, RefCell};

    use leptos::prelude::*;
    use portal_crypto::MasterKey;

    use super::Unlocked;

    thread_local! {
        pub static KEYS: RefCell<Option<Unlocked>> = const { RefCell::new(None) };
        /// A master key derived at sign-in, waiting for the second step to finish.
        pub static PENDING: RefCell<Option<MasterKey>> = const { RefCell::new(None) };
        /// Whether [`KEYS`] holds keys, for the views that show the difference.
        pub static UNLOCKED: ArcRwSignal<bool> = ArcRwSignal::new(false);
        /// When the user last did something in this tab (ms since the epoch).
        pub static LAST_ACTIVE: Cell<f64> = const { Cell::new(0.0) };
    }
}

/// Keeps `keys` for this tab: it is now unlocked.
pub fn store(keys: Unlocked) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::Set;
        touch();
        state::KEYS.with(|slot| *slot.borrow_mut() = Some(keys));
        state::UNLOCKED.with(|flag| flag.set(true));
    }
    #[cfg(not(feature = "hydrate"))]
    drop(keys);
}

/// Forgets the keys (and a pending sign-in's master key): the tab is locked.
pub fn lock() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::{GetUntracked, Set};
        state::PENDING.with(|slot| slot.borrow_mut().take());
        state::KEYS.with(|slot| slot.borrow_mut().take());
        if state::UNLOCKED.with(|flag| flag.get_untracked()) {
            state::UNLOCKED.with(|flag| flag.set(false));
        }
    }
}

/// Whether this tab holds the keys (reactive in the browser; always false on the server).
pub fn is_unlocked() -> bool {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::Get;
        state::UNLOCKED.with(|flag| flag.get())
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

/// Runs `f` on the keys, if the tab is unlocked.
pub fn with_keys<R>(f: impl FnOnce(&Unlocked) -> R) -> Option<R> {
    #[cfg(feature = "hydrate")]
    {
        state::KEYS.with(|slot| slot.borrow().as_ref().map(f))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = f;
        None
    }
}

/// What the account's fingerprint phrase is made of while unlocked (reactive, like
/// [`is_unlocked`]): the account and the public key of the private key it opened.
pub fn fingerprint_source() -> Option<(crate::ids::UserId, Vec<u8>)> {
    is_unlocked()
        .then(|| with_keys(|keys| (keys.user, keys.public_key.clone())))
        .flatten()
}

/// Keeps the master key a sign-in derived until its second step (two-step login) is done.
pub fn hold_pending(master: MasterKey) {
    #[cfg(feature = "hydrate")]
    state::PENDING.with(|slot| *slot.borrow_mut() = Some(master));
    #[cfg(not(feature = "hydrate"))]
    drop(master);
}

/// The master key held by [`hold_pending`], once.
pub fn take_pending() -> Option<MasterKey> {
    #[cfg(feature = "hydrate")]
    {
        state::PENDING.with(|slot| slot.borrow_mut().take())
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// Notes activity in this tab (it postpones the idle lock).
pub fn touch() {
    #[cfg(feature = "hydrate")]
    state::LAST_ACTIVE.with(|at| at.set(js_sys::Date::now()));
}

/// Locks the tab when it has been idle for `minutes` or more.
pub fn lock_if_idle(minutes: u16) {
    #[cfg(feature = "hydrate")]
    {
        let idle_ms = js_sys::Date::now() - state::LAST_ACTIVE.with(std::cell::Cell::get);
        if idle_ms >= f64::from(minutes) * 60_000.0 {
            lock();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = minutes;
}
