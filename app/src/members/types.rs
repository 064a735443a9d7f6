use serde::{Deserialize, Serialize};

pub use crate::ids::MemberId;
pub use crate::vocabulary::{MemberStatus, MemberType, OrgUserType, Permissions, Place};

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
    pub fn set(&mut self, status: MemberStatus, count: u64) {
        match status {
            MemberStatus::Invited => self.invited = count,
            MemberStatus::Accepted => self.accepted = count,
            MemberStatus::Confirmed => self.confirmed = count,
            MemberStatus::Revoked => self.revoked = count,
        }
    }

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

/// A bulk form as posted: the action, and the selection as comma-separated ids (so a plain
/// form can post it). An unknown action is refused next to the type field; an id that is not
/// one is not found.
pub fn parse_bulk(
    action: &str,
    members: &str,
) -> Result<(MemberAction, Vec<MemberId>), crate::error::AppError> {
    use crate::error::{AppError, Field, Problem};
    let action = MemberAction::parse(action)
        .ok_or_else(|| AppError::field(Field::MemberType, Problem::Unsupported))?;
    let members = members
        .split(',')
        .map(|id| id.trim().parse().map_err(|_| AppError::NotFound))
        .collect::<Result<_, _>>()?;
    Ok((action, members))
}

/// The list's query parameter that says how many invitations mail carried (the status line
/// shown once the invite dialog has closed).
pub const INVITES_SENT: &str = "invites_sent";

/// `list` (a local path, perhaps with a query) with the invitations-sent count added.
pub fn with_invites_sent(list: &str, count: usize) -> String {
    let separator = if list.contains('?') { '&' } else { '?' };
    format!("{list}{separator}{INVITES_SENT}={count}")
}

/// The list's query parameters that say what a bulk action posted without the bundle did: how
/// many rows changed and how many did not (the per-row results need the bundle).
pub const APPLIED_DONE: &str = "done";
pub const APPLIED_UNCHANGED: &str = "unchanged";

/// `list` with a bulk action's counts added.
pub fn with_applied(list: &str, done: usize, unchanged: usize) -> String {
    let separator = if list.contains('?') { '&' } else { '?' };
    format!("{list}{separator}{APPLIED_DONE}={done}&{APPLIED_UNCHANGED}={unchanged}")
}

/// Splits what was typed into addresses: commas, semicolons, spaces and new lines separate.
/// The form uses it too, to show each address's problem next to it.
pub fn split_emails(raw: &str) -> Vec<&str> {
    raw.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect()
}

/// What the members pages of the two places show differently.
impl Place {
    /// The filter tabs: an organization's are Bitwarden's (all, invited, needs confirmation,
    /// revoked); a provider's add Confirmed.
    pub fn members_with(self, query: &str) -> String {
        match self {
            Self::Organization(organization) => {
                crate::routes::organization_members_with(organization, query)
            }
            Self::Provider(provider) => crate::routes::provider_members_with(provider, query),
        }
    }

    pub const fn tabs(self) -> &'static [StatusFilter] {
        match self {
            Self::Organization(_) => &[
                StatusFilter::All,
                StatusFilter::Only(MemberStatus::Invited),
                StatusFilter::Only(MemberStatus::Accepted),
                StatusFilter::Only(MemberStatus::Revoked),
            ],
            Self::Provider(_) => &StatusFilter::TABS,
        }
    }

    /// The actions the bulk bar offers for a selection.
    pub const fn bulk_actions(self) -> &'static [MemberAction] {
        match self {
            Self::Organization(_) => &[
                MemberAction::Confirm,
                MemberAction::Revoke,
                MemberAction::Restore,
                MemberAction::Remove,
            ],
            Self::Provider(_) => &[
                MemberAction::Confirm,
                MemberAction::Revoke,
                MemberAction::Remove,
            ],
        }
    }

    /// An organization's members carry two-step and account-recovery columns (its policies
    /// act on them).
    pub const fn shows_security(self) -> bool {
        matches!(self, Self::Organization(_))
    }

    /// The type a new invitation starts with: the one with the fewest rights.
    pub const fn default_type(self) -> MemberType {
        MemberType::of_place(self)[0]
    }
}

