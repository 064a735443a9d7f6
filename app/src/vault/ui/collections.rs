//! Admin Console → Collections (`/organizations/{id}/collections`): the organization's
//! collections with how many items each holds and who was given access (V3). The names are
//! sealed under the organization's key, so this browser opens them once the tab is unlocked
//! (through the viewer's own copy of the key, or a provider's key for its client); the list,
//! its counts and deleting work without it. Provider users manage a client's collections, but
//! the items in them stay out of their reach (V2), and the page says so.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::accounts::ui::UnlockForm;
use crate::accounts::unlocked;
use crate::crypto::SymmetricKey;
use crate::error::{AppError, ErrorText, Field, Refusal};
use crate::i18n::*;
use crate::ids::{CollectionId, OrganizationId};
use crate::organizations::ui::{FormPage, organization_form_data};
use crate::routes;
use crate::vault::api::{DeleteCollection, list_collections, save_collection};
use crate::vault::browser::{open_names, seal_name};
use crate::vault::types::{Access, CollectionInput, CollectionsPage, MemberAccess};
use crate::widgets::{
    BrowserForm, CloseButton, Fields, FormAlert, Modal, NOWHERE, TextField, problem_of,
};

/// The longest collection name the form takes.
const MAX_NAME: usize = 200;

/// Saves counted, so the list reloads after each.
#[derive(Clone, Copy)]
struct Saves(RwSignal<u32>);

#[component]
pub fn CollectionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let saves = Saves(RwSignal::new(0));
    provide_context(saves);
    let delete = ServerAction::<DeleteCollection>::new();
    provide_context(delete);
    let deletes = crate::widgets::successes(delete);
    let loaded = organization_form_data(move || saves.0.get() + deletes.get(), list_collections);
    let title = Signal::derive(move || t_string!(i18n, vault.collections).to_string());
    view! {
        <FormPage title loaded here=routes::organization_collections form=|id, page| view! { <Collections id page /> } />
    }
}

/// The names, opened in this browser: the organization key and each name (none for one that
/// does not open).
type Opened = Option<Result<(SymmetricKey, Vec<Option<String>>), AppError>>;

