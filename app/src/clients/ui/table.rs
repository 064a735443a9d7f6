//! The Clients table: sortable headers (links), rows with the initials badge and the row
//! menu, the empty states and paging.

use leptos::prelude::*;

use super::{ClientsContext, Dialog};
use crate::clients::types::{ClientPage, ClientQuery, ClientRow, ClientSort, SortDirection};
use crate::error::{AppError, ErrorText};
use crate::i18n::*;
use crate::organizations::ui::PlanName;
use crate::providers::types::ProviderOverview;
use crate::routes;
use crate::widgets::MenuButton;

/// "My Client's Organization" → "MC": the first letters of the first two words.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[component]
pub fn ClientsTable(
    page: Resource<Result<ClientPage, AppError>>,
    overview: ProviderOverview,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    let may_manage = overview.may_manage_clients;
    let loading = move || page.get().is_none();
    view! {
        <div class="table-region" aria-busy=move || loading().to_string() class:is-loading=loading>
            {move || {
                page.get()
                    .map(|result| match result {
                        Ok(page) if page.rows.is_empty() => {
                            view! { <EmptyState may_manage searching=!context.query.get().search.is_empty() /> }
                                .into_any()
                        }
                        Ok(page) => {
                            let rows = page.rows.clone();
                            view! {
                                <div class="table-scroll">
                                    <table class="data-table">
                                        <caption class="visually-hidden">{t!(i18n, clients.title)}</caption>
                                        <thead>
                                            <tr>
                                                <SortHeader column=ClientSort::Name />
                                                <SortHeader column=ClientSort::Assigned />
                                                <SortHeader column=ClientSort::Used />
                                                <SortHeader column=ClientSort::Remaining />
                                                <SortHeader column=ClientSort::Plan />
                                                <th scope="col" class="actions">
                                                    <span class="visually-hidden">{t!(i18n, clients.actions)}</span>
                                                </th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rows
                                                .into_iter()
                                                .map(|row| view! { <Row row may_manage /> })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <Pager page />
                            }
                                .into_any()
                        }
                        Err(error) => view! { <p class="alert alert-error" role="alert"><ErrorText error /></p> }.into_any(),
                    })
            }}
        </div>
    }
}

#[component]
fn SortHeader(column: ClientSort) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    let label = move || match column {
        ClientSort::Name => t_string!(i18n, clients.column_client),
        ClientSort::Assigned => t_string!(i18n, clients.column_assigned),
        ClientSort::Used => t_string!(i18n, clients.column_used),
        ClientSort::Remaining => t_string!(i18n, clients.column_remaining),
        ClientSort::Plan => t_string!(i18n, clients.column_plan),
    };
    let sorted = move || {
        let query = context.query.get();
        (query.sort == column).then_some(query.direction)
    };
    let numeric = !matches!(column, ClientSort::Name | ClientSort::Plan);
    view! {
        <th
            scope="col"
            class:num=numeric
            aria-sort=move || match sorted() {
                Some(SortDirection::Asc) => "ascending",
                Some(SortDirection::Desc) => "descending",
                None => "none",
            }
        >
            <a
                class="sort-link"
                href=move || context.href(&context.query.get().sorted_by(column), None)
                data-column=column.as_str()
            >
                {label}
                <span class="sort-arrow" aria-hidden="true">
                    {move || match sorted() {
                        Some(SortDirection::Asc) => "▲",
                        Some(SortDirection::Desc) => "▼",
                        None => "⇅",
                    }}
                </span>
            </a>
        </th>
    }
}

