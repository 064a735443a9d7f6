use serde::{Deserialize, Serialize};

/// Invited → Accepted → Confirmed; Revoked keeps the row and frees the seat. Only Confirmed
/// members hold any right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    Invited,
    Accepted,
    Confirmed,
    Revoked,
}

impl MemberStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Accepted => "accepted",
            Self::Confirmed => "confirmed",
            Self::Revoked => "revoked",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "invited" => Some(Self::Invited),
            "accepted" => Some(Self::Accepted),
            "confirmed" => Some(Self::Confirmed),
            "revoked" => Some(Self::Revoked),
            _ => None,
        }
    }

    /// DESIGN.md §2: every status but Revoked takes a seat.
    pub const fn takes_seat(self) -> bool {
        !matches!(self, Self::Revoked)
    }
}

/// Organization member types (Bitwarden's old "Manager" type is gone, here too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgUserType {
    Owner,
    Admin,
    User,
    Custom,
}

impl OrgUserType {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::User => "user",
            Self::Custom => "custom",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "owner" => Some(Self::Owner),
            "admin" => Some(Self::Admin),
            "user" => Some(Self::User),
            "custom" => Some(Self::Custom),
            _ => None,
        }
    }
}

/// The permission flags of a Custom member, stored as a bit set (`organization_users.permissions`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Permissions(pub i64);

impl Permissions {
    pub const ACCESS_EVENT_LOGS: Self = Self(1);
    pub const ACCESS_IMPORT_EXPORT: Self = Self(1 << 1);
    pub const ACCESS_REPORTS: Self = Self(1 << 2);
    pub const MANAGE_USERS: Self = Self(1 << 3);
    pub const MANAGE_ACCOUNT_RECOVERY: Self = Self(1 << 4);
    pub const MANAGE_GROUPS: Self = Self(1 << 5);
    pub const MANAGE_POLICIES: Self = Self(1 << 6);
    pub const CREATE_COLLECTIONS: Self = Self(1 << 7);
    pub const EDIT_ANY_COLLECTION: Self = Self(1 << 8);
    pub const DELETE_ANY_COLLECTION: Self = Self(1 << 9);

    /// Every flag, in the order the permission editor lists them.
    pub const ALL: [Self; 10] = [
        Self::ACCESS_EVENT_LOGS,
        Self::ACCESS_IMPORT_EXPORT,
        Self::ACCESS_REPORTS,
        Self::MANAGE_USERS,
        Self::MANAGE_ACCOUNT_RECOVERY,
        Self::MANAGE_GROUPS,
        Self::MANAGE_POLICIES,
        Self::CREATE_COLLECTIONS,
        Self::EDIT_ANY_COLLECTION,
        Self::DELETE_ANY_COLLECTION,
    ];

    pub const fn empty() -> Self {
        Self(0)
    }

    pub const fn contains(self, flag: Self) -> bool {
        self.0 & flag.0 == flag.0 && flag.0 != 0
    }

    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// True when `self` grants nothing beyond `other` (an Admin cannot grant more than it holds).
    pub const fn is_subset_of(self, other: Self) -> bool {
        self.0 & !other.0 == 0
    }
}
