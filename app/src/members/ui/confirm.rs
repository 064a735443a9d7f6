//! Confirm as a key exchange (VAULT.md §2), for one member or a selection: the dialog lists
//! each member with the fingerprint phrase of their public key, worked out in this browser
//! from the key it will wrap to (the member sees the same phrase in their account); Confirm
//! opens the place's key here (unlocking the tab first when it is locked), wraps it to each
//! member and sends only those envelopes. The result is per row, as for other bulk actions.

use std::collections::HashMap;

use leptos::prelude::*;

use super::dialogs::close_href;
use super::page::MembersContext;
use crate::accounts::browser;
use crate::accounts::ui::{NeedsScript, UnlockField, private_key};
use crate::error::{AppError, ErrorText, Field, Refusal};
use crate::i18n::*;
use crate::members::api::{confirm_members, get_confirm_plan};
use crate::members::types::{
    ConfirmPlan, MemberAction, MemberId, MemberStatus, Place, RowOutcome, ToConfirm,
};
use crate::members::ui::{ActionIntro, Outcomes, action_title};
use crate::widgets::{BrowserForm, CloseButton, Fields, FormAlert, NOWHERE, problem_of};

/// The phrases worked out so far: by member, or why they could not be.
type Phrases = Option<Result<HashMap<MemberId, String>, AppError>>;

#[component]
pub fn ConfirmDialog(members: Vec<MemberId>) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let place = context.place;
    let plan = Resource::new_blocking(|| (), move |_| get_confirm_plan(place, members.clone()));
    let form = BrowserForm::<Vec<RowOutcome>>::new();
    let value = form.value();
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.get() {
            context.refresh.update(|n| *n += 1);
        }
    });
    let phrases = RwSignal::new(None::<Result<HashMap<MemberId, String>, AppError>>);
    // Effects run in the browser only: the phrases are never the server's word.
    Effect::new(move |_| {
        if let Some(Ok(plan)) = plan.get() {
            leptos::task::spawn_local(async move {
                phrases.set(Some(fingerprints_of(&plan.members).await));
            });
        }
    });
    let title = action_title(MemberAction::Confirm);
    // Rebuilt only when the outcome turns to success: a refusal (a wrong master password)
    // keeps the form, its fields and its signals, and shows the problem in place.
    let done = Memo::new(move |_| value.get().and_then(Result::ok));
    view! {
        <crate::widgets::Modal id="member-action" title close_href=close_href()>
            {move || match done.get() {
                Some(outcomes) => view! { <Outcomes outcomes /> }.into_any(),
                None => view! {
                    <p><ActionIntro place action=MemberAction::Confirm /></p>
                    <NeedsScript />
                    <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                        {move || plan.get().map(|result| match result {
                            Ok(plan) => view! { <ConfirmForm plan form phrases /> }.into_any(),
                            Err(error) => view! {
                                <p class="alert alert-error" role="alert"><ErrorText error /></p>
                                <div class="modal-actions"><CloseButton /></div>
                            }.into_any(),
                        })}
                    </Suspense>
                }
                .into_any(),
            }}
        </crate::widgets::Modal>
    }
}

/// The members with their phrases, the master password while the tab is locked, and Confirm.
#[component]
fn ConfirmForm(
    plan: ConfirmPlan,
    form: BrowserForm<Vec<RowOutcome>>,
    phrases: RwSignal<Phrases>,
) -> impl IntoView {
    let i18n = use_i18n();
    let place = expect_context::<MembersContext>().place;
    let value = form.value();
    let Some(key) = plan.key.clone() else {
        let error = AppError::Refused(match place {
            Place::Organization(_) => Refusal::OrganizationKeyMissing,
            Place::Provider(_) => Refusal::ProviderKeyMissing,
        });
        return view! {
            <p class="alert alert-error" role="alert"><ErrorText error /></p>
            <div class="modal-actions"><CloseButton /></div>
        }
        .into_any();
    };
    let members = plan.members.clone();
    let rows = plan.members;
    let confirm = move |fields: Fields| confirm_with(place, key.clone(), members.clone(), fields);
    let phrases_ready = move || matches!(phrases.get(), Some(Ok(_)));
    view! {
        <p class="hint">{t!(i18n, provider_members.fingerprint_hint)}</p>
        <ul class="named-members confirm-members">
            {rows.into_iter().map(|member| view! { <MemberToConfirm member phrases /> }).collect_view()}
        </ul>
        {move || match phrases.get() {
            Some(Err(error)) => Some(view! { <p class="alert alert-error" role="alert"><ErrorText error /></p> }),
            _ => None,
        }}
        <form method="post" action=NOWHERE on:submit=move |event| form.submit(event, confirm.clone())>
            <FormAlert value />
            <UnlockField problem=problem_of(value, Field::CurrentPassword) hint=ViewFn::from(move || t!(i18n, provider_members.unlock_to_confirm)) />
            <div class="modal-actions">
                <button type="submit" class="button primary" disabled=move || form.disabled().get() || !phrases_ready()>
                    {t!(i18n, provider_members.confirm)}
                </button>
                <CloseButton cancel=true />
            </div>
        </form>
    }
    .into_any()
}

