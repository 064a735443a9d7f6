//! Account server functions: thin. Each reads the request, calls the service, sets or clears
//! the session cookie. They act for the caller alone, so no capability applies: registering
//! and signing in are open to anyone; the others need a session (`auth::gate`).

use leptos::prelude::*;

use leptos::server_fn::codec::Json;
use portal_crypto::{AccountKeys, MasterPasswordKeys};

use super::types::{
    AccountOverview, EmailChangeStep, OwnKeys, Registered, SignInStep, TwoStepSetup, Viewer,
};
use crate::error::AppError;
use crate::ids::SessionId;
use crate::policies::types::PasswordRules;

#[cfg(feature = "ssr")]
fn go_to(target: Option<String>) {
    leptos_axum::redirect(&crate::routes::local_or(target, crate::routes::HOME));
}

/// The signed-in user, or `None` for a visitor.
#[server(prefix = "/api", endpoint = "accounts/viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    use crate::auth::gate::{self, Open};
    let visitor = gate::open(Open::Viewer).await?;
    let Some(actor) = visitor.actor().await? else {
        return Ok(None);
    };
    let db = visitor.context.db;
    let products = super::service::product_access(&db, &actor).await?;
    let pending_invitations = crate::invitations::service::pending_count(&db, &actor).await?;
    Ok(Some(Viewer {
        name: actor.name,
        email: actor.email,
        products,
        pending_invitations,
        theme: actor.theme,
        lock: actor.lock,
        must_change_password: actor.must_change_password,
    }))
}

/// A registration: the keys the browser made from the master password, which never leaves it
/// (VAULT.md §2). The answer does not say whether the address already has an account:
/// with mail on, a link is mailed (or the owner told); with mail off, the account is made
/// unverified and the visitor signs in next. An invitation link sent to this address
/// (`invitation`, its token) proves it: the account is made verified and signed in at once.
#[server(prefix = "/api", endpoint = "accounts/register", input = Json)]
pub async fn register(
    email: String,
    name: String,
    locale: String,
    keys: AccountKeys,
    /// Where the verification link leads afterwards (an invitation's page); a path on this
    /// site, else home.
    #[server(default)]
    redirect_to: Option<String>,
    /// The token of the invitation link the visitor came from, if any.
    #[server(default)]
    invitation: Option<String>,
) -> Result<Registered, AppError> {
    use super::service::WebRegistration;
    use super::session;
    use super::verification::{self, Registration};
    use crate::auth::gate::{self, Open};
    use crate::auth::request::{client_info, outbox, set_session_cookie};
    let context = gate::open(Open::Register).await?.context;
    let now = chrono::Utc::now();
    let input = WebRegistration {
        email,
        name,
        locale,
        keys,
    };
    let client = client_info();
    let registration = verification::register(
        &context.db,
        &outbox(&context),
        &context.auth.throttle,
        &client,
        input,
        invitation.as_deref(),
        redirect_to,
        now,
    )
    .await?;
    // No redirect: the bundle goes on by itself (the page to show, after opening the new
    // keys when signed in); registering needs the bundle, so there is no plain form post.
    Ok(match registration {
        Registration::Verified(user) => {
            let token = session::create(
                &context.db,
                &context.auth.session,
                user,
                &client,
                false,
                now,
            )
            .await?;
            set_session_cookie(&context, &token);
            Registered::SignedIn
        }
        Registration::Mailed => Registered::CheckMail,
        Registration::Created => Registered::SignInNext,
    })
}

