//! The Password Manager's Vault page (`/vault`): every item the user may open, opened in this
//! tab. The server renders the frame (and, for a signed-out visitor, the sign-in redirect);
//! the items exist only once the tab is unlocked, since only the browser holds the keys.
//!
//! Where things are, in the URL: the filter (`?filter=favorites`, `type-1`, `folder-3`,
//! `collection-5`, `trash`), the open item (`&item=12`), the add dialog (`&new=login`) and the
//! edit dialog (`&edit=12`), so reload, back and a shared link land in the same place.

mod collections;
mod edit;
mod item;
mod list;
mod totp;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::sync;
use super::browser::{OpenVault, open_vault};
use crate::accounts::api::wrapped_keys;
use crate::accounts::ui::{SignInRequired, UnlockForm};
use crate::accounts::unlocked;
use crate::crypto::vault::ItemType;
use crate::error::{AppError, ErrorText, Refusal};
use crate::i18n::*;
use crate::ids::{CollectionId, FolderId, ItemId};
use crate::routes;

pub use collections::CollectionsPage;

/// What the list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    All,
    Favorites,
    Kind(ItemType),
    Folder(FolderId),
    Collection(CollectionId),
    Trash,
}

impl Filter {
    fn parse(value: Option<&str>) -> Self {
        let Some(value) = value else {
            return Self::All;
        };
        let number = |prefix: &str| {
            value
                .strip_prefix(prefix)
                .and_then(|n| n.parse::<i64>().ok())
        };
        match value {
            "favorites" => Self::Favorites,
            "trash" => Self::Trash,
            _ => {
                if let Some(kind) = number("type-")
                    .and_then(|n| u8::try_from(n).ok())
                    .and_then(|n| ItemType::try_from(n).ok())
                {
                    Self::Kind(kind)
                } else if let Some(folder) = number("folder-") {
                    Self::Folder(FolderId(folder))
                } else if let Some(collection) = number("collection-") {
                    Self::Collection(CollectionId(collection))
                } else {
                    Self::All
                }
            }
        }
    }

    fn query(self) -> Option<String> {
        match self {
            Self::All => None,
            Self::Favorites => Some("favorites".into()),
            Self::Trash => Some("trash".into()),
            Self::Kind(kind) => Some(format!("type-{}", u8::from(kind))),
            Self::Folder(folder) => Some(format!("folder-{folder}")),
            Self::Collection(collection) => Some(format!("collection-{collection}")),
        }
    }

    fn keeps(self, item: &super::browser::OpenItem) -> bool {
        if item.trashed {
            return self == Self::Trash;
        }
        match self {
            Self::All => true,
            Self::Favorites => item.favorite,
            Self::Kind(kind) => item.item.kind == kind,
            Self::Folder(folder) => item.folder == Some(folder),
            Self::Collection(collection) => item.collections.contains(&collection),
            Self::Trash => false,
        }
    }
}

/// The page's address with `filter` and one more pair (an open item or dialog).
pub fn vault_href(filter: Filter, extra: Option<(&str, String)>) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(filter) = filter.query() {
        pairs.push(("filter", filter));
    }
    if let Some(extra) = extra {
        pairs.push(extra);
    }
    routes::vault_with(&pairs)
}

/// The opened vault, shared by the page's parts.
#[derive(Clone, Copy)]
pub struct VaultState {
    pub vault: RwSignal<Option<Result<OpenVault, AppError>>, LocalStorage>,
    pub search: RwSignal<String>,
    loads: RwSignal<u32>,
}

impl VaultState {
    /// Fetches and opens everything again (after a write, or a conflict).
    pub fn reload(self) {
        self.loads.update(|n| *n += 1);
    }
}

/// Every page of the sync, opened with this tab's keys.
async fn load() -> Result<OpenVault, AppError> {
    let mut pages = Vec::new();
    let mut after: Option<ItemId> = None;
    loop {
        let page = sync(after).await?;
        after = page.next;
        pages.push(page);
        if after.is_none() {
            break;
        }
    }
    let (user_key, private_key) =
        unlocked::with_keys(|keys| (keys.user_key.clone(), keys.private_key.clone()))
            .ok_or(AppError::Refused(Refusal::KeysMissing))?;
    Ok(open_vault(user_key, private_key, pages).await?)
}

