//! The Password Manager's "Organizations and providers" page (`/memberships`): pending
//! invitations to accept or decline, the organizations the user belongs to (with account
//! recovery enrolment while an organization's policy is on, in a dialog at
//! `?enrol={organization}` that shows the organization's fingerprint phrase), and the
//! providers, with Leave (confirmed in a dialog at `?leave={provider}`).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{NeedsScript, SignInRequired};
use crate::accounts::browser;
use crate::error::{AppError, ErrorText, Field, Refusal};
use crate::i18n::*;
use crate::ids::{OrganizationId, ProviderId};
use crate::invitations::api::{AnswerInvitation, pending_invitations};
use crate::invitations::ui::PendingInvitations;
use crate::members::api::{LeaveProvider, my_provider_memberships};
use crate::members::api::{WithdrawFromRecovery, enrol_in_recovery, my_org_memberships};
use crate::members::types::ProviderMembership as Membership;
use crate::members::types::{MemberStatus, OrgMembership, OrgUserType};
use crate::members::ui::{OrgTypeName, ProviderTypeName, StatusBadge};
use crate::routes;
use crate::widgets::{BrowserForm, CloseButton, Fields, FormAlert, Modal, NOWHERE, problem_of};

#[component]
pub fn MembershipsPage() -> impl IntoView {
    let i18n = use_i18n();
    let answer = ServerAction::<AnswerInvitation>::new();
    let leave = ServerAction::<LeaveProvider>::new();
    let withdraw = ServerAction::<WithdrawFromRecovery>::new();
    let enrol = BrowserForm::<()>::new();
    let enrolments = RwSignal::new(0_u32);
    Effect::new(move |_| {
        if let Some(Ok(())) = enrol.outcome.get() {
            enrolments.update(|n| *n += 1);
        }
    });
    let changes = Memo::new(move |_| {
        (
            answer.version().get(),
            leave.version().get(),
            withdraw.version().get(),
            enrolments.get(),
        )
    });
    let pending = Resource::new_blocking(move || changes.get(), |_| pending_invitations());
    let organizations = Resource::new_blocking(move || changes.get(), |_| my_org_memberships());
    let providers = Resource::new_blocking(move || changes.get(), |_| my_provider_memberships());
    let query = use_query_map();
    let leaving = Memo::new(move |_| {
        query.with(|q| q.get("leave").and_then(|p| p.parse::<ProviderId>().ok()))
    });
    let enrolling = Memo::new(move |_| {
        query.with(|q| {
            q.get("enrol")
                .and_then(|o| o.parse::<OrganizationId>().ok())
        })
    });
    view! {
        <div class="page-header">
            <h1>{t!(i18n, memberships.title)}</h1>
        </div>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || {
                let pending = pending.get()?;
                let organizations = organizations.get()?;
                let providers = providers.get()?;
                Some(match (pending, organizations, providers) {
                    (Ok(pending), Ok(organizations), Ok(providers)) => view! {
                        <PendingInvitations list=pending action=answer />
                        <Organizations organizations=organizations.clone() action=withdraw />
                        {move || enrolling.get().and_then(|id| {
                            organizations.iter().find(|m| m.organization == id).cloned()
                        }).map(|membership| view! { <EnrolDialog membership form=enrol /> })}
                        <Providers providers=providers.clone() />
                        {move || leaving.get().and_then(|id| {
                            providers.iter().find(|m| m.provider == id).cloned()
                        }).map(|membership| view! { <LeaveDialog membership action=leave /> })}
                    }
                    .into_any(),
                    (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => {
                        view! { <SignInRequired error here=routes::MEMBERSHIPS /> }.into_any()
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn Organizations(
    organizations: Vec<OrgMembership>,
    action: ServerAction<WithdrawFromRecovery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let value: Signal<Option<Result<(), AppError>>> = Signal::derive(move || action.value().get());
    view! {
        <section class="panel" aria-labelledby="organizations-heading">
            <div class="panel-header">
                <h2 id="organizations-heading">{t!(i18n, memberships.organizations)}</h2>
                <a class="button" href=routes::NEW_ORGANIZATION>{t!(i18n, memberships.new_organization)}</a>
            </div>
            <FormAlert value />
            {if organizations.is_empty() {
                view! { <p class="muted">{t!(i18n, memberships.no_organizations)}</p> }.into_any()
            } else {
                view! {
                    <ul class="membership-list">
                        {organizations
                            .into_iter()
                            .map(|m| view! { <OrganizationItem membership=m action /> })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn OrganizationItem(
    membership: OrgMembership,
    action: ServerAction<WithdrawFromRecovery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let m = membership;
    let confirmed = m.status == MemberStatus::Confirmed;
    // A plain User has no Admin Console (DESIGN.md §1): the name is then just a name.
    let console = confirmed && m.user_type != OrgUserType::User && !m.two_step_blocked;
    // Enrolment is offered only while the policy is on, in a dialog (it wraps the user key in
    // this browser); withdrawing always, as a plain form.
    let recovery = (confirmed && (m.recovery_policy || m.recovery_enrolled)).then(|| {
        if m.recovery_enrolled {
            view! {
                <ActionForm action attr:class="inline-form">
                    <input type="hidden" name="organization" value=m.organization.to_string() />
                    <span class="hint">{t!(i18n, memberships.recovery_enrolled)}</span>
                    " "
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        {t!(i18n, memberships.recovery_withdraw)}
                    </button>
                </ActionForm>
            }
            .into_any()
        } else {
            let enrol = format!("{}?enrol={}", routes::MEMBERSHIPS, m.organization);
            view! {
                <div class="inline-form">
                    <span class="hint">{t!(i18n, memberships.recovery_offered)}</span>
                    " "
                    <a class="button" href=enrol>{t!(i18n, memberships.recovery_enrol)}</a>
                </div>
            }
            .into_any()
        }
    });
    view! {
        <li class="membership" data-organization=m.organization.to_string()>
            <div>
                {if console {
                    view! { <a href=routes::organization_console(m.organization)>{m.name.clone()}</a> }.into_any()
                } else {
                    view! { <span>{m.name.clone()}</span> }.into_any()
                }}
                " · " <OrgTypeName user_type=m.user_type /> " "
                <StatusBadge status=m.status />
                {(m.status == MemberStatus::Accepted).then(|| view! {
                    <p class="hint">{t!(i18n, memberships.awaiting_org_confirmation)}</p>
                })}
                {m.two_step_blocked.then(|| view! {
                    <p class="alert alert-warning">
                        {t!(i18n, refusals.two_step_required)} " "
                        <a href=routes::ACCOUNT_TWO_STEP>{t!(i18n, memberships.turn_on_two_step)}</a>
                    </p>
                })}
            </div>
            {recovery}
        </li>
    }
}

#[component]
fn Providers(providers: Vec<Membership>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="providers-heading">
            <h2 id="providers-heading">{t!(i18n, memberships.providers)}</h2>
            {if providers.is_empty() {
                view! { <p class="muted">{t!(i18n, memberships.no_providers)}</p> }.into_any()
            } else {
                view! {
                    <ul class="membership-list">
                        {providers
                            .into_iter()
                            .map(|m| {
                                let confirmed = m.status == MemberStatus::Confirmed;
                                let leave = format!("{}?leave={}", routes::MEMBERSHIPS, m.provider);
                                view! {
                                    <li class="membership">
                                        <div>
                                            {if confirmed {
                                                view! { <a href=routes::provider_clients(m.provider)>{m.name.clone()}</a> }.into_any()
                                            } else {
                                                view! { <span>{m.name.clone()}</span> }.into_any()
                                            }}
                                            " · " <ProviderTypeName user_type=m.user_type /> " "
                                            <StatusBadge status=m.status />
                                            {(m.status == MemberStatus::Accepted).then(|| view! {
                                                <p class="hint">{t!(i18n, memberships.awaiting_confirmation)}</p>
                                            })}
                                        </div>
                                        <a class="button" href=leave>{t!(i18n, memberships.leave)}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn LeaveDialog(membership: Membership, action: ServerAction<LeaveProvider>) -> impl IntoView {
    let i18n = use_i18n();
    let value: Signal<Option<Result<(), AppError>>> = Signal::derive(move || action.value().get());
    let name = membership.name.clone();
    let title = Signal::derive(move || {
        t_string!(i18n, memberships.leave_title, name = name.clone()).to_string()
    });
    view! {
        <Modal id="leave-provider" title close_href=routes::MEMBERSHIPS.to_owned()>
            <p>{t!(i18n, memberships.leave_body)}</p>
            <ActionForm action>
                <input type="hidden" name="provider" value=membership.provider.to_string() />
                <FormAlert value />
                <div class="modal-actions">
                    <button type="submit" class="button danger" disabled=move || action.pending().get()>
                        {t!(i18n, memberships.leave)}
                    </button>
                    <CloseButton cancel=true />
                </div>
            </ActionForm>
        </Modal>
    }
}

/// Enrolling in account recovery: the organization's fingerprint phrase, worked out in this
/// browser from the public key the user key will be wrapped to (its admins see the same phrase
/// under Settings → Policies), and the master password while the tab is locked.
#[component]
fn EnrolDialog(membership: OrgMembership, form: BrowserForm<()>) -> impl IntoView {
    let i18n = use_i18n();
    // A new dialog starts without the last one's outcome (which would close it at once).
    form.outcome.set(None);
    let value = form.value();
    let name = membership.name.clone();
    let title = Signal::derive(move || {
        t_string!(i18n, memberships.enrol_title, name = name.clone()).to_string()
    });
    // Effects run in the browser only: the phrase is never the server's word.
    let phrase = RwSignal::new(None::<Option<String>>);
    let organization = membership.organization;
    let public_key = membership.public_key.clone();
    Effect::new(move |_| {
        if let Some(public_key) = public_key.clone() {
            leptos::task::spawn_local(async move {
                let made = browser::organization_fingerprint(organization, public_key).await;
                phrase.set(Some(made.ok().flatten()));
            });
        }
    });
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            navigate(routes::MEMBERSHIPS, Default::default());
        }
    });
    let Some(public_key) = membership.public_key.clone() else {
        let error = AppError::Refused(Refusal::OrganizationKeyMissing);
        return view! {
            <Modal id="enrol-recovery" title close_href=routes::MEMBERSHIPS.to_owned()>
                <p class="alert alert-error" role="alert"><ErrorText error /></p>
                <div class="modal-actions"><CloseButton /></div>
            </Modal>
        }
        .into_any();
    };
    let enrol = move |fields: Fields| enrol_with(organization, public_key.clone(), fields);
    view! {
        <Modal id="enrol-recovery" title close_href=routes::MEMBERSHIPS.to_owned()>
            <p>{t!(i18n, memberships.enrol_body)}</p>
            <NeedsScript />
            <p class="fingerprint">
                {t!(i18n, memberships.organization_fingerprint)} ": "
                <code data-testid="organization-fingerprint">
                    {move || match phrase.get() {
                        Some(Some(phrase)) => phrase,
                        Some(None) => t_string!(i18n, memberships.fingerprint_unreadable).to_string(),
                        None => t_string!(i18n, loading).to_string(),
                    }}
                </code>
            </p>
            <form method="post" action=NOWHERE on:submit=move |event| form.submit(event, enrol.clone())>
                <FormAlert value />
                <super::UnlockField problem=problem_of(value, Field::CurrentPassword) hint=ViewFn::from(move || t!(i18n, memberships.unlock_to_enrol)) />
                <div class="modal-actions">
                    <button type="submit" class="button primary" disabled=move || form.disabled().get() || !matches!(phrase.get(), Some(Some(_)))>
                        {t!(i18n, memberships.recovery_enrol)}
                    </button>
                    <CloseButton cancel=true />
                </div>
            </form>
        </Modal>
    }
    .into_any()
}

/// Enrolment's work: unlock when locked, wrap the user key to the organization's public key
/// here, send only that envelope.
async fn enrol_with(
    organization: OrganizationId,
    public_key: String,
    fields: Fields,
) -> Result<(), AppError> {
    let user_key = super::user_key(fields.get("current_password")).await?;
    let key = browser::recovery_key_for(user_key, public_key).await?;
    enrol_in_recovery(organization, key).await
}
