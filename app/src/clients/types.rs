use serde::{Deserialize, Serialize};

use crate::error::{AppError, Field, Problem};
use crate::ids::OrganizationId;
use crate::organizations::types::Plan;
use crate::providers::types::PlanTerms;

/// The columns of the Clients table, each sortable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientSort {
    #[default]
    Name,
    Assigned,
    Used,
    Remaining,
    Plan,
}

impl ClientSort {
    pub const ALL: [Self; 5] = [
        Self::Name,
        Self::Assigned,
        Self::Used,
        Self::Remaining,
        Self::Plan,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Assigned => "assigned",
            Self::Used => "used",
            Self::Remaining => "remaining",
            Self::Plan => "plan",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

impl SortDirection {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "asc",
            Self::Desc => "desc",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "asc" => Some(Self::Asc),
            "desc" => Some(Self::Desc),
            _ => None,
        }
    }

    pub const fn flipped(self) -> Self {
        match self {
            Self::Asc => Self::Desc,
            Self::Desc => Self::Asc,
        }
    }
}

pub const PAGE_SIZES: [u32; 3] = [25, 50, 100];
pub const DEFAULT_PAGE_SIZE: u32 = 25;
/// Longer searches match nothing useful; they are cut, not refused.
pub const MAX_SEARCH_CHARS: usize = 100;

/// Where a page starts when it was reached by Next or Previous: right after (or right before)
/// a client of the page the user came from. The database then seeks to that client in the
/// sort's index instead of counting past every row before it, so page 3,000 costs what page 1
/// costs, and rows added or removed meanwhile neither repeat nor go missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Anchor {
    /// The page holds the clients that sort after this one (`after=` in the URL).
    After(OrganizationId),
    /// The page holds the clients that sort before this one (`before=`).
    Before(OrganizationId),
}

/// Search, sort and page of the Clients list: read from and written to the URL, so reload,
/// back and shared links show the same list. Anything unknown falls back to the default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClientQuery {
    pub search: String,
    pub sort: ClientSort,
    pub direction: SortDirection,
    /// 1-based. With an anchor, the number the pager shows; without one, the page is found by
    /// position (a typed or shared `page=` link).
    pub page: u32,
    pub size: u32,
    pub anchor: Option<Anchor>,
}

impl ClientQuery {
    /// From URL parameters `q`, `sort`, `dir`, `page`, `size`, `after` / `before`.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let search: String = get("q")
            .unwrap_or_default()
            .trim()
            .chars()
            .take(MAX_SEARCH_CHARS)
            .collect();
        let size = get("size")
            .and_then(|s| s.parse().ok())
            .filter(|s| PAGE_SIZES.contains(s))
            .unwrap_or(DEFAULT_PAGE_SIZE);
        Self {
            search,
            sort: get("sort")
                .and_then(|s| ClientSort::parse(&s))
                .unwrap_or_default(),
            direction: get("dir")
                .and_then(|d| SortDirection::parse(&d))
                .unwrap_or_default(),
            page: get("page")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
            size,
            anchor: anchor_from(get("after").as_deref(), get("before").as_deref()),
        }
    }

    /// The same list, normalized (as the server does before querying).
    pub fn normalized(&self) -> Self {
        let (search, sort, direction, page, size) = (
            self.search.clone(),
            self.sort.as_str().to_owned(),
            self.direction.as_str().to_owned(),
            self.page.to_string(),
            self.size.to_string(),
        );
        let (after, before) = anchor_params(self.anchor);
        Self::from_params(|key| match key {
            "q" => Some(search.clone()),
            "sort" => Some(sort.clone()),
            "dir" => Some(direction.clone()),
            "page" => Some(page.clone()),
            "size" => Some(size.clone()),
            "after" => after.clone(),
            "before" => before.clone(),
            _ => None,
        })
    }

    /// The URL query (without `?`), leaving out defaults so links stay short.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.search.is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        if self.sort != ClientSort::default() {
            pairs.push(("sort", self.sort.as_str().to_owned()));
        }
        if self.direction != SortDirection::default() {
            pairs.push(("dir", self.direction.as_str().to_owned()));
        }
        if self.page != 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.size != DEFAULT_PAGE_SIZE {
            pairs.push(("size", self.size.to_string()));
        }
        match anchor_params(self.anchor) {
            (Some(after), _) => pairs.push(("after", after)),
            (_, Some(before)) => pairs.push(("before", before)),
            _ => {}
        }
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }

    /// Sorting by `column`: ascending first, descending when it already sorts ascending.
    /// Back to the first page, since the rows move.
    pub fn sorted_by(&self, column: ClientSort) -> Self {
        let direction = if self.sort == column {
            self.direction.flipped()
        } else {
            SortDirection::Asc
        };
        Self {
            sort: column,
            direction,
            page: 1,
            anchor: None,
            ..self.clone()
        }
    }

    /// The first page of what `search` finds, sorted as before.
    pub fn searching(&self, search: &str) -> Self {
        Self {
            search: search.trim().to_owned(),
            page: 1,
            anchor: None,
            ..self.clone()
        }
    }

    /// Page `page` found by position (no anchor).
    pub fn at_page(&self, page: u32) -> Self {
        Self {
            page,
            anchor: None,
            ..self.clone()
        }
    }

    /// The page after the one ending with `last`.
    pub fn next_after(&self, last: OrganizationId) -> Self {
        Self {
            page: self.page.saturating_add(1),
            anchor: Some(Anchor::After(last)),
            ..self.clone()
        }
    }

    /// The page before the one starting with `first`. Page 1 needs no anchor: it is simply the
    /// start of the list.
    pub fn previous_before(&self, first: OrganizationId) -> Self {
        let page = self.page.saturating_sub(1).max(1);
        Self {
            page,
            anchor: (page > 1).then_some(Anchor::Before(first)),
            ..self.clone()
        }
    }

    pub fn with_size(&self, size: u32) -> Self {
        Self {
            size,
            page: 1,
            anchor: None,
            ..self.clone()
        }
    }
}

