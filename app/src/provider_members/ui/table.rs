//! The members table. The table sits in a GET form: the checkboxes (`member`) and the bulk
//! buttons (`dialog`) open the confirming dialog for the selection, with or without the
//! browser bundle.

use leptos::prelude::*;

use super::{Dialog, MembersContext};
use crate::i18n::*;
use crate::members::ui::{ActionName, ProviderTypeName, StatusBadge};
use crate::provider_members::types::{MEMBER_PAGE_SIZE, MemberAction, MemberPage, MemberRow};
use crate::routes;
use crate::widgets::MenuButton;

const BULK: [MemberAction; 3] = [
    MemberAction::Confirm,
    MemberAction::Revoke,
    MemberAction::Remove,
];

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
    let action = routes::provider_members(context.provider);
    let query = context.query.get_untracked();
    let current = page.page;
    view! {
        <form class="table-region" method="get" action=action>
            <input type="hidden" name="status" value=query.status.as_str() />
            <input type="hidden" name="q" value=query.search.clone() />
            <input type="hidden" name="page" value=current.to_string() />
            <BulkBar />
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
                            <th scope="col" class="actions">
                                <span class="visually-hidden">{t!(i18n, clients.actions)}</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.rows.into_iter().map(|row| view! { <Row row /> }).collect_view().into_any()}
                    </tbody>
                </table>
            </div>
            <Pager total=page.total current query=query.clone() />
        </form>
    }
    .into_any()
}

/// Buttons that open the confirming dialog for the ticked rows (a GET of this page with
/// `dialog` and the `member` boxes).
#[component]
fn BulkBar() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="bulk-bar" role="group" aria-label=move || t_string!(i18n, provider_members.bulk_label).to_string()>
            <span>{t!(i18n, provider_members.bulk_label)}</span>
            {BULK
                .into_iter()
                .map(|action| {
                    view! {
                        <button type="submit" class="button" name="dialog" value=action.as_str()>
                            <ActionName action />
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn Pager(total: u64, current: u32, query: super::MemberQuery) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let pages = total.div_ceil(u64::from(MEMBER_PAGE_SIZE)).max(1);
    let previous = (current > 1).then(|| {
        context.href(
            &super::MemberQuery {
                page: current - 1,
                ..query.clone()
            },
            None,
        )
    });
    let next = (u64::from(current) < pages).then(|| {
        context.href(
            &super::MemberQuery {
                page: current + 1,
                ..query.clone()
            },
            None,
        )
    });
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

#[component]
fn Row(row: MemberRow) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let id = row.id;
    let checkbox_id = format!("member-select-{id}");
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
    view! {
        <tr>
            <td class="select">
                {(!row.is_self).then(|| view! {
                    <input
                        type="checkbox"
                        id=checkbox_id
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
            <td><ProviderTypeName user_type=row.user_type /></td>
            <td><StatusBadge status=row.status /></td>
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
                        <li role="none">
                            <a role="menuitem" href=move || context.here(Some(&Dialog::ChangeType(id)))>
                                {t!(i18n, provider_members.change_type)}
                            </a>
                        </li>
                    </MenuButton>
                })}
            </td>
        </tr>
    }
    .into_any()
}
