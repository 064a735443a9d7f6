//! The vault's filters (all, favourites, each type, folders, collections, trash) and its list,
//! searched in the browser over the opened names, usernames and addresses: the server never
//! sees what a search looks for.

use std::sync::Arc;

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
pub fn Filters(vault: Arc<OpenVault>, filter: Memo<Filter>) -> impl IntoView {
    let i18n = use_i18n();
    let (folders, collections) = (vault.folders.clone(), vault.collections.clone());
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
            <div class="filter-heading-row">
                <h2 class="filter-heading">{t!(i18n, vault.folders)}</h2>
                <a
                    class="button small"
                    href=move || vault_href(filter.get(), Some(("folder", "new".into())))
                    aria-label=move || t_string!(i18n, vault.folder_new_title).to_string()
                >
                    "+"
                </a>
            </div>
            <ul class="plain-list">
                {folders.into_iter().map(|(id, name)| {
                    let edit_label = name.clone();
                    view! {
                        <li class="with-action">
                            <a
                                href=vault_href(Filter::Folder(id), None)
                                aria-current=move || (filter.get() == Filter::Folder(id)).then_some("page")
                            >
                                {name}
                            </a>
                            <a
                                class="row-action"
                                href=move || vault_href(filter.get(), Some(("folder", id.to_string())))
                                aria-label=move || t_string!(i18n, vault.folder_edit_named, name = edit_label.clone()).to_string()
                            >
                                "✎"
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!collections.is_empty()).then(move || view! {
                <h2 class="filter-heading">{t!(i18n, vault.collections)}</h2>
                <ul class="plain-list">
                    {collections.into_iter().map(|(id, _, name)| view! {
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
/// `search` is already trimmed and lowercased.
fn matches(item: &OpenItem, search: &str) -> bool {
    if search.is_empty() {
        return true;
    }
    let has = |text: &Option<String>| {
        text.as_ref()
            .is_some_and(|t| t.to_lowercase().contains(search))
    };
    item.item.name.to_lowercase().contains(search)
        || item
            .item
            .login
            .as_ref()
            .is_some_and(|login| has(&login.username) || login.uris.iter().any(|uri| has(&uri.uri)))
}

/// Rows put on screen at once; more as the list is scrolled to its end (or "Show more" is
/// pressed). A 5,000-item vault shows its first rows without building 5,000 of them, and the
/// search still covers every item.
const ROWS_AT_ONCE: usize = 100;

#[component]
pub fn ItemList(vault: Arc<OpenVault>, filter: Memo<Filter>) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<VaultState>();
    // Sorted once by name; a filter or search keeps that order.
    let mut order: Vec<usize> = (0..vault.items.len()).collect();
    order.sort_by_cached_key(|&i| vault.items[i].item.name.to_lowercase());
    let items = vault.clone();
    let shown = Memo::new(move |_| {
        let filter = filter.get();
        let search = state.search.get().trim().to_lowercase();
        order
            .iter()
            .copied()
            .filter(|&i| filter.keeps(&items.items[i]) && matches(&items.items[i], &search))
            .collect::<Vec<usize>>()
    });
    // How many of the matches are on screen; back to the first rows for a new filter or search.
    let limit = RwSignal::new(ROWS_AT_ONCE);
    Effect::new(move |_| {
        filter.track();
        state.search.track();
        limit.set(ROWS_AT_ONCE);
    });
    let more = NodeRef::<leptos::html::Button>::new();
    let show_more = move || limit.update(|n| *n += ROWS_AT_ONCE);
    #[cfg(feature = "hydrate")]
    let _ = leptos_use::use_intersection_observer(more, move |entries, _| {
        if entries.iter().any(|entry| entry.is_intersecting()) {
            show_more();
        }
    });
    let new_kind =
        move |kind: ItemType| vault_href(filter.get(), Some(("new", u8::from(kind).to_string())));
    let rows = move || {
        shown.with(|shown| {
            shown
                .iter()
                .take(limit.get())
                .copied()
                .collect::<Vec<usize>>()
        })
    };
    let row_vault = vault.clone();
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
            <p class="muted" role="status" data-testid="vault-count">
                {move || {
                    let count = shown.with(Vec::len);
                    let on_screen = count.min(limit.get());
                    if on_screen < count {
                        t!(i18n, vault.showing_of, shown = move || on_screen, total = move || count).into_any()
                    } else {
                        t!(i18n, vault.item_count, count = move || count).into_any()
                    }
                }}
            </p>
            <p class="empty" data-testid="vault-empty" hidden=move || shown.with(|s| !s.is_empty())>
                {move || if filter.get() == Filter::Trash {
                    t_string!(i18n, vault.trash_empty).to_string()
                } else {
                    t_string!(i18n, vault.empty).to_string()
                }}
            </p>
            <ul class="item-list" data-testid="vault-items" hidden=move || shown.with(Vec::is_empty)>
                <For
                    each=rows
                    key=|&i| i
                    children=move |i| view! { <ItemRow item=row_vault.items[i].clone() filter /> }
                />
            </ul>
            <button
                type="button"
                class="button"
                node_ref=more
                hidden=move || shown.with(Vec::len) <= limit.get()
                on:click=move |_| show_more()
            >
                {t!(i18n, vault.show_more)}
            </button>
        </section>
    }
}

/// The type's icon, drawn in the text's colour (the type's name follows in words).
#[component]
fn ItemIcon(kind: ItemType) -> impl IntoView {
    let shape = match kind {
        ItemType::Login => view! {
            <circle cx="8" cy="12" r="4" />
            <path d="M12 12h9M18 12v3M21 12v2" />
        }
        .into_any(),
        ItemType::SecureNote => view! { <path d="M6 3h9l4 4v14H6zM9 11h7M9 15h7" /> }.into_any(),
        ItemType::Card => view! {
            <rect x="3" y="6" width="18" height="12" rx="2" />
            <path d="M3 10h18M7 15h4" />
        }
        .into_any(),
        ItemType::Identity => view! {
            <circle cx="12" cy="9" r="3.5" />
            <path d="M5 20c1.5-4.5 12.5-4.5 14 0" />
        }
        .into_any(),
        ItemType::SshKey => view! {
            <rect x="3" y="5" width="18" height="14" rx="2" />
            <path d="M7 10l3 2-3 2M12 15h5" />
        }
        .into_any(),
    };
    view! {
        <svg class="item-icon" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
            {shape}
        </svg>
    }
}

/// One row: the type's icon, the name (the link that opens the item), a favourite's star and
/// what identifies it further (the username, a card's last digits).
#[component]
fn ItemRow(item: OpenItem, filter: Memo<Filter>) -> impl IntoView {
    let i18n = use_i18n();
    // Follows the filter: a row kept across a change of filter links with the new one.
    let id = item.id;
    let href = move || vault_href(filter.get(), Some(("item", id.to_string())));
    let kind = item.item.kind;
    view! {
        <li data-item=item.id.to_string()>
            <ItemIcon kind />
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
}
