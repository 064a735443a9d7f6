use serde::{Deserialize, Serialize};

/// What happened. Codes follow Bitwarden's numbering where one exists (1500s organization
/// users, 1600s organizations, 1800s provider users, 1900s provider clients); the 1690s and
/// 1890s are this product's own additions, kept clear of Bitwarden's ranges
/// (1590s too: organization-user events Bitwarden has no code for).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    OrganizationUserInvited,
    OrganizationUpdated,
    OrganizationSeatsChanged,
    OrganizationCreated,
    OrganizationUserAccepted,
    OrganizationUserDeclined,
    ProviderUserInvited,
    ProviderUserConfirmed,
    ProviderUserUpdated,
    ProviderUserRemoved,
    ProviderUserAccepted,
    ProviderUserRevoked,
    ProviderUserRestored,
    ProviderUserDeclined,
    ProviderUserLeft,
    ProviderCreated,
    ProviderClientCreated,
    ProviderClientAdded,
    ProviderClientRemoved,
}

impl EventType {
    pub const fn code(self) -> i32 {
        match self {
            Self::OrganizationUserInvited => 1500,
            Self::OrganizationUpdated => 1600,
            Self::OrganizationSeatsChanged => 1690,
            Self::OrganizationCreated => 1691,
            Self::OrganizationUserAccepted => 1590,
            Self::OrganizationUserDeclined => 1591,
            Self::ProviderUserInvited => 1800,
            Self::ProviderUserConfirmed => 1801,
            Self::ProviderUserUpdated => 1802,
            Self::ProviderUserRemoved => 1803,
            Self::ProviderUserAccepted => 1892,
            Self::ProviderUserRevoked => 1893,
            Self::ProviderUserRestored => 1894,
            Self::ProviderUserDeclined => 1895,
            Self::ProviderUserLeft => 1896,
            Self::ProviderCreated => 1890,
            Self::ProviderClientCreated => 1900,
            Self::ProviderClientAdded => 1901,
            Self::ProviderClientRemoved => 1902,
        }
    }

    pub const ALL: [Self; 19] = [
        Self::OrganizationUserInvited,
        Self::OrganizationUpdated,
        Self::OrganizationSeatsChanged,
        Self::OrganizationCreated,
        Self::OrganizationUserAccepted,
        Self::OrganizationUserDeclined,
        Self::ProviderUserInvited,
        Self::ProviderUserConfirmed,
        Self::ProviderUserUpdated,
        Self::ProviderUserRemoved,
        Self::ProviderUserAccepted,
        Self::ProviderUserRevoked,
        Self::ProviderUserRestored,
        Self::ProviderUserDeclined,
        Self::ProviderUserLeft,
        Self::ProviderCreated,
        Self::ProviderClientCreated,
        Self::ProviderClientAdded,
        Self::ProviderClientRemoved,
    ];

    pub fn from_code(code: i32) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// What an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventTarget {
    User(i64),
    OrganizationMember(i64),
    ProviderMember(i64),
    Organization(i64),
    Provider(i64),
}

impl EventTarget {
    /// As stored in `events.target_kind` (at most 16 characters).
    pub const fn kind(self) -> &'static str {
        match self {
            Self::User(_) => "user",
            Self::OrganizationMember(_) => "org_user",
            Self::ProviderMember(_) => "provider_user",
            Self::Organization(_) => "organization",
            Self::Provider(_) => "provider",
        }
    }

    pub const fn id(self) -> i64 {
        match self {
            Self::User(id)
            | Self::OrganizationMember(id)
            | Self::ProviderMember(id)
            | Self::Organization(id)
            | Self::Provider(id) => id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_read_back() {
        for event in EventType::ALL {
            assert_eq!(EventType::from_code(event.code()), Some(event));
        }
        let mut codes: Vec<i32> = EventType::ALL.iter().map(|e| e.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), EventType::ALL.len());
    }

    #[test]
    fn target_kinds_fit_their_column() {
        for target in [
            EventTarget::User(1),
            EventTarget::OrganizationMember(1),
            EventTarget::ProviderMember(1),
            EventTarget::Organization(1),
            EventTarget::Provider(1),
        ] {
            assert!(target.kind().len() <= 16, "{target:?}");
        }
    }
}
