//! Password hashing with Argon2id at OWASP's parameters, off the async worker threads.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;

/// OWASP Password Storage Cheat Sheet: Argon2id with 19 MiB of memory, 2 iterations, 1 lane.
pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

fn hasher() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).map_err(|e| {
        tracing::error!(error = %e, "invalid Argon2 parameters");
        AppError::Internal
    })?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })
}

/// A hash nobody's password matches, verified against when the email is unknown so that an
/// unknown account costs the same time as a wrong password.
static DECOY: LazyLock<Option<String>> = LazyLock::new(|| hash_blocking("decoy: no account").ok());

/// Hashes at once: one per core. Each holds 19 MiB for its duration, so a burst of a thousand
/// sign-ins holds about 40 MiB on two cores instead of 19 GiB, and the allocator never grows
/// its arenas past that (it kept what a burst took: 1.2 GB once, for good).
static HASHING: LazyLock<std::sync::Arc<tokio::sync::Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    std::sync::Arc::new(tokio::sync::Semaphore::new(cores))
});

/// How long a check waits for a free core before the caller is told to come back (429 with
/// `Retry-After`): long enough to ride out a burst, short enough not to pile requests up.
const WAIT_FOR_CORE: std::time::Duration = std::time::Duration::from_secs(5);

/// Argon2 takes tens of milliseconds of CPU: run it on the blocking pool so a burst of
/// sign-ins does not stall the runtime's workers (and every other request with them), and
/// never more at once than there are cores (`HASHING`).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let permit = tokio::time::timeout(WAIT_FOR_CORE, HASHING.clone().acquire_owned())
        .await
        .map_err(|_| AppError::Busy)?
        .map_err(|_| AppError::Internal)?;
    // The permit goes with the work: a caller that gives up (a closed connection) does not
    // free the core while the hash still runs.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "hashing task failed");
        AppError::Internal
    })?
}

pub async fn hash(password: String) -> Result<String, AppError> {
    blocking(move || hash_blocking(&password)).await
}

/// True when `password` matches `stored`; with `None` (unknown account) it verifies against the
/// decoy and returns false.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    blocking(move || {
        let known = stored.is_some();
        let Some(stored) = stored.or_else(|| DECOY.clone()) else {
            return Err(AppError::Internal);
        };
        let parsed = PasswordHash::new(&stored).map_err(|e| {
            tracing::error!(error = %e, "stored password hash does not parse");
            AppError::Internal
        })?;
        // Verification uses the parameters recorded in the hash itself.
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
}
