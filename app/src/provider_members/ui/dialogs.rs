//! The Members page's dialogs. Their forms use the page's actions (`MembersContext`), so
//! what a dialog reports after a change (invited addresses and their links, per-row results)
//! stays on screen while the list behind it refetches.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::{Dialog, MembersContext};
use crate::error::{AppError, ErrorText, Field, ProblemText};
use crate::i18n::*;
use crate::ids::ProviderUserId;
use crate::members::ui::{
    ActionName, CloseLink, InviteResult, Outcomes, ProviderTypeName, outcome_rows,
};
use crate::provider_members::api::get_members;
use crate::provider_members::types::{MAX_INVITES, MemberAction, MemberRow};
use crate::providers::types::ProviderUserType;
use crate::widgets::{FormAlert, Modal};

#[component]
pub fn MemberDialog(dialog: Dialog) -> impl IntoView {
    match dialog {
        Dialog::Invite => view! { <InviteDialog /> }.into_any(),
        Dialog::Apply(action, members) => view! { <ApplyDialog action members /> }.into_any(),
        Dialog::ChangeType(member) => view! { <ChangeTypeDialog member /> }.into_any(),
    }
}

fn close_href() -> Signal<String> {
    let context = expect_context::<MembersContext>();
    Signal::derive(move || context.here(None))
}

