//! The account area (`/account`): profile, password, two-step login, sessions, memberships.
//! The forms that ask for the password again need the browser bundle (they send the login hash
//! derived from it, VAULT.md §2); every other form posts to a server function and works without
//! it. With the bundle, the page refetches in place after each change.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::NewPasswordFields;
use super::current_login_hash;
use super::sign_in::NeedsScript;
use crate::accounts::api::{
    EndSession, SendVerification, SetLockTimeout, SignOutEverywhere, UpdateName, account_details,
    change_email, change_password, disable_two_step, password_policy, wrapped_keys,
};
use crate::accounts::browser;
use crate::accounts::types::{
    AccountOverview, EmailChangeStep, MAX_NAME_CHARS, MembershipInfo, SessionInfo,
};
use crate::error::{AppError, ErrorText, Field};
use crate::i18n::*;
use crate::members::types::{MemberStatus, OrgUserType};
use crate::providers::types::ProviderUserType;
use crate::routes;
use crate::widgets::{BrowserForm, Fields, FormAlert, LocalTime, TextField, problem_of};

/// Shown after a form succeeded, until the next submission.
#[component]
pub fn Saved<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="saved" role="status">
            {move || matches!(value.get(), Some(Ok(_))).then(|| t!(i18n, accounts.saved))}
        </p>
    }
}

/// What a page shows instead of its content when it is refused. The answer carries the
/// refusal's real status (403, 404…), and a visitor who is not signed in is sent to sign in
/// and brought back here afterwards.
#[component]
pub fn SignInRequired(error: AppError, #[prop(into)] here: String) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!(
        "{}?redirect_to={}",
        routes::SIGN_IN,
        routes::encode_query(&here)
    );
    let signed_out = matches!(error, AppError::Unauthenticated);
    crate::shell::answer_with_status(&error);
    if signed_out {
        // A page's GET: a real redirect whatever the request accepts (`leptos_axum::redirect`
        // answers a non-HTML request with a header for the bundle instead).
        #[cfg(feature = "ssr")]
        if let (Some(response), Ok(location)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(&href),
        ) {
            response.set_status(http::StatusCode::FOUND);
            response.insert_header(http::header::LOCATION, location);
        }
        #[cfg(feature = "hydrate")]
        {
            let target = href.clone();
            Effect::new(move |_| {
                leptos_router::hooks::use_navigate()(&target, Default::default());
            });
        }
    }
    view! {
        <section class="panel narrow" role="alert">
            <p><ErrorText error /></p>
            {signed_out.then(|| view! { <a class="button primary" href=href>{t!(i18n, accounts.sign_in)}</a> })}
        </section>
    }
}

/// The account area's forms. They live as long as the page, not as long as the section that
/// shows them: the overview reloads after every change and re-creates the sections, and the
/// outcome of the change ("Saved.", a field's error) must survive that.
#[derive(Clone, Copy)]
struct AccountActions {
    rename: ServerAction<UpdateName>,
    change_email: BrowserForm<EmailChangeStep>,
    send_verification: ServerAction<SendVerification>,
    change_password: BrowserForm<()>,
    change_kdf: BrowserForm<()>,
    disable_two_step: BrowserForm<()>,
    end_session: ServerAction<EndSession>,
    set_lock: ServerAction<SetLockTimeout>,
}

impl AccountActions {
    fn new() -> Self {
        Self {
            rename: ServerAction::new(),
            change_email: BrowserForm::new(),
            send_verification: ServerAction::new(),
            change_password: BrowserForm::new(),
            change_kdf: BrowserForm::new(),
            disable_two_step: BrowserForm::new(),
            end_session: ServerAction::new(),
            set_lock: ServerAction::new(),
        }
    }

