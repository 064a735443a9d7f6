//! Account server functions: thin. Each reads the request, calls the service, sets or clears
//! the session cookie. They act for the caller alone, so no capability applies: registering
//! and signing in are open to anyone; the others need a session (`current_actor`).

use leptos::prelude::*;

use super::types::{AccountOverview, SignInStep, Strength, TwoStepSetup, Viewer};
use crate::error::AppError;
use crate::ids::SessionId;

#[cfg(feature = "ssr")]
fn go_to(target: Option<String>) {
    let target = target
        .filter(|t| crate::routes::is_local_path(t))
        .unwrap_or_else(|| crate::routes::HOME.to_owned());
    leptos_axum::redirect(&target);
}

/// The signed-in user, or `None` for a visitor.
#[server(prefix = "/api", endpoint = "accounts/viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    use crate::auth::request::{optional_actor, server_context};
    let Some(actor) = optional_actor().await? else {
        return Ok(None);
    };
    let db = server_context()?.db;
    let products = super::service::product_access(&db, &actor).await?;
    let pending_invitations = crate::invitations::service::pending_count(&db, &actor).await?;
    Ok(Some(Viewer {
        name: actor.name,
        email: actor.email,
        products,
        pending_invitations,
    }))
}

#[server(prefix = "/api", endpoint = "accounts/register")]
pub async fn register(
    email: String,
    name: String,
    password: String,
    password_confirm: String,
    locale: String,
    /// Where to go afterwards (an invitation's page); a path on this site, else home.
    #[server(default)]
    redirect_to: Option<String>,
) -> Result<(), AppError> {
    use super::service::{self, RegisterInput};
    use super::session;
    use crate::auth::request::{client_info, server_context, set_session_cookie};
    let context = server_context()?;
    let now = chrono::Utc::now();
    let input = RegisterInput {
        email,
        name,
        password,
        password_confirm,
        locale,
    };
    let user = service::register(&context.db, input, now).await?;
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
    go_to(redirect_to);
    Ok(())
}

#[server(prefix = "/api", endpoint = "accounts/sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    redirect_to: Option<String>,
) -> Result<SignInStep, AppError> {
    use super::service::{self, SignIn};
    use crate::auth::request::{client_info, server_context, set_session_cookie};
    let context = server_context()?;
    let now = chrono::Utc::now();
    match service::sign_in(
        &context.db,
        &context.auth,
        &email,
        password,
        &client_info(),
        now,
    )
    .await?
    {
        SignIn::Session(token) => {
            set_session_cookie(&context, &token);
            go_to(redirect_to);
            Ok(SignInStep::Done)
        }
        // The cookie now names a pending session that grants nothing but the second step.
        SignIn::SecondFactorRequired(token) => {
            set_session_cookie(&context, &token);
            go_to(Some(crate::routes::two_step_sign_in(
                redirect_to.as_deref(),
            )));
            Ok(SignInStep::SecondStep)
        }
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
    use crate::auth::request::{client_info, server_context, session_token, set_session_cookie};
    let context = server_context()?;
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
        redirect_to
            .filter(|t| crate::routes::is_local_path(t))
            .unwrap_or_else(|| crate::routes::HOME.to_owned())
    };
    go_to(Some(target.clone()));
    Ok(target)
}

/// zxcvbn's estimate for a password being typed, with the user's own words (email, name)
/// counted against it. Open to visitors: the registration form shows it too.
#[server(prefix = "/api", endpoint = "accounts/password-strength")]
pub async fn password_strength(
    password: String,
    context: Vec<String>,
) -> Result<Strength, AppError> {
    use crate::auth::request::optional_actor;
    let actor = optional_actor().await?;
    let mut words: Vec<&str> = context.iter().take(4).map(String::as_str).collect();
    if let Some(actor) = &actor {
        words.extend([actor.email.as_str(), actor.name.as_str()]);
    }
    Ok(super::strength::estimate(&password, &words))
}

