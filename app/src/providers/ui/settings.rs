//! The provider's Settings page (`/providers/{id}/settings`, Provider Admins): name, business
//! name, billing email, and whether Service Users may purchase seats (DESIGN.md rule 8).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::accounts::ui::{Saved, SignInRequired};
use crate::error::Field;
use crate::i18n::*;
use crate::ids::ProviderId;
use crate::providers::api::{UpdateProviderSettings, get_provider_overview, get_provider_settings};
use crate::providers::types::{MAX_BUSINESS_NAME_CHARS, MAX_PROVIDER_NAME_CHARS, ProviderSettings};
use crate::routes;
use crate::widgets::{FormAlert, TextField, problem_of};

#[component]
pub fn ProviderSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let provider = move || {
        params.with(|p| {
            p.get("provider")
                .and_then(|id| id.parse::<ProviderId>().ok())
        })
    };
    // The form's outcome outlives the reload of the values after saving.
    let action = ServerAction::<UpdateProviderSettings>::new();
    let saves = crate::widgets::successes(action);
    // Setting the key up reloads the values too (its section goes away).
    let keys_set = RwSignal::new(0_u32);
    let settings = Resource::new_blocking(
        move || (provider(), saves.get(), keys_set.get()),
        |(provider, _, _)| async move {
            match provider {
                Some(provider) => {
                    // Whether the key section shows: the overview says (the settings are the
                    // form's values only).
                    let keys_ready = get_provider_overview(provider).await?.keys_ready;
                    get_provider_settings(provider)
                        .await
                        .map(|settings| (provider, settings, keys_ready))
                }
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <div class="page-header">
            <h1>{t!(i18n, provider_settings.title)}</h1>
        </div>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || settings.get().map(|result| match result {
                Ok((provider, settings, keys_ready)) => {
                    let setup = (!keys_ready)
                        .then(|| {
                            view! {
                                <super::keys::ProviderKeySetup
                                    provider
                                    on_done=move || keys_set.update(|n| *n += 1)
                                />
                            }
                        });
                    view! {
                        {setup}
                        <SettingsForm provider settings action />
                    }
                        .into_any()
                }
                Err(error) => {
                    let here = provider().map(routes::provider_settings).unwrap_or_default();
                    view! { <SignInRequired error here /> }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn SettingsForm(
    provider: ProviderId,
    settings: ProviderSettings,
    action: ServerAction<UpdateProviderSettings>,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = Signal::derive(move || action.value().get());
    view! {
        <section class="panel">
            <ActionForm action>
                <input type="hidden" name="provider" value=provider.to_string() />
                <FormAlert value />
                <TextField
                    name="name"
                    required=true
                    maxlength=MAX_PROVIDER_NAME_CHARS
                    value=settings.name
                    label=Signal::derive(move || t_string!(i18n, providers.name).to_string())
                    problem=problem_of(value, Field::Name)
                />
                <TextField
                    name="business_name"
                    maxlength=MAX_BUSINESS_NAME_CHARS
                    value=settings.business_name
                    label=Signal::derive(move || t_string!(i18n, providers.business_name).to_string())
                    hint=move || t!(i18n, providers.business_name_hint)
                    problem=problem_of(value, Field::BusinessName)
                />
                <TextField
                    name="billing_email"
                    input_type="email"
                    required=true
                    value=settings.billing_email
                    label=Signal::derive(move || t_string!(i18n, providers.billing_email).to_string())
                    problem=problem_of(value, Field::BillingEmail)
                />
                <div class="field checkbox-field">
                    <input
                        type="checkbox"
                        id="field-purchase-seats"
                        name="service_users_may_purchase_seats"
                        value="on"
                        checked=settings.service_users_may_purchase_seats
                        aria-describedby="field-purchase-seats-hint"
                    />
                    <label for="field-purchase-seats">{t!(i18n, provider_settings.purchase_seats)}</label>
                    <p class="hint" id="field-purchase-seats-hint">{t!(i18n, provider_settings.purchase_seats_hint)}</p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                        {t!(i18n, provider_settings.save)}
                    </button>
                </div>
                <Saved value />
            </ActionForm>
        </section>
    }
}
