//! The Admin Console's Collections page (`ManageCollections`): collections' sealed names,
//! how many items each holds, and which members see them with what access (V3). Provider users
//! manage a client's collections like its Owners (they hold its key, so they can read the
//! names), but the items themselves stay out of their reach (V2).

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::types::{
    Access, CollectionInput, CollectionRow, CollectionsPage, Grantee, MAX_ACCESS_ROWS, MemberAccess,
};
use crate::auth::Capability;
use crate::auth::gate::InOrganization;
use crate::db::{
    ciphers, collection_ciphers, collection_members, collections, lock, organization_users, users,
};
use crate::error::{AppError, Refusal};
use crate::events::service::{EventContext, NewEvent, collection_details, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{CollectionId, OrganizationUserId};
use crate::vocabulary::{MemberStatus, OrgUserType};

/// The page: every collection with its item count and access, the members who can be given
/// access, how many items are in no collection, and the viewer's way to the key (at most
/// eight queries).
pub async fn page(
    db: &impl ConnectionTrait,
    access: &InOrganization,
) -> Result<CollectionsPage, AppError> {
    access.require(Capability::ManageCollections)?;
    let organization = access.organization();
    let rows = collections::Entity::find()
        .filter(collections::Column::OrganizationId.eq(organization.0))
        .order_by_asc(collections::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let counts: HashMap<i64, i64> = collection_ciphers::Entity::find()
        .select_only()
        .column(collection_ciphers::Column::CollectionId)
        .column_as(collection_ciphers::Column::CipherId.count(), "items")
        .filter(collection_ciphers::Column::CollectionId.is_in(ids.iter().copied()))
        .group_by(collection_ciphers::Column::CollectionId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut given: HashMap<i64, Vec<MemberAccess>> = HashMap::new();
    let access_rows = collection_members::Entity::find()
        .filter(collection_members::Column::CollectionId.is_in(ids.iter().copied()))
        .order_by_asc(collection_members::Column::OrganizationUserId)
        .all(db)
        .await?;
    for row in access_rows {
        given
            .entry(row.collection_id)
            .or_default()
            .push(MemberAccess {
                member: OrganizationUserId(row.organization_user_id),
                access: Access::from_flags(row.read_only, row.hide_passwords, row.manage),
            });
    }
    let grantees = grantees(db, access).await?;
    let unassigned = ciphers::Entity::find()
        .filter(ciphers::Column::OrganizationId.eq(organization.0))
        .filter(
            Expr::exists(
                sea_orm::sea_query::Query::select()
                    .expr(Expr::val(1))
                    .from(collection_ciphers::Entity)
                    .and_where(
                        Expr::col((
                            collection_ciphers::Entity,
                            collection_ciphers::Column::CipherId,
                        ))
                        .equals((ciphers::Entity, ciphers::Column::Id)),
                    )
                    .to_owned(),
            )
            .not(),
        )
        .count(db)
        .await?;
    let collections = rows
        .into_iter()
        .map(|row| {
            Ok(CollectionRow {
                id: CollectionId(row.id),
                name: super::service::sealed_name(&row.name, "collection", row.id)?,
                items: counts
                    .get(&row.id)
                    .copied()
                    .map_or(0, |n| u64::try_from(n).unwrap_or(0)),
                access: given.remove(&row.id).unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let key = crate::members::keys::place_key(
        db,
        crate::auth::gate::MemberScope::Organization(access.scope),
        access.actor.user_id,
    )
    .await?;
    Ok(CollectionsPage {
        collections,
        grantees,
        unassigned,
        key,
        sees_items: access.require(Capability::ViewVaultItems).is_ok(),
    })
}

/// Members who can be given access: every member but Owners and Admins (who see every item
/// already) and those whose access is revoked (one query).
async fn grantees(
    db: &impl ConnectionTrait,
    access: &InOrganization,
) -> Result<Vec<Grantee>, AppError> {
    let rows: Vec<(i64, String, Option<String>)> = organization_users::Entity::find()
        .select_only()
        .column(organization_users::Column::Id)
        .column(organization_users::Column::Email)
        .column_as(Expr::col((users::Entity, users::Column::Name)), "name")
        .join(
            sea_orm::JoinType::LeftJoin,
            organization_users::Entity::belongs_to(users::Entity)
                .from(organization_users::Column::UserId)
                .to(users::Column::Id)
                .into(),
        )
        .filter(organization_users::Column::OrganizationId.eq(access.organization().0))
        .filter(organization_users::Column::Type.is_in([OrgUserType::User, OrgUserType::Custom]))
        .filter(organization_users::Column::Status.ne(MemberStatus::Revoked))
        .order_by_asc(organization_users::Column::Email)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(member, email, name)| Grantee {
            member: OrganizationUserId(member),
            email,
            name: name.filter(|n| !n.is_empty()),
        })
        .collect())
}

/// The access list without repeats (the last word for a member counts), every member the
/// organization's.
async fn checked_access(
    db: &impl ConnectionTrait,
    access: &InOrganization,
    wanted: &[MemberAccess],
) -> Result<Vec<MemberAccess>, AppError> {
    if wanted.len() > MAX_ACCESS_ROWS {
        return Err(AppError::BadRequest);
    }
    let mut by_member: HashMap<OrganizationUserId, Access> = HashMap::new();
    for row in wanted {
        by_member.insert(row.member, row.access);
    }
    let members: BTreeSet<i64> = by_member.keys().map(|m| m.0).collect();
    if !members.is_empty() {
        let found = organization_users::Entity::find()
            .filter(organization_users::Column::OrganizationId.eq(access.organization().0))
            .filter(organization_users::Column::Id.is_in(members.iter().copied()))
            .count(db)
            .await?;
        if found != members.len() as u64 {
            return Err(AppError::Refused(Refusal::UnknownMember));
        }
    }
    let mut rows: Vec<MemberAccess> = by_member
        .into_iter()
        .map(|(member, access)| MemberAccess { member, access })
        .collect();
    rows.sort_by_key(|row| row.member.0);
    Ok(rows)
}

/// A new collection (`id` none) or a changed one: its name, and its access list replaced.
pub async fn save(
    db: &(impl ConnectionTrait + TransactionTrait),
    access: &InOrganization,
    context: &EventContext,
    id: Option<CollectionId>,
    input: &CollectionInput,
) -> Result<CollectionId, AppError> {
    access.require(Capability::ManageCollections)?;
    let name = super::service::name_to_store(&input.name)?;
    let organization = access.organization();
    let txn = crate::db::begin_write(db).await?;
    lock::organization(&txn, organization).await?;
    let rows = checked_access(&txn, access, &input.access).await?;
    let now = Utc::now();
    let (id, kind) = match id {
        None => {
            let row = collections::ActiveModel {
                organization_id: Set(organization.0),
                name: Set(name),
                created_at: Set(now),
                revision_date: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            (CollectionId(row.id), EventType::CollectionCreated)
        }
        Some(id) => {
            let changed = collections::Entity::update_many()
                .col_expr(collections::Column::Name, Expr::value(name))
                .col_expr(collections::Column::RevisionDate, Expr::value(now))
                .filter(collections::Column::Id.eq(id.0))
                .filter(collections::Column::OrganizationId.eq(organization.0))
                .exec(&txn)
                .await?;
            if changed.rows_affected != 1 {
                return Err(AppError::Refused(Refusal::UnknownCollection));
            }
            collection_members::Entity::delete_many()
                .filter(collection_members::Column::CollectionId.eq(id.0))
                .exec(&txn)
                .await?;
            (id, EventType::CollectionUpdated)
        }
    };
    if !rows.is_empty() {
        collection_members::Entity::insert_many(rows.iter().map(|row| {
            let (read_only, hide_passwords, manage) = row.access.flags();
            collection_members::ActiveModel {
                collection_id: Set(id.0),
                organization_user_id: Set(row.member.0),
                read_only: Set(read_only),
                hide_passwords: Set(hide_passwords),
                manage: Set(manage),
            }
        }))
        .exec(&txn)
        .await?;
    }
    record(
        &txn,
        context,
        NewEvent::new(kind)
            .organization(organization)
            .target(EventTarget::Collection(id.0)),
        Some(collection_details(id)),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// Deletes a collection; one that holds items only when `with_items` says the caller saw that
/// (its items stay in the organization, in their other collections or in none).
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    access: &InOrganization,
    context: &EventContext,
    id: CollectionId,
    with_items: bool,
) -> Result<(), AppError> {
    access.require(Capability::ManageCollections)?;
    let organization = access.organization();
    let txn = crate::db::begin_write(db).await?;
    lock::organization(&txn, organization).await?;
    collections::Entity::find_by_id(id.0)
        .filter(collections::Column::OrganizationId.eq(organization.0))
        .one(&txn)
        .await?
        .ok_or(AppError::Refused(Refusal::UnknownCollection))?;
    let items = collection_ciphers::Entity::find()
        .filter(collection_ciphers::Column::CollectionId.eq(id.0))
        .count(&txn)
        .await?;
    if items > 0 && !with_items {
        return Err(AppError::Refused(Refusal::CollectionNotEmpty));
    }
    collections::Entity::delete_by_id(id.0).exec(&txn).await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::CollectionDeleted)
            .organization(organization)
            .target(EventTarget::Collection(id.0)),
        Some(collection_details(id)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