/// `after=` wins when a hand-made URL has both; ids are positive.
fn anchor_from(after: Option<&str>, before: Option<&str>) -> Option<Anchor> {
    let id = |value: Option<&str>| {
        value
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|id| *id > 0)
            .map(OrganizationId)
    };
    id(after)
        .map(Anchor::After)
        .or_else(|| id(before).map(Anchor::Before))
}

fn anchor_params(anchor: Option<Anchor>) -> (Option<String>, Option<String>) {
    match anchor {
        Some(Anchor::After(id)) => (Some(id.0.to_string()), None),
        Some(Anchor::Before(id)) => (None, Some(id.0.to_string())),
        None => (None, None),
    }
}

/// One row of the Clients table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: OrganizationId,
    pub name: String,
    pub plan: Plan,
    /// Assigned seats.
    pub seats: i64,
    /// Members who are Invited, Accepted or Confirmed.
    pub used: i64,
    pub remaining: i64,
}

/// One page of clients, with the total that matched the search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPage {
    pub rows: Vec<ClientRow>,
    pub total: u64,
    /// More than `total` matched: a broad search stops counting a few pages ahead
    /// (`service::SEARCH_LOOKAHEAD_PAGES`), so the pager shows "of more than N".
    pub more: bool,
    /// The page shown: the requested one, or the last when it was past the end.
    pub page: u32,
    pub size: u32,
}

impl ClientPage {
    pub fn page_count(&self) -> u32 {
        let pages = self.total.div_ceil(u64::from(self.size.max(1)));
        u32::try_from(pages).unwrap_or(u32::MAX).max(1)
    }
}

/// What the Manage subscription dialog needs to explain its limits (DESIGN.md rules 2, 8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDetails {
    pub id: OrganizationId,
    pub name: String,
    pub plan: Plan,
    pub seats: i64,
    pub used: i64,
    pub terms: PlanTerms,
    /// Assigned seats of every client on this plan, this one included.
    pub plan_assigned: i64,
    /// The viewer may raise seats above the plan's minimum (purchase).
    pub may_purchase: bool,
}

impl ClientDetails {
    /// The most seats this client can have without purchasing (for those who may not).
    pub fn max_without_purchase(&self) -> i64 {
        let others = self.plan_assigned - self.seats;
        (self.terms.seat_minimum - others).max(self.seats)
    }
}

/// An organization the Provider Admin owns and may add as a client (DESIGN.md rule 9).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibleOrganization {
    pub id: OrganizationId,
    pub name: String,
    pub plan: Plan,
    pub seats: i64,
    /// The organization has keys (every one made since keys exist).
    pub has_keys: bool,
    /// The caller's copy of its key, wrapped to the caller's public key.
    pub key: Option<crate::crypto::WrappedKey>,
}

