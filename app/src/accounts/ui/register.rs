use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::NewPasswordFields;
use crate::accounts::api::Register;
use crate::accounts::types::{MAX_NAME_CHARS, Registered, VERIFICATION_LINK_HOURS};
use crate::error::Field;
use crate::i18n::*;
use crate::routes;
use crate::widgets::{FormAlert, TextField, problem_of};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    let value = super::outcome(action);
    // An invitation's page sends its invitee here with the address, the invitation's token
    // (which proves the address) and the way back.
    let redirect_to = super::sign_in::redirect_target();
    let current = i18n.get_locale_untracked();
    let query = use_query_map();
    let invited = query.with_untracked(|q| q.get("email")).unwrap_or_default();
    let invitation = query.with_untracked(|q| q.get("invitation"));
    let (email, name) = (RwSignal::new(invited.clone()), RwSignal::new(String::new()));
    super::reload_on_success(value, move |done| match done {
        Registered::SignedIn => redirect_to(),
        Registered::CheckMail => routes::register_sent(email.get_untracked().trim()),
        Registered::SignInNext => routes::sign_in_after_registering(Some(&redirect_to())),
    });

    view! {
        <section class="panel narrow">
            <h1>{t!(i18n, accounts.register_title)}</h1>
            <ActionForm action>
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
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {t!(i18n, accounts.register_submit)}
                </button>
            </ActionForm>
            <p class="muted">
                {t!(i18n, accounts.have_account)} " "
                <a href=move || sign_in_link(&redirect_to())>{t!(i18n, accounts.sign_in)}</a>
            </p>
        </section>
    }
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
