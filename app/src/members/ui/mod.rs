//! Member pages and the names they share: the translated statuses and types, the outcome of
//! invitations and bulk actions (also used by the provider's members), and an organization's
//! Members page.

mod dialogs;
mod names;
mod outcomes;
mod page;
mod table;

pub use names::{
    ActionName, OrgTypeName, PermissionName, ProviderTypeName, StatusBadge, StatusName,
};
pub use outcomes::{CloseLink, InviteResult, Outcomes, outcome_rows};
pub use page::OrgMembersPage;
