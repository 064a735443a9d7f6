//! The product switcher: every product this visitor may open, and nothing else. The Password
//! Manager is always there; the Admin Console and Provider Portal entries are added from the
//! signed-in user's memberships (accounts issue), absent rather than disabled otherwise.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::MenuButton;
use crate::i18n::*;
use crate::routes::{self, Product};

#[component]
pub fn ProductSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let current = Memo::new(move |_| Product::of_path(&location.pathname.get()));
    let label = Signal::derive(move || t_string!(i18n, topbar.product_switcher).to_string());
    let current_name = move || match current.get() {
        Product::PasswordManager => t_string!(i18n, topbar.password_manager),
        Product::AdminConsole => t_string!(i18n, topbar.admin_console),
        Product::ProviderPortal => t_string!(i18n, topbar.provider_portal),
    };

    view! {
        <MenuButton
            menu_id="product-switcher"
            label
            class="product-switcher"
            trigger=move || {
                view! {
                    <svg class="menu-button-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                        <path d="M2 2h4v4H2zM10 2h4v4h-4zM2 10h4v4H2zM10 10h4v4h-4z" fill="currentColor" />
                    </svg>
                    <span>{current_name}</span>
                }
            }
        >
            <li role="none">
                <a
                    role="menuitem"
                    href=routes::HOME
                    aria-current=move || {
                        (current.get() == Product::PasswordManager).then_some("page")
                    }
                >
                    {t!(i18n, topbar.password_manager)}
                </a>
            </li>
        </MenuButton>
    }
}
