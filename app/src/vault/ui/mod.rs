//! The Password Manager's Vault page (`/vault`): every item the user may open, opened in this
//! tab. The server renders the frame (and, for a signed-out visitor, the sign-in redirect);
//! the items exist only once the tab is unlocked, since only the browser holds the keys.
//!
//! Where things are, in the URL: the filter (`?filter=favorites`, `type-1`, `folder-3`,
//! `collection-5`, `trash`), the open item (`&item=12`), the add dialog (`&new=1`), the edit
//! dialog (`&edit=12`), sharing (`&share=12`) and a folder's dialog (`&folder=new`, `&folder=3`),
//! so reload, back and a shared link land in the same place.

mod collections;
mod custom_fields;
mod edit;
mod folders;
mod generator;
mod item;
mod list;
mod share;
mod totp;

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::sync;
use super::browser::{OpenVault, open_page};
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
    /// Shared, not copied: the page's parts and dialogs hold the same opened vault.
    pub vault: RwSignal<Option<Result<Arc<OpenVault>, AppError>>, LocalStorage>,
    pub search: RwSignal<String>,
    loads: RwSignal<u32>,
}

impl VaultState {
    /// Fetches and opens everything again (after a write, or a conflict).
    pub fn reload(self) {
        self.loads.update(|n| *n += 1);
    }
}

/// Every page of the sync, opened with this tab's keys. The next page is asked for before the
/// current one is opened, so fetching and opening overlap (the browser receives while the
/// wasm decrypts): a 5,000-item vault takes ten pages.
async fn load() -> Result<Arc<OpenVault>, AppError> {
    let (user_key, private_key) =
        unlocked::with_keys(|keys| (keys.user_key.clone(), keys.private_key.clone()))
            .ok_or(AppError::Refused(Refusal::KeysMissing))?;
    let mut vault = OpenVault::default();
    let mut page = sync(None).await?;
    loop {
        let after = page.next;
        // `join` polls the fetch first, so its request is on the wire before the opening
        // (synchronous work) starts.
        let (next, opened) = futures_util::future::join(
            async move {
                match after {
                    Some(after) => Some(sync(Some(after)).await),
                    None => None,
                }
            },
            open_page(user_key.clone(), private_key.clone(), vault, page),
        )
        .await;
        vault = opened?;
        match next {
            Some(next) => page = next?,
            None => return Ok(Arc::new(vault)),
        }
    }
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
    let sharing =
        Memo::new(move |_| query.with(|q| q.get("share").and_then(|id| id.parse::<ItemId>().ok())));
    // `?folder=new`, or a folder's id.
    let foldering =
        Memo::new(move |_| query.with(|q| q.get("folder").map(|f| f.parse::<FolderId>().ok())));
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
            if let Some(folder) = foldering.get() {
                let existing = folder.and_then(|id| vault.folders.iter().find(|(f, _)| *f == id).cloned());
                if folder.is_some() && existing.is_none() {
                    return None;
                }
                return Some(view! { <folders::FolderDialog existing filter=filter.get() /> }.into_any());
            }
            if let Some(id) = sharing.get() {
                let item = vault.items.iter().find(|i| i.id == id).cloned()?;
                return Some(view! { <share::ShareDialog vault item filter=filter.get() /> }.into_any());
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
