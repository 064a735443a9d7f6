//! Provider server functions: thin, gate → service → DTO.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::types::ProviderOverview;
use crate::error::AppError;
use crate::ids::ProviderId;

/// Whether signed-in users may set up providers themselves (`PROVIDER_SETUP=open`).
#[server(prefix = "/api", endpoint = "providers/setup-open")]
pub async fn provider_setup_open() -> Result<bool, AppError> {
    let call = crate::auth::gate::account().await?;
    Ok(call.context.providers.setup == super::service::ProviderSetup::Open)
}

/// Sets up a provider; the caller becomes its confirmed Provider Admin, holding the provider
/// key their browser made (`key`, type 4 to their own public key). The browser goes on to the
/// Clients page by itself: the form needs the bundle, which makes the key.
#[server(prefix = "/api", endpoint = "providers/create", input = Json)]
pub async fn create_provider(
    name: String,
    business_name: String,
    billing_email: String,
    key: crate::crypto::WrappedKey,
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
        &key,
        &event_context(&actor),
    )
    .await?;
    Ok(id)
}

/// The provider's key, for a provider the operator's command line made (which starts without
/// one): the first Provider Admin's browser makes it, wrapped to their own public key. Once
/// only; see [`super::service::set_up_keys`].
#[server(prefix = "/api", endpoint = "providers/set-up-keys", input = Json)]
pub async fn set_up_provider_keys(
    provider: ProviderId,
    key: crate::crypto::WrappedKey,
) -> Result<(), AppError> {
    use crate::auth::{Capability, gate};
    let call = gate::provider(provider, Capability::ManageProviderSettings).await?;
    super::service::set_up_keys(
        &call.context.db,
        provider,
        call.access.actor.user_id,
        &key,
        chrono::Utc::now(),
    )
    .await
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