/// Everything the account page shows: profile, two-step login, sessions, memberships.
#[server(prefix = "/api", endpoint = "accounts/details")]
pub async fn account_details() -> Result<AccountOverview, AppError> {
    use crate::auth::request::{current_actor, server_context};
    let context = server_context()?;
    let actor = current_actor().await?;
    super::service::overview(&context.db, &actor).await
}

/// Changes the display name; no password needed (it proves nothing and guards nothing).
#[server(prefix = "/api", endpoint = "accounts/update-name")]
pub async fn update_name(name: String) -> Result<(), AppError> {
    use crate::auth::request::{current_actor, server_context};
    let context = server_context()?;
    let actor = current_actor().await?;
    super::service::update_name(&context.db, &actor, &name).await
}

/// Changes the sign-in email; the current password is asked again.
#[server(prefix = "/api", endpoint = "accounts/change-email")]
pub async fn change_email(email: String, current_password: String) -> Result<(), AppError> {
    use crate::auth::request::{current_actor, server_context};
    let context = server_context()?;
    let actor = current_actor().await?;
    super::service::change_email(&context.db, &actor, &email, current_password).await
}

/// Ends one of the caller's own sessions (another device).
#[server(prefix = "/api", endpoint = "accounts/end-session")]
pub async fn end_session(session: SessionId) -> Result<(), AppError> {
    use super::session;
    use crate::auth::request::{current_actor, server_context};
    let context = server_context()?;
    let actor = current_actor().await?;
    if session::revoke_own(&context.db, actor.user_id, session).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// A new secret and QR code; nothing is stored until `enable_two_step` confirms a code.
#[server(prefix = "/api", endpoint = "accounts/begin-two-step")]
pub async fn begin_two_step() -> Result<TwoStepSetup, AppError> {
    use crate::auth::request::current_actor;
    let actor = current_actor().await?;
    super::two_step::new_setup(&actor.email)
}

/// Turns two-step login on; returns the recovery code, shown once.
#[server(prefix = "/api", endpoint = "accounts/enable-two-step")]
pub async fn enable_two_step(
    secret: String,
    code: String,
    current_password: String,
) -> Result<String, AppError> {
    use crate::auth::request::{current_actor, server_context};
    let context = server_context()?;
    let actor = current_actor().await?;
    super::two_step::enable(
        &context.db,
        &actor,
        &secret,
        &code,
        current_password,
        chrono::Utc::now(),
    )
    .await
}

#[server(prefix = "/api", endpoint = "accounts/disable-two-step")]
pub async fn disable_two_step(current_password: String) -> Result<(), AppError> {
    use crate::auth::request::{current_actor, server_context};
    let context = server_context()?;
    let actor = current_actor().await?;
    super::two_step::disable(&context.db, &actor, current_password).await
}

#[server(prefix = "/api", endpoint = "accounts/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::session;
    use crate::auth::request::{clear_session_cookie, current_actor, server_context};
    let context = server_context()?;
    // Signing out twice (a second tab) is not an error: the cookie goes either way.
    if let Ok(actor) = current_actor().await {
        session::revoke(&context.db, actor.session_id).await?;
    }
    clear_session_cookie(&context);
    go_to(None);
    Ok(())
}

/// Ends every session of the caller, this one included.
#[server(prefix = "/api", endpoint = "accounts/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use super::session;
    use crate::auth::request::{clear_session_cookie, current_actor, server_context};
    let context = server_context()?;
    let actor = current_actor().await?;
    session::revoke_all(&context.db, actor.user_id, None).await?;
    clear_session_cookie(&context);
    go_to(None);
    Ok(())
}

/// Asks the current password again; every other session ends.
#[server(prefix = "/api", endpoint = "accounts/change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    use super::service;
    use crate::auth::request::{current_actor, server_context};
    let context = server_context()?;
    let actor = current_actor().await?;
    service::change_password(
        &context.db,
        &actor,
        current_password,
        new_password,
        new_password_confirm,
    )
    .await
}
