//! Admin Console pages with one form each: Billing → Subscription (seats), Billing →
//! Billing information (address, tax id), Settings → Organization info (name, billing email).
//! Each form works before the bundle loads, shows problems next to their fields and reloads
//! the saved values after a save.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{CycleName, PlanName};
use crate::accounts::ui::{Saved, SignInRequired};
use crate::billing::ui::AddressFields;
use crate::error::{AppError, Field};
use crate::i18n::*;
use crate::ids::OrganizationId;
use crate::organizations::api::{
    SetOrganizationSeats, UpdateOrganizationBilling, UpdateOrganizationInfo,
    get_organization_billing, get_organization_info, get_organization_subscription,
};
use crate::organizations::types::{
    MAX_ORGANIZATION_NAME_CHARS, OrganizationBilling, OrganizationInfo, OrganizationOverview,
};
use crate::routes;
use crate::widgets::{FormAlert, TextField, problem_of};

pub(crate) fn organization_param()
-> impl Fn() -> Option<OrganizationId> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params.with(|p| {
            p.get("organization")
                .and_then(|id| id.parse::<OrganizationId>().ok())
        })
    }
}

/// A form page's data for the organization in the URL, fetched again after each save
/// (`saves` counts them), with the id it belongs to.
pub(crate) fn organization_form_data<T, F, Fut>(
    saves: impl Fn() -> u32 + Send + Sync + 'static,
    fetch: F,
) -> Resource<Result<(OrganizationId, T), AppError>>
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(OrganizationId) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let organization = organization_param();
    Resource::new_blocking(
        move || (organization(), saves()),
        move |(organization, _)| async move {
            let organization = organization.ok_or(AppError::NotFound)?;
            fetch(organization).await.map(|data| (organization, data))
        },
    )
}

