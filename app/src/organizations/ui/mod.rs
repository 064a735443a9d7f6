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
    match plan {
        Plan::Free => t!(i18n, plans.free).into_any(),
        Plan::Families => t!(i18n, plans.families).into_any(),
        Plan::Teams => t!(i18n, plans.teams).into_any(),
        Plan::Enterprise => t!(i18n, plans.enterprise).into_any(),
    }
}

#[component]
pub fn CycleName(cycle: BillingCycle) -> impl IntoView {
    let i18n = use_i18n();
    match cycle {
        BillingCycle::Monthly => t!(i18n, plans.monthly).into_any(),
        BillingCycle::Annual => t!(i18n, plans.annual).into_any(),
    }
}
