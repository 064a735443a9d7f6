use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::accounts::api::{CompleteTwoStepSignIn, prelogin, sign_in, upgrade_sign_in};
use crate::accounts::types::SignInStep;
use crate::accounts::{browser, unlocked};
use crate::error::{AppError, Field};
use crate::i18n::*;
use crate::routes;
use crate::widgets::{BrowserForm, Fields, FormAlert, TextField, problem_of};

/// Where to go after signing in: a page that asked for a session passes itself along as
/// `?redirect_to=`; anything but a path on this site is ignored (no open redirects).
pub(super) fn redirect_target() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || routes::local_or(query.with(|q| q.get("redirect_to")), routes::HOME)
}

/// Signing in (VAULT.md §2): the browser asks how the account derives its master key, derives
/// it, and sends the login hash, never the password. An account made before zero knowledge
/// answers that it needs upgrading: then the password goes once, with the keys made from it.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let form = BrowserForm::<SignInStep>::new();
    let value = form.value();
    let redirect_to = redirect_target();
    super::enter_on_success(value, move |step| match step {
        SignInStep::SecondStep => routes::two_step_sign_in(Some(&redirect_to())),
        SignInStep::Done | SignInStep::Upgrade => redirect_to(),
    });
    let submit = move |event| form.submit(event, sign_in_with);

    // Sent here after registering while mail is off: the account is ready.
    let registered = use_query_map().with_untracked(|q| q.get("registered").is_some());

    view! {
        <section class="panel narrow">
            <h1>{t!(i18n, accounts.sign_in_title)}</h1>
            {registered.then(|| view! { <p class="alert alert-success" role="status">{t!(i18n, accounts.registered_sign_in)}</p> })}
            <NeedsScript />
            <form method="post" action=crate::widgets::NOWHERE on:submit=submit>
                <FormAlert value />
                <input type="hidden" name="redirect_to" value=redirect_to />
                <TextField
                    name="email"
                    input_type="email"
                    autocomplete="username"
                    required=true
                    label=Signal::derive(move || t_string!(i18n, accounts.email).to_string())
                    problem=problem_of(value, Field::Email)
                />
                <TextField
                    name="password"
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                    label=Signal::derive(move || t_string!(i18n, accounts.password).to_string())
                    problem=problem_of(value, Field::Password)
                />
                <button type="submit" class="button primary" disabled=form.disabled()>
                    {t!(i18n, accounts.sign_in_submit)}
                </button>
            </form>
            <p class="muted">
                {t!(i18n, accounts.no_account)} " "
                <a href=routes::REGISTER>{t!(i18n, accounts.register)}</a>
            </p>
        </section>
    }
}

/// Signs in and opens the account's keys with the master key derived for the login hash, so
/// the tab is unlocked at once; with two-step login on, the key waits for the second step.
async fn sign_in_with(fields: Fields) -> Result<SignInStep, AppError> {
    let (email, password) = (fields.get("email"), fields.get("password"));
    let redirect_to = fields.optional("redirect_to");
    let prelogin = prelogin(email.clone()).await?;
    let (hash, mut master) = browser::sign_in_keys(password.clone(), prelogin.clone()).await?;
    let step = match sign_in(email.clone(), hash, redirect_to.clone()).await? {
        SignInStep::Upgrade => {
            // An account without keys gets them now, under the master key just derived (the
            // prelogin's salt is the address the server keeps as the account's salt).
            let (keys, same) =
                browser::upgrade_keys(master, password.clone(), prelogin.kdf).await?;
            master = same;
            upgrade_sign_in(email, password, keys, redirect_to).await?
        }
        step => step,
    };
    match step {
        SignInStep::SecondStep => unlocked::hold_pending(master),
        SignInStep::Done | SignInStep::Upgrade => super::lock::open_keys(master).await,
    }
    Ok(step)
}

/// Shown without the browser bundle on pages whose forms need it (the password must not
/// leave the browser, so they cannot post it as a plain form would).
#[component]
pub fn NeedsScript() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <noscript>
            <p class="alert alert-warning" role="status">{t!(i18n, accounts.needs_javascript)}</p>
        </noscript>
    }
}

/// The second step: the code from the authenticator app, or the recovery code.
#[component]
pub fn TwoStepSignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CompleteTwoStepSignIn>::new();
    let redirect_to = redirect_target();
    // Once the second step is done, the master key the first step derived opens the keys
    // (when the first step ran in this tab); then the page goes where the server says (a
    // recovery code leads to the account page).
    let opened = RwSignal::new(None::<Result<String, AppError>>);
    Effect::new(move |_| {
        if let Some(Ok(target)) = action.value().get() {
            leptos::task::spawn_local(async move {
                if let Some(master) = unlocked::take_pending() {
                    super::lock::open_keys(master).await;
                }
                opened.set(Some(Ok(target)));
            });
        }
    });
    let value = super::outcome(action);
    super::enter_on_success(opened.into(), String::clone);

    view! {
        <section class="panel narrow">
            <h1>{t!(i18n, accounts.two_step_title)}</h1>
            <p>{t!(i18n, accounts.two_step_prompt)}</p>
            <ActionForm action>
                <FormAlert value />
                <input type="hidden" name="redirect_to" value=redirect_to />
                <TextField
                    name="code"
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    required=true
                    maxlength=64
                    label=Signal::derive(move || t_string!(i18n, accounts.two_step_code).to_string())
                    hint=ViewFn::from(move || t!(i18n, accounts.two_step_recovery_hint))
                    problem=problem_of(value, Field::Code)
                />
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {t!(i18n, accounts.two_step_submit)}
                </button>
            </ActionForm>
            <p class="muted">
                <a href=routes::SIGN_IN>{t!(i18n, accounts.two_step_restart)}</a>
            </p>
        </section>
    }
}
