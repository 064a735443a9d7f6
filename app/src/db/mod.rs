//! SeaORM entities of the v1 model (server only). Rows are not DTOs: nothing here is
//! `Serialize`, so a password hash cannot be sent to a browser by accident. Each domain maps
//! rows to its own types.

pub mod cipher_folders;
pub mod ciphers;
pub mod collection_ciphers;
pub mod collection_members;
pub mod collections;
pub mod email_verifications;
pub mod events;
pub mod favorites;
pub mod folders;
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
pub mod server_secrets;
pub mod sessions;
pub mod users;

/// Begins a transaction that will write: the one way to begin one (clippy refuses
/// `TransactionTrait::begin` elsewhere). On SQLite a transaction that reads before it writes
/// cannot wait for a competing writer: when that writer commits first its snapshot is stale
/// and the write fails at once with "database is locked", whatever the busy timeout. So the
/// first statement here is a write that changes nothing, which takes the database's write
/// lock while the busy timeout still applies (what `BEGIN IMMEDIATE` does; SeaORM always
/// sends a plain `BEGIN`). PostgreSQL writers wait on row locks and need nothing here.
pub async fn begin_write(
    db: &impl sea_orm::TransactionTrait,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::ConnectionTrait;
    #[allow(clippy::disallowed_methods)]
    let txn = db.begin().await?;
    if txn.get_database_backend() == sea_orm::DbBackend::Sqlite {
        // Any table every migrated database has; `WHERE 0` leaves it untouched.
        txn.execute_unprepared("UPDATE seaql_migrations SET version = version WHERE 0")
            .await?;
    }
    Ok(txn)
}

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
