//! A provider without a key (the operator's command line made it): the Clients page says so
//! and points its admins to Settings, where their browser sets it up in one click (VAULT.md
//! §2). Client organizations' keys are kept under it, so what needs it waits until then. The
//! notice is plain text and a link, so the Clients page carries none of the key code.

use leptos::prelude::*;

use crate::accounts::browser;
use crate::accounts::ui::NeedsScript;
use crate::error::AppError;
use crate::i18n::*;
use crate::ids::ProviderId;
use crate::providers::api::set_up_provider_keys;
use crate::routes;
use crate::widgets::{BrowserForm, FormAlert};

/// The fragment of the Settings page's key section.
pub const KEY_SECTION: &str = "encryption-key";

/// The Clients page's notice: what is missing, and for a Provider Admin, where to set it up.
#[component]
pub fn ProviderKeyNotice(provider: ProviderId, may_set_up: bool) -> impl IntoView {
    let i18n = use_i18n();
    let settings = format!("{}#{KEY_SECTION}", routes::provider_settings(provider));
    view! {
        <section class="alert alert-info key-setup" aria-labelledby="key-notice-title">
            <h2 id="key-notice-title">{t!(i18n, providers.keys_missing_title)}</h2>
            {if may_set_up {
                view! {
                    <p>{t!(i18n, providers.keys_missing_admin)}</p>
                    <a class="button primary" href=settings>{t!(i18n, providers.keys_set_up)}</a>
                }
                    .into_any()
            } else {
                view! { <p>{t!(i18n, providers.keys_missing_other)}</p> }.into_any()
            }}
        </section>
    }
}

/// The key, made in this browser and wrapped to the admin's own public key (a locked tab can
/// do it: giving a key needs only a public key).
async fn set_up(provider: ProviderId) -> Result<(), AppError> {
    let key = browser::provider_key_for(browser::own_public_key().await?).await?;
    set_up_provider_keys(provider, key).await
}

/// The Settings page's key section while the provider has none: one button.
#[component]
pub fn ProviderKeySetup(
    provider: ProviderId,
    /// After the key is set up (the page reloads its data).
    #[prop(into)]
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = BrowserForm::<()>::new();
    let value = form.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            on_done.run(());
        }
    });
    view! {
        <section id=KEY_SECTION class="alert alert-info key-setup" aria-labelledby="key-setup-title">
            <h2 id="key-setup-title">{t!(i18n, providers.keys_missing_title)}</h2>
            <p>{t!(i18n, providers.keys_missing_admin)}</p>
            <NeedsScript />
            <form method="post" action=crate::widgets::NOWHERE on:submit=move |event| form.submit(event, move |_| set_up(provider))>
                <FormAlert value />
                <button type="submit" class="button primary" disabled=form.disabled()>
                    {t!(i18n, providers.keys_set_up)}
                </button>
            </form>
        </section>
    }
}
