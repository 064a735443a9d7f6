//! The Clients page's dialogs: New client, Add existing organization, Update name, Manage
//! subscription and Unlink. Each but New client is a form posting to its server function with
//! `return_to` (the list without the dialog), so success closes the dialog with or without the
//! bundle. New client makes the organization's keys in the browser, so it needs the bundle (a
//! `<noscript>` says so).

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::{ClientsContext, Dialog, refresh_on_success};
use crate::accounts::ui::{NeedsScript, UnlockField, outcome, private_key};
use crate::accounts::{browser, unlocked};
use crate::clients::api::{
    RenameClient, SetClientSeats, UnlinkClient, add_existing_organization, create_client,
    eligible_organizations, get_client_details,
};
use crate::clients::types::{ClientDetails, EligibleOrganization, NewClientForm};
use crate::crypto::WrappedKey;
use crate::error::{AppError, ErrorText, Field, Refusal};
use crate::i18n::*;
use crate::ids::{OrganizationId, ProviderId};
use crate::organizations::types::{MAX_ORGANIZATION_NAME_CHARS, MAX_SEATS};
use crate::organizations::ui::PlanName;
use crate::providers::types::{ProviderOverview, format_cents};
use crate::widgets::{BrowserForm, CloseButton, Fields, FormAlert, Modal, TextField, problem_of};

/// The row's ⋮ button, which opened the dialog: focus goes back to it on close.
fn row_menu_button(client: OrganizationId) -> String {
    format!("[aria-controls='client-menu-{client}']")
}

/// A dialog's submit button (disabled while the call runs) and its way out.
#[component]
fn SubmitOrCancel(
    pending: Memo<bool>,
    #[prop(optional)] danger: bool,
    children: Children,
) -> impl IntoView {
    let class = if danger {
        "button danger"
    } else {
        "button primary"
    };
    view! {
        <div class="modal-actions">
            <button type="submit" class=class disabled=move || pending.get()>
                {children()}
            </button>
            <CloseButton cancel=true />
        </div>
    }
}

/// A dialog that could not open (no access, a client of another provider): why, and Close.
#[component]
fn ErrorDialog(error: AppError, close: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Modal id="client-dialog" title=Signal::derive(move || t_string!(i18n, clients.title).to_string()) close_href=close>
            <p class="alert alert-error" role="alert"><ErrorText error /></p>
            <div class="modal-actions">
                <CloseButton />
            </div>
        </Modal>
    }
}

/// The hidden fields every dialog form carries.
#[component]
fn Context() -> impl IntoView {
    let context = expect_context::<ClientsContext>();
    view! {
        <input type="hidden" name="provider" value=context.provider.to_string() />
        <input type="hidden" name="return_to" value=move || context.here(None) />
    }
}

#[component]
pub fn ClientDialog(dialog: Dialog, overview: ProviderOverview) -> impl IntoView {
    let context = expect_context::<ClientsContext>();
    let close = Signal::derive(move || context.here(None));
    let admin_only = matches!(
        dialog,
        Dialog::NewClient | Dialog::AddExisting | Dialog::Unlink(_)
    );
    if admin_only && !overview.may_manage_clients {
        return view! { <ErrorDialog error=AppError::Forbidden close /> }.into_any();
    }
    match dialog {
        Dialog::NewClient => view! { <NewClientDialog overview close /> }.into_any(),
        Dialog::AddExisting => view! { <AddExistingDialog overview close /> }.into_any(),
        Dialog::Rename(client) | Dialog::Seats(client) | Dialog::Unlink(client) => {
            view! { <ClientDialogWithDetails dialog client close /> }.into_any()
        }
    }
}

