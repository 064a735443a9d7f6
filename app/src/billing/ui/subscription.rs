//! Billing → Subscription: the plans, seats billed and monthly totals.

use leptos::prelude::*;

use super::super::api::get_subscription;
use super::super::types::Subscription;
use crate::accounts::ui::SignInRequired;
use crate::error::AppError;
use crate::i18n::*;
use crate::organizations::ui::PlanName;
use crate::providers::types::format_cents;
use crate::routes;

use super::{PaymentNote, provider_param};

#[component]
pub fn SubscriptionPage() -> impl IntoView {
    let i18n = use_i18n();
    let provider = provider_param();
    let subscription = Resource::new_blocking(provider, |provider| async move {
        get_subscription(provider.ok_or(AppError::NotFound)?).await
    });
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || subscription.get().map(|result| match result {
                Ok(subscription) => view! { <SubscriptionTable subscription /> }.into_any(),
                Err(error) => {
                    let here = provider().map(routes::provider_subscription).unwrap_or_default();
                    view! { <SignInRequired error here /> }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn SubscriptionTable(subscription: Subscription) -> impl IntoView {
    let i18n = use_i18n();
    let total = format_cents(subscription.total_cents);
    view! {
        <div class="page-header">
            <div>
                <p class="eyebrow">{subscription.provider_name.clone()}</p>
                <h1>{t!(i18n, billing.subscription)}</h1>
            </div>
        </div>
        <p>{t!(i18n, billing.subscription_intro)}</p>
        // Focusable: a table that scrolls sideways must be scrollable by keyboard too.
        <div class="table-scroll" tabindex="0" role="region" aria-label=move || t_string!(i18n, billing.subscription)>
            <table class="data-table subscription">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, clients.column_plan)}</th>
                        <th scope="col" class="num">{t!(i18n, billing.seat_minimum)}</th>
                        <th scope="col" class="num">{t!(i18n, billing.assigned)}</th>
                        <th scope="col" class="num">{t!(i18n, billing.purchased)}</th>
                        <th scope="col" class="num">{t!(i18n, billing.price)}</th>
                        <th scope="col" class="num">{t!(i18n, billing.monthly)}</th>
                    </tr>
                </thead>
                <tbody>
                    {subscription
                        .plans
                        .into_iter()
                        .map(|plan| {
                            view! {
                                <tr>
                                    <th scope="row"><PlanName plan=plan.plan /></th>
                                    <td class="num">{plan.seat_minimum}</td>
                                    <td class="num">{plan.assigned}</td>
                                    <td class="num">{plan.purchased}</td>
                                    <td class="num">{format_cents(plan.price_cents)}</td>
                                    <td class="num">{format_cents(plan.monthly_cents)}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                        .into_any()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="5">{t!(i18n, billing.total)}</th>
                        <td class="num total">{total}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
        <PaymentNote />
    }
    .into_any()
}
