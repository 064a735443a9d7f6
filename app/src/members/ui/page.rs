//! Members (`/organizations/{id}/members` in the Admin Console, `/providers/{id}/manage/members`
//! in the Provider Portal): the seat figures (an organization's), status tabs with counts,
//! search, the table with selection and row menus, and the dialogs (invite, confirm / revoke /
//! restore / remove / resend for one member or a selection, edit type, recover an account).
//! Everything lives in the URL (`status`, `q`, `page`, `dialog`, `member`), so it works as links
//! and GET forms before the browser bundle loads, and reload, back and shared links reopen the
//! same view.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;

use super::dialogs::MemberDialog;
use super::table::MembersTable;
use crate::accounts::ui::SignInRequired;
use crate::error::AppError;
use crate::i18n::*;
use crate::members::api::{ApplyToMembers, ChangeMemberType, InviteMembers, list_members};
use crate::members::types::{
    APPLIED_DONE, APPLIED_UNCHANGED, INVITES_SENT, MemberAction, MemberId, MemberPage, MemberQuery,
    Place, StatusCounts, StatusFilter,
};
use crate::members::ui::StatusName;

/// Which dialog the URL opens, and for which members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Dialog {
    Invite,
    Apply(MemberAction, Vec<MemberId>),
    Edit(MemberId),
    /// Account recovery: a new master password for an enrolled organization member, their
    /// vault kept (the user key re-wrapped in the viewer's browser).
    Recover(MemberId),
}

impl Dialog {
    fn from_params(dialog: Option<String>, members: Vec<String>) -> Option<Self> {
        let members: Vec<MemberId> = members
            .iter()
            .flat_map(|m| m.split(','))
            .filter_map(|m| m.trim().parse().ok())
            .collect();
        match dialog.as_deref()? {
            "invite" => Some(Self::Invite),
            // `type`: the provider page's older name for it.
            "edit" | "type" => members.first().copied().map(Self::Edit),
            "recover" => members.first().copied().map(Self::Recover),
            other => {
                let action = MemberAction::parse(other)?;
                (!members.is_empty()).then_some(Self::Apply(action, members))
            }
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::Invite => vec![("dialog", "invite".to_owned())],
            Self::Apply(action, members) => vec![
                ("dialog", action.as_str().to_owned()),
                ("member", join_ids(members)),
            ],
            Self::Edit(member) => vec![
                ("dialog", "edit".to_owned()),
                ("member", member.to_string()),
            ],
            Self::Recover(member) => vec![
                ("dialog", "recover".to_owned()),
                ("member", member.to_string()),
            ],
        }
    }
}

pub(crate) fn join_ids(members: &[MemberId]) -> String {
    members
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The page's actions live as long as the page: the list refetches after every change, and a
/// dialog's outcome (who was invited, per-row results) must survive that.
#[derive(Clone, Copy)]
pub(crate) struct MembersContext {
    pub place: Place,
    pub query: Memo<MemberQuery>,
    pub invite: ServerAction<InviteMembers>,
    pub apply: ServerAction<ApplyToMembers>,
    pub edit: ServerAction<ChangeMemberType>,
    /// The list: dialogs read the viewer's rights from it.
    pub page: Resource<Result<MemberPage, AppError>>,
    /// Bumped to refetch the list (a dialog's change that is no server action of the page's).
    pub refresh: RwSignal<u32>,
}

impl MembersContext {
    /// The page itself, with its query string.
    pub fn list_href(&self, query: &str) -> String {
        self.place.members_with(query)
    }

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
        self.list_href(&url)
    }

    pub fn here(&self, dialog: Option<&Dialog>) -> String {
        self.href(&self.query.get(), dialog)
    }
}

/// An organization's members, in its Admin Console.
#[component]
pub fn OrgMembersPage() -> impl IntoView {
    members_at(|p| p.get("organization")?.parse().ok().map(Place::Organization))
}

/// A provider's members, in the Provider Portal.
#[component]
pub fn ProviderMembersPage() -> impl IntoView {
    members_at(|p| p.get("provider")?.parse().ok().map(Place::Provider))
}

