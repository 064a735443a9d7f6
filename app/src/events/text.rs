//! An event as a sentence in the reader's language: the same words on the page and in the
//! CSV export.

use super::types::{EventRow, EventType};
use crate::i18n::{Locale, td_string};

pub fn describe(locale: Locale, row: &EventRow) -> String {
    let target = row.target.clone().unwrap_or_else(|| "—".to_owned());
    let Some(event) = row.event() else {
        return td_string!(locale, events.unknown, code = row.code).to_string();
    };
    let text = match event {
        EventType::OrganizationUserInvited => {
            td_string!(locale, events.org_user_invited, target = target).to_string()
        }
        EventType::OrganizationUserAccepted => {
            td_string!(locale, events.org_user_accepted, target = target).to_string()
        }
        EventType::OrganizationUserDeclined => {
            td_string!(locale, events.org_user_declined, target = target).to_string()
        }
        EventType::OrganizationUserConfirmed => {
            td_string!(locale, events.org_user_confirmed, target = target).to_string()
        }
        EventType::OrganizationUserUpdated => {
            td_string!(locale, events.org_user_updated, target = target).to_string()
        }
        EventType::OrganizationUserRemoved => {
            td_string!(locale, events.org_user_removed, target = target).to_string()
        }
        EventType::OrganizationUserRevoked => {
            td_string!(locale, events.org_user_revoked, target = target).to_string()
        }
        EventType::OrganizationUserRestored => {
            td_string!(locale, events.org_user_restored, target = target).to_string()
        }
        EventType::OrganizationUserRecoveryEnrolled => {
            td_string!(locale, events.org_user_recovery_enrolled, target = target).to_string()
        }
        EventType::OrganizationUserRecoveryWithdrawn => {
            td_string!(locale, events.org_user_recovery_withdrawn, target = target).to_string()
        }
        EventType::OrganizationUserPasswordReset => {
            td_string!(locale, events.org_user_password_reset, target = target).to_string()
        }
        EventType::PolicyUpdated => td_string!(locale, events.policy_updated).to_string(),
        EventType::OrganizationUpdated => {
            td_string!(locale, events.org_updated, target = target).to_string()
        }
        EventType::OrganizationSeatsChanged => {
            td_string!(locale, events.org_seats_changed, target = target).to_string()
        }
        EventType::OrganizationCreated => {
            td_string!(locale, events.org_created, target = target).to_string()
        }
        EventType::ProviderUserInvited => {
            td_string!(locale, events.provider_user_invited, target = target).to_string()
        }
        EventType::ProviderUserConfirmed => {
            td_string!(locale, events.provider_user_confirmed, target = target).to_string()
        }
        EventType::ProviderUserUpdated => {
            td_string!(locale, events.provider_user_updated, target = target).to_string()
        }
        EventType::ProviderUserRemoved => {
            td_string!(locale, events.provider_user_removed, target = target).to_string()
        }
        EventType::ProviderUserAccepted => {
            td_string!(locale, events.provider_user_accepted, target = target).to_string()
        }
        EventType::ProviderUserRevoked => {
            td_string!(locale, events.provider_user_revoked, target = target).to_string()
        }
        EventType::ProviderUserRestored => {
            td_string!(locale, events.provider_user_restored, target = target).to_string()
        }
        EventType::ProviderUserDeclined => {
            td_string!(locale, events.provider_user_declined, target = target).to_string()
        }
        EventType::ProviderUserLeft => {
            td_string!(locale, events.provider_user_left, target = target).to_string()
        }
        EventType::ProviderCreated => td_string!(locale, events.provider_created).to_string(),
        EventType::ProviderUpdated => td_string!(locale, events.provider_updated).to_string(),
        EventType::ProviderClientCreated => {
            td_string!(locale, events.client_created, target = target).to_string()
        }
        EventType::ProviderClientAdded => {
            td_string!(locale, events.client_added, target = target).to_string()
        }
        EventType::ProviderClientRemoved => {
            td_string!(locale, events.client_removed, target = target).to_string()
        }
        EventType::ProviderClientAccessed => {
            td_string!(locale, events.client_accessed, target = target).to_string()
        }
    };
    match &row.change {
        Some((from, to)) => format!("{text} ({from} → {to})"),
        None => text,
    }
}