#[component]
fn Row(row: ClientRow, may_manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    let console = routes::organization_console(row.id);
    let id = row.id;
    let name = row.name.clone();
    let menu_label = {
        let name = name.clone();
        Signal::derive(move || format!("{} {}", t_string!(i18n, clients.actions_for), name))
    };
    view! {
        <tr data-client=row.id.to_string()>
            <th scope="row" class="client-cell">
                <a href=console.clone() class="client-link">
                    <span class="initials" aria-hidden="true">{initials(&row.name)}</span>
                    <span class="client-name">{row.name.clone()}</span>
                </a>
            </th>
            <td class="num">{row.seats}</td>
            <td class="num">{row.used}</td>
            <td class="num">{row.remaining}</td>
            <td><PlanName plan=row.plan /></td>
            <td class="actions">
                <MenuButton
                    menu_id=format!("client-menu-{id}")
                    label=menu_label
                    class="row-menu"
                    trigger=|| view! { <span aria-hidden="true">"⋮"</span> }
                >
                    <li role="none">
                        <a role="menuitem" href=console.clone()>{t!(i18n, clients.open_console)}</a>
                    </li>
                    <li role="none">
                        <a role="menuitem" href=move || context.here(Some(Dialog::Rename(id)))>
                            {t!(i18n, clients.update_name)}
                        </a>
                    </li>
                    <li role="none">
                        <a role="menuitem" href=move || context.here(Some(Dialog::Seats(id)))>
                            {t!(i18n, clients.manage_subscription)}
                        </a>
                    </li>
                    {may_manage
                        .then(|| {
                            view! {
                                <li role="none">
                                    <a role="menuitem" class="danger" href=move || context.here(Some(Dialog::Unlink(id)))>
                                        {t!(i18n, clients.unlink)}
                                    </a>
                                </li>
                            }
                        })}
                </MenuButton>
            </td>
        </tr>
    }
}

#[component]
fn EmptyState(may_manage: bool, searching: bool) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    if searching {
        let cleared = move || context.href(&context.query.get().searching(""), None);
        return view! {
            <div class="empty-state">
                <p>{t!(i18n, clients.no_match)}</p>
                <a href=cleared>{t!(i18n, clients.clear_search)}</a>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="empty-state">
            <h2>{t!(i18n, clients.empty_title)}</h2>
            {if may_manage {
                view! { <p>{t!(i18n, clients.empty_admin)}</p> }.into_any()
            } else {
                view! { <p>{t!(i18n, clients.empty_service_user)}</p> }.into_any()
            }}
        </div>
    }
    .into_any()
}

#[component]
fn Pager(page: ClientPage) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    let pages = page.page_count();
    let current = page.page;
    let first = u64::from(current - 1) * u64::from(page.size) + 1;
    let last = (first + page.rows.len() as u64).saturating_sub(1);
    let total = page.total;
    let more = page.more;
    // Next and Previous seek from the rows on screen (`after=` / `before=` their ids), so a
    // deep page costs what the first does and concurrent changes neither repeat nor skip rows.
    let (first_id, last_id) = (
        page.rows.first().map(|r| r.id),
        page.rows.last().map(|r| r.id),
    );
    let shown = move || ClientQuery {
        page: current,
        ..context.query.get()
    };
    let previous = move || match first_id {
        Some(id) => shown().previous_before(id),
        None => shown().at_page(current - 1),
    };
    let next = move || match last_id {
        Some(id) => shown().next_after(id),
        None => shown().at_page(current + 1),
    };
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, clients.paging).to_string()>
            <p class="pager-status" role="status">
                {if more {
                    t!(i18n, clients.showing_more, first = move || first, last = move || last, total = move || total).into_any()
                } else {
                    t!(i18n, clients.showing, first = move || first, last = move || last, total = move || total).into_any()
                }}
            </p>
            <div class="pager-links">
                {(current > 1)
                    .then(|| {
                        view! {
                            <a class="button" rel="prev" href=move || context.href(&previous(), None)>
                                {t!(i18n, clients.previous)}
                            </a>
                        }
                    })}
                <span class="pager-page">
                    {if more {
                        t!(i18n, clients.page_of_more, page = move || current, pages = move || pages).into_any()
                    } else {
                        t!(i18n, clients.page_of, page = move || current, pages = move || pages).into_any()
                    }}
                </span>
                {(current < pages)
                    .then(|| {
                        view! {
                            <a class="button" rel="next" href=move || context.href(&next(), None)>
                                {t!(i18n, clients.next)}
                            </a>
                        }
                    })}
            </div>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_are_the_first_letters_of_two_words() {
        assert_eq!(initials("My Client's Organization"), "MC");
        assert_eq!(initials("Third Client's Organization"), "TC");
        assert_eq!(initials("acme"), "A");
        assert_eq!(initials("  örebro bygg ab"), "ÖB");
        assert_eq!(initials(""), "");
    }
}
