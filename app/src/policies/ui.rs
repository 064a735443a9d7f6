//! Admin Console → Settings → Policies: one panel per policy, each its own form (so a refusal
//! shows next to the policy it concerns), working before the bundle loads.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::api::{SetPolicy, get_policies};
use super::types::{
    MAX_POLICY_LENGTH, MAX_POLICY_STRENGTH, MIN_POLICY_LENGTH, PolicyKind, PolicyPage,
};
use crate::accounts::ui::Saved;
use crate::error::{Field, Problem, ProblemText};
use crate::i18n::*;
use crate::ids::OrganizationId;
use crate::organizations::ui::{FormPage, organization_form_data};
use crate::routes;
use crate::widgets::{FormAlert, TextField, problem_of};

/// The three forms' actions, kept apart so each shows only its own outcome.
#[derive(Clone, Copy)]
struct PolicyActions([ServerAction<SetPolicy>; 3]);

impl PolicyActions {
    fn of(self, kind: PolicyKind) -> ServerAction<SetPolicy> {
        let index = PolicyKind::ALL
            .iter()
            .position(|k| *k == kind)
            .unwrap_or_default();
        self.0[index]
    }
}

#[component]
pub fn PoliciesPage() -> impl IntoView {
    let i18n = use_i18n();
    let actions = PolicyActions(std::array::from_fn(|_| ServerAction::<SetPolicy>::new()));
    provide_context(actions);
    let saves = actions.0.map(crate::widgets::successes);
    let loaded = organization_form_data(move || saves.iter().map(|s| s.get()).sum(), get_policies);
    let title = Signal::derive(move || t_string!(i18n, nav.policies).to_string());
    view! {
        <FormPage title loaded here=routes::organization_policies form=|id, page| view! { <PolicyList id page /> } />
    }
}

#[component]
fn PolicyList(id: OrganizationId, page: PolicyPage) -> impl IntoView {
    let i18n = use_i18n();
    let PolicyPage {
        policies,
        public_key,
    } = page;
    let rules = policies.master_password.unwrap_or_default();
    view! {
        <p class="muted">{t!(i18n, policies.intro)}</p>
        <PolicyForm id kind=PolicyKind::AccountRecovery on=policies.account_recovery>
            <p>{t!(i18n, policies.account_recovery_description)}</p>
            {public_key.map(|public_key| view! { <OrganizationFingerprint id public_key /> })}
        </PolicyForm>
        <PolicyForm id kind=PolicyKind::TwoStepLogin on=policies.two_step_login>
            <p>{t!(i18n, policies.two_step_login_description)}</p>
        </PolicyForm>
        <PolicyForm id kind=PolicyKind::MasterPassword on=policies.master_password.is_some()>
            <p>{t!(i18n, policies.master_password_description)}</p>
            <MasterPasswordRules min_length=rules.min_length min_strength=rules.min_strength />
        </PolicyForm>
    }
}

