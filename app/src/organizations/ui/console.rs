//! `/organizations/{id}`: the Admin Console's start page: the organization and its subscription
//! figures (who manages a client, with the way back, is in the console's side navigation).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{CycleName, PlanName};
use crate::accounts::ui::SignInRequired;
use crate::i18n::*;
use crate::ids::OrganizationId;
use crate::organizations::api::get_organization_overview;
use crate::organizations::types::OrganizationOverview;
use crate::routes;

#[component]
pub fn ConsolePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let organization = move || {
        params.with(|p| {
            p.get("organization")
                .and_then(|id| id.parse::<OrganizationId>().ok())
        })
    };
    let overview = Resource::new_blocking(organization, |organization| async move {
        match organization {
            Some(organization) => get_organization_overview(organization).await,
            None => Err(crate::AppError::NotFound),
        }
    });
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                overview
                    .get()
                    .map(|result| match result {
                        Ok(overview) => view! { <Console overview /> }.into_any(),
                        Err(error) => {
                            let here = organization()
                                .map(routes::organization_console)
                                .unwrap_or_else(|| routes::HOME.to_owned());
                            view! { <SignInRequired error here /> }.into_any()
                        }
                    })
            }}
        </Transition>
    }
}

#[component]
fn Console(overview: OrganizationOverview) -> impl IntoView {
    let i18n = use_i18n();
    let remaining = overview.remaining();
    view! {
        <div class="page-header">
            <div>
                <p class="eyebrow">{t!(i18n, topbar.admin_console)}</p>
                <h1>{overview.name.clone()}</h1>
            </div>
        </div>
        <section class="panel" aria-labelledby="subscription-heading">
            <h2 id="subscription-heading">{t!(i18n, organizations.subscription)}</h2>
            <dl class="figures">
                <div><dt>{t!(i18n, organizations.plan)}</dt><dd><PlanName plan=overview.plan /> " · " <CycleName cycle=overview.billing_cycle /></dd></div>
                <div><dt>{t!(i18n, clients.column_assigned)}</dt><dd>{overview.seats}</dd></div>
                <div><dt>{t!(i18n, clients.column_used)}</dt><dd>{overview.used}</dd></div>
                <div><dt>{t!(i18n, clients.column_remaining)}</dt><dd>{remaining}</dd></div>
                <div><dt>{t!(i18n, organizations.billing_email)}</dt><dd>{overview.billing_email.clone()}</dd></div>
            </dl>
        </section>
    }
}
