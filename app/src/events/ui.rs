//! The event log page (`/providers/{id}/manage/events`; the Admin Console reuses the log for
//! organizations): a date range (the viewer's days), the events newest first with the time in
//! the viewer's zone, paging, and the CSV export of the range. The filter is a GET form and
//! the export a plain link, so both work before the browser bundle loads.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::list_events;
use super::text::describe;
use super::types::{EventPage, EventQuery, EventRow, LogOf};
use crate::accounts::ui::SignInRequired;
use crate::error::{AppError, ErrorText, Field, ProblemText};
use crate::i18n::*;
use crate::ids::ProviderId;
use crate::routes;
use crate::widgets::LocalTime;

#[component]
pub fn ProviderEventsPage() -> impl IntoView {
    let params = use_params_map();
    let provider = move || {
        params.with(|p| {
            p.get("provider")
                .and_then(|id| id.parse::<ProviderId>().ok())
        })
    };
    move || match provider() {
        Some(provider) => view! { <EventLog log=LogOf::Provider(provider) /> }.into_any(),
        None => view! { <crate::shell::NotFound /> }.into_any(),
    }
}

fn log_path(log: LogOf) -> String {
    match log {
        LogOf::Provider(provider) => routes::provider_events(provider),
        LogOf::Organization(organization) => routes::organization_events(organization),
    }
}

