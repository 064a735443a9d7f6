//! A menu button following the WAI-ARIA menu-button pattern: Enter, Space or ArrowDown open it
//! on the first item, ArrowUp on the last; arrows, Home and End move; Escape closes and returns
//! focus to the button; leaving the menu (Tab, a click elsewhere) closes it.
//!
//! Before the browser bundle has loaded, the stylesheet opens the menu while it has focus
//! (`html:not([data-hydrated])`), so its links and forms work without JavaScript.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy)]
enum Target {
    First,
    Last,
    Next,
    Previous,
}

fn menu_items(menu: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = menu.query_selector_all("[role^=menuitem]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

fn focus_item(menu: &web_sys::Element, target: Target) {
    let items = menu_items(menu);
    if items.is_empty() {
        return;
    }
    let active = document().active_element();
    let current = items
        .iter()
        .position(|item| active.as_ref() == Some(item.unchecked_ref::<web_sys::Element>()));
    let last = items.len() - 1;
    let index = match (target, current) {
        (Target::First, _) | (Target::Next, None) => 0,
        (Target::Last, _) | (Target::Previous, None) => last,
        (Target::Next, Some(i)) => {
            if i == last {
                0
            } else {
                i + 1
            }
        }
        (Target::Previous, Some(i)) => {
            if i == 0 {
                last
            } else {
                i - 1
            }
        }
    };
    let _ = items[index].focus();
}

#[component]
pub fn MenuButton(
    /// The DOM id of the menu list, referenced by the button's `aria-controls`.
    #[prop(into)]
    menu_id: String,
    /// The button's accessible name.
    #[prop(into)]
    label: Signal<String>,
    /// Extra class on the wrapper, for placement.
    #[prop(optional, into)]
    class: String,
    /// What the button shows.
    #[prop(into)]
    trigger: ViewFn,
    /// The items; every focusable one carries a `menuitem` role.
    children: ChildrenFn,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let wrapper = NodeRef::<html::Div>::new();
    let button = NodeRef::<html::Button>::new();
    let menu = NodeRef::<html::Ul>::new();

    let open_on = move |target: Target| {
        open.set(true);
        // The list becomes visible on the next frame; focus it then.
        request_animation_frame(move || {
            if let Some(menu) = menu.get_untracked() {
                focus_item(&menu, target);
            }
        });
    };
    let close = move |return_focus: bool| {
        open.set(false);
        if return_focus && let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    };

    let on_button_click = move |_: ev::MouseEvent| {
        if open.get_untracked() {
            close(false);
        } else {
            open_on(Target::First);
        }
    };
    let on_button_key = move |event: ev::KeyboardEvent| match event.key().as_str() {
        "ArrowDown" => {
            event.prevent_default();
            open_on(Target::First);
        }
        "ArrowUp" => {
            event.prevent_default();
            open_on(Target::Last);
        }
        "Escape" => close(true),
        _ => {}
    };
    let on_menu_key = move |event: ev::KeyboardEvent| {
        let Some(list) = menu.get_untracked() else {
            return;
        };
        let target = match event.key().as_str() {
            "ArrowDown" => Target::Next,
            "ArrowUp" => Target::Previous,
            "Home" => Target::First,
            "End" => Target::Last,
            "Escape" => {
                event.prevent_default();
                close(true);
                return;
            }
            "Tab" => {
                close(false);
                return;
            }
            _ => return,
        };
        event.prevent_default();
        focus_item(&list, target);
    };
    // Focus moving outside the whole widget (a click elsewhere, Shift+Tab) closes the menu.
    let on_focus_out = move |event: ev::FocusEvent| {
        let inside = match (wrapper.get_untracked(), event.related_target()) {
            (Some(wrapper), Some(next)) => wrapper.contains(next.dyn_ref::<web_sys::Node>()),
            _ => false,
        };
        if !inside {
            open.set(false);
        }
    };

    let controls = menu_id.clone();
    view! {
        <div class=format!("menu {class}") node_ref=wrapper on:focusout=on_focus_out>
            <button
                type="button"
                class="menu-button"
                node_ref=button
                aria-haspopup="menu"
                aria-controls=controls
                aria-expanded=move || open.get().to_string()
                aria-label=move || label.get()
                on:click=on_button_click
                on:keydown=on_button_key
            >
                {trigger.run()}
                <span class="caret" aria-hidden="true" />
            </button>
            <ul
                id=menu_id
                role="menu"
                class="menu-list"
                node_ref=menu
                hidden=move || !open.get()
                on:keydown=on_menu_key
                // Choosing an item (a link, a submit button) closes the menu.
                on:click=move |_| open.set(false)
            >
                {children()}
            </ul>
        </div>
    }
}
