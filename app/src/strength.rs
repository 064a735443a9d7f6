//! Password strength where the server knows the password anyway: the operator's command line
//! and the admin's recovery form. The estimator is `portal-strength` (zxcvbn), the same code the
//! browser loads as a wasm module of its own for the meter beside a new-password field
//! (`crate::accounts::browser::strength`); a password being typed never reaches the server.

use crate::accounts::types::{MAX_PASSWORD_CHARS, Strength};

// The estimator truncates where the portal refuses longer passwords.
const _: () = assert!(portal_strength::MAX_CHARS == MAX_PASSWORD_CHARS);

/// Scores 0–4 (too guessable … very unguessable); `context` holds the user's own words.
pub fn estimate(password: &str, context: &[&str]) -> Strength {
    Strength {
        score: portal_strength::estimate(password, context),
    }
}
