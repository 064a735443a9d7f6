use serde::{Deserialize, Serialize};

use crate::accounts::types::Named;
use crate::ids::{OrganizationId, ProviderId};

/// DESIGN.md §3 rule 11 (and Bitwarden's limit): organization names are 1–50 characters.
pub const MAX_ORGANIZATION_NAME_CHARS: usize = 50;
/// A sane upper bound for seats: larger numbers are typing mistakes, not customers.
pub const MAX_SEATS: i64 = 100_000;

/// The case-folded form of a name that search and sort use (stored as `name_key`).
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// An organization's plan. Free and Families organizations cannot become provider clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    Free,
    Families,
    Teams,
    Enterprise,
}

impl Plan {
    pub const ALL: [Self; 4] = [Self::Free, Self::Families, Self::Teams, Self::Enterprise];
    /// The plans a provider bills for (DESIGN.md rule 8).
    pub const PROVIDER_PLANS: [Self; 2] = [Self::Teams, Self::Enterprise];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Families => "families",
            Self::Teams => "teams",
            Self::Enterprise => "enterprise",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == value)
    }

    /// The most seats the plan allows (Bitwarden: Free 2, Families 6).
    pub const fn max_seats(self) -> i64 {
        match self {
            Self::Free => 2,
            Self::Families => 6,
            Self::Teams | Self::Enterprise => MAX_SEATS,
        }
    }

    pub const fn is_provider_plan(self) -> bool {
        matches!(self, Self::Teams | Self::Enterprise)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingCycle {
    Monthly,
    Annual,
}

impl BillingCycle {
    pub const ALL: [Self; 2] = [Self::Monthly, Self::Annual];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
            Self::Annual => "annual",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

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
    EventLogs,
    Subscription,
    BillingInformation,
    OrganizationInfo,
    Policies,
}

impl ConsoleSection {
    pub const ALL: [Self; 6] = [
        Self::Members,
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
