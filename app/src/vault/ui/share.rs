//! Sharing an item (`?share=12`): a personal item moves into an organization, into at least
//! one of its collections (its key is re-wrapped under the organization's key in this tab; the
//! item itself is not sealed again), and an organization's item gets its collections changed.
//! Both name the revision they started from (V4).

use std::sync::Arc;

use leptos::prelude::*;

use super::edit::{Owner, OwnerFields, owners};
use super::{Filter, VaultState, vault_href};
use crate::accounts::unlocked;
use crate::error::{AppError, Refusal};
use crate::i18n::*;
use crate::ids::{CollectionId, ItemId, OrganizationId};
use crate::vault::api::{move_item, set_item_collections};
use crate::vault::browser::{OpenItem, OpenVault, rewrap_item_key};
use crate::widgets::{BrowserForm, CloseButton, Fields, FormAlert, Modal, NOWHERE};

fn chosen(fields: &Fields) -> Vec<CollectionId> {
    fields
        .all("collection")
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect()
}

/// Moves a personal item into the organization chosen, into the collections ticked.
async fn move_in(
    fields: Fields,
    vault: Arc<OpenVault>,
    item: OpenItem,
) -> Result<ItemId, AppError> {
    let organization = fields
        .optional("owner")
        .and_then(|o| o.parse::<OrganizationId>().ok())
        .ok_or(AppError::Refused(Refusal::CollectionRequired))?;
    let collections = chosen(&fields);
    if collections.is_empty() {
        return Err(AppError::Refused(Refusal::CollectionRequired));
    }
    let user_key = unlocked::with_keys(|keys| keys.user_key.clone())
        .ok_or(AppError::Refused(Refusal::KeysMissing))?;
    let organization_key = vault
        .keys
        .get(&organization)
        .cloned()
        .ok_or(AppError::Refused(Refusal::OrganizationKeyMissing))?;
    let key = rewrap_item_key(user_key, organization_key, item.key.clone()).await?;
    move_item(organization, item.id, item.revision, key, collections).await?;
    Ok(item.id)
}

#[component]
pub fn ShareDialog(vault: Arc<OpenVault>, item: OpenItem, filter: Filter) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<VaultState>();
    let form = BrowserForm::<ItemId>::new();
    let value = form.value();
    let back = vault_href(filter, Some(("item", item.id.to_string())));
    let navigate = leptos_router::hooks::use_navigate();
    {
        let back = back.clone();
        Effect::new(move |_| {
            if let Some(Ok(_)) = value.get() {
                state.reload();
                navigate(&back, Default::default());
            }
        });
    }
    let title = Signal::derive(move || t_string!(i18n, vault.share_title).to_string());
    let body = match item.organization {
        None => {
            let offered: Vec<Owner> = owners(&vault);
            if offered.is_empty() {
                view! { <p class="empty" data-testid="share-nowhere">{t!(i18n, vault.share_nowhere)}</p> }
                    .into_any()
            } else {
                let submit = {
                    let (vault, item) = (vault.clone(), item.clone());
                    move |fields: Fields| move_in(fields, vault.clone(), item.clone())
                };
                view! {
                    <p class="hint">{t!(i18n, vault.share_move_hint)}</p>
                    <form method="post" action=NOWHERE on:submit=move |event| form.submit(event, submit.clone())>
                        <FormAlert value />
                        <OwnerFields owners=offered include_me=false />
                        <div class="modal-actions">
                            <button type="submit" class="button primary" disabled=move || form.disabled().get()>
                                {t!(i18n, vault.share_move)}
                            </button>
                            <CloseButton cancel=true />
                        </div>
                    </form>
                }
                .into_any()
            }
        }
        Some(organization) => {
            let offered: Vec<(CollectionId, String)> = vault
                .collections
                .iter()
                .filter(|(_, owner, _)| *owner == organization)
                .map(|(id, _, name)| (*id, name.clone()))
                .collect();
            let (id, revision, current) = (item.id, item.revision, item.collections.clone());
            let submit = move |fields: Fields| async move {
                let collections = chosen(&fields);
                if collections.is_empty() {
                    return Err(AppError::Refused(Refusal::CollectionRequired));
                }
                set_item_collections(organization, id, revision, collections).await?;
                Ok(id)
            };
            view! {
                <p class="hint">{t!(i18n, vault.share_collections_hint)}</p>
                <form method="post" action=NOWHERE on:submit=move |event| form.submit(event, submit)>
                    <FormAlert value />
                    {move || matches!(value.get(), Some(Err(AppError::Conflict))).then(|| view! { <p><super::ReloadButton /></p> })}
                    <fieldset class="field">
                        <legend>{t!(i18n, vault.collections)}</legend>
                        {offered.into_iter().map(|(collection, name)| view! {
                            <label class="checkbox">
                                <input type="checkbox" name="collection" value=collection.to_string() checked=current.contains(&collection) />
                                " " {name}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <div class="modal-actions">
                        <button type="submit" class="button primary" disabled=move || form.disabled().get()>
                            {t!(i18n, vault.save)}
                        </button>
                        <CloseButton cancel=true />
                    </div>
                </form>
            }
            .into_any()
        }
    };
    view! {
        <Modal id="vault-share" title close_href=back>
            <p class="muted">{item.item.name.clone()}</p>
            {body}
        </Modal>
    }
}
