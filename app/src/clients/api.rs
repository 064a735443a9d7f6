//! Clients server functions: thin, gate → service → DTO. Writes take `return_to`,
//! the list the dialog was opened from, so a form posted without the browser bundle lands
//! back on the same search, sort and page.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::types::{ClientDetails, ClientPage, ClientQuery, EligibleOrganization};
use crate::error::AppError;
use crate::ids::{OrganizationId, ProviderId};

#[cfg(feature = "ssr")]
use crate::auth::{Capability, gate};

#[cfg(feature = "ssr")]
fn back_to_clients(provider: ProviderId, return_to: Option<String>) {
    crate::auth::request::return_to(return_to, &crate::routes::provider_clients(provider));
}

#[server(prefix = "/api", endpoint = "clients/list")]
pub async fn list_clients(
    provider: ProviderId,
    query: ClientQuery,
) -> Result<ClientPage, AppError> {
    let call = gate::provider(provider, Capability::ViewClients).await?;
    super::service::list(&call.context.db, &call.access, &query).await
}

#[server(prefix = "/api", endpoint = "clients/details")]
pub async fn get_client_details(
    provider: ProviderId,
    client: OrganizationId,
) -> Result<ClientDetails, AppError> {
    let gate::Within { access, context } =
        gate::provider(provider, Capability::ViewClients).await?;
    let db = context.db;
    super::service::details(&db, &access, client).await
}

/// New client: the organization's keys come from the admin's browser (its key pair, and its
/// key wrapped under the provider key; VAULT.md §2), so the dialog needs the bundle, which
/// closes it itself.
#[server(prefix = "/api", endpoint = "clients/create", input = Json)]
pub async fn create_client(
    provider: ProviderId,
    name: String,
    plan: String,
    seats: String,
    owner_email: String,
    keys: crate::crypto::NewOrganizationKeys,
) -> Result<OrganizationId, AppError> {
    use super::types::NewClientForm;
    let gate::Within { access, context } =
        gate::provider(provider, Capability::ManageClients).await?;
    let db = context.db;
    let input = NewClientForm {
        name,
        plan,
        seats,
        owner_email,
    }
    .read()?;
    let context = crate::auth::request::event_context(&access.actor);
    super::service::create(&db, &access, input, Some(&keys), &context).await
}

#[server(prefix = "/api", endpoint = "clients/eligible")]
pub async fn eligible_organizations(
    provider: ProviderId,
) -> Result<Vec<EligibleOrganization>, AppError> {
    let gate::Within { access, context } =
        gate::provider(provider, Capability::ManageClients).await?;
    let db = context.db;
    super::service::eligible_organizations(&db, &access).await
}

/// Adds an organization the caller owns, with its key wrapped under the provider key in the
/// caller's browser (none only for an organization made before keys existed).
#[server(prefix = "/api", endpoint = "clients/add-existing", input = Json)]
pub async fn add_existing_organization(
    provider: ProviderId,
    organization: OrganizationId,
    key: Option<crate::crypto::EncString>,
) -> Result<(), AppError> {
    let gate::Within { access, context } =
        gate::provider(provider, Capability::ManageClients).await?;
    let db = context.db;
    let context = crate::auth::request::event_context(&access.actor);
    super::service::add_existing(&db, &access, organization, key.as_ref(), &context).await
}

#[server(prefix = "/api", endpoint = "clients/rename")]
pub async fn rename_client(
    provider: ProviderId,
    client: OrganizationId,
    name: String,
    return_to: Option<String>,
) -> Result<(), AppError> {
    let gate::Within { access, context } =
        gate::provider(provider, Capability::UpdateClient).await?;
    let db = context.db;
    let context = crate::auth::request::event_context(&access.actor);
    super::service::rename(&db, &access, client, &name, &context).await?;
    back_to_clients(provider, return_to);
    Ok(())
}

#[server(prefix = "/api", endpoint = "clients/seats")]
pub async fn set_client_seats(
    provider: ProviderId,
    client: OrganizationId,
    seats: String,
    return_to: Option<String>,
) -> Result<(), AppError> {
    let gate::Within { access, context } =
        gate::provider(provider, Capability::UpdateClient).await?;
    let db = context.db;
    let context = crate::auth::request::event_context(&access.actor);
    let seats = crate::vocabulary::Seats::read_field(&seats)?;
    super::service::set_seats(&db, &access, client, seats, &context).await?;
    back_to_clients(provider, return_to);
    Ok(())
}

#[server(prefix = "/api", endpoint = "clients/unlink")]
pub async fn unlink_client(
    provider: ProviderId,
    client: OrganizationId,
    return_to: Option<String>,
) -> Result<(), AppError> {
    let gate::Within { access, context } =
        gate::provider(provider, Capability::ManageClients).await?;
    let db = context.db;
    let context = crate::auth::request::event_context(&access.actor);
    super::service::unlink(&db, &access, client, &context).await?;
    back_to_clients(provider, return_to);
    Ok(())
}
