//! The page a verification link opens (`/verify-email/{token}`): it asks to confirm, and the
//! confirmation posts the token. Following the link alone changes nothing, so a mail
//! scanner that fetches links does not use it up.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::accounts::api::VerifyEmail;
use crate::i18n::*;
use crate::widgets::FormAlert;

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<VerifyEmail>::new();
    let value = super::outcome(action);
    // The server names the next page: the new account's destination, or the account page.
    super::reload_on_success(value, String::clone);
    let token = use_params_map()
        .with_untracked(|p| p.get("token"))
        .unwrap_or_default();
    view! {
        <section class="panel narrow">
            <h1>{t!(i18n, accounts.verify_title)}</h1>
            <p>{t!(i18n, accounts.verify_body)}</p>
            <ActionForm action>
                <FormAlert value />
                <input type="hidden" name="token" value=token />
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {t!(i18n, accounts.verify_submit)}
                </button>
            </ActionForm>
        </section>
    }
}
