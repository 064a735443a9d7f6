//! Adding (`?folder=new`), renaming and deleting (`?folder=3`) a folder. The name is sealed
//! under the user key in this tab; deleting a folder leaves its items in no folder.

use leptos::prelude::*;

use super::{Filter, VaultState, vault_href};
use crate::accounts::unlocked;
use crate::error::{AppError, ErrorText, Field, Problem, Refusal};
use crate::i18n::*;
use crate::ids::FolderId;
use crate::vault::api::{delete_folder, save_folder};
use crate::vault::browser::seal_name;
use crate::widgets::{
    BrowserForm, CloseButton, Fields, FormAlert, Modal, NOWHERE, TextField, problem_of,
};

/// The longest folder name the form takes.
const MAX_FOLDER_NAME: usize = 100;

async fn save(fields: Fields, id: Option<FolderId>) -> Result<FolderId, AppError> {
    let name = fields.get("name").trim().to_owned();
    if name.is_empty() {
        return Err(AppError::field(Field::Name, Problem::Required));
    }
    if name.chars().count() > MAX_FOLDER_NAME {
        return Err(AppError::field(
            Field::Name,
            Problem::TooLong(MAX_FOLDER_NAME),
        ));
    }
    let key = unlocked::with_keys(|keys| keys.user_key.clone())
        .ok_or(AppError::Refused(Refusal::KeysMissing))?;
    let sealed = seal_name(key, name).await?;
    save_folder(id, sealed).await
}

/// `existing`: the folder being renamed, with its name; none for a new one.
#[component]
pub fn FolderDialog(existing: Option<(FolderId, String)>, filter: Filter) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<VaultState>();
    let form = BrowserForm::<FolderId>::new();
    let value = form.value();
    let id = existing.as_ref().map(|(id, _)| *id);
    let close = vault_href(filter, None);
    let navigate = leptos_router::hooks::use_navigate();
    let done = {
        let navigate = navigate.clone();
        move |to: Filter| {
            state.reload();
            navigate(&vault_href(to, None), Default::default());
        }
    };
    {
        let done = done.clone();
        Effect::new(move |_| {
            if let Some(Ok(saved)) = value.get() {
                done(Filter::Folder(saved));
            }
        });
    }
    let deleting = RwSignal::new(false);
    let deleted = RwSignal::new(None::<Result<(), AppError>>);
    let delete = move |_| {
        let Some(id) = id else { return };
        let done = done.clone();
        leptos::task::spawn_local(async move {
            let result = delete_folder(id).await;
            if result.is_ok() {
                done(Filter::All);
            }
            deleted.set(Some(result));
        });
    };
    let title = Signal::derive(move || {
        if id.is_some() {
            t_string!(i18n, vault.folder_edit_title).to_string()
        } else {
            t_string!(i18n, vault.folder_new_title).to_string()
        }
    });
    let name = existing.map(|(_, name)| name).unwrap_or_default();
    let name_problem = problem_of(value, Field::Name);
    view! {
        <Modal id="vault-folder" title close_href=close>
            <form method="post" action=NOWHERE on:submit=move |event| form.submit(event, move |fields| save(fields, id))>
                <FormAlert value />
                <TextField
                    name="name"
                    label=Signal::derive(move || t_string!(i18n, vault.name).to_string())
                    required=true
                    maxlength=MAX_FOLDER_NAME
                    value=name
                    problem=name_problem
                />
                <div role="alert">
                    {move || deleted.get().and_then(Result::err).map(|error| view! {
                        <p class="alert alert-error"><ErrorText error /></p>
                    })}
                </div>
                <div class="modal-actions">
                    <button type="submit" class="button primary" disabled=move || form.disabled().get()>
                        {t!(i18n, vault.save)}
                    </button>
                    {id.is_some().then(|| view! {
                        <Show
                            when=move || deleting.get()
                            fallback=move || view! {
                                <button type="button" class="button danger" on:click=move |_| deleting.set(true)>
                                    {t!(i18n, vault.folder_delete)}
                                </button>
                            }
                        >
                            <span class="hint">{t!(i18n, vault.folder_delete_confirm)}</span>
                            <button type="button" class="button danger" on:click=delete.clone()>
                                {t!(i18n, vault.delete_yes)}
                            </button>
                        </Show>
                    })}
                    <CloseButton cancel=true />
                </div>
            </form>
        </Modal>
    }
}
