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
    OrganizationUserConfirmed,
    /// Type or permissions changed.
    OrganizationUserUpdated,
    OrganizationUserRemoved,
    OrganizationUserRevoked,
    OrganizationUserRestored,
    OrganizationUserRecoveryEnrolled,
    OrganizationUserRecoveryWithdrawn,
    /// An admin (or provider user) set a new password through account recovery.
    OrganizationUserPasswordReset,
    PolicyUpdated,
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
    /// Name, business name, billing email or the seat-purchase setting changed.
    ProviderUpdated,
    ProviderClientCreated,
    ProviderClientAdded,
    ProviderClientRemoved,
    /// A provider user opened the client's Admin Console (Bitwarden's "vault accessed").
    ProviderClientAccessed,
    /// An organization's item (the server never knows its name: the log shows its id and type).
    ItemCreated,
    ItemUpdated,
    /// Deleted for good (from the trash, or by an admin).
    ItemDeleted,
    /// A personal item moved into the organization.
    ItemMovedToOrganization,
    ItemCollectionsChanged,
    ItemTrashed,
    ItemRestored,
    CollectionCreated,
    /// Renamed, or members' access changed.
    CollectionUpdated,
    CollectionDeleted,
    /// Items imported into the organization (by its own admins, or by a provider's user: then
    /// in the provider's log too). Details: how many, and the file's format.
    VaultImported,
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
            Self::OrganizationUserConfirmed => 1501,
            Self::OrganizationUserUpdated => 1502,
            Self::OrganizationUserRemoved => 1503,
            Self::OrganizationUserRevoked => 1511,
            Self::OrganizationUserRestored => 1512,
            Self::OrganizationUserRecoveryEnrolled => 1506,
            Self::OrganizationUserRecoveryWithdrawn => 1507,
            Self::OrganizationUserPasswordReset => 1508,
            Self::PolicyUpdated => 1700,
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
            Self::ProviderUpdated => 1897,
            Self::ProviderClientCreated => 1900,
            Self::ProviderClientAdded => 1901,
            Self::ProviderClientRemoved => 1902,
            Self::ProviderClientAccessed => 1903,
            Self::ItemCreated => 1100,
            Self::ItemUpdated => 1101,
            Self::ItemDeleted => 1102,
            Self::ItemMovedToOrganization => 1105,
            Self::ItemCollectionsChanged => 1106,
            Self::ItemTrashed => 1115,
            Self::ItemRestored => 1116,
            Self::CollectionCreated => 1300,
            Self::CollectionUpdated => 1301,
            Self::CollectionDeleted => 1302,
            Self::VaultImported => 1692,
        }
    }

    pub const ALL: [Self; 41] = [
        Self::OrganizationUserInvited,
        Self::OrganizationUpdated,
        Self::OrganizationSeatsChanged,
        Self::OrganizationCreated,
        Self::OrganizationUserAccepted,
        Self::OrganizationUserDeclined,
        Self::OrganizationUserConfirmed,
        Self::OrganizationUserUpdated,
        Self::OrganizationUserRemoved,
        Self::OrganizationUserRevoked,
        Self::OrganizationUserRestored,
        Self::OrganizationUserRecoveryEnrolled,
        Self::OrganizationUserRecoveryWithdrawn,
        Self::OrganizationUserPasswordReset,
        Self::PolicyUpdated,
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
        Self::ProviderUpdated,
        Self::ProviderClientCreated,
        Self::ProviderClientAdded,
        Self::ProviderClientRemoved,
        Self::ProviderClientAccessed,
        Self::ItemCreated,
        Self::ItemUpdated,
        Self::ItemDeleted,
        Self::ItemMovedToOrganization,
        Self::ItemCollectionsChanged,
        Self::ItemTrashed,
        Self::ItemRestored,
        Self::CollectionCreated,
        Self::CollectionUpdated,
        Self::CollectionDeleted,
        Self::VaultImported,
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
    /// A vault item (`ciphers`).
    Item(i64),
    Collection(i64),
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
            Self::Item(_) => "cipher",
            Self::Collection(_) => "collection",
        }
    }

    pub const fn id(self) -> i64 {
        match self {
            Self::User(id)
            | Self::OrganizationMember(id)
            | Self::ProviderMember(id)
            | Self::Organization(id)
            | Self::Provider(id)
            | Self::Item(id)
            | Self::Collection(id) => id,
        }
    }
}

/// Whose log: a provider's or an organization's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LogOf {
    Provider(crate::ids::ProviderId),
    Organization(crate::ids::OrganizationId),
}

/// Events are listed by calendar day, in the viewer's time zone.
pub const EVENT_PAGE_SIZE: u32 = 50;
/// The default range: the last 30 days, today included (as Bitwarden's event logs).
pub const DEFAULT_RANGE_DAYS: i64 = 30;
/// An export covers at most a year, so one click cannot ask for the whole history.
pub const MAX_EXPORT_DAYS: i64 = 366;

/// The log's filter as the URL carries it: `from` and `to` are calendar days (`YYYY-MM-DD`,
/// both included) in the viewer's time zone, `tz` its offset east of UTC in minutes (the
/// browser fills it in; without the bundle the days are UTC days).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventQuery {
    pub from: String,
    pub to: String,
    pub tz: i32,
    pub page: u32,
}

impl EventQuery {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            from: get("from").unwrap_or_default().trim().to_owned(),
            to: get("to").unwrap_or_default().trim().to_owned(),
            // Real offsets lie within ±14 hours.
            tz: get("tz")
                .and_then(|t| t.parse().ok())
                .filter(|t: &i32| t.abs() <= 14 * 60)
                .unwrap_or(0),
            page: get("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1),
        }
    }

    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.from.is_empty() {
            pairs.push(("from", self.from.clone()));
        }
        if !self.to.is_empty() {
            pairs.push(("to", self.to.clone()));
        }
        if self.tz != 0 {
            pairs.push(("tz", self.tz.to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }
}

/// One line of an event log, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub code: i32,
    /// Who acted: name and address; none for the operator's command line.
    pub actor: Option<(String, String)>,
    /// What it was about: a member's address, an organization's name, an item's or a
    /// collection's number.
    pub target: Option<String>,
    /// An item's type (1–5), for item events: the log names the type, never the item.
    pub item_kind: Option<u8>,
    /// A changed value, before and after (seats, a name).
    pub change: Option<(String, String)>,
    /// An import: how many items, and the file's format (`portal_import::Format::slug`).
    pub imported: Option<(u32, String)>,
    pub ip: Option<String>,
}

impl EventRow {
    pub fn event(&self) -> Option<EventType> {
        EventType::from_code(self.code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPage {
    pub rows: Vec<EventRow>,
    pub page: u32,
    /// Another page follows (counting a year of events to show a total would cost more
    /// than the page itself).
    pub has_more: bool,
    /// The range shown, as days (`YYYY-MM-DD`), after defaults were filled in.
    pub from: String,
    pub to: String,
    /// The place whose log this is.
    pub name: String,
    /// The range is short enough to export (at most [`MAX_EXPORT_DAYS`]).
    pub exportable: bool,
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
