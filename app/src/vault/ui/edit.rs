//! Adding (`?new=1`, the type's number) and editing (`?edit=12`) an item. The form is read and
//! sealed in this browser: the item under its own key, that key under the owner's (the user
//! key, or an organization's key for a new item placed in its collections); the server gets
//! envelopes only. An edit names the revision it started from, so a change made meanwhile
//! elsewhere is refused (409) and the list reloads.

use std::sync::Arc;

use leptos::prelude::*;

use super::{Filter, KindName, VaultState, vault_href};
use crate::accounts::unlocked;
use crate::crypto::vault::{
    Item, ItemType, Login, LoginUri, MAX_PASSWORD_HISTORY, PasswordHistory,
};
use crate::error::{AppError, Field, Problem, Refusal};
use crate::i18n::*;
use crate::ids::{CollectionId, FolderId, ItemId, OrganizationId};
use crate::vault::api::{create_item, create_org_item, place_item, update_item, update_org_item};
use crate::vault::browser::{OpenItem, OpenVault, seal_item};
use crate::widgets::{
    BrowserForm, CloseButton, Fields, FormAlert, Modal, NOWHERE, TextField, problem_of,
};

/// The longest name the form takes (the sealed name stays far below the item's size limit).
const MAX_NAME: usize = 200;

fn optional(fields: &Fields, name: &str) -> Option<String> {
    fields
        .optional(name)
        .filter(|value| !value.trim().is_empty())
}

/// The item as the form left it: `base` (the item being edited, or a new empty one) with the
/// form's fields written over it. Custom fields and history the form does not show are kept;
/// a changed password goes into the history (the last five). With `keep_password` (an editor
/// whose access excludes passwords: the form showed neither password nor one-time code) both
/// stay as they were.
fn read_item(
    fields: &Fields,
    mut item: Item<String>,
    keep_password: bool,
) -> Result<Item<String>, AppError> {
    let name = fields.get("name").trim().to_owned();
    if name.is_empty() {
        return Err(AppError::field(Field::Name, Problem::Required));
    }
    if name.chars().count() > MAX_NAME {
        return Err(AppError::field(Field::Name, Problem::TooLong(MAX_NAME)));
    }
    item.name = name;
    item.notes = optional(fields, "notes");
    item.reprompt = u8::from(!fields.get("reprompt").is_empty());
    // An editor whose access excludes passwords saw no custom fields (hidden ones are
    // passwords too): they stay as they were.
    if !keep_password {
        item.fields = super::custom_fields::read(fields, item.kind);
    }
    match item.kind {
        ItemType::Login => {
            let login = item.login.get_or_insert(Login {
                username: None,
                password: None,
                totp: None,
                uris: Vec::new(),
                password_revision_date: None,
            });
            let password = if keep_password {
                login.password.clone()
            } else {
                optional(fields, "password")
            };
            if let Some(old) = login.password.clone()
                && password.as_ref() != Some(&old)
            {
                let now = now_iso();
                item.password_history.insert(
                    0,
                    PasswordHistory {
                        password: old,
                        last_used_date: now.clone(),
                    },
                );
                item.password_history.truncate(MAX_PASSWORD_HISTORY);
                login.password_revision_date = Some(now);
            }
            login.username = optional(fields, "username");
            login.password = password;
            if !keep_password {
                login.totp = optional(fields, "totp");
            }
            let uri = optional(fields, "uri");
            match (login.uris.first_mut(), uri) {
                (Some(first), Some(uri)) => first.uri = Some(uri),
                (Some(_), None) => {
                    login.uris.remove(0);
                }
                (None, Some(uri)) => login.uris.push(LoginUri {
                    uri: Some(uri),
                    match_kind: None,
                }),
                (None, None) => {}
            }
        }
        ItemType::Card => {
            let card = item
                .card
                .get_or_insert_with(crate::crypto::vault::Card::empty);
            card.cardholder_name = optional(fields, "cardholder");
            card.brand = optional(fields, "brand");
            card.number = optional(fields, "number");
            card.exp_month = optional(fields, "exp_month");
            card.exp_year = optional(fields, "exp_year");
            card.code = optional(fields, "code");
        }
        ItemType::Identity => {
            let identity = item
                .identity
                .get_or_insert_with(crate::crypto::vault::Identity::empty);
            identity.first_name = optional(fields, "first_name");
            identity.last_name = optional(fields, "last_name");
            identity.email = optional(fields, "email");
            identity.phone = optional(fields, "phone");
            identity.company = optional(fields, "company");
            identity.username = optional(fields, "identity_username");
        }
        ItemType::SshKey => {
            let key = item
                .ssh_key
                .get_or_insert_with(crate::crypto::vault::SshKey::empty);
            key.private_key = optional(fields, "private_key");
            key.public_key = optional(fields, "public_key");
            key.key_fingerprint = optional(fields, "key_fingerprint");
        }
        ItemType::SecureNote => {}
    }
    Ok(item)
}

