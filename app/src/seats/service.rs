//! The seat change itself: never below the seats used (rule 2) nor above the plan's limit, and
//! one event naming the change, in the provider's log too for a client.

use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel, Set};

use crate::db::organization_users::used_seats;
use crate::db::organizations;
use crate::error::{AppError, Field, Problem};
use crate::events::service::{EventContext, NewEvent, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{OrganizationId, ProviderId};
use crate::vocabulary::Seats;

/// Sets `organization`'s assigned seats. The caller holds the organization's lock (so no
/// invitation slips between counting Used and writing) and has decided who may; `provider` is
/// the client's provider, for its log. Nothing changes when the number is the same.
pub async fn change(
    txn: &impl ConnectionTrait,
    context: &EventContext,
    organization: organizations::Model,
    provider: Option<ProviderId>,
    seats: Seats,
) -> Result<(), AppError> {
    let invalid = |problem| AppError::field(Field::Seats, problem);
    let seats = seats.get();
    let max = organization.plan.max_seats();
    if seats > max {
        return Err(invalid(Problem::AboveMaximum(max)));
    }
    let current = i64::from(organization.seats);
    if seats == current {
        return Ok(());
    }
    let id = OrganizationId(organization.id);
    let used = used_seats(txn, id).await?;
    if seats < used {
        return Err(invalid(Problem::BelowUsed(used)));
    }
    let mut active = organization.into_active_model();
    active.seats = Set(i32::try_from(seats).map_err(|_| AppError::Internal)?);
    active.update(txn).await?;
    let mut event = NewEvent::new(EventType::OrganizationSeatsChanged)
        .organization(id)
        .target(EventTarget::Organization(id.0));
    if let Some(provider) = provider {
        event = event.provider(provider);
    }
    let details = serde_json::json!({ "seats": { "from": current, "to": seats } });
    record(txn, context, event, Some(details.to_string())).await
}
