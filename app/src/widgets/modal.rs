//! A modal dialog that lives at a URL (`?dialog=…`): it is rendered on the server, so it
//! opens and its form posts without the browser bundle, and reload, back and shared links
//! reopen it. With the bundle it takes focus, keeps Tab inside, and Escape closes it.
//!
//! Closing is a button, not a link (screen readers announce what a control does): every
//! close control submits the dialog's own GET form, whose action and hidden fields are the
//! page without the dialog. Without the bundle the browser follows it; with it, the router.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use crate::i18n::*;

const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled])";

fn focusables(dialog: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// Focus back to the control that opened the dialog: the element named by `selector` as it
/// is now (the list behind the dialog may have re-rendered), else the one remembered. An item
/// of a menu is hidden once the menu closes, so the menu's own button takes it instead.
fn give_focus_back(selector: Option<&str>, opener: Option<web_sys::Element>) {
    let current = selector.and_then(|s| document().query_selector(s).ok().flatten());
    let Some(opener) = current.or(opener).filter(|e| e.is_connected()) else {
        return;
    };
    let target = opener
        .closest(".menu")
        .ok()
        .flatten()
        .and_then(|menu| menu.query_selector(".menu-button").ok().flatten())
        .unwrap_or(opener);
    if let Ok(target) = target.dyn_into::<web_sys::HtmlElement>() {
        let _ = target.focus();
    }
}

/// The id of the open dialog's close form, for the close buttons inside it.
#[derive(Clone)]
struct CloseForm(String);

/// The path and the decoded query pairs of an address, as a GET form re-sends them.
fn path_and_fields(href: &str) -> (String, Vec<(String, String)>) {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let fields = form_urlencoded::parse(query.as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    (path.to_owned(), fields)
}

/// A button that closes the dialog it is in: "Close", or "Cancel" beside a form's submit.
/// `formnovalidate`: leaving a half-filled form is not an error.
#[component]
pub fn CloseButton(
    #[prop(optional)] primary: bool,
    #[prop(optional)] cancel: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = expect_context::<CloseForm>().0;
    let class = if primary { "button primary" } else { "button" };
    view! {
        <button type="submit" form=form class=class formnovalidate=true>
            {move || if cancel { t_string!(i18n, dialog.cancel) } else { t_string!(i18n, dialog.close) }}
        </button>
    }
}

#[component]
pub fn Modal(
    /// The DOM id of the heading, for `aria-labelledby`.
    id: &'static str,
    #[prop(into)] title: Signal<String>,
    /// Where closing goes: the page without the dialog.
    #[prop(into)]
    close_href: Signal<String>,
    /// A CSS selector for the control that opens this dialog, to take the focus back when it
    /// closes. Needed when the opener is gone from view by the time the dialog shows (an item
    /// of a menu that closed); without it, the element focused at opening gets it back.
    #[prop(optional, into)]
    return_focus: Option<String>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<html::Div>::new();
    let navigate = use_navigate();
    // Focus the first field (or button) once the dialog is on screen, and give focus back to
    // what opened it when it closes.
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            let named = return_focus
                .as_deref()
                .and_then(|selector| document().query_selector(selector).ok().flatten());
            let opener =
                send_wrapper::SendWrapper::new(named.or_else(|| document().active_element()));
            let selector = return_focus.clone();
            on_cleanup(move || give_focus_back(selector.as_deref(), opener.take()));
            let items = focusables(&dialog);
            let first_field = items
                .iter()
                .find(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
                .or_else(|| {
                    items.iter().find(|e| {
                        e.tag_name() == "BUTTON" && !e.matches(".modal-close").unwrap_or(false)
                    })
                })
                .or(items.first());
            if let Some(item) = first_field {
                let _ = item.focus();
            }
        }
    });
    let on_key = move |event: ev::KeyboardEvent| {
        let Some(element) = dialog.get_untracked() else {
            return;
        };
        match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                navigate(&close_href.get_untracked(), Default::default());
            }
            // Tab cycles within the dialog.
            "Tab" => {
                let items = focusables(&element);
                let (Some(first), Some(last)) = (items.first(), items.last()) else {
                    return;
                };
                let active = document().active_element();
                let is = |item: &web_sys::HtmlElement| {
                    active.as_ref() == Some(item.unchecked_ref::<web_sys::Element>())
                };
                if event.shift_key() && is(first) {
                    event.prevent_default();
                    let _ = last.focus();
                } else if !event.shift_key() && is(last) {
                    event.prevent_default();
                    let _ = first.focus();
                }
            }
            _ => {}
        }
    };
    let heading = format!("{id}-title");
    let close_form = format!("{id}-close");
    provide_context(CloseForm(close_form.clone()));
    let close_target = Memo::new(move |_| path_and_fields(&close_href.get()));
    let go = use_navigate();
    let on_close = move |event: ev::SubmitEvent| {
        event.prevent_default();
        go(&close_href.get_untracked(), Default::default());
    };
    view! {
        <div class="modal-backdrop">
            <div
                class="modal"
                id=id
                role="dialog"
                aria-modal="true"
                aria-labelledby=format!("{id}-title")
                node_ref=dialog
                on:keydown=on_key
            >
                <form
                    id=close_form.clone()
                    method="get"
                    action=move || close_target.with(|(path, _)| path.clone())
                    on:submit=on_close
                >
                    {move || close_target.with(|(_, fields)| {
                        fields
                            .iter()
                            .map(|(name, value)| view! { <input type="hidden" name=name.clone() value=value.clone() /> })
                            .collect_view()
                    })}
                </form>
                <div class="modal-header">
                    <h2 id=heading>{title}</h2>
                    <button
                        type="submit"
                        form=close_form
                        formnovalidate=true
                        class="modal-close"
                        aria-label=move || t_string!(i18n, dialog.close).to_string()
                    >
                        <span aria-hidden="true">"×"</span>
                    </button>
                </div>
                {children()}
            </div>
        </div>
    }
}
