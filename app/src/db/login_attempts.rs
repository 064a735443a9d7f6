use sea_orm::entity::prelude::*;

/// One attempt (a sign-in, a registration, an email change), kept for throttling per
/// account and per client address (`accounts::throttle`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// Lowercased, as typed (the account may not exist).
    pub email: String,
    pub ip: String,
    /// False until the check succeeds: an attempt in progress counts as a failure.
    pub succeeded: bool,
    /// `sign_in`, `register` or `email_change` (`throttle::Purpose`).
    pub purpose: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