fn now_iso() -> String {
    #[cfg(feature = "hydrate")]
    {
        String::from(js_sys::Date::new_0().to_iso_string())
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// Reads, seals and sends the form; returns the item's id.
async fn save(
    fields: Fields,
    vault: Arc<OpenVault>,
    kind: ItemType,
    existing: Option<OpenItem>,
) -> Result<ItemId, AppError> {
    let base = existing
        .as_ref()
        .map_or_else(|| Item::new(kind, String::new()), |e| e.item.clone());
    let keep_password = existing.as_ref().is_some_and(|e| e.rights.hide_passwords);
    let item = read_item(&fields, base, keep_password)?;
    let owner = match &existing {
        Some(existing) => existing.organization,
        None => fields
            .optional("owner")
            .and_then(|o| o.parse::<OrganizationId>().ok()),
    };
    let collections: Vec<CollectionId> = fields
        .all("collection")
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect();
    if existing.is_none() && owner.is_some() && collections.is_empty() {
        return Err(AppError::Refused(Refusal::CollectionRequired));
    }
    let owner_key = match owner {
        None => unlocked::with_keys(|keys| keys.user_key.clone())
            .ok_or(AppError::Refused(Refusal::KeysMissing))?,
        Some(organization) => vault
            .keys
            .get(&organization)
            .cloned()
            .ok_or(AppError::Refused(Refusal::OrganizationKeyMissing))?,
    };
    let input = seal_item(owner_key, existing.as_ref().map(|e| e.key.clone()), item).await?;
    let written = match (&existing, owner) {
        (None, None) => create_item(input).await?,
        (None, Some(organization)) => create_org_item(organization, collections, input).await?,
        (Some(e), None) => update_item(e.id, e.revision, input).await?,
        (Some(e), Some(organization)) => {
            update_org_item(organization, e.id, e.revision, input).await?
        }
    };
    let folder = fields
        .optional("folder")
        .and_then(|f| f.parse::<FolderId>().ok());
    let favorite = !fields.get("favorite").is_empty();
    let (was_folder, was_favorite) = existing
        .as_ref()
        .map_or((None, false), |e| (e.folder, e.favorite));
    if (folder, favorite) != (was_folder, was_favorite) {
        place_item(written.id, folder, favorite).await?;
    }
    Ok(written.id)
}

#[component]
pub fn EditDialog(
    vault: Arc<OpenVault>,
    kind: ItemType,
    #[prop(optional)] existing: Option<OpenItem>,
    filter: Filter,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<VaultState>();
    let form = BrowserForm::<ItemId>::new();
    let value = form.value();
    let close = match &existing {
        Some(item) => vault_href(filter, Some(("item", item.id.to_string()))),
        None => vault_href(filter, None),
    };
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = value.get() {
            state.reload();
            navigate(
                &vault_href(filter, Some(("item", id.to_string()))),
                Default::default(),
            );
        }
    });
    let adding = existing.is_none();
    let title = Signal::derive(move || {
        if adding {
            t_string!(i18n, vault.new_title).to_string()
        } else {
            t_string!(i18n, vault.edit_title).to_string()
        }
    });
    let item = existing
        .as_ref()
        .map_or_else(|| Item::new(kind, String::new()), |e| e.item.clone());
    let folder = existing.as_ref().and_then(|e| e.folder);
    let favorite = existing.as_ref().is_some_and(|e| e.favorite);
    // Organizations with a collection the user may put items in, for a new item.
    let owners = if adding { owners(&vault) } else { Vec::new() };
    let folders = vault.folders.clone();
    let submit_vault = vault.clone();
    let submit_existing = existing.clone();
    let submit =
        move |fields: Fields| save(fields, submit_vault.clone(), kind, submit_existing.clone());
    let name_problem = problem_of(value, Field::Name);
    let hide_password = existing.as_ref().is_some_and(|e| e.rights.hide_passwords);
    // An item that asks for the master password again asks before its form shows.
    let reprompt = item.reprompt == 1 && !adding;
    let confirmed = RwSignal::new(!reprompt);
    view! {
        <Modal id="vault-edit" title close_href=close>
            <p class="muted"><KindName kind /></p>
            {reprompt.then(|| view! { <super::item::Reprompt confirmed /> })}
            <form method="post" action=NOWHERE hidden=move || !confirmed.get() on:submit=move |event| form.submit(event, submit.clone())>
                <FormAlert value />
                {move || matches!(value.get(), Some(Err(AppError::Conflict))).then(|| view! { <p><super::ReloadButton /></p> })}
                <TextField name="name" label=Signal::derive(move || t_string!(i18n, vault.name).to_string()) required=true maxlength=MAX_NAME value=item.name.clone() problem=name_problem />
                <TypeFields item=item.clone() hide_password />
                <div class="field">
                    <label for="field-notes">{t!(i18n, vault.notes)}</label>
                    <textarea id="field-notes" name="notes" rows="3">{item.notes.clone().unwrap_or_default()}</textarea>
                </div>
                {(!folders.is_empty()).then(|| view! {
                    <div class="field">
                        <label for="field-folder">{t!(i18n, vault.folder)}</label>
                        <select id="field-folder" name="folder">
                            <option value="" selected=folder.is_none()>{t!(i18n, vault.no_folder)}</option>
                            {folders.iter().map(|(id, name)| view! {
                                <option value=id.to_string() selected=folder == Some(*id)>{name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                })}
                {(!hide_password).then(|| view! { <super::custom_fields::CustomFields fields=item.fields.clone() kind=item.kind /> })}
                <div class="field checkbox">
                    <label><input type="checkbox" name="favorite" value="1" checked=favorite /> " " {t!(i18n, vault.favorite)}</label>
                </div>
                <div class="field checkbox">
                    <label><input type="checkbox" name="reprompt" value="1" checked=item.reprompt == 1 /> " " {t!(i18n, vault.reprompt_option)}</label>
                </div>
                {(!owners.is_empty()).then(|| view! { <OwnerFields owners include_me=true /> })}
                <div class="modal-actions">
                    <button type="submit" class="button primary" disabled=move || form.disabled().get()>
                        {t!(i18n, vault.save)}
                    </button>
                    <CloseButton cancel=true />
                </div>
            </form>
        </Modal>
    }
}

/// An organization an item can be placed in, with the collections offered.
pub(super) struct Owner {
    organization: OrganizationId,
    name: String,
    collections: Vec<(CollectionId, String)>,
}

/// The organizations whose key this tab holds, with the collections the user sees in them.
pub(super) fn owners(vault: &OpenVault) -> Vec<Owner> {
    let mut owners: Vec<Owner> = Vec::new();
    for (id, organization, name) in &vault.collections {
        if !vault.keys.contains_key(organization) {
            continue;
        }
        match owners.iter_mut().find(|o| o.organization == *organization) {
            Some(owner) => owner.collections.push((*id, name.clone())),
            None => owners.push(Owner {
                organization: *organization,
                name: vault.organization_name(*organization),
                collections: vec![(*id, name.clone())],
            }),
        }
    }
    owners
}

/// Who an item belongs to: the user (offered with `include_me`), or an organization, in at
/// least one of its collections.
#[component]
pub(super) fn OwnerFields(owners: Vec<Owner>, include_me: bool) -> impl IntoView {
    let i18n = use_i18n();
    let first = if include_me {
        String::new()
    } else {
        owners
            .first()
            .map(|o| o.organization.to_string())
            .unwrap_or_default()
    };
    let owner = RwSignal::new(first.clone());
    view! {
        <div class="field">
            <label for="field-owner">{t!(i18n, vault.owner)}</label>
            <select id="field-owner" name="owner" on:change=move |ev| owner.set(event_target_value(&ev))>
                {include_me.then(|| view! { <option value="" selected=true>{t!(i18n, vault.owner_me)}</option> })}
                {owners.iter().map(|owner| {
                    let id = owner.organization.to_string();
                    view! { <option value=id.clone() selected=id == first>{owner.name.clone()}</option> }
                }).collect_view()}
            </select>
        </div>
        {owners.into_iter().map(|Owner { organization, collections, .. }| {
            let id = organization.to_string();
            view! {
                // Disabled as well as hidden: ticks left in another organization's collections
                // are not sent.
                <fieldset class="field" hidden={let id = id.clone(); move || owner.get() != id} disabled=move || owner.get() != id>
                    <legend>{t!(i18n, vault.collections)}</legend>
                    {collections.into_iter().map(|(collection, name)| view! {
                        <label class="checkbox">
                            <input type="checkbox" name="collection" value=collection.to_string() />
                            " " {name}
                        </label>
                    }).collect_view()}
                </fieldset>
            }
        }).collect_view()}
    }
}

fn text_field(
    name: &'static str,
    label: Signal<String>,
    value: Option<String>,
    input_type: &'static str,
) -> impl IntoView {
    view! {
        <TextField name label input_type autocomplete="off" value=value.unwrap_or_default() problem=Signal::derive(|| None) />
    }
}

/// The fields of the item's type.
#[component]
fn TypeFields(
    item: Item<String>,
    /// The editor's access excludes passwords: the password and one-time code are not shown
    /// (and stay as they are).
    hide_password: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = |text: fn(Locale) -> String| Signal::derive(move || text(i18n.get_locale()));
    match item.kind {
        ItemType::Login => {
            let login = item.login.unwrap_or(Login {
                username: None,
                password: None,
                totp: None,
                uris: Vec::new(),
                password_revision_date: None,
            });
            let uri = login.uris.first().and_then(|u| u.uri.clone());
            let secrets = if hide_password {
                view! { <p class="hint">{t!(i18n, vault.password_hidden)}</p> }.into_any()
            } else {
                view! {
                    {text_field("password", label(|l| td_string!(l, vault.password).to_string()), login.password, "password")}
                    <super::generator::Generator target="field-password" />
                    {text_field("totp", label(|l| td_string!(l, vault.totp_secret).to_string()), login.totp, "text")}
                }
                .into_any()
            };
            view! {
                {text_field("username", label(|l| td_string!(l, vault.username).to_string()), login.username, "text")}
                {secrets}
                {text_field("uri", label(|l| td_string!(l, vault.website).to_string()), uri, "text")}
            }
            .into_any()
        }
        ItemType::Card => {
            let card = item.card.unwrap_or_else(crate::crypto::vault::Card::empty);
            view! {
                {text_field("cardholder", label(|l| td_string!(l, vault.cardholder).to_string()), card.cardholder_name, "text")}
                {text_field("brand", label(|l| td_string!(l, vault.brand).to_string()), card.brand, "text")}
                {text_field("number", label(|l| td_string!(l, vault.card_number).to_string()), card.number, "text")}
                {text_field("exp_month", label(|l| td_string!(l, vault.exp_month).to_string()), card.exp_month, "text")}
                {text_field("exp_year", label(|l| td_string!(l, vault.exp_year).to_string()), card.exp_year, "text")}
                {text_field("code", label(|l| td_string!(l, vault.security_code).to_string()), card.code, "password")}
            }
            .into_any()
        }
        ItemType::Identity => {
            let identity = item
                .identity
                .unwrap_or_else(crate::crypto::vault::Identity::empty);
            view! {
                {text_field("first_name", label(|l| td_string!(l, vault.first_name).to_string()), identity.first_name, "text")}
                {text_field("last_name", label(|l| td_string!(l, vault.last_name).to_string()), identity.last_name, "text")}
                {text_field("email", label(|l| td_string!(l, vault.email).to_string()), identity.email, "text")}
                {text_field("phone", label(|l| td_string!(l, vault.phone).to_string()), identity.phone, "text")}
                {text_field("company", label(|l| td_string!(l, vault.company).to_string()), identity.company, "text")}
                {text_field("identity_username", label(|l| td_string!(l, vault.username).to_string()), identity.username, "text")}
            }
            .into_any()
        }
        ItemType::SshKey => {
            let key = item
                .ssh_key
                .unwrap_or_else(crate::crypto::vault::SshKey::empty);
            view! {
                {text_field("private_key", label(|l| td_string!(l, vault.private_key).to_string()), key.private_key, "password")}
                {text_field("public_key", label(|l| td_string!(l, vault.public_key).to_string()), key.public_key, "text")}
                {text_field("key_fingerprint", label(|l| td_string!(l, vault.key_fingerprint).to_string()), key.key_fingerprint, "text")}
            }
            .into_any()
        }
        ItemType::SecureNote => ().into_any(),
    }
}
