//! The Clients page (`/providers/{id}/clients`): search, the sortable table, paging, the row
//! menu and the dialogs. Everything the page shows is in its URL (`q`, `sort`, `dir`, `page`,
//! `size`, `dialog`, `client`), so it survives reloads, back and shared links, and works as
//! plain links and forms before the browser bundle has loaded.

mod dialogs;
mod table;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::api::list_clients;
use super::types::{ClientQuery, PAGE_SIZES};
use crate::error::AppError;
use crate::i18n::*;
use crate::ids::{OrganizationId, ProviderId};
use crate::providers::api::get_provider_overview;
use crate::providers::types::ProviderOverview;
use crate::routes;

/// Which dialog the URL opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialog {
    NewClient,
    AddExisting,
    Rename(OrganizationId),
    Seats(OrganizationId),
    Unlink(OrganizationId),
}

impl Dialog {
    fn from_params(dialog: Option<String>, client: Option<String>) -> Option<Self> {
        let client = || client.as_deref().and_then(|c| c.parse().ok());
        match dialog.as_deref()? {
            "new-client" => Some(Self::NewClient),
            "add-existing" => Some(Self::AddExisting),
            "rename" => client().map(Self::Rename),
            "seats" => client().map(Self::Seats),
            "unlink" => client().map(Self::Unlink),
            _ => None,
        }
    }

    fn params(self) -> Vec<(&'static str, String)> {
        let (name, client) = match self {
            Self::NewClient => ("new-client", None),
            Self::AddExisting => ("add-existing", None),
            Self::Rename(c) => ("rename", Some(c)),
            Self::Seats(c) => ("seats", Some(c)),
            Self::Unlink(c) => ("unlink", Some(c)),
        };
        let mut params = vec![("dialog", name.to_owned())];
        if let Some(client) = client {
            params.push(("client", client.to_string()));
        }
        params
    }
}

/// What the page's parts share: the provider, the list's state, and the refresh counter
/// every successful change bumps (the list and the frame refetch without a reload).
#[derive(Clone, Copy)]
pub(crate) struct ClientsContext {
    pub provider: ProviderId,
    pub query: Memo<ClientQuery>,
    pub refresh: RwSignal<u32>,
}

impl ClientsContext {
    /// The list at `query`, with `dialog` open.
    pub fn href(&self, query: &ClientQuery, dialog: Option<Dialog>) -> String {
        let mut url = query.to_query_string();
        if let Some(dialog) = dialog {
            let extra = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(dialog.params())
                .finish();
            if !url.is_empty() {
                url.push('&');
            }
            url.push_str(&extra);
        }
        routes::provider_clients_with(self.provider, &url)
    }

    /// The current list, with `dialog` open (or closed).
    pub fn here(&self, dialog: Option<Dialog>) -> String {
        self.href(&self.query.get(), dialog)
    }
}

/// Bumps the refresh counter when an action succeeds.
pub(crate) fn refresh_on_success<T: Clone + Send + Sync + 'static>(
    refresh: RwSignal<u32>,
    value: Signal<Option<Result<T, AppError>>>,
) {
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            refresh.update(|n| *n += 1);
        }
    });
}

#[component]
pub fn ClientsPage() -> impl IntoView {
    let params = use_params_map();
    let provider = move || {
        params.with(|p| {
            p.get("provider")
                .and_then(|id| id.parse::<ProviderId>().ok())
        })
    };
    move || match provider() {
        Some(provider) => view! { <Clients provider /> }.into_any(),
        None => view! { <crate::shell::NotFound /> }.into_any(),
    }
}

#[component]
fn Clients(provider: ProviderId) -> impl IntoView {
    let i18n = use_i18n();
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_map.with(|q| ClientQuery::from_params(|k| q.get(k))));
    let dialog = Memo::new(move |_| {
        query_map.with(|q| Dialog::from_params(q.get("dialog"), q.get("client")))
    });
    let refresh = RwSignal::new(0_u32);
    let context = ClientsContext {
        provider,
        query,
        refresh,
    };
    provide_context(context);

    let overview = Resource::new_blocking(
        move || refresh.get(),
        move |_| get_provider_overview(provider),
    );
    let page = Resource::new_blocking(
        move || (query.get(), refresh.get()),
        move |(query, _)| list_clients(provider, query),
    );

    view! {
        <Transition fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, loading)}</p> }>
            {move || {
                overview
                    .get()
                    .map(|result| match result {
                        Ok(overview) => {
                            let keys_missing = (!overview.keys_ready)
                                .then(|| {
                                    view! {
                                        <crate::providers::ui::ProviderKeyNotice
                                            provider
                                            may_set_up=overview.may_set_up_keys
                                        />
                                    }
                                });
                            view! {
                                <ClientsHeader overview=overview.clone() />
                                {keys_missing}
                                <SearchAndSize />
                                <table::ClientsTable page overview=overview.clone() />
                                {move || {
                                    dialog
                                        .get()
                                        .map(|dialog| {
                                            view! { <dialogs::ClientDialog dialog overview=overview.clone() /> }
                                        })
                                }}
                            }
                                .into_any()
                        }
                        Err(error) => {
                            let here = context.here(None);
                            view! { <crate::accounts::ui::SignInRequired error here /> }.into_any()
                        }
                    })
            }}
        </Transition>
    }
}