/// The browser's offset east of UTC, in minutes; 0 before the bundle runs.
fn browser_offset() -> i32 {
    #[cfg(feature = "hydrate")]
    {
        let minutes = -js_sys::Date::new_0().get_timezone_offset();
        // Offsets are whole minutes within ±14 hours.
        minutes.clamp(-840.0, 840.0) as i32
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

#[component]
pub fn EventLog(log: LogOf) -> impl IntoView {
    let i18n = use_i18n();
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_map.with(|q| EventQuery::from_params(|k| q.get(k))));
    // The zone the days are meant in: the URL's once a filter was sent, else the browser's.
    let tz = RwSignal::new(query.get_untracked().tz);
    Effect::new(move |_| {
        if query_map.with_untracked(|q| q.get("tz").is_none()) {
            tz.set(browser_offset());
        }
    });
    let page = Resource::new_blocking(move || query.get(), move |query| list_events(log, query));
    view! {
        <Transition fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, loading)}</p> }>
            {move || page.get().map(|result| match result {
                Ok(page) => view! { <Log log page query tz /> }.into_any(),
                Err(AppError::Invalid(errors)) => {
                    view! { <Filter log query tz error=Some(AppError::Invalid(errors)) from=String::new() to=String::new() /> }.into_any()
                }
                Err(error) => view! { <SignInRequired error here=log_path(log) /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Log(log: LogOf, page: EventPage, query: Memo<EventQuery>, tz: RwSignal<i32>) -> impl IntoView {
    let i18n = use_i18n();
    let EventPage {
        rows,
        page: current,
        has_more,
        from,
        to,
        name,
        exportable,
    } = page;
    let export = {
        let (from, to) = (from.clone(), to.clone());
        move || {
            let query = EventQuery {
                from: from.clone(),
                to: to.clone(),
                tz: tz.get(),
                page: 1,
            };
            format!("{}/export.csv?{}", log_path(log), query.to_query_string())
        }
    };
    let link_to = move |page: u32| {
        let query = EventQuery {
            page,
            ..query.get()
        };
        format!("{}?{}", log_path(log), query.to_query_string())
    };
    view! {
        <div class="page-header">
            <div>
                <p class="eyebrow">{name}</p>
                <h1>{t!(i18n, events.title)}</h1>
            </div>
            <div class="page-actions">
                {exportable.then(|| view! {
                    <a class="button" href=export download="">{t!(i18n, events.export)}</a>
                })}
            </div>
        </div>
        <Filter log query tz error=None from to />
        {if rows.is_empty() {
            view! { <div class="empty-state"><p>{t!(i18n, events.none)}</p></div> }.into_any()
        } else {
            view! {
                // Focusable: a table that scrolls sideways must be scrollable by keyboard too.
                <div class="table-scroll" tabindex="0" role="region" aria-label=move || t_string!(i18n, events.title)>
                    <table class="data-table events">
                        <caption class="visually-hidden">{t!(i18n, events.title)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, events.column_time)}</th>
                                <th scope="col">{t!(i18n, events.column_event)}</th>
                                <th scope="col">{t!(i18n, events.column_actor)}</th>
                                <th scope="col">{t!(i18n, events.column_ip)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! { <Row row /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
        <nav class="pager" aria-label=move || t_string!(i18n, clients.paging).to_string()>
            <span></span>
            <div class="pager-links">
                {(current > 1).then(|| view! {
                    <a class="button" rel="prev" href=move || link_to(current - 1)>{t!(i18n, clients.previous)}</a>
                })}
                {has_more.then(|| view! {
                    <a class="button" rel="next" href=move || link_to(current + 1)>{t!(i18n, clients.next)}</a>
                })}
            </div>
        </nav>
    }
    .into_any()
}

#[component]
fn Filter(
    log: LogOf,
    query: Memo<EventQuery>,
    tz: RwSignal<i32>,
    error: Option<AppError>,
    /// The range in effect (defaults filled in); the query's own values win when present.
    from: String,
    to: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem = |field: Field| error.as_ref().and_then(|e| e.problem_for(field));
    let (from_problem, to_problem) = (problem(Field::DateFrom), problem(Field::DateTo));
    let current = query.get_untracked();
    let from_value = if current.from.is_empty() {
        from
    } else {
        current.from.clone()
    };
    let to_value = if current.to.is_empty() {
        to
    } else {
        current.to.clone()
    };
    view! {
        <form class="list-tools event-filter" method="get" action=log_path(log)>
            <div class="field" class:invalid=from_problem.is_some()>
                <label for="events-from">{t!(i18n, events.from)}</label>
                <input id="events-from" type="date" name="from" value=from_value
                    aria-invalid=from_problem.is_some().then_some("true")
                    aria-describedby="events-range-hint events-from-error" />
                <p class="problem" id="events-from-error" role="alert">
                    {from_problem.map(|problem| view! { <ProblemText problem /> })}
                </p>
            </div>
            <div class="field" class:invalid=to_problem.is_some()>
                <label for="events-to">{t!(i18n, events.to)}</label>
                <input id="events-to" type="date" name="to" value=to_value
                    aria-invalid=to_problem.is_some().then_some("true")
                    aria-describedby="events-range-hint events-to-error" />
                <p class="problem" id="events-to-error" role="alert">
                    {to_problem.map(|problem| view! { <ProblemText problem /> })}
                </p>
            </div>
            <input type="hidden" name="tz" value=move || tz.get().to_string() />
            <button type="submit" class="button">{t!(i18n, events.apply)}</button>
            <p class="hint" id="events-range-hint">{t!(i18n, events.range_hint)}</p>
        </form>
        {error
            .filter(|e| !matches!(e, AppError::Invalid(_)))
            .map(|error| view! { <p class="alert alert-error" role="alert"><ErrorText error /></p> })}
    }
    .into_any()
}

#[component]
fn Row(row: EventRow) -> impl IntoView {
    let i18n = use_i18n();
    let text = {
        let row = row.clone();
        move || describe(i18n.get_locale(), &row)
    };
    view! {
        <tr>
            <td class="nowrap"><LocalTime at=row.at.clone() /></td>
            <td>{text}</td>
            <td>
                {match row.actor.clone() {
                    Some((name, email)) => view! {
                        <div class="member-cell">
                            <span>{name}</span>
                            <span class="muted">{email}</span>
                        </div>
                    }.into_any(),
                    None => view! { <span class="muted">{t!(i18n, events.operator)}</span> }.into_any(),
                }}
            </td>
            <td class="muted">{row.ip.clone().unwrap_or_default()}</td>
        </tr>
    }
    .into_any()
}
