use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Always stored lowercased: the unique index then makes emails unique case-insensitively.
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub locale: String,
    pub totp_secret: Option<String>,
    pub totp_recovery_hash: Option<String>,
    /// The last TOTP time step accepted: a code works once.
    pub totp_last_step: Option<i64>,
    pub created_at: DateTimeUtc,
    /// When `email` was proved (a mailed link, an invitation link, the operator); `None`:
    /// unverified, and no invitation reaches the account through the pending list.
    pub email_verified_at: Option<DateTimeUtc>,
    /// The two-step secret being set up (base32), kept here so the browser never sends it
    /// back, and when it was made (it expires).
    pub totp_pending_secret: Option<String>,
    pub totp_pending_at: Option<DateTimeUtc>,
    /// The colours the account chose; the server renders pages in them.
    pub theme: crate::vocabulary::Theme,
    /// How the master key is derived; `None`: an account made before zero knowledge, which
    /// still signs in with its password until that sign-in upgrades it (VAULT.md §2).
    pub kdf: Option<crate::vocabulary::KdfKind>,
    pub kdf_iterations: Option<i32>,
    pub kdf_memory_mib: Option<i32>,
    pub kdf_parallelism: Option<i32>,
    /// The salt the master key is derived with: the address the account was made with
    /// (trimmed, lowercased), kept so that changing the address changes no key.
    pub master_password_salt: Option<String>,
    /// The user key, wrapped by the stretched master key (a type-2 envelope).
    pub user_key: Option<String>,
    /// base64 of the RSA public key's SPKI DER.
    pub public_key: Option<String>,
    /// The RSA private key (PKCS#8), wrapped by the user key (a type-2 envelope).
    pub private_key: Option<String>,
    /// Minutes without activity after which a tab forgets the account's keys (it locks);
    /// `0`: only when the page is reloaded or the account signs out.
    pub lock_minutes: i32,
    /// An admin recovered the account (account recovery): its next sign-in must choose a new
    /// master password before anything else; the guard refuses every capability until then.
    pub must_change_password: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::sessions::Entity")]
    Sessions,
}

impl Related<super::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// Marks an account verified without a link (invitation links prove their address too).
pub async fn mark_verified(
    db: &impl ConnectionTrait,
    user: crate::ids::UserId,
    now: DateTimeUtc,
) -> Result<(), DbErr> {
    use sea_orm::QueryFilter;
    use sea_orm::sea_query::Expr;
    Entity::update_many()
        .col_expr(Column::EmailVerifiedAt, Expr::value(now))
        .filter(Column::Id.eq(user.0))
        .filter(Column::EmailVerifiedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
