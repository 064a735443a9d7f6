//! Names of member statuses and types, translated; shared by the provider's and the
//! organizations' member lists. Each renders one string that follows the language
//! (`t_string!` in a closure), not a view per name: a `t!(…).into_any()` per arm was a view type
//! of its own, with its own build, hydrate and rebuild code in the Members pages' first load.

use leptos::prelude::*;

use crate::i18n::*;
use crate::members::types::{
    MemberAction, MemberStatus, MemberType, OrgUserType, Permissions, Place,
};
use crate::providers::types::ProviderUserType;

#[component]
pub fn StatusName(status: MemberStatus) -> impl IntoView {
    let i18n = use_i18n();
    move || match status {
        MemberStatus::Invited => t_string!(i18n, members.status_invited).to_string(),
        MemberStatus::Accepted => t_string!(i18n, members.status_accepted).to_string(),
        MemberStatus::Confirmed => t_string!(i18n, members.status_confirmed).to_string(),
        MemberStatus::Revoked => t_string!(i18n, members.status_revoked).to_string(),
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
    move || match user_type {
        ProviderUserType::ProviderAdmin => t_string!(i18n, members.provider_admin).to_string(),
        ProviderUserType::ServiceUser => t_string!(i18n, members.service_user).to_string(),
    }
}

#[component]
pub fn OrgTypeName(user_type: OrgUserType) -> impl IntoView {
    let i18n = use_i18n();
    move || match user_type {
        OrgUserType::Owner => t_string!(i18n, members.owner).to_string(),
        OrgUserType::Admin => t_string!(i18n, members.admin).to_string(),
        OrgUserType::User => t_string!(i18n, members.user).to_string(),
        OrgUserType::Custom => t_string!(i18n, members.custom).to_string(),
    }
}

/// A member action's name, as its button and menu item say it.
#[component]
pub fn ActionName(action: MemberAction) -> impl IntoView {
    let i18n = use_i18n();
    move || match action {
        MemberAction::Confirm => t_string!(i18n, provider_members.confirm).to_string(),
        MemberAction::Revoke => t_string!(i18n, provider_members.revoke).to_string(),
        MemberAction::Restore => t_string!(i18n, provider_members.restore).to_string(),
        MemberAction::Remove => t_string!(i18n, provider_members.remove).to_string(),
        MemberAction::Reinvite => t_string!(i18n, provider_members.reinvite).to_string(),
    }
}

/// A Custom permission flag's name.
#[component]
pub fn PermissionName(flag: Permissions) -> impl IntoView {
    let i18n = use_i18n();
    move || match flag {
        Permissions::ACCESS_EVENT_LOGS => {
            t_string!(i18n, org_members.perm_access_event_logs).to_string()
        }
        Permissions::ACCESS_IMPORT_EXPORT => {
            t_string!(i18n, org_members.perm_access_import_export).to_string()
        }
        Permissions::ACCESS_REPORTS => t_string!(i18n, org_members.perm_access_reports).to_string(),
        Permissions::MANAGE_USERS => t_string!(i18n, org_members.perm_manage_users).to_string(),
        Permissions::MANAGE_ACCOUNT_RECOVERY => {
            t_string!(i18n, org_members.perm_manage_account_recovery).to_string()
        }
        Permissions::MANAGE_GROUPS => t_string!(i18n, org_members.perm_manage_groups).to_string(),
        Permissions::MANAGE_POLICIES => {
            t_string!(i18n, org_members.perm_manage_policies).to_string()
        }
        Permissions::CREATE_COLLECTIONS => {
            t_string!(i18n, org_members.perm_create_collections).to_string()
        }
        Permissions::EDIT_ANY_COLLECTION => {
            t_string!(i18n, org_members.perm_edit_any_collection).to_string()
        }
        _ => t_string!(i18n, org_members.perm_delete_any_collection).to_string(),
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
    move || match user_type {
        MemberType::Organization(OrgUserType::Owner) => {
            t_string!(i18n, org_members.owner_hint).to_string()
        }
        MemberType::Organization(OrgUserType::Admin) => {
            t_string!(i18n, org_members.admin_hint).to_string()
        }
        MemberType::Organization(OrgUserType::User) => {
            t_string!(i18n, org_members.user_hint).to_string()
        }
        MemberType::Organization(OrgUserType::Custom) => {
            t_string!(i18n, org_members.custom_hint).to_string()
        }
        MemberType::Provider(ProviderUserType::ServiceUser) => {
            t_string!(i18n, provider_members.service_user_hint).to_string()
        }
        MemberType::Provider(ProviderUserType::ProviderAdmin) => {
            t_string!(i18n, provider_members.provider_admin_hint).to_string()
        }
    }
}

/// "Change type" (a provider's members) or "Edit type and permissions" (an organization's).
#[component]
pub fn EditTypeName(place: Place) -> impl IntoView {
    let i18n = use_i18n();
    move || match place {
        Place::Organization(_) => t_string!(i18n, org_members.change_type).to_string(),
        Place::Provider(_) => t_string!(i18n, provider_members.change_type).to_string(),
    }
}

/// What an action on members does, said for the place (an organization's seats, a provider's
/// clients).
#[component]
pub fn ActionIntro(place: Place, action: MemberAction) -> impl IntoView {
    let i18n = use_i18n();
    let organization = matches!(place, Place::Organization(_));
    move || match action {
        MemberAction::Confirm if organization => {
            t_string!(i18n, org_members.confirm_intro).to_string()
        }
        MemberAction::Revoke if organization => {
            t_string!(i18n, org_members.revoke_intro).to_string()
        }
        MemberAction::Restore if organization => {
            t_string!(i18n, org_members.restore_intro).to_string()
        }
        MemberAction::Confirm => t_string!(i18n, provider_members.confirm_intro).to_string(),
        MemberAction::Revoke => t_string!(i18n, provider_members.revoke_intro).to_string(),
        MemberAction::Restore => t_string!(i18n, provider_members.restore_intro).to_string(),
        MemberAction::Remove => t_string!(i18n, provider_members.remove_intro).to_string(),
        MemberAction::Reinvite => t_string!(i18n, provider_members.reinvite_intro).to_string(),
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
