//! Provider server functions: thin, actor → guard → service → DTO.

use leptos::prelude::*;

use super::types::ProviderOverview;
use crate::error::AppError;
use crate::ids::ProviderId;

/// Whether signed-in users may set up providers themselves (`PROVIDER_SETUP=open`).
#[server(prefix = "/api", endpoint = "providers/setup-open")]
pub async fn provider_setup_open() -> Result<bool, AppError> {
    use crate::auth::request::{current_actor, server_context};
    current_actor().await?;
    Ok(server_context()?.providers.setup == super::service::ProviderSetup::Open)
}

/// Sets up a provider; the caller becomes its confirmed Provider Admin.
#[server(prefix = "/api", endpoint = "providers/create")]
pub async fn create_provider(
    name: String,
    business_name: String,
    billing_email: String,
) -> Result<ProviderId, AppError> {
    use super::service::{self, NewProvider};
    use crate::auth::request::{current_actor, event_context, server_context};
    let actor = current_actor().await?;
    let context = server_context()?;
    let input = NewProvider {
        name,
        business_name,
        billing_email,
    };
    let id = service::create_by_user(
        &context.db,
        &context.providers,
        &actor,
        input,
        &event_context(&actor),
    )
    .await?;
    leptos_axum::redirect(&crate::routes::provider_clients(id));
    Ok(id)
}

/// The Provider Portal's frame: name, plans, and which client actions the viewer has.
#[server(prefix = "/api", endpoint = "providers/overview")]
pub async fn get_provider_overview(provider: ProviderId) -> Result<ProviderOverview, AppError> {
    use crate::auth::request::{current_actor, server_context};
    use crate::auth::{Capability, Scope, require};
    let actor = current_actor().await?;
    require(&actor, Capability::ViewClients, Scope::Provider(provider))?;
    super::service::overview(&server_context()?.db, &actor, provider).await
}
