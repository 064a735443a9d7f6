//! The members table, for either place. It sits in a GET form: the checkboxes (`member`) and the
//! bulk buttons (`dialog`) open the confirming dialog for the selection, with or without the
//! browser bundle.

use leptos::html;
use leptos::prelude::*;

use super::page::{Dialog, MembersContext};
use crate::auth::OrganizationMembership;
use crate::i18n::*;
use crate::members::types::{
    MEMBER_PAGE_SIZE, MemberAction, MemberPage, MemberQuery, MemberRow, MemberStatus, MemberType,
};
use crate::members::ui::{ActionName, EditTypeName, StatusBadge, TypeName};
use crate::widgets::MenuButton;

#[component]
pub fn MembersTable(page: MemberPage) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    if page.rows.is_empty() {
        return view! {
            <div class="empty-state">
                <p>{t!(i18n, provider_members.no_match)}</p>
            </div>
        }
        .into_any();
    }
    let action = context.list_href("");
    let query = context.query.get_untracked();
    let current = page.page;
    let recover = page.rights.recover;
    let two_step_required = page.two_step_required;
    let security = page.place.shows_security();
    // How many rows are ticked, once the bundle runs (the bulk buttons wait for one).
    let form = NodeRef::<html::Form>::new();
    let ticked = move || {
        form.get_untracked()
            .and_then(|form| form.query_selector_all("input[name=member]:checked").ok())
            .map_or(0, |list| list.length() as usize)
    };
    let selection = Selection {
        live: RwSignal::new(false),
        count: RwSignal::new(0),
    };
    // Effects run in the browser only, after hydration: until then (and without JavaScript)
    // the buttons stay enabled and the page answers an empty selection itself.
    Effect::new(move |_| {
        if form.get().is_some() {
            selection.count.set(ticked());
            selection.live.set(true);
        }
    });
    view! {
        <form
            class="table-region"
            method="get"
            action=action
            node_ref=form
            on:change=move |_| selection.count.set(ticked())
        >
            <input type="hidden" name="status" value=query.status.as_str() />
            <input type="hidden" name="q" value=query.search.clone() />
            <input type="hidden" name="page" value=current.to_string() />
            <BulkBar selection />
            <div class="table-scroll">
                <table class="data-table">
                    <caption class="visually-hidden">{t!(i18n, provider_members.title)}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="select">
                                <span class="visually-hidden">{t!(i18n, provider_members.select_column)}</span>
                            </th>
                            <th scope="col">{t!(i18n, provider_members.column_member)}</th>
                            <th scope="col">{t!(i18n, provider_members.column_type)}</th>
                            <th scope="col">{t!(i18n, provider_members.column_status)}</th>
                            {security.then(|| view! {
                                <th scope="col">{t!(i18n, org_members.column_two_step)}</th>
                                <th scope="col">{t!(i18n, org_members.column_recovery)}</th>
                            })}
                            <th scope="col" class="actions">
                                <span class="visually-hidden">{t!(i18n, clients.actions)}</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.rows.into_iter().map(|row| view! { <Row row security recover two_step_required /> }).collect_view().into_any()}
                    </tbody>
                </table>
            </div>
            <Pager total=page.total current query />
        </form>
    }
    .into_any()
}

/// The ticked rows, as the bulk bar sees them.
#[derive(Clone, Copy)]
struct Selection {
    /// The bundle is running (the count is known).
    live: RwSignal<bool>,
    count: RwSignal<usize>,
}

/// Buttons that open the confirming dialog for the ticked rows (a GET of this page with
/// `dialog` and the `member` boxes). With nothing ticked they are disabled and a hint says
/// why; without JavaScript the same hint answers a bulk action sent with no rows.
#[component]
fn BulkBar(selection: Selection) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let query = leptos_router::hooks::use_query_map();
    let sent_empty = move || {
        query.with(|q| {
            let bulk = q
                .get("dialog")
                .and_then(|d| MemberAction::parse(&d))
                .is_some();
            let members = q.get_all("member").unwrap_or_default();
            bulk && members.iter().all(|m| m.trim().is_empty())
        })
    };
    let nothing_ticked = move || selection.live.get() && selection.count.get() == 0;
    view! {
        <div class="bulk-bar" role="group" aria-label=move || t_string!(i18n, provider_members.bulk_label).to_string()>
            <span>{t!(i18n, provider_members.bulk_label)}</span>
            {context
                .place
                .bulk_actions()
                .iter()
                .map(|&action| {
                    view! {
                        <button
                            type="submit"
                            class="button"
                            name="dialog"
                            value=action.as_str()
                            disabled=nothing_ticked
                            aria-describedby="bulk-hint"
                        >
                            <ActionName action />
                        </button>
                    }
                })
                .collect_view()}
            <span
                id="bulk-hint"
                class="bulk-hint"
                class:alert=sent_empty
                class:alert-error=sent_empty
                role=move || sent_empty().then_some("alert")
            >
                {move || (sent_empty() || nothing_ticked()).then_some(t!(i18n, provider_members.bulk_none))}
            </span>
        </div>
    }
    .into_any()
}

