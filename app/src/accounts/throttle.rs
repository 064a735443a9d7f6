//! Throttling of guesses: sign-in passwords and two-step codes, registrations, email changes.
//! Attempts are rows in the database, so the limits hold across server instances sharing it.
//!
//! Sign-in (OWASP Authentication Cheat Sheet, "account lockout" without its denial of
//! service):
//! - per (account, client address): a few free failures, then each further attempt waits a
//!   growing delay after the last one (30 s, 1 min, 2 min … at most 15 min); a success clears
//!   the pair's count;
//! - per account, over every address: past a looser ceiling the account is *slowed*, not
//!   locked: each address may try it once a minute. An address that has not been guessing
//!   (the owner's) still gets its attempt at once, so a botnet cannot lock the owner out;
//! - per client address, over every account: a ceiling against credential stuffing.
//!
//! The check cannot be raced: an attempt first *reserves* its row (an insert, committed), then
//! counts the rows, its own and everyone else's. Of any number of concurrent attempts, the k-th
//! to commit its reservation sees at least k rows, so no more get through than the limits allow;
//! at worst two attempts at a boundary both wait. Refused attempts delete their reservation, so
//! hammering a refusal does not push the owner's next attempt further away.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::db::login_attempts;
use crate::error::AppError;

/// What an attempt is for; each kind is counted on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A password, or a two-step code after it: the same guesses on the same account.
    SignIn,
    /// A registration, counted per client address.
    Register,
    /// An email change, counted per account.
    EmailChange,
}

impl Purpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::Register => "register",
            Self::EmailChange => "email_change",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct ThrottleConfig {
    /// Failures older than this are forgotten.
    pub window: Duration,
    /// Failures per (account, address) before the delays start.
    pub free_per_pair: u64,
    /// The first delay; each further failure doubles it…
    pub first_delay: Duration,
    /// …up to this.
    pub max_delay: Duration,
    /// Failures on one account (every address) before it is slowed.
    pub account_ceiling: u64,
    /// A slowed account takes one attempt per address this often.
    pub slowed_interval: Duration,
    /// Failures from one address (every account) before it is refused until some expire.
    pub per_address: u64,
    /// Registrations from one address per window.
    pub registrations_per_address: u64,
    /// Email changes of one account per window.
    pub email_changes_per_account: u64,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            window: Duration::hours(1),
            free_per_pair: 5,
            first_delay: Duration::seconds(30),
            max_delay: Duration::minutes(15),
            account_ceiling: 50,
            slowed_interval: Duration::minutes(1),
            per_address: 100,
            registrations_per_address: 10,
            email_changes_per_account: 5,
        }
    }
}

impl ThrottleConfig {
    /// The wait after the pair's `failures`-th failure (none while they are free).
    fn delay_after(&self, failures: u64) -> Option<Duration> {
        let over = failures.checked_sub(self.free_per_pair)?;
        let doubled = self
            .first_delay
            .checked_mul(
                1_i32
                    .checked_shl(u32::try_from(over).unwrap_or(31))
                    .unwrap_or(i32::MAX),
            )
            .unwrap_or(self.max_delay);
        Some(doubled.min(self.max_delay))
    }
}

/// An attempt that passed the throttle and is being checked; settle it with the outcome.
#[derive(Debug)]
#[must_use = "settle the attempt with its outcome, or release it"]
pub struct Reservation {
    id: i64,
}

fn refusal(wait: Duration) -> AppError {
    let minutes = (wait.num_seconds().max(1) + 59) / 60;
    AppError::TooManyAttempts {
        minutes: u32::try_from(minutes).unwrap_or(u32::MAX),
    }
}

