//! The Members page's dialogs, for either place. Their forms use the page's actions
//! (`MembersContext`), so what a dialog reports after a change (invited addresses and their
//! links, per-row results) stays on screen while the list behind it refetches. The type and
//! permission choices offer only what the viewer may grant; the server checks again.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::page::{Dialog, MembersContext, join_ids};
use crate::error::{AppError, ErrorText, Field, Problem, ProblemText};
use crate::i18n::*;
use crate::members::api::get_members;
use crate::members::types::{
    MAX_INVITES, MemberAction, MemberId, MemberRights, MemberRow, MemberType, OrgUserType,
    Permissions, Place, split_emails,
};
use crate::members::ui::{
    ActionIntro, ActionName, InviteResult, Outcomes, PermissionName, TypeHint, TypeName,
    action_title, edit_title,
};
use crate::routes;
use crate::widgets::{CloseButton, FormAlert, Modal};

#[component]
pub fn MemberDialog(dialog: Dialog) -> impl IntoView {
    match dialog {
        Dialog::Invite => view! { <InviteDialog /> }.into_any(),
        Dialog::Apply(MemberAction::Confirm, members) => {
            view! { <super::confirm::ConfirmDialog members /> }.into_any()
        }
        Dialog::Apply(action, members) => view! { <ApplyDialog action members /> }.into_any(),
        Dialog::Edit(member) => view! { <EditDialog member /> }.into_any(),
        Dialog::Recover(member) => match expect_context::<MembersContext>().place {
            Place::Organization(organization) => {
                view! { <super::recover::RecoverDialog organization member /> }.into_any()
            }
            // A provider's members have no account recovery.
            Place::Provider(_) => ().into_any(),
        },
    }
}

pub(super) fn close_href() -> Signal<String> {
    let context = expect_context::<MembersContext>();
    Signal::derive(move || context.here(None))
}

/// The viewer's rights, from the list the page loaded (inside a `Suspense`, so the server
/// waits for it and the first HTML offers the right choices).
fn rights() -> Option<MemberRights> {
    let context = expect_context::<MembersContext>();
    context
        .page
        .get()
        .map(|page| page.map(|p| p.rights).unwrap_or_default())
}

#[component]
fn Hidden() -> impl IntoView {
    let context = expect_context::<MembersContext>();
    view! { <input type="hidden" name="place" value=context.place.to_string() /> }
}

