//! Admin Console → Reporting → Event logs: the provider's log component, for one organization.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::events::types::LogOf;
use crate::events::ui::EventLog;
use crate::ids::OrganizationId;

#[component]
pub fn OrganizationEventsPage() -> impl IntoView {
    let params = use_params_map();
    let organization = move || {
        params.with(|p| {
            p.get("organization")
                .and_then(|id| id.parse::<OrganizationId>().ok())
        })
    };
    move || match organization() {
        Some(organization) => {
            view! { <EventLog log=LogOf::Organization(organization) /> }.into_any()
        }
        None => view! { <crate::shell::NotFound /> }.into_any(),
    }
}
