use serde::{Deserialize, Serialize};

pub use crate::vocabulary::ProviderUserType;

/// Provider names follow organization names: 1–50 characters.
pub const MAX_PROVIDER_NAME_CHARS: usize = 50;
pub const MAX_BUSINESS_NAME_CHARS: usize = 100;

/// What a provider pays for one client plan (DESIGN.md rule 8): billed seats are
/// max(seat minimum, assigned seats of the clients on the plan).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanTerms {
    pub plan: crate::organizations::types::Plan,
    pub seat_minimum: i64,
    /// Per seat per month, in cents.
    pub price_cents: i64,
}

/// Formats cents as a price with two decimals ("4.00"); the currency is the operator's.
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// The Provider Portal's frame: the provider and what the viewer may do in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderOverview {
    pub id: crate::ids::ProviderId,
    pub name: String,
    /// Provider Admin: New client, Add existing organization, Unlink.
    pub may_manage_clients: bool,
    pub plans: Vec<PlanTerms>,
    /// DESIGN.md rule 4: the viewer is a confirmed Owner of an organization that may be added.
    pub has_eligible_organizations: bool,
    /// The provider's key exists (a provider the command line made has none until its first
    /// admin's visit sets it up).
    pub keys_ready: bool,
    /// The viewer is a Provider Admin, who may set the key up.
    pub may_set_up_keys: bool,
    /// The viewer's copy of the provider key (type 4 to their public key), which their browser
    /// opens to make a new client's keys. `None` until the key is set up and handed to them.
    pub my_key: Option<crate::crypto::WrappedKey>,
}

/// The provider's Settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSettings {
    pub name: String,
    pub business_name: String,
    pub billing_email: String,
    /// DESIGN.md rule 8: Service Users may raise a client's seats above the plan's minimum.
    pub service_users_may_purchase_seats: bool,
}

#[cfg(test)]
mod tests {
    use super::format_cents;

    #[test]
    fn cents_are_formatted_with_two_decimals() {
        assert_eq!(format_cents(400), "4.00");
        assert_eq!(format_cents(1205), "12.05");
        assert_eq!(format_cents(0), "0.00");
        assert_eq!(format_cents(-50), "-0.50");
    }
}