/// One member, as a Members page lists it, in either place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: MemberId,
    pub email: String,
    /// The account's name once the invitation was accepted.
    pub name: Option<String>,
    pub user_type: MemberType,
    /// A Custom organization member's flags (none elsewhere).
    pub permissions: Permissions,
    pub status: MemberStatus,
    /// The member's account has two-step login on.
    pub two_step: bool,
    /// Enrolled in an organization's account recovery (an admin may reset the password).
    pub recovery_enrolled: bool,
    /// The viewer's own row (nobody acts on themselves here).
    pub is_self: bool,
}

/// What the viewer may do on the Members page beyond managing ordinary members.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRights {
    /// The types the viewer may give (in an organization, only those it outranks).
    pub offered: Vec<MemberType>,
    /// The Custom flags the viewer may grant: those it holds itself.
    pub grantable: Permissions,
    /// Add seats (the invitation dialog links there when seats run out).
    pub manage_seats: bool,
    /// Reset enrolled members' passwords: the viewer may, and the policy is on.
    pub recover: bool,
}

/// An organization's seats: assigned, and used by every member who is not revoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatFigures {
    pub assigned: i64,
    pub used: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPage {
    pub place: Place,
    /// The organization's or provider's name.
    pub place_name: String,
    pub rows: Vec<MemberRow>,
    /// Rows matching filter and search.
    pub total: u64,
    pub page: u32,
    pub counts: StatusCounts,
    /// An organization's seats; a provider has none.
    pub seats: Option<SeatFigures>,
    /// The two-step login policy is on: members without it (Owners and Admins aside) are
    /// locked out, and the list says so.
    pub two_step_required: bool,
    pub rights: MemberRights,
}

/// What one invited address came to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invited {
    pub email: String,
    /// The invitation link, when no mail carried it (mail off, or the SMTP server failed):
    /// the inviter passes it on.
    pub link: Option<String>,
}

/// One row's result in a bulk action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowOutcome {
    pub member: MemberId,
    pub email: String,
    pub result: Result<(), crate::error::AppError>,
    /// A re-invitation's link when no mail carried it.
    pub link: Option<String>,
}

/// An invitation form, read once at the edge: its well-formed addresses (each with its
/// position in what was typed, for problems next to it), how many were typed, the type and a
/// Custom member's flags when they are valid, and every problem of the form itself. The
/// service adds what only the database knows (already a member, seats left) and refuses with
/// all of them together, so a form shows every problem at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub addresses: Vec<(u16, String)>,
    pub typed: usize,
    pub role: Option<(MemberType, Permissions)>,
    pub problems: crate::validate::Problems,
}

impl Invitation {
    pub fn read(
        place: Place,
        emails: &str,
        user_type: &str,
        permissions: Option<&[String]>,
    ) -> Self {
        let mut problems = crate::validate::Problems::default();
        let role = read_role(place, user_type, permissions, &mut problems);
        let addresses = checked_addresses(emails, &mut problems);
        Self {
            addresses,
            typed: split_emails(emails).len(),
            role,
            problems,
        }
    }
}

/// A type change, read: the type and a Custom member's flags.
pub fn read_type_change(
    place: Place,
    user_type: &str,
    permissions: Option<&[String]>,
) -> Result<(MemberType, Permissions), crate::error::AppError> {
    let mut problems = crate::validate::Problems::default();
    let role = read_role(place, user_type, permissions, &mut problems);
    problems.finish()?;
    role.ok_or(crate::error::AppError::Internal)
}

/// The type and flags a form asked for: one of the place's types; Custom needs at least one
/// known flag; the other types carry none.
fn read_role(
    place: Place,
    user_type: &str,
    permissions: Option<&[String]>,
    problems: &mut crate::validate::Problems,
) -> Option<(MemberType, Permissions)> {
    use crate::error::{Field, Problem};
    let flags = problems.check(
        Field::Permissions,
        parse_permissions(permissions.unwrap_or_default()).ok_or(Problem::Unsupported),
    );
    let user_type = problems.check(
        Field::MemberType,
        MemberType::parse(user_type)
            .filter(|t| t.belongs_to(place))
            .ok_or(Problem::Unsupported),
    )?;
    if user_type != MemberType::Organization(OrgUserType::Custom) {
        return Some((user_type, Permissions::empty()));
    }
    let flags = flags?;
    if flags.is_empty() {
        problems.add(Field::Permissions, Problem::Required);
        return None;
    }
    Some((user_type, flags))
}