#[component]
fn Collections(id: OrganizationId, page: CollectionsPage) -> impl IntoView {
    let i18n = use_i18n();
    let opened = RwSignal::<Opened, LocalStorage>::new_local(None);
    let names: Vec<_> = page.collections.iter().map(|c| c.name.clone()).collect();
    let place = page.key.clone();
    // Effects run in the browser: the names open there, once the tab is unlocked.
    Effect::new(move |_| {
        if !unlocked::is_unlocked() {
            return;
        }
        let (names, place) = (names.clone(), place.clone());
        leptos::task::spawn_local(async move {
            let Some(place) = place else {
                opened.set(Some(Err(AppError::Refused(
                    Refusal::OrganizationKeyMissing,
                ))));
                return;
            };
            let Some(private) = unlocked::with_keys(|keys| keys.private_key.clone()) else {
                return;
            };
            opened.set(Some(
                open_names(private, place, names)
                    .await
                    .map_err(AppError::from),
            ));
        });
    });
    let query = use_query_map();
    let dialog = Memo::new(move |_| {
        query.with(|q| {
            if q.get("new").is_some() {
                Some(Dialog::New)
            } else if let Some(c) = q.get("edit").and_then(|c| c.parse().ok()) {
                Some(Dialog::Edit(c))
            } else {
                q.get("delete")
                    .and_then(|c| c.parse().ok())
                    .map(Dialog::Delete)
            }
        })
    });
    let here = routes::organization_collections(id);
    let new_href = format!("{here}?new=1");
    let page = StoredValue::new(page);
    let name_of = move |index: usize| {
        opened.with(|o| match o {
            Some(Ok((_, names))) => names.get(index).cloned().flatten(),
            _ => None,
        })
    };
    view! {
        {(!page.with_value(|p| p.sees_items)).then(|| view! {
            <p class="alert alert-info" data-testid="items-not-for-providers">{t!(i18n, vault.providers_no_items)}</p>
        })}
        <p class="muted">{t!(i18n, vault.collections_intro)}</p>
        <Show when=move || !unlocked::is_unlocked()>
            <section class="panel narrow" aria-labelledby="collections-locked">
                <h2 id="collections-locked">{t!(i18n, vault.locked_title)}</h2>
                <p>{t!(i18n, vault.names_locked)}</p>
                <UnlockForm />
            </section>
        </Show>
        {move || opened.get().and_then(Result::err).map(|error| view! {
            <p class="alert alert-error" role="alert"><ErrorText error /></p>
        })}
        <div class="toolbar">
            <a class="button primary" href=new_href>{t!(i18n, vault.new_collection)}</a>
        </div>
        {move || {
            let collections = page.with_value(|p| p.collections.clone());
            if collections.is_empty() {
                return view! { <p class="empty">{t!(i18n, vault.no_collections)}</p> }.into_any();
            }
            let here = routes::organization_collections(id);
            view! {
                <table class="data-table" data-testid="collections">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, vault.name)}</th>
                            <th scope="col" class="num">{t!(i18n, vault.items)}</th>
                            <th scope="col" class="num">{t!(i18n, vault.members_with_access)}</th>
                            <th scope="col"><span class="visually-hidden">{t!(i18n, vault.actions)}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {collections.into_iter().enumerate().map(|(index, row)| {
                            let edit = format!("{here}?edit={}", row.id);
                            let delete = format!("{here}?delete={}", row.id);
                            view! {
                                <tr data-collection=row.id.to_string()>
                                    <th scope="row">
                                        {move || name_of(index).unwrap_or_else(|| format!("🔒 #{}", row.id))}
                                    </th>
                                    <td class="num">{row.items}</td>
                                    <td class="num">{row.access.len()}</td>
                                    <td class="actions">
                                        <a class="button small" href=edit>{t!(i18n, vault.edit)}</a>
                                        " "
                                        <a class="button small danger" href=delete>{t!(i18n, vault.delete)}</a>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }}
        {move || page.with_value(|p| p.unassigned > 0).then(|| view! {
            <p class="muted">{t!(i18n, vault.unassigned, count = move || page.with_value(|p| p.unassigned))}</p>
        })}
        {move || {
            let here = routes::organization_collections(id);
            match dialog.get()? {
                Dialog::New => Some(view! { <EditDialog id here page=page.get_value() index=None opened /> }.into_any()),
                Dialog::Edit(collection) => {
                    let index = page.with_value(|p| p.collections.iter().position(|c| c.id == collection))?;
                    Some(view! { <EditDialog id here page=page.get_value() index=Some(index) opened /> }.into_any())
                }
                Dialog::Delete(collection) => {
                    let index = page.with_value(|p| p.collections.iter().position(|c| c.id == collection))?;
                    let row = page.with_value(|p| p.collections[index].clone());
                    let name = name_of(index);
                    Some(view! { <DeleteDialog id here collection=row.id items=row.items name /> }.into_any())
                }
            }
        }}
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialog {
    New,
    Edit(CollectionId),
    Delete(CollectionId),
}

fn access_label(access: Option<Access>) -> String {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    match access {
        None => td_string!(locale, vault.access_none).to_string(),
        Some(Access::CanView) => td_string!(locale, vault.access_can_view).to_string(),
        Some(Access::CanViewExceptPasswords) => {
            td_string!(locale, vault.access_can_view_except).to_string()
        }
        Some(Access::CanEdit) => td_string!(locale, vault.access_can_edit).to_string(),
        Some(Access::CanEditExceptPasswords) => {
            td_string!(locale, vault.access_can_edit_except).to_string()
        }
        Some(Access::CanManage) => td_string!(locale, vault.access_can_manage).to_string(),
    }
}

fn access_value(access: Access) -> &'static str {
    match access {
        Access::CanView => "view",
        Access::CanViewExceptPasswords => "view-except",
        Access::CanEdit => "edit",
        Access::CanEditExceptPasswords => "edit-except",
        Access::CanManage => "manage",
    }
}

fn parse_access(value: &str) -> Option<Access> {
    Access::ALL.into_iter().find(|a| access_value(*a) == value)
}

/// A new collection (`index` none) or one of the list's, changed: its name sealed here, and
/// each grantee's access.
#[component]
fn EditDialog(
    id: OrganizationId,
    here: String,
    page: CollectionsPage,
    index: Option<usize>,
    opened: RwSignal<Opened, LocalStorage>,
) -> impl IntoView {
    let i18n = use_i18n();
    let saves = expect_context::<Saves>();
    let form = BrowserForm::<()>::new();
    form.outcome.set(None);
    let value = form.value();
    let navigate = leptos_router::hooks::use_navigate();
    let back = here.clone();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            saves.0.update(|n| *n += 1);
            navigate(&back, Default::default());
        }
    });
    let row = index.map(|i| page.collections[i].clone());
    let collection = row.as_ref().map(|r| r.id);
    let name = index.and_then(|i| {
        opened.with_untracked(|o| match o {
            Some(Ok((_, names))) => names.get(i).cloned().flatten(),
            _ => None,
        })
    });
    let given = row.map(|r| r.access).unwrap_or_default();
    let grantees = page.grantees.clone();
    let title = Signal::derive(move || {
        if collection.is_some() {
            t_string!(i18n, vault.edit_collection).to_string()
        } else {
            t_string!(i18n, vault.new_collection).to_string()
        }
    });
    let submit = move |fields: Fields| {
        let grantees = grantees.clone();
        async move {
            let name = fields.get("name").trim().to_owned();
            if name.is_empty() {
                return Err(AppError::field(
                    Field::Name,
                    crate::error::Problem::Required,
                ));
            }
            if name.chars().count() > MAX_NAME {
                return Err(AppError::field(
                    Field::Name,
                    crate::error::Problem::TooLong(MAX_NAME),
                ));
            }
            let key = opened
                .with_untracked(|o| match o {
                    Some(Ok((key, _))) => Some(key.clone()),
                    _ => None,
                })
                .ok_or(AppError::Refused(Refusal::OrganizationKeyMissing))?;
            let access = grantees
                .iter()
                .filter_map(|g| {
                    parse_access(&fields.get(&format!("access-{}", g.member))).map(|access| {
                        MemberAccess {
                            member: g.member,
                            access,
                        }
                    })
                })
                .collect();
            let name = seal_name(key, name).await?;
            save_collection(id, collection, CollectionInput { name, access }).await?;
            Ok(())
        }
    };
    let unlocked_key = move || opened.with(|o| matches!(o, Some(Ok(_))));
    view! {
        <Modal id="collection-edit" title close_href=here.clone()>
            {move || (!unlocked_key()).then(|| view! {
                <p class="alert alert-warning">{t!(i18n, vault.names_locked)}</p>
            })}
            <form method="post" action=NOWHERE on:submit=move |event| form.submit(event, submit.clone())>
                <FormAlert value />
                <TextField name="name" label=Signal::derive(move || t_string!(i18n, vault.name).to_string()) required=true maxlength=MAX_NAME value=name.unwrap_or_default() problem=problem_of(value, Field::Name) />
                <fieldset class="field">
                    <legend>{t!(i18n, vault.access)}</legend>
                    <p class="hint">{t!(i18n, vault.access_hint)}</p>
                    {if page.grantees.is_empty() {
                        view! { <p class="muted">{t!(i18n, vault.no_grantees)}</p> }.into_any()
                    } else {
                        view! {
                            <table class="data-table access-table">
                                <tbody>
                                    {page.grantees.iter().map(|g| {
                                        let current = given.iter().find(|a| a.member == g.member).map(|a| a.access);
                                        let field = format!("access-{}", g.member);
                                        let label = g.name.clone().map_or_else(|| g.email.clone(), |n| format!("{n} ({})", g.email));
                                        view! {
                                            <tr>
                                                <th scope="row"><label for=field.clone()>{label}</label></th>
                                                <td>
                                                    <select id=field.clone() name=field>
                                                        <option value="" selected=current.is_none()>{access_label(None)}</option>
                                                        {Access::ALL.into_iter().map(|a| view! {
                                                            <option value=access_value(a) selected=current == Some(a)>{access_label(Some(a))}</option>
                                                        }).collect_view()}
                                                    </select>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                        .into_any()
                    }}
                </fieldset>
                <div class="modal-actions">
                    <button type="submit" class="button primary" disabled=move || form.disabled().get() || !unlocked_key()>
                        {t!(i18n, vault.save)}
                    </button>
                    <CloseButton cancel=true />
                </div>
            </form>
        </Modal>
    }
}

/// Deleting a collection: a plain form (it works before the bundle loads); one that holds
/// items asks for a ticked box, and its items stay in the organization.
#[component]
fn DeleteDialog(
    id: OrganizationId,
    here: String,
    collection: CollectionId,
    items: u64,
    name: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = expect_context::<ServerAction<DeleteCollection>>();
    let value = Signal::derive(move || action.value().get());
    let navigate = leptos_router::hooks::use_navigate();
    let back = here.clone();
    let start = action.version().get_untracked();
    Effect::new(move |_| {
        if action.version().get() > start && matches!(value.get(), Some(Ok(()))) {
            navigate(&back, Default::default());
        }
    });
    let name = name.unwrap_or_else(|| format!("#{collection}"));
    let title = Signal::derive(move || {
        t_string!(i18n, vault.delete_collection_title, name = name.clone()).to_string()
    });
    view! {
        <Modal id="collection-delete" title close_href=here>
            <ActionForm action>
                <input type="hidden" name="organization" value=id.to_string() />
                <input type="hidden" name="id" value=collection.to_string() />
                <FormAlert value />
                {if items > 0 {
                    view! {
                        <p>{t!(i18n, vault.delete_collection_items, count = move || items)}</p>
                        <div class="field checkbox">
                            <label><input type="checkbox" name="with_items" value="true" /> " " {t!(i18n, vault.delete_with_items)}</label>
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <p>{t!(i18n, vault.delete_collection_empty)}</p>
                        <input type="hidden" name="with_items" value="false" />
                    }
                    .into_any()
                }}
                <div class="modal-actions">
                    <button type="submit" class="button danger" disabled=move || action.pending().get()>
                        {t!(i18n, vault.delete)}
                    </button>
                    <CloseButton cancel=true />
                </div>
            </ActionForm>
        </Modal>
    }
}
