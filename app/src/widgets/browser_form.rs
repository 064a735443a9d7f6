//! A form whose submission runs in the browser before it reaches the server: anything that
//! needs the password, which never leaves the browser (VAULT.md §2), derives keys first and
//! sends what it derived. Without the bundle such a form cannot work, so its submit button
//! stays disabled until the page is interactive, and the page says why in a `<noscript>`.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use crate::error::AppError;

/// The `action` of every form a [`BrowserForm`] handles (with `method="post"`): should the page
/// stop working (a panic ends the bundle), the browser would submit the form itself, and what
/// it holds (a password) must not go to the server or into an address. The page's
/// Content-Security-Policy (`form-action 'self'`) refuses this target, so nothing is sent.
pub const NOWHERE: &str = "about:blank";

/// A form's state: its outcome (shown by `FormAlert` and next to each field), whether its
/// browser-side work or its server call is under way, and whether the page is interactive.
pub struct BrowserForm<T: Send + Sync + 'static> {
    pub outcome: RwSignal<Option<Result<T, AppError>>>,
    working: RwSignal<bool>,
    ready: RwSignal<bool>,
}

impl<T: Send + Sync + 'static> Clone for BrowserForm<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for BrowserForm<T> {}

/// The fields of a submitted form, by name.
pub struct Fields(web_sys::FormData);

impl Fields {
    /// A field's text; empty when the form has no such field.
    pub fn get(&self, name: &str) -> String {
        self.0.get(name).as_string().unwrap_or_default()
    }

    /// Every value of a field that repeats (a group of checkboxes), in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .get_all(name)
            .iter()
            .filter_map(|value| value.as_string())
            .collect()
    }

    /// A field's text, `None` when it is absent or empty (an optional hidden field).
    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|value| !value.is_empty())
    }
}

impl<T: Clone + Send + Sync + 'static> BrowserForm<T> {
    pub fn new() -> Self {
        let ready = RwSignal::new(false);
        // Effects run only in the browser, once the page is hydrated.
        Effect::new(move |_| ready.set(true));
        Self {
            outcome: RwSignal::new(None),
            working: RwSignal::new(false),
            ready,
        }
    }

    /// The outcome as the form widgets read it.
    pub fn value(self) -> Signal<Option<Result<T, AppError>>> {
        self.outcome.into()
    }

    /// The submit button is disabled: before the page is interactive, and while submitting.
    pub fn disabled(self) -> Signal<bool> {
        Signal::derive(move || !self.ready.get() || self.working.get())
    }

    /// Runs `work` on the submitted fields (a second submission while one runs is ignored).
    pub fn submit<F, Fut>(self, event: web_sys::SubmitEvent, work: F)
    where
        F: FnOnce(Fields) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<T, AppError>> + 'static,
    {
        event.prevent_default();
        if self.working.get_untracked() {
            return;
        }
        let data = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok())
            .and_then(|form| web_sys::FormData::new_with_form(&form).ok());
        let Some(data) = data else { return };
        self.working.set(true);
        leptos::task::spawn_local(async move {
            let result = work(Fields(data)).await;
            self.outcome.set(Some(result));
            self.working.set(false);
        });
    }
}

impl<T: Clone + Send + Sync + 'static> Default for BrowserForm<T> {
    fn default() -> Self {
        Self::new()
    }
}