async fn insert(
    db: &impl ConnectionTrait,
    purpose: Purpose,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let row = login_attempts::ActiveModel {
        at: Set(now),
        email: Set(email.chars().take(254).collect()),
        ip: Set(ip.chars().take(64).collect()),
        succeeded: Set(false),
        purpose: Set(purpose.as_str().to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), AppError> {
    login_attempts::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Reserves a sign-in attempt (a password, or a two-step code) of `email` from `ip`, or
/// refuses with the wait. Call before any hashing.
pub async fn reserve(
    db: &impl ConnectionTrait,
    config: &ThrottleConfig,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Reservation, AppError> {
    let id = insert(db, Purpose::SignIn, email, ip, now).await?;
    match sign_in_wait(db, config, id, email, ip, now).await {
        Ok(None) => Ok(Reservation { id }),
        Ok(Some(wait)) => {
            delete(db, id).await?;
            Err(refusal(wait))
        }
        Err(error) => {
            delete(db, id).await?;
            Err(error)
        }
    }
}

/// How long the reserved attempt `id` must wait, counting every row but itself.
async fn sign_in_wait(
    db: &impl ConnectionTrait,
    config: &ThrottleConfig,
    id: i64,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Option<Duration>, AppError> {
    let since = now - config.window;
    let sign_in = || {
        login_attempts::Entity::find()
            .filter(login_attempts::Column::Purpose.eq(Purpose::SignIn.as_str()))
            .filter(login_attempts::Column::At.gt(since))
            .filter(login_attempts::Column::Id.ne(id))
    };
    // The pair's attempts since its last success, newest first (at most the window's worth).
    let pair: Vec<(DateTime<Utc>, bool)> = sign_in()
        .select_only()
        .columns([
            login_attempts::Column::At,
            login_attempts::Column::Succeeded,
        ])
        .filter(login_attempts::Column::Email.eq(email))
        .filter(login_attempts::Column::Ip.eq(ip))
        .order_by_desc(login_attempts::Column::At)
        .order_by_desc(login_attempts::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let failures: Vec<DateTime<Utc>> = pair
        .iter()
        .take_while(|(_, succeeded)| !succeeded)
        .map(|(at, _)| *at)
        .collect();
    let mut wait = Duration::zero();
    if let (Some(delay), Some(last)) = (config.delay_after(failures.len() as u64), failures.first())
    {
        wait = wait.max(*last + delay - now);
    }
    let account_failures = sign_in()
        .filter(login_attempts::Column::Email.eq(email))
        .filter(login_attempts::Column::Succeeded.eq(false))
        .count(db)
        .await?;
    if account_failures >= config.account_ceiling
        && let Some((last, _)) = pair.first()
    {
        wait = wait.max(*last + config.slowed_interval - now);
    }
    let address_failures = sign_in()
        .filter(login_attempts::Column::Ip.eq(ip))
        .filter(login_attempts::Column::Succeeded.eq(false));
    if address_failures.clone().count(db).await? >= config.per_address {
        // Until the oldest failure that keeps the address at its ceiling leaves the window.
        let oldest_counted = address_failures
            .order_by_desc(login_attempts::Column::At)
            .offset(config.per_address - 1)
            .one(db)
            .await?;
        let until = oldest_counted.map_or(config.window, |a| a.at + config.window - now);
        wait = wait.max(until);
    }
    Ok((wait > Duration::zero()).then_some(wait))
}

/// Records the outcome of a reserved attempt. A success clears the pair's delays.
pub async fn settle(
    db: &impl ConnectionTrait,
    reservation: Reservation,
    succeeded: bool,
) -> Result<(), AppError> {
    if succeeded {
        login_attempts::Entity::update_many()
            .col_expr(login_attempts::Column::Succeeded, Expr::value(true))
            .filter(login_attempts::Column::Id.eq(reservation.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Gives a reservation back when the attempt never happened (the server was too busy to check
/// it): it counts for nothing.
pub async fn release(db: &impl ConnectionTrait, reservation: Reservation) -> Result<(), AppError> {
    delete(db, reservation.id).await
}

/// Counts one registration from `ip`, or one email change of `email`, refusing past the
/// window's allowance. Reserved and counted as above, so parallel requests cannot overrun it.
pub async fn count_request(
    db: &impl ConnectionTrait,
    config: &ThrottleConfig,
    purpose: Purpose,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let id = insert(db, purpose, email, ip, now).await?;
    let recent = login_attempts::Entity::find()
        .filter(login_attempts::Column::Purpose.eq(purpose.as_str()))
        .filter(login_attempts::Column::At.gt(now - config.window));
    let (recent, limit) = match purpose {
        Purpose::Register => (
            recent.filter(login_attempts::Column::Ip.eq(ip)),
            config.registrations_per_address,
        ),
        Purpose::EmailChange | Purpose::SignIn => (
            recent.filter(login_attempts::Column::Email.eq(email)),
            config.email_changes_per_account,
        ),
    };
    if recent.count(db).await? > limit {
        delete(db, id).await?;
        return Err(refusal(config.window));
    }
    Ok(())
}

/// Forgets attempts no limit looks at any more (the hourly job): the table stays small.
pub async fn forget_old(
    db: &impl ConnectionTrait,
    config: &ThrottleConfig,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    Ok(login_attempts::Entity::delete_many()
        .filter(login_attempts::Column::At.lt(now - config.window))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_after_the_free_failures_and_stop_at_the_maximum() {
        let config = ThrottleConfig::default();
        assert_eq!(config.delay_after(0), None);
        assert_eq!(config.delay_after(4), None);
        assert_eq!(config.delay_after(5), Some(Duration::seconds(30)));
        assert_eq!(config.delay_after(6), Some(Duration::seconds(60)));
        assert_eq!(config.delay_after(7), Some(Duration::seconds(120)));
        assert_eq!(config.delay_after(10), Some(Duration::minutes(15)));
        assert_eq!(config.delay_after(500), Some(Duration::minutes(15)));
    }
}
