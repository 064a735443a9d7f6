use sea_orm::entity::prelude::*;

/// A vault item (migration m20261202_000018). Owned by a user *or* an organization (the
/// database checks it); everything typed is sealed in the browser.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ciphers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: Option<i64>,
    pub organization_id: Option<i64>,
    /// Bitwarden's item type: 1 login, 2 secure note, 3 card, 4 identity, 5 SSH key.
    pub r#type: i16,
    /// The item's own key, type 2 under the owner's key (user key or organization key).
    pub key: String,
    /// The item in Bitwarden's field-level JSON, every user string a type-2 envelope under the
    /// item key (`portal_crypto::vault::SealedItem`).
    pub data: String,
    /// Counts writes: a write names the revision it read, and a stale one changes nothing (V4).
    pub revision: i64,
    pub created_at: DateTimeUtc,
    pub revision_date: DateTimeUtc,
    /// In the trash since (V5: purged after 30 days).
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
