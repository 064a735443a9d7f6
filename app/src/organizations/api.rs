//! Organization server functions: thin, gate → service → DTO.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::types::{ConsoleFrame, OrganizationOverview};
#[cfg(feature = "ssr")]
use crate::auth::{
    Capability,
    gate::{self, Within},
};
use crate::error::AppError;
use crate::ids::OrganizationId;

/// Any signed-in user may create an organization of their own and becomes its Owner, holding
/// the organization key their browser made (`keys`: the key pair, and the key wrapped to their
/// own public key). The browser goes on to the Admin Console by itself.
#[server(prefix = "/api", endpoint = "organizations/create", input = Json)]
pub async fn create_organization(
    name: String,
    billing_email: String,
    plan: String,
    billing_cycle: String,
    seats: String,
    keys: crate::crypto::NewOrganizationKeys,
) -> Result<OrganizationId, AppError> {
    use super::service;
    use super::types::NewOrganizationForm;
    use crate::auth::request::event_context;
    let gate::Account { actor, context, .. } = gate::account().await?;
    let input = NewOrganizationForm {
        name,
        billing_email,
        plan,
        billing_cycle,
        seats,
    }
    .read()?;
    let id = service::create(
        &context.db,
        &actor,
        input,
        Some(&keys),
        &event_context(&actor),
    )
    .await?;
    Ok(id)
}

/// The Admin Console's start page: for those who may administer the organization.
#[server(prefix = "/api", endpoint = "organizations/overview")]
pub async fn get_organization_overview(
    organization: OrganizationId,
) -> Result<OrganizationOverview, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::AdministerOrganization).await?;
    super::service::overview(&context.db, &access).await
}

/// The console's frame (name, managing provider, the sections the caller may open).
#[server(prefix = "/api", endpoint = "organizations/frame")]
pub async fn get_console_frame(organization: OrganizationId) -> Result<ConsoleFrame, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::AdministerOrganization).await?;
    super::service::frame(&context.db, &access).await
}

/// Records a provider user opening a client's console (once per visit, see
/// `record_provider_access`). The console posts it once it is on screen: a page's GET never
/// records it, so a prefetch or a link preview leaves no trace in the client's log.
#[server(prefix = "/api", endpoint = "organizations/visit")]
pub async fn record_console_visit(organization: OrganizationId) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let Within { access, context } =
        gate::organization(organization, Capability::AdministerOrganization).await?;
    super::service::record_provider_access(&context.db, &event_context(&access.actor), &access)
        .await
}

/// Billing → Subscription: the figures, for those who may change seats.
#[server(prefix = "/api", endpoint = "organizations/subscription")]
pub async fn get_organization_subscription(
    organization: OrganizationId,
) -> Result<OrganizationOverview, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ManageSeats).await?;
    super::service::overview(&context.db, &access).await
}

#[server(prefix = "/api", endpoint = "organizations/seats")]
pub async fn set_organization_seats(
    organization: OrganizationId,
    seats: String,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let Within { access, context } =
        gate::organization(organization, Capability::ManageSeats).await?;
    let seats = crate::vocabulary::Seats::read_field(&seats)?;
    super::service::set_seats(&context.db, &event_context(&access.actor), &access, seats).await
}

#[server(prefix = "/api", endpoint = "organizations/info")]
pub async fn get_organization_info(
    organization: OrganizationId,
) -> Result<super::types::OrganizationInfo, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ManageOrgSettings).await?;
    super::service::info(&context.db, &access).await
}

/// Name, and outside providers the billing email (a client's form has no such field).
#[server(prefix = "/api", endpoint = "organizations/update-info")]
pub async fn update_organization_info(
    organization: OrganizationId,
    name: String,
    billing_email: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let Within { access, context } =
        gate::organization(organization, Capability::ManageOrgSettings).await?;
    super::service::update_info(
        &context.db,
        &event_context(&access.actor),
        &access,
        &name,
        billing_email.as_deref(),
    )
    .await
}

#[server(prefix = "/api", endpoint = "organizations/billing")]
pub async fn get_organization_billing(
    organization: OrganizationId,
) -> Result<super::types::OrganizationBilling, AppError> {
    let Within { access, context } =
        gate::organization(organization, Capability::ManageOrgBilling).await?;
    super::service::billing(&context.db, &access).await
}

#[server(prefix = "/api", endpoint = "organizations/update-billing")]
pub async fn update_organization_billing(
    organization: OrganizationId,
    address: String,
    tax_id: String,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let Within { access, context } =
        gate::organization(organization, Capability::ManageOrgBilling).await?;
    super::service::update_billing(
        &context.db,
        &event_context(&access.actor),
        &access,
        super::types::OrganizationBilling { address, tax_id },
    )
    .await
}
