//! The vault's filters (all, favourites, each type, folders, collections, trash) and its list,
//! searched in the browser over the opened names, usernames and addresses: the server never
//! sees what a search looks for.

use leptos::prelude::*;

use super::{Filter, KindName, VaultState, vault_href};
use crate::crypto::vault::ItemType;
use crate::i18n::*;
use crate::vault::browser::{OpenItem, OpenVault};

const KINDS: [ItemType; 5] = [
    ItemType::Login,
    ItemType::SecureNote,
    ItemType::Card,
    ItemType::Identity,
    ItemType::SshKey,
];

#[component]
fn FilterLink(filter: Filter, current: Memo<Filter>, children: Children) -> impl IntoView {
    view! {
        <li>
            <a
                href=vault_href(filter, None)
                aria-current=move || (current.get() == filter).then_some("page")
            >
                {children()}
            </a>
        </li>
    }
}

#[component]
pub fn Filters(vault: OpenVault, filter: Memo<Filter>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="vault-filters" aria-label=move || t_string!(i18n, vault.filters).to_string()>
            <ul class="plain-list">
                <FilterLink filter=Filter::All current=filter>{t!(i18n, vault.all_items)}</FilterLink>
                <FilterLink filter=Filter::Favorites current=filter>{t!(i18n, vault.favorites)}</FilterLink>
            </ul>
            <h2 class="filter-heading">{t!(i18n, vault.types)}</h2>
            <ul class="plain-list">
                {KINDS
                    .into_iter()
                    .map(|kind| view! {
                        <FilterLink filter=Filter::Kind(kind) current=filter><KindName kind /></FilterLink>
                    })
                    .collect_view()}
            </ul>
            {(!vault.folders.is_empty()).then(move || view! {
                <h2 class="filter-heading">{t!(i18n, vault.folders)}</h2>
                <ul class="plain-list">
                    {vault.folders.into_iter().map(|(id, name)| view! {
                        <FilterLink filter=Filter::Folder(id) current=filter>{name}</FilterLink>
                    }).collect_view()}
                </ul>
            })}
            {(!vault.collections.is_empty()).then(move || view! {
                <h2 class="filter-heading">{t!(i18n, vault.collections)}</h2>
                <ul class="plain-list">
                    {vault.collections.into_iter().map(|(id, _, name)| view! {
                        <FilterLink filter=Filter::Collection(id) current=filter>{name}</FilterLink>
                    }).collect_view()}
                </ul>
            })}
            <ul class="plain-list">
                <FilterLink filter=Filter::Trash current=filter>{t!(i18n, vault.trash)}</FilterLink>
            </ul>
        </nav>
    }
}

/// What an item's row shows under its name: the username, a card's last digits, an
/// identity's name.
fn subtitle(item: &OpenItem) -> Option<String> {
    let item = &item.item;
    match item.kind {
        ItemType::Login => item.login.as_ref()?.username.clone(),
        ItemType::Card => {
            let card = item.card.as_ref()?;
            let last = card.number.as_ref().map(|n| {
                let digits: Vec<char> = n.chars().filter(char::is_ascii_digit).collect();
                let start = digits.len().saturating_sub(4);
                format!("*{}", digits[start..].iter().collect::<String>())
            });
            [card.brand.clone(), last]
                .into_iter()
                .flatten()
                .reduce(|a, b| format!("{a}, {b}"))
        }
        ItemType::Identity => {
            let identity = item.identity.as_ref()?;
            [identity.first_name.clone(), identity.last_name.clone()]
                .into_iter()
                .flatten()
                .reduce(|a, b| format!("{a} {b}"))
        }
        ItemType::SecureNote | ItemType::SshKey => None,
    }
}

/// Whether the item matches what was typed in the search box (names, usernames, addresses).
fn matches(item: &OpenItem, search: &str) -> bool {
    let search = search.trim().to_lowercase();
    if search.is_empty() {
        return true;
    }
    let has = |text: &Option<String>| {
        text.as_ref()
            .is_some_and(|t| t.to_lowercase().contains(&search))
    };
    item.item.name.to_lowercase().contains(&search)
        || item
            .item
            .login
            .as_ref()
            .is_some_and(|login| has(&login.username) || login.uris.iter().any(|uri| has(&uri.uri)))
}

#[component]
pub fn ItemList(vault: OpenVault, filter: Memo<Filter>) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<VaultState>();
    let items = vault.items;
    let shown = Memo::new(move |_| {
        let filter = filter.get();
        let search = state.search.get();
        let mut shown: Vec<OpenItem> = items
            .iter()
            .filter(|item| filter.keeps(item) && matches(item, &search))
            .cloned()
            .collect();
        shown.sort_by_cached_key(|item| item.item.name.to_lowercase());
        shown
    });
    let new_kind =
        move |kind: ItemType| vault_href(filter.get(), Some(("new", u8::from(kind).to_string())));
    view! {
        <section class="vault-list" aria-labelledby="vault-list-heading">
            <div class="toolbar">
                <h2 id="vault-list-heading" class="visually-hidden">{t!(i18n, vault.items)}</h2>
                <div class="field search-field">
                    <label for="vault-search" class="visually-hidden">{t!(i18n, vault.search)}</label>
                    <input
                        id="vault-search"
                        type="search"
                        placeholder=move || t_string!(i18n, vault.search).to_string()
                        prop:value=move || state.search.get()
                        on:input=move |ev| state.search.set(event_target_value(&ev))
                    />
                </div>
                <div class="new-item-links">
                    <span class="hint">{t!(i18n, vault.new_item)} ": "</span>
                    {KINDS
                        .into_iter()
                        .map(|kind| view! {
                            <a class="button" href=move || new_kind(kind)><KindName kind /></a>
                        })
                        .collect_view()}
                </div>
            </div>
            {move || {
                let shown = shown.get();
                if shown.is_empty() {
                    return view! {
                        <p class="empty" data-testid="vault-empty">
                            {move || if filter.get() == Filter::Trash {
                                t_string!(i18n, vault.trash_empty).to_string()
                            } else {
                                t_string!(i18n, vault.empty).to_string()
                            }}
                        </p>
                    }
                    .into_any();
                }
                view! {
                    <ul class="item-list" data-testid="vault-items">
                        {shown.into_iter().map(|item| {
                            let href = vault_href(filter.get_untracked(), Some(("item", item.id.to_string())));
                            let kind = item.item.kind;
                            view! {
                                <li data-item=item.id.to_string()>
                                    <span class=format!("item-icon item-icon-{}", u8::from(kind)) aria-hidden="true"></span>
                                    <div>
                                        <a href=href class="item-name">{item.item.name.clone()}</a>
                                        {item.favorite.then(|| view! {
                                            " " <span class="badge" title=move || t_string!(i18n, vault.favorite).to_string()>"★"</span>
                                        })}
                                        <p class="muted item-subtitle">
                                            <KindName kind />
                                            {subtitle(&item).map(|s| view! { " · " {s} })}
                                        </p>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}
