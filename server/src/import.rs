//! The import routes (issue 23): a JSON POST of sealed items, larger than a server function may
//! take (`app::vault::import::MAX_IMPORT_BODY_BYTES`, held by `security::BodyLimits`), through
//! the same session, origin check and gate as every server function. The body is read only
//! after the gate let the caller through. The answer is JSON: the
//! outcome, or the `AppError` with its status, which the browser turns into its message as it
//! does for server functions.

use axum::Json;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use std::net::SocketAddr;

use app::auth::{Capability, gate};
use app::error::AppError;
use app::events::service::EventContext;
use app::ids::OrganizationId;
use app::vault::import::{self, ImportOutcome, ImportRequest};

use crate::http::AppState;

/// Every import route: the router mounts these, the body limit allows them more, and the
/// endpoint test walks them.
pub const ROUTES: [&str; 2] = [import::OWN_IMPORT, import::ORGANIZATION_IMPORT];

/// `POST /vault/import`: into the caller's own vault.
pub async fn own(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let context = state.server_context();
    let actor = match gate::actor_from_headers(&context, &headers).await {
        Ok(actor) => actor,
        Err(error) => return answer(Err(error)),
    };
    let request = match read(body).await {
        Ok(request) => request,
        Err(error) => return error,
    };
    answer(import::import_own(&context.db, &actor, request).await)
}

/// `POST /organizations/{organization}/vault/import`: into an organization, for those who
/// hold `ImportVaultData` there (provider users in a client included, V2).
pub async fn organization(
    State(state): State<AppState>,
    Path(organization): Path<i64>,
    // Present when served with connect info (always, outside tests).
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let context = state.server_context();
    let actor = match gate::actor_from_headers(&context, &headers).await {
        Ok(actor) => actor,
        Err(error) => return answer(Err(error)),
    };
    let events = EventContext {
        actor: Some(actor.user_id),
        client: app::auth::request::client_info_from(
            peer.map(|axum::Extension(ConnectInfo(address))| address.ip()),
            &headers,
            &context.trusted_proxies,
        ),
        at: Utc::now(),
    };
    let access = match gate::in_organization(
        &context.db,
        actor,
        OrganizationId(organization),
        Capability::ImportVaultData,
    )
    .await
    {
        Ok(access) => access,
        Err(error) => return answer(Err(error)),
    };
    let request = match read(body).await {
        Ok(request) => request,
        Err(error) => return error,
    };
    answer(import::import_into_organization(&context.db, &access, &events, request).await)
}

/// Reads the body (held to the import's limit by `security::limit_body`: 413 past it) as
/// sealed items: a plaintext string, an unknown field or an envelope of another type fails
/// here, before anything runs (V1).
async fn read(body: Body) -> Result<ImportRequest, Response> {
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|error| {
            // The limit's error arrives wrapped (axum's error around the body's): look down
            // the chain.
            let too_large =
                std::iter::successors(std::error::Error::source(&error), |e| e.source())
                    .any(|source| source.is::<http_body_util::LengthLimitError>());
            if too_large {
                StatusCode::PAYLOAD_TOO_LARGE.into_response()
            } else {
                StatusCode::BAD_REQUEST.into_response()
            }
        })?;
    serde_json::from_slice(&bytes)
        .map_err(|_| answer(Err(AppError::Refused(app::error::Refusal::MalformedItem))))
}

fn answer(result: Result<ImportOutcome, AppError>) -> Response {
    let mut response = match result {
        Ok(outcome) => Json(outcome).into_response(),
        Err(error) => {
            let status = StatusCode::from_u16(error.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, Json(error)).into_response()
        }
    };
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}
