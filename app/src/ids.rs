//! Typed ids: a `ProviderId` cannot be passed where an `OrganizationId` is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    )*};
}

id_type!(
    /// A user account.
    UserId,
    /// A signed-in session.
    SessionId,
    /// A provider (MSP, reseller).
    ProviderId,
    /// A provider's member row (`provider_users`).
    ProviderUserId,
    /// An organization, a provider's client or not.
    OrganizationId,
    /// An organization's member row (`organization_users`).
    OrganizationUserId,
    /// A vault item (`ciphers`).
    ItemId,
    /// An organization's collection of items.
    CollectionId,
    /// A user's own folder of items.
    FolderId,
    /// A member row of the place a request names (`organization_users` or `provider_users`):
    /// it means something only next to its `Place`.
    MemberId,
);

impl From<OrganizationUserId> for MemberId {
    fn from(id: OrganizationUserId) -> Self {
        Self(id.0)
    }
}

impl From<ProviderUserId> for MemberId {
    fn from(id: ProviderUserId) -> Self {
        Self(id.0)
    }
}
