//! Two-step login with TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, what every
//! authenticator app speaks). Enabling proves the app has the secret (a first code) and the
//! user is present (the password); a recovery code, shown once, turns two-step login off
//! when the phone is lost. A code is accepted once: the last used time step is stored.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

use super::service::AuthConfig;
use super::session::{self, ClientInfo};
use super::throttle;
use super::types::TwoStepSetup;
use crate::auth::Actor;
use crate::db::users;
use crate::error::{AppError, Field, FieldError, Problem, Refusal};
use crate::ids::UserId;

const ISSUER: &str = "Provider Portal";
const STEP_SECONDS: u64 = 30;
/// One step either side: phone clocks drift, and a code typed at the end of its step arrives
/// in the next.
const SKEW_STEPS: i64 = 1;

fn totp(secret_base32: &str, account: &str) -> Result<TOTP, AppError> {
    let bytes = Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .map_err(|_| AppError::field(Field::Code, Problem::Wrong))?;
    // The otpauth label may not contain ':'; the email is only a label in the app.
    let account = account.replace(':', "_");
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECONDS,
        bytes,
        Some(ISSUER.to_owned()),
        account,
    )
    .map_err(|e| {
        tracing::error!(error = %e, "TOTP parameters refused");
        AppError::Internal
    })
}

/// How long a secret being set up waits for its first code.
const SETUP_MINUTES: i64 = 15;

/// A fresh secret: 160 bits, RFC 4226's recommendation.
fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

/// The secret with its QR code for the app.
fn setup_of(secret: String, email: &str) -> Result<TwoStepSetup, AppError> {
    let url = totp(&secret, email)?.get_url();
    let svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| {
            tracing::error!(error = %e, "QR code could not be built");
            AppError::Internal
        })?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    Ok(TwoStepSetup {
        secret,
        qr_data_url: format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg)),
    })
}

/// Starts (or, within its time, resumes) setting two-step login up: the secret is kept on the
/// server as pending, so that turning it on needs only the code (the browser never sends a
/// secret, weak or otherwise). A reload shows the same secret while it is fresh.
pub async fn begin(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<TwoStepSetup, AppError> {
    let user = user_of(db, actor.user_id).await?;
    let fresh = user
        .totp_pending_at
        .is_some_and(|at| at + chrono::Duration::minutes(SETUP_MINUTES) > now);
    if let (true, Some(secret)) = (fresh, user.totp_pending_secret.clone()) {
        return setup_of(secret, &user.email);
    }
    let secret = new_secret();
    let email = user.email.clone();
    let mut user = user.into_active_model();
    user.totp_pending_secret = Set(Some(secret.clone()));
    user.totp_pending_at = Set(Some(now));
    user.update(db).await?;
    setup_of(secret, &email)
}

/// The time step `code` belongs to, if it is valid now and newer than `last_step`.
fn accepted_step(
    totp: &TOTP,
    code: &str,
    last_step: Option<i64>,
    now: DateTime<Utc>,
) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let current = now.timestamp() / STEP_SECONDS as i64;
    (current - SKEW_STEPS..=current + SKEW_STEPS)
        .filter(|step| last_step.is_none_or(|last| *step > last))
        .find(|step| totp.check(&code, (*step as u64) * STEP_SECONDS))
}

fn wrong_code() -> AppError {
    AppError::field(Field::Code, Problem::Wrong)
}

/// 160 random bits as 32 base32 characters in groups of four: typed from paper if need be.
fn new_recovery_code() -> String {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    let encoded = Secret::Raw(bytes.to_vec()).to_encoded().to_string();
    encoded
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The code is random and long, so a plain SHA-256 is enough (no guessing to slow down).
fn recovery_hash(code: &str) -> String {
    let canonical: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    format!("{:x}", Sha256::digest(canonical.as_bytes()))
}

async fn user_of(db: &impl ConnectionTrait, user: UserId) -> Result<users::Model, AppError> {
    users::Entity::find_by_id(user.0)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)
}

/// Turns two-step login on with the pending secret once the password and a first code check
/// out. Returns the recovery code, which is shown once and never again.
pub async fn enable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    code: &str,
    current_login_hash: String,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let user = user_of(db, actor.user_id).await?;
    let fresh = user
        .totp_pending_at
        .is_some_and(|at| at + chrono::Duration::minutes(SETUP_MINUTES) > now);
    let Some(secret) = user.totp_pending_secret.clone().filter(|_| fresh) else {
        return Err(AppError::Refused(Refusal::TwoStepSetupExpired));
    };
    let mut errors = Vec::new();
    if !super::service::check_current(&user, current_login_hash).await? {
        errors.push(FieldError::new(Field::CurrentPassword, Problem::Wrong));
    }
    let step = accepted_step(&totp(&secret, &user.email)?, code, None, now);
    if step.is_none() {
        errors.push(FieldError::new(Field::Code, Problem::Wrong));
    }
    let Some(step) = step.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let recovery = new_recovery_code();
    let mut user = user.into_active_model();
    user.totp_secret = Set(Some(secret));
    user.totp_recovery_hash = Set(Some(recovery_hash(&recovery)));
    user.totp_last_step = Set(Some(step));
    user.totp_pending_secret = Set(None);
    user.totp_pending_at = Set(None);
    user.update(db).await?;
    Ok(recovery)
}

