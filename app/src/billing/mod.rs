//! Billing (Provider Portal → Billing): the subscription under consolidated billing (DESIGN.md
//! rule 8), monthly invoices (billing history, per-client report, CSV and printable page) and
//! the billing information. Payment collection is outside the product: invoices are
//! statements the operator bills from.

pub mod api;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod service;