/// New client (VAULT.md §2): the fields are checked first, in the browser as the server will;
/// then this browser opens the admin's copy of the provider key (asking for the master password
/// when the tab is locked), makes the organization's key and key pair, and sends them with the
/// key wrapped under the provider key. The dialog closes itself once the client exists.
#[component]
fn NewClientDialog(overview: ProviderOverview, close: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    let form = BrowserForm::<OrganizationId>::new();
    let value = form.value();
    refresh_on_success(context.refresh, value);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            navigate(&context.here(None), Default::default());
        }
    });
    let plans = overview.plans.clone();
    let Some(provider_key) = overview.my_key.clone() else {
        let error = AppError::Refused(Refusal::ProviderKeyMissing);
        return view! { <ErrorDialog error close /> }.into_any();
    };
    let provider = context.provider;
    let create = move |fields: Fields| create_client_with(provider, provider_key.clone(), fields);
    view! {
        <Modal id="new-client" title=Signal::derive(move || t_string!(i18n, clients.new_client_title).to_string()) close_href=close>
            <NeedsScript />
            <form method="post" action=crate::widgets::NOWHERE on:submit=move |event| form.submit(event, create.clone())>
                <FormAlert value />
                <TextField
                    name="name"
                    required=true
                    maxlength=MAX_ORGANIZATION_NAME_CHARS
                    label=Signal::derive(move || t_string!(i18n, clients.organization_name).to_string())
                    problem=problem_of(value, Field::Name)
                />
                <div class="field" class:invalid=move || problem_of(value, Field::Plan).get().is_some()>
                    <label for="field-new-client-plan">{t!(i18n, clients.plan)}</label>
                    <select id="field-new-client-plan" name="plan" required=true>
                        {plans
                            .into_iter()
                            .map(|terms| {
                                let price = format_cents(terms.price_cents);
                                view! {
                                    <option value=terms.plan.as_str()>
                                        <PlanName plan=terms.plan />
                                        " — "
                                        {t!(i18n, clients.price_per_seat, price = move || price.clone())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p class="problem" role="alert">
                        {move || problem_of(value, Field::Plan).get().map(|problem| view! { <crate::error::ProblemText problem /> })}
                    </p>
                </div>
                <TextField
                    name="seats"
                    input_type="number"
                    inputmode="numeric"
                    required=true
                    value="1".to_owned()
                    label=Signal::derive(move || t_string!(i18n, clients.seats).to_string())
                    hint=ViewFn::from(move || t!(i18n, clients.seats_hint, max = move || MAX_SEATS))
                    problem=problem_of(value, Field::Seats)
                />
                <TextField
                    name="owner_email"
                    input_type="email"
                    required=true
                    autocomplete="off"
                    label=Signal::derive(move || t_string!(i18n, clients.owner_email).to_string())
                    hint=ViewFn::from(move || t!(i18n, clients.owner_email_hint))
                    problem=problem_of(value, Field::OwnerEmail)
                />
                <UnlockField problem=problem_of(value, Field::CurrentPassword) hint=ViewFn::from(move || t!(i18n, clients.unlock_hint)) />
                <SubmitOrCancel pending=Memo::new(move |_| form.disabled().get())>
                    {t!(i18n, clients.create)}
                </SubmitOrCancel>
            </form>
        </Modal>
    }
    .into_any()
}

/// The New client form's work, in order: the fields (no key is made for a form the server
/// would refuse), the keys (unlocking the tab first when it is locked), then the client.
async fn create_client_with(
    provider: ProviderId,
    provider_key: WrappedKey,
    fields: Fields,
) -> Result<OrganizationId, AppError> {
    let (name, plan, seats, owner_email) = (
        fields.get("name"),
        fields.get("plan"),
        fields.get("seats"),
        fields.get("owner_email"),
    );
    NewClientForm {
        name: name.clone(),
        plan: plan.clone(),
        seats: seats.clone(),
        owner_email: owner_email.clone(),
    }
    .read()?;
    let private = private_key(fields.get("current_password")).await?;
    let keys = browser::client_keys(private, provider_key).await?;
    create_client(provider, name, plan, seats, owner_email, keys).await
}

/// Seed 004: the organizations this admin owns and may add, each with "Add"; and "Close".
/// Adding one hands its key to the provider (VAULT.md §2): this browser opens the admin's own
/// copy of the organization key and the admin's copy of the provider key (asking for the master
/// password when the tab is locked) and sends the organization key wrapped under the provider
/// key. The dialog closes itself once the organization is a client.
#[component]
fn AddExistingDialog(overview: ProviderOverview, close: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    let form = BrowserForm::<()>::new();
    let value = form.value();
    refresh_on_success(context.refresh, value);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            navigate(&context.here(None), Default::default());
        }
    });
    let provider = context.provider;
    let provider_key = overview.my_key.clone();
    let password = RwSignal::new(String::new());
    let eligible = Resource::new_blocking(
        move || context.refresh.get(),
        move |_| eligible_organizations(provider),
    );
    let row = move |organization: EligibleOrganization| {
        let add = {
            let (organization, provider_key) = (organization.clone(), provider_key.clone());
            move |_: Fields| {
                add_existing_with(
                    provider,
                    provider_key.clone(),
                    organization.clone(),
                    password.get_untracked(),
                )
            }
        };
        view! {
            <li>
                <span class="eligible-name">{organization.name.clone()}</span>
                <span class="muted">
                    <PlanName plan=organization.plan />
                    " · "
                    {t!(i18n, clients.seat_count, count = move || organization.seats)}
                </span>
                <form method="post" action=crate::widgets::NOWHERE on:submit=move |event| form.submit(event, add.clone())>
                    <button type="submit" class="button primary" disabled=form.disabled()>
                        {t!(i18n, clients.add)}
                    </button>
                </form>
            </li>
        }
    };
    view! {
        <Modal id="add-existing" title=Signal::derive(move || t_string!(i18n, clients.add_existing_title).to_string()) close_href=close>
            <p>{t!(i18n, clients.add_existing_intro)}</p>
            <NeedsScript />
            <FormAlert value />
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || {
                    eligible
                        .get()
                        .map(|result| match result {
                            Ok(list) if list.is_empty() => {
                                view! { <p class="muted">{t!(i18n, clients.add_existing_none)}</p> }.into_any()
                            }
                            Ok(list) => {
                                view! {
                                    <Show when=move || !unlocked::is_unlocked()>
                                        <div class="field" class:invalid=move || problem_of(value, Field::CurrentPassword).get().is_some()>
                                            <label for="add-existing-password">{t!(i18n, accounts.master_password)}</label>
                                            <input
                                                id="add-existing-password"
                                                type="password"
                                                autocomplete="current-password"
                                                aria-describedby="add-existing-password-hint add-existing-password-error"
                                                on:input=move |event| password.set(event_target_value(&event))
                                                prop:value=move || password.get()
                                            />
                                            <p class="hint" id="add-existing-password-hint">{t!(i18n, clients.add_existing_unlock_hint)}</p>
                                            <p class="problem" id="add-existing-password-error" role="alert">
                                                {move || problem_of(value, Field::CurrentPassword).get().map(|problem| view! { <crate::error::ProblemText problem /> })}
                                            </p>
                                        </div>
                                    </Show>
                                    <ul class="eligible-list">
                                        {list.into_iter().map(row.clone()).collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <p class="alert alert-error" role="alert"><ErrorText error /></p> }.into_any(),
                        })
                }}
            </Transition>
            <div class="modal-actions">
                <CloseButton />
            </div>
        </Modal>
    }
}

/// Add existing's work: an organization with keys needs the provider key and the admin's own
/// copy of the organization key, both opened here (unlocking the tab first when it is locked);
/// one made before keys existed is added without.
async fn add_existing_with(
    provider: ProviderId,
    provider_key: Option<WrappedKey>,
    organization: EligibleOrganization,
    password: String,
) -> Result<(), AppError> {
    let key = if organization.has_keys {
        let provider_key = provider_key.ok_or(AppError::Refused(Refusal::ProviderKeyMissing))?;
        let own = organization
            .key
            .ok_or(AppError::Refused(Refusal::OrganizationKeyMissing))?;
        let private = private_key(password).await?;
        Some(browser::client_key_of(private, own, provider_key).await?)
    } else {
        None
    };
    add_existing_organization(provider, organization.id, key).await
}

/// Rename, seats and unlink need the client's current figures (it may not be on this page).
#[component]
fn ClientDialogWithDetails(
    dialog: Dialog,
    client: crate::ids::OrganizationId,
    close: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    let provider = context.provider;
    let details = Resource::new_blocking(
        move || context.refresh.get(),
        move |_| get_client_details(provider, client),
    );
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                details
                    .get()
                    .map(|result| match result {
                        Ok(details) => match dialog {
                            Dialog::Rename(_) => view! { <RenameDialog details close /> }.into_any(),
                            Dialog::Seats(_) => view! { <SeatsDialog details close /> }.into_any(),
                            _ => view! { <UnlinkDialog details close /> }.into_any(),
                        },
                        Err(error) => view! { <ErrorDialog error close /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn RenameDialog(details: ClientDetails, close: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    let action = ServerAction::<RenameClient>::new();
    let value = outcome(action);
    refresh_on_success(context.refresh, value);
    view! {
        <Modal id="rename-client" title=Signal::derive(move || t_string!(i18n, clients.update_name).to_string()) close_href=close return_focus=row_menu_button(details.id)>
            <ActionForm action>
                <Context />
                <input type="hidden" name="client" value=details.id.to_string() />
                <FormAlert value />
                <TextField
                    name="name"
                    required=true
                    maxlength=MAX_ORGANIZATION_NAME_CHARS
                    value=details.name.clone()
                    label=Signal::derive(move || t_string!(i18n, clients.organization_name).to_string())
                    problem=problem_of(value, Field::Name)
                />
                <SubmitOrCancel pending=action.pending()>
                    {t!(i18n, clients.save)}
                </SubmitOrCancel>
            </ActionForm>
        </Modal>
    }
}

/// Manage subscription: every limit on the number is explained next to it (rules 2 and 8).
#[component]
fn SeatsDialog(details: ClientDetails, close: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    let action = ServerAction::<SetClientSeats>::new();
    let value = outcome(action);
    refresh_on_success(context.refresh, value);
    let ClientDetails {
        id,
        name,
        plan,
        seats,
        used,
        terms,
        plan_assigned,
        may_purchase,
    } = details.clone();
    let max_without_purchase = details.max_without_purchase();
    let price = format_cents(terms.price_cents);
    let minimum = terms.seat_minimum;
    view! {
        <Modal id="client-seats" title=Signal::derive(move || t_string!(i18n, clients.manage_subscription).to_string()) close_href=close return_focus=row_menu_button(id)>
            <p class="dialog-subject">{name}</p>
            <dl class="figures">
                <div><dt>{t!(i18n, clients.plan)}</dt><dd><PlanName plan /></dd></div>
                <div><dt>{t!(i18n, clients.column_assigned)}</dt><dd>{seats}</dd></div>
                <div><dt>{t!(i18n, clients.column_used)}</dt><dd>{used}</dd></div>
                <div><dt>{t!(i18n, clients.column_remaining)}</dt><dd>{seats - used}</dd></div>
            </dl>
            <ActionForm action>
                <Context />
                <input type="hidden" name="client" value=id.to_string() />
                <FormAlert value />
                <TextField
                    name="seats"
                    input_type="number"
                    inputmode="numeric"
                    required=true
                    value=seats.to_string()
                    label=Signal::derive(move || t_string!(i18n, clients.seats).to_string())
                    problem=problem_of(value, Field::Seats)
                />
                <ul class="limits">
                    <li>{t!(i18n, clients.limit_used, count = move || used)}</li>
                    <li>
                        {t!(
                            i18n,
                            clients.limit_minimum,
                            assigned = move || plan_assigned,
                            minimum = move || minimum,
                            price = move || price.clone()
                        )}
                    </li>
                    {(!may_purchase)
                        .then(|| {
                            view! {
                                <li class="limit-strong">
                                    {t!(i18n, clients.limit_no_purchase, max = move || max_without_purchase)}
                                </li>
                            }
                        })}
                </ul>
                <SubmitOrCancel pending=action.pending()>
                    {t!(i18n, clients.save)}
                </SubmitOrCancel>
            </ActionForm>
        </Modal>
    }
}

/// Rule 10, stated before the admin confirms.
#[component]
fn UnlinkDialog(details: ClientDetails, close: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<ClientsContext>();
    let action = ServerAction::<UnlinkClient>::new();
    let value = outcome(action);
    refresh_on_success(context.refresh, value);
    let name = details.name.clone();
    view! {
        <Modal id="unlink-client" title=Signal::derive(move || t_string!(i18n, clients.unlink_title).to_string()) close_href=close return_focus=row_menu_button(details.id)>
            <p>{t!(i18n, clients.unlink_question, name = move || name.clone())}</p>
            <p class="muted">{t!(i18n, clients.unlink_explained)}</p>
            // VAULT.md V8: a key once opened in a browser cannot be recalled.
            <p class="muted">{t!(i18n, clients.unlink_keys)}</p>
            <ActionForm action>
                <Context />
                <input type="hidden" name="client" value=details.id.to_string() />
                <FormAlert value />
                <SubmitOrCancel pending=action.pending() danger=true>
                    {t!(i18n, clients.unlink)}
                </SubmitOrCancel>
            </ActionForm>
        </Modal>
    }
}