/// The addresses of an invitation form, each checked (well-formed, not twice), with its
/// position for problems next to it; too many or none is a problem of the list.
pub fn checked_addresses(
    emails: &str,
    problems: &mut crate::validate::Problems,
) -> Vec<(u16, String)> {
    use crate::error::{Field, Problem};
    let typed = split_emails(emails);
    if typed.is_empty() {
        problems.add(Field::Emails, Problem::Required);
    } else if typed.len() > MAX_INVITES {
        problems.add(Field::Emails, Problem::TooMany(MAX_INVITES));
    }
    let mut addresses: Vec<(u16, String)> = Vec::new();
    for (index, raw) in typed.iter().take(MAX_INVITES).enumerate() {
        let index = u16::try_from(index).unwrap_or(u16::MAX);
        if let Some(email) = problems.check(Field::EmailAt(index), crate::validate::email(raw)) {
            if addresses.iter().any(|(_, e)| *e == email) {
                problems.add(Field::EmailAt(index), Problem::Duplicate);
            } else {
                addresses.push((index, email));
            }
        }
    }
    addresses
}

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
    fn the_invitations_sent_join_the_list_query() {
        assert_eq!(
            with_invites_sent("/providers/1/manage/members", 1),
            "/providers/1/manage/members?invites_sent=1"
        );
        assert_eq!(
            with_invites_sent("/organizations/2/members?q=ann&page=3", 12),
            "/organizations/2/members?q=ann&page=3&invites_sent=12"
        );
    }

    /// Plural forms come from each language's CLDR rules (leptos_i18n's plurals, on ICU4X),
    /// not from `count == 1`: French counts 0 as singular, English, Dutch and Swedish do not.
    #[test]
    fn counts_take_each_languages_plural_form() {
        use crate::i18n::{Locale, td_string};
        let sent = |locale: Locale, count: usize| {
            td_string!(locale, provider_members.invites_sent, count = count).to_string()
        };
        assert_eq!(sent(Locale::en, 1), "1 invitation sent by email.");
        assert_eq!(sent(Locale::en, 0), "0 invitations sent by email.");
        assert_eq!(sent(Locale::en, 2), "2 invitations sent by email.");
        assert_eq!(sent(Locale::fr, 0), "0 invitation envoyée par e-mail.");
        assert_eq!(sent(Locale::fr, 1), "1 invitation envoyée par e-mail.");
        assert_eq!(sent(Locale::fr, 2), "2 invitations envoyées par e-mail.");
        assert_eq!(sent(Locale::nl, 1), "1 uitnodiging per e-mail verstuurd.");
        assert_eq!(sent(Locale::nl, 0), "0 uitnodigingen per e-mail verstuurd.");
        assert_eq!(sent(Locale::sv, 1), "1 inbjudan skickad via e-post.");
        assert_eq!(sent(Locale::sv, 3), "3 inbjudningar skickade via e-post.");
    }

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
    fn an_invitation_form_reports_all_its_problems_at_once() {
        use crate::error::{AppError, Field, Problem};
        use crate::ids::{OrganizationId, ProviderId};
        let org = Place::Organization(OrganizationId(1));
        let provider = Place::Provider(ProviderId(1));
        let flags = ["manage_users".to_owned()];
        let read = Invitation::read(org, "A@x.example, b@x.example", "custom", Some(&flags));
        assert_eq!(
            read,
            Invitation {
                addresses: vec![(0, "a@x.example".into()), (1, "b@x.example".into())],
                typed: 2,
                role: Some((
                    MemberType::Organization(OrgUserType::Custom),
                    Permissions::MANAGE_USERS
                )),
                problems: crate::validate::Problems::default(),
            }
        );
        // A type of the other place, a bad address and a twice-typed one: all reported.
        let read = Invitation::read(
            provider,
            "ok@x.example not-an-address ok@x.example",
            "owner",
            None,
        );
        assert_eq!((read.role, read.typed), (None, 3));
        let Err(AppError::Invalid(problems)) = read.problems.finish() else {
            panic!("refused");
        };
        let fields: Vec<(Field, Problem)> = problems.iter().map(|p| (p.field, p.problem)).collect();
        assert!(
            fields.contains(&(Field::MemberType, Problem::Unsupported)),
            "{fields:?}"
        );
        assert!(
            fields.contains(&(Field::EmailAt(1), Problem::InvalidEmail)),
            "{fields:?}"
        );
        assert!(
            fields.contains(&(Field::EmailAt(2), Problem::Duplicate)),
            "{fields:?}"
        );
        // Custom needs a flag; unknown flags are refused; other types carry none.
        assert_eq!(
            read_type_change(org, "custom", None),
            Err(AppError::field(Field::Permissions, Problem::Required))
        );
        assert_eq!(
            read_type_change(org, "admin", Some(&["root".to_owned()])),
            Err(AppError::field(Field::Permissions, Problem::Unsupported))
        );
        assert_eq!(
            read_type_change(org, "admin", Some(&flags)),
            Ok((
                MemberType::Organization(OrgUserType::Admin),
                Permissions::empty()
            ))
        );
    }

    #[test]
    fn a_bulk_form_names_its_action_and_selection() {
        use crate::error::{AppError, Field, Problem};
        assert_eq!(
            parse_bulk("revoke", "4, 7"),
            Ok((MemberAction::Revoke, vec![MemberId(4), MemberId(7)]))
        );
        assert_eq!(
            parse_bulk("promote", "4"),
            Err(AppError::field(Field::MemberType, Problem::Unsupported))
        );
        assert_eq!(parse_bulk("remove", "4,x"), Err(AppError::NotFound));
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
    /// The organization's public key (base64 SPKI): enrolling wraps the member's user key to
    /// it, after showing its fingerprint phrase. `None` for an organization without keys.
    pub public_key: Option<String>,
    /// The organization requires two-step login and the viewer has it off: locked out.
    pub two_step_blocked: bool,
}