/// One member: the address, and the phrase to compare (or why they cannot be confirmed).
#[component]
fn MemberToConfirm(member: ToConfirm, phrases: RwSignal<Phrases>) -> impl IntoView {
    let i18n = use_i18n();
    let id = member.member;
    let state = match (member.status, member.public_key.is_some()) {
        (MemberStatus::Accepted, true) => view! {
            <span class="fingerprint">
                <span class="visually-hidden">{t!(i18n, provider_members.fingerprint_label)} ": "</span>
                <code data-testid="member-fingerprint">
                    {move || phrases.with(|p| match p {
                        Some(Ok(found)) => found.get(&id).cloned().unwrap_or_default(),
                        _ => t_string!(i18n, loading).to_string(),
                    })}
                </code>
            </span>
        }
        .into_any(),
        (MemberStatus::Accepted, false) => view! {
            <span class="muted"><ErrorText error=AppError::Refused(Refusal::MemberKeysMissing) /></span>
        }
        .into_any(),
        _ => view! {
            <span class="muted"><ErrorText error=AppError::Refused(Refusal::NotAccepted) /></span>
        }
        .into_any(),
    };
    view! {
        <li>
            <strong>{member.email}</strong>
            " "
            {state}
        </li>
    }
}

/// Who can be given the key: accepted, with an account that has keys.
fn eligible(member: &ToConfirm) -> Option<(crate::ids::UserId, String)> {
    if member.status != MemberStatus::Accepted {
        return None;
    }
    member.user.zip(member.public_key.clone())
}

async fn fingerprints_of(members: &[ToConfirm]) -> Result<HashMap<MemberId, String>, AppError> {
    let (ids, keys): (Vec<MemberId>, Vec<_>) = members
        .iter()
        .filter_map(|member| eligible(member).map(|key| (member.member, key)))
        .unzip();
    let phrases = browser::fingerprints(keys).await?;
    Ok(ids
        .into_iter()
        .zip(phrases)
        .filter_map(|(id, phrase)| Some((id, phrase?)))
        .collect())
}

/// Confirm's work: unlock when locked, wrap the place's key to each member who can be given
/// it, send those; the others are reported as not changed, with the reason, beside the
/// server's answers.
async fn confirm_with(
    place: Place,
    key: crate::members::types::PlaceKey,
    members: Vec<ToConfirm>,
    fields: Fields,
) -> Result<Vec<RowOutcome>, AppError> {
    let private = private_key(fields.get("current_password")).await?;
    let mut skipped = Vec::new();
    let mut to_wrap = Vec::new();
    for member in members {
        match eligible(&member) {
            Some((_, public_key)) => to_wrap.push((member.member, public_key)),
            None => skipped.push(RowOutcome {
                member: member.member,
                result: Err(AppError::Refused(
                    if member.status == MemberStatus::Accepted {
                        Refusal::MemberKeysMissing
                    } else {
                        Refusal::NotAccepted
                    },
                )),
                email: member.email,
                link: None,
            }),
        }
    }
    let mut outcomes = if to_wrap.is_empty() {
        Vec::new()
    } else {
        let keys = browser::keys_for_members(private, key, to_wrap).await?;
        confirm_members(place, keys).await?
    };
    outcomes.extend(skipped);
    Ok(outcomes)
}
