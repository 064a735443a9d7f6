//! One invoice: its lines per client, totals, and the per-client CSV report.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::super::api::get_invoice;
use super::super::types::Invoice;
use crate::accounts::ui::SignInRequired;
use crate::error::AppError;
use crate::i18n::*;
use crate::ids::ProviderId;
use crate::organizations::ui::PlanName;
use crate::providers::types::format_cents;
use crate::routes;
use crate::widgets::LocalTime;

use super::PaymentNote;

#[component]
pub fn InvoicePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let ids = move || {
        params.with(|p| {
            let provider = p.get("provider")?.parse::<ProviderId>().ok()?;
            let invoice = p.get("invoice")?.parse::<i64>().ok()?;
            Some((provider, invoice))
        })
    };
    let invoice = Resource::new_blocking(ids, |ids| async move {
        let (provider, invoice) = ids.ok_or(AppError::NotFound)?;
        get_invoice(provider, invoice).await
    });
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || invoice.get().map(|result| match result {
                Ok(invoice) => view! { <InvoiceView invoice /> }.into_any(),
                Err(error) => {
                    let here = ids().map(|(p, i)| routes::provider_invoice(p, i)).unwrap_or_default();
                    view! { <SignInRequired error here /> }.into_any()
                }
            })}
        </Transition>
    }
}

/// The per-client report: a printable page (the browser's print, with print styles).
#[component]
fn InvoiceView(invoice: Invoice) -> impl IntoView {
    let i18n = use_i18n();
    let csv = routes::provider_invoice_csv(invoice.provider, invoice.summary.id);
    let total = format_cents(invoice.summary.total_cents);
    let period = invoice.summary.period.clone();
    let billed = invoice.billed_to.clone();
    view! {
        <article class="invoice">
            <div class="page-header">
                <div>
                    <p class="eyebrow">{billed.name.clone()}</p>
                    <h1>{t!(i18n, billing.invoice_title, period = move || period.clone())}</h1>
                    <p class="muted">
                        {t!(i18n, billing.issued)} " " <LocalTime at=invoice.summary.issued_at.clone() />
                    </p>
                    <address class="billed-to" data-testid="billed-to">
                        {(!billed.business_name.is_empty()).then(|| view! { <span>{billed.business_name.clone()}</span><br /> })}
                        <span>{billed.billing_email.clone()}</span>
                        {(!billed.address.is_empty()).then(|| view! { <br /><span class="address-lines">{billed.address.clone()}</span> })}
                        {(!billed.tax_id.is_empty()).then(|| {
                            let tax_id = billed.tax_id.clone();
                            view! { <br /><span>{t!(i18n, billing.tax_id)} ": " {tax_id}</span> }
                        })}
                    </address>
                </div>
                <div class="page-actions no-print">
                    <a class="button" href=csv download="">{t!(i18n, billing.download_csv)}</a>
                    <a class="button" href=routes::provider_billing_history(invoice.provider)>{t!(i18n, billing.history)}</a>
                </div>
            </div>
            // Focusable: a table that scrolls sideways must be scrollable by keyboard too.
            <div class="table-scroll" tabindex="0" role="region" aria-label=move || t_string!(i18n, billing.history)>
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, clients.column_client)}</th>
                            <th scope="col">{t!(i18n, billing.client_id)}</th>
                            <th scope="col" class="num">{t!(i18n, clients.column_assigned)}</th>
                            <th scope="col" class="num">{t!(i18n, clients.column_used)}</th>
                            <th scope="col" class="num">{t!(i18n, clients.column_remaining)}</th>
                            <th scope="col">{t!(i18n, clients.column_plan)}</th>
                            <th scope="col" class="num">{t!(i18n, billing.estimated_total)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {invoice
                            .lines
                            .into_iter()
                            .map(|line| {
                                let name = match line.client {
                                    Some(_) => line.name.clone(),
                                    None => t_string!(i18n, billing.unassigned).to_string(),
                                };
                                view! {
                                    <tr class:unassigned=line.client.is_none()>
                                        <th scope="row">{name}</th>
                                        <td>{line.client.map(|c| c.to_string()).unwrap_or_default()}</td>
                                        <td class="num">{line.assigned}</td>
                                        <td class="num">{line.used}</td>
                                        <td class="num">{line.remaining}</td>
                                        <td><PlanName plan=line.plan /></td>
                                        <td class="num">{format_cents(line.total_cents)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                            .into_any()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="6">{t!(i18n, billing.total)}</th>
                            <td class="num total">{total}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            <PaymentNote />
        </article>
    }
    .into_any()
}
