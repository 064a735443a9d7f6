//! Database migrations: append-only, one module per step, each with a `down`.
//!
//! Names follow `mYYYYMMDD_HHMMSS_verb_noun`; never edit a migration that has shipped,
//! add a new one instead.

// `#[async_trait]` methods must take `&SchemaManager` with its lifetime elided.
#![allow(elided_lifetimes_in_paths)]

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_create_v1_model;
mod m20261124_000002_create_sign_in_tables;
mod m20261125_000003_add_organization_name_key;
mod m20261126_000004_add_organization_used_seats;
mod m20261126_000005_add_organization_provider_id;
mod m20261126_000006_create_invitations;
mod m20261126_000007_make_invoices_immutable;
mod m20261126_000008_create_policies;
mod m20261127_000009_add_client_name_trigrams;
mod m20261130_000010_create_email_verifications;
mod m20261130_000011_add_invoice_billed_to;
mod m20261201_000012_add_user_theme;
mod m20261201_000013_add_user_keys;
mod m20261201_000014_add_registration_keys;
mod m20261201_000015_add_user_lock_timeout;
mod m20261201_000016_add_organization_and_provider_keys;
mod m20261202_000017_add_account_recovery_keys;
mod m20261202_000018_create_vault;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_create_v1_model::Migration),
            Box::new(m20261124_000002_create_sign_in_tables::Migration),
            Box::new(m20261125_000003_add_organization_name_key::Migration),
            Box::new(m20261126_000004_add_organization_used_seats::Migration),
            Box::new(m20261126_000005_add_organization_provider_id::Migration),
            Box::new(m20261126_000006_create_invitations::Migration),
            Box::new(m20261126_000007_make_invoices_immutable::Migration),
            Box::new(m20261126_000008_create_policies::Migration),
            Box::new(m20261127_000009_add_client_name_trigrams::Migration),
            Box::new(m20261130_000010_create_email_verifications::Migration),
            Box::new(m20261130_000011_add_invoice_billed_to::Migration),
            Box::new(m20261201_000012_add_user_theme::Migration),
            Box::new(m20261201_000013_add_user_keys::Migration),
            Box::new(m20261201_000014_add_registration_keys::Migration),
            Box::new(m20261201_000015_add_user_lock_timeout::Migration),
            Box::new(m20261201_000016_add_organization_and_provider_keys::Migration),
            Box::new(m20261202_000017_add_account_recovery_keys::Migration),
            Box::new(m20261202_000018_create_vault::Migration),
        ]
    }
}

/// Every table the migrations create, in creation order (tests check them after `up` and `down`).
pub const TABLES: &[&str] = &[
    "users",
    "sessions",
    "providers",
    "provider_users",
    "organizations",
    "organization_users",
    "provider_organizations",
    "provider_plans",
    "events",
    "invoices",
    "login_attempts",
    "invitations",
    "policies",
    "email_verifications",
    "folders",
    "ciphers",
    "cipher_folders",
    "favorites",
    "collections",
    "collection_ciphers",
    "collection_members",
];
