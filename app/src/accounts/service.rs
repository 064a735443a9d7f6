//! The account rules, on a database connection: testable without HTTP.

use chrono::{DateTime, Utc};
use portal_crypto::Kdf;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, SqlErr,
};

use super::keys::NewAccount;
use super::password;
use super::session::{self, ClientInfo, SessionConfig};
use super::throttle::{self, ThrottleConfig};
use super::types::{AccountOverview, MAX_NAME_CHARS, MembershipInfo, SessionInfo, normalize_email};
use crate::auth::{Actor, OrganizationMembership, ProviderMembership};
use crate::db::{organization_users, provider_users, users};
use crate::error::{AppError, Field, FieldError, Problem};
use crate::i18n::Locale;
use crate::ids::{OrganizationId, ProviderId, SessionId, UserId};
use crate::members::types::Permissions;

pub use super::access::product_access;

/// Everything the account rules need to know about the deployment.
#[derive(Clone, Copy, Debug, Default)]
pub struct AuthConfig {
    pub session: SessionConfig,
    pub throttle: ThrottleConfig,
}

/// A registration where the password is known to the caller: the operator's command line, the
/// demo data and the tests. Keys are made natively ([`super::keys::make_natively`]).
#[derive(Clone, Debug)]
pub struct RegisterInput {
    pub email: String,
    pub name: String,
    pub password: String,
    pub password_confirm: String,
    pub locale: String,
}

/// Length, strength (zxcvbn, knowing the user's own `context` words), a master-password
/// policy's `rules` and the repetition ([`super::rules::problems`]), where the server knows the
/// password: the command line and the admin's recovery form.
pub fn check_new_password(
    password: &str,
    confirm: &str,
    context: &[&str],
    rules: Option<crate::policies::types::PasswordRules>,
    errors: &mut Vec<FieldError>,
) {
    let strength = super::strength::estimate(password, context);
    errors.extend(super::rules::problems(password, confirm, strength, rules));
}

fn check_name(name: &str, errors: &mut Vec<FieldError>) -> String {
    match crate::validate::name(name, MAX_NAME_CHARS) {
        Ok(name) => name,
        Err(problem) => {
            errors.push(FieldError::new(Field::Name, problem));
            name.trim().to_owned()
        }
    }
}

/// A registration's fields, checked.
#[derive(Clone, Debug)]
pub struct ValidRegistration {
    pub email: String,
    pub name: String,
    pub locale: Locale,
}

/// A registration from the browser: everything but the password, which never leaves it. The
/// browser checked the password's length, strength and the invitation's policy, and made the
/// keys from it (VAULT.md §2).
#[derive(Clone, Debug)]
pub struct WebRegistration {
    pub email: String,
    pub name: String,
    pub locale: String,
    pub keys: portal_crypto::AccountKeys,
}

