use leptos::form::ActionForm;
use leptos::prelude::*;

use super::NewPasswordFields;
use crate::accounts::api::Register;
use crate::accounts::types::MAX_NAME_CHARS;
use crate::error::Field;
use crate::i18n::*;
use crate::routes;
use crate::shell::{FormAlert, TextField, problem_of};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    let value = super::outcome(action);
    super::reload_on_success(value, |_| routes::HOME.to_owned());
    let current = i18n.get_locale_untracked();
    let (email, name) = (RwSignal::new(String::new()), RwSignal::new(String::new()));

    view! {
        <section class="panel narrow">
            <h1>{t!(i18n, accounts.register_title)}</h1>
            <ActionForm action>
                <FormAlert value />
                <TextField
                    name="email"
                    input_type="email"
                    autocomplete="username"
                    required=true
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
                <a href=routes::SIGN_IN>{t!(i18n, accounts.sign_in)}</a>
            </p>
        </section>
    }
}
