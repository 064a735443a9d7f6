//! Billing → History: the invoices issued, newest first.

use leptos::prelude::*;

use super::super::api::get_billing_history;
use super::super::types::InvoiceSummary;
use crate::accounts::ui::SignInRequired;
use crate::error::AppError;
use crate::i18n::*;
use crate::ids::ProviderId;
use crate::providers::types::format_cents;
use crate::routes;
use crate::widgets::LocalTime;

use super::{PaymentNote, provider_param};

#[component]
pub fn BillingHistoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let provider = provider_param();
    let history = Resource::new_blocking(provider, |provider| async move {
        let provider = provider.ok_or(AppError::NotFound)?;
        get_billing_history(provider)
            .await
            .map(|list| (provider, list))
    });
    view! {
        <div class="page-header">
            <h1>{t!(i18n, billing.history)}</h1>
        </div>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || history.get().map(|result| match result {
                Ok((provider, invoices)) => view! { <History provider invoices /> }.into_any(),
                Err(error) => {
                    let here = provider().map(routes::provider_billing_history).unwrap_or_default();
                    view! { <SignInRequired error here /> }.into_any()
                }
            })}
        </Transition>
        <PaymentNote />
    }
}

#[component]
fn History(provider: ProviderId, invoices: Vec<InvoiceSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if invoices.is_empty() {
        return view! { <div class="empty-state"><p>{t!(i18n, billing.no_invoices)}</p></div> }
            .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, billing.period)}</th>
                        <th scope="col">{t!(i18n, billing.issued)}</th>
                        <th scope="col" class="num">{t!(i18n, billing.total)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, clients.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {invoices
                        .into_iter()
                        .map(|invoice| {
                            let page = routes::provider_invoice(provider, invoice.id);
                            let csv = routes::provider_invoice_csv(provider, invoice.id);
                            view! {
                                <tr>
                                    <th scope="row"><a href=page>{invoice.period.clone()}</a></th>
                                    <td><LocalTime at=invoice.issued_at.clone() /></td>
                                    <td class="num">{format_cents(invoice.total_cents)}</td>
                                    <td><a href=csv download="">{t!(i18n, billing.download_csv)}</a></td>
                                </tr>
                            }
                        })
                        .collect_view()
                        .into_any()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