async fn turn_off(db: &impl ConnectionTrait, user: users::Model) -> Result<(), AppError> {
    let mut user = user.into_active_model();
    user.totp_secret = Set(None);
    user.totp_recovery_hash = Set(None);
    user.totp_last_step = Set(None);
    user.update(db).await?;
    Ok(())
}

/// Turns two-step login off; the password is asked again.
pub async fn disable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    current_login_hash: String,
) -> Result<(), AppError> {
    let user = user_of(db, actor.user_id).await?;
    if !super::service::check_current(&user, current_login_hash).await? {
        return Err(AppError::field(Field::CurrentPassword, Problem::Wrong));
    }
    turn_off(db, user).await
}

pub async fn is_enabled(db: &impl ConnectionTrait, user: UserId) -> Result<bool, AppError> {
    Ok(user_of(db, user).await?.totp_secret.is_some())
}

/// How the second step went.
#[derive(Debug, PartialEq, Eq)]
pub struct SecondStep {
    /// The new session's token: the pending one is replaced, never promoted.
    pub token: String,
    /// The recovery code was used: two-step login is now off, and the user is told.
    pub used_recovery_code: bool,
}

/// Completes a sign-in whose password was accepted: a current code from the app, or the
/// recovery code. Wrong codes count against the same throttle as wrong passwords.
pub async fn complete_sign_in(
    db: &impl ConnectionTrait,
    config: &AuthConfig,
    pending_token: &str,
    code: &str,
    client: &ClientInfo,
    now: DateTime<Utc>,
) -> Result<SecondStep, AppError> {
    let Some(pending) = session::resolve(db, &config.session, pending_token, true, now).await?
    else {
        return Err(AppError::Unauthenticated);
    };
    let user = user_of(db, UserId(pending.user_id)).await?;
    let ip = client.ip.clone().unwrap_or_else(|| "unknown".into());
    let attempt = throttle::reserve(db, &config.throttle, &user.email, &ip, now).await?;
    let Some(secret) = user.totp_secret.clone() else {
        // Turned off meanwhile (recovery code from another tab): the password was enough.
        throttle::settle(db, attempt, true).await?;
        session::revoke(db, crate::ids::SessionId(pending.id)).await?;
        let token =
            session::create(db, &config.session, UserId(user.id), client, false, now).await?;
        return Ok(SecondStep {
            token,
            used_recovery_code: false,
        });
    };
    let step = accepted_step(&totp(&secret, &user.email)?, code, user.totp_last_step, now);
    let recovery = step.is_none()
        && user
            .totp_recovery_hash
            .as_deref()
            .is_some_and(|hash| hash == recovery_hash(code));
    throttle::settle(db, attempt, step.is_some() || recovery).await?;
    let user_id = UserId(user.id);
    if let Some(step) = step {
        let mut user = user.into_active_model();
        user.totp_last_step = Set(Some(step));
        user.update(db).await?;
    } else if recovery {
        turn_off(db, user).await?;
    } else {
        return Err(wrong_code());
    }
    session::revoke(db, crate::ids::SessionId(pending.id)).await?;
    let token = session::create(db, &config.session, user_id, client, false, now).await?;
    Ok(SecondStep {
        token,
        used_recovery_code: recovery,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_once_within_its_window() {
        let setup = setup_of(new_secret(), "ann@example.com").expect("setup");
        assert!(setup.qr_data_url.starts_with("data:image/svg+xml;base64,"));
        let totp = totp(&setup.secret, "ann@example.com").expect("totp");
        let now = Utc::now();
        let code = totp.generate(now.timestamp() as u64);
        let step = accepted_step(&totp, &code, None, now).expect("current code accepted");
        assert_eq!(accepted_step(&totp, &code, Some(step), now), None, "replay");
        let later = now + chrono::Duration::seconds(95);
        assert_eq!(accepted_step(&totp, &code, None, later), None, "expired");
        assert_eq!(accepted_step(&totp, "000000x", None, now), None);
    }

    #[test]
    fn recovery_codes_compare_without_case_or_dashes() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 32 + 7);
        assert_eq!(
            recovery_hash(&code),
            recovery_hash(&code.to_lowercase().replace('-', " "))
        );
        assert_ne!(recovery_hash(&code), recovery_hash(&new_recovery_code()));
    }
}