#[component]
fn Pager(total: u64, current: u32, query: MemberQuery) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let pages = total.div_ceil(u64::from(MEMBER_PAGE_SIZE)).max(1);
    let at = |page: u32| {
        context.href(
            &MemberQuery {
                page,
                ..query.clone()
            },
            None,
        )
    };
    let previous = (current > 1).then(|| at(current - 1));
    let next = (u64::from(current) < pages).then(|| at(current + 1));
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, clients.paging).to_string()>
            <p class="pager-status" role="status">
                {t!(i18n, provider_members.total, count = move || total)}
            </p>
            <div class="pager-links">
                {previous.map(|href| view! { <a class="button" rel="prev" href=href>{t!(i18n, clients.previous)}</a> })}
                <span class="pager-page">
                    {t!(i18n, clients.page_of, page = move || current, pages = move || pages)}
                </span>
                {next.map(|href| view! { <a class="button" rel="next" href=href>{t!(i18n, clients.next)}</a> })}
            </div>
        </nav>
    }
    .into_any()
}

/// `security`: the two-step and recovery columns (an organization's); `recover`: the viewer
/// may recover enrolled members' accounts.
#[component]
fn Row(row: MemberRow, security: bool, recover: bool, two_step_required: bool) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let id = row.id;
    let email = row.email.clone();
    let select_label = {
        let email = email.clone();
        move || t_string!(i18n, provider_members.select, email = email.clone()).to_string()
    };
    let name = row.name.clone().filter(|n| !n.is_empty());
    let actions: Vec<MemberAction> = [
        MemberAction::Confirm,
        MemberAction::Reinvite,
        MemberAction::Revoke,
        MemberAction::Restore,
        MemberAction::Remove,
    ]
    .into_iter()
    .filter(|a| a.applies_to(row.status))
    .collect();
    let exempt = match row.user_type {
        MemberType::Organization(t) => OrganizationMembership::exempt_from_two_step(t),
        MemberType::Provider(_) => true,
    };
    let locked =
        two_step_required && !row.two_step && row.status == MemberStatus::Confirmed && !exempt;
    let resettable = recover && row.recovery_enrolled && row.status == MemberStatus::Confirmed;
    view! {
        <tr>
            <td class="select">
                {(!row.is_self).then(|| view! {
                    <input
                        type="checkbox"
                        id=format!("member-select-{id}")
                        name="member"
                        value=id.to_string()
                        aria-label=select_label
                    />
                })}
            </td>
            <td>
                <div class="member-cell">
                    <span class="member-name">
                        {name.clone().unwrap_or_else(|| email.clone())}
                        {row.is_self.then(|| view! { " " <span class="muted">{t!(i18n, provider_members.you)}</span> })}
                    </span>
                    {name.is_some().then(|| view! { <span class="muted">{email.clone()}</span> })}
                </div>
            </td>
            <td><TypeName user_type=row.user_type /></td>
            <td><StatusBadge status=row.status /></td>
            {security.then(|| view! {
            <td>
                {if row.two_step {
                    t!(i18n, org_members.on).into_any()
                } else {
                    view! { <span class="muted">{t!(i18n, org_members.off)}</span> }.into_any()
                }}
                {locked.then(|| view! {
                    " " <span class="badge warning" title=move || t_string!(i18n, org_members.two_step_locked_hint).to_string()>
                        {t!(i18n, org_members.two_step_locked)}
                    </span>
                })}
            </td>
            <td>
                {if row.recovery_enrolled {
                    t!(i18n, org_members.enrolled).into_any()
                } else {
                    view! { <span class="muted">{t!(i18n, org_members.not_enrolled)}</span> }.into_any()
                }}
            </td>
            })}
            <td class="actions">
                {(!row.is_self).then(|| view! {
                    <MenuButton
                        menu_id=format!("member-menu-{id}")
                        label=Signal::derive({
                            let email = row.email.clone();
                            move || format!("{} {}", t_string!(i18n, clients.actions_for), email)
                        })
                        class="row-menu"
                        trigger=|| view! { <span aria-hidden="true">"⋮"</span> }
                    >
                        <li role="none">
                            <a role="menuitem" href=move || context.here(Some(&Dialog::Edit(id)))>
                                <EditTypeName place=context.place />
                            </a>
                        </li>
                        {resettable.then(|| view! {
                            <li role="none">
                                <a role="menuitem" href=move || context.here(Some(&Dialog::Recover(id)))>
                                    {t!(i18n, org_members.recover_account)}
                                </a>
                            </li>
                        })}
                        {actions
                            .iter()
                            .map(|&action| {
                                let dialog = Dialog::Apply(action, vec![id]);
                                let class = matches!(action, MemberAction::Remove | MemberAction::Revoke).then_some("danger");
                                view! {
                                    <li role="none">
                                        <a role="menuitem" class=class href=move || context.here(Some(&dialog))>
                                            <ActionName action />
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </MenuButton>
                })}
            </td>
        </tr>
    }
    .into_any()
}
