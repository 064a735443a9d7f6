//! One item, opened (`?item=12`): its fields with copy buttons (the clipboard is cleared 30 s
//! later), hidden values shown on request, a login's one-time code with its countdown, and
//! the item's actions: edit, move to the trash and back, delete for good (asked twice).

use leptos::prelude::*;

use super::{Filter, KindName, VaultState, vault_href};
use crate::error::Field;
use crate::error::{AppError, ErrorText};
use crate::i18n::*;
use crate::vault::api::{delete_item, delete_org_item, trash_item, trash_org_item};
use crate::vault::browser::OpenItem;
use crate::vault::types::{FIELD_BOOLEAN, FIELD_HIDDEN, FIELD_LINKED, FIELD_TEXT};
use crate::widgets::{BrowserForm, CloseButton, Fields, FormAlert, Modal, NOWHERE, problem_of};

/// How long a copied secret stays on the clipboard.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const CLEAR_AFTER_MS: u64 = 30_000;

/// Copies `text`, then empties the clipboard after [`CLEAR_AFTER_MS`] (what a password manager
/// owes the next program that pastes).
fn copy(text: String, copied: RwSignal<bool>) {
    #[cfg(feature = "hydrate")]
    {
        let clipboard = window().navigator().clipboard();
        let promise = clipboard.write_text(&text);
        leptos::task::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                copied.set(true);
                set_timeout(
                    move || {
                        let _ = window().navigator().clipboard().write_text("");
                    },
                    std::time::Duration::from_millis(CLEAR_AFTER_MS),
                );
                set_timeout(
                    move || copied.set(false),
                    std::time::Duration::from_millis(2_000),
                );
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (text, copied);
}

/// A value with its label and a copy button; `secret` values are masked until shown.
#[component]
fn Value(
    #[prop(into)] label: Signal<String>,
    value: String,
    #[prop(optional)] secret: bool,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(!secret);
    let copied = RwSignal::new(false);
    let masked = "•".repeat(value.chars().count().clamp(8, 16));
    let text = value.clone();
    view! {
        <div class="item-field">
            <dt>{label}</dt>
            <dd>
                <code data-testid=testid class="item-value">
                    {move || if shown.get() { value.clone() } else { masked.clone() }}
                </code>
                {secret.then(|| view! {
                    <button type="button" class="button small" aria-pressed=move || shown.get().to_string() on:click=move |_| shown.update(|s| *s = !*s)>
                        {move || if shown.get() { t_string!(i18n, vault.hide) } else { t_string!(i18n, vault.show) }}
                    </button>
                })}
                <button type="button" class="button small" on:click=move |_| copy(text.clone(), copied)>
                    {t!(i18n, vault.copy)}
                </button>
                <span class="hint" role="status">
                    {move || copied.get().then(|| t_string!(i18n, vault.copied))}
                </span>
            </dd>
        </div>
    }
}

/// A login's current one-time code, recomputed every second with its countdown.
#[component]
fn OneTimeCode(secret: String) -> impl IntoView {
    let i18n = use_i18n();
    let now = RwSignal::new(None::<u64>);
    // Effects run in the browser only; the server never has a secret to compute from.
    Effect::new(move |_| {
        let tick = move || now.set(Some((js_sys::Date::now() / 1000.0) as u64));
        tick();
        if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    let copied = RwSignal::new(false);
    let code = Memo::new(move |_| now.get().and_then(|now| super::totp::code(&secret, now)));
    view! {
        <div class="item-field">
            <dt>{t!(i18n, vault.totp)}</dt>
            <dd>
                {move || match code.get() {
                    Some(code) => {
                        let text = code.code.clone();
                        view! {
                            <code data-testid="item-totp" class="item-value totp">{code.code.clone()}</code>
                            <span class="totp-remaining" data-testid="item-totp-remaining" aria-label=move || t_string!(i18n, vault.totp_remaining).to_string()>
                                {code.remaining}
                            </span>
                            <button type="button" class="button small" on:click=move |_| copy(text.clone(), copied)>
                                {t!(i18n, vault.copy)}
                            </button>
                            <span class="hint" role="status">{move || copied.get().then(|| t_string!(i18n, vault.copied))}</span>
                        }
                        .into_any()
                    }
                    None => view! { <span class="muted">{t!(i18n, vault.totp_unreadable)}</span> }.into_any(),
                }}
            </dd>
        </div>
    }
}

/// The fields of one item, by type.
fn fields(item: &OpenItem) -> Vec<AnyView> {
    let i18n = use_i18n();
    let mut shown = Vec::new();
    let hide = item.rights.hide_passwords;
    let text = |shown: &mut Vec<AnyView>,
                label: Signal<String>,
                value: &Option<String>,
                testid,
                secret| {
        if let Some(value) = value.clone().filter(|v| !v.is_empty()) {
            shown.push(view! { <Value label value secret testid /> }.into_any());
        }
    };
    let label = |text: fn(Locale) -> String| Signal::derive(move || text(i18n.get_locale()));
    let it = &item.item;
    if let Some(login) = &it.login {
        text(
            &mut shown,
            label(|l| td_string!(l, vault.username).to_string()),
            &login.username,
            "item-username",
            false,
        );
        if hide {
            shown.push(view! { <p class="hint" data-testid="password-hidden">{t!(i18n, vault.password_hidden)}</p> }.into_any());
        } else {
            text(
                &mut shown,
                label(|l| td_string!(l, vault.password).to_string()),
                &login.password,
                "item-password",
                true,
            );
        }
        // "Except passwords" hides the one-time code's secret too (it is a password).
        if let Some(secret) = login.totp.clone().filter(|t| !t.is_empty() && !hide) {
            shown.push(view! { <OneTimeCode secret /> }.into_any());
        }
        for uri in login.uris.iter().filter_map(|u| u.uri.clone()) {
            text(
                &mut shown,
                label(|l| td_string!(l, vault.website).to_string()),
                &Some(uri),
                "item-uri",
                false,
            );
        }
    }
    if let Some(card) = &it.card {
        text(
            &mut shown,
            label(|l| td_string!(l, vault.cardholder).to_string()),
            &card.cardholder_name,
            "item-cardholder",
            false,
        );
        text(
            &mut shown,
            label(|l| td_string!(l, vault.brand).to_string()),
            &card.brand,
            "item-brand",
            false,
        );
        text(
            &mut shown,
            label(|l| td_string!(l, vault.card_number).to_string()),
            &card.number,
            "item-number",
            true,
        );
        let expiry = match (&card.exp_month, &card.exp_year) {
            (Some(m), Some(y)) => Some(format!("{m}/{y}")),
            (m, y) => m.clone().or_else(|| y.clone()),
        };
        text(
            &mut shown,
            label(|l| td_string!(l, vault.expiry).to_string()),
            &expiry,
            "item-expiry",
            false,
        );
        text(
            &mut shown,
            label(|l| td_string!(l, vault.security_code).to_string()),
            &card.code,
            "item-code",
            true,
        );
    }
    if let Some(identity) = &it.identity {
        let name = [
            &identity.title,
            &identity.first_name,
            &identity.middle_name,
            &identity.last_name,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .reduce(|a, b| format!("{a} {b}"));
        text(
            &mut shown,
            label(|l| td_string!(l, vault.full_name).to_string()),
            &name,
            "item-full-name",
            false,
        );
        text(
            &mut shown,
            label(|l| td_string!(l, vault.email).to_string()),
            &identity.email,
            "item-email",
            false,
        );
        text(
            &mut shown,
            label(|l| td_string!(l, vault.phone).to_string()),
            &identity.phone,
            "item-phone",
            false,
        );
        text(
            &mut shown,
            label(|l| td_string!(l, vault.company).to_string()),
            &identity.company,
            "item-company",
            false,
        );
        text(
            &mut shown,
            label(|l| td_string!(l, vault.username).to_string()),
            &identity.username,
            "item-identity-username",
            false,
        );
    }
    if let Some(key) = &it.ssh_key {
        text(
            &mut shown,
            label(|l| td_string!(l, vault.public_key).to_string()),
            &key.public_key,
            "item-public-key",
            false,
        );
        text(
            &mut shown,
            label(|l| td_string!(l, vault.key_fingerprint).to_string()),
            &key.key_fingerprint,
            "item-key-fingerprint",
            false,
        );
        text(
            &mut shown,
            label(|l| td_string!(l, vault.private_key).to_string()),
            &key.private_key,
            "item-private-key",
            true,
        );
    }
    // Custom fields: text as it is, hidden ones masked (and, like passwords, kept from an
    // "except passwords" access), booleans as yes or no, linked ones naming what they follow.
    for field in &it.fields {
        let label = Signal::derive({
            let name = field.name.clone().unwrap_or_default();
            move || name.clone()
        });
        match field.kind {
            FIELD_TEXT => text(&mut shown, label, &field.value, "item-custom", false),
            FIELD_HIDDEN if !hide => text(&mut shown, label, &field.value, "item-custom", true),
            FIELD_BOOLEAN => {
                let yes = field.value.as_deref() == Some("true");
                shown.push(view! {
                    <div class="item-field">
                        <dt>{label}</dt>
                        <dd data-testid="item-custom">
                            {move || if yes { t_string!(i18n, vault.yes) } else { t_string!(i18n, vault.no) }}
                        </dd>
                    </div>
                }.into_any());
            }
            FIELD_LINKED => {
                let linked = field.linked_id;
                shown.push(
                    view! {
                        <div class="item-field">
                            <dt>{label}</dt>
                            <dd class="muted" data-testid="item-custom">
                                {move || {
                                    let locale = i18n.get_locale();
                                    match linked.and_then(|id| crate::vault::types::linked_name(locale, id)) {
                                        Some(field) => td_string!(locale, vault.linked_follows, field = field).to_string(),
                                        None => t_string!(i18n, vault.linked_other).to_string(),
                                    }
                                }}
                            </dd>
                        </div>
                    }
                    .into_any(),
                );
            }
            _ => {}
        }
    }
    if !hide && !it.password_history.is_empty() {
        let count = it.password_history.len();
        let history = it.password_history.clone();
        shown.push(view! {
            <details class="item-field password-history">
                <summary>{t!(i18n, vault.password_history, count = move || count)}</summary>
                <ul class="plain-list">
                    {history.into_iter().map(|entry| {
                        let date = entry.last_used_date.get(..10).unwrap_or_default().to_owned();
                        view! {
                            <li>
                                <Value label=Signal::derive(move || date.clone()) value=entry.password secret=true testid="item-history" />
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        }.into_any());
    }
    if let Some(notes) = it.notes.clone().filter(|n| !n.is_empty()) {
        shown.push(
            view! {
                <div class="item-field">
                    <dt>{t!(i18n, vault.notes)}</dt>
                    <dd><p class="item-notes" data-testid="item-notes">{notes}</p></dd>
                </div>
            }
            .into_any(),
        );
    }
    shown
}

/// An item marked "ask for the master password again": its fields stay hidden until the
/// password opens this account's keys once more (in this browser, like unlocking).
#[component]
pub(super) fn Reprompt(confirmed: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let form = BrowserForm::<()>::new();
    let value = form.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            confirmed.set(true);
        }
    });
    let check = |fields: Fields| async move {
        crate::accounts::ui::check_master_password(fields.get("current_password")).await
    };
    view! {
        <form class="inline-form reprompt" method="post" action=NOWHERE hidden=move || confirmed.get() on:submit=move |event| form.submit(event, check)>
            <p class="hint" data-testid="reprompt">{t!(i18n, vault.reprompt_ask)}</p>
            <FormAlert value />
            <crate::accounts::ui::PasswordAgain problem=problem_of(value, Field::CurrentPassword) form="reprompt" master=true />
            <button type="submit" class="button primary" disabled=form.disabled()>
                {t!(i18n, vault.reprompt_confirm)}
            </button>
        </form>
    }
}

/// What the trash buttons do: to the trash, back, or away for good.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Act {
    Trash,
    Restore,
    Delete,
}

async fn act(item: OpenItem, act: Act) -> Result<(), AppError> {
    let trash = act == Act::Trash;
    match (item.organization, act) {
        (None, Act::Delete) => delete_item(item.id).await,
        (Some(organization), Act::Delete) => delete_org_item(organization, item.id).await,
        (None, _) => trash_item(item.id, item.revision, trash).await.map(|_| ()),
        (Some(organization), _) => trash_org_item(organization, item.id, item.revision, trash)
            .await
            .map(|_| ()),
    }
}

#[component]
pub fn ItemDialog(item: OpenItem, filter: Filter) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<VaultState>();
    let close = vault_href(filter, None);
    let title = item.item.name.clone();
    let kind = item.item.kind;
    let outcome = RwSignal::new(None::<Result<(), AppError>>);
    let working = RwSignal::new(false);
    let confirm_delete = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    let run = {
        let item = item.clone();
        let close = close.clone();
        move |what: Act| {
            let item = item.clone();
            let navigate = navigate.clone();
            let close = close.clone();
            working.set(true);
            leptos::task::spawn_local(async move {
                let result = act(item, what).await;
                working.set(false);
                // A refusal stays on screen (a stale revision offers to reload, below).
                if result.is_ok() {
                    state.reload();
                    navigate(&close, Default::default());
                }
                outcome.set(Some(result));
            });
        }
    };
    let (run_trash, run_restore, run_delete) = (run.clone(), run.clone(), run);
    let edit = vault_href(filter, Some(("edit", item.id.to_string())));
    let can_edit = item.rights.edit;
    let can_delete = item.rights.manage;
    // A personal item can move into an organization; an organization's item has its
    // collections changed by those who manage it.
    let share = match item.organization {
        None => can_edit.then(|| t_string!(i18n, vault.share_move).to_string()),
        Some(_) => can_delete.then(|| t_string!(i18n, vault.share_collections).to_string()),
    }
    .filter(|_| !item.trashed)
    .map(|label| {
        (
            label,
            vault_href(filter, Some(("share", item.id.to_string()))),
        )
    });
    let trashed = item.trashed;
    let shown = fields(&item);
    // Re-prompt: the item's fields (and its editing) wait for the master password again.
    let reprompt = item.item.reprompt == 1;
    let confirmed = RwSignal::new(!reprompt);
    view! {
        <Modal id="vault-item" title close_href=close>
            <p class="muted"><KindName kind />{trashed.then(|| view! { " · " {t!(i18n, vault.in_trash)} })}</p>
            {(!can_edit).then(|| view! { <p class="hint" data-testid="read-only">{t!(i18n, vault.read_only)}</p> })}
            {reprompt.then(|| view! { <Reprompt confirmed /> })}
            <dl class="item-fields" hidden=move || !confirmed.get()>{shown}</dl>
            <div role="alert">
                {move || outcome.get().and_then(Result::err).map(|error| {
                    let stale = matches!(error, AppError::Conflict);
                    view! {
                        <p class="alert alert-error">
                            <ErrorText error /> {stale.then(|| view! { " " <super::ReloadButton /> })}
                        </p>
                    }
                })}
            </div>
            <div class="modal-actions">
                {(can_edit && !trashed).then(|| view! {
                    <a class="button primary" href=edit.clone() hidden=move || !confirmed.get()>{t!(i18n, vault.edit)}</a>
                    {share.map(|(label, href)| view! { <a class="button" href=href>{label}</a> })}
                    <button type="button" class="button" disabled=move || working.get() on:click=move |_| run_trash(Act::Trash)>
                        {t!(i18n, vault.move_to_trash)}
                    </button>
                })}
                {(can_edit && trashed).then(|| view! {
                    <button type="button" class="button primary" disabled=move || working.get() on:click=move |_| run_restore(Act::Restore)>
                        {t!(i18n, vault.restore)}
                    </button>
                })}
                {(can_delete && trashed).then(|| {
                    let run_delete = run_delete.clone();
                    view! {
                        <Show
                            when=move || confirm_delete.get()
                            fallback=move || view! {
                                <button type="button" class="button danger" on:click=move |_| confirm_delete.set(true)>
                                    {t!(i18n, vault.delete_for_good)}
                                </button>
                            }
                        >
                            {
                                let run_delete = run_delete.clone();
                                view! {
                                    <span class="hint">{t!(i18n, vault.delete_confirm)}</span>
                                    <button type="button" class="button danger" disabled=move || working.get() on:click=move |_| run_delete(Act::Delete)>
                                        {t!(i18n, vault.delete_yes)}
                                    </button>
                                }
                            }
                        </Show>
                    }
                })}
                <CloseButton />
            </div>
        </Modal>
    }
}
