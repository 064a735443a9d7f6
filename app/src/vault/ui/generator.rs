//! The password and passphrase generator beside a login's password field: its options, the
//! result (made again whenever an option changes, or on request) and "Use", which puts it in
//! the field. The randomness and the word list are in the strength module
//! (`accounts::browser::generate`), fetched when the generator first opens; nothing generated
//! is sent anywhere until the item is sealed and saved.

use leptos::prelude::*;

use crate::accounts::browser::{Generate, generate};
use crate::i18n::*;

/// A number typed into an option, kept within its range: the field shows the number used (a
/// length of 500 becomes 128, a word count of "x" the default), and the module clamps again.
fn bounded(text: &str, fallback: u32, range: std::ops::RangeInclusive<u32>) -> u32 {
    text.trim()
        .parse::<u32>()
        .unwrap_or(fallback)
        .clamp(*range.start(), *range.end())
}

#[component]
fn Check(#[prop(into)] label: Signal<String>, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="checkbox">
            <input
                type="checkbox"
                prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev))
            />
            " " {label}
        </label>
    }
}

/// `target`: the id of the input "Use" fills.
#[component]
pub fn Generator(target: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let passphrase = RwSignal::new(false);
    let length = RwSignal::new(String::from("20"));
    let uppercase = RwSignal::new(true);
    let lowercase = RwSignal::new(true);
    let digits = RwSignal::new(true);
    let special = RwSignal::new(true);
    let avoid_ambiguous = RwSignal::new(false);
    let words = RwSignal::new(String::from("5"));
    let separator = RwSignal::new(String::from("-"));
    let capitalize = RwSignal::new(true);
    let include_number = RwSignal::new(true);
    let made = RwSignal::new(None::<Result<String, ()>>);
    // Bumped by "Generate again"; a late answer to an older request is dropped.
    let again = RwSignal::new(0u32);
    let asked = StoredValue::new(0u32);
    let rules = move || {
        if passphrase.get() {
            Generate::Passphrase {
                words: bounded(&words.get(), 5, 3..=20),
                separator: separator.get(),
                capitalize: capitalize.get(),
                include_number: include_number.get(),
            }
        } else {
            Generate::Password {
                length: bounded(&length.get(), 20, 5..=128),
                uppercase: uppercase.get(),
                lowercase: lowercase.get(),
                digits: digits.get(),
                special: special.get(),
                avoid_ambiguous: avoid_ambiguous.get(),
            }
        }
    };
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        again.track();
        let rules = rules();
        let request = asked.get_value() + 1;
        asked.set_value(request);
        leptos::task::spawn_local(async move {
            let result = generate(rules).await.map_err(|_| ());
            if asked.get_value() == request {
                made.set(Some(result));
            }
        });
    });
    let use_it = move |_| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let (Some(Ok(value)), Some(input)) = (
                made.get_untracked(),
                document()
                    .get_element_by_id(target)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()),
            ) {
                input.set_value(&value);
                let _ = input.focus();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = target;
        open.set(false);
    };
    let text = |get: fn(Locale) -> String| Signal::derive(move || get(i18n.get_locale()));
    view! {
        <div class="generator">
            <button
                type="button"
                class="button small"
                aria-expanded=move || open.get().to_string()
                aria-controls="password-generator"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {t!(i18n, vault.generator)}
            </button>
            <fieldset id="password-generator" class="generator-panel" hidden=move || !open.get()>
                <legend>{t!(i18n, vault.generator)}</legend>
                <div class="segmented" role="radiogroup" aria-label=move || t_string!(i18n, vault.generator_kind).to_string()>
                    <label class="checkbox">
                        <input type="radio" name="generator-kind" prop:checked=move || !passphrase.get() on:change=move |_| passphrase.set(false) />
                        " " {t!(i18n, vault.generator_password)}
                    </label>
                    <label class="checkbox">
                        <input type="radio" name="generator-kind" prop:checked=move || passphrase.get() on:change=move |_| passphrase.set(true) />
                        " " {t!(i18n, vault.generator_passphrase)}
                    </label>
                </div>
                <div hidden=move || passphrase.get()>
                    <div class="field">
                        <label for="generator-length">{t!(i18n, vault.generator_length)}</label>
                        <input id="generator-length" type="text" inputmode="numeric" size="4" prop:value=move || length.get() on:change=move |ev| length.set(bounded(&event_target_value(&ev), 20, 5..=128).to_string()) />
                    </div>
                    <Check label=text(|l| td_string!(l, vault.generator_uppercase).to_string()) value=uppercase />
                    <Check label=text(|l| td_string!(l, vault.generator_lowercase).to_string()) value=lowercase />
                    <Check label=text(|l| td_string!(l, vault.generator_digits).to_string()) value=digits />
                    <Check label=text(|l| td_string!(l, vault.generator_special).to_string()) value=special />
                    <Check label=text(|l| td_string!(l, vault.generator_unambiguous).to_string()) value=avoid_ambiguous />
                </div>
                <div hidden=move || !passphrase.get()>
                    <div class="field">
                        <label for="generator-words">{t!(i18n, vault.generator_words)}</label>
                        <input id="generator-words" type="text" inputmode="numeric" size="4" prop:value=move || words.get() on:change=move |ev| words.set(bounded(&event_target_value(&ev), 5, 3..=20).to_string()) />
                    </div>
                    <div class="field">
                        <label for="generator-separator">{t!(i18n, vault.generator_separator)}</label>
                        <input id="generator-separator" type="text" maxlength="1" size="2" prop:value=move || separator.get() on:input=move |ev| separator.set(event_target_value(&ev)) />
                    </div>
                    <Check label=text(|l| td_string!(l, vault.generator_capitalize).to_string()) value=capitalize />
                    <Check label=text(|l| td_string!(l, vault.generator_number).to_string()) value=include_number />
                </div>
                <p class="generated" aria-live="polite">
                    {move || match made.get() {
                        None => view! { <span class="muted">{t!(i18n, loading)}</span> }.into_any(),
                        Some(Err(())) => view! { <span class="problem">{t!(i18n, vault.generator_failed)}</span> }.into_any(),
                        Some(Ok(value)) => view! { <code data-testid="generated">{value}</code> }.into_any(),
                    }}
                </p>
                <div class="modal-actions">
                    <button type="button" class="button primary" disabled=move || !matches!(made.get(), Some(Ok(_))) on:click=use_it>
                        {t!(i18n, vault.generator_use)}
                    </button>
                    <button type="button" class="button" on:click=move |_| again.update(|n| *n += 1)>
                        {t!(i18n, vault.generator_again)}
                    </button>
                </div>
            </fieldset>
        </div>
    }
}
