//! Lock and unlock (VAULT.md §2): the account page's "Encryption keys" section (the
//! fingerprint phrase while unlocked, the unlock form while locked, the lock timeout), "Lock
//! now" in the account menu, and the watcher that locks an idle tab. The keys themselves live
//! in `accounts::unlocked`.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::sign_in::NeedsScript;
use crate::accounts::api::{SetLockTimeout, wrapped_keys};
use crate::accounts::types::LockTimeout;
use crate::accounts::{browser, unlocked};
use crate::crypto::WrappedKey;
use crate::error::{AppError, Field, Refusal};
use crate::i18n::*;
use crate::widgets::{BrowserForm, Fields, FormAlert, TextField, current_address, problem_of};

/// How often an unlocked tab checks whether it has been idle for its timeout.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// Opens the signed-in account's keys with the master key its sign-in derived. Failing leaves
/// the tab locked, nothing worse: the sign-in itself succeeded, and unlocking asks again.
pub(crate) async fn open_keys(master: portal_crypto::MasterKey) {
    if let Ok(Some(keys)) = wrapped_keys().await
        && let Ok(opened) = browser::open(master, keys).await
    {
        unlocked::store(opened);
    }
}

async fn unlock_with(fields: Fields) -> Result<(), AppError> {
    unlock(fields.get("current_password")).await
}

/// The account's keys, opened with the master password (a wrong one is reported at the
/// `current_password` field).
async fn keys_opened_with(password: String) -> Result<unlocked::Unlocked, AppError> {
    let keys = wrapped_keys()
        .await?
        .ok_or(AppError::Refused(Refusal::KeysMissing))?;
    Ok(browser::unlock(password, keys).await?)
}

/// Opens the account's keys in this tab with the master password: for forms that need the
/// keys and ask for the password themselves when the tab is locked.
pub async fn unlock(password: String) -> Result<(), AppError> {
    unlocked::store(keys_opened_with(password).await?);
    Ok(())
}

/// Checks the master password without touching this tab's keys (an item that asks for it
/// again): the keys are opened with it and dropped.
pub async fn check_master_password(password: String) -> Result<(), AppError> {
    keys_opened_with(password).await.map(drop)
}

/// The account's private key (PKCS#8 DER), unlocking the tab first with `password` (what the
/// form's [`UnlockField`] held) when it is locked: for forms that open a shared key.
pub async fn private_key(password: String) -> Result<crate::crypto::Zeroizing<Vec<u8>>, AppError> {
    with_unlocked(password, |keys| keys.private_key.clone()).await
}

/// The account's user key, unlocking the tab first as [`private_key`] does: enrolling in
/// account recovery gives the organization a copy of it.
pub async fn user_key(password: String) -> Result<crate::crypto::SymmetricKey, AppError> {
    with_unlocked(password, |keys| keys.user_key.clone()).await
}

async fn with_unlocked<R>(
    password: String,
    take: impl FnOnce(&unlocked::Unlocked) -> R,
) -> Result<R, AppError> {
    if !unlocked::is_unlocked() {
        unlock(password).await?;
    }
    unlocked::with_keys(take).ok_or(AppError::Refused(Refusal::KeysMissing))
}

/// The master password, asked inside a form only while the tab is locked (`current_password`;
/// a wrong one is told here): forms that open a shared key unlock the tab on their way.
#[component]
pub fn UnlockField(
    /// The field's problem, from the form's outcome (`problem_of(value, Field::CurrentPassword)`).
    problem: Signal<Option<crate::error::Problem>>,
    /// Why the form needs it.
    hint: ViewFn,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || !unlocked::is_unlocked()>
            <TextField
                name="current_password"
                input_type="password"
                required=true
                autocomplete="current-password"
                label=Signal::derive(move || t_string!(i18n, accounts.master_password).to_string())
                hint=hint.clone()
                problem
            />
        </Show>
    }
}

