use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::accounts::api::{SignOut, SignOutEverywhere};
use crate::accounts::types::Viewer;
use crate::i18n::*;
use crate::routes;
use crate::widgets::MenuButton;

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
    super::reload_on_success(super::outcome(sign_out), |_| routes::HOME.to_owned());
    super::reload_on_success(super::outcome(everywhere), |_| routes::HOME.to_owned());
    let label = Signal::derive(move || t_string!(i18n, topbar.account).to_string());
    let name = viewer.name.clone();
    view! {
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
