//! Billing pages: Subscription, Billing history, one invoice (printable, with its CSV) and
//! Billing information. Provider Admins only; everyone else gets the access message.

mod history;
mod information;
mod invoice;
mod subscription;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::i18n::*;
use crate::ids::ProviderId;

pub use history::BillingHistoryPage;
pub use information::{AddressFields, BillingInfoPage};
pub use invoice::InvoicePage;
pub use subscription::SubscriptionPage;

pub(super) fn provider_param() -> impl Fn() -> Option<ProviderId> + Copy + Send + Sync + 'static {
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
pub(super) fn PaymentNote() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="muted payment-note">{t!(i18n, billing.payment_note)}</p> }
}
