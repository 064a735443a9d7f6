//! Event log server functions. A provider's log is for Provider Admins (as in Bitwarden);
//! an organization's for those allowed `ViewEventLogs` there.

use leptos::prelude::*;

use super::types::{EventPage, EventQuery, LogOf};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "events/list")]
pub async fn list_events(log: LogOf, query: EventQuery) -> Result<EventPage, AppError> {
    use crate::auth::request::{current_actor, server_context};
    let actor = current_actor().await?;
    let db = server_context()?.db;
    super::service::authorize_log(&db, &actor, log).await?;
    super::service::list(&db, log, &query, chrono::Utc::now()).await
}