/// What the recovering admin's browser needs (VAULT.md §2): its way to the organization key,
/// the organization's private key under it, the member's user key wrapped to the
/// organization's public key (their enrolment), and how the member's master key is derived,
/// with the rules and words a new password is checked against. Nothing here opens without the
/// admin's own private key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecoveryPlan {
    pub member: MemberId,
    pub email: String,
    pub name: String,
    pub key: PlaceKey,
    /// The organization's private key (PKCS#8 DER), type 2 under the organization key.
    pub organization_private_key: crate::crypto::EncString,
    /// The member's user key, type 4 to the organization's public key.
    pub recovery_key: crate::crypto::WrappedKey,
    /// The member's KDF settings and salt: the new master key is derived with them.
    pub prelogin: crate::accounts::types::Prelogin,
    /// The strictest master-password policy of the member's organizations.
    pub rules: Option<crate::policies::types::PasswordRules>,
}

/// A provider the viewer belongs to, for the account area (where they may leave it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderMembership {
    pub provider: crate::ids::ProviderId,
    pub name: String,
    pub user_type: crate::vocabulary::ProviderUserType,
    pub status: MemberStatus,
}

/// How the viewer reaches a place's key (VAULT.md §2), to give it to a member at Confirm.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum PlaceKey {
    /// Its own copy, wrapped to its public key: a confirmed member of the place.
    Own(crate::crypto::WrappedKey),
    /// A provider user in a client organization: its copy of the provider key, and the
    /// client's organization key under the provider key.
    ThroughProvider {
        provider_key: crate::crypto::WrappedKey,
        organization_key: crate::crypto::EncString,
    },
}

/// A member as the Confirm dialog needs it: the public key the browser wraps the place's key
/// to, and the account id its fingerprint phrase is made with (none before they accepted, or
/// for an account that never signed in since it got keys).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ToConfirm {
    pub member: MemberId,
    pub email: String,
    pub status: MemberStatus,
    pub user: Option<crate::ids::UserId>,
    pub public_key: Option<String>,
}

/// What the Confirm dialog opens with: the viewer's way to the place's key (none when it holds
/// no copy) and the named members of the place.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConfirmPlan {
    pub key: Option<PlaceKey>,
    pub members: Vec<ToConfirm>,
}

/// One member's copy of the place's key, made in the confirming admin's browser: `key` is the
/// organization's (or provider's) key wrapped to `public_key`, the member's public key as that
/// browser had it; the server confirms only while it is still the member's.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MemberKey {
    pub member: MemberId,
    pub public_key: String,
    pub key: crate::crypto::WrappedKey,
}
