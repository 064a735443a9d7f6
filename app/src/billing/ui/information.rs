//! Billing → Information: the billing email, address and tax id.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::super::api::{UpdateBillingInfo, get_billing_info};
use super::super::types::{BillingInfo, MAX_ADDRESS_CHARS, MAX_TAX_ID_CHARS};
use crate::accounts::ui::{Saved, SignInRequired};
use crate::error::{AppError, Field, ProblemText};
use crate::i18n::*;
use crate::ids::ProviderId;
use crate::routes;
use crate::widgets::{FormAlert, TextField, problem_of};

use super::{PaymentNote, provider_param};

#[component]
pub fn BillingInfoPage() -> impl IntoView {
    let i18n = use_i18n();
    let provider = provider_param();
    let action = ServerAction::<UpdateBillingInfo>::new();
    let saves = crate::widgets::successes(action);
    let info = Resource::new_blocking(
        move || (provider(), saves.get()),
        |(provider, _)| async move {
            let provider = provider.ok_or(AppError::NotFound)?;
            get_billing_info(provider)
                .await
                .map(|info| (provider, info))
        },
    );
    view! {
        <div class="page-header">
            <h1>{t!(i18n, billing.information)}</h1>
        </div>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || info.get().map(|result| match result {
                Ok((provider, info)) => view! { <BillingInfoForm provider info action /> }.into_any(),
                Err(error) => {
                    let here = provider().map(routes::provider_billing_information).unwrap_or_default();
                    view! { <SignInRequired error here /> }.into_any()
                }
            })}
        </Transition>
        <PaymentNote />
    }
}

#[component]
fn BillingInfoForm(
    provider: ProviderId,
    info: BillingInfo,
    action: ServerAction<UpdateBillingInfo>,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = Signal::derive(move || action.value().get());
    view! {
        <section class="panel">
            <ActionForm action>
                <input type="hidden" name="provider" value=provider.to_string() />
                <FormAlert value />
                <TextField
                    name="billing_email"
                    input_type="email"
                    required=true
                    value=info.billing_email
                    label=Signal::derive(move || t_string!(i18n, providers.billing_email).to_string())
                    problem=problem_of(value, Field::BillingEmail)
                />
                <AddressFields address=info.address tax_id=info.tax_id value />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                        {t!(i18n, provider_settings.save)}
                    </button>
                </div>
                <Saved value />
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The postal address and tax id of a billing form (a provider's or an organization's).
#[component]
pub fn AddressFields(
    address: String,
    tax_id: String,
    value: Signal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let address_problem = problem_of(value, Field::Address);
    view! {
        <div class="field" class:invalid=move || address_problem.get().is_some()>
            <label for="field-address">{t!(i18n, billing.address)}</label>
            <textarea
                id="field-address"
                name="address"
                rows="4"
                maxlength=MAX_ADDRESS_CHARS
                aria-describedby="field-address-error"
                aria-invalid=move || address_problem.get().is_some().then_some("true")
            >
                {address}
            </textarea>
            <p class="problem" id="field-address-error" role="alert">
                {move || address_problem.get().map(|problem| view! { <ProblemText problem /> })}
            </p>
        </div>
        <TextField
            name="tax_id"
            maxlength=MAX_TAX_ID_CHARS
            value=tax_id
            label=Signal::derive(move || t_string!(i18n, billing.tax_id).to_string())
            hint=move || t!(i18n, billing.tax_id_hint)
            problem=problem_of(value, Field::TaxId)
        />
    }
}