/// A page's heading, its loading state, and the access message when the server refuses.
#[component]
pub(crate) fn FormPage<T, V>(
    title: Signal<String>,
    loaded: Resource<Result<(OrganizationId, T), AppError>>,
    here: fn(OrganizationId) -> String,
    form: fn(OrganizationId, T) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let organization = organization_param();
    view! {
        <div class="page-header">
            <h1>{move || title.get()}</h1>
        </div>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || loaded.get().map(|result| match result {
                Ok((id, data)) => form(id, data).into_any(),
                Err(error) => {
                    let here = organization().map(here).unwrap_or_default();
                    view! { <SignInRequired error here /> }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
pub fn OrganizationSubscriptionPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetOrganizationSeats>::new();
    provide_context(action);
    let saves = crate::widgets::successes(action);
    let loaded = organization_form_data(move || saves.get(), get_organization_subscription);
    let title = Signal::derive(move || t_string!(i18n, billing.subscription).to_string());
    view! {
        <FormPage title loaded here=routes::organization_subscription form=|id, overview| view! { <SeatsForm id overview /> } />
    }
}

#[component]
fn SeatsForm(id: OrganizationId, overview: OrganizationOverview) -> impl IntoView {
    let i18n = use_i18n();
    let action = expect_context::<ServerAction<SetOrganizationSeats>>();
    let value = Signal::derive(move || action.value().get());
    let used = overview.used;
    let remaining = overview.remaining();
    let is_client = overview.provider.is_some();
    view! {
        <section class="panel" aria-labelledby="plan-heading">
            <h2 id="plan-heading">{overview.name.clone()}</h2>
            <dl class="figures">
                <div><dt>{t!(i18n, organizations.plan)}</dt><dd><PlanName plan=overview.plan /> " · " <CycleName cycle=overview.billing_cycle /></dd></div>
                <div><dt>{t!(i18n, clients.column_assigned)}</dt><dd data-figure="assigned">{overview.seats}</dd></div>
                <div><dt>{t!(i18n, clients.column_used)}</dt><dd data-figure="used">{used}</dd></div>
                <div><dt>{t!(i18n, clients.column_remaining)}</dt><dd data-figure="remaining">{remaining}</dd></div>
            </dl>
        </section>
        <section class="panel" aria-labelledby="seats-heading">
            <h2 id="seats-heading">{t!(i18n, org_settings.seats_title)}</h2>
            <ActionForm action>
                <input type="hidden" name="organization" value=id.to_string() />
                <FormAlert value />
                <TextField
                    name="seats"
                    input_type="number"
                    required=true
                    value=overview.seats.to_string()
                    label=Signal::derive(move || t_string!(i18n, org_settings.seats_label).to_string())
                    hint=move || view! {
                        {t!(i18n, org_settings.seats_hint, used = move || used)}
                        {is_client.then(|| view! { " " {t!(i18n, org_settings.client_seats_hint)} })}
                    }
                    problem=problem_of(value, Field::Seats)
                />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                        {t!(i18n, org_settings.save)}
                    </button>
                </div>
                <Saved value />
            </ActionForm>
        </section>
    }
}

#[component]
pub fn OrganizationBillingPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<UpdateOrganizationBilling>::new();
    provide_context(action);
    let saves = crate::widgets::successes(action);
    let loaded = organization_form_data(move || saves.get(), get_organization_billing);
    let title = Signal::derive(move || t_string!(i18n, billing.information).to_string());
    view! {
        <FormPage title loaded here=routes::organization_billing_information form=|id, billing| view! { <BillingForm id billing /> } />
    }
}

#[component]
fn BillingForm(id: OrganizationId, billing: OrganizationBilling) -> impl IntoView {
    let i18n = use_i18n();
    let action = expect_context::<ServerAction<UpdateOrganizationBilling>>();
    let value = Signal::derive(move || action.value().get());
    view! {
        <section class="panel">
            <ActionForm action>
                <input type="hidden" name="organization" value=id.to_string() />
                <FormAlert value />
                <AddressFields address=billing.address tax_id=billing.tax_id value />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                        {t!(i18n, org_settings.save)}
                    </button>
                </div>
                <Saved value />
            </ActionForm>
        </section>
    }
}

#[component]
pub fn OrganizationInfoPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<UpdateOrganizationInfo>::new();
    provide_context(action);
    let saves = crate::widgets::successes(action);
    let loaded = organization_form_data(move || saves.get(), get_organization_info);
    let title = Signal::derive(move || t_string!(i18n, org_settings.info_title).to_string());
    view! {
        <FormPage title loaded here=routes::organization_settings form=|id, info| view! { <InfoForm id info /> } />
    }
}

#[component]
fn InfoForm(id: OrganizationId, info: OrganizationInfo) -> impl IntoView {
    let i18n = use_i18n();
    let action = expect_context::<ServerAction<UpdateOrganizationInfo>>();
    let value = Signal::derive(move || action.value().get());
    let billing_email = match info.billed_through {
        // A client's billing email is its provider's (rule 11): shown, not sent.
        Some(provider) => view! {
            <p class="field-static">
                <span class="label">{t!(i18n, organizations.billing_email)}</span>
                " " <strong>{info.billing_email}</strong>
                <span class="hint">{t!(i18n, org_settings.billed_through, provider = move || provider.clone())}</span>
            </p>
        }
        .into_any(),
        None => view! {
            <TextField
                name="billing_email"
                input_type="email"
                required=true
                value=info.billing_email
                label=Signal::derive(move || t_string!(i18n, organizations.billing_email).to_string())
                problem=problem_of(value, Field::BillingEmail)
            />
        }
        .into_any(),
    };
    view! {
        <section class="panel">
            <ActionForm action>
                <input type="hidden" name="organization" value=id.to_string() />
                <FormAlert value />
                <TextField
                    name="name"
                    required=true
                    maxlength=MAX_ORGANIZATION_NAME_CHARS
                    value=info.name
                    label=Signal::derive(move || t_string!(i18n, organizations.name).to_string())
                    problem=problem_of(value, Field::Name)
                />
                {billing_email}
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                        {t!(i18n, org_settings.save)}
                    </button>
                </div>
                <Saved value />
            </ActionForm>
        </section>
    }
}