/// The master password, asked again to open the keys in this tab. A wrong one is told at the
/// field; it is checked in the browser (the key it derives does not open the user key).
#[component]
pub fn UnlockForm() -> impl IntoView {
    let i18n = use_i18n();
    let form = BrowserForm::<()>::new();
    let value = form.value();
    view! {
        <NeedsScript />
        <form class="inline-form" method="post" action=crate::widgets::NOWHERE on:submit=move |event| form.submit(event, unlock_with)>
            <FormAlert value />
            <super::PasswordAgain problem=problem_of(value, Field::CurrentPassword) form="unlock" master=true />
            <button type="submit" class="button primary" disabled=form.disabled()>
                {t!(i18n, accounts.unlock)}
            </button>
        </form>
    }
}

/// The account page's keys: locked or unlocked (with the fingerprint phrase), and how soon an
/// idle tab locks.
#[component]
pub fn KeysSection(
    lock: LockTimeout,
    set_lock: ServerAction<SetLockTimeout>,
    /// The organizations' and providers' keys the account holds, by their names.
    held: Vec<(String, WrappedKey)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="keys-heading">
            <h2 id="keys-heading">{t!(i18n, accounts.keys_title)}</h2>
            {move || match unlocked::fingerprint_source() {
                Some((user, public_key)) => {
                    let held = held.clone();
                    view! { <Fingerprint user public_key /> <HeldKeys held /> }.into_any()
                }
                None => view! {
                    <p data-testid="keys-locked">
                        <span class="badge badge-off">{t!(i18n, accounts.locked)}</span> " "
                        {t!(i18n, accounts.keys_locked)}
                    </p>
                    <UnlockForm />
                }
                .into_any(),
            }}
            <LockTimeoutForm current=lock action=set_lock />
        </section>
    }
}