/// Uses a verification link (its page posts it: a mail scanner that fetches the link does
/// not use it up). A registration signs its new account in; an email change ends every other
/// session of the account.
#[server(prefix = "/api", endpoint = "accounts/verify-email")]
pub async fn verify_email(token: String) -> Result<String, AppError> {
    use super::session;
    use super::verification::{self, Applied};
    use crate::auth::gate::{self, Open};
    use crate::auth::request::{client_info, outbox, set_session_cookie};
    let visitor = gate::open(Open::VerifyEmail).await?;
    let current = visitor.actor().await?;
    let context = visitor.context;
    let now = chrono::Utc::now();
    let applied = verification::apply(
        &context.db,
        &outbox(&context),
        &token,
        current.as_ref().map(|a| a.session_id),
        now,
    )
    .await?;
    let target = match applied {
        Applied::Registered { user, redirect_to } => {
            let token = session::create(
                &context.db,
                &context.auth.session,
                user,
                &client_info(),
                false,
                now,
            )
            .await?;
            set_session_cookie(&context, &token);
            crate::routes::local_or(redirect_to, crate::routes::HOME)
        }
        Applied::EmailVerified { user, .. } => {
            if current.is_some_and(|actor| actor.user_id == user) {
                crate::routes::ACCOUNT.to_owned()
            } else {
                crate::routes::SIGN_IN.to_owned()
            }
        }
    };
    leptos_axum::redirect(&target);
    Ok(target)
}

/// A sign-in with the login hash the browser derived from the master password (VAULT.md §2).
#[server(prefix = "/api", endpoint = "accounts/sign-in")]
pub async fn sign_in(
    email: String,
    login_hash: String,
    redirect_to: Option<String>,
) -> Result<SignInStep, AppError> {
    use super::service;
    use crate::auth::gate::{self, Open};
    use crate::auth::request::client_info;
    let context = gate::open(Open::SignIn).await?.context;
    let signed = service::sign_in(
        &context.db,
        &context.auth,
        &email,
        login_hash,
        &client_info(),
        chrono::Utc::now(),
    )
    .await?;
    Ok(signed_in(&context, signed, redirect_to))
}

/// The one sign-in of an account made before zero knowledge: its password, checked against the
/// old hash, and the keys the browser made from it (VAULT.md §2). Refused like a wrong password
/// for every other account.
#[server(prefix = "/api", endpoint = "accounts/upgrade-sign-in", input = Json)]
pub async fn upgrade_sign_in(
    email: String,
    password: String,
    keys: AccountKeys,
    redirect_to: Option<String>,
) -> Result<SignInStep, AppError> {
    use super::service;
    use crate::auth::gate::{self, Open};
    use crate::auth::request::client_info;
    let context = gate::open(Open::UpgradeSignIn).await?.context;
    let signed = service::upgrade(
        &context.db,
        &context.auth,
        &email,
        password,
        keys,
        &client_info(),
        chrono::Utc::now(),
    )
    .await?;
    Ok(signed_in(&context, signed, redirect_to))
}

/// Sets the cookie a sign-in earned and says where to go next.
#[cfg(feature = "ssr")]
fn signed_in(
    context: &crate::auth::request::ServerContext,
    signed: super::service::SignIn,
    redirect_to: Option<String>,
) -> SignInStep {
    use super::service::SignIn;
    use crate::auth::request::{is_plain_form_post, set_session_cookie};
    // The bundle goes on by itself once it has opened the account's keys (a redirect would
    // move on before); only a plain form post is redirected.
    let plain = is_plain_form_post();
    match signed {
        SignIn::Session(token) => {
            set_session_cookie(context, &token);
            if plain {
                go_to(redirect_to);
            }
            SignInStep::Done
        }
        // The cookie now names a pending session that grants nothing but the second step.
        SignIn::SecondFactorRequired(token) => {
            set_session_cookie(context, &token);
            if plain {
                go_to(Some(crate::routes::two_step_sign_in(
                    redirect_to.as_deref(),
                )));
            }
            SignInStep::SecondStep
        }
        SignIn::UpgradeRequired => SignInStep::Upgrade,
    }
}

/// The second step of a sign-in: a code from the authenticator app, or the recovery code
/// (which turns two-step login off; the account page then says so). Returns the page to load
/// next, so that the browser and a form post without the bundle end up in the same place.
#[server(prefix = "/api", endpoint = "accounts/two-step-sign-in")]
pub async fn complete_two_step_sign_in(
    code: String,
    redirect_to: Option<String>,
) -> Result<String, AppError> {
    use super::two_step;
    use crate::auth::gate::{self, Open};
    use crate::auth::request::{client_info, session_token, set_session_cookie};
    let context = gate::open(Open::TwoStepSignIn).await?.context;
    let pending = session_token(&context).ok_or(AppError::Unauthenticated)?;
    let done = two_step::complete_sign_in(
        &context.db,
        &context.auth,
        &pending,
        &code,
        &client_info(),
        chrono::Utc::now(),
    )
    .await?;
    set_session_cookie(&context, &done.token);
    // The recovery code turned two-step login off: the account page says so and offers to
    // turn it on again, whatever page the visitor was heading for.
    let target = if done.used_recovery_code {
        crate::routes::ACCOUNT.to_owned()
    } else {
        crate::routes::local_or(redirect_to, crate::routes::HOME)
    };
    // As for the first step: the bundle goes on once it has opened the keys.
    if crate::auth::request::is_plain_form_post() {
        go_to(Some(target.clone()));
    }
    Ok(target)
}

