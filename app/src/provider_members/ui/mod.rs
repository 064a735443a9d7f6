//! The Members page (`/providers/{id}/manage/members`): status tabs with counts, search, the
//! table with selection and row menus, and the dialogs (invite, confirm / revoke / restore /
//! remove / resend for one member or a selection, change type). Everything lives in the URL
//! (`status`, `q`, `page`, `dialog`, `member`), so it works as links and GET forms before the
//! browser bundle loads, and reload, back and shared links reopen the same view.

mod dialogs;
mod table;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{ApplyToMembers, ChangeMemberType, InviteMembers, list_members};
use super::types::{MemberAction, MemberQuery, StatusFilter};
use crate::accounts::ui::SignInRequired;
use crate::i18n::*;
use crate::ids::{ProviderId, ProviderUserId};
use crate::members::ui::StatusName;
use crate::routes;

/// Which dialog the URL opens, and for which members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Dialog {
    Invite,
    Apply(MemberAction, Vec<ProviderUserId>),
    ChangeType(ProviderUserId),
}

impl Dialog {
    fn from_params(dialog: Option<String>, members: Vec<String>) -> Option<Self> {
        let members: Vec<ProviderUserId> = members
            .iter()
            .flat_map(|m| m.split(','))
            .filter_map(|m| m.trim().parse().ok())
            .collect();
        match dialog.as_deref()? {
            "invite" => Some(Self::Invite),
            "type" => members.first().copied().map(Self::ChangeType),
            other => {
                let action = MemberAction::parse(other)?;
                (!members.is_empty()).then_some(Self::Apply(action, members))
            }
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        let join = |members: &[ProviderUserId]| {
            members
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        match self {
            Self::Invite => vec![("dialog", "invite".to_owned())],
            Self::Apply(action, members) => vec![
                ("dialog", action.as_str().to_owned()),
                ("member", join(members)),
            ],
            Self::ChangeType(member) => {
                vec![
                    ("dialog", "type".to_owned()),
                    ("member", member.to_string()),
                ]
            }
        }
    }
}

/// The page's forms live as long as the page: the list refetches after every change, and a
/// dialog's outcome (who was invited, per-row results) must survive that.
#[derive(Clone, Copy)]
pub(crate) struct MembersContext {
    pub provider: ProviderId,
    pub query: Memo<MemberQuery>,
    pub invite: ServerAction<InviteMembers>,
    pub apply: ServerAction<ApplyToMembers>,
    pub change_type: ServerAction<ChangeMemberType>,
}

impl MembersContext {
    pub fn href(&self, query: &MemberQuery, dialog: Option<&Dialog>) -> String {
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
        routes::provider_members_with(self.provider, &url)
    }

    pub fn here(&self, dialog: Option<&Dialog>) -> String {
        self.href(&self.query.get(), dialog)
    }
}

#[component]
pub fn MembersPage() -> impl IntoView {
    let params = use_params_map();
    let provider = move || {
        params.with(|p| {
            p.get("provider")
                .and_then(|id| id.parse::<ProviderId>().ok())
        })
    };
    move || match provider() {
        Some(provider) => view! { <Members provider /> }.into_any(),
        None => view! { <crate::shell::NotFound /> }.into_any(),
    }
}

#[component]
fn Members(provider: ProviderId) -> impl IntoView {
    let i18n = use_i18n();
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_map.with(|q| MemberQuery::from_params(|k| q.get(k))));
    let dialog = Memo::new(move |_| {
        query_map
            .with(|q| Dialog::from_params(q.get("dialog"), q.get_all("member").unwrap_or_default()))
    });
    let refresh = RwSignal::new(0_u32);
    let context = MembersContext {
        provider,
        query,
        invite: ServerAction::new(),
        apply: ServerAction::new(),
        change_type: ServerAction::new(),
    };
    provide_context(context);
    for succeeded in [
        Signal::derive(move || matches!(context.invite.value().get(), Some(Ok(_)))),
        Signal::derive(move || matches!(context.apply.value().get(), Some(Ok(_)))),
        Signal::derive(move || matches!(context.change_type.value().get(), Some(Ok(_)))),
    ] {
        Effect::new(move |_| {
            if succeeded.get() {
                refresh.update(|n| *n += 1);
            }
        });
    }
    let page = Resource::new_blocking(
        move || (query.get(), refresh.get()),
        move |(query, _)| list_members(provider, query),
    );
    view! {
        <Transition fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, loading)}</p> }>
            {move || {
                page.get()
                    .map(|result| match result {
                        Ok(page) => {
                            view! {
                                <Header provider_name=page.provider_name.clone() />
                                <Tabs counts=page.counts />
                                <Search />
                                <table::MembersTable page />
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! { <SignInRequired error here=context.here(None) /> }.into_any()
                        }
                    })
            }}
        </Transition>
        {move || dialog.get().map(|dialog| view! { <dialogs::MemberDialog dialog /> })}
    }
}

#[component]
fn Header(provider_name: String) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    view! {
        <div class="page-header">
            <div>
                <p class="eyebrow">{provider_name}</p>
                <h1>{t!(i18n, provider_members.title)}</h1>
            </div>
            <div class="page-actions">
                <a class="button primary" href=move || context.here(Some(&Dialog::Invite))>
                    {t!(i18n, provider_members.invite)}
                </a>
            </div>
        </div>
    }
}

/// All / Invited / Accepted / Confirmed / Revoked, each with its count.
#[component]
fn Tabs(counts: super::types::StatusCounts) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, provider_members.filter).to_string()>
            {StatusFilter::TABS
                .into_iter()
                .map(|tab| {
                    let href = move || {
                        let query = context.query.get();
                        context.href(&MemberQuery { status: tab, page: 1, ..query }, None)
                    };
                    let current = move || (context.query.get().status == tab).then_some("page");
                    let count = counts.of(tab);
                    view! {
                        <a class="tab" href=href aria-current=current>
                            {match tab {
                                StatusFilter::All => t!(i18n, provider_members.tab_all).into_any(),
                                StatusFilter::Only(status) => view! { <StatusName status /> }.into_any(),
                            }}
                            " "
                            <span class="count">{count}</span>
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// A GET form: works before the bundle; with it, submitting navigates in place.
#[component]
fn Search() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let action = routes::provider_members(context.provider);
    view! {
        <div class="list-tools">
            <form class="search" role="search" method="get" action=action>
                <input
                    type="hidden"
                    name="status"
                    value=move || context.query.get().status.as_str()
                />
                <label class="visually-hidden" for="member-search">
                    {t!(i18n, provider_members.search_label)}
                </label>
                <input
                    id="member-search"
                    type="search"
                    name="q"
                    maxlength="100"
                    placeholder=move || t_string!(i18n, provider_members.search_label).to_string()
                    value=move || context.query.get().search
                    autocomplete="off"
                />
                <button type="submit" class="button">{t!(i18n, clients.search_submit)}</button>
            </form>
        </div>
    }
}
