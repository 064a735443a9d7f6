//! A new password entered twice, with zxcvbn's estimate shown while typing: made in the browser
//! by the strength module (`browser::strength`), fetched at the first keystroke, debounced.

use leptos::prelude::*;
use leptos_use::signal_debounced;

use crate::accounts::browser;
use crate::accounts::types::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use crate::error::{AppError, Field};
use crate::i18n::*;
use crate::widgets::{TextField, problem_of};

#[component]
pub fn NewPasswordFields<T: Clone + Send + Sync + 'static>(
    /// The form's last result: its problems show next to the fields.
    value: Signal<Option<Result<T, AppError>>>,
    /// The server function's argument names.
    #[prop(default = "new_password")]
    name: &'static str,
    #[prop(default = "new_password_confirm")] confirm_name: &'static str,
    /// The user's own words (email, name), which make a password easier to guess.
    #[prop(optional, into)]
    context: Signal<Vec<String>>,
    /// "Password" when creating an account; "New password" by default.
    #[prop(optional)]
    first_password: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let debounced: Signal<String> = signal_debounced(typed, 250.0);
    // Browser-only: effects never run on the server, so server rendering never waits for an
    // estimate (a resource read inside the page's Suspense would hold the stream open).
    let strength = RwSignal::new(None::<crate::accounts::types::Strength>);
    // The module downloads while the user goes on typing, not after the first pause.
    Effect::new(move |_| {
        if !typed.read().is_empty() {
            browser::prepare_strength();
        }
    });
    Effect::new(move |_| {
        let password = debounced.get();
        let context = context.get();
        if password.is_empty() {
            strength.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            // A slower answer for older text must not overwrite a newer one.
            let result = browser::strength(password.clone(), context).await.ok();
            if debounced.get_untracked() == password {
                strength.set(result);
            }
        });
    });
    let score = move || strength.get().map(|s| s.score);
    let label = move || {
        score().map(|score| match score {
            0 => t_string!(i18n, accounts.strength_0),
            1 => t_string!(i18n, accounts.strength_1),
            2 => t_string!(i18n, accounts.strength_2),
            3 => t_string!(i18n, accounts.strength_3),
            _ => t_string!(i18n, accounts.strength_4),
        })
    };

    view! {
        <TextField
            name
            input_type="password"
            autocomplete="new-password"
            required=true
            maxlength=MAX_PASSWORD_CHARS
            text=typed
            label=Signal::derive(move || {
                if first_password {
                    t_string!(i18n, accounts.password).to_string()
                } else {
                    t_string!(i18n, accounts.new_password).to_string()
                }
            })
            hint=ViewFn::from(move || {
                t!(i18n, accounts.password_hint, count = move || MIN_PASSWORD_CHARS)
            })
            problem=problem_of(value, Field::Password)
        />
        <div class="strength" data-score=move || score().map(|s| s.to_string()) aria-live="polite">
            <meter
                min="0"
                max="4"
                low="2"
                high="3"
                optimum="4"
                value=move || score().unwrap_or(0)
                aria-label=move || t_string!(i18n, accounts.strength).to_string()
            />
            <span class="strength-label">
                {move || label().map(|label| view! { {t!(i18n, accounts.strength)} ": " {label} })}
            </span>
        </div>
        <TextField
            name=confirm_name
            input_type="password"
            autocomplete="new-password"
            required=true
            label=Signal::derive(move || t_string!(i18n, accounts.password_confirm).to_string())
            problem=problem_of(value, Field::PasswordConfirm)
        />
    }
}
