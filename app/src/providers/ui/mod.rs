//! Provider pages: setting one up, and its Settings. The Clients page lives in the `clients`
//! domain, Members in `provider_members`, Event logs in `events`.

mod keys;
mod new_provider;
mod settings;

pub use keys::ProviderKeyNotice;
pub use new_provider::NewProviderPage;
pub use settings::ProviderSettingsPage;
