//! CSV exports, streamed: a plain GET (a link the browser downloads), authorized through the
//! same session and guard as every server function. Rows leave as the database cursor yields
//! them, in 64 KiB chunks, so a year of events never sits in memory.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use std::collections::HashMap;

use app::auth::gate;
use app::error::AppError;
use app::events::service::{self as events, LogOf};
use app::events::types::{EventQuery, MAX_EXPORT_DAYS};
use app::i18n::{Locale, td_string};
use app::ids::{OrganizationId, ProviderId};

use crate::http::AppState;

pub const PROVIDER_EVENTS: &str = "/providers/{provider}/manage/events/export.csv";
pub const ORGANIZATION_EVENTS: &str = "/organizations/{organization}/events/export.csv";
pub const INVOICE_REPORT: &str = "/providers/{provider}/billing/invoices/{invoice}/report.csv";
/// Every CSV route: the router mounts these, and the endpoint test walks them.
pub const ROUTES: [&str; 3] = [PROVIDER_EVENTS, ORGANIZATION_EVENTS, INVOICE_REPORT];

/// `GET /providers/{provider}/manage/events/export.csv?from&to&tz`
pub async fn provider_events(
    State(state): State<AppState>,
    Path(provider): Path<i64>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    events_csv(
        state,
        LogOf::Provider(ProviderId(provider)),
        params,
        headers,
    )
    .await
}

/// `GET /organizations/{organization}/events/export.csv?from&to&tz`
pub async fn organization_events(
    State(state): State<AppState>,
    Path(organization): Path<i64>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let log = LogOf::Organization(OrganizationId(organization));
    events_csv(state, log, params, headers).await
}

/// Event exports running at once on one instance (see `events_csv`).
pub const CONCURRENT_EXPORTS: usize = 4;

/// A refusal as a short sentence in the reader's language, with its status.
fn refusal(locale: Locale, error: &AppError) -> Response {
    let text = match error {
        AppError::Unauthenticated => td_string!(locale, errors.unauthenticated).to_string(),
        AppError::Forbidden | AppError::NotFound => {
            td_string!(locale, errors.forbidden).to_string()
        }
        AppError::Invalid(_) => td_string!(locale, errors.invalid).to_string(),
        AppError::Busy => td_string!(locale, errors.busy).to_string(),
        _ => td_string!(locale, errors.internal).to_string(),
    };
    let status =
        StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CACHE_CONTROL, "no-store")], text).into_response()
}

async fn events_csv(
    state: AppState,
    log: LogOf,
    params: HashMap<String, String>,
    headers: HeaderMap,
) -> Response {
    let locale = app::auth::request::locale_from_headers(&headers);
    let context = state.server_context();
    let now = Utc::now();
    let actor = match gate::actor_from_headers(&context, &headers).await {
        Ok(actor) => actor,
        Err(error) => return refusal(locale, &error),
    };
    let reader = match gate::log_reader(&context.db, actor, log).await {
        Ok(reader) => reader,
        Err(error) => return refusal(locale, &error),
    };
    let query = EventQuery::from_params(|key| params.get(key).cloned());
    let range = match events::resolve_range(&query, now, Some(MAX_EXPORT_DAYS)) {
        Ok(range) => range,
        Err(error) => return refusal(locale, &error),
    };
    // Capped per instance: each export reads the database in batches and formats rows,
    // and a crowd of downloads must not starve the pages.
    let Ok(permit) = state.exports.clone().try_acquire_owned() else {
        let mut busy = refusal(locale, &AppError::Busy);
        busy.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return busy;
    };
    let (sender, receiver) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let (failed_sender, failed) = tokio::sync::oneshot::channel::<()>();
    let db = context.db.clone();
    tokio::spawn(async move {
        let _permit = permit;
        let describe =
            |row: &app::events::types::EventRow| app::events::text::describe(locale, row);
        if let Err(error) = events::export_csv(&db, &reader, &range, describe, &sender).await {
            tracing::error!(?error, "event export stopped");
            let _ = failed_sender.send(());
        }
    });
    // Chunks as they come; when the export fails midway the body ends in an error, so the
    // connection is cut and the browser reports a failed download instead of a short file.
    let body = futures_util::StreamExt::fuse(futures_util::stream::unfold(
        (receiver, Some(failed)),
        |(mut receiver, failed)| async move {
            match receiver.recv().await {
                Some(chunk) => Some((Ok(axum::body::Bytes::from(chunk)), (receiver, failed))),
                None => match failed?.await {
                    Ok(()) => Some((
                        Err(std::io::Error::other("the export failed midway")),
                        (receiver, None),
                    )),
                    Err(_) => None,
                },
            }
        },
    ));
    let place = match log {
        LogOf::Provider(id) => format!("provider-{id}"),
        LogOf::Organization(id) => format!("organization-{id}"),
    };
    let filename = format!(
        "attachment; filename=\"events-{place}-{}-{}.csv\"",
        range.first_day, range.last_day
    );
    let mut response = Response::new(Body::from_stream(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&filename) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn plan_name(locale: Locale, plan: app::organizations::types::Plan) -> String {
    use app::organizations::types::Plan;
    match plan {
        Plan::Free => td_string!(locale, plans.free).to_string(),
        Plan::Families => td_string!(locale, plans.families).to_string(),
        Plan::Teams => td_string!(locale, plans.teams).to_string(),
        Plan::Enterprise => td_string!(locale, plans.enterprise).to_string(),
    }
}

/// `GET /providers/{provider}/billing/invoices/{invoice}/report.csv`: the per-client report of
/// one invoice (Provider Admins). Small enough to build at once: one line per client.
pub async fn invoice_report(
    State(state): State<AppState>,
    Path((provider, invoice)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Response {
    let locale = app::auth::request::locale_from_headers(&headers);
    let context = state.server_context();
    let actor = match gate::actor_from_headers(&context, &headers).await {
        Ok(actor) => actor,
        Err(error) => return refusal(locale, &error),
    };
    let billing = match gate::in_provider(
        actor,
        ProviderId(provider),
        app::auth::Capability::ManageProviderBilling,
    ) {
        Ok(billing) => billing,
        Err(error) => return refusal(locale, &error),
    };
    let invoice = match app::billing::service::invoice(&context.db, &billing, invoice).await {
        Ok(invoice) => invoice,
        Err(error) => return refusal(locale, &error),
    };
    let unassigned = td_string!(locale, billing.unassigned).to_string();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![
        [
            "client",
            "id",
            "assigned",
            "used",
            "remaining",
            "plan",
            "estimated_total",
        ]
        .map(str::to_owned),
    ];
    for line in &invoice.lines {
        let name = if line.client.is_some() {
            line.name.clone()
        } else {
            unassigned.clone()
        };
        rows.push([
            events::csv_cell(&name).into_owned(),
            line.client.map(|c| c.to_string()).unwrap_or_default(),
            line.assigned.to_string(),
            line.used.to_string(),
            line.remaining.to_string(),
            plan_name(locale, line.plan),
            app::providers::types::format_cents(line.total_cents),
        ]);
    }
    for row in rows {
        if writer.write_record(&row).is_err() {
            return refusal(locale, &AppError::Internal);
        }
    }
    let Ok(body) = writer.into_inner() else {
        return refusal(locale, &AppError::Internal);
    };
    let filename = format!(
        "attachment; filename=\"invoice-provider-{}-{}.csv\"",
        provider, invoice.summary.period
    );
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&filename) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