/// The key-derivation settings and salt for an address, asked for before signing in: the
/// browser derives the master key itself (VAULT.md §2). Open, and the same shape for every
/// address, with an account or not.
#[server(prefix = "/api", endpoint = "accounts/prelogin")]
pub async fn prelogin(email: String) -> Result<super::types::Prelogin, AppError> {
    use crate::auth::gate::{self, Open};
    let context = gate::open(Open::Prelogin).await?.context;
    super::prelogin::prelogin(&context.db, &email).await
}

/// The master-password rules a new password must meet, which the browser checks (the server
/// never sees the password): for a signed-in account, the strictest of its organizations'
/// policies; for a registration, those of the organizations that invited the address of the
/// invitation link it came from (`invitation`, its token). `None`: the portal's own rules only.
#[server(prefix = "/api", endpoint = "accounts/password-policy")]
pub async fn password_policy(
    #[server(default)] invitation: Option<String>,
) -> Result<Option<PasswordRules>, AppError> {
    use crate::auth::gate::{self, Open};
    let visitor = gate::open(Open::PasswordPolicy).await?;
    let actor = visitor.actor().await?;
    let db = &visitor.context.db;
    if let Some(actor) = actor {
        return crate::policies::service::rules_for(db, actor.user_id).await;
    }
    let Some(token) = invitation else {
        return Ok(None);
    };
    match crate::invitations::service::address_of_link(db, &token, chrono::Utc::now()).await? {
        Some(email) => crate::policies::service::rules_for_invitee(db, &email).await,
        None => Ok(None),
    }
}

/// The signed-in account's wrapped keys and how its master key is derived: what changing the
/// master password re-wraps, and what signing in and unlocking open in the browser. `None` for an account made
/// before zero knowledge, which has none until its next sign-in.
#[server(prefix = "/api", endpoint = "accounts/keys")]
pub async fn wrapped_keys() -> Result<Option<OwnKeys>, AppError> {
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    super::service::own_keys(&context.db, &actor).await
}

/// Everything the account page shows: profile, two-step login, sessions, memberships.
#[server(prefix = "/api", endpoint = "accounts/details")]
pub async fn account_details() -> Result<AccountOverview, AppError> {
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    let mut overview = super::service::overview(&context.db, &actor).await?;
    overview.mail_on = context.mailer.is_on();
    Ok(overview)
}

/// The theme the account chose (`system`, `light`, `dark`). Without the bundle the menu's
/// form posts here and comes back to `return_to`.
#[server(prefix = "/api", endpoint = "accounts/set-theme")]
pub async fn set_theme(
    theme: String,
    return_to: Option<String>,
) -> Result<crate::vocabulary::Theme, AppError> {
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    let theme = crate::vocabulary::Theme::parse(&theme).ok_or(AppError::BadRequest)?;
    super::service::set_theme(&context.db, &actor, theme).await?;
    if return_to.is_some() {
        go_to(return_to);
    }
    Ok(theme)
}

/// How long the account's tabs stay unlocked without activity (minutes, one of
/// `LockTimeout::CHOICES`). Without the bundle the account page's form posts here and comes
/// back to `return_to`.
#[server(prefix = "/api", endpoint = "accounts/set-lock-timeout")]
pub async fn set_lock_timeout(
    minutes: String,
    return_to: Option<String>,
) -> Result<super::types::LockTimeout, AppError> {
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    let lock = minutes
        .trim()
        .parse()
        .ok()
        .and_then(super::types::LockTimeout::from_minutes)
        .ok_or(AppError::BadRequest)?;
    super::service::set_lock_timeout(&context.db, &actor, lock).await?;
    if crate::auth::request::is_plain_form_post() {
        go_to(return_to);
    }
    Ok(lock)
}