#[component]
fn Hidden() -> impl IntoView {
    let context = expect_context::<MembersContext>();
    view! { <input type="hidden" name="provider" value=context.provider.to_string() /> }
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
    // Problems of single addresses, shown with the address they belong to.
    let row_problems = move || {
        let text = typed.get();
        let emails = crate::provider_members::types::split_emails(&text);
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
    // The form is rebuilt only when the outcome turns to success: a refusal keeps the chosen
    // type and shows its problems in place.
    let invited = Memo::new(move |_| value.get().and_then(Result::ok));
    view! {
        <Modal id="invite-members" title close_href=close_href()>
            {move || match invited.get() {
                Some(invited) => view! { <InviteResult invited close=close_href() /> }.into_any(),
                None => view! {
                    <ActionForm action>
                        <Hidden />
                        <FormAlert value=Signal::derive(move || value.get()) />
                        <div class="field" class:invalid=move || list_problem().is_some() || !row_problems().is_empty()>
                            <label for="invite-emails">{t!(i18n, provider_members.emails)}</label>
                            <textarea
                                id="invite-emails"
                                name="emails"
                                rows="4"
                                required=true
                                aria-describedby="invite-emails-hint invite-emails-error"
                                on:input=move |ev| typed.set(event_target_value(&ev))
                                prop:value=move || typed.get()
                            ></textarea>
                            <p class="hint" id="invite-emails-hint">
                                {t!(i18n, provider_members.emails_hint, count = move || MAX_INVITES)}
                            </p>
                            <div class="problem" id="invite-emails-error" role="alert">
                                {move || list_problem().map(|problem| view! { <p><ProblemText problem /></p> })}
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
                        <TypeChoice name="user_type" current=ProviderUserType::ServiceUser />
                        <div class="modal-actions">
                            <button type="submit" class="button primary" disabled=move || pending.get()>
                                {t!(i18n, provider_members.send_invites)}
                            </button>
                            <CloseLink href=close_href() />
                        </div>
                    </ActionForm>
                }
                .into_any(),
            }}
        </Modal>
    }
}

/// Provider Admin / Service User, as radio buttons with what each may do.
#[component]
fn TypeChoice(name: &'static str, current: ProviderUserType) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="field choice">
            <legend>{t!(i18n, provider_members.member_type)}</legend>
            {[ProviderUserType::ServiceUser, ProviderUserType::ProviderAdmin]
                .into_iter()
                .map(|user_type| {
                    let id = format!("{name}-{}", user_type.as_str());
                    view! {
                        <div class="choice-option">
                            <input type="radio" id=id.clone() name=name value=user_type.as_str() checked=user_type == current />
                            <label for=id>
                                <strong><ProviderTypeName user_type /></strong>
                                <span class="hint">
                                    {match user_type {
                                        ProviderUserType::ServiceUser => t!(i18n, provider_members.service_user_hint).into_any(),
                                        ProviderUserType::ProviderAdmin => t!(i18n, provider_members.provider_admin_hint).into_any(),
                                    }}
                                </span>
                            </label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// The members the dialog is about, with their addresses (the ids come from the URL, which
/// anyone can edit; the server checks each again when the form is sent).
fn members_named(ids: Vec<ProviderUserId>) -> Resource<Result<Vec<MemberRow>, AppError>> {
    let context = expect_context::<MembersContext>();
    Resource::new_blocking(
        move || (),
        move |_| get_members(context.provider, ids.clone()),
    )
}

#[component]
fn ApplyDialog(action: MemberAction, members: Vec<ProviderUserId>) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let server = context.apply;
    server.value().set(None);
    let value = server.value();
    let pending = server.pending();
    let named = members_named(members.clone());
    let ids = members
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let title = Signal::derive(move || match action {
        MemberAction::Confirm => t_string!(i18n, provider_members.confirm_title).to_string(),
        MemberAction::Revoke => t_string!(i18n, provider_members.revoke_title).to_string(),
        MemberAction::Restore => t_string!(i18n, provider_members.restore_title).to_string(),
        MemberAction::Remove => t_string!(i18n, provider_members.remove_title).to_string(),
        MemberAction::Reinvite => t_string!(i18n, provider_members.reinvite_title).to_string(),
    });
    let danger = matches!(action, MemberAction::Remove | MemberAction::Revoke);
    let return_focus =
        (members.len() == 1).then(|| format!("[aria-controls='member-menu-{}']", members[0]));
    view! {
        <Modal id="member-action" title close_href=close_href() return_focus=return_focus.unwrap_or_default()>
            {move || match value.get() {
                Some(Ok(outcomes)) => view! { <Outcomes outcomes=outcome_rows(outcomes) close=close_href() /> }.into_any(),
                _ => {
                    let ids = ids.clone();
                    view! {
                        <p>
                            {match action {
                                MemberAction::Confirm => t!(i18n, provider_members.confirm_intro).into_any(),
                                MemberAction::Revoke => t!(i18n, provider_members.revoke_intro).into_any(),
                                MemberAction::Restore => t!(i18n, provider_members.restore_intro).into_any(),
                                MemberAction::Remove => t!(i18n, provider_members.remove_intro).into_any(),
                                MemberAction::Reinvite => t!(i18n, provider_members.reinvite_intro).into_any(),
                            }}
                        </p>
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
                            <FormAlert value=Signal::derive(move || value.get()) />
                            <div class="modal-actions">
                                <button type="submit" class=if danger { "button danger" } else { "button primary" } disabled=move || pending.get()>
                                    <ActionName action />
                                </button>
                                <CloseLink href=close_href() />
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
fn ChangeTypeDialog(member: ProviderUserId) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let server = context.change_type;
    server.value().set(None);
    let value = server.value();
    let pending = server.pending();
    let named = members_named(vec![member]);
    let title = Signal::derive(move || t_string!(i18n, provider_members.change_type).to_string());
    view! {
        <Modal id="member-type" title close_href=close_href() return_focus=format!("[aria-controls='member-menu-{member}']")>
            {move || match value.get() {
                Some(Ok(())) => view! {
                    <p class="alert alert-success" role="status">{t!(i18n, provider_members.type_changed)}</p>
                    <div class="modal-actions"><CloseLink href=close_href() primary=true /></div>
                }.into_any(),
                _ => view! {
                    <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                        {move || named.get().map(|result| match result.map(|named| named.into_iter().next()) {
                            Ok(Some(row)) => view! {
                                <p><strong>{row.email}</strong></p>
                                <ActionForm action=server>
                                    <Hidden />
                                    <input type="hidden" name="member" value=member.to_string() />
                                    <FormAlert value=Signal::derive(move || value.get()) />
                                    <TypeChoice name="user_type" current=row.user_type />
                                    <div class="modal-actions">
                                        <button type="submit" class="button primary" disabled=move || pending.get()>
                                            {t!(i18n, provider_members.save_type)}
                                        </button>
                                        <CloseLink href=close_href() />
                                    </div>
                                </ActionForm>
                            }.into_any(),
                            Ok(None) => view! { <p class="alert alert-error" role="alert"><ErrorText error=AppError::NotFound /></p> }.into_any(),
                            Err(error) => view! { <p class="alert alert-error" role="alert"><ErrorText error /></p> }.into_any(),
                        })}
                    </Suspense>
                }.into_any(),
            }}
        </Modal>
    }
}
