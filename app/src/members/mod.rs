//! Members of organizations and providers: types, statuses and permission flags, and their
//! translated names.

pub mod types;
pub mod ui;
