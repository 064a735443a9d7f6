//! Sessions in the database (OWASP ASVS 5, V7): a random 256-bit token in the cookie, only
//! its SHA-256 stored; a new token at every sign-in; idle and absolute expiry; revocable one
//! by one or all at once. Nothing lives in server memory, so any number of server instances
//! on one database see the same sessions.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::db::sessions;
use crate::error::AppError;
use crate::ids::{SessionId, UserId};

#[derive(Clone, Copy, Debug)]
pub struct SessionConfig {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute: Duration,
}

impl Default for SessionConfig {
    /// NIST SP 800-63B at AAL2: re-authenticate after 30 minutes of inactivity and at least
    /// every 12 hours. An admin console for password managers sits squarely in that class.
    fn default() -> Self {
        Self {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
        }
    }
}

/// Writing `last_seen_at` on every request would turn every read into a write; once a minute
/// keeps the idle clock accurate to a minute.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// How long a password-checked session may wait for its TOTP code.
const SECOND_FACTOR_WINDOW: Duration = Duration::minutes(5);

pub use crate::events::service::ClientInfo;
pub use crate::tokens::{new_token, token_hash};

fn truncate(value: Option<String>, max: usize) -> Option<String> {
    value.map(|v| v.chars().take(max).collect())
}

/// Creates a session and returns the token for the cookie (the only copy of it).
pub async fn create(
    db: &impl ConnectionTrait,
    config: &SessionConfig,
    user: UserId,
    client: &ClientInfo,
    pending_second_factor: bool,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = new_token();
    let lifetime = if pending_second_factor {
        SECOND_FACTOR_WINDOW
    } else {
        config.absolute
    };
    sessions::ActiveModel {
        user_id: Set(user.0),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + lifetime),
        user_agent: Set(truncate(client.user_agent.clone(), 512)),
        ip: Set(truncate(client.ip.clone(), 64)),
        pending_second_factor: Set(pending_second_factor),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The live session behind a token: not expired, not idle too long, in the wanted state.
/// Expired sessions are deleted when met.
pub async fn resolve(
    db: &impl ConnectionTrait,
    config: &SessionConfig,
    token: &str,
    pending_second_factor: bool,
    now: DateTime<Utc>,
) -> Result<Option<sessions::Model>, AppError> {
    let Some(session) = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let expired = session.expires_at <= now || session.last_seen_at + config.idle <= now;
    if expired {
        sessions::Entity::delete_by_id(session.id).exec(db).await?;
        return Ok(None);
    }
    if session.pending_second_factor != pending_second_factor {
        return Ok(None);
    }
    if now - session.last_seen_at >= TOUCH_EVERY {
        sessions::Entity::update_many()
            .col_expr(sessions::Column::LastSeenAt, Expr::value(now))
            .filter(sessions::Column::Id.eq(session.id))
            .exec(db)
            .await?;
    }
    Ok(Some(session))
}

pub async fn revoke(db: &impl ConnectionTrait, session: SessionId) -> Result<(), AppError> {
    sessions::Entity::delete_by_id(session.0).exec(db).await?;
    Ok(())
}

/// Ends a user's session by id, only if it is theirs ("end" in the session list).
pub async fn revoke_own(
    db: &impl ConnectionTrait,
    user: UserId,
    session: SessionId,
) -> Result<bool, AppError> {
    let result = sessions::Entity::delete_many()
        .filter(sessions::Column::Id.eq(session.0))
        .filter(sessions::Column::UserId.eq(user.0))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Ends every session of the user, except `keep` when given.
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    user: UserId,
    keep: Option<SessionId>,
) -> Result<u64, AppError> {
    let mut delete = sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(user.0));
    if let Some(keep) = keep {
        delete = delete.filter(sessions::Column::Id.ne(keep.0));
    }
    Ok(delete.exec(db).await?.rows_affected)
}

pub async fn list(
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<Vec<sessions::Model>, AppError> {
    Ok(sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(user.0))
        .filter(sessions::Column::PendingSecondFactor.eq(false))
        .order_by_desc(sessions::Column::LastSeenAt)
        .all(db)
        .await?)
}
