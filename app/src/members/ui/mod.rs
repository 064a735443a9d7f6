//! The Members page of an organization (Admin Console) and of a provider (Provider Portal):
//! one page for both places, with the names it shares with other pages (translated statuses
//! and types) and the outcome of invitations and bulk actions.

mod confirm;
mod dialogs;
mod names;
mod outcomes;
mod page;
mod recover;
mod table;

pub use names::{
    ActionIntro, ActionName, EditTypeName, OrgTypeName, PermissionName, ProviderTypeName,
    StatusBadge, StatusName, TypeHint, TypeName, action_title, edit_title,
};
pub use outcomes::{InviteResult, Outcomes};
pub use page::{OrgMembersPage, ProviderMembersPage};
