//! Invitation server functions. The link's preview is open to anyone holding the link (the
//! token is the secret); accepting and declining need the invited account.

use leptos::prelude::*;

use super::types::{Accepted, InvitationPreview, PendingList};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "invitations/preview")]
pub async fn preview_invitation(token: String) -> Result<InvitationPreview, AppError> {
    use crate::auth::gate::{self, Open};
    let visitor = gate::open(Open::InvitationPreview).await?;
    super::service::preview(&visitor.context.db, &token, chrono::Utc::now()).await
}

#[server(prefix = "/api", endpoint = "invitations/accept-link")]
pub async fn accept_invitation_link(token: String) -> Result<Accepted, AppError> {
    use crate::auth::request::event_context;
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    let accepted =
        super::service::accept_link(&context.db, &event_context(&actor), &actor, &token).await?;
    leptos_axum::redirect(crate::routes::MEMBERSHIPS);
    Ok(accepted)
}

#[server(prefix = "/api", endpoint = "invitations/pending")]
pub async fn pending_invitations() -> Result<PendingList, AppError> {
    use super::types::Unverified;
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    Ok(PendingList {
        invitations: super::service::pending(&context.db, &actor).await?,
        unverified: (!actor.email_verified).then(|| Unverified {
            mail_on: context.mailer.is_on(),
        }),
    })
}

/// Accepts (`decision=accept`) or declines (`decline`) a pending invitation (`invitation`
/// as `provider-3` / `organization-9`).
#[server(prefix = "/api", endpoint = "invitations/answer")]
pub async fn answer_invitation(invitation: String, decision: String) -> Result<(), AppError> {
    use super::types::PendingRef;
    use crate::auth::request::event_context;
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    let member = PendingRef::parse(&invitation).ok_or(AppError::NotFound)?;
    let db = context.db;
    let context = event_context(&actor);
    match decision.as_str() {
        "accept" => {
            super::service::accept_pending(&db, &context, &actor, member).await?;
        }
        "decline" => super::service::decline_pending(&db, &context, &actor, member).await?,
        _ => return Err(AppError::NotFound),
    }
    leptos_axum::redirect(crate::routes::MEMBERSHIPS);
    Ok(())
}
