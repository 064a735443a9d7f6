//! Turning two-step login on (`/account/two-step`): scan the QR code (or type the secret),
//! confirm with a first code and the password, then keep the recovery code, shown once.

use leptos::prelude::*;

use super::account::SignInRequired;
use super::current_login_hash;
use super::sign_in::NeedsScript;
use crate::accounts::api::{begin_two_step, enable_two_step};
use crate::accounts::types::TwoStepSetup;
use crate::error::{AppError, Field};
use crate::i18n::*;
use crate::routes;
use crate::widgets::{BrowserForm, Fields, FormAlert, TextField, problem_of};

#[component]
pub fn TwoStepSetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let setup = Resource::new(|| (), |_| begin_two_step());
    view! {
        <h1>{t!(i18n, accounts.two_step_enable)}</h1>
        <Suspense fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, loading)}</p> }>
            {move || {
                setup
                    .get()
                    .map(|result| match result {
                        Ok(setup) => view! { <EnableForm setup /> }.into_any(),
                        Err(error) => {
                            view! { <SignInRequired error here=routes::ACCOUNT_TWO_STEP /> }.into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

#[component]
fn EnableForm(setup: TwoStepSetup) -> impl IntoView {
    let i18n = use_i18n();
    let form = BrowserForm::<String>::new();
    let value = form.value();
    let recovery = move || value.get().and_then(Result::ok);
    let TwoStepSetup {
        secret,
        qr_data_url,
    } = setup;
    view! {
        <section class="panel narrow" hidden=move || recovery().is_some()>
            <ol class="steps">
                <li>{t!(i18n, accounts.two_step_scan)}</li>
            </ol>
            <img class="qr" src=qr_data_url width="200" height="200" alt=move || t_string!(i18n, accounts.two_step_qr_alt) />
            <p class="muted">
                {t!(i18n, accounts.two_step_manual)} " " <code class="secret">{secret}</code>
            </p>
            <NeedsScript />
            <form method="post" action=crate::widgets::NOWHERE on:submit=move |event| form.submit(event, enable)>
                <FormAlert value />
                <TextField
                    name="code"
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    required=true
                    maxlength=16
                    label=Signal::derive(move || t_string!(i18n, accounts.two_step_code).to_string())
                    problem=problem_of(value, Field::Code)
                />
                <super::PasswordAgain problem=problem_of(value, Field::CurrentPassword) />
                <button type="submit" class="button primary" disabled=form.disabled()>
                    {t!(i18n, accounts.two_step_confirm)}
                </button>
            </form>
        </section>
        {move || recovery().map(|code| view! { <RecoveryCode code /> })}
    }
}

async fn enable(fields: Fields) -> Result<String, AppError> {
    let hash = current_login_hash(fields.get("current_password")).await?;
    enable_two_step(fields.get("code"), hash).await
}

#[component]
fn RecoveryCode(code: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel narrow" role="status">
            <h2>{t!(i18n, accounts.two_step_now_on)}</h2>
            <p>{t!(i18n, accounts.recovery_explain)}</p>
            <p><code class="recovery-code" data-testid="recovery-code">{code}</code></p>
            <a class="button primary" href=routes::ACCOUNT>{t!(i18n, accounts.recovery_saved)}</a>
        </section>
    }
}
