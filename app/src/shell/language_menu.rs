//! The language menu. Without JavaScript it is a form posted to `/language`, which sets the
//! cookie and sends the visitor back to the same page; once hydrated, choosing a language
//! switches the texts in place (leptos_i18n writes the same cookie), so nothing on the page is
//! lost.

use leptos::ev;
use leptos::prelude::*;

use crate::i18n::*;
use crate::widgets::{MenuButton, current_address};

/// The name of each language in that language: people look for their own.
pub fn native_name(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "English",
        Locale::nl => "Nederlands",
        Locale::fr => "Français",
        Locale::sv => "Svenska",
    }
}

/// Keeps the choice in the cookie the server reads, as the form's answer does. The browser build
/// leaves leptos_i18n's own cookie handling out (its `cookie` feature is on for the server
/// only): it brought a cookie parser, the `time` crate and a broadcast channel into every
/// page's first load for this one line.
fn remember(locale: Locale) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(document) = document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = document.set_cookie(&crate::language_cookie(locale));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = locale;
}

#[component]
pub fn LanguageMenu() -> impl IntoView {
    let i18n = use_i18n();
    let return_to = current_address();
    let label = Signal::derive(move || t_string!(i18n, topbar.change_language).to_string());

    view! {
        <MenuButton
            menu_id="language-menu"
            label
            class="language-menu"
            trigger=move || {
                view! {
                    <svg class="menu-button-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                        <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" />
                        <path d="M1.5 8h13M8 1.5c2 2 2 11 0 13M8 1.5c-2 2-2 11 0 13" fill="none" stroke="currentColor" />
                    </svg>
                    <span>{move || native_name(i18n.get_locale())}</span>
                }
            }
        >
            <li role="none">
                <form method="post" action=crate::routes::LANGUAGE class="language-form">
                    <input type="hidden" name="return_to" value=return_to />
                    {Locale::get_all()
                        .iter()
                        .copied()
                        .map(|locale| {
                            let choose = move |event: ev::MouseEvent| {
                                event.prevent_default();
                                remember(locale);
                                i18n.set_locale(locale);
                            };
                            view! {
                                <button
                                    type="submit"
                                    name="locale"
                                    value=locale.as_str()
                                    role="menuitemradio"
                                    lang=locale.as_str()
                                    aria-checked=move || (i18n.get_locale() == locale).to_string()
                                    on:click=choose
                                >
                                    {native_name(locale)}
                                </button>
                            }
                        })
                        .collect_view()}
                </form>
            </li>
        </MenuButton>
    }
}
