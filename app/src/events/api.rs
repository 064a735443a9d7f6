//! Event log server functions. A provider's log is for Provider Admins (as in Bitwarden);
//! an organization's for those allowed `ViewEventLogs` there.

use leptos::prelude::*;

use super::types::{EventPage, EventQuery, LogOf};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "events/list")]
pub async fn list_events(log: LogOf, query: EventQuery) -> Result<EventPage, AppError> {
    let reader = crate::auth::gate::log(log).await?;
    super::service::list(
        &reader.context.db,
        &reader.access,
        &query,
        chrono::Utc::now(),
    )
    .await
}
