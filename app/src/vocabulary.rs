//! The words every domain shares: member statuses and types, a Custom member's permission
//! flags, plans and billing cycles. They sit below the domains (members, providers,
//! organizations, clients, billing, auth all use them and none owns them), and on the server
//! they are the columns' own types: SeaORM stores each as the same string as before
//! (`DeriveActiveEnum`), so rows read back typed and no service parses a status again.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use sea_orm::sea_query::StringLen;

/// A string-backed enum: serialized, stored and parsed as the given strings, compared with
/// them too (`status == "revoked"`).
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $value:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(
            feature = "ssr",
            sea_orm(rs_type = "String", db_type = "String(StringLen::None)")
        )]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                #[serde(rename = $value)]
                #[cfg_attr(feature = "ssr", sea_orm(string_value = $value))]
                $variant,
            )+
        }

        impl $name {
            pub const ALL: [Self; [$($value),+].len()] = [$(Self::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $value,)+
                }
            }

            pub fn parse(value: &str) -> Option<Self> {
                match value {
                    $($value => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

stored_enum! {
    /// Invited → Accepted → Confirmed; Revoked keeps the row and frees the seat. Only
    /// Confirmed members hold any right. Organization and provider members alike.
    pub enum MemberStatus {
        Invited = "invited",
        Accepted = "accepted",
        Confirmed = "confirmed",
        Revoked = "revoked",
    }
}

impl MemberStatus {
    /// DESIGN.md §2: every status but Revoked takes a seat.
    pub const fn takes_seat(self) -> bool {
        !matches!(self, Self::Revoked)
    }
}

stored_enum! {
    /// Organization member types (Bitwarden's old "Manager" type is gone, here too).
    pub enum OrgUserType {
        Owner = "owner",
        Admin = "admin",
        User = "user",
        Custom = "custom",
    }
}

stored_enum! {
    /// DESIGN.md §1: a Provider Admin runs everything in the provider; a Service User opens
    /// and administers its clients.
    pub enum ProviderUserType {
        ProviderAdmin = "provider_admin",
        ServiceUser = "service_user",
    }
}

stored_enum! {
    /// How an account's master key is derived from its master password (VAULT.md §1); the
    /// settings are in the columns beside it (`portal_crypto::Kdf` is the whole of it).
    pub enum KdfKind {
        Pbkdf2 = "pbkdf2",
        Argon2id = "argon2id",
    }
}

stored_enum! {
    /// The colours an account chose: the system's (light or dark as the device says), or
    /// one of the two always.
    pub enum Theme {
        System = "system",
        Light = "light",
        Dark = "dark",
    }
}

impl Theme {
    /// The `data-theme` of `<html>`: none follows the system.
    pub const fn attribute(self) -> Option<&'static str> {
        match self {
            Self::System => None,
            Self::Light => Some("light"),
            Self::Dark => Some("dark"),
        }
    }
}

/// A sane upper bound for seats: larger numbers are typing mistakes, not customers.
pub const MAX_SEATS: i64 = 100_000;

/// A number of seats a form asked for: a whole number from 1 to [`MAX_SEATS`], read once where
/// the form arrives ([`Seats::read`]). The rules take this, never the typed text; a plan's own
/// limit is theirs to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seats(i64);

impl Seats {
    pub fn read(raw: &str) -> Result<Self, crate::error::Problem> {
        crate::validate::whole_number(raw, 1, MAX_SEATS).map(Self)
    }

    /// [`Seats::read`] for a form whose only field is the seats: the problem stands next to it.
    pub fn read_field(raw: &str) -> Result<Self, crate::error::AppError> {
        Self::read(raw)
            .map_err(|problem| crate::error::AppError::field(crate::error::Field::Seats, problem))
    }

    pub const fn get(self) -> i64 {
        self.0
    }
}

stored_enum! {
    /// An organization's plan. Free and Families organizations cannot become provider clients.
    #[derive(PartialOrd, Ord)]
    pub enum Plan {
        Free = "free",
        Families = "families",
        Teams = "teams",
        Enterprise = "enterprise",
    }
}

impl Plan {
    /// The plans a provider bills for (DESIGN.md rule 8).
    pub const PROVIDER_PLANS: [Self; 2] = [Self::Teams, Self::Enterprise];

    /// The most seats the plan allows (Bitwarden: Free 2, Families 6).
    pub const fn max_seats(self) -> i64 {
        match self {
            Self::Free => 2,
            Self::Families => 6,
            Self::Teams | Self::Enterprise => MAX_SEATS,
        }
    }

    pub const fn is_provider_plan(self) -> bool {
        matches!(self, Self::Teams | Self::Enterprise)
    }
}

stored_enum! {
    pub enum BillingCycle {
        Monthly = "monthly",
        Annual = "annual",
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

/// Where members belong: an organization or a provider. One membership code path serves both
/// (`members`); what differs between them is data on this type. Forms and URLs carry it as
/// `o-{id}` / `p-{id}`, like invitations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Place {
    Organization(crate::ids::OrganizationId),
    Provider(crate::ids::ProviderId),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Organization(id) => write!(f, "o-{id}"),
            Self::Provider(id) => write!(f, "p-{id}"),
        }
    }
}

impl std::str::FromStr for Place {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let parsed = match value.split_once('-') {
            Some(("o", id)) => id.parse().ok().map(Self::Organization),
            Some(("p", id)) => id.parse().ok().map(Self::Provider),
            _ => None,
        };
        parsed.ok_or_else(|| format!("not a place: {value}"))
    }
}

