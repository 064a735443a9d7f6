//! Writing events. Callers pass their open transaction, so an event exists exactly when the
//! change it records was committed.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::types::{EventTarget, EventType};
use crate::accounts::session::ClientInfo;
use crate::db::events;
use crate::error::AppError;
use crate::ids::{OrganizationId, ProviderId, UserId};

/// Who acted, from where, and when: shared by every event of one request.
#[derive(Clone, Debug)]
pub struct EventContext {
    pub actor: Option<UserId>,
    pub client: ClientInfo,
    pub at: DateTime<Utc>,
}

/// One event to record. An event with both a provider and an organization appears in both logs.
#[derive(Clone, Copy, Debug)]
pub struct NewEvent {
    pub event: EventType,
    pub provider: Option<ProviderId>,
    pub organization: Option<OrganizationId>,
    pub target: Option<EventTarget>,
}

impl NewEvent {
    pub const fn new(event: EventType) -> Self {
        Self {
            event,
            provider: None,
            organization: None,
            target: None,
        }
    }

    pub const fn provider(mut self, provider: ProviderId) -> Self {
        self.provider = Some(provider);
        self
    }

    pub const fn organization(mut self, organization: OrganizationId) -> Self {
        self.organization = Some(organization);
        self
    }

    pub const fn target(mut self, target: EventTarget) -> Self {
        self.target = Some(target);
        self
    }
}

pub async fn record(
    db: &impl ConnectionTrait,
    context: &EventContext,
    event: NewEvent,
    details: Option<String>,
) -> Result<(), AppError> {
    events::ActiveModel {
        at: Set(context.at),
        r#type: Set(event.event.code()),
        acting_user_id: Set(context.actor.map(|u| u.0)),
        provider_id: Set(event.provider.map(|p| p.0)),
        organization_id: Set(event.organization.map(|o| o.0)),
        target_kind: Set(event.target.map(|t| t.kind().to_owned())),
        target_id: Set(event.target.map(EventTarget::id)),
        details: Set(details),
        ip: Set(context.client.ip.clone()),
        device: Set(context.client.user_agent.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
