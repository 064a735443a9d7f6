//! Names of member statuses and types, translated; shared by the provider's and the
//! organizations' member lists.

use leptos::prelude::*;

use super::types::{MemberStatus, OrgUserType};
use crate::i18n::*;
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