#[component]
fn InviteDialog() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let action = context.invite;
    // A dialog opened afresh starts empty, not with the last one's outcome.
    action.value().set(None);
    let value = action.value();
    let typed = RwSignal::new(String::new());
    let pending = action.pending();
    let title = Signal::derive(move || t_string!(i18n, provider_members.invite_title).to_string());
    let list_problem = move || {
        value.with(|v| match v {
            Some(Err(err)) => err.problem_for(Field::Emails),
            _ => None,
        })
    };
    // Out of seats: those who may add seats get a way there.
    let add_seats = move || {
        let Place::Organization(organization) = context.place else {
            return None;
        };
        let may_add = rights().is_some_and(|r| r.manage_seats);
        (may_add && matches!(list_problem(), Some(Problem::SeatsLeft(_)))).then(|| {
            view! {
                <p>
                    <a href=routes::organization_subscription(organization)>
                        {t!(i18n, org_members.add_seats)}
                    </a>
                </p>
            }
        })
    };
    // Problems of single addresses, shown with the address they belong to.
    let row_problems = move || {
        let text = typed.get();
        let emails = split_emails(&text);
        value.with(|v| match v {
            Some(Err(AppError::Invalid(errors))) => errors
                .iter()
                .filter_map(|e| match e.field {
                    Field::EmailAt(index) => Some((
                        emails
                            .get(usize::from(index))
                            .map(|s| (*s).to_owned())
                            .unwrap_or_default(),
                        e.problem,
                    )),
                    _ => None,
                })
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    };
    let error = Signal::derive(move || value.get().and_then(Result::err));
    // The form is rebuilt only when the outcome turns to success: a refusal keeps what was
    // chosen (type, flags) and shows its problems in place.
    let invited = Memo::new(move |_| value.get().and_then(Result::ok));
    view! {
        <Modal id="invite-members" title close_href=close_href()>
            {move || match invited.get() {
                Some(invited) => view! { <InviteResult invited /> }.into_any(),
                None => view! {
                    <ActionForm action>
                        <Hidden />
                        // Where a fully mailed invitation returns to (the list, dialog closed).
                        <input type="hidden" name="return_to" value=move || context.here(None) />
                        <FormAlert value=Signal::derive(move || value.get()) />
                        <div class="field" class:invalid=move || list_problem().is_some() || !row_problems().is_empty()>
                            <label for="invite-emails">{t!(i18n, provider_members.emails)}</label>
                            <textarea
                                id="invite-emails"
                                name="emails"
                                rows="4"
                                aria-required="true"
                                aria-describedby="invite-emails-hint invite-emails-error"
                                on:input=move |ev| typed.set(event_target_value(&ev))
                                prop:value=move || typed.get()
                            ></textarea>
                            <p class="hint" id="invite-emails-hint">
                                {t!(i18n, provider_members.emails_hint, count = move || MAX_INVITES)}
                            </p>
                            <div class="problem" id="invite-emails-error" role="alert">
                                {move || list_problem().map(|problem| view! { <p><ProblemText problem /></p> })}
                                {add_seats}
                                <ul>
                                    {move || row_problems()
                                        .into_iter()
                                        .map(|(email, problem)| view! {
                                            <li><strong>{email}</strong>": " <ProblemText problem /></li>
                                        })
                                        .collect_view()}
                                </ul>
                            </div>
                        </div>
                        <Suspense fallback=|| ()>
                            {move || rights().map(|rights| view! {
                                <TypeChoice rights current=context.place.default_type() permissions=Permissions::empty() error />
                            })}
                        </Suspense>
                        <div class="modal-actions">
                            <button type="submit" class="button primary" disabled=move || pending.get()>
                                {t!(i18n, provider_members.send_invites)}
                            </button>
                            <CloseButton cancel=true />
                        </div>
                    </ActionForm>
                }
                .into_any(),
            }}
        </Modal>
    }
}

/// The place's types as radio buttons with what each may do (only those the viewer may
/// grant, and the member's present one), and an organization's Custom flags, shown by the
/// stylesheet while Custom is chosen.
#[component]
fn TypeChoice(
    rights: MemberRights,
    current: MemberType,
    permissions: Permissions,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let types: Vec<MemberType> = MemberType::of_place(context.place)
        .iter()
        .copied()
        .filter(|t| rights.offered.contains(t) || *t == current)
        .collect();
    let custom = MemberType::Organization(OrgUserType::Custom).belongs_to(context.place);
    let flags: Vec<Permissions> = Permissions::ALL
        .into_iter()
        .filter(|f| rights.grantable.contains(*f) || permissions.contains(*f))
        .collect();
    let problem =
        move || error.with(|e| e.as_ref().and_then(|e| e.problem_for(Field::Permissions)));
    view! {
        <fieldset class="field choice">
            <legend>{t!(i18n, provider_members.member_type)}</legend>
            {types
                .into_iter()
                .map(|user_type| {
                    let id = format!("user-type-{}", user_type.as_str());
                    view! {
                        <div class="choice-option">
                            <input type="radio" id=id.clone() name="user_type" value=user_type.as_str() checked=user_type == current />
                            <label for=id>
                                <strong><TypeName user_type /></strong>
                                <span class="hint"><TypeHint user_type /></span>
                            </label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
        {custom.then(|| view! {
        <fieldset class="field permissions" class:invalid=move || problem().is_some() aria-describedby="permissions-hint permissions-error">
            <legend>{t!(i18n, org_members.permissions)}</legend>
            <p class="hint" id="permissions-hint">{t!(i18n, org_members.permissions_hint)}</p>
            <div class="permission-grid">
                {flags
                    .into_iter()
                    .map(|flag| {
                        let id = format!("permission-{}", flag.name());
                        view! {
                            <div class="checkbox">
                                <input type="checkbox" id=id.clone() name="permissions[]" value=flag.name() checked=permissions.contains(flag) />
                                <label for=id><PermissionName flag /></label>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="problem" id="permissions-error" role="alert">
                {move || problem().map(|problem| view! { <ProblemText problem /> })}
            </p>
        </fieldset>
        })}
    }
}

/// The members the dialog is about (the ids come from the URL, which anyone can edit; the
/// server checks each again when the form is sent).
fn members_named(ids: Vec<MemberId>) -> Resource<Result<Vec<MemberRow>, AppError>> {
    let context = expect_context::<MembersContext>();
    Resource::new_blocking(move || (), move |_| get_members(context.place, ids.clone()))
}

#[component]
fn ApplyDialog(action: MemberAction, members: Vec<MemberId>) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let server = context.apply;
    server.value().set(None);
    let value = server.value();
    let pending = server.pending();
    let named = members_named(members.clone());
    let ids = join_ids(&members);
    let title = action_title(action);
    let danger = matches!(action, MemberAction::Remove | MemberAction::Revoke);
    let return_focus =
        (members.len() == 1).then(|| format!("[aria-controls='member-menu-{}']", members[0]));
    view! {
        <Modal id="member-action" title close_href=close_href() return_focus=return_focus.unwrap_or_default()>
            {move || match value.get() {
                Some(Ok(outcomes)) => view! { <Outcomes outcomes /> }.into_any(),
                _ => {
                    let ids = ids.clone();
                    view! {
                        <p><ActionIntro place=context.place action /></p>
                        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                            {move || named.get().map(|result| match result {
                                Ok(named) => view! {
                                    <ul class="named-members">
                                        {named.into_iter().map(|member| view! { <li>{member.email}</li> }).collect_view()}
                                    </ul>
                                }.into_any(),
                                Err(error) => view! { <p class="alert alert-error" role="alert"><ErrorText error /></p> }.into_any(),
                            })}
                        </Suspense>
                        <ActionForm action=server>
                            <Hidden />
                            <input type="hidden" name="action" value=action.as_str() />
                            <input type="hidden" name="members" value=ids />
                            // Where a plain post (no bundle yet) goes back to, with the counts.
                            <input type="hidden" name="return_to" value=move || context.here(None) />
                            <FormAlert value=Signal::derive(move || value.get()) />
                            <div class="modal-actions">
                                <button type="submit" class=if danger { "button danger" } else { "button primary" } disabled=move || pending.get()>
                                    <ActionName action />
                                </button>
                                <CloseButton cancel=true />
                            </div>
                        </ActionForm>
                    }
                    .into_any()
                }
            }}
        </Modal>
    }
}

#[component]
fn EditDialog(member: MemberId) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let server = context.edit;
    server.value().set(None);
    let value = server.value();
    let pending = server.pending();
    let named = members_named(vec![member]);
    let error = Signal::derive(move || value.get().and_then(Result::err));
    let title = edit_title(context.place);
    let saved = Memo::new(move |_| matches!(value.get(), Some(Ok(()))));
    view! {
        <Modal id="member-type" title close_href=close_href() return_focus=format!("[aria-controls='member-menu-{member}']")>
            {move || if saved.get() {
                view! {
                    <p class="alert alert-success" role="status">{t!(i18n, provider_members.type_changed)}</p>
                    <div class="modal-actions"><CloseButton primary=true /></div>
                }.into_any()
            } else {
                view! {
                    <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                        {move || named.get().zip(rights()).map(|(result, rights)| match result.map(|named| named.into_iter().next()) {
                            Ok(Some(row)) => view! {
                                <p><strong>{row.email}</strong></p>
                                <ActionForm action=server>
                                    <Hidden />
                                    <input type="hidden" name="member" value=member.to_string() />
                                    <FormAlert value=Signal::derive(move || value.get()) />
                                    <TypeChoice rights current=row.user_type permissions=row.permissions error />
                                    <div class="modal-actions">
                                        <button type="submit" class="button primary" disabled=move || pending.get()>
                                            {t!(i18n, provider_members.save_type)}
                                        </button>
                                        <CloseButton cancel=true />
                                    </div>
                                </ActionForm>
                            }.into_any(),
                            Ok(None) => view! { <p class="alert alert-error" role="alert"><ErrorText error=AppError::NotFound /></p> }.into_any(),
                            Err(error) => view! { <p class="alert alert-error" role="alert"><ErrorText error /></p> }.into_any(),
                        })}
                    </Suspense>
                }.into_any()
            }}
        </Modal>
    }
}