#[component]
pub fn VaultPage() -> impl IntoView {
    let i18n = use_i18n();
    let keys = Resource::new_blocking(|| (), |_| wrapped_keys());
    view! {
        <div class="page-header">
            <h1>{t!(i18n, vault.title)}</h1>
        </div>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || keys.get().map(|keys| match keys {
                Err(error) => view! { <SignInRequired error here=routes::VAULT /> }.into_any(),
                Ok(None) => view! {
                    <p class="alert alert-error" role="alert">
                        <ErrorText error=AppError::Refused(Refusal::KeysMissing) />
                    </p>
                }
                .into_any(),
                Ok(Some(_)) => view! { <LockedOrOpen /> }.into_any(),
            })}
        </Transition>
    }
}

/// The unlock form while the tab is locked (always, on the server), the vault once unlocked.
#[component]
fn LockedOrOpen() -> impl IntoView {
    let i18n = use_i18n();
    move || {
        if unlocked::is_unlocked() {
            view! { <OpenedVault /> }.into_any()
        } else {
            view! {
                <section class="panel narrow" aria-labelledby="vault-locked">
                    <h2 id="vault-locked">{t!(i18n, vault.locked_title)}</h2>
                    <p>{t!(i18n, vault.locked_body)}</p>
                    <UnlockForm />
                </section>
            }
            .into_any()
        }
    }
}

#[component]
fn OpenedVault() -> impl IntoView {
    let i18n = use_i18n();
    let state = VaultState {
        vault: RwSignal::new_local(None),
        search: RwSignal::new(String::new()),
        loads: RwSignal::new(0),
    };
    provide_context(state);
    Effect::new(move |_| {
        state.loads.track();
        leptos::task::spawn_local(async move {
            let opened = load().await;
            state.vault.set(Some(opened));
        });
    });
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| Filter::parse(q.get("filter").as_deref())));
    let open_item =
        Memo::new(move |_| query.with(|q| q.get("item").and_then(|id| id.parse::<ItemId>().ok())));
    let editing =
        Memo::new(move |_| query.with(|q| q.get("edit").and_then(|id| id.parse::<ItemId>().ok())));
    let adding = Memo::new(move |_| {
        query.with(|q| {
            q.get("new").map(|kind| {
                kind.parse::<u8>()
                    .ok()
                    .and_then(|n| ItemType::try_from(n).ok())
                    .unwrap_or(ItemType::Login)
            })
        })
    });
    view! {
        {move || match state.vault.get() {
            None => view! { <p class="loading" role="status">{t!(i18n, vault.opening)}</p> }.into_any(),
            Some(Err(error)) => view! {
                <p class="alert alert-error" role="alert"><ErrorText error /></p>
            }
            .into_any(),
            Some(Ok(vault)) => {
                let unreadable = vault.unreadable;
                view! {
                    {(unreadable > 0).then(|| view! {
                        <p class="alert alert-warning" role="status">
                            {t!(i18n, vault.unreadable, count = move || unreadable)}
                        </p>
                    })}
                    <div class="vault">
                        <list::Filters vault=vault.clone() filter />
                        <list::ItemList vault=vault.clone() filter />
                    </div>
                }
                .into_any()
            }
        }}
        {move || {
            let vault = state.vault.get().and_then(Result::ok)?;
            if let Some(kind) = adding.get() {
                return Some(view! { <edit::EditDialog vault kind filter=filter.get() /> }.into_any());
            }
            if let Some(id) = editing.get() {
                let item = vault.items.iter().find(|i| i.id == id).cloned()?;
                return Some(view! { <edit::EditDialog vault kind=item.item.kind existing=item filter=filter.get() /> }.into_any());
            }
            let id = open_item.get()?;
            let item = vault.items.iter().find(|i| i.id == id).cloned()?;
            Some(view! { <item::ItemDialog item filter=filter.get() /> }.into_any())
        }}
    }
}

/// A type's name in the page's language.
#[component]
pub fn KindName(kind: ItemType) -> impl IntoView {
    let i18n = use_i18n();
    move || super::types::kind_name(i18n.get_locale(), kind)
}

/// After a stale write (V4: someone changed the item meanwhile), fetches the vault again; the
/// open dialog then shows the item as it is now.
#[component]
pub fn ReloadButton() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<VaultState>();
    view! {
        <button type="button" class="button small" on:click=move |_| state.reload()>
            {t!(i18n, vault.reload)}
        </button>
    }
}
