use serde::{Deserialize, Serialize};

pub use crate::vocabulary::{MemberStatus, OrgUserType, Permissions};

/// How many addresses one invitation form may carry (Bitwarden allows 20 at a time).
pub const MAX_INVITES: usize = 20;

pub const MEMBER_PAGE_SIZE: u32 = 50;

/// The list's filter tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StatusFilter {
    #[default]
    All,
    Only(MemberStatus),
}

impl StatusFilter {
    pub const TABS: [Self; 5] = [
        Self::All,
        Self::Only(MemberStatus::Invited),
        Self::Only(MemberStatus::Accepted),
        Self::Only(MemberStatus::Confirmed),
        Self::Only(MemberStatus::Revoked),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Only(status) => status.as_str(),
        }
    }

    /// Anything unknown shows every member.
    pub fn parse(value: &str) -> Self {
        MemberStatus::parse(value).map_or(Self::All, Self::Only)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberQuery {
    pub status: StatusFilter,
    pub search: String,
    pub page: u32,
}

impl MemberQuery {
    /// From the page's URL (`status`, `q`, `page`); anything unknown falls back to defaults.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            status: get("status")
                .map(|s| StatusFilter::parse(&s))
                .unwrap_or_default(),
            search: get("q").unwrap_or_default(),
            page: get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        }
        .normalized()
    }

    /// The URL's query string; defaults are left out.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if self.status != StatusFilter::All {
            pairs.push(("status", self.status.as_str().to_owned()));
        }
        if !self.search.is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }

    /// Page 1 and a trimmed search whatever arrived.
    pub fn normalized(&self) -> Self {
        Self {
            status: self.status,
            search: self.search.trim().chars().take(100).collect(),
            page: self.page.max(1),
        }
    }
}

/// How many members each tab holds (for the counts on the tabs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub invited: u64,
    pub accepted: u64,
    pub confirmed: u64,
    pub revoked: u64,
}

impl StatusCounts {
    pub fn of(&self, filter: StatusFilter) -> u64 {
        match filter {
            StatusFilter::All => self.invited + self.accepted + self.confirmed + self.revoked,
            StatusFilter::Only(MemberStatus::Invited) => self.invited,
            StatusFilter::Only(MemberStatus::Accepted) => self.accepted,
            StatusFilter::Only(MemberStatus::Confirmed) => self.confirmed,
            StatusFilter::Only(MemberStatus::Revoked) => self.revoked,
        }
    }
}

/// The actions a member row (or a selection of rows) offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MemberAction {
    Confirm,
    Revoke,
    Restore,
    Remove,
    /// A new invitation link (the old one stops working), mailed when mail is on.
    Reinvite,
}

impl MemberAction {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Revoke => "revoke",
            Self::Restore => "restore",
            Self::Remove => "remove",
            Self::Reinvite => "reinvite",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::Confirm,
            Self::Revoke,
            Self::Restore,
            Self::Remove,
            Self::Reinvite,
        ]
        .into_iter()
        .find(|a| a.as_str() == value)
    }

    /// Whether the action makes sense for a member in `status` (the row menu offers only
    /// these; the server checks again).
    pub const fn applies_to(self, status: MemberStatus) -> bool {
        match self {
            Self::Confirm => matches!(status, MemberStatus::Accepted),
            Self::Revoke => !matches!(status, MemberStatus::Revoked),
            Self::Restore => matches!(status, MemberStatus::Revoked),
            Self::Remove => true,
            Self::Reinvite => matches!(status, MemberStatus::Invited),
        }
    }
}

/// A bulk form as posted, for either scope: the action, and the selection as comma-separated
/// ids (so a plain form can post it). An unknown action is refused next to the type field;
/// an id that is not one is not found.
pub fn parse_bulk<I: std::str::FromStr>(
    action: &str,
    members: &str,
) -> Result<(MemberAction, Vec<I>), crate::error::AppError> {
    use crate::error::{AppError, Field, Problem};
    let action = MemberAction::parse(action)
        .ok_or_else(|| AppError::field(Field::MemberType, Problem::Unsupported))?;
    let members = members
        .split(',')
        .map(|id| id.trim().parse().map_err(|_| AppError::NotFound))
        .collect::<Result<_, _>>()?;
    Ok((action, members))
}

/// Splits what was typed into addresses: commas, semicolons, spaces and new lines separate.
/// The form uses it too, to show each address's problem next to it.
pub fn split_emails(raw: &str) -> Vec<&str> {
    raw.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect()
}

/// The Admin Console's filter tabs (Bitwarden's: all, invited, needs confirmation, revoked).
pub const ORGANIZATION_TABS: [StatusFilter; 4] = [
    StatusFilter::All,
    StatusFilter::Only(MemberStatus::Invited),
    StatusFilter::Only(MemberStatus::Accepted),
    StatusFilter::Only(MemberStatus::Revoked),
];

/// One member of an organization, as its Members page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgMemberRow {
    pub id: crate::ids::OrganizationUserId,
    pub email: String,
    /// The account's name once the invitation was accepted.
    pub name: Option<String>,
    pub user_type: OrgUserType,
    pub permissions: Permissions,
    pub status: MemberStatus,
    /// The member's account has two-step login on.
    pub two_step: bool,
    /// Enrolled in account recovery (an admin may reset the password).
    pub recovery_enrolled: bool,
    pub is_self: bool,
}

