use sea_orm::entity::prelude::*;

/// A mailed single-use link proving an address: a registration waiting for it, or an
/// account's new address. Only the token's SHA-256 is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_verifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub token_hash: String,
    /// `register` or `change`.
    pub purpose: String,
    /// The account changing its address (`change`); none for a registration.
    pub user_id: Option<i64>,
    /// The address being proved, lowercased.
    pub email: String,
    /// A registration's name, language, Argon2id hash of its login hash and keys (JSON of
    /// `portal_crypto::AccountKeys`), kept until the link is used.
    pub name: Option<String>,
    pub locale: Option<String>,
    pub password_hash: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub account_keys: Option<String>,
    /// Where a registration goes once verified (a path on this site).
    pub redirect_to: Option<String>,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
