//! Invitations as the invitee sees them: the link's page and the Password Manager's list of
//! pending invitations.

use serde::{Deserialize, Serialize};

use crate::ids::{OrganizationId, OrganizationUserId, ProviderId, ProviderUserId};
use crate::members::types::OrgUserType;
use crate::providers::types::ProviderUserType;

/// How long an invitation link works (Bitwarden: 5 days; a week spans a weekend).
pub const INVITATION_DAYS: i64 = 7;

/// What an invitation is to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationTo {
    Provider {
        member: ProviderUserId,
        provider: ProviderId,
        name: String,
        user_type: ProviderUserType,
    },
    Organization {
        member: OrganizationUserId,
        organization: OrganizationId,
        name: String,
        user_type: OrgUserType,
    },
}

/// An invitation link's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub to: InvitationTo,
    /// The address it was sent to: accepting needs an account with this address.
    pub email: String,
    /// Whether an account with that address exists (the page offers sign-in, else register).
    pub has_account: bool,
}

/// The Password Manager's pending invitations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingList {
    pub invitations: Vec<InvitationTo>,
    /// The address is not verified: the list stays empty until it is (anyone may register
    /// with any address). `mail_on`: a verification link can be mailed from the account page.
    pub unverified: Option<Unverified>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unverified {
    pub mail_on: bool,
}

/// Which pending invitation an accept or decline is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PendingRef {
    Provider(ProviderUserId),
    Organization(OrganizationUserId),
}

impl PendingRef {
    /// As a form value: `provider-3`, `organization-9`.
    pub fn to_value(self) -> String {
        match self {
            Self::Provider(id) => format!("provider-{id}"),
            Self::Organization(id) => format!("organization-{id}"),
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        let (kind, id) = value.split_once('-')?;
        match kind {
            "provider" => id.parse().ok().map(Self::Provider),
            "organization" => id.parse().ok().map(Self::Organization),
            _ => None,
        }
    }
}

/// Where an accepted invitation leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Accepted {
    Provider(ProviderId),
    Organization(OrganizationId),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_refs_read_back() {
        for pending in [
            PendingRef::Provider(ProviderUserId(3)),
            PendingRef::Organization(OrganizationUserId(9)),
        ] {
            assert_eq!(PendingRef::parse(&pending.to_value()), Some(pending));
        }
        assert_eq!(PendingRef::parse("provider-x"), None);
        assert_eq!(PendingRef::parse("vault-1"), None);
    }
}
