//! Secrets of the server itself, made on first use and shared by every instance on the
//! database (an instance's memory would give each instance, and each restart, its own).

use base64::Engine as _;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "server_secrets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    /// base64 of the secret's bytes.
    pub value: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The secret called `name` (32 random bytes), made now if there is none yet: one read once
/// it exists. Two instances making it at once both keep the one that was stored first.
pub async fn get_or_make(db: &impl ConnectionTrait, name: &str) -> Result<Vec<u8>, DbErr> {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    use sea_orm::ActiveValue::Set;
    use sea_orm::sea_query::OnConflict;
    if let Some(secret) = read(db, name).await? {
        return Ok(secret);
    }
    let mut fresh = [0u8; 32];
    OsRng.fill_bytes(&mut fresh);
    Entity::insert(ActiveModel {
        name: Set(name.to_owned()),
        value: Set(ENGINE.encode(fresh)),
    })
    .on_conflict(OnConflict::column(Column::Name).do_nothing().to_owned())
    .do_nothing()
    .exec(db)
    .await?;
    read(db, name)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("server secret {name}")))
}

const ENGINE: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

async fn read(db: &impl ConnectionTrait, name: &str) -> Result<Option<Vec<u8>>, DbErr> {
    use sea_orm::QuerySelect;
    let stored: Option<String> = Entity::find_by_id(name.to_owned())
        .select_only()
        .column(Column::Value)
        .into_tuple()
        .one(db)
        .await?;
    stored
        .map(|value| {
            ENGINE
                .decode(value)
                .map_err(|e| DbErr::Custom(format!("server secret {name} is not base64: {e}")))
        })
        .transpose()
}
