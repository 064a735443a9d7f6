//! Account recovery (VAULT.md §2), for one enrolled member: the admin types the member's new
//! master password twice and, while the tab is locked, their own. Everything happens here:
//! the admin's private key opens the organization key, that the organization's private key,
//! that the member's user key (their enrolment), which is wrapped under the new password with
//! the member's own KDF settings. The server gets the login hash and that envelope; it ends
//! the member's sessions and makes them choose their own password at their next sign-in.

use leptos::prelude::*;

use super::dialogs::close_href;
use super::page::MembersContext;
use crate::accounts::browser;
use crate::accounts::ui::{NeedsScript, NewPasswordFields, UnlockField, private_key};
use crate::error::{AppError, ErrorText, Field};
use crate::i18n::*;
use crate::ids::{OrganizationId, OrganizationUserId};
use crate::members::api::{get_recovery_plan, recover_member};
use crate::members::types::{MemberId, RecoveryPlan};
use crate::widgets::{BrowserForm, CloseButton, Fields, FormAlert, Modal, NOWHERE, problem_of};

/// After a recovery the form is hidden, not dropped: dropping the password fields while their
/// strength check is live disposed signals it still read (a panic that stopped the page).
#[component]
pub fn RecoverDialog(organization: OrganizationId, member: MemberId) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<MembersContext>();
    let plan = Resource::new_blocking(
        || (),
        move |_| get_recovery_plan(organization, OrganizationUserId(member.0)),
    );
    let form = BrowserForm::<()>::new();
    let value = form.value();
    let done = Memo::new(move |_| matches!(value.get(), Some(Ok(()))));
    Effect::new(move |_| {
        if done.get() {
            context.refresh.update(|n| *n += 1);
        }
    });
    let title = Signal::derive(move || t_string!(i18n, org_members.recover_account).to_string());
    view! {
        <Modal id="member-recover" title close_href=close_href() return_focus=format!("[aria-controls='member-menu-{member}']")>
            <div class="dialog-done" hidden=move || !done.get()>
                <p class="alert alert-success" role="status">
                    {move || done.get().then_some(t!(i18n, org_members.account_recovered))}
                </p>
                <div class="modal-actions"><CloseButton primary=true /></div>
            </div>
            <div hidden=move || done.get()>
                <NeedsScript />
                <Suspense fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                    {move || plan.get().map(|result| match result {
                        Ok(plan) => view! { <RecoverForm organization plan form /> }.into_any(),
                        Err(error) => view! {
                            <p class="alert alert-error" role="alert"><ErrorText error /></p>
                            <div class="modal-actions"><CloseButton /></div>
                        }
                        .into_any(),
                    })}
                </Suspense>
            </div>
        </Modal>
    }
}

#[component]
fn RecoverForm(
    organization: OrganizationId,
    plan: RecoveryPlan,
    form: BrowserForm<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = form.value();
    let words = Signal::stored(own_words(&plan));
    let email = plan.email.clone();
    let recover = move |fields: Fields| recover_with(organization, plan.clone(), fields);
    view! {
        <p><strong>{email}</strong></p>
        <p class="hint">{t!(i18n, org_members.recover_account_hint)}</p>
        <form method="post" action=NOWHERE on:submit=move |event| form.submit(event, recover.clone())>
            <FormAlert value />
            <UnlockField problem=problem_of(value, Field::CurrentPassword) hint=ViewFn::from(move || t!(i18n, org_members.unlock_to_recover)) />
            <NewPasswordFields value context=words />
            <div class="modal-actions">
                <button type="submit" class="button danger" disabled=form.disabled()>
                    {t!(i18n, org_members.recover_account)}
                </button>
                <CloseButton cancel=true />
            </div>
        </form>
    }
}

/// The member's own words (address, name), which make a password easier to guess.
fn own_words(plan: &RecoveryPlan) -> Vec<String> {
    [plan.email.clone(), plan.name.clone()]
        .into_iter()
        .filter(|word| !word.is_empty())
        .collect()
}

/// The recovery's work: the new password's rules (the member's organizations' policy) and
/// strength checked here, unlock when locked, re-wrap the member's user key, send the result.
async fn recover_with(
    organization: OrganizationId,
    plan: RecoveryPlan,
    fields: Fields,
) -> Result<(), AppError> {
    let (new, confirm) = (
        fields.get("new_password"),
        fields.get("new_password_confirm"),
    );
    let strength = browser::strength(new.clone(), own_words(&plan)).await?;
    let problems = crate::accounts::rules::problems(&new, &confirm, strength, plan.rules);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let private = private_key(fields.get("current_password")).await?;
    let member = OrganizationUserId(plan.member.0);
    let keys = browser::recovered_keys(private, plan, new).await?;
    recover_member(organization, member, keys).await
}
