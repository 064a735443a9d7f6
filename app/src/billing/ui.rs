//! Billing pages: Subscription, Billing history, one invoice (printable, with its CSV) and
//! Billing information. Provider Admins only; everyone else gets the access message.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{
    UpdateBillingInfo, get_billing_history, get_billing_info, get_invoice, get_subscription,
};
use super::types::{
    BillingInfo, Invoice, InvoiceSummary, MAX_ADDRESS_CHARS, MAX_TAX_ID_CHARS, Subscription,
};
use crate::accounts::ui::{Saved, SignInRequired};
use crate::error::{AppError, Field, ProblemText};
use crate::i18n::*;
use crate::ids::ProviderId;
use crate::organizations::ui::PlanName;
use crate::providers::types::format_cents;
use crate::routes;
use crate::shell::{FormAlert, LocalTime, TextField, problem_of};

fn provider_param() -> impl Fn() -> Option<ProviderId> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params.with(|p| {
            p.get("provider")
                .and_then(|id| id.parse::<ProviderId>().ok())
        })
    }
}

/// Says plainly that the portal does not take payments.
#[component]
fn PaymentNote() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="muted payment-note">{t!(i18n, billing.payment_note)}</p> }
}

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
        <div class="table-scroll">
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
            <div class="table-scroll">
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

#[component]
pub fn BillingInfoPage() -> impl IntoView {
    let i18n = use_i18n();
    let provider = provider_param();
    let action = ServerAction::<UpdateBillingInfo>::new();
    let saves = crate::shell::successes(action);
    let info = Resource::new_blocking(
        move || (provider(), saves.get()),
        |(provider, _)| async move {
            let provider = provider.ok_or(AppError::NotFound)?;
            get_billing_info(provider)
                .await
                .map(|info| (provider, info))
        },
    );
    view! {
        <div class="page-header">
            <h1>{t!(i18n, billing.information)}</h1>
        </div>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || info.get().map(|result| match result {
                Ok((provider, info)) => view! { <BillingInfoForm provider info action /> }.into_any(),
                Err(error) => {
                    let here = provider().map(routes::provider_billing_information).unwrap_or_default();
                    view! { <SignInRequired error here /> }.into_any()
                }
            })}
        </Transition>
        <PaymentNote />
    }
}

#[component]
fn BillingInfoForm(
    provider: ProviderId,
    info: BillingInfo,
    action: ServerAction<UpdateBillingInfo>,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = Signal::derive(move || action.value().get());
    view! {
        <section class="panel">
            <ActionForm action>
                <input type="hidden" name="provider" value=provider.to_string() />
                <FormAlert value />
                <TextField
                    name="billing_email"
                    input_type="email"
                    required=true
                    value=info.billing_email
                    label=Signal::derive(move || t_string!(i18n, providers.billing_email).to_string())
                    problem=problem_of(value, Field::BillingEmail)
                />
                <AddressFields address=info.address tax_id=info.tax_id value />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                        {t!(i18n, provider_settings.save)}
                    </button>
                </div>
                <Saved value />
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The postal address and tax id of a billing form (a provider's or an organization's).
#[component]
pub fn AddressFields(
    address: String,
    tax_id: String,
    value: Signal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let address_problem = problem_of(value, Field::Address);
    view! {
        <div class="field" class:invalid=move || address_problem.get().is_some()>
            <label for="field-address">{t!(i18n, billing.address)}</label>
            <textarea
                id="field-address"
                name="address"
                rows="4"
                maxlength=MAX_ADDRESS_CHARS
                aria-describedby="field-address-error"
                aria-invalid=move || address_problem.get().is_some().then_some("true")
            >
                {address}
            </textarea>
            <p class="problem" id="field-address-error" role="alert">
                {move || address_problem.get().map(|problem| view! { <ProblemText problem /> })}
            </p>
        </div>
        <TextField
            name="tax_id"
            maxlength=MAX_TAX_ID_CHARS
            value=tax_id
            label=Signal::derive(move || t_string!(i18n, billing.tax_id).to_string())
            hint=move || t!(i18n, billing.tax_id_hint)
            problem=problem_of(value, Field::TaxId)
        />
    }
}
