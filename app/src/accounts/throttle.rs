//! Sign-in throttling per account and per client address. Attempts are rows in the database,
//! so the limits hold across server instances sharing it.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::db::login_attempts;
use crate::error::AppError;

#[derive(Clone, Copy, Debug)]
pub struct ThrottleConfig {
    pub window: Duration,
    /// Failed attempts on one account within the window before it is locked for the rest of it.
    pub per_account: u64,
    /// Failed attempts from one address (on any accounts) within the window.
    pub per_address: u64,
}

impl Default for ThrottleConfig {
    /// OWASP's authentication guidance: a handful of failures per account, a wider limit per
    /// address (offices share one), both for 15 minutes.
    fn default() -> Self {
        Self {
            window: Duration::minutes(15),
            per_account: 5,
            per_address: 20,
        }
    }
}

async fn retry_after(
    db: &impl ConnectionTrait,
    column: login_attempts::Column,
    value: &str,
    limit: u64,
    config: &ThrottleConfig,
    now: DateTime<Utc>,
) -> Result<Option<Duration>, AppError> {
    let since = now - config.window;
    let failures = login_attempts::Entity::find()
        .filter(column.eq(value))
        .filter(login_attempts::Column::Succeeded.eq(false))
        .filter(login_attempts::Column::At.gt(since));
    if failures.clone().count(db).await? < limit {
        return Ok(None);
    }
    // Locked until the limit-th most recent failure leaves the window.
    let oldest_counted = failures
        .order_by_desc(login_attempts::Column::At)
        .offset(limit - 1)
        .one(db)
        .await?;
    Ok(oldest_counted.map(|a| a.at + config.window - now))
}

/// Refuses with "too many attempts, try again in N minutes" when either limit is reached.
pub async fn check(
    db: &impl ConnectionTrait,
    config: &ThrottleConfig,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let by_account = retry_after(
        db,
        login_attempts::Column::Email,
        email,
        config.per_account,
        config,
        now,
    )
    .await?;
    let by_address = retry_after(
        db,
        login_attempts::Column::Ip,
        ip,
        config.per_address,
        config,
        now,
    )
    .await?;
    match by_account.max(by_address) {
        Some(wait) => {
            let minutes = (wait.num_seconds().max(1) + 59) / 60;
            Err(AppError::TooManyAttempts {
                minutes: u32::try_from(minutes).unwrap_or(u32::MAX),
            })
        }
        None => Ok(()),
    }
}

pub async fn record(
    db: &impl ConnectionTrait,
    email: &str,
    ip: &str,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    login_attempts::ActiveModel {
        at: Set(now),
        email: Set(email.chars().take(254).collect()),
        ip: Set(ip.chars().take(64).collect()),
        succeeded: Set(succeeded),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
