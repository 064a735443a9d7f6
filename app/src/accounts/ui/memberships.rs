//! The Password Manager's "Organizations and providers" page (`/memberships`): pending
//! invitations to accept or decline, the organizations the user belongs to (with account
//! recovery enrolment while an organization's policy is on), and the providers, with Leave
//! (confirmed in a dialog at `?leave={provider}`).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::SignInRequired;
use crate::error::AppError;
use crate::i18n::*;
use crate::ids::ProviderId;
use crate::invitations::api::{AnswerInvitation, pending_invitations};
use crate::invitations::ui::PendingInvitations;
use crate::members::api::{LeaveProvider, my_provider_memberships};
use crate::members::api::{SetRecoveryEnrolment, my_org_memberships};
use crate::members::types::ProviderMembership as Membership;
use crate::members::types::{MemberStatus, OrgMembership, OrgUserType};
use crate::members::ui::{OrgTypeName, ProviderTypeName, StatusBadge};
use crate::routes;
use crate::widgets::{CloseButton, FormAlert, Modal};

#[component]
pub fn MembershipsPage() -> impl IntoView {
    let i18n = use_i18n();
    let answer = ServerAction::<AnswerInvitation>::new();
    let leave = ServerAction::<LeaveProvider>::new();
    let enrol = ServerAction::<SetRecoveryEnrolment>::new();
    let changes = Memo::new(move |_| {
        (
            answer.version().get(),
            leave.version().get(),
            enrol.version().get(),
        )
    });
    let pending = Resource::new_blocking(move || changes.get(), |_| pending_invitations());
    let organizations = Resource::new_blocking(move || changes.get(), |_| my_org_memberships());
    let providers = Resource::new_blocking(move || changes.get(), |_| my_provider_memberships());
    let query = use_query_map();
    let leaving = Memo::new(move |_| {
        query.with(|q| q.get("leave").and_then(|p| p.parse::<ProviderId>().ok()))
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
                        <Organizations organizations action=enrol />
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
    action: ServerAction<SetRecoveryEnrolment>,
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
    action: ServerAction<SetRecoveryEnrolment>,
) -> impl IntoView {
    let i18n = use_i18n();
    let m = membership;
    let confirmed = m.status == MemberStatus::Confirmed;
    // A plain User has no Admin Console (DESIGN.md §1): the name is then just a name.
    let console = confirmed && m.user_type != OrgUserType::User && !m.two_step_blocked;
    // Enrolment is offered only while the policy is on; withdrawing always.
    let recovery = (confirmed && (m.recovery_policy || m.recovery_enrolled)).then(|| {
        let enrolled = m.recovery_enrolled;
        view! {
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="organization" value=m.organization.to_string() />
                <input type="hidden" name="enrolled" value=(!enrolled).to_string() />
                <span class="hint">
                    {if enrolled {
                        t!(i18n, memberships.recovery_enrolled).into_any()
                    } else {
                        t!(i18n, memberships.recovery_offered).into_any()
                    }}
                </span>
                " "
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {if enrolled {
                        t!(i18n, memberships.recovery_withdraw).into_any()
                    } else {
                        t!(i18n, memberships.recovery_enrol).into_any()
                    }}
                </button>
            </ActionForm>
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
