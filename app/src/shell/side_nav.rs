use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::i18n::*;
use crate::routes;

/// The side navigation of the current product: the Password Manager's pages, or the sections
/// of the provider or organization in the address. Each product adds its sections as it grows.
#[component]
pub fn SideNav() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let path = Memo::new(move |_| location.pathname.get());
    // Its own memo, so moving between one organization's sections keeps the console's frame.
    let organization = Memo::new(move |_| path.with(|p| routes::organization_of_path(p)));
    let viewer = crate::accounts::ui::use_viewer();
    let section = move || {
        let path = path.get();
        if let Some(provider) = routes::provider_of_path(&path) {
            let clients = routes::provider_clients(provider);
            // Manage is for Provider Admins; the server refuses everyone else anyway.
            let manages = move || {
                viewer
                    .0
                    .get()
                    .and_then(Result::ok)
                    .flatten()
                    .is_some_and(|viewer| viewer.products.managed_providers.contains(&provider))
            };
            view! {
                <li>
                    <A href=clients>{t!(i18n, clients.title)}</A>
                </li>
                // In a Transition: the server waits for the viewer before rendering this, so
                // the first HTML and the hydrated page agree.
                <Transition fallback=|| ()>
                <Show when=manages>
                    <li class="nav-group">
                        <span class="nav-heading">{t!(i18n, nav.manage)}</span>
                        <ul>
                            <li>
                                <A href=routes::provider_members(provider)>{t!(i18n, provider_members.title)}</A>
                            </li>
                            <li>
                                <A href=routes::provider_events(provider)>{t!(i18n, events.title)}</A>
                            </li>
                        </ul>
                    </li>
                    <li class="nav-group">
                        <span class="nav-heading">{t!(i18n, billing.title)}</span>
                        <ul>
                            <li>
                                <A href=routes::provider_subscription(provider)>{t!(i18n, billing.subscription)}</A>
                            </li>
                            <li>
                                <A href=routes::provider_billing_history(provider)>{t!(i18n, billing.history)}</A>
                            </li>
                            <li>
                                <A href=routes::provider_billing_information(provider)>{t!(i18n, billing.information)}</A>
                            </li>
                        </ul>
                    </li>
                    <li>
                        <A href=routes::provider_settings(provider)>{t!(i18n, provider_settings.title)}</A>
                    </li>
                </Show>
                </Transition>
            }
            .into_any()
        } else if routes::organization_of_path(&path).is_some() {
            view! { <crate::organizations::ui::ConsoleNav organization /> }.into_any()
        } else {
            view! {
                <li>
                    <A href=routes::HOME exact=true>{t!(i18n, nav.home)}</A>
                </li>
                <li>
                    <A href=routes::VAULT>{t!(i18n, nav.vault)}</A>
                </li>
                <li>
                    <A href=routes::MEMBERSHIPS exact=true>
                        {t!(i18n, nav.memberships)}
                        <Transition fallback=|| ()>
                            {move || {
                                let pending = viewer.0.get().and_then(Result::ok).flatten().map_or(0, |v| v.pending_invitations);
                                (pending > 0).then(|| view! {
                                    " "
                                    <span class="count" title=move || t_string!(i18n, invitations.pending_title).to_string()>{pending}</span>
                                })
                            }}
                        </Transition>
                    </A>
                </li>
                <li>
                    <A href=routes::ACCOUNT exact=true>{t!(i18n, nav.account)}</A>
                </li>
            }
            .into_any()
        }
    };
    // On a narrow screen the list is a drawer behind a Menu button (the stylesheet shows the
    // button once the bundle runs; before that the list stays on the page). Following a link
    // or pressing Escape closes it.
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        path.track();
        open.set(false);
    });
    let toggle = NodeRef::<leptos::html::Button>::new();
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(toggle) = toggle.get_untracked() {
                let _ = toggle.focus();
            }
        }
    };
    view! {
        <nav class="sidenav" class:open=move || open.get() aria-label=move || t_string!(i18n, nav.label) on:keydown=on_key>
            <button
                type="button"
                class="nav-toggle"
                node_ref=toggle
                aria-expanded=move || open.get().to_string()
                aria-controls="sidenav-list"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                    <path d="M2 4h12M2 8h12M2 12h12" stroke="currentColor" stroke-width="1.5" />
                </svg>
                {t!(i18n, nav.menu)}
            </button>
            <ul id="sidenav-list">{section}</ul>
        </nav>
    }
}
