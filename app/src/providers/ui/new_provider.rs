//! `/providers/new`: a signed-in user sets up a provider and becomes its Provider Admin, when
//! the deployment allows it (`PROVIDER_SETUP=open`); otherwise the page says who can. The
//! browser makes the provider key and wraps it to the admin's public key (VAULT.md §2), so the
//! form needs the bundle.

use leptos::prelude::*;

use crate::accounts::browser;
use crate::accounts::ui::{NeedsScript, SignInRequired, enter_on_success, use_viewer};
use crate::error::{AppError, Field};
use crate::i18n::*;
use crate::ids::ProviderId;
use crate::providers::api::{create_provider, provider_setup_open};
use crate::providers::types::{MAX_BUSINESS_NAME_CHARS, MAX_PROVIDER_NAME_CHARS};
use crate::routes;
use crate::widgets::{BrowserForm, Fields, FormAlert, TextField, problem_of};

#[component]
pub fn NewProviderPage() -> impl IntoView {
    let i18n = use_i18n();
    let open = Resource::new_blocking(|| (), |_| provider_setup_open());
    let viewer = use_viewer().0;
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                let email = viewer.get().and_then(|v| v.ok().flatten()).map(|v| v.email).unwrap_or_default();
                open.get()
                    .map(|result| match result {
                        Ok(true) => view! { <NewProviderForm email /> }.into_any(),
                        Ok(false) => {
                            view! {
                                <section class="panel narrow">
                                    <h1>{t!(i18n, providers.new_title)}</h1>
                                    <p>{t!(i18n, refusals.provider_setup_closed)}</p>
                                </section>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <SignInRequired error here=routes::NEW_PROVIDER /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// The provider key first, wrapped to the admin's own public key; then the provider with it.
async fn create_with(fields: Fields) -> Result<ProviderId, AppError> {
    let key = browser::provider_key_for(browser::own_public_key().await?).await?;
    create_provider(
        fields.get("name"),
        fields.get("business_name"),
        fields.get("billing_email"),
        key,
    )
    .await
}

#[component]
fn NewProviderForm(email: String) -> impl IntoView {
    let i18n = use_i18n();
    let form = BrowserForm::<ProviderId>::new();
    let value = form.value();
    // The switcher lists the new provider (the viewer is fetched again); its Clients page opens.
    enter_on_success(value, |id| routes::provider_clients(*id));
    view! {
        <section class="panel narrow">
            <h1>{t!(i18n, providers.new_title)}</h1>
            <p class="muted">{t!(i18n, providers.new_intro)}</p>
            <NeedsScript />
            <form method="post" action=crate::widgets::NOWHERE on:submit=move |event| form.submit(event, create_with)>
                <FormAlert value />
                <TextField
                    name="name"
                    required=true
                    maxlength=MAX_PROVIDER_NAME_CHARS
                    label=Signal::derive(move || t_string!(i18n, providers.name).to_string())
                    problem=problem_of(value, Field::Name)
                />
                <TextField
                    name="business_name"
                    maxlength=MAX_BUSINESS_NAME_CHARS
                    label=Signal::derive(move || t_string!(i18n, providers.business_name).to_string())
                    hint=ViewFn::from(move || t!(i18n, providers.business_name_hint))
                    problem=problem_of(value, Field::BusinessName)
                />
                <TextField
                    name="billing_email"
                    input_type="email"
                    required=true
                    value=email
                    label=Signal::derive(move || t_string!(i18n, providers.billing_email).to_string())
                    problem=problem_of(value, Field::BillingEmail)
                />
                <button type="submit" class="button primary" disabled=form.disabled()>
                    {t!(i18n, providers.create)}
                </button>
            </form>
        </section>
    }
}