/// What the viewer may do on the Members page beyond managing ordinary members.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRights {
    /// Invite, change or remove Owners.
    pub manage_owners: bool,
    /// Add seats (the invitation dialog links there when seats run out).
    pub manage_seats: bool,
    /// The viewer is an Admin or more (may make Admins); Custom users may not.
    pub grant_admin: bool,
    /// The Custom flags the viewer may grant: those it holds itself.
    pub grantable: Permissions,
    /// Reset enrolled members' passwords: the viewer may, and the policy is on.
    pub recover: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgMemberPage {
    pub organization_name: String,
    pub rows: Vec<OrgMemberRow>,
    /// Rows matching filter and search.
    pub total: u64,
    pub page: u32,
    pub counts: StatusCounts,
    pub seats: i64,
    pub used: i64,
    /// The two-step login policy is on: members without it (Owners and Admins aside) are
    /// locked out, and the list says so.
    pub two_step_required: bool,
    pub rights: MemberRights,
}

impl OrgMemberPage {
    pub const fn remaining(&self) -> i64 {
        self.seats - self.used
    }
}

/// What one invited address came to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invited {
    pub email: String,
    /// The invitation link, when no mail carried it (mail off, or the SMTP server failed):
    /// the inviter passes it on.
    pub link: Option<String>,
}

/// One row's result in a bulk action on provider or organization members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowOutcome<I> {
    pub member: I,
    pub email: String,
    pub result: Result<(), crate::error::AppError>,
    /// A re-invitation's link when no mail carried it.
    pub link: Option<String>,
}

pub type OrgRowOutcome = RowOutcome<crate::ids::OrganizationUserId>;

/// Reads the flags a form sent (`permission` values, each a flag's name).
pub fn parse_permissions(names: &[String]) -> Option<Permissions> {
    names.iter().try_fold(Permissions::empty(), |all, name| {
        Permissions::ALL
            .into_iter()
            .find(|flag| flag.name() == name)
            .map(|flag| all.union(flag))
    })
}

impl Permissions {
    /// The flag's name in forms and URLs.
    pub const fn name(self) -> &'static str {
        match self.0 {
            1 => "access_event_logs",
            2 => "access_import_export",
            4 => "access_reports",
            8 => "manage_users",
            16 => "manage_account_recovery",
            32 => "manage_groups",
            64 => "manage_policies",
            128 => "create_collections",
            256 => "edit_any_collection",
            512 => "delete_any_collection",
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_names_read_back() {
        let names: Vec<String> = Permissions::ALL
            .iter()
            .map(|f| f.name().to_owned())
            .collect();
        let all = parse_permissions(&names);
        assert!(
            Permissions::ALL
                .iter()
                .all(|f| all.is_some_and(|a| a.contains(*f)))
        );
        assert_eq!(parse_permissions(&[]), Some(Permissions::empty()));
        assert_eq!(parse_permissions(&["root".to_owned()]), None);
    }

    #[test]
    fn addresses_split_on_commas_semicolons_and_space() {
        assert_eq!(
            split_emails(" a@x.example, b@x.example;c@x.example\n\nd@x.example  "),
            vec!["a@x.example", "b@x.example", "c@x.example", "d@x.example"]
        );
        assert!(split_emails(" ,\n ").is_empty());
    }

    #[test]
    fn queries_read_back_from_their_url() {
        let query = MemberQuery {
            status: StatusFilter::Only(MemberStatus::Accepted),
            search: "anna".into(),
            page: 3,
        };
        let params: Vec<(String, String)> =
            form_urlencoded::parse(query.to_query_string().as_bytes())
                .into_owned()
                .collect();
        let read = MemberQuery::from_params(|k| {
            params
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(read, query);
        assert_eq!(MemberQuery::default().to_query_string(), "");
    }

    #[test]
    fn actions_apply_to_the_statuses_they_change() {
        assert!(MemberAction::Confirm.applies_to(MemberStatus::Accepted));
        assert!(!MemberAction::Confirm.applies_to(MemberStatus::Invited));
        assert!(MemberAction::Restore.applies_to(MemberStatus::Revoked));
        assert!(!MemberAction::Revoke.applies_to(MemberStatus::Revoked));
        for action in [
            MemberAction::Confirm,
            MemberAction::Revoke,
            MemberAction::Restore,
            MemberAction::Remove,
            MemberAction::Reinvite,
        ] {
            assert_eq!(MemberAction::parse(action.as_str()), Some(action));
        }
    }

    #[test]
    fn a_bulk_form_names_its_action_and_selection() {
        use crate::error::{AppError, Field, Problem};
        use crate::ids::ProviderUserId;
        assert_eq!(
            parse_bulk::<ProviderUserId>("revoke", "4, 7"),
            Ok((
                MemberAction::Revoke,
                vec![ProviderUserId(4), ProviderUserId(7)]
            ))
        );
        assert_eq!(
            parse_bulk::<ProviderUserId>("promote", "4"),
            Err(AppError::field(Field::MemberType, Problem::Unsupported))
        );
        assert_eq!(
            parse_bulk::<ProviderUserId>("remove", "4,x"),
            Err(AppError::NotFound)
        );
    }
}

/// An organization the viewer belongs to, for the Password Manager's memberships page, with
/// its account-recovery enrolment (which the member chooses while the policy is on).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgMembership {
    pub organization: crate::ids::OrganizationId,
    pub name: String,
    pub user_type: OrgUserType,
    pub status: MemberStatus,
    /// The organization's account-recovery policy is on.
    pub recovery_policy: bool,
    pub recovery_enrolled: bool,
    /// The organization requires two-step login and the viewer has it off: locked out.
    pub two_step_blocked: bool,
}
