//! Organization server functions: thin, actor → guard → service → DTO.

use leptos::prelude::*;

use super::types::{ConsoleFrame, OrganizationOverview};
#[cfg(feature = "ssr")]
use crate::auth::{Capability, request::authorize_in_organization};
use crate::error::AppError;
use crate::ids::OrganizationId;

/// Any signed-in user may create an organization of their own and becomes its Owner.
#[server(prefix = "/api", endpoint = "organizations/create")]
pub async fn create_organization(
    name: String,
    billing_email: String,
    plan: String,
    billing_cycle: String,
    seats: String,
) -> Result<OrganizationId, AppError> {
    use super::service::{self, NewOrganization};
    use crate::auth::request::{current_actor, event_context, server_context};
    let actor = current_actor().await?;
    let context = server_context()?;
    let input = NewOrganization {
        name,
        billing_email,
        plan,
        billing_cycle,
        seats,
    };
    let id = service::create(&context.db, &actor, input, &event_context(&actor)).await?;
    leptos_axum::redirect(&crate::routes::organization_console(id));
    Ok(id)
}

/// The Admin Console's start page: for those who may administer the organization.
#[server(prefix = "/api", endpoint = "organizations/overview")]
pub async fn get_organization_overview(
    organization: OrganizationId,
) -> Result<OrganizationOverview, AppError> {
    use crate::auth::request::event_context;
    let (actor, scope, context) =
        authorize_in_organization(organization, Capability::AdministerOrganization).await?;
    super::service::record_provider_access(&context.db, &event_context(&actor), &actor, scope)
        .await?;
    super::service::overview(&context.db, &actor, scope).await
}

/// The console's frame (name, managing provider, the sections the caller may open). Opening
/// a client's console as a provider user is recorded here, once per visit (see
/// `record_provider_access`), since every console page asks for its frame.
#[server(prefix = "/api", endpoint = "organizations/frame")]
pub async fn get_console_frame(organization: OrganizationId) -> Result<ConsoleFrame, AppError> {
    use crate::auth::request::event_context;
    let (actor, scope, context) =
        authorize_in_organization(organization, Capability::AdministerOrganization).await?;
    super::service::record_provider_access(&context.db, &event_context(&actor), &actor, scope)
        .await?;
    super::service::frame(&context.db, &actor, scope).await
}

/// Billing → Subscription: the figures, for those who may change seats.
#[server(prefix = "/api", endpoint = "organizations/subscription")]
pub async fn get_organization_subscription(
    organization: OrganizationId,
) -> Result<OrganizationOverview, AppError> {
    let (actor, scope, context) =
        authorize_in_organization(organization, Capability::ManageSeats).await?;
    super::service::overview(&context.db, &actor, scope).await
}

#[server(prefix = "/api", endpoint = "organizations/seats")]
pub async fn set_organization_seats(
    organization: OrganizationId,
    seats: String,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let (actor, scope, context) =
        authorize_in_organization(organization, Capability::ManageSeats).await?;
    super::service::set_seats(&context.db, &event_context(&actor), &actor, scope, &seats).await
}

#[server(prefix = "/api", endpoint = "organizations/info")]
pub async fn get_organization_info(
    organization: OrganizationId,
) -> Result<super::types::OrganizationInfo, AppError> {
    let (_, scope, context) =
        authorize_in_organization(organization, Capability::ManageOrgSettings).await?;
    super::service::info(&context.db, scope).await
}

/// Name, and outside providers the billing email (a client's form has no such field).
#[server(prefix = "/api", endpoint = "organizations/update-info")]
pub async fn update_organization_info(
    organization: OrganizationId,
    name: String,
    billing_email: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let (actor, scope, context) =
        authorize_in_organization(organization, Capability::ManageOrgSettings).await?;
    super::service::update_info(
        &context.db,
        &event_context(&actor),
        scope,
        &name,
        billing_email.as_deref(),
    )
    .await
}

#[server(prefix = "/api", endpoint = "organizations/billing")]
pub async fn get_organization_billing(
    organization: OrganizationId,
) -> Result<super::types::OrganizationBilling, AppError> {
    let (_, scope, context) =
        authorize_in_organization(organization, Capability::ManageOrgBilling).await?;
    super::service::billing(&context.db, scope).await
}

#[server(prefix = "/api", endpoint = "organizations/update-billing")]
pub async fn update_organization_billing(
    organization: OrganizationId,
    address: String,
    tax_id: String,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let (actor, scope, context) =
        authorize_in_organization(organization, Capability::ManageOrgBilling).await?;
    super::service::update_billing(
        &context.db,
        &event_context(&actor),
        scope,
        super::types::OrganizationBilling { address, tax_id },
    )
    .await
}
