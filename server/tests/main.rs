//! All of the server's integration tests, as one test binary: each file is a module. Separate
//! binaries would each link the whole server (about 3 GB apiece with line tables), which is what
//! filled the disk of a CI machine; one binary links once and runs every test in one pool.
#![allow(clippy::unwrap_used)]

mod support;

mod account_area;
mod accounts;
mod billing;
mod clients;
mod clients_http;
mod demo_data;
mod events;
mod http;
mod migrations;
mod org_members;
mod org_members_http;
mod policies;
mod provider_members;
mod provider_members_http;
mod recovery;
mod startup;
