//! Names of member statuses and types, translated; shared by the provider's and the
//! organizations' member lists.

use leptos::prelude::*;

use crate::i18n::*;
use crate::members::types::{
    MemberAction, MemberStatus, MemberType, OrgUserType, Permissions, Place,
};
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

/// A member type's name, in either place.
#[component]
pub fn TypeName(user_type: MemberType) -> impl IntoView {
    match user_type {
        MemberType::Organization(user_type) => view! { <OrgTypeName user_type /> }.into_any(),
        MemberType::Provider(user_type) => view! { <ProviderTypeName user_type /> }.into_any(),
    }
}

/// What a member of this type may do, as the type choice explains it.
#[component]
pub fn TypeHint(user_type: MemberType) -> impl IntoView {
    let i18n = use_i18n();
    match user_type {
        MemberType::Organization(OrgUserType::Owner) => t!(i18n, org_members.owner_hint).into_any(),
        MemberType::Organization(OrgUserType::Admin) => t!(i18n, org_members.admin_hint).into_any(),
        MemberType::Organization(OrgUserType::User) => t!(i18n, org_members.user_hint).into_any(),
        MemberType::Organization(OrgUserType::Custom) => {
            t!(i18n, org_members.custom_hint).into_any()
        }
        MemberType::Provider(ProviderUserType::ServiceUser) => {
            t!(i18n, provider_members.service_user_hint).into_any()
        }
        MemberType::Provider(ProviderUserType::ProviderAdmin) => {
            t!(i18n, provider_members.provider_admin_hint).into_any()
        }
    }
}

/// "Change type" (a provider's members) or "Edit type and permissions" (an organization's).
#[component]
pub fn EditTypeName(place: Place) -> impl IntoView {
    let i18n = use_i18n();
    match place {
        Place::Organization(_) => t!(i18n, org_members.change_type).into_any(),
        Place::Provider(_) => t!(i18n, provider_members.change_type).into_any(),
    }
}

/// What an action on members does, said for the place (an organization's seats, a provider's
/// clients).
#[component]
pub fn ActionIntro(place: Place, action: MemberAction) -> impl IntoView {
    let i18n = use_i18n();
    let organization = matches!(place, Place::Organization(_));
    match action {
        MemberAction::Confirm if organization => t!(i18n, org_members.confirm_intro).into_any(),
        MemberAction::Revoke if organization => t!(i18n, org_members.revoke_intro).into_any(),
        MemberAction::Restore if organization => t!(i18n, org_members.restore_intro).into_any(),
        MemberAction::Confirm => t!(i18n, provider_members.confirm_intro).into_any(),
        MemberAction::Revoke => t!(i18n, provider_members.revoke_intro).into_any(),
        MemberAction::Restore => t!(i18n, provider_members.restore_intro).into_any(),
        MemberAction::Remove => t!(i18n, provider_members.remove_intro).into_any(),
        MemberAction::Reinvite => t!(i18n, provider_members.reinvite_intro).into_any(),
    }
}

/// A dialog's title for an action on members (in a component: it reads the language).
pub fn action_title(action: MemberAction) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || match action {
        MemberAction::Confirm => t_string!(i18n, provider_members.confirm_title).to_string(),
        MemberAction::Revoke => t_string!(i18n, provider_members.revoke_title).to_string(),
        MemberAction::Restore => t_string!(i18n, provider_members.restore_title).to_string(),
        MemberAction::Remove => t_string!(i18n, provider_members.remove_title).to_string(),
        MemberAction::Reinvite => t_string!(i18n, provider_members.reinvite_title).to_string(),
    })
}

/// The edit dialog's title (in a component: it reads the language).
pub fn edit_title(place: Place) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || match place {
        Place::Organization(_) => t_string!(i18n, org_members.change_type).to_string(),
        Place::Provider(_) => t_string!(i18n, provider_members.change_type).to_string(),
    })
}
