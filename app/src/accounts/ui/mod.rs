//! Account pages: register, sign in, and the account menu of the top bar.

mod account;
mod account_menu;
mod kdf;
mod lock;
mod memberships;
mod new_password;
mod register;
mod sign_in;
mod two_step_setup;
mod verify;
mod viewer;

pub use account::{AccountPage, Saved, SignInRequired};
pub use account_menu::AccountMenu;
pub use lock::{
    IdleLock, KeysSection, LockMenuItem, UnlockField, UnlockForm, check_master_password,
    private_key, unlock, user_key,
};
pub use memberships::MembershipsPage;
pub use new_password::NewPasswordFields;
pub use register::{RegisterPage, RegisterSentPage};
pub use sign_in::{NeedsScript, SignInPage, TwoStepSignInPage};
pub use two_step_setup::TwoStepSetupPage;
pub use verify::VerifyEmailPage;
pub use viewer::{PasswordChangeNotice, ViewerResource, provide_viewer, use_viewer};

use leptos::prelude::*;

use crate::error::AppError;

/// The login hash of the signed-in account's password, typed again to confirm a change: derived
/// in the browser with the account's own settings, so the password itself is never sent.
pub(crate) async fn current_login_hash(password: String) -> Result<String, AppError> {
    let keys = crate::accounts::api::wrapped_keys()
        .await?
        .ok_or(AppError::Refused(crate::error::Refusal::KeysMissing))?;
    let prelogin = crate::accounts::types::Prelogin {
        kdf: keys.kdf,
        salt: keys.salt,
    };
    Ok(crate::accounts::browser::login_hash(password, prelogin).await?)
}

/// The password typed again on a form that proves it is the account holder (a change, turning
/// two-step login off) or opens the keys (unlock, new key derivation settings). The browser
/// turns it into a login hash or a key; `problem` is the form's `CurrentPassword` problem.
/// `form` keeps the field's id unique on a page with several such forms. Not generic over the
/// form's outcome on purpose: a generic version moved 350 KB of shared code into the bundle's
/// main module (end2end/budget.json).
#[component]
pub(crate) fn PasswordAgain(
    problem: Signal<Option<crate::error::Problem>>,
    #[prop(optional)] form: &'static str,
    /// Labelled "Master password" (unlocking, key settings) rather than "Current password".
    #[prop(optional)]
    master: bool,
) -> impl IntoView {
    use crate::i18n::*;
    let i18n = use_i18n();
    let label = Signal::derive(move || {
        if master {
            t_string!(i18n, accounts.master_password).to_string()
        } else {
            t_string!(i18n, accounts.current_password).to_string()
        }
    });
    view! {
        <crate::widgets::TextField
            name="current_password"
            input_type="password"
            autocomplete="current-password"
            required=true
            form
            label
            problem
        />
    }
}

/// The last result of a server action, as a plain signal the form helpers accept.
pub(crate) fn outcome<S, T>(
    action: ServerAction<S>,
) -> Signal<Option<Result<T, crate::error::AppError>>>
where
    S: leptos::server_fn::ServerFn<Output = T, Error = crate::error::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    T: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get())
}

/// After a sign-in (both steps): go to `target` within the page, so that the keys the sign-in
/// opened stay in this tab's memory (a reload would lock them), and fetch the top bar's
/// viewer again for the new session.
pub fn enter_on_success<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, crate::error::AppError>>>,
    target: impl Fn(&T) -> String + 'static,
) {
    let navigate = leptos_router::hooks::use_navigate();
    let viewer = use_viewer().0;
    Effect::new(move |_| {
        if let Some(Ok(done)) = value.get() {
            viewer.refetch();
            navigate(&target(&done), Default::default());
        }
    });
}

/// After a successful registration or sign-out, load the target page afresh so that
/// everything on screen (top bar, switcher) reflects the new session.
pub(crate) fn reload_on_success<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, crate::error::AppError>>>,
    target: impl Fn(&T) -> String + 'static,
) {
    Effect::new(move |_| {
        if let Some(Ok(done)) = value.get() {
            let _ = window().location().set_href(&target(&done));
        }
    });
}
