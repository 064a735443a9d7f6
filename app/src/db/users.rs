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
