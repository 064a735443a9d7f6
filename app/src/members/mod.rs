//! Members of organizations and providers: types, statuses and permission flags.

pub mod types;
