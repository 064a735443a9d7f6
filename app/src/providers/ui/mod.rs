//! Provider pages: setting one up. The Clients page lives in the `clients` domain.

mod new_provider;

pub use new_provider::NewProviderPage;
