use serde::{Deserialize, Serialize};

use crate::accounts::types::Named;
use crate::ids::{OrganizationId, ProviderId};

/// DESIGN.md §3 rule 11 (and Bitwarden's limit): organization names are 1–50 characters.
pub const MAX_ORGANIZATION_NAME_CHARS: usize = 50;

/// The case-folded form of a name that search and sort use (stored as `name_key`).
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

pub use crate::vocabulary::{BillingCycle, MAX_SEATS, Plan};

/// What the Admin Console shows on its start page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationOverview {
    pub id: OrganizationId,
    pub name: String,
    pub billing_email: String,
    pub plan: Plan,
    pub billing_cycle: BillingCycle,
    pub seats: i64,
    pub used: i64,
    /// The provider it is a client of, if any.
    pub provider: Option<Named<ProviderId>>,
    /// The viewer may open that provider's Clients page (a link back).
    pub viewer_in_provider: bool,
}

impl OrganizationOverview {
    pub const fn remaining(&self) -> i64 {
        self.seats - self.used
    }
}

/// A section of the Admin Console's side navigation. Each is opened by one capability, so
/// the navigation shows exactly what the guard would allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConsoleSection {
    Members,
    Collections,
    EventLogs,
    Subscription,
    BillingInformation,
    OrganizationInfo,
    Policies,
}

impl ConsoleSection {
    pub const ALL: [Self; 7] = [
        Self::Members,
        Self::Collections,
        Self::EventLogs,
        Self::Subscription,
        Self::BillingInformation,
        Self::OrganizationInfo,
        Self::Policies,
    ];
}

/// The Admin Console's frame: whose console it is, who manages it, and the sections the
/// viewer may open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleFrame {
    pub id: OrganizationId,
    pub name: String,
    pub provider: Option<Named<ProviderId>>,
    /// The viewer may open that provider's Clients page (a link back).
    pub viewer_in_provider: bool,
    pub sections: Vec<ConsoleSection>,
}

impl ConsoleFrame {
    pub fn shows(&self, section: ConsoleSection) -> bool {
        self.sections.contains(&section)
    }
}

/// Settings → Organization info. A provider's client is billed through its provider, so its
/// billing email is the provider's until it is unlinked (DESIGN.md rule 11) and not edited here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationInfo {
    pub name: String,
    pub billing_email: String,
    /// The provider it is billed through, if any.
    pub billed_through: Option<String>,
}

/// Billing → Billing information: the postal address and tax id invoices carry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationBilling {
    pub address: String,
    pub tax_id: String,
}

/// The New organization form as it was typed.
#[derive(Clone, Debug, Default)]
pub struct NewOrganizationForm {
    pub name: String,
    pub billing_email: String,
    pub plan: String,
    pub billing_cycle: String,
    pub seats: String,
}

/// A New organization form that passed every check: what the rule takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrganization {
    pub name: String,
    pub billing_email: String,
    pub plan: Plan,
    pub billing_cycle: BillingCycle,
    pub seats: crate::vocabulary::Seats,
}

impl NewOrganizationForm {
    /// Read once where the form arrives: every problem at once, each next to its field. The
    /// Owner takes the first seat, so at least one; at most the plan's limit.
    pub fn read(&self) -> Result<NewOrganization, crate::error::AppError> {
        use crate::error::{AppError, Field, Problem};
        let mut problems = crate::validate::Problems::default();
        let name = problems.check(
            Field::Name,
            crate::validate::name(&self.name, MAX_ORGANIZATION_NAME_CHARS),
        );
        let billing_email = problems.check(
            Field::BillingEmail,
            crate::validate::email(&self.billing_email),
        );
        let plan = problems.check(
            Field::Plan,
            Plan::parse(&self.plan).ok_or(Problem::Unsupported),
        );
        let billing_cycle = problems.check(
            Field::BillingCycle,
            BillingCycle::parse(&self.billing_cycle).ok_or(Problem::Unsupported),
        );
        let max = plan.map_or(MAX_SEATS, Plan::max_seats);
        let seats = problems.check(
            Field::Seats,
            crate::vocabulary::Seats::read(&self.seats).and_then(|seats| {
                if seats.get() > max {
                    Err(Problem::AboveMaximum(max))
                } else {
                    Ok(seats)
                }
            }),
        );
        problems.finish()?;
        match (name, billing_email, plan, billing_cycle, seats) {
            (Some(name), Some(billing_email), Some(plan), Some(billing_cycle), Some(seats)) => {
                Ok(NewOrganization {
                    name,
                    billing_email,
                    plan,
                    billing_cycle,
                    seats,
                })
            }
            _ => Err(AppError::Internal),
        }
    }
}
