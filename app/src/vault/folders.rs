//! A user's own folders and where they file items: per user, so a shared item sits in each
//! member's folder of choice, and starring it stars it for that member only.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};

use super::reach::{Reach, visible};
use crate::auth::Actor;
use crate::crypto::EncString;
use crate::db::{cipher_folders, ciphers, favorites, folders};
use crate::error::{AppError, Refusal};
use crate::ids::{FolderId, ItemId};

/// A new folder (`id` none) or a renamed one of the caller's.
pub async fn save(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Option<FolderId>,
    name: &EncString,
) -> Result<FolderId, AppError> {
    let name = super::service::name_to_store(name)?;
    let now = Utc::now();
    let Some(id) = id else {
        let row = folders::ActiveModel {
            user_id: Set(actor.user_id.0),
            name: Set(name),
            created_at: Set(now),
            revision_date: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        return Ok(FolderId(row.id));
    };
    let renamed = folders::Entity::update_many()
        .col_expr(folders::Column::Name, Expr::value(name))
        .col_expr(folders::Column::RevisionDate, Expr::value(now))
        .filter(folders::Column::Id.eq(id.0))
        .filter(folders::Column::UserId.eq(actor.user_id.0))
        .exec(db)
        .await?;
    if renamed.rows_affected == 1 {
        Ok(id)
    } else {
        Err(AppError::Refused(Refusal::UnknownFolder))
    }
}

/// Deletes one of the caller's folders; its items stay, in no folder.
pub async fn delete(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: FolderId,
) -> Result<(), AppError> {
    let deleted = folders::Entity::delete_many()
        .filter(folders::Column::Id.eq(id.0))
        .filter(folders::Column::UserId.eq(actor.user_id.0))
        .exec(db)
        .await?;
    if deleted.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::Refused(Refusal::UnknownFolder))
    }
}

/// Files an item the caller can open in one of their folders (or none) and stars it or not.
pub async fn place(
    db: &(impl ConnectionTrait + TransactionTrait),
    actor: &Actor,
    item: ItemId,
    folder: Option<FolderId>,
    favorite: bool,
) -> Result<(), AppError> {
    let txn = crate::db::begin_write(db).await?;
    let reach = Reach::of(actor);
    ciphers::Entity::find_by_id(item.0)
        .filter(visible(actor, &reach))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(folder) = folder {
        folders::Entity::find_by_id(folder.0)
            .filter(folders::Column::UserId.eq(actor.user_id.0))
            .one(&txn)
            .await?
            .ok_or(AppError::Refused(Refusal::UnknownFolder))?;
    }
    cipher_folders::Entity::delete_many()
        .filter(cipher_folders::Column::UserId.eq(actor.user_id.0))
        .filter(cipher_folders::Column::CipherId.eq(item.0))
        .exec(&txn)
        .await?;
    if let Some(folder) = folder {
        cipher_folders::ActiveModel {
            user_id: Set(actor.user_id.0),
            cipher_id: Set(item.0),
            folder_id: Set(folder.0),
        }
        .insert(&txn)
        .await?;
    }
    favorites::Entity::delete_many()
        .filter(favorites::Column::UserId.eq(actor.user_id.0))
        .filter(favorites::Column::CipherId.eq(item.0))
        .exec(&txn)
        .await?;
    if favorite {
        favorites::ActiveModel {
            user_id: Set(actor.user_id.0),
            cipher_id: Set(item.0),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
