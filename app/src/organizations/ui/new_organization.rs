//! `/organizations/new`: a signed-in user creates an organization and becomes its Owner. The
//! browser makes the organization's key and key pair and wraps the key to the creator's public
//! key (VAULT.md §2), so the form needs the bundle.

use leptos::prelude::*;

use super::{CycleName, PlanName};
use crate::accounts::browser;
use crate::accounts::ui::{NeedsScript, SignInRequired, enter_on_success, use_viewer};
use crate::error::{AppError, Field, ProblemText};
use crate::i18n::*;
use crate::ids::OrganizationId;
use crate::organizations::api::create_organization;
use crate::organizations::types::{BillingCycle, MAX_ORGANIZATION_NAME_CHARS, Plan};
use crate::routes;
use crate::widgets::{BrowserForm, Fields, FormAlert, TextField, problem_of};

#[component]
pub fn NewOrganizationPage() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = use_viewer().0;
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                viewer
                    .get()
                    .map(|result| match result {
                        Ok(Some(viewer)) => view! { <NewOrganizationForm email=viewer.email /> }.into_any(),
                        Ok(None) => {
                            view! { <SignInRequired error=crate::AppError::Unauthenticated here=routes::NEW_ORGANIZATION /> }
                                .into_any()
                        }
                        Err(error) => view! { <SignInRequired error here=routes::NEW_ORGANIZATION /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// The keys first (only the creator's public key is needed, so a locked tab can do this), then
/// the organization with them.
async fn create_with(fields: Fields) -> Result<OrganizationId, AppError> {
    let keys = browser::organization_keys_for(browser::own_public_key().await?).await?;
    create_organization(
        fields.get("name"),
        fields.get("billing_email"),
        fields.get("plan"),
        fields.get("billing_cycle"),
        fields.get("seats"),
        keys,
    )
    .await
}

#[component]
fn NewOrganizationForm(email: String) -> impl IntoView {
    let i18n = use_i18n();
    let form = BrowserForm::<OrganizationId>::new();
    let value = form.value();
    // The switcher lists the new organization (the viewer is fetched again), and its Admin
    // Console opens.
    enter_on_success(value, |id| routes::organization_console(*id));
    let choice_problem = move |field| problem_of(value, field);
    view! {
        <section class="panel narrow">
            <h1>{t!(i18n, organizations.new_title)}</h1>
            <p class="muted">{t!(i18n, organizations.new_intro)}</p>
            <NeedsScript />
            <form method="post" action=crate::widgets::NOWHERE on:submit=move |event| form.submit(event, create_with)>
                <FormAlert value />
                <TextField
                    name="name"
                    required=true
                    maxlength=MAX_ORGANIZATION_NAME_CHARS
                    label=Signal::derive(move || t_string!(i18n, organizations.name).to_string())
                    problem=problem_of(value, Field::Name)
                />
                <TextField
                    name="billing_email"
                    input_type="email"
                    required=true
                    value=email
                    label=Signal::derive(move || t_string!(i18n, organizations.billing_email).to_string())
                    problem=problem_of(value, Field::BillingEmail)
                />
                <fieldset class="field choice" class:invalid=move || choice_problem(Field::Plan).get().is_some()>
                    <legend>{t!(i18n, organizations.plan)}</legend>
                    {Plan::ALL
                        .into_iter()
                        .map(|plan| {
                            view! {
                                <label class="choice-option">
                                    <input type="radio" name="plan" value=plan.as_str() checked=plan == Plan::Teams required=true />
                                    <PlanName plan />
                                </label>
                            }
                        })
                        .collect_view()}
                    <p class="hint">{t!(i18n, organizations.plan_hint)}</p>
                    <p class="problem" role="alert">
                        {move || choice_problem(Field::Plan).get().map(|problem| view! { <ProblemText problem /> })}
                    </p>
                </fieldset>
                <fieldset class="field choice">
                    <legend>{t!(i18n, organizations.billing_cycle)}</legend>
                    {BillingCycle::ALL
                        .into_iter()
                        .map(|cycle| {
                            view! {
                                <label class="choice-option">
                                    <input type="radio" name="billing_cycle" value=cycle.as_str() checked=cycle == BillingCycle::Monthly />
                                    <CycleName cycle />
                                </label>
                            }
                        })
                        .collect_view()}
                    <p class="problem" role="alert">
                        {move || choice_problem(Field::BillingCycle).get().map(|problem| view! { <ProblemText problem /> })}
                    </p>
                </fieldset>
                <TextField
                    name="seats"
                    input_type="number"
                    inputmode="numeric"
                    required=true
                    value="5".to_owned()
                    label=Signal::derive(move || t_string!(i18n, organizations.seats).to_string())
                    hint=ViewFn::from(move || t!(i18n, organizations.seats_hint))
                    problem=problem_of(value, Field::Seats)
                />
                <button type="submit" class="button primary" disabled=form.disabled()>
                    {t!(i18n, organizations.create)}
                </button>
            </form>
        </section>
    }
}