/// Checks what the server can of a registration: address, name, language.
pub fn validate_identity(
    email: &str,
    name: &str,
    locale: &str,
) -> Result<ValidRegistration, AppError> {
    let mut errors = Vec::new();
    let (email, name, locale) = identity(email, name, locale, &mut errors);
    match (email, locale) {
        (Some(email), Some(locale)) if errors.is_empty() => Ok(ValidRegistration {
            email,
            name,
            locale,
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

fn identity(
    email: &str,
    name: &str,
    locale: &str,
    errors: &mut Vec<FieldError>,
) -> (Option<String>, String, Option<Locale>) {
    let email_ok = normalize_email(email);
    if email_ok.is_none() {
        errors.push(FieldError::new(Field::Email, Problem::InvalidEmail));
    }
    let name = check_name(name, errors);
    let locale_ok = locale.parse::<Locale>().ok();
    if locale_ok.is_none() {
        errors.push(FieldError::new(Field::Locale, Problem::Unsupported));
    }
    (email_ok, name, locale_ok)
}

/// Checks a registration whose password is known (see [`RegisterInput`]): address, name,
/// password (length, strength, and the master-password policies of organizations that invited
/// this address), language.
pub async fn validate_registration(
    db: &impl ConnectionTrait,
    input: &RegisterInput,
) -> Result<ValidRegistration, AppError> {
    let mut errors = Vec::new();
    let (email, name, locale) = identity(&input.email, &input.name, &input.locale, &mut errors);
    let rules = match &email {
        Some(email) => crate::policies::service::rules_for_invitee(db, email).await?,
        None => None,
    };
    check_new_password(
        &input.password,
        &input.password_confirm,
        &[&input.email, &name],
        rules,
        &mut errors,
    );
    let (Some(email), Some(locale)) = (email, locale) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(ValidRegistration {
        email,
        name,
        locale,
    })
}

/// Inserts the account with its keys (derived for its address: the salt it keeps); `Taken`
/// on the email when it exists (the unique index settles races). `verified_at`: when the
/// address was proved, if it was.
pub async fn insert_user(
    db: &impl ConnectionTrait,
    valid: &ValidRegistration,
    keys: &NewAccount,
    verified_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<UserId, AppError> {
    let mut user = users::ActiveModel {
        email: Set(valid.email.clone()),
        name: Set(valid.name.clone()),
        locale: Set(leptos_i18n::Locale::as_str(valid.locale).to_owned()),
        created_at: Set(now),
        email_verified_at: Set(verified_at),
        ..Default::default()
    };
    keys.apply(&mut user, &valid.email);
    let inserted = user.insert(db).await;
    match inserted {
        Ok(user) => Ok(UserId(user.id)),
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(AppError::field(Field::Email, Problem::Taken))
        }
        Err(err) => Err(err.into()),
    }
}

/// Creates an account, unverified; emails are unique case-insensitively (stored lowercased,
/// unique index). The web's registration goes through `verification::register`, which hides
/// whether an address is taken; this is for the operator's command line and for tests.
pub async fn register(
    db: &impl ConnectionTrait,
    input: RegisterInput,
    now: DateTime<Utc>,
) -> Result<UserId, AppError> {
    let valid = validate_registration(db, &input).await?;
    // Checked first so a duplicate costs no hashing; the unique index settles races.
    if users::Entity::find()
        .filter(users::Column::Email.eq(&valid.email))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::field(Field::Email, Problem::Taken));
    }
    let keys =
        super::keys::make_natively(input.password, valid.email.clone(), Kdf::default()).await?;
    insert_user(db, &valid, &NewAccount::from(keys).await?, None, now).await
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// Signed in: the token for the session cookie.
    Session(String),
    /// Password accepted; the TOTP code is still due. The token names the pending session.
    SecondFactorRequired(String),
    /// The account was made before zero knowledge and has no keys: its password is checked
    /// the old way once, with the keys the browser makes from it ([`upgrade`]).
    UpgradeRequired,
}

/// Checks a login hash (the browser's stand-in for the password, VAULT.md §2), throttled per
/// account and address. An unknown email and a wrong password get the same answer in about the
/// same time.
pub async fn sign_in(
    db: &impl ConnectionTrait,
    config: &AuthConfig,
    email: &str,
    login_hash: String,
    client: &ClientInfo,
    now: DateTime<Utc>,
) -> Result<SignIn, AppError> {
    let email = normalize_email(email).unwrap_or_else(|| email.trim().to_lowercase());
    let ip = client.ip.clone().unwrap_or_else(|| "unknown".into());
    // Reserved before any hashing: parallel guesses cannot all pass a check made before
    // any of them is recorded.
    let attempt = throttle::reserve(db, &config.throttle, &email, &ip, now).await?;
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .one(db)
        .await?;
    if user.as_ref().is_some_and(|u| u.kdf.is_none()) {
        // Nothing was checked: the attempt counts for nothing. The answer tells whoever asks
        // that this address has an account from before zero knowledge; such accounts only
        // exist until their next sign-in.
        throttle::release(db, attempt).await?;
        return Ok(SignIn::UpgradeRequired);
    }
    let user = check(db, attempt, user, login_hash).await?;
    open(db, config, &user, client, now).await
}

/// The secret against the stored hash, and the throttle settled: the account when it matched.
async fn check(
    db: &impl ConnectionTrait,
    attempt: throttle::Reservation,
    user: Option<users::Model>,
    secret: String,
) -> Result<users::Model, AppError> {
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let matches = match password::verify(secret, stored).await {
        Ok(matches) => matches,
        Err(error) => {
            // Not checked (the server was too busy): the attempt counts for nothing.
            throttle::release(db, attempt).await?;
            return Err(error);
        }
    };
    throttle::settle(db, attempt, matches).await?;
    user.filter(|_| matches).ok_or(AppError::InvalidCredentials)
}

/// A session for an account whose secret matched (pending when the second step is due).
async fn open(
    db: &impl ConnectionTrait,
    config: &AuthConfig,
    user: &users::Model,
    client: &ClientInfo,
    now: DateTime<Utc>,
) -> Result<SignIn, AppError> {
    let pending = user.totp_secret.is_some();
    let token = session::create(db, &config.session, UserId(user.id), client, pending, now).await?;
    Ok(if pending {
        SignIn::SecondFactorRequired(token)
    } else {
        SignIn::Session(token)
    })
}

/// The sign-in of an account made before zero knowledge (VAULT.md §2): the password, checked
/// against the old hash, and the keys the browser made from it, which replace that hash. The
/// only time the server sees a password, and only that account's old one. Refused like a
/// wrong password for any other account.
#[allow(clippy::too_many_arguments)]
pub async fn upgrade(
    db: &impl ConnectionTrait,
    config: &AuthConfig,
    email: &str,
    password: String,
    keys: portal_crypto::AccountKeys,
    client: &ClientInfo,
    now: DateTime<Utc>,
) -> Result<SignIn, AppError> {
    let email = normalize_email(email).unwrap_or_else(|| email.trim().to_lowercase());
    let ip = client.ip.clone().unwrap_or_else(|| "unknown".into());
    // Malformed keys are refused before anything else; the login hash is hashed only once the
    // password checked out, so a throttled caller cannot make the server hash for free.
    keys.check().map_err(|e| super::keys::refusal(&e))?;
    let attempt = throttle::reserve(db, &config.throttle, &email, &ip, now).await?;
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(&email))
        .filter(users::Column::Kdf.is_null())
        .one(db)
        .await?;
    let legacy = check(db, attempt, user, password).await?;
    let keys = NewAccount::from(keys).await?;
    // The old hash goes in the same statement that checks it is still the old one: two tabs
    // upgrading at once cannot both write keys.
    let mut update: users::ActiveModel = Default::default();
    keys.apply(&mut update, &email);
    let written = users::Entity::update_many()
        .set(update)
        .filter(users::Column::Id.eq(legacy.id))
        .filter(users::Column::Kdf.is_null())
        .filter(users::Column::PasswordHash.eq(legacy.password_hash.clone()))
        .exec(db)
        .await?;
    if written.rows_affected == 0 {
        return Err(AppError::Conflict);
    }
    open(db, config, &legacy, client, now).await
}

/// The actor behind a session token, or `None` for a missing, expired or pending session.
/// Constant cost: the session, the user, the provider and organization memberships.
pub async fn load_actor(
    db: &impl ConnectionTrait,
    config: &AuthConfig,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Actor>, AppError> {
    let Some(session) = session::resolve(db, &config.session, token, false, now).await? else {
        return Ok(None);
    };
    actor_of(db, UserId(session.user_id), SessionId(session.id)).await
}

/// The actor for `user` acting through `session`: the user and its memberships (three or four
/// queries). Sessions come through [`load_actor`]; the command line names its user.
pub async fn actor_of(
    db: &impl ConnectionTrait,
    user: UserId,
    session: SessionId,
) -> Result<Option<Actor>, AppError> {
    let Some(user) = users::Entity::find_by_id(user.0).one(db).await? else {
        return Ok(None);
    };
    let providers = provider_users::Entity::find()
        .filter(provider_users::Column::UserId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| ProviderMembership {
            provider_id: ProviderId(m.provider_id),
            user_type: m.r#type,
            status: m.status,
        })
        .collect();
    let mut organizations: Vec<OrganizationMembership> = organization_users::Entity::find()
        .filter(organization_users::Column::UserId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| OrganizationMembership {
            organization_id: OrganizationId(m.organization_id),
            user_type: m.r#type,
            status: m.status,
            permissions: Permissions(m.permissions),
            blocked_by_two_step: false,
        })
        .collect();
    if user.totp_secret.is_none() {
        mark_two_step_blocks(db, &mut organizations).await?;
    }
    Ok(Some(Actor {
        user_id: UserId(user.id),
        session_id: session,
        email_verified: user.email_verified_at.is_some(),
        email: user.email,
        name: user.name,
        theme: user.theme,
        lock: stored_lock(user.lock_minutes),
        providers,
        organizations,
        must_change_password: user.must_change_password,
    }))
}

/// For an actor without two-step login: the memberships the two-step policy locks (one query,
/// only when some membership is of a type the policy applies to).
async fn mark_two_step_blocks(
    db: &impl ConnectionTrait,
    organizations: &mut [OrganizationMembership],
) -> Result<(), AppError> {
    use crate::db::policies;
    use crate::policies::types::PolicyKind;
    use sea_orm::QuerySelect;
    let subject: Vec<i64> = organizations
        .iter()
        .filter(|m| !OrganizationMembership::exempt_from_two_step(m.user_type))
        .map(|m| m.organization_id.0)
        .collect();
    if subject.is_empty() {
        return Ok(());
    }
    let requiring: Vec<i64> = policies::Entity::find()
        .select_only()
        .column(policies::Column::OrganizationId)
        .filter(policies::Column::OrganizationId.is_in(subject))
        .filter(policies::Column::Kind.eq(PolicyKind::TwoStepLogin.as_str()))
        .filter(policies::Column::Enabled.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    for membership in organizations.iter_mut() {
        membership.blocked_by_two_step =
            !OrganizationMembership::exempt_from_two_step(membership.user_type)
                && requiring.contains(&membership.organization_id.0);
    }
    Ok(())
}

/// Checks the login hash of the account's current password (what a form that asks for the
/// password again sends).
pub async fn check_current(user: &users::Model, login_hash: String) -> Result<bool, AppError> {
    password::verify(login_hash, Some(user.password_hash.clone())).await
}

/// A new master password (or new KDF settings): the browser re-wrapped the same user key
/// under it after checking the new password's rules; the server checks the current one and the
/// keys' form. Every other session ends.
pub async fn change_password(
    db: &impl ConnectionTrait,
    actor: &Actor,
    current_login_hash: String,
    new: portal_crypto::MasterPasswordKeys,
) -> Result<(), AppError> {
    let Some(user) = users::Entity::find_by_id(actor.user_id.0).one(db).await? else {
        return Err(AppError::Unauthenticated);
    };
    if !check_current(&user, current_login_hash).await? {
        return Err(AppError::field(Field::CurrentPassword, Problem::Wrong));
    }
    let new = super::keys::NewMaster::from(new).await?;
    let old_hash = user.password_hash.clone();
    let mut update: users::ActiveModel = Default::default();
    new.apply(&mut update);
    // A password of one's own again, after an admin recovered the account.
    update.must_change_password = Set(false);
    // Only over the hash just checked: a change made meanwhile (another tab) wins, and this
    // one is told so instead of silently replacing a user key it never saw.
    let written = users::Entity::update_many()
        .set(update)
        .filter(users::Column::Id.eq(user.id))
        .filter(users::Column::PasswordHash.eq(old_hash))
        .exec(db)
        .await?;
    if written.rows_affected == 0 {
        return Err(AppError::Conflict);
    }
    session::revoke_all(db, actor.user_id, Some(actor.session_id)).await?;
    Ok(())
}

/// The caller's wrapped keys; `None` for an account made before zero knowledge.
pub async fn own_keys(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Option<super::types::OwnKeys>, AppError> {
    let user = users::Entity::find_by_id(actor.user_id.0)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let Some(prelogin) = super::prelogin::stored(&user) else {
        return Ok(None);
    };
    let parse = |text: Option<String>| -> Result<portal_crypto::EncString, AppError> {
        text.ok_or(AppError::Internal)?.parse().map_err(|error| {
            tracing::error!(%error, user = user.id, "an account's stored key does not parse");
            AppError::Internal
        })
    };
    Ok(Some(super::types::OwnKeys {
        user: actor.user_id,
        kdf: prelogin.kdf,
        salt: prelogin.salt,
        user_key: parse(user.user_key.clone())?,
        public_key: user.public_key.clone().ok_or(AppError::Internal)?,
        private_key: parse(user.private_key.clone())?,
    }))
}

/// The account page's data, in five queries whatever the number of sessions or memberships.
pub async fn overview(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<AccountOverview, AppError> {
    use crate::db::{organizations, providers};
    use sea_orm::QueryOrder;

    let user = users::Entity::find_by_id(actor.user_id.0)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let kdf = super::prelogin::stored(&user).map(|prelogin| prelogin.kdf);
    let sessions = session::list(db, actor.user_id)
        .await?
        .into_iter()
        .map(|s| SessionInfo {
            id: SessionId(s.id),
            signed_in_at: s.created_at.to_rfc3339(),
            last_seen_at: s.last_seen_at.to_rfc3339(),
            user_agent: s.user_agent,
            ip: s.ip,
            current: s.id == actor.session_id.0,
        })
        .collect();
    let org_names: std::collections::HashMap<i64, String> = organizations::Entity::find()
        .filter(
            organizations::Column::Id
                .is_in(actor.organizations.iter().map(|m| m.organization_id.0)),
        )
        .order_by_asc(organizations::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let provider_names: std::collections::HashMap<i64, String> = providers::Entity::find()
        .filter(providers::Column::Id.is_in(actor.providers.iter().map(|m| m.provider_id.0)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    // The copies of shared keys the account holds (a member is given one at Confirm).
    let parse = |key: Option<String>| key.and_then(|k| k.parse().ok());
    let org_keys: std::collections::HashMap<i64, crate::crypto::WrappedKey> =
        organization_users::Entity::find()
            .filter(organization_users::Column::UserId.eq(actor.user_id.0))
            .filter(organization_users::Column::Key.is_not_null())
            .all(db)
            .await?
            .into_iter()
            .filter_map(|m| Some((m.organization_id, parse(m.key)?)))
            .collect();
    let provider_keys: std::collections::HashMap<i64, crate::crypto::WrappedKey> =
        provider_users::Entity::find()
            .filter(provider_users::Column::UserId.eq(actor.user_id.0))
            .filter(provider_users::Column::Key.is_not_null())
            .all(db)
            .await?
            .into_iter()
            .filter_map(|m| Some((m.provider_id, parse(m.key)?)))
            .collect();
    let mut organizations: Vec<_> = actor
        .organizations
        .iter()
        .filter_map(|m| {
            Some(MembershipInfo {
                name: org_names.get(&m.organization_id.0)?.clone(),
                role: m.user_type,
                status: m.status,
                key: org_keys.get(&m.organization_id.0).cloned(),
            })
        })
        .collect();
    organizations.sort_by_key(|entry| entry.name.to_lowercase());
    let mut providers: Vec<_> = actor
        .providers
        .iter()
        .filter_map(|m| {
            Some(MembershipInfo {
                name: provider_names.get(&m.provider_id.0)?.clone(),
                role: m.user_type,
                status: m.status,
                key: provider_keys.get(&m.provider_id.0).cloned(),
            })
        })
        .collect();
    providers.sort_by_key(|entry| entry.name.to_lowercase());
    let pending_email =
        super::verification::pending_change(db, actor.user_id, chrono::Utc::now()).await?;
    Ok(AccountOverview {
        name: user.name,
        email_verified: user.email_verified_at.is_some(),
        pending_email,
        mail_on: false,
        email: user.email,
        two_step_enabled: user.totp_secret.is_some(),
        lock: stored_lock(user.lock_minutes),
        kdf,
        sessions,
        organizations,
        providers,
    })
}

/// Saves the theme the account chose.
pub async fn set_theme(
    db: &impl ConnectionTrait,
    actor: &Actor,
    theme: crate::vocabulary::Theme,
) -> Result<(), AppError> {
    users::Entity::update_many()
        .col_expr(users::Column::Theme, sea_orm::sea_query::Expr::value(theme))
        .filter(users::Column::Id.eq(actor.user_id.0))
        .exec(db)
        .await?;
    Ok(())
}

/// The lock timeout an account keeps; a value no version offered reads as the default.
fn stored_lock(minutes: i32) -> super::types::LockTimeout {
    super::types::LockTimeout::from_minutes(i64::from(minutes))
        .unwrap_or(super::types::LockTimeout::DEFAULT)
}

/// Saves how long the account's tabs stay unlocked without activity.
pub async fn set_lock_timeout(
    db: &impl ConnectionTrait,
    actor: &Actor,
    lock: super::types::LockTimeout,
) -> Result<(), AppError> {
    users::Entity::update_many()
        .col_expr(
            users::Column::LockMinutes,
            sea_orm::sea_query::Expr::value(i32::from(lock.minutes())),
        )
        .filter(users::Column::Id.eq(actor.user_id.0))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn update_name(
    db: &impl ConnectionTrait,
    actor: &Actor,
    name: &str,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let name = check_name(name, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    users::Entity::update_many()
        .col_expr(users::Column::Name, sea_orm::sea_query::Expr::value(name))
        .filter(users::Column::Id.eq(actor.user_id.0))
        .exec(db)
        .await?;
    Ok(())
}