/// Changes the display name; no password needed (it proves nothing and guards nothing).
#[server(prefix = "/api", endpoint = "accounts/update-name")]
pub async fn update_name(name: String) -> Result<(), AppError> {
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    super::service::update_name(&context.db, &actor, &name).await
}

/// Asks to change the sign-in email (the current password is asked again). Nothing changes
/// until the new address is verified; the answer is the same whether or not it is taken.
#[server(prefix = "/api", endpoint = "accounts/change-email")]
pub async fn change_email(
    email: String,
    current_login_hash: String,
) -> Result<EmailChangeStep, AppError> {
    use crate::auth::request::outbox;
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    super::verification::request_change(
        &context.db,
        &outbox(&context),
        &context.auth.throttle,
        &actor,
        &email,
        current_login_hash,
        chrono::Utc::now(),
    )
    .await
}

/// Mails a link verifying the caller's current address.
#[server(prefix = "/api", endpoint = "accounts/send-verification")]
pub async fn send_verification() -> Result<EmailChangeStep, AppError> {
    use crate::auth::request::outbox;
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    super::verification::request_current(
        &context.db,
        &outbox(&context),
        &context.auth.throttle,
        &actor,
        chrono::Utc::now(),
    )
    .await
}

/// Ends one of the caller's own sessions (another device).
#[server(prefix = "/api", endpoint = "accounts/end-session")]
pub async fn end_session(session: SessionId) -> Result<(), AppError> {
    use super::session;
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    if session::revoke_own(&context.db, actor.user_id, session).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The secret being set up and its QR code. The secret stays on the server (pending until a
/// code confirms it); the browser only shows it.
#[server(prefix = "/api", endpoint = "accounts/begin-two-step")]
pub async fn begin_two_step() -> Result<TwoStepSetup, AppError> {
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    super::two_step::begin(&context.db, &actor, chrono::Utc::now()).await
}

/// Turns two-step login on with the pending secret; returns the recovery code, shown once.
#[server(prefix = "/api", endpoint = "accounts/enable-two-step")]
pub async fn enable_two_step(code: String, current_login_hash: String) -> Result<String, AppError> {
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    super::two_step::enable(
        &context.db,
        &actor,
        &code,
        current_login_hash,
        chrono::Utc::now(),
    )
    .await
}

#[server(prefix = "/api", endpoint = "accounts/disable-two-step")]
pub async fn disable_two_step(current_login_hash: String) -> Result<(), AppError> {
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    super::two_step::disable(&context.db, &actor, current_login_hash).await
}

#[server(prefix = "/api", endpoint = "accounts/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::session;
    use crate::auth::gate::{self, Open};
    use crate::auth::request::clear_session_cookie;
    let visitor = gate::open(Open::SignOut).await?;
    // Signing out twice (a second tab) is not an error: the cookie goes either way.
    if let Some(actor) = visitor.actor().await? {
        session::revoke(&visitor.context.db, actor.session_id).await?;
    }
    let context = visitor.context;
    clear_session_cookie(&context);
    go_to(None);
    Ok(())
}

/// Ends every session of the caller, this one included.
#[server(prefix = "/api", endpoint = "accounts/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use super::session;
    use crate::auth::request::clear_session_cookie;
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    session::revoke_all(&context.db, actor.user_id, None).await?;
    clear_session_cookie(&context);
    go_to(None);
    Ok(())
}

/// A new master password or new KDF settings: the login hash of the current password, and the
/// same user key wrapped under the new one (VAULT.md §2). Every other session ends.
#[server(prefix = "/api", endpoint = "accounts/change-password", input = Json)]
pub async fn change_password(
    current_login_hash: String,
    new: MasterPasswordKeys,
) -> Result<(), AppError> {
    let crate::auth::gate::Account { actor, context, .. } = crate::auth::gate::account().await?;
    super::service::change_password(&context.db, &actor, current_login_hash, new).await
}
