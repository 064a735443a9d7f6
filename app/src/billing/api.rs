//! Billing server functions: Provider Admins only (`ManageProviderBilling`).

use leptos::prelude::*;

use super::types::{BillingInfo, Invoice, InvoiceSummary, Subscription};
use crate::error::AppError;
use crate::ids::ProviderId;

#[cfg(feature = "ssr")]
async fn authorize(
    provider: ProviderId,
) -> Result<(crate::auth::Actor, sea_orm::DatabaseConnection), AppError> {
    use crate::auth::request::{current_actor, server_context};
    use crate::auth::{Capability, Scope, require};
    let actor = current_actor().await?;
    require(
        &actor,
        Capability::ManageProviderBilling,
        Scope::Provider(provider),
    )?;
    Ok((actor, server_context()?.db))
}

#[server(prefix = "/api", endpoint = "billing/subscription")]
pub async fn get_subscription(provider: ProviderId) -> Result<Subscription, AppError> {
    let (_, db) = authorize(provider).await?;
    super::service::subscription(&db, provider).await
}

#[server(prefix = "/api", endpoint = "billing/history")]
pub async fn get_billing_history(provider: ProviderId) -> Result<Vec<InvoiceSummary>, AppError> {
    let (_, db) = authorize(provider).await?;
    super::service::history(&db, provider).await
}

#[server(prefix = "/api", endpoint = "billing/invoice")]
pub async fn get_invoice(provider: ProviderId, invoice: i64) -> Result<Invoice, AppError> {
    let (_, db) = authorize(provider).await?;
    super::service::invoice(&db, provider, invoice).await
}

#[server(prefix = "/api", endpoint = "billing/information")]
pub async fn get_billing_info(provider: ProviderId) -> Result<BillingInfo, AppError> {
    let (_, db) = authorize(provider).await?;
    super::service::billing_info(&db, provider).await
}

#[server(prefix = "/api", endpoint = "billing/update-information")]
pub async fn update_billing_info(
    provider: ProviderId,
    billing_email: String,
    address: String,
    tax_id: String,
) -> Result<(), AppError> {
    let (actor, db) = authorize(provider).await?;
    let input = BillingInfo {
        billing_email,
        address,
        tax_id,
    };
    let context = crate::auth::request::event_context(&actor);
    super::service::update_billing_info(&db, &context, provider, input).await
}