impl From<Place> for String {
    fn from(place: Place) -> Self {
        place.to_string()
    }
}

impl TryFrom<String> for Place {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

/// A member's type in either place. Their strings differ, so one form field and one column
/// reader take both; each place offers only its own ([`MemberType::of_place`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MemberType {
    Organization(OrgUserType),
    Provider(ProviderUserType),
}

impl MemberType {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Organization(t) => t.as_str(),
            Self::Provider(t) => t.as_str(),
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        OrgUserType::parse(value)
            .map(Self::Organization)
            .or_else(|| ProviderUserType::parse(value).map(Self::Provider))
    }

    /// The types of `place`, in the order a form offers them (least rights first).
    pub const fn of_place(place: Place) -> &'static [Self] {
        match place {
            Place::Organization(_) => &[
                Self::Organization(OrgUserType::User),
                Self::Organization(OrgUserType::Custom),
                Self::Organization(OrgUserType::Admin),
                Self::Organization(OrgUserType::Owner),
            ],
            Place::Provider(_) => &[
                Self::Provider(ProviderUserType::ServiceUser),
                Self::Provider(ProviderUserType::ProviderAdmin),
            ],
        }
    }

    /// Whether a member of `place` can have this type.
    pub fn belongs_to(self, place: Place) -> bool {
        Self::of_place(place).contains(&self)
    }

    /// The role of the rule "a place keeps at least one confirmed …" (DESIGN.md rule 1): an
    /// organization's Owner, a provider's Provider Admin.
    pub const fn last_to_keep(place: Place) -> Self {
        match place {
            Place::Organization(_) => Self::Organization(OrgUserType::Owner),
            Place::Provider(_) => Self::Provider(ProviderUserType::ProviderAdmin),
        }
    }
}

/// Read from either member table's `type` column: the one place a stored type is parsed.
#[cfg(feature = "ssr")]
impl sea_orm::TryGetable for MemberType {
    fn try_get_by<I: sea_orm::ColIdx>(
        res: &sea_orm::QueryResult,
        index: I,
    ) -> Result<Self, sea_orm::TryGetError> {
        let value = String::try_get_by(res, index)?;
        Self::parse(&value).ok_or_else(|| {
            sea_orm::TryGetError::DbErr(sea_orm::DbErr::Type(format!("not a member type: {value}")))
        })
    }
}

#[cfg(test)]
mod place_tests {
    use super::*;
    use crate::ids::{OrganizationId, ProviderId};

    #[test]
    fn places_read_back_from_their_form_value() {
        for place in [
            Place::Organization(OrganizationId(7)),
            Place::Provider(ProviderId(12)),
        ] {
            assert_eq!(place.to_string().parse::<Place>(), Ok(place));
        }
        assert!("x-1".parse::<Place>().is_err());
        assert!("o-".parse::<Place>().is_err());
    }

    #[test]
    fn each_member_type_belongs_to_one_place() {
        let org = Place::Organization(OrganizationId(1));
        let provider = Place::Provider(ProviderId(1));
        for place in [org, provider] {
            for t in MemberType::of_place(place) {
                assert_eq!(MemberType::parse(t.as_str()), Some(*t));
                let other = if place == org { provider } else { org };
                assert!(t.belongs_to(place) && !t.belongs_to(other));
            }
        }
        assert_eq!(MemberType::parse("manager"), None);
    }
}
