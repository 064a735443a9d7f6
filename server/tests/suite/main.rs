//! The server's tests, linked as one binary: every test file here is a module of it. One link
//! instead of one per file keeps a change's rebuild short and the target small. Run them with
//! `cargo nextest run` (the test command does): each test in a process of its own, so no two
//! tests share Leptos's process-wide rendering state.

mod support;

mod account_area;
mod accounts;
mod billing;
mod clients;
mod clients_http;
mod confirm_keys;
mod demo_data;
mod endpoints;
mod events;
mod hardening;
mod http;
mod instances;
mod migrations;
mod org_members;
mod org_members_http;
mod policies;
mod prelogin;
mod provider_keys;
mod provider_members;
mod provider_members_http;
mod recovery;
mod startup;
mod vault_import;
mod vault_items;
mod vault_org;
mod vault_schema;
mod verification;
mod zero_knowledge;
