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
        EventType::ItemCreated => item(locale, row, Item::Created, &target),
        EventType::ItemUpdated => item(locale, row, Item::Updated, &target),
        EventType::ItemDeleted => item(locale, row, Item::Deleted, &target),
        EventType::ItemMovedToOrganization => item(locale, row, Item::Moved, &target),
        EventType::ItemCollectionsChanged => item(locale, row, Item::Collections, &target),
        EventType::ItemTrashed => item(locale, row, Item::Trashed, &target),
        EventType::ItemRestored => item(locale, row, Item::Restored, &target),
        EventType::CollectionCreated => {
            td_string!(locale, events.collection_created, target = target).to_string()
        }
        EventType::CollectionUpdated => {
            td_string!(locale, events.collection_updated, target = target).to_string()
        }
        EventType::CollectionDeleted => {
            td_string!(locale, events.collection_deleted, target = target).to_string()
        }
        EventType::VaultImported => {
            let (count, format) = row.imported.clone().unwrap_or_default();
            let format = portal_import::Format::from_slug(&format)
                .map_or(format, |format| format.label().to_owned());
            td_string!(
                locale,
                events.vault_imported,
                count = count,
                format = format,
                target = target
            )
            .to_string()
        }
    };
    match &row.change {
        Some((from, to)) => format!("{text} ({from} → {to})"),
        None => text,
    }
}

#[derive(Clone, Copy)]
enum Item {
    Created,
    Updated,
    Deleted,
    Moved,
    Collections,
    Trashed,
    Restored,
}

/// An item event: the item's number and its type's name (the server knows nothing else).
fn item(locale: Locale, row: &EventRow, what: Item, number: &str) -> String {
    let kind = row
        .item_kind
        .and_then(|kind| crate::crypto::vault::ItemType::try_from(kind).ok())
        .map(|kind| crate::vault::types::kind_name(locale, kind))
        .unwrap_or_default();
    let target = format!("{number} ({kind})");
    match what {
        Item::Created => td_string!(locale, events.item_created, target = target).to_string(),
        Item::Updated => td_string!(locale, events.item_updated, target = target).to_string(),
        Item::Deleted => td_string!(locale, events.item_deleted, target = target).to_string(),
        Item::Moved => td_string!(locale, events.item_moved, target = target).to_string(),
        Item::Collections => {
            td_string!(locale, events.item_collections, target = target).to_string()
        }
        Item::Trashed => td_string!(locale, events.item_trashed, target = target).to_string(),
        Item::Restored => td_string!(locale, events.item_restored, target = target).to_string(),
    }
}
