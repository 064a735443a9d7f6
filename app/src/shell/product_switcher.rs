//! The product switcher: every product this visitor may open, and nothing else. The Password
//! Manager is always there; Admin Console entries are the organizations the user administers
//! (its own, and its providers' clients), Provider Portal entries its confirmed providers.
//! What the user may not open is absent, not disabled; the server decides (`product_access`).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::accounts::types::{Named, Products};
use crate::accounts::ui::use_viewer;
use crate::i18n::*;
use crate::ids::{OrganizationId, ProviderId};
use crate::routes::{self, Product};
use crate::widgets::MenuButton;

#[component]
pub fn ProductSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let path = Memo::new(move |_| location.pathname.get());
    let current = Memo::new(move |_| Product::of_path(&path.get()));
    let label = Signal::derive(move || t_string!(i18n, topbar.product_switcher).to_string());
    let current_name = move || match current.get() {
        Product::PasswordManager => t_string!(i18n, topbar.password_manager),
        Product::AdminConsole => t_string!(i18n, topbar.admin_console),
        Product::ProviderPortal => t_string!(i18n, topbar.provider_portal),
    };
    let viewer = use_viewer().0;
    let products = move || {
        viewer
            .get()
            .and_then(|result| result.ok().flatten())
            .map(|viewer| viewer.products)
            .unwrap_or_default()
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
            <Transition fallback=|| ()>
                {move || {
                    let products = products();
                    view! { <OtherProducts products path /> }
                }}
            </Transition>
        </MenuButton>
    }
}

#[component]
fn OtherProducts(products: Products, path: Memo<String>) -> impl IntoView {
    let i18n = use_i18n();
    let current_org = move || routes::organization_of_path(&path.get());
    let current_provider = move || routes::provider_of_path(&path.get());
    let Products {
        organizations,
        more_clients,
        providers,
        ..
    } = products;
    let consoles = (!organizations.is_empty()).then(|| {
        view! {
            <li role="separator" />
            <li role="presentation" class="menu-heading">{t!(i18n, topbar.admin_console)}</li>
            {organizations
                .into_iter()
                .map(|org| {
                    let id = org.id;
                    view! {
                        <Entry
                            named=org
                            href=routes::organization_console(id)
                            current=Signal::derive(move || current_org() == Some::<OrganizationId>(id))
                        />
                    }
                })
                .collect_view()}
            {more_clients
                .then(|| {
                    view! {
                        <li role="presentation" class="menu-note">
                            {t!(i18n, topbar.more_clients)}
                        </li>
                    }
                })}
        }
    });
    let portals = (!providers.is_empty()).then(|| {
        view! {
            <li role="separator" />
            <li role="presentation" class="menu-heading">{t!(i18n, topbar.provider_portal)}</li>
            {providers
                .into_iter()
                .map(|provider| {
                    let id = provider.id;
                    view! {
                        <Entry
                            named=provider
                            href=routes::provider_clients(id)
                            current=Signal::derive(move || current_provider() == Some::<ProviderId>(id))
                        />
                    }
                })
                .collect_view()}
        }
    });
    view! {
        {consoles}
        {portals}
    }
}

#[component]
fn Entry<I: 'static>(named: Named<I>, href: String, current: Signal<bool>) -> impl IntoView {
    view! {
        <li role="none">
            <a role="menuitem" href=href aria-current=move || current.get().then_some("page")>
                {named.name}
            </a>
        </li>
    }
}