/// Rule 8: seats above the plan minimum are purchased; a change purchases when it raises the
/// number of purchased seats.
pub fn purchases_seats(seat_minimum: i64, plan_assigned_before: i64, change: i64) -> bool {
    let purchased = |assigned: i64| (assigned - seat_minimum).max(0);
    purchased(plan_assigned_before + change) > purchased(plan_assigned_before)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn unknown_parameters_fall_back_to_defaults() {
        let query = ClientQuery::from_params(params(&[
            ("sort", "password"),
            ("dir", "sideways"),
            ("page", "-2"),
            ("size", "1000000"),
        ]));
        assert_eq!(
            query,
            ClientQuery {
                page: 1,
                size: DEFAULT_PAGE_SIZE,
                ..ClientQuery::default()
            }
        );
    }

    #[test]
    fn queries_round_trip_through_the_url() {
        let query = ClientQuery::from_params(params(&[
            ("q", " Acme & Co "),
            ("sort", "remaining"),
            ("dir", "desc"),
            ("page", "3"),
            ("size", "50"),
        ]));
        assert_eq!(query.search, "Acme & Co");
        let url = query.to_query_string();
        let parsed: Vec<(String, String)> = form_urlencoded::parse(url.as_bytes())
            .into_owned()
            .collect();
        let back = ClientQuery::from_params(|key| {
            parsed
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(back, query);
        let default = ClientQuery::from_params(|_| None);
        assert_eq!(default.to_query_string(), "");
    }

    #[test]
    fn anchors_travel_in_the_url_and_are_dropped_when_the_list_changes() {
        let query = ClientQuery::from_params(params(&[("sort", "used"), ("page", "3")]));
        let next = query.next_after(OrganizationId(42));
        assert_eq!(
            (next.page, next.anchor),
            (4, Some(Anchor::After(OrganizationId(42))))
        );
        assert_eq!(next.to_query_string(), "sort=used&page=4&after=42");
        let previous = query.previous_before(OrganizationId(7));
        assert_eq!(previous.to_query_string(), "sort=used&page=2&before=7");
        // Page 1 is the start of the list: no anchor needed.
        let first = query.at_page(2).previous_before(OrganizationId(7));
        assert_eq!((first.page, first.anchor), (1, None));
        for changed in [
            next.sorted_by(ClientSort::Plan),
            next.with_size(50),
            next.searching("acme"),
            next.at_page(2),
        ] {
            assert_eq!(changed.anchor, None);
        }
        // Back from the URL; junk ids are ignored, `after` wins over `before`.
        let back = ClientQuery::from_params(params(&[("page", "4"), ("after", "42")]));
        assert_eq!(back.anchor, Some(Anchor::After(OrganizationId(42))));
        assert_eq!(back.normalized(), back);
        for junk in ["0", "-3", "x", ""] {
            let parsed = ClientQuery::from_params(|k| (k == "after").then(|| junk.to_owned()));
            assert_eq!(parsed.anchor, None, "{junk}");
        }
        let both = ClientQuery::from_params(params(&[("after", "5"), ("before", "6")]));
        assert_eq!(both.anchor, Some(Anchor::After(OrganizationId(5))));
    }

    #[test]
    fn the_query_survives_the_server_function_encoding() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Arguments {
            provider: i64,
            query: ClientQuery,
        }
        let base = ClientQuery::from_params(params(&[("q", "a&b=c"), ("sort", "plan")]));
        for query in [
            base.clone(),
            base.next_after(OrganizationId(42)),
            base.at_page(3).previous_before(OrganizationId(7)),
        ] {
            let arguments = Arguments { provider: 1, query };
            let encoded = serde_qs::to_string(&arguments).expect("encodes");
            let decoded: Arguments = serde_qs::from_str(&encoded).expect("decodes");
            assert_eq!(decoded, arguments, "{encoded}");
        }
    }

    #[test]
    fn sorting_toggles_and_returns_to_the_first_page() {
        let query = ClientQuery::from_params(params(&[("page", "4")]));
        let by_used = query.sorted_by(ClientSort::Used);
        assert_eq!(
            (by_used.sort, by_used.direction, by_used.page),
            (ClientSort::Used, SortDirection::Asc, 1)
        );
        let again = by_used.sorted_by(ClientSort::Used);
        assert_eq!(again.direction, SortDirection::Desc);
    }

    #[test]
    fn purchases_are_seats_above_the_minimum() {
        // Minimum 10, 8 assigned: +2 stays within it, +3 buys one.
        assert!(!purchases_seats(10, 8, 2));
        assert!(purchases_seats(10, 8, 3));
        // Already above: every increase buys, a decrease never does.
        assert!(purchases_seats(10, 12, 1));
        assert!(!purchases_seats(10, 12, -1));
        assert!(!purchases_seats(10, 12, 0));
    }
}

/// The New client form as it was typed.
#[derive(Clone, Debug, Default)]
pub struct NewClientForm {
    pub name: String,
    pub plan: String,
    pub seats: String,
    pub owner_email: String,
}

/// A New client form that passed every check: what the rule takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewClient {
    pub name: String,
    pub plan: Plan,
    pub seats: crate::vocabulary::Seats,
    pub owner_email: String,
}

impl NewClientForm {
    /// Read once where the form arrives: every problem at once, each next to its field.
    pub fn read(&self) -> Result<NewClient, AppError> {
        use crate::organizations::types::MAX_ORGANIZATION_NAME_CHARS;
        let mut problems = crate::validate::Problems::default();
        let name = problems.check(
            Field::Name,
            crate::validate::name(&self.name, MAX_ORGANIZATION_NAME_CHARS),
        );
        let plan = problems.check(
            Field::Plan,
            Plan::parse(&self.plan)
                .filter(|p| p.is_provider_plan())
                .ok_or(Problem::Unsupported),
        );
        let seats = problems.check(Field::Seats, crate::vocabulary::Seats::read(&self.seats));
        let owner_email =
            problems.check(Field::OwnerEmail, crate::validate::email(&self.owner_email));
        problems.finish()?;
        match (name, plan, seats, owner_email) {
            (Some(name), Some(plan), Some(seats), Some(owner_email)) => Ok(NewClient {
                name,
                plan,
                seats,
                owner_email,
            }),
            _ => Err(AppError::Internal),
        }
    }
}