    /// A counter that goes up after every successful change: the overview's reload trigger.
    /// A refused submission does not reload, so the form keeps what was typed into it.
    fn successes(&self) -> ReadSignal<u32> {
        let (count, set_count) = signal(0_u32);
        let bump = move |succeeded: bool| {
            if succeeded {
                set_count.update(|n| *n += 1);
            }
        };
        let Self {
            rename,
            change_email,
            send_verification,
            change_password,
            change_kdf,
            disable_two_step,
            end_session,
            set_lock,
        } = *self;
        Effect::new(move |_| bump(matches!(rename.value().get(), Some(Ok(_)))));
        Effect::new(move |_| bump(matches!(change_email.outcome.get(), Some(Ok(_)))));
        Effect::new(move |_| bump(matches!(send_verification.value().get(), Some(Ok(_)))));
        let viewer = super::use_viewer().0;
        Effect::new(move |_| {
            if matches!(change_password.outcome.get(), Some(Ok(_))) {
                // A recovered account's notice goes once it has a password of its own.
                viewer.refetch();
                bump(true);
            }
        });
        Effect::new(move |_| bump(matches!(change_kdf.outcome.get(), Some(Ok(_)))));
        Effect::new(move |_| bump(matches!(disable_two_step.outcome.get(), Some(Ok(_)))));
        Effect::new(move |_| bump(matches!(end_session.value().get(), Some(Ok(_)))));
        Effect::new(move |_| {
            if matches!(set_lock.value().get(), Some(Ok(_))) {
                // The idle watcher reads the timeout from the viewer.
                viewer.refetch();
                bump(true);
            }
        });
        count
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let actions = AccountActions::new();
    provide_context(actions);
    let successes = actions.successes();
    let overview = Resource::new(move || successes.get(), |_| account_details());
    view! {
        <h1>{t!(i18n, accounts.account_title)}</h1>
        // A transition keeps the sections on screen while they reload after a change.
        <Transition fallback=move || view! { <p class="loading" aria-busy="true">{t!(i18n, loading)}</p> }>
            {move || {
                overview
                    .get()
                    .map(|result| match result {
                        Ok(overview) => view! { <Sections overview /> }.into_any(),
                        Err(error) => view! { <SignInRequired error here=routes::ACCOUNT /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn Sections(overview: AccountOverview) -> impl IntoView {
    let AccountOverview {
        name,
        email,
        email_verified,
        pending_email,
        mail_on,
        two_step_enabled,
        lock,
        kdf,
        sessions,
        organizations,
        providers,
    } = overview;
    let AccountActions {
        set_lock,
        change_kdf,
        ..
    } = expect_context();
    let address = AddressState {
        verified: email_verified,
        pending: pending_email,
        mail_on,
    };
    view! {
        // Each section's view type is erased: nested together they exceed the compiler's
        // type-depth limit, and nothing here benefits from static view types.
        <div class="account-sections">
            {view! { <ProfileSection name email address /> }.into_any()}
            {view! { <PasswordSection /> }.into_any()}
            {{
                // The shared keys this account holds, by the place's name.
                let held = organizations
                    .iter()
                    .filter_map(|m| Some((m.name.clone(), m.key.clone()?)))
                    .chain(providers.iter().filter_map(|m| Some((m.name.clone(), m.key.clone()?))))
                    .collect::<Vec<_>>();
                view! { <super::KeysSection lock set_lock held /> }.into_any()
            }}
            {view! { <super::kdf::KdfSection current=kdf form=change_kdf /> }.into_any()}
            {view! { <TwoStepSection enabled=two_step_enabled /> }.into_any()}
            {view! { <SessionsSection sessions /> }.into_any()}
            {view! { <MembershipsSection organizations providers /> }.into_any()}
        </div>
    }
}

/// Whether the account's address is verified, and the one it waits to move to.
#[derive(Clone, Debug)]
struct AddressState {
    verified: bool,
    pending: Option<String>,
    mail_on: bool,
}

/// The address's state under the email field: verified, or how to verify it; a change
/// waiting for its link.
#[component]
fn AddressNotes(email: String, address: AddressState) -> impl IntoView {
    let i18n = use_i18n();
    let AccountActions {
        send_verification, ..
    } = expect_context();
    let sent = super::outcome(send_verification);
    let mail_on = address.mail_on;
    let unverified = (!address.verified).then(|| {
        let email = email.clone();
        view! {
            <div class="address-note" data-testid="address-unverified">
                <p>
                    <span class="badge badge-warning">{t!(i18n, accounts.unverified)}</span> " "
                    {t!(i18n, accounts.unverified_explain)}
                </p>
                {if mail_on {
                    view! {
                        <ActionForm action=send_verification>
                            <FormAlert value=sent />
                            <button type="submit" class="button">{t!(i18n, accounts.send_verification)}</button>
                        </ActionForm>
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="muted">
                            {t!(i18n, accounts.verify_by_operator)} " "
                            <code>{format!("server user verify --email {email}")}</code>
                        </p>
                    }
                    .into_any()
                }}
            </div>
        }
    });
    let verified = address.verified.then(
        || view! { <p><span class="badge badge-success">{t!(i18n, accounts.verified)}</span></p> },
    );
    let pending = address.pending.filter(|p| *p != email || !address.verified).map(|pending| {
        let command = format!("server user verify --email {pending}");
        let shown = pending.clone();
        view! {
            <p class="address-note" role="status" data-testid="address-pending">
                {t!(i18n, accounts.change_waiting, email = move || shown.clone())} " "
                {if mail_on {
                    t!(i18n, accounts.change_waiting_mail).into_any()
                } else {
                    view! { {t!(i18n, accounts.verify_by_operator)} " " <code>{command}</code> }.into_any()
                }}
            </p>
        }
    });
    view! { {verified} {unverified} {pending} }
}

/// After an email change was asked for: where the link went.
#[component]
fn ChangeRequested(value: Signal<Option<Result<EmailChangeStep, AppError>>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="saved" role="status">
            {move || match value.get() {
                Some(Ok(EmailChangeStep::Pending { email, .. })) => {
                    Some(t!(i18n, accounts.change_requested, email = move || email.clone()).into_any())
                }
                Some(Ok(EmailChangeStep::Unchanged)) => Some(t!(i18n, accounts.saved).into_any()),
                _ => None,
            }}
        </p>
    }
}

#[component]
fn ProfileSection(name: String, email: String, address: AddressState) -> impl IntoView {
    let i18n = use_i18n();
    let AccountActions {
        rename,
        change_email: move_email,
        ..
    } = expect_context();
    let renamed = super::outcome(rename);
    let moved = move_email.value();
    let current = email.clone();
    view! {
        <section class="panel" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{t!(i18n, accounts.profile)}</h2>
            <ActionForm action=rename attr:class="inline-form">
                <FormAlert value=renamed />
                <TextField
                    name="name"
                    autocomplete="name"
                    required=true
                    maxlength=MAX_NAME_CHARS
                    value=name
                    label=Signal::derive(move || t_string!(i18n, accounts.name).to_string())
                    problem=problem_of(renamed, Field::Name)
                />
                <button type="submit" class="button">{t!(i18n, accounts.save)}</button>
                <Saved value=renamed />
            </ActionForm>
            <NeedsScript />
            <form class="inline-form" method="post" action=crate::widgets::NOWHERE on:submit=move |event| move_email.submit(event, email_change)>
                <FormAlert value=moved />
                <TextField
                    name="email"
                    input_type="email"
                    autocomplete="username"
                    required=true
                    value=email
                    form="email"
                    label=Signal::derive(move || t_string!(i18n, accounts.email).to_string())
                    problem=problem_of(moved, Field::Email)
                />
                <super::PasswordAgain problem=problem_of(moved, Field::CurrentPassword) form="email" />
                <button type="submit" class="button" disabled=move_email.disabled()>{t!(i18n, accounts.change_email)}</button>
                <ChangeRequested value=moved />
            </form>
            <AddressNotes email=current address />
        </section>
    }
}

async fn email_change(fields: Fields) -> Result<EmailChangeStep, AppError> {
    let hash = current_login_hash(fields.get("current_password")).await?;
    change_email(fields.get("email"), hash).await
}

/// A new master password: the browser checks its rules, then re-wraps the *same* user key under
/// it (nothing else is re-encrypted) and sends the current password's login hash with it.
async fn password_change(fields: Fields) -> Result<(), AppError> {
    let (current, new) = (fields.get("current_password"), fields.get("new_password"));
    let confirm = fields.get("new_password_confirm");
    let keys = wrapped_keys()
        .await?
        .ok_or(AppError::Refused(crate::error::Refusal::KeysMissing))?;
    let policy = password_policy(None).await?;
    let strength = browser::strength(new.clone(), vec![keys.salt.clone()]).await?;
    let problems = crate::accounts::rules::problems(&new, &confirm, strength, policy);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let kdf = keys.kdf;
    let (current_hash, new_keys) = browser::change_master_password(current, new, keys, kdf).await?;
    change_password(current_hash, new_keys).await
}

async fn two_step_off(fields: Fields) -> Result<(), AppError> {
    disable_two_step(current_login_hash(fields.get("current_password")).await?).await
}

#[component]
fn PasswordSection() -> impl IntoView {
    let i18n = use_i18n();
    let form = expect_context::<AccountActions>().change_password;
    let value = form.value();
    view! {
        <section class="panel" id="password" aria-labelledby="password-heading">
            <h2 id="password-heading">{t!(i18n, accounts.change_password)}</h2>
            <p class="muted">{t!(i18n, accounts.change_password_note)}</p>
            <form method="post" action=crate::widgets::NOWHERE on:submit=move |event| form.submit(event, password_change)>
                <FormAlert value />
                <super::PasswordAgain problem=problem_of(value, Field::CurrentPassword) />
                <NewPasswordFields value />
                <button type="submit" class="button primary" disabled=form.disabled()>
                    {t!(i18n, accounts.change_password)}
                </button>
                <Saved value />
            </form>
        </section>
    }
}

#[component]
fn TwoStepSection(enabled: bool) -> impl IntoView {
    let i18n = use_i18n();
    let disable = expect_context::<AccountActions>().disable_two_step;
    let value = disable.value();
    view! {
        <section class="panel" aria-labelledby="two-step-heading">
            <h2 id="two-step-heading">{t!(i18n, accounts.two_step)}</h2>
            {if enabled {
                view! {
                    <p><span class="badge badge-on">{t!(i18n, accounts.two_step_on)}</span></p>
                    <form method="post" action=crate::widgets::NOWHERE on:submit=move |event| disable.submit(event, two_step_off)>
                        <FormAlert value />
                        <super::PasswordAgain problem=problem_of(value, Field::CurrentPassword) form="two-step" />
                        <button type="submit" class="button danger" disabled=disable.disabled()>{t!(i18n, accounts.two_step_disable)}</button>
                    </form>
                }
                    .into_any()
            } else {
                view! {
                    <p><span class="badge badge-off">{t!(i18n, accounts.two_step_off)}</span></p>
                    <p class="muted">{t!(i18n, accounts.two_step_explain)}</p>
                    <a class="button primary" href=routes::ACCOUNT_TWO_STEP>{t!(i18n, accounts.two_step_enable)}</a>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn SessionsSection(sessions: Vec<SessionInfo>) -> impl IntoView {
    let i18n = use_i18n();
    let end = expect_context::<AccountActions>().end_session;
    let ended = super::outcome(end);
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    super::reload_on_success(super::outcome(everywhere), |_| {
        super::account_menu::signed_out()
    });
    let rows = sessions
        .into_iter()
        .map(|session| {
            let id = session.id.to_string();
            view! {
                <tr>
                    <td>{session.user_agent.unwrap_or_default()}</td>
                    <td>{session.ip.unwrap_or_default()}</td>
                    <td><LocalTime at=session.signed_in_at /></td>
                    <td><LocalTime at=session.last_seen_at /></td>
                    <td>
                        {if session.current {
                            view! { <span class="badge">{t!(i18n, accounts.this_session)}</span> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=end>
                                    <input type="hidden" name="session" value=id />
                                    <button type="submit" class="button small">{t!(i18n, accounts.end_session)}</button>
                                </ActionForm>
                            }
                                .into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{t!(i18n, accounts.sessions)}</h2>
            <FormAlert value=ended />
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, accounts.session_device)}</th>
                        <th scope="col">{t!(i18n, accounts.session_address)}</th>
                        <th scope="col">{t!(i18n, accounts.session_signed_in)}</th>
                        <th scope="col">{t!(i18n, accounts.session_last_seen)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, accounts.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <ActionForm action=everywhere>
                <button type="submit" class="button">{t!(i18n, accounts.sign_out_everywhere)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn StatusBadge(status: MemberStatus) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match status {
        MemberStatus::Invited => t_string!(i18n, members.status_invited),
        MemberStatus::Accepted => t_string!(i18n, members.status_accepted),
        MemberStatus::Confirmed => t_string!(i18n, members.status_confirmed),
        MemberStatus::Revoked => t_string!(i18n, members.status_revoked),
    };
    view! { <span class=format!("badge status-{}", status.as_str())>{text}</span> }
}

#[component]
fn MembershipsSection(
    organizations: Vec<MembershipInfo<OrgUserType>>,
    providers: Vec<MembershipInfo<ProviderUserType>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let none = organizations.is_empty() && providers.is_empty();
    let org_rows = organizations
        .into_iter()
        .map(|m| {
            let role = move || match m.role {
                OrgUserType::Owner => t_string!(i18n, members.owner),
                OrgUserType::Admin => t_string!(i18n, members.admin),
                OrgUserType::User => t_string!(i18n, members.user),
                OrgUserType::Custom => t_string!(i18n, members.custom),
            };
            view! {
                <li>
                    <strong>{m.name}</strong> " · " {role} " " <StatusBadge status=m.status />
                </li>
            }
        })
        .collect_view();
    let provider_rows = providers
        .into_iter()
        .map(|m| {
            let role = move || match m.role {
                ProviderUserType::ProviderAdmin => t_string!(i18n, members.provider_admin),
                ProviderUserType::ServiceUser => t_string!(i18n, members.service_user),
            };
            view! {
                <li>
                    <strong>{m.name}</strong> " · " {role} " " <StatusBadge status=m.status />
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="memberships-heading">
            <h2 id="memberships-heading">{t!(i18n, accounts.memberships)}</h2>
            {none.then(|| view! { <p class="muted">{t!(i18n, accounts.no_memberships)}</p> })}
            <ul class="plain-list">{org_rows} {provider_rows}</ul>
            <p class="section-actions">
                <a class="button" href=routes::NEW_ORGANIZATION>{t!(i18n, organizations.new_link)}</a>
                <a class="button" href=routes::NEW_PROVIDER>{t!(i18n, providers.new_link)}</a>
            </p>
        </section>
    }
}
