//! A menu button following the WAI-ARIA menu-button pattern: Enter, Space or ArrowDown open it
//! on the first item, ArrowUp on the last; arrows, Home and End move; Escape closes and returns
//! focus to the button; leaving the menu (Tab, a click elsewhere) closes it.
//!
//! Before the browser bundle has loaded, the stylesheet opens the menu while it has focus
//! (`html:not([data-hydrated])`), so its links and forms work without JavaScript.
//!
//! Once open, the list is placed in viewport coordinates (`position: fixed`, see
//! [`place`]): no scrolling box around it (a table's) can clip it, and it flips above its
//! button or shifts sideways to stay on screen, at any width.

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

/// The space kept between the list and the viewport's edges, and between button and list.
const EDGE: f64 = 8.0;
const GAP: f64 = 4.0;

/// Puts the open `list` under `button`, its right edge on the button's (menus open toward
/// the page), else above it when there is more room there; then shifted to stay inside the
/// viewport, and given a height it can scroll within when the viewport is shorter.
/// Through the CSS object model: the Content-Security-Policy refuses style attributes.
fn place(button: &web_sys::Element, list: &web_sys::HtmlElement) {
    let Some(root) = document().document_element() else {
        return;
    };
    let (width, height) = (
        f64::from(root.client_width()),
        f64::from(root.client_height()),
    );
    let style = list.style();
    let _ = style.set_property("max-height", &format!("{}px", height - 2.0 * EDGE));
    let anchor = button.get_bounding_client_rect();
    let own = list.get_bounding_client_rect();
    let (below, above) = (height - anchor.bottom(), anchor.top());
    let top = if own.height() + GAP + EDGE <= below || below >= above {
        anchor.bottom() + GAP
    } else {
        anchor.top() - GAP - own.height()
    };
    let top = top.min(height - own.height() - EDGE).max(EDGE);
    let left = (anchor.right() - own.width())
        .min(width - own.width() - EDGE)
        .max(EDGE);
    let _ = style.set_property("top", &format!("{top}px"));
    let _ = style.set_property("left", &format!("{left}px"));
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

    let place_open = move || {
        if let (Some(button), Some(list)) = (button.get_untracked(), menu.get_untracked()) {
            place(&button, &list);
        }
    };
    let open_on = move |target: Target| {
        open.set(true);
        // The list is visible on the next frame (before it is painted): place it, focus it.
        request_animation_frame(move || {
            place_open();
            if let Some(menu) = menu.get_untracked() {
                focus_item(&menu, target);
            }
        });
    };
    // While open, it follows its button when the page scrolls or the window resizes.
    Effect::new(move |_| {
        if open.get() {
            let scrolling = window_event_listener(ev::scroll, move |_| place_open());
            let resizing = window_event_listener(ev::resize, move |_| place_open());
            on_cleanup(move || {
                scrolling.remove();
                resizing.remove();
            });
        }
    });
    // Before the bundle loaded, the stylesheet showed the list while the widget had focus; a
    // menu the user opened then stays open when hydration takes it over, instead of vanishing
    // under the pointer on its way to an item.
    Effect::new(move |_| {
        let (Some(wrapper), Some(active)) = (wrapper.get(), document().active_element()) else {
            return;
        };
        if wrapper.contains(Some(&active)) {
            open.set(true);
            request_animation_frame(place_open);
        }
    });
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