/// Title and the Provider Admin's two buttons (seeds: "+ New client", "+ Add existing
/// organization", the latter only when rule 4 allows).
#[component]
fn ClientsHeader(overview: ProviderOverview) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    view! {
        <div class="page-header">
            <div>
                <p class="eyebrow">{overview.name.clone()}</p>
                <h1>{t!(i18n, clients.title)}</h1>
            </div>
            <div class="page-actions">
                {overview
                    .has_eligible_organizations
                    .then(|| {
                        view! {
                            <a class="button" href=move || context.here(Some(Dialog::AddExisting))>
                                {t!(i18n, clients.add_existing)}
                            </a>
                        }
                    })}
                {overview
                    .may_manage_clients
                    .then(|| {
                        view! {
                            <a class="button primary" href=move || context.here(Some(Dialog::NewClient))>
                                {t!(i18n, clients.new_client)}
                            </a>
                        }
                    })}
            </div>
        </div>
    }
}

/// The search box (server-side, debounced while typing) and the page-size choice. Both are
/// GET forms, so they work before the bundle loads; with it, typing updates the URL.
#[component]
fn SearchAndSize() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    let navigate = use_navigate();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let navigate = navigate.clone();
            let handle = set_timeout_with_handle(
                move || {
                    let next = context.query.get_untracked().searching(&text);
                    // Typing replaces the history entry instead of adding one per pause.
                    navigate(
                        &context.href(&next, None),
                        NavigateOptions {
                            replace: true,
                            scroll: false,
                            ..Default::default()
                        },
                    );
                },
                std::time::Duration::from_millis(300),
            )
            .ok();
            pending.set_value(handle);
        }
    };
    let on_size = move |ev: leptos::ev::Event| {
        if let Ok(size) = event_target_value(&ev).parse() {
            let next = context.query.get_untracked().with_size(size);
            navigate(&context.href(&next, None), NavigateOptions::default());
        }
    };
    let action = routes::provider_clients(context.provider);
    let hidden = move |name: &'static str| {
        move || {
            let query = context.query.get();
            match name {
                "sort" => query.sort.as_str().to_owned(),
                "dir" => query.direction.as_str().to_owned(),
                "size" => query.size.to_string(),
                _ => query.search,
            }
        }
    };
    view! {
        <div class="list-tools">
            <form class="search" role="search" method="get" action=action.clone()>
                <label class="visually-hidden" for="client-search">{t!(i18n, clients.search_label)}</label>
                <input
                    id="client-search"
                    type="search"
                    name="q"
                    maxlength=super::types::MAX_SEARCH_CHARS
                    placeholder=move || t_string!(i18n, clients.search_placeholder).to_string()
                    value=move || context.query.get().search
                    prop:value=move || context.query.get().search
                    autocomplete="off"
                    on:input=on_input
                />
                <input type="hidden" name="sort" value=hidden("sort") />
                <input type="hidden" name="dir" value=hidden("dir") />
                <input type="hidden" name="size" value=hidden("size") />
                <button type="submit" class="button no-js-only">{t!(i18n, clients.search_submit)}</button>
            </form>
            <form class="page-size" method="get" action=action>
                <input type="hidden" name="q" value=hidden("q") />
                <input type="hidden" name="sort" value=hidden("sort") />
                <input type="hidden" name="dir" value=hidden("dir") />
                <label for="client-page-size">{t!(i18n, clients.page_size)}</label>
                <select id="client-page-size" name="size" on:change=on_size>
                    {PAGE_SIZES
                        .into_iter()
                        .map(|size| {
                            view! {
                                <option value=size.to_string() selected=move || context.query.get().size == size>
                                    {size}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="button no-js-only">{t!(i18n, clients.apply)}</button>
            </form>
        </div>
    }
}
