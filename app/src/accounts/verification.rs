//! Verified addresses. An address counts for anything (the pending invitations, a new sign-in
//! address) only once its owner has shown they receive its mail: through a mailed single-use
//! link (only its SHA-256 stored, expiring), through an invitation link sent to it, or by the
//! operator's word (`server user verify`).
//!
//! Registration with mail on follows Bitwarden's current sign-up: the form's answer is the same
//! whether or not the address has an account ("check your inbox"); the mail either carries the
//! link that creates the account or tells the owner someone tried. Nobody learns from the
//! answer which addresses are registered. With mail off, the account is created unverified and
//! the answer is again the same either way ("sign in").
//!
//! An email change takes effect only when the new address is verified; then every other
//! session of the account ends and the old address is told.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    SqlErr, TransactionTrait,
};

use super::keys::NewAccount;
use super::service::{ValidRegistration, WebRegistration, insert_user, validate_identity};
use super::session::{self, ClientInfo, new_token, token_hash};
use super::throttle::{self, Purpose as ThrottlePurpose, ThrottleConfig};
use super::types::{EmailChangeStep, normalize_email};
use crate::auth::Actor;
use crate::db::{email_verifications, users};
use crate::error::{AppError, Field, FieldError, Problem, Refusal};
use crate::i18n::Locale;
use crate::ids::{SessionId, UserId};
use crate::mail::{Mail, Outbox};

use super::types::VERIFICATION_LINK_HOURS as LINK_HOURS;

/// What a verification row is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Register,
    Change,
}

impl Purpose {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Change => "change",
        }
    }
}

/// What a registration form led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registration {
    /// An invitation link sent to this address came with the form: the account exists,
    /// verified, and may be signed in at once.
    Verified(UserId),
    /// Mail is on: a link went to the address (or, when it has an account, a notice to its
    /// owner). The same answer either way.
    Mailed,
    /// Mail is off: the account exists, unverified (or the address had one: the same answer).
    Created,
}

/// A verification link used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// A new account: sign it in and go to `redirect_to`.
    Registered {
        user: UserId,
        redirect_to: Option<String>,
    },
    /// An account's address is now `email` (or its current address is now verified).
    EmailVerified { user: UserId, email: String },
}

fn link(base_url: &str, token: &str) -> String {
    format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        crate::routes::verify_email(token)
    )
}

/// A new link row; earlier unused links of the same kind for the same account (or, for a
/// registration, the same address) stop working. Returns the token; only its hash is kept.
async fn issue(
    db: &impl ConnectionTrait,
    row: email_verifications::ActiveModel,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let earlier = email_verifications::Entity::delete_many()
        .filter(email_verifications::Column::Purpose.eq(purpose.as_str()))
        .filter(email_verifications::Column::UsedAt.is_null());
    let earlier = match (&row.user_id, &row.email) {
        (sea_orm::ActiveValue::Set(Some(user)), _) => {
            earlier.filter(email_verifications::Column::UserId.eq(*user))
        }
        (_, sea_orm::ActiveValue::Set(email)) => {
            earlier.filter(email_verifications::Column::Email.eq(email.as_str()))
        }
        _ => return Err(AppError::Internal),
    };
    earlier.exec(db).await?;
    let token = new_token();
    email_verifications::ActiveModel {
        token_hash: Set(token_hash(&token)),
        purpose: Set(purpose.as_str().to_owned()),
        expires_at: Set(now + Duration::hours(LINK_HOURS)),
        used_at: Set(None),
        created_at: Set(now),
        ..row
    }
    .insert(db)
    .await?;
    Ok(token)
}

async fn account_with(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<users::Model>, AppError> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?)
}

