//! Provider server functions: thin, gate → service → DTO.

use leptos::prelude::*;

use super::types::ProviderOverview;
use crate::error::AppError;
use crate::ids::ProviderId;

/// Whether signed-in users may set up providers themselves (`PROVIDER_SETUP=open`).
#[server(prefix = "/api", endpoint = "providers/setup-open")]
pub async fn provider_setup_open() -> Result<bool, AppError> {
    let call = crate::auth::gate::account().await?;
    Ok(call.context.providers.setup == super::service::ProviderSetup::Open)
}

/// Sets up a provider; the caller becomes its confirmed Provider Admin.
#[server(prefix = "/api", endpoint = "providers/create")]
pub async fn create_provider(
    name: String,
    business_name: String,
    billing_email: String,
) -> Result<ProviderId, AppError> {
    use super::service::{self, NewProvider};
    use crate::auth::request::event_context;
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
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
    use crate::auth::{Capability, gate};
    let call = gate::provider(provider, Capability::ViewClients).await?;
    super::service::overview(&call.context.db, &call.access).await
}

/// The provider's Settings page (Provider Admins).
#[server(prefix = "/api", endpoint = "providers/settings")]
pub async fn get_provider_settings(
    provider: ProviderId,
) -> Result<super::types::ProviderSettings, AppError> {
    use crate::auth::{Capability, gate};
    let call = gate::provider(provider, Capability::ManageProviderSettings).await?;
    super::service::settings(&call.context.db, &call.access).await
}

/// Saves the Settings page. The checkbox arrives only when ticked (a plain form's way).
#[server(prefix = "/api", endpoint = "providers/update-settings")]
pub async fn update_provider_settings(
    provider: ProviderId,
    name: String,
    business_name: String,
    billing_email: String,
    #[server(default)] service_users_may_purchase_seats: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    use crate::auth::{Capability, gate};
    let gate::Within { access, context } =
        gate::provider(provider, Capability::ManageProviderSettings).await?;
    let input = super::types::ProviderSettings {
        name,
        business_name,
        billing_email,
        service_users_may_purchase_seats: service_users_may_purchase_seats.is_some(),
    };
    super::service::update_settings(&context.db, &event_context(&access.actor), &access, input)
        .await
}
