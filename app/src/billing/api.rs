//! Billing server functions: Provider Admins only (`ManageProviderBilling`).

use leptos::prelude::*;

use super::types::{BillingInfo, Invoice, InvoiceSummary, Subscription};
#[cfg(feature = "ssr")]
use crate::auth::{Capability, gate};
use crate::error::AppError;
use crate::ids::ProviderId;

#[server(prefix = "/api", endpoint = "billing/subscription")]
pub async fn get_subscription(provider: ProviderId) -> Result<Subscription, AppError> {
    let db = gate::provider(provider, Capability::ManageProviderBilling)
        .await?
        .context
        .db;
    super::service::subscription(&db, provider).await
}

#[server(prefix = "/api", endpoint = "billing/history")]
pub async fn get_billing_history(provider: ProviderId) -> Result<Vec<InvoiceSummary>, AppError> {
    let db = gate::provider(provider, Capability::ManageProviderBilling)
        .await?
        .context
        .db;
    super::service::history(&db, provider).await
}

#[server(prefix = "/api", endpoint = "billing/invoice")]
pub async fn get_invoice(provider: ProviderId, invoice: i64) -> Result<Invoice, AppError> {
    let db = gate::provider(provider, Capability::ManageProviderBilling)
        .await?
        .context
        .db;
    super::service::invoice(&db, provider, invoice).await
}

#[server(prefix = "/api", endpoint = "billing/information")]
pub async fn get_billing_info(provider: ProviderId) -> Result<BillingInfo, AppError> {
    let db = gate::provider(provider, Capability::ManageProviderBilling)
        .await?
        .context
        .db;
    super::service::billing_info(&db, provider).await
}

#[server(prefix = "/api", endpoint = "billing/update-information")]
pub async fn update_billing_info(
    provider: ProviderId,
    billing_email: String,
    address: String,
    tax_id: String,
) -> Result<(), AppError> {
    let gate::InProvider { actor, context, .. } =
        gate::provider(provider, Capability::ManageProviderBilling).await?;
    let input = BillingInfo {
        billing_email,
        address,
        tax_id,
    };
    let events = crate::auth::request::event_context(&actor);
    super::service::update_billing_info(&context.db, &events, provider, input).await
}
