//! Form building blocks shared by every domain: a labelled field with its translated problem
//! next to it, and the form-level alert.

use leptos::prelude::*;

use crate::error::{AppError, ErrorText, Field, Problem, ProblemText};

/// The problem a server action reported for `field`, if its last call failed.
pub fn problem_of<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
    field: Field,
) -> Signal<Option<Problem>> {
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(err)) => err.problem_for(field),
            _ => None,
        })
    })
}

#[component]
pub fn TextField(
    /// The input's `name`: the server function's argument.
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional, into)] hint: Option<ViewFn>,
    #[prop(optional, into)] value: Option<String>,
    /// Mirrors what is typed, for live feedback (the strength meter).
    #[prop(optional)]
    text: Option<RwSignal<String>>,
    #[prop(optional)] inputmode: &'static str,
    /// Distinguishes the ids when one page has several forms with a field of this name.
    #[prop(optional)]
    form: &'static str,
    problem: Signal<Option<Problem>>,
) -> impl IntoView {
    let id = if form.is_empty() {
        format!("field-{name}")
    } else {
        format!("field-{form}-{name}")
    };
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_hint = hint.is_some();
    // No constraint the browser enforces itself: its checks answer in a bubble outside the
    // page and in the browser's language. The server checks every field and its translated
    // answer shows next to the field, with or without the bundle. So email and number fields
    // are text fields with the matching keyboard, a minimum length is only a hint, and
    // "required" is told to assistive technology alone.
    let (input_type, keyboard) = match input_type {
        "email" => ("text", "email"),
        "number" => ("text", "numeric"),
        other => (other, ""),
    };
    let inputmode = if inputmode.is_empty() {
        keyboard
    } else {
        inputmode
    };
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if problem.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:invalid=move || problem.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=input_type
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                autocapitalize=(keyboard == "email").then_some("none")
                aria-required=required.then_some("true")
                maxlength=maxlength
                value=value
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                on:input=move |ev| {
                    if let Some(text) = text {
                        text.set(event_target_value(&ev));
                    }
                }
                aria-invalid=move || problem.get().is_some().then_some("true")
                aria-describedby=described_by
            />
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint.run()}</p> })}
            <p class="problem" id=error_id role="alert">
                {move || problem.get().map(|problem| view! { <ProblemText problem /> })}
            </p>
        </div>
    }
}

/// A failure that belongs to no single field (wrong credentials, throttling, server trouble).
#[component]
pub fn FormAlert<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let error = move || match value.get() {
        Some(Err(AppError::Invalid(_))) | Some(Ok(_)) | None => None,
        Some(Err(err)) => Some(err),
    };
    view! {
        <div class="form-alert" role="alert">
            {move || error().map(|error| view! { <p class="alert alert-error"><ErrorText error /></p> })}
        </div>
    }
}

/// Counts an action's successful calls: a page reloads its values on each success only, so a
/// refused save keeps what the person typed next to the problems.
pub fn successes<S>(action: ServerAction<S>) -> ReadSignal<u32>
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
    S::Error: Clone + Send + Sync + 'static,
{
    let (count, set_count) = signal(0_u32);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            set_count.update(|n| *n += 1);
        }
    });
    count
}
