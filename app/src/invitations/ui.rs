//! The invitation link's page (`/invitations/{token}`) and the Password Manager's pending
//! invitations. Both work as plain forms before the browser bundle loads.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{AcceptInvitationLink, AnswerInvitation, preview_invitation};
use super::types::{InvitationPreview, InvitationTo, PendingList, PendingRef};
use crate::accounts::ui::use_viewer;
use crate::error::{AppError, ErrorText};
use crate::i18n::*;
use crate::members::ui::{OrgTypeName, ProviderTypeName};
use crate::routes;
use crate::widgets::FormAlert;

/// "the provider Acme IT as Service User", in the viewer's language.
#[component]
fn InvitationSentence(to: InvitationTo) -> impl IntoView {
    let i18n = use_i18n();
    match to {
        InvitationTo::Provider {
            name, user_type, ..
        } => view! {
            {t!(i18n, invitations.to_provider, name = move || name.clone())}
            " "
            <strong><ProviderTypeName user_type /></strong>
        }
        .into_any(),
        InvitationTo::Organization {
            name, user_type, ..
        } => view! {
            {t!(i18n, invitations.to_organization, name = move || name.clone())}
            " "
            <strong><OrgTypeName user_type /></strong>
        }
        .into_any(),
    }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let preview = Resource::new_blocking(token, preview_invitation);
    view! {
        <section class="panel narrow">
            <h1>{t!(i18n, invitations.title)}</h1>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
                {move || preview.get().map(|result| match result {
                    Ok(preview) => view! { <Invitation preview token=token() /> }.into_any(),
                    Err(error) => view! { <p class="alert alert-error" role="alert"><ErrorText error /></p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Invitation(preview: InvitationPreview, token: String) -> impl IntoView {
    let i18n = use_i18n();
    let viewer = use_viewer();
    let action = ServerAction::<AcceptInvitationLink>::new();
    let value = Signal::derive(move || action.value().get());
    let here = routes::invitation(&token);
    let email = preview.email.clone();
    let signed_in_as = move || {
        viewer
            .0
            .get()
            .and_then(Result::ok)
            .flatten()
            .map(|v| v.email)
    };
    let body = move || {
        let here = here.clone();
        let email = email.clone();
        let token = token.clone();
        match signed_in_as() {
            Some(current) if current == email => view! {
                <ActionForm action>
                    <input type="hidden" name="token" value=token />
                    <FormAlert value />
                    <div class="form-actions">
                        <button type="submit" class="button primary" disabled=move || action.pending().get()>
                            {t!(i18n, invitations.accept)}
                        </button>
                    </div>
                </ActionForm>
            }
            .into_any(),
            Some(current) => view! {
                <p class="alert alert-error" role="alert">
                    {t!(i18n, invitations.wrong_account, email = move || current.clone())}
                </p>
            }
            .into_any(),
            None => {
                let back = routes::encode_query(&here);
                let sign_in = format!("{}?redirect_to={back}", routes::SIGN_IN);
                let register = format!(
                    "{}?redirect_to={back}&email={}&invitation={}",
                    routes::REGISTER,
                    routes::encode_query(&email),
                    routes::encode_query(&token)
                );
                view! {
                    <p>
                        {if preview.has_account {
                            t!(i18n, invitations.sign_in_to_accept).into_any()
                        } else {
                            t!(i18n, invitations.register_to_accept).into_any()
                        }}
                    </p>
                    <div class="form-actions">
                        {if preview.has_account {
                            view! { <a class="button primary" href=sign_in>{t!(i18n, accounts.sign_in)}</a> }.into_any()
                        } else {
                            view! {
                                <a class="button primary" href=register>{t!(i18n, accounts.register)}</a>
                                <a class="button" href=sign_in>{t!(i18n, accounts.sign_in)}</a>
                            }
                            .into_any()
                        }}
                    </div>
                }
                .into_any()
            }
        }
    };
    let sent_to = preview.email.clone();
    view! {
        <p class="lead"><InvitationSentence to=preview.to.clone() /></p>
        <p>{t!(i18n, invitations.sent_to, email = move || sent_to.clone())}</p>
        <Transition fallback=|| ()>{body}</Transition>
    }
}

/// The invitations waiting for the signed-in user, each with Accept and Decline.
#[component]
pub fn PendingInvitations(
    list: PendingList,
    action: ServerAction<AnswerInvitation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let value: Signal<Option<Result<(), AppError>>> = Signal::derive(move || action.value().get());
    let PendingList {
        invitations,
        unverified,
    } = list;
    view! {
        <section class="panel" aria-labelledby="pending-heading">
            <h2 id="pending-heading">{t!(i18n, invitations.pending_title)}</h2>
            <FormAlert value />
            {unverified.map(|_| view! {
                <p class="alert alert-info" role="status" data-testid="pending-unverified">
                    {t!(i18n, invitations.unverified)} " "
                    <a href=routes::ACCOUNT>{t!(i18n, invitations.verify_in_account)}</a>
                </p>
            })}
            {if invitations.is_empty() {
                view! { <p class="muted">{t!(i18n, invitations.none_pending)}</p> }.into_any()
            } else {
                view! {
                    <ul class="pending-list">
                        {invitations
                            .into_iter()
                            .map(|to| {
                                let reference = match &to {
                                    InvitationTo::Provider { member, .. } => PendingRef::Provider(*member),
                                    InvitationTo::Organization { member, .. } => PendingRef::Organization(*member),
                                };
                                view! {
                                    <li class="pending-item">
                                        <p><InvitationSentence to /></p>
                                        <div class="form-actions">
                                            <ActionForm action>
                                                <input type="hidden" name="invitation" value=reference.to_value() />
                                                <input type="hidden" name="decision" value="accept" />
                                                <button type="submit" class="button primary">
                                                    {t!(i18n, invitations.accept)}
                                                </button>
                                            </ActionForm>
                                            <ActionForm action>
                                                <input type="hidden" name="invitation" value=reference.to_value() />
                                                <input type="hidden" name="decision" value="decline" />
                                                <button type="submit" class="button">
                                                    {t!(i18n, invitations.decline)}
                                                </button>
                                            </ActionForm>
                                        </div>
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