fn members_at(place: fn(&ParamsMap) -> Option<Place>) -> impl IntoView {
    let params = use_params_map();
    move || match params.with(place) {
        Some(place) => view! { <Members place /> }.into_any(),
        None => view! { <crate::shell::NotFound /> }.into_any(),
    }
}

#[component]
fn Members(place: Place) -> impl IntoView {
    let i18n = use_i18n();
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_map.with(|q| MemberQuery::from_params(|k| q.get(k))));
    let dialog = Memo::new(move |_| {
        query_map
            .with(|q| Dialog::from_params(q.get("dialog"), q.get_all("member").unwrap_or_default()))
    });
    let invites_sent = Memo::new(move |_| {
        query_map.with(|q| q.get(INVITES_SENT).and_then(|n| n.parse::<u64>().ok()))
    });
    // A bulk action posted without the bundle came back with its counts.
    let applied = Memo::new(move |_| {
        query_map.with(|q| {
            let count = |key: &str| q.get(key).and_then(|n| n.parse::<usize>().ok());
            count(APPLIED_DONE).zip(count(APPLIED_UNCHANGED))
        })
    });
    let refresh = RwSignal::new(0_u32);
    let page = Resource::new_blocking(
        move || (query.get(), refresh.get()),
        move |(query, _)| list_members(place, query),
    );
    let context = MembersContext {
        place,
        query,
        invite: ServerAction::new(),
        apply: ServerAction::new(),
        edit: ServerAction::new(),
        page,
        refresh,
    };
    provide_context(context);
    for succeeded in [
        Signal::derive(move || matches!(context.invite.value().get(), Some(Ok(_)))),
        Signal::derive(move || matches!(context.apply.value().get(), Some(Ok(_)))),
        Signal::derive(move || matches!(context.edit.value().get(), Some(Ok(_)))),
    ] {
        Effect::new(move |_| {
            if succeeded.get() {
                refresh.update(|n| *n += 1);
            }
        });
    }
    view! {
        <Transition fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, loading)}</p> }>
            {move || {
                page.get()
                    .map(|result| match result {
                        Ok(page) => {
                            view! {
                                <Header page=page.clone() />
                                {move || invites_sent.get().map(|count| view! {
                                    <p class="alert alert-success" role="status">
                                        {t!(i18n, provider_members.invites_sent, count = move || count)}
                                    </p>
                                })}
                                {move || applied.get().map(|(done, failed)| view! {
                                    <p class=if failed == 0 { "alert alert-success" } else { "alert alert-error" } role="status">
                                        {t!(i18n, provider_members.outcome_summary, done = move || done, failed = move || failed)}
                                    </p>
                                })}
                                <Tabs counts=page.counts />
                                <Search />
                                <MembersTable page />
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! { <SignInRequired error here=context.here(None) /> }.into_any()
                        }
                    })
            }}
        </Transition>
        {move || dialog.get().map(|dialog| view! { <MemberDialog dialog /> })}
    }
}

#[component]
fn Header(page: MemberPage) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    view! {
        <div class="page-header">
            <div>
                <p class="eyebrow">{page.place_name.clone()}</p>
                <h1>{t!(i18n, provider_members.title)}</h1>
                {page.seats.map(|seats| {
                    let (used, assigned) = (seats.used, seats.assigned);
                    view! {
                        <p class="muted seat-summary">
                            {t!(i18n, org_members.seats, used = move || used, seats = move || assigned)}
                        </p>
                    }
                })}
            </div>
            <div class="page-actions">
                <a class="button primary" href=move || context.here(Some(&Dialog::Invite))>
                    {t!(i18n, provider_members.invite)}
                </a>
            </div>
        </div>
    }
}

/// The place's status tabs, each with its count.
#[component]
fn Tabs(counts: StatusCounts) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, provider_members.filter).to_string()>
            {context
                .place
                .tabs()
                .iter()
                .map(|&tab| {
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
    let action = context.list_href("");
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