/// A registration form. `invitation` is the token of the invitation link the visitor came
/// from: when it was sent to this very address, it proves the address and the account is
/// created verified, ready to sign in.
#[allow(clippy::too_many_arguments)]
pub async fn register(
    db: &(impl ConnectionTrait + TransactionTrait),
    outbox: &Outbox<'_>,
    throttle: &ThrottleConfig,
    client: &ClientInfo,
    input: WebRegistration,
    invitation: Option<&str>,
    redirect_to: Option<String>,
    now: DateTime<Utc>,
) -> Result<Registration, AppError> {
    let ip = client.ip.as_deref().unwrap_or("unknown");
    throttle::count_request(db, throttle, ThrottlePurpose::Register, "", ip, now).await?;
    let valid = validate_identity(&input.email, &input.name, &input.locale)?;
    // The keys were derived with the address as salt: the address as the server keeps it.
    // Hashed whether or not the address is free: both answers take the same time.
    let keys = NewAccount::from(input.keys).await?;
    if let Some(token) = invitation
        && crate::invitations::service::address_of_link(db, token, now).await?
            == Some(valid.email.clone())
    {
        let user = insert_user(db, &valid, &keys, Some(now), now).await?;
        return Ok(Registration::Verified(user));
    }
    let existing = account_with(db, &valid.email).await?;
    if !outbox.mailer.is_on() {
        if existing.is_none() {
            match insert_user(db, &valid, &keys, None, now).await {
                // Registered by someone else a moment ago: the same answer.
                Ok(_) | Err(AppError::Invalid(_)) => {}
                Err(error) => return Err(error),
            }
        }
        return Ok(Registration::Created);
    }
    match existing {
        Some(owner) => {
            let locale = crate::mail::locale_or(Some(&owner.locale), valid.locale);
            send_already_registered(outbox, &owner.email, locale).await;
        }
        None => {
            let token = issue(
                db,
                email_verifications::ActiveModel {
                    user_id: Set(None),
                    email: Set(valid.email.clone()),
                    name: Set(Some(valid.name.clone())),
                    locale: Set(Some(leptos_i18n::Locale::as_str(valid.locale).to_owned())),
                    password_hash: Set(Some(keys.master.hash.clone())),
                    account_keys: Set(Some(keys.to_json()?)),
                    redirect_to: Set(redirect_to.filter(|t| crate::routes::is_local_path(t))),
                    ..Default::default()
                },
                Purpose::Register,
                now,
            )
            .await?;
            send_link(
                outbox,
                &valid.email,
                valid.locale,
                &token,
                Purpose::Register,
            )
            .await;
        }
    }
    Ok(Registration::Mailed)
}