/// One policy's panel: its name, what it does, an on/off checkbox and Save.
#[component]
fn PolicyForm(id: OrganizationId, kind: PolicyKind, on: bool, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let action = expect_context::<PolicyActions>().of(kind);
    let value = Signal::derive(move || action.value().get());
    let heading = format!("policy-{}-heading", kind.as_str());
    let checkbox = format!("policy-{}-enabled", kind.as_str());
    view! {
        <section class="panel policy" data-policy=kind.as_str() aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>
                <PolicyName kind />
                " "
                <span class="badge" class:on=on>
                    {if on { t!(i18n, policies.on).into_any() } else { t!(i18n, policies.off).into_any() }}
                </span>
            </h2>
            <ActionForm action>
                <input type="hidden" name="organization" value=id.to_string() />
                <input type="hidden" name="kind" value=kind.as_str() />
                <FormAlert value />
                {children()}
                <div class="field checkbox">
                    <input type="checkbox" id=checkbox.clone() name="enabled" value="on" checked=on />
                    <label for=checkbox>{t!(i18n, policies.turn_on)}</label>
                </div>
                <ConfirmBox kind problem=problem_of(value, Field::Confirm) />
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

/// Asked for when saving would withdraw something the form did not show (recovery
/// enrolments): the reason, and a box that must be ticked on the next save.
#[component]
fn ConfirmBox(kind: PolicyKind, problem: Signal<Option<Problem>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("policy-{}-confirm", kind.as_str());
    move || {
        problem.get().map(|problem| {
            let id = id.clone();
            view! {
                <div class="field checkbox-field invalid">
                    <p class="problem" role="alert"><ProblemText problem /></p>
                    <input type="checkbox" id=id.clone() name="confirm" value="on" aria-required="true" />
                    <label for=id>{t!(i18n, policies.confirm_withdraw)}</label>
                </div>
            }
        })
    }
}

#[component]
pub fn PolicyName(kind: PolicyKind) -> impl IntoView {
    let i18n = use_i18n();
    match kind {
        PolicyKind::AccountRecovery => t!(i18n, policies.account_recovery).into_any(),
        PolicyKind::TwoStepLogin => t!(i18n, policies.two_step_login).into_any(),
        PolicyKind::MasterPassword => t!(i18n, policies.master_password).into_any(),
    }
}

/// Minimum length and strength; they count only while the policy is on.
#[component]
fn MasterPasswordRules(min_length: u32, min_strength: u32) -> impl IntoView {
    let i18n = use_i18n();
    let action = expect_context::<PolicyActions>().of(PolicyKind::MasterPassword);
    let value = Signal::derive(move || action.value().get());
    let strength_problem = problem_of(value, Field::MinStrength);
    let strength_label = move |score: u32| match score {
        0 => t_string!(i18n, accounts.strength_0),
        1 => t_string!(i18n, accounts.strength_1),
        2 => t_string!(i18n, accounts.strength_2),
        3 => t_string!(i18n, accounts.strength_3),
        _ => t_string!(i18n, accounts.strength_4),
    };
    view! {
        <TextField
            name="min_length"
            input_type="number"
            value=min_length.to_string()
            label=Signal::derive(move || t_string!(i18n, policies.min_length).to_string())
            hint=move || t!(i18n, policies.min_length_hint, min = move || MIN_POLICY_LENGTH, max = move || MAX_POLICY_LENGTH)
            problem=problem_of(value, Field::MinLength)
        />
        <div class="field" class:invalid=move || strength_problem.get().is_some()>
            <label for="field-min_strength">{t!(i18n, policies.min_strength)}</label>
            <select
                id="field-min_strength"
                name="min_strength"
                aria-invalid=move || strength_problem.get().is_some().then_some("true")
                aria-describedby="field-min_strength-error"
            >
                {(0..=MAX_POLICY_STRENGTH)
                    .map(|score| view! {
                        <option value=score.to_string() selected=score == min_strength>
                            {move || strength_label(score)}
                        </option>
                    })
                    .collect_view()}
            </select>
            <p class="problem" id="field-min_strength-error" role="alert">
                {move || strength_problem.get().map(|problem| view! { <ProblemText problem /> })}
            </p>
        </div>
    }
}

/// The organization's fingerprint phrase, worked out in this browser from its public key:
/// what members see when they enrol in account recovery, to compare with what an admin tells
/// them. Shown once the bundle has made it (never the server's word).
#[component]
fn OrganizationFingerprint(id: OrganizationId, public_key: String) -> impl IntoView {
    let i18n = use_i18n();
    let phrase = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let public_key = public_key.clone();
        leptos::task::spawn_local(async move {
            if let Ok(Some(made)) =
                crate::accounts::browser::organization_fingerprint(id, public_key).await
            {
                phrase.set(Some(made));
            }
        });
    });
    view! {
        <p class="fingerprint">
            {t!(i18n, memberships.organization_fingerprint)} ": "
            <code data-testid="organization-fingerprint">
                {move || phrase.get().unwrap_or_else(|| t_string!(i18n, loading).to_string())}
            </code>
        </p>
    }
}
