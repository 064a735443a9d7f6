use leptos::form::ActionForm;
use leptos::prelude::*;

use leptos::server_fn::ServerFn;
use leptos_meta::Html;

use crate::accounts::api::{SetTheme, SignOut, SignOutEverywhere};
use crate::accounts::types::Viewer;
use crate::i18n::*;
use crate::routes;
use crate::vocabulary::Theme;
use crate::widgets::{MenuButton, current_address};

/// The top bar's account slot: the signed-in user's menu, or the way in for a visitor.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let viewer = super::use_viewer().0;
    view! {
        <Transition fallback=|| view! { <span class="account-placeholder" /> }>
            {move || {
                viewer
                    .get()
                    .map(|result| match result.ok().flatten() {
                        Some(viewer) => view! { <SignedIn viewer /> }.into_any(),
                        None => view! { <Visitor /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn Visitor() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="topbar-link" href=routes::SIGN_IN>{t!(i18n, accounts.sign_in)}</a>
        <a class="topbar-link" href=routes::REGISTER>{t!(i18n, accounts.register)}</a>
    }
}

#[component]
fn SignedIn(viewer: Viewer) -> impl IntoView {
    let i18n = use_i18n();
    let sign_out = ServerAction::<SignOut>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    super::reload_on_success(super::outcome(sign_out), |_| signed_out());
    super::reload_on_success(super::outcome(everywhere), |_| signed_out());
    let label = Signal::derive(move || t_string!(i18n, topbar.account).to_string());
    let name = viewer.name.clone();
    // The account's theme, as `<html data-theme>`: the server renders it into the page (the
    // account is known before the answer starts), so no page flashes in the other theme; a
    // new choice applies at once.
    let theme = RwSignal::new(viewer.theme);
    view! {
        <Html attr:data-theme=move || theme.get().attribute() />
        <MenuButton
            menu_id="account-menu"
            label
            class="account-menu"
            trigger=move || view! { <span class="account-name">{name.clone()}</span> }
        >
            <li role="none" class="menu-note">{viewer.email.clone()}</li>
            <li role="none">
                <a role="menuitem" href=routes::ACCOUNT>{t!(i18n, accounts.account_title)}</a>
            </li>
            <ThemeChoice current=theme />
            <super::LockMenuItem />
            <li role="none">
                <ActionForm action=sign_out>
                    <button type="submit" role="menuitem">{t!(i18n, accounts.sign_out)}</button>
                </ActionForm>
            </li>
            <li role="none">
                <ActionForm action=everywhere>
                    <button type="submit" role="menuitem">{t!(i18n, accounts.sign_out_everywhere)}</button>
                </ActionForm>
            </li>
        </MenuButton>
    }
}

/// Where signing out leads, once this tab's keys are zeroed (the reload would drop them too).
pub(super) fn signed_out() -> String {
    crate::accounts::unlocked::lock();
    routes::HOME.to_owned()
}

/// System, light or dark, in the account menu. A plain form without the bundle (it comes
/// back to this page); with it, the call runs in place and the page changes at once.
#[component]
fn ThemeChoice(current: RwSignal<Theme>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetTheme>::new();
    Effect::new(move |_| {
        if let Some(Ok(theme)) = action.value().get() {
            current.set(theme);
        }
    });
    let here = current_address();
    let name = move |theme: Theme| match theme {
        Theme::System => t_string!(i18n, topbar.theme_system),
        Theme::Light => t_string!(i18n, topbar.theme_light),
        Theme::Dark => t_string!(i18n, topbar.theme_dark),
    };
    view! {
        <li role="presentation" class="menu-heading">{t!(i18n, topbar.theme)}</li>
        <li role="none">
            <form method="post" action=SetTheme::url() class="theme-form">
                <input type="hidden" name="return_to" value=here />
                {Theme::ALL
                    .into_iter()
                    .map(|theme| view! {
                        <button
                            type="submit"
                            name="theme"
                            value=theme.as_str()
                            role="menuitemradio"
                            aria-checked=move || (current.get() == theme).to_string()
                            on:click=move |event: leptos::ev::MouseEvent| {
                                event.prevent_default();
                                action.dispatch(SetTheme { theme: theme.as_str().to_owned(), return_to: None });
                            }
                        >
                            {move || name(theme)}
                        </button>
                    })
                    .collect_view()}
            </form>
        </li>
    }
}
