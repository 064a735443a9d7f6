//! Organization pages: creating one (Password Manager) and the Admin Console's start page.

mod console;
mod events;
mod frame;
mod new_organization;
mod settings;

use leptos::prelude::*;

pub use console::ConsolePage;
pub use events::OrganizationEventsPage;
pub use frame::ConsoleNav;
pub use new_organization::NewOrganizationPage;
pub(crate) use settings::{FormPage, organization_form_data};
pub use settings::{OrganizationBillingPage, OrganizationInfoPage, OrganizationSubscriptionPage};

use super::types::{BillingCycle, Plan};
use crate::i18n::*;

/// A plan's translated name.
#[component]
pub fn PlanName(plan: Plan) -> impl IntoView {
    let i18n = use_i18n();
    // One string that follows the language, not a view type per name.
    move || match plan {
        Plan::Free => t_string!(i18n, plans.free).to_string(),
        Plan::Families => t_string!(i18n, plans.families).to_string(),
        Plan::Teams => t_string!(i18n, plans.teams).to_string(),
        Plan::Enterprise => t_string!(i18n, plans.enterprise).to_string(),
    }
}

#[component]
pub fn CycleName(cycle: BillingCycle) -> impl IntoView {
    let i18n = use_i18n();
    move || match cycle {
        BillingCycle::Monthly => t_string!(i18n, plans.monthly).to_string(),
        BillingCycle::Annual => t_string!(i18n, plans.annual).to_string(),
    }
}
