//! The account page's key derivation settings (VAULT.md §2): PBKDF2-SHA256 or Argon2id, with
//! their parameters. Changing them is a master-password change with the same password: the
//! browser derives the new master key and re-wraps the *same* user key under it, and the
//! server, which checks the bounds again, ends every other session.

use leptos::prelude::*;

use super::sign_in::NeedsScript;
use crate::accounts::api::{change_password, wrapped_keys};
use crate::accounts::browser;
use crate::crypto::Kdf;
use crate::error::{AppError, Field, Refusal};
use crate::i18n::*;
use crate::widgets::{BrowserForm, Fields, FormAlert, problem_of};

/// The form's names for the two algorithms.
const PBKDF2: &str = "pbkdf2";
const ARGON2ID: &str = "argon2id";

fn out_of_bounds() -> AppError {
    AppError::Refused(Refusal::KdfOutOfBounds)
}

/// The settings the form describes, checked against the bounds the server applies.
fn kdf_of(fields: &Fields) -> Result<Kdf, AppError> {
    let number = |name: &str| {
        fields
            .get(name)
            .trim()
            .parse::<u32>()
            .map_err(|_| out_of_bounds())
    };
    let kdf = if fields.get("kdf") == ARGON2ID {
        Kdf::Argon2id {
            iterations: number("argon2_iterations")?,
            memory_mib: number("argon2_memory_mib")?,
            parallelism: number("argon2_parallelism")?,
        }
    } else {
        Kdf::Pbkdf2 {
            iterations: number("pbkdf2_iterations")?,
        }
    };
    kdf.check_bounds().map_err(|_| out_of_bounds())?;
    Ok(kdf)
}

async fn kdf_change(fields: Fields) -> Result<(), AppError> {
    let kdf = kdf_of(&fields)?;
    let keys = wrapped_keys()
        .await?
        .ok_or(AppError::Refused(Refusal::KeysMissing))?;
    let password = fields.get("current_password");
    let (current_hash, new_keys) =
        browser::change_master_password(password.clone(), password, keys, kdf).await?;
    change_password(current_hash, new_keys).await
}

/// One number of the settings, with its bounds as its hint. They are not the input's own
/// limits: the browser would refuse in its own words and language; the form's check says it in
/// the page's.
#[component]
fn Setting(
    name: &'static str,
    label: Signal<String>,
    value: u32,
    bounds: (u32, u32),
) -> impl IntoView {
    let id = format!("field-kdf-{name}");
    let hint = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type="number"
                inputmode="numeric"
                required=true
                value=value.to_string()
                aria-describedby=hint.clone()
            />
            <p class="hint" id=hint>{format!("{} – {}", bounds.0, bounds.1)}</p>
        </div>
    }
}

/// The key derivation form, showing the settings of the algorithm chosen.
#[component]
pub fn KdfSection(current: Option<Kdf>, form: BrowserForm<()>) -> impl IntoView {
    let i18n = use_i18n();
    let value = form.value();
    let current = current.unwrap_or_default();
    let argon = |kdf: Kdf| match kdf {
        Kdf::Argon2id {
            iterations,
            memory_mib,
            parallelism,
        } => Some((iterations, memory_mib, parallelism)),
        Kdf::Pbkdf2 { .. } => None,
    };
    // The fields of the algorithm not in use start at its defaults.
    let (iterations, memory_mib, parallelism) = argon(current)
        .or(argon(Kdf::ARGON2_DEFAULT))
        .unwrap_or((3, 64, 4));
    let (pbkdf2_iterations, kind) = match current {
        Kdf::Pbkdf2 { iterations } => (iterations, PBKDF2),
        Kdf::Argon2id { .. } => (Kdf::PBKDF2_ITERATIONS.0, ARGON2ID),
    };
    let kind = RwSignal::new(kind);
    let iterations_label =
        Signal::derive(move || t_string!(i18n, accounts.kdf_iterations).to_string());
    let memory_label = Signal::derive(move || t_string!(i18n, accounts.kdf_memory).to_string());
    let parallelism_label =
        Signal::derive(move || t_string!(i18n, accounts.kdf_parallelism).to_string());
    view! {
        <section class="panel" aria-labelledby="kdf-heading">
            <h2 id="kdf-heading">{t!(i18n, accounts.kdf_title)}</h2>
            <p class="muted">{t!(i18n, accounts.kdf_explain)}</p>
            <NeedsScript />
            <form method="post" action=crate::widgets::NOWHERE on:submit=move |event| form.submit(event, kdf_change)>
                <FormAlert value />
                <div class="field">
                    <label for="field-kdf">{t!(i18n, accounts.kdf_algorithm)}</label>
                    <select
                        id="field-kdf"
                        name="kdf"
                        on:change=move |event| {
                            kind.set(if event_target_value(&event) == ARGON2ID { ARGON2ID } else { PBKDF2 });
                        }
                    >
                        <option value=PBKDF2 selected=move || kind.get() == PBKDF2>"PBKDF2-SHA256"</option>
                        <option value=ARGON2ID selected=move || kind.get() == ARGON2ID>"Argon2id"</option>
                    </select>
                </div>
                <fieldset class="plain-fieldset" hidden=move || kind.get() != PBKDF2 disabled=move || kind.get() != PBKDF2>
                    <Setting
                        name="pbkdf2_iterations"
                        label=iterations_label
                        value=pbkdf2_iterations
                        bounds=Kdf::PBKDF2_ITERATIONS
                    />
                </fieldset>
                <fieldset class="plain-fieldset" hidden=move || kind.get() != ARGON2ID disabled=move || kind.get() != ARGON2ID>
                    <Setting
                        name="argon2_iterations"
                        label=iterations_label
                        value=iterations
                        bounds=Kdf::ARGON2_ITERATIONS
                    />
                    <Setting
                        name="argon2_memory_mib"
                        label=memory_label
                        value=memory_mib
                        bounds=Kdf::ARGON2_MEMORY_MIB
                    />
                    <Setting
                        name="argon2_parallelism"
                        label=parallelism_label
                        value=parallelism
                        bounds=Kdf::ARGON2_PARALLELISM
                    />
                </fieldset>
                <super::PasswordAgain problem=problem_of(value, Field::CurrentPassword) form="kdf" master=true />
                <button type="submit" class="button" disabled=form.disabled()>
                    {t!(i18n, accounts.kdf_submit)}
                </button>
                <super::Saved value />
            </form>
        </section>
    }
}
