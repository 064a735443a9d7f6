//! Policy server functions: those allowed `ManagePolicies` read and change them.

use leptos::prelude::*;

use super::types::PolicyPage;
use crate::error::AppError;
use crate::ids::OrganizationId;

#[cfg(feature = "ssr")]
use crate::auth::gate::{self, InOrganization, Within};

#[cfg(feature = "ssr")]
async fn authorize(organization: OrganizationId) -> Result<Within<InOrganization>, AppError> {
    gate::organization(organization, crate::auth::Capability::ManagePolicies).await
}

#[server(prefix = "/api", endpoint = "policies/get")]
pub async fn get_policies(organization: OrganizationId) -> Result<PolicyPage, AppError> {
    let Within { context, .. } = authorize(organization).await?;
    super::service::page(&context.db, organization).await
}

/// One policy on or off (`enabled` is a checkbox: present means on); a master-password
/// policy with its minimum length and strength; `confirm`, the box ticked to withdraw
/// recovery enrolments.
#[server(prefix = "/api", endpoint = "policies/set")]
pub async fn set_policy(
    organization: OrganizationId,
    kind: String,
    enabled: Option<String>,
    min_length: Option<String>,
    min_strength: Option<String>,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::request::event_context;
    let Within { access, context } = authorize(organization).await?;
    let change = super::service::PolicyChange {
        kind: &kind,
        enabled: enabled.is_some(),
        min_length: min_length.as_deref().unwrap_or_default(),
        min_strength: min_strength.as_deref().unwrap_or_default(),
        confirmed: confirm.is_some(),
    };
    super::service::set(&context.db, &event_context(&access.actor), &access, change).await
}
