//! SeaORM entities of the v1 model (server only). Rows are not DTOs: nothing here is
//! `Serialize`, so a password hash cannot be sent to a browser by accident. Each domain maps
//! rows to its own types.

pub mod email_verifications;
pub mod events;
pub mod invitations;
pub mod invoices;
pub mod lock;
pub mod login_attempts;
pub mod organization_users;
pub mod organizations;
pub mod policies;
pub mod provider_organizations;
pub mod provider_plans;
pub mod provider_users;
pub mod providers;
pub mod sessions;
pub mod users;

/// A `LIKE … ESCAPE '\\'` pattern matching anything that contains `folded` (the search,
/// already case-folded the caller's way): `%`, `_` and `\\` typed by a person are literal, not
/// wildcards. Client and member searches alike.
pub fn contains_pattern(folded: &str) -> String {
    let mut pattern = String::with_capacity(folded.len() + 2);
    pattern.push('%');
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}
