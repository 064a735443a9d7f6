//! Names of member statuses and types, translated; shared by the provider's and the
//! organizations' member lists.

use leptos::prelude::*;

use crate::i18n::*;
use crate::members::types::{MemberAction, MemberStatus, OrgUserType, Permissions};
use crate::providers::types::ProviderUserType;

#[component]
pub fn StatusName(status: MemberStatus) -> impl IntoView {
    let i18n = use_i18n();
    match status {
        MemberStatus::Invited => t!(i18n, members.status_invited).into_any(),
        MemberStatus::Accepted => t!(i18n, members.status_accepted).into_any(),
        MemberStatus::Confirmed => t!(i18n, members.status_confirmed).into_any(),
        MemberStatus::Revoked => t!(i18n, members.status_revoked).into_any(),
    }
}

/// A status as a badge: colour and text together, never colour alone.
#[component]
pub fn StatusBadge(status: MemberStatus) -> impl IntoView {
    view! {
        <span class=format!("badge status-{}", status.as_str())>
            <StatusName status />
        </span>
    }
}

#[component]
pub fn ProviderTypeName(user_type: ProviderUserType) -> impl IntoView {
    let i18n = use_i18n();
    match user_type {
        ProviderUserType::ProviderAdmin => t!(i18n, members.provider_admin).into_any(),
        ProviderUserType::ServiceUser => t!(i18n, members.service_user).into_any(),
    }
}

#[component]
pub fn OrgTypeName(user_type: OrgUserType) -> impl IntoView {
    let i18n = use_i18n();
    match user_type {
        OrgUserType::Owner => t!(i18n, members.owner).into_any(),
        OrgUserType::Admin => t!(i18n, members.admin).into_any(),
        OrgUserType::User => t!(i18n, members.user).into_any(),
        OrgUserType::Custom => t!(i18n, members.custom).into_any(),
    }
}

/// A member action's name, as its button and menu item say it.
#[component]
pub fn ActionName(action: MemberAction) -> impl IntoView {
    let i18n = use_i18n();
    match action {
        MemberAction::Confirm => t!(i18n, provider_members.confirm).into_any(),
        MemberAction::Revoke => t!(i18n, provider_members.revoke).into_any(),
        MemberAction::Restore => t!(i18n, provider_members.restore).into_any(),
        MemberAction::Remove => t!(i18n, provider_members.remove).into_any(),
        MemberAction::Reinvite => t!(i18n, provider_members.reinvite).into_any(),
    }
}

/// A Custom permission flag's name.
#[component]
pub fn PermissionName(flag: Permissions) -> impl IntoView {
    let i18n = use_i18n();
    match flag {
        Permissions::ACCESS_EVENT_LOGS => t!(i18n, org_members.perm_access_event_logs).into_any(),
        Permissions::ACCESS_IMPORT_EXPORT => {
            t!(i18n, org_members.perm_access_import_export).into_any()
        }
        Permissions::ACCESS_REPORTS => t!(i18n, org_members.perm_access_reports).into_any(),
        Permissions::MANAGE_USERS => t!(i18n, org_members.perm_manage_users).into_any(),
        Permissions::MANAGE_ACCOUNT_RECOVERY => {
            t!(i18n, org_members.perm_manage_account_recovery).into_any()
        }
        Permissions::MANAGE_GROUPS => t!(i18n, org_members.perm_manage_groups).into_any(),
        Permissions::MANAGE_POLICIES => t!(i18n, org_members.perm_manage_policies).into_any(),
        Permissions::CREATE_COLLECTIONS => t!(i18n, org_members.perm_create_collections).into_any(),
        Permissions::EDIT_ANY_COLLECTION => {
            t!(i18n, org_members.perm_edit_any_collection).into_any()
        }
        _ => t!(i18n, org_members.perm_delete_any_collection).into_any(),
    }
}
