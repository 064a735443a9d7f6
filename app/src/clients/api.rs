//! Clients server functions: thin, gate → service → DTO. Writes take `return_to`,
//! the list the dialog was opened from, so a form posted without the browser bundle lands
//! back on the same search, sort and page.

use leptos::prelude::*;

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
    let db = gate::provider(provider, Capability::ViewClients)
        .await?
        .context
        .db;
    super::service::list(&db, provider, &query).await
}

#[server(prefix = "/api", endpoint = "clients/details")]
pub async fn get_client_details(
    provider: ProviderId,
    client: OrganizationId,
) -> Result<ClientDetails, AppError> {
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::ViewClients).await?;
    let db = context.db;
    super::service::details(&db, &actor, provider, client).await
}

#[server(prefix = "/api", endpoint = "clients/create")]
pub async fn create_client(
    provider: ProviderId,
    name: String,
    plan: String,
    seats: String,
    owner_email: String,
    return_to: Option<String>,
) -> Result<OrganizationId, AppError> {
    use super::types::NewClientForm;
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::ManageClients).await?;
    let db = context.db;
    let input = NewClientForm {
        name,
        plan,
        seats,
        owner_email,
    }
    .read()?;
    let context = crate::auth::request::event_context(&actor);
    let id = super::service::create(&db, provider, input, &context).await?;
    back_to_clients(provider, return_to);
    Ok(id)
}

#[server(prefix = "/api", endpoint = "clients/eligible")]
pub async fn eligible_organizations(
    provider: ProviderId,
) -> Result<Vec<EligibleOrganization>, AppError> {
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::ManageClients).await?;
    let db = context.db;
    super::service::eligible_organizations(&db, actor.user_id).await
}

#[server(prefix = "/api", endpoint = "clients/add-existing")]
pub async fn add_existing_organization(
    provider: ProviderId,
    organization: OrganizationId,
    return_to: Option<String>,
) -> Result<(), AppError> {
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::ManageClients).await?;
    let db = context.db;
    let context = crate::auth::request::event_context(&actor);
    super::service::add_existing(&db, &actor, provider, organization, &context).await?;
    back_to_clients(provider, return_to);
    Ok(())
}

#[server(prefix = "/api", endpoint = "clients/rename")]
pub async fn rename_client(
    provider: ProviderId,
    client: OrganizationId,
    name: String,
    return_to: Option<String>,
) -> Result<(), AppError> {
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::UpdateClient).await?;
    let db = context.db;
    let context = crate::auth::request::event_context(&actor);
    super::service::rename(&db, provider, client, &name, &context).await?;
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
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::UpdateClient).await?;
    let db = context.db;
    let context = crate::auth::request::event_context(&actor);
    let seats = crate::vocabulary::Seats::read_field(&seats)?;
    super::service::set_seats(&db, &actor, provider, client, seats, &context).await?;
    back_to_clients(provider, return_to);
    Ok(())
}

#[server(prefix = "/api", endpoint = "clients/unlink")]
pub async fn unlink_client(
    provider: ProviderId,
    client: OrganizationId,
    return_to: Option<String>,
) -> Result<(), AppError> {
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::ManageClients).await?;
    let db = context.db;
    let context = crate::auth::request::event_context(&actor);
    super::service::unlink(&db, provider, client, &context).await?;
    back_to_clients(provider, return_to);
    Ok(())
}