/// The shared keys the account holds, each tried with the open private key: what a Confirm
/// gave it, shown opening (or not) in this browser.
#[component]
fn HeldKeys(held: Vec<(String, WrappedKey)>) -> impl IntoView {
    let i18n = use_i18n();
    let opens = RwSignal::new(None::<Vec<bool>>);
    let keys: Vec<WrappedKey> = held.iter().map(|(_, key)| key.clone()).collect();
    if !keys.is_empty() {
        Effect::new(move |_| {
            let keys = keys.clone();
            leptos::task::spawn_local(async move {
                let Some(private) = unlocked::with_keys(|k| k.private_key.clone()) else {
                    return;
                };
                if let Ok(result) = browser::keys_open(private, keys).await {
                    opens.set(Some(result));
                }
            });
        });
    }
    (!held.is_empty()).then(|| {
        view! {
            <h3>{t!(i18n, accounts.held_keys)}</h3>
            <ul class="plain-list" data-testid="held-keys">
                {held
                    .into_iter()
                    .enumerate()
                    .map(|(index, (name, _))| view! {
                        <li>
                            <strong>{name}</strong> ": "
                            {move || match opens.get().and_then(|o| o.get(index).copied()) {
                                Some(true) => t_string!(i18n, accounts.held_key_opens).to_string(),
                                Some(false) => t_string!(i18n, accounts.held_key_broken).to_string(),
                                None => t_string!(i18n, loading).to_string(),
                            }}
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
    })
}

#[component]
fn Fingerprint(user: crate::ids::UserId, public_key: Vec<u8>) -> impl IntoView {
    let i18n = use_i18n();
    // Made in this browser (the word list arrives the first time a phrase is shown).
    let phrase = RwSignal::new(None::<Result<String, AppError>>);
    leptos::task::spawn_local(async move {
        let made = browser::own_fingerprint(user, public_key).await;
        // The section re-renders when the tab's keys change (a second unlock, a lock): a phrase
        // made for a view already gone is dropped, not set on a disposed signal (which panics).
        let _ = phrase.try_set(Some(made.map_err(AppError::from)));
    });
    view! {
        <p><span class="badge badge-on">{t!(i18n, accounts.unlocked)}</span></p>
        <h3>{t!(i18n, accounts.fingerprint)}</h3>
        {move || match phrase.get() {
            None => view! { <p class="loading" role="status">{t!(i18n, loading)}</p> }.into_any(),
            Some(Ok(phrase)) => view! {
                <p class="fingerprint" data-testid="fingerprint"><code>{phrase}</code></p>
            }
            .into_any(),
            Some(Err(error)) => view! {
                <p class="alert alert-error" role="alert"><crate::error::ErrorText error /></p>
            }
            .into_any(),
        }}
        <p class="muted">{t!(i18n, accounts.fingerprint_explain)}</p>
        <button type="button" class="button" on:click=|_| unlocked::lock()>
            {t!(i18n, accounts.lock_now)}
        </button>
    }
}

/// A choice of [`LockTimeout::CHOICES`]; a plain form without the bundle.
#[component]
fn LockTimeoutForm(current: LockTimeout, action: ServerAction<SetLockTimeout>) -> impl IntoView {
    let i18n = use_i18n();
    let value = super::outcome(action);
    let label = move |minutes: u16| match minutes {
        1 => t_string!(i18n, accounts.lock_1m),
        5 => t_string!(i18n, accounts.lock_5m),
        15 => t_string!(i18n, accounts.lock_15m),
        30 => t_string!(i18n, accounts.lock_30m),
        60 => t_string!(i18n, accounts.lock_1h),
        240 => t_string!(i18n, accounts.lock_4h),
        _ => t_string!(i18n, accounts.lock_reload),
    };
    view! {
        <ActionForm action attr:class="inline-form">
            <FormAlert value />
            <input type="hidden" name="return_to" value=current_address() />
            <div class="field">
                <label for="field-lock-minutes">{t!(i18n, accounts.lock_timeout)}</label>
                <select id="field-lock-minutes" name="minutes" aria-describedby="lock-minutes-hint">
                    {LockTimeout::CHOICES
                        .into_iter()
                        .map(|minutes| {
                            view! {
                                <option value=minutes.to_string() selected=minutes == current.minutes()>
                                    {move || label(minutes)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="hint" id="lock-minutes-hint">{t!(i18n, accounts.lock_timeout_hint)}</p>
            </div>
            <button type="submit" class="button">{t!(i18n, accounts.save)}</button>
            <super::Saved value />
        </ActionForm>
    }
}

/// "Lock now" in the account menu, while the tab is unlocked.
#[component]
pub fn LockMenuItem() -> impl IntoView {
    let i18n = use_i18n();
    move || {
        unlocked::is_unlocked().then(|| {
            view! {
                <li role="none">
                    <button type="button" role="menuitem" on:click=|_| unlocked::lock()>
                        {t!(i18n, accounts.lock_now)}
                    </button>
                </li>
            }
        })
    }
}

/// Locks this tab once it has been idle for the account's timeout. Activity is any key,
/// pointer or wheel input in the tab; a tab asleep in the background counts as idle.
#[component]
pub fn IdleLock() -> impl IntoView {
    let viewer = super::use_viewer().0;
    // Effects run only in the browser, once.
    Effect::new(move |_| {
        for event in [
            "keydown",
            "pointerdown",
            "pointermove",
            "wheel",
            "touchstart",
        ] {
            // The listeners live as long as the page.
            let _ = window_event_listener_untyped(event, |_| unlocked::touch());
        }
        let _ = set_interval_with_handle(
            move || {
                let idle = viewer.with_untracked(|viewer| match viewer {
                    Some(Ok(Some(viewer))) => viewer.lock.idle_minutes(),
                    _ => None,
                });
                if let Some(minutes) = idle {
                    unlocked::lock_if_idle(minutes);
                }
            },
            IDLE_CHECK,
        );
    });
}
