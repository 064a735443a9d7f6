//! Consolidated billing (DESIGN.md rule 8): per client plan, billed seats are
//! max(seat minimum, seats assigned across the provider's clients); seats above the minimum
//! are purchased. Invoices are monthly statements, generated once and never edited.

use serde::{Deserialize, Serialize};

use crate::ids::{OrganizationId, ProviderId};
use crate::organizations::types::Plan;

/// One plan of the provider's subscription.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSubscription {
    pub plan: Plan,
    pub seat_minimum: i64,
    /// Σ assigned seats of the clients on this plan.
    pub assigned: i64,
    /// Seats above the minimum.
    pub purchased: i64,
    /// What is billed: max(minimum, assigned).
    pub billed: i64,
    /// Per seat per month.
    pub price_cents: i64,
    pub monthly_cents: i64,
}

impl PlanSubscription {
    pub fn new(plan: Plan, seat_minimum: i64, assigned: i64, price_cents: i64) -> Self {
        let billed = seat_minimum.max(assigned);
        Self {
            plan,
            seat_minimum,
            assigned,
            purchased: (assigned - seat_minimum).max(0),
            billed,
            price_cents,
            monthly_cents: billed * price_cents,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub provider_name: String,
    pub plans: Vec<PlanSubscription>,
    pub total_cents: i64,
}

/// One line of an invoice: a client, or the seats of a plan's minimum no client uses yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// `None` on an "Unassigned seats" line.
    pub client: Option<OrganizationId>,
    pub name: String,
    pub plan: Plan,
    pub assigned: i64,
    pub used: i64,
    pub remaining: i64,
    pub price_cents: i64,
    pub total_cents: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    pub id: i64,
    /// `YYYY-MM`.
    pub period: String,
    pub total_cents: i64,
    /// RFC 3339.
    pub issued_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub summary: InvoiceSummary,
    pub provider: ProviderId,
    /// As issued (or, for invoices older than that record, the provider's details now).
    pub billed_to: BilledTo,
    pub lines: Vec<InvoiceLine>,
}

/// Who an invoice is addressed to, kept as it was when the invoice was issued.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BilledTo {
    pub name: String,
    pub business_name: String,
    pub billing_email: String,
    pub address: String,
    pub tax_id: String,
}

/// Where invoices go: the billing address and tax id beside the billing email.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingInfo {
    pub billing_email: String,
    pub address: String,
    pub tax_id: String,
}

pub const MAX_ADDRESS_CHARS: usize = 500;
pub const MAX_TAX_ID_CHARS: usize = 32;

/// A tax id as tax authorities write them: letters, digits, spaces, `.`, `-`, `/`.
pub fn plausible_tax_id(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billed_seats_are_the_minimum_or_the_assigned_whichever_is_more() {
        let under = PlanSubscription::new(Plan::Teams, 10, 4, 400);
        assert_eq!(
            (under.billed, under.purchased, under.monthly_cents),
            (10, 0, 4000)
        );
        let over = PlanSubscription::new(Plan::Enterprise, 10, 25, 600);
        assert_eq!(
            (over.billed, over.purchased, over.monthly_cents),
            (25, 15, 15000)
        );
    }

    #[test]
    fn tax_ids_allow_what_authorities_print() {
        assert!(plausible_tax_id("NL 8594.32.711.B01"));
        assert!(plausible_tax_id("GB123456789"));
        assert!(!plausible_tax_id("<script>"));
    }
}
