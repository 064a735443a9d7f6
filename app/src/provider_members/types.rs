//! The Provider Portal's Members page: who belongs to the provider, as what, and in which
//! state (DESIGN.md §1: Invited → Accepted → Confirmed; Revoked).

use serde::{Deserialize, Serialize};

use crate::ids::ProviderUserId;
use crate::members::types::MemberStatus;
pub use crate::members::types::{
    Invited, MAX_INVITES, MEMBER_PAGE_SIZE, MemberAction, MemberQuery, StatusCounts, StatusFilter,
    split_emails,
};
use crate::providers::types::ProviderUserType;

/// One member row. `name` is the account's once the invitation was accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: ProviderUserId,
    pub email: String,
    pub name: Option<String>,
    pub user_type: ProviderUserType,
    pub status: MemberStatus,
    /// The viewer's own row (they leave from their account area instead).
    pub is_self: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPage {
    pub provider_name: String,
    pub rows: Vec<MemberRow>,
    /// Rows matching filter and search.
    pub total: u64,
    pub page: u32,
    pub counts: StatusCounts,
}

/// One row's result in a bulk action.
pub type RowOutcome = crate::members::types::RowOutcome<ProviderUserId>;

/// A provider the viewer belongs to, for the account area (where they may leave it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub provider: crate::ids::ProviderId,
    pub name: String,
    pub user_type: ProviderUserType,
    pub status: MemberStatus,
}
