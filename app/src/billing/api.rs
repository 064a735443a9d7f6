//! Billing server functions: Provider Admins only (`ManageProviderBilling`).

use leptos::prelude::*;

use super::types::{BillingInfo, Invoice, InvoiceSummary, Subscription};
#[cfg(feature = "ssr")]
use crate::auth::{Capability, gate};
use crate::error::AppError;
use crate::ids::ProviderId;

#[server(prefix = "/api", endpoint = "billing/subscription")]
pub async fn get_subscription(provider: ProviderId) -> Result<Subscription, AppError> {
    let call = gate::provider(provider, Capability::ManageProviderBilling).await?;
    super::service::subscription(&call.context.db, &call.access).await
}

#[server(prefix = "/api", endpoint = "billing/history")]
pub async fn get_billing_history(provider: ProviderId) -> Result<Vec<InvoiceSummary>, AppError> {
    let call = gate::provider(provider, Capability::ManageProviderBilling).await?;
    super::service::history(&call.context.db, &call.access).await
}

#[server(prefix = "/api", endpoint = "billing/invoice")]
pub async fn get_invoice(provider: ProviderId, invoice: i64) -> Result<Invoice, AppError> {
    let call = gate::provider(provider, Capability::ManageProviderBilling).await?;
    super::service::invoice(&call.context.db, &call.access, invoice).await
}

#[server(prefix = "/api", endpoint = "billing/information")]
pub async fn get_billing_info(provider: ProviderId) -> Result<BillingInfo, AppError> {
    let call = gate::provider(provider, Capability::ManageProviderBilling).await?;
    super::service::billing_info(&call.context.db, &call.access).await
}

#[server(prefix = "/api", endpoint = "billing/update-information")]
pub async fn update_billing_info(
    provider: ProviderId,
    billing_email: String,
    address: String,
    tax_id: String,
) -> Result<(), AppError> {
    let gate::Within { access, context } =
        gate::provider(provider, Capability::ManageProviderBilling).await?;
    let input = BillingInfo {
        billing_email,
        address,
        tax_id,
    };
    let events = crate::auth::request::event_context(&access.actor);
    super::service::update_billing_info(&context.db, &events, &access, input).await
}