/// Asks to move the account to `new_email` (the password is asked again), or to verify the
/// current address when `new_email` is it. Nothing changes until the link is used; the
/// answer is the same whether or not the address belongs to another account.
pub async fn request_change(
    db: &impl ConnectionTrait,
    outbox: &Outbox<'_>,
    throttle: &ThrottleConfig,
    actor: &Actor,
    new_email: &str,
    current_login_hash: String,
    now: DateTime<Utc>,
) -> Result<EmailChangeStep, AppError> {
    let user = users::Entity::find_by_id(actor.user_id.0)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let mut errors = Vec::new();
    let email = normalize_email(new_email);
    if email.is_none() {
        errors.push(FieldError::new(Field::Email, Problem::InvalidEmail));
    }
    throttle::count_request(
        db,
        throttle,
        ThrottlePurpose::EmailChange,
        &user.email,
        "",
        now,
    )
    .await?;
    if !super::service::check_current(&user, current_login_hash).await? {
        errors.push(FieldError::new(Field::CurrentPassword, Problem::Wrong));
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    if email == user.email && user.email_verified_at.is_some() {
        return Ok(EmailChangeStep::Unchanged);
    }
    start_change(db, outbox, &user, email, now).await
}

/// Mails a link to verify the account's current address (for accounts made while mail was
/// off, or before addresses were verified).
pub async fn request_current(
    db: &impl ConnectionTrait,
    outbox: &Outbox<'_>,
    throttle: &ThrottleConfig,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<EmailChangeStep, AppError> {
    let user = users::Entity::find_by_id(actor.user_id.0)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if user.email_verified_at.is_some() {
        return Ok(EmailChangeStep::Unchanged);
    }
    throttle::count_request(
        db,
        throttle,
        ThrottlePurpose::EmailChange,
        &user.email,
        "",
        now,
    )
    .await?;
    let email = user.email.clone();
    start_change(db, outbox, &user, email, now).await
}

async fn start_change(
    db: &impl ConnectionTrait,
    outbox: &Outbox<'_>,
    user: &users::Model,
    email: String,
    now: DateTime<Utc>,
) -> Result<EmailChangeStep, AppError> {
    let token = issue(
        db,
        email_verifications::ActiveModel {
            user_id: Set(Some(user.id)),
            email: Set(email.clone()),
            ..Default::default()
        },
        Purpose::Change,
        now,
    )
    .await?;
    let locale = crate::mail::locale_or(Some(&user.locale), outbox.locale);
    let taken = email != user.email && account_with(db, &email).await?.is_some();
    if taken {
        send_address_taken(outbox, &email, locale).await;
    } else {
        send_link(outbox, &email, locale, &token, Purpose::Change).await;
    }
    Ok(EmailChangeStep::Pending {
        email,
        mail_on: outbox.mailer.is_on(),
    })
}

/// The address an account is waiting to verify, if any (the account page shows it).
pub async fn pending_change(
    db: &impl ConnectionTrait,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    Ok(email_verifications::Entity::find()
        .filter(email_verifications::Column::UserId.eq(user.0))
        .filter(email_verifications::Column::Purpose.eq(Purpose::Change.as_str()))
        .filter(email_verifications::Column::UsedAt.is_null())
        .filter(email_verifications::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .map(|row| row.email))
}

/// The row behind a link, if it may still be used.
async fn usable(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<email_verifications::Model, AppError> {
    let row = email_verifications::Entity::find()
        .filter(email_verifications::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
        .ok_or(AppError::Refused(Refusal::VerificationInvalid))?;
    if row.used_at.is_some() {
        return Err(AppError::Refused(Refusal::VerificationUsed));
    }
    if row.expires_at <= now {
        return Err(AppError::Refused(Refusal::VerificationExpired));
    }
    Ok(row)
}

/// Uses a link: creates the registered account, or moves the account to its new address.
/// `current` is the session making the request, kept when it is the account's own; every
/// other session of an account whose address changed ends.
pub async fn apply(
    db: &(impl ConnectionTrait + TransactionTrait),
    outbox: &Outbox<'_>,
    token: &str,
    current: Option<SessionId>,
    now: DateTime<Utc>,
) -> Result<Applied, AppError> {
    let txn = crate::db::begin_write(db).await?;
    let row = usable(&txn, token, now).await?;
    // Used once, even by two clicks at the same moment.
    let claimed = email_verifications::Entity::update_many()
        .col_expr(email_verifications::Column::UsedAt, Expr::value(now))
        .filter(email_verifications::Column::Id.eq(row.id))
        .filter(email_verifications::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(AppError::Refused(Refusal::VerificationUsed));
    }
    let (applied, old_address) = match (row.purpose.as_str(), row.user_id) {
        ("register", None) => {
            let valid = ValidRegistration {
                email: row.email.clone(),
                name: row.name.clone().unwrap_or_default(),
                locale: row
                    .locale
                    .as_deref()
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(Locale::en),
            };
            let hash = row.password_hash.clone().ok_or(AppError::Internal)?;
            let keys = row.account_keys.as_deref().ok_or(AppError::Internal)?;
            let keys = NewAccount::from_json(keys, hash)?;
            let user = insert_user(&txn, &valid, &keys, Some(now), now).await?;
            let redirect_to = row.redirect_to.clone();
            (Applied::Registered { user, redirect_to }, None)
        }
        ("change", Some(user)) => {
            let (applied, old) = change_address(&txn, UserId(user), &row.email, now).await?;
            if old.is_some() {
                // A new sign-in address ends every other session (the one clicking, when it
                // is the account's own, stays).
                session::revoke_all(&txn, UserId(user), current).await?;
            }
            (applied, old)
        }
        _ => return Err(AppError::Internal),
    };
    txn.commit().await?;
    if let (Some((old, locale)), Applied::EmailVerified { email, .. }) = (old_address, &applied) {
        send_changed_notice(outbox, &old, locale, email).await;
    }
    Ok(applied)
}

/// Sets the account's address to `email`, verified. Returns the old address and the
/// account's language when it changed (to tell the old address).
async fn change_address(
    db: &impl ConnectionTrait,
    user: UserId,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(Applied, Option<(String, Locale)>), AppError> {
    let account = users::Entity::find_by_id(user.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let old = (account.email != email).then(|| {
        let locale = account.locale.parse().unwrap_or(Locale::en);
        (account.email.clone(), locale)
    });
    let mut account = account.into_active_model();
    account.email = Set(email.to_owned());
    account.email_verified_at = Set(Some(now));
    match account.update(db).await {
        Ok(_) => {}
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(AppError::field(Field::Email, Problem::Taken));
        }
        Err(err) => return Err(err.into()),
    }
    let applied = Applied::EmailVerified {
        user,
        email: email.to_owned(),
    };
    Ok((applied, old))
}

/// What `server user verify --email` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperatorVerified {
    /// The account with that address is now verified.
    Account(UserId),
    /// An account waiting to move to that address was moved (its sessions ended).
    Change(UserId),
}

/// The operator vouches for `email`: an account waiting to move to it is moved, else the
/// account with it is marked verified. For portals without mail.
pub async fn verify_by_operator(
    db: &(impl ConnectionTrait + TransactionTrait),
    email: &str,
    now: DateTime<Utc>,
) -> Result<OperatorVerified, AppError> {
    let email =
        normalize_email(email).ok_or(AppError::field(Field::Email, Problem::InvalidEmail))?;
    let txn = crate::db::begin_write(db).await?;
    let waiting = email_verifications::Entity::find()
        .filter(email_verifications::Column::Purpose.eq(Purpose::Change.as_str()))
        .filter(email_verifications::Column::Email.eq(email.as_str()))
        .filter(email_verifications::Column::UsedAt.is_null())
        .filter(email_verifications::Column::UserId.is_not_null())
        .one(&txn)
        .await?;
    let verified = if let Some(row) = waiting {
        let user = UserId(row.user_id.ok_or(AppError::Internal)?);
        email_verifications::Entity::update_many()
            .col_expr(email_verifications::Column::UsedAt, Expr::value(now))
            .filter(email_verifications::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
        let (_, old) = change_address(&txn, user, &email, now).await?;
        if old.is_some() {
            session::revoke_all(&txn, user, None).await?;
            OperatorVerified::Change(user)
        } else {
            OperatorVerified::Account(user)
        }
    } else {
        let account = account_with(&txn, &email)
            .await?
            .ok_or(AppError::NotFound)?;
        let user = UserId(account.id);
        let mut account = account.into_active_model();
        account.email_verified_at = Set(Some(now));
        account.update(&txn).await?;
        OperatorVerified::Account(user)
    };
    txn.commit().await?;
    Ok(verified)
}

// --- Mails ---

async fn send_link(outbox: &Outbox<'_>, to: &str, locale: Locale, token: &str, purpose: Purpose) {
    use crate::i18n::td_string;
    let url = link(outbox.base_url, token);
    let expiry = td_string!(locale, mail.verify_expiry, hours = LINK_HOURS).to_string();
    let (subject, body, action) = match purpose {
        Purpose::Register => (
            td_string!(locale, mail.verify_register_subject).to_string(),
            td_string!(locale, mail.verify_register_body).to_string(),
            td_string!(locale, mail.verify_register_action).to_string(),
        ),
        Purpose::Change => (
            td_string!(locale, mail.verify_change_subject).to_string(),
            td_string!(locale, mail.verify_change_body, email = to.to_owned()).to_string(),
            td_string!(locale, mail.verify_change_action).to_string(),
        ),
    };
    outbox
        .mailer
        .send(Mail {
            to: to.to_owned(),
            subject,
            paragraphs: vec![body, expiry],
            link: Some((action, url)),
        })
        .await;
}

async fn send_already_registered(outbox: &Outbox<'_>, to: &str, locale: Locale) {
    use crate::i18n::td_string;
    let sign_in = format!(
        "{}{}",
        outbox.base_url.trim_end_matches('/'),
        crate::routes::SIGN_IN
    );
    outbox
        .mailer
        .send(Mail {
            to: to.to_owned(),
            subject: td_string!(locale, mail.already_registered_subject).to_string(),
            paragraphs: vec![td_string!(locale, mail.already_registered_body).to_string()],
            link: Some((td_string!(locale, mail.sign_in_action).to_string(), sign_in)),
        })
        .await;
}

async fn send_address_taken(outbox: &Outbox<'_>, to: &str, locale: Locale) {
    use crate::i18n::td_string;
    outbox
        .mailer
        .send(Mail {
            to: to.to_owned(),
            subject: td_string!(locale, mail.address_taken_subject).to_string(),
            paragraphs: vec![td_string!(locale, mail.address_taken_body).to_string()],
            link: None,
        })
        .await;
}

async fn send_changed_notice(outbox: &Outbox<'_>, to: &str, locale: Locale, new_email: &str) {
    use crate::i18n::td_string;
    outbox
        .mailer
        .send(Mail {
            to: to.to_owned(),
            subject: td_string!(locale, mail.email_changed_subject).to_string(),
            paragraphs: vec![
                td_string!(
                    locale,
                    mail.email_changed_body,
                    email = new_email.to_owned()
                )
                .to_string(),
            ],
            link: None,
        })
        .await;
}
