use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::NewPasswordFields;
use super::sign_in::NeedsScript;
use crate::accounts::api::{password_policy, register};
use crate::accounts::browser;
use crate::accounts::types::{
    MAX_NAME_CHARS, Registered, VERIFICATION_LINK_HOURS, normalize_email,
};
use crate::error::{AppError, Field, FieldError, Problem};
use crate::i18n::*;
use crate::routes;
use crate::widgets::{BrowserForm, Fields, FormAlert, TextField, problem_of};

/// Registering (VAULT.md §2): the browser checks the password's rules (the portal's, and the
/// policies of the organizations whose invitation link brought the visitor), makes the
/// account's keys from it, and sends those; the password never leaves the browser.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let form = BrowserForm::<Registered>::new();
    let value = form.value();
    // An invitation's page sends its invitee here with the address, the invitation's token
    // (which proves the address) and the way back.
    let redirect_to = super::sign_in::redirect_target();
    let current = i18n.get_locale_untracked();
    let query = use_query_map();
    let invited = query.with_untracked(|q| q.get("email")).unwrap_or_default();
    let invitation = query.with_untracked(|q| q.get("invitation"));
    let (email, name) = (RwSignal::new(invited.clone()), RwSignal::new(String::new()));
    // Every outcome goes on in the router: a registration that signed in has opened its keys
    // in this tab (a reload would lock them again) and refetches the top bar's viewer.
    super::enter_on_success(value, move |done| match done {
        Registered::SignedIn => redirect_to(),
        Registered::CheckMail => routes::register_sent(email.get_untracked().trim()),
        Registered::SignInNext => routes::sign_in_after_registering(Some(&redirect_to())),
    });

    view! {
        <section class="panel narrow">
            <h1>{t!(i18n, accounts.register_title)}</h1>
            <NeedsScript />
            <form method="post" action=crate::widgets::NOWHERE on:submit=move |event| form.submit(event, register_with)>
                <input type="hidden" name="redirect_to" value=redirect_to />
                {invitation.map(|token| view! { <input type="hidden" name="invitation" value=token /> })}
                <FormAlert value />
                <TextField
                    name="email"
                    input_type="email"
                    autocomplete="username"
                    required=true
                    value=invited
                    text=email
                    label=Signal::derive(move || t_string!(i18n, accounts.email).to_string())
                    problem=problem_of(value, Field::Email)
                />
                <TextField
                    name="name"
                    autocomplete="name"
                    required=true
                    maxlength=MAX_NAME_CHARS
                    text=name
                    label=Signal::derive(move || t_string!(i18n, accounts.name).to_string())
                    problem=problem_of(value, Field::Name)
                />
                <NewPasswordFields
                    value
                    name="password"
                    confirm_name="password_confirm"
                    first_password=true
                    context=Signal::derive(move || vec![email.get(), name.get()])
                />
                <div class="field">
                    <label for="field-locale">{t!(i18n, accounts.language)}</label>
                    <select id="field-locale" name="locale">
                        {Locale::get_all()
                            .iter()
                            .map(|locale| {
                                view! {
                                    <option value=locale.as_str() selected=*locale == current>
                                        {crate::shell::native_name(*locale)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button primary" disabled=form.disabled()>
                    {t!(i18n, accounts.register_submit)}
                </button>
            </form>
            <p class="muted">
                {t!(i18n, accounts.have_account)} " "
                <a href=move || sign_in_link(&redirect_to())>{t!(i18n, accounts.sign_in)}</a>
            </p>
        </section>
    }
}

async fn register_with(fields: Fields) -> Result<Registered, AppError> {
    let (email, name) = (fields.get("email"), fields.get("name"));
    let (password, confirm) = (fields.get("password"), fields.get("password_confirm"));
    let invitation = fields.optional("invitation");
    let policy = password_policy(invitation.clone()).await?;
    let strength = browser::strength(password.clone(), vec![email.clone(), name.clone()]).await?;
    let mut problems = crate::accounts::rules::problems(&password, &confirm, strength, policy);
    if normalize_email(&email).is_none() {
        problems.insert(0, FieldError::new(Field::Email, Problem::InvalidEmail));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (keys, master) = browser::new_account(password, email.clone(), Default::default()).await?;
    let registered = register(
        email,
        name,
        fields.get("locale"),
        keys,
        fields.optional("redirect_to"),
        invitation,
    )
    .await?;
    if registered == Registered::SignedIn {
        super::lock::open_keys(master).await;
    }
    Ok(registered)
}

/// Sign-in instead, keeping the way back.
fn sign_in_link(redirect_to: &str) -> String {
    if redirect_to == routes::HOME {
        routes::SIGN_IN.to_owned()
    } else {
        format!(
            "{}?redirect_to={}",
            routes::SIGN_IN,
            routes::encode_query(redirect_to)
        )
    }
}

/// After a registration with mail on: the link is on its way. The same page whether or not
/// the address had an account (its owner got a notice instead).
#[component]
pub fn RegisterSentPage() -> impl IntoView {
    let i18n = use_i18n();
    let email = use_query_map()
        .with_untracked(|q| q.get("email"))
        .unwrap_or_default();
    view! {
        <section class="panel narrow" role="status">
            <h1>{t!(i18n, accounts.check_mail_title)}</h1>
            <p class="address-note">{t!(i18n, accounts.check_mail_body, email = move || email.clone(), hours = move || VERIFICATION_LINK_HOURS)}</p>
            <p class="muted">{t!(i18n, accounts.check_mail_hint)}</p>
        </section>
    }
}
