//! Who may open which items (V2, V3): one's own; every item of an organization where one may
//! edit any item (Owners, Admins, Custom members with "edit any collection"); and, elsewhere,
//! the items of the collections one was given. Access through a provider is not a member's:
//! a provider user reaches a client's items only if they are also a member there.
//!
//! Everything here answers from the actor (loaded with the session) and at most one query, so
//! a listing costs the same number of statements however large it is.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::types::{Access, Rights};
use crate::auth::{Actor, Capability, OrgScope, Scope};
use crate::db::{collection_ciphers, collection_members, collections, organization_users};
use crate::error::AppError;
use crate::ids::{CollectionId, OrganizationId};
use crate::vocabulary::MemberStatus;

/// The caller's reach into every organization they belong to.
#[derive(Clone, Debug, Default)]
pub struct Reach {
    /// Organizations whose every item the caller may edit.
    pub everything: Vec<OrganizationId>,
    /// Organizations where the caller sees the items of their collections only.
    pub by_collection: Vec<OrganizationId>,
}

impl Reach {
    /// From the actor's memberships, as the guard reads them (confirmed, not locked by the
    /// two-step policy); no query. A provider's role in its clients gives no item access, so
    /// the provider is left out of the scope on purpose.
    pub fn of(actor: &Actor) -> Self {
        let mut reach = Self::default();
        for membership in &actor.organizations {
            let scope = Scope::Organization(OrgScope {
                organization_id: membership.organization_id,
                provider_id: None,
            });
            if actor.must_change_password {
                continue;
            }
            if actor.can(Capability::EditAnyItem, scope) {
                reach.everything.push(membership.organization_id);
            } else if actor.can(Capability::ViewVaultItems, scope) {
                reach.by_collection.push(membership.organization_id);
            }
        }
        reach.everything.dedup();
        reach.by_collection.dedup();
        reach
    }

    pub fn sees_everything_in(&self, organization: OrganizationId) -> bool {
        self.everything.contains(&organization)
    }
}

/// The items of the collections given to `actor` in `organizations` (a sub-query of item ids).
pub fn given_items(actor: &Actor, organizations: &[OrganizationId]) -> SelectStatement {
    Query::select()
        .column((
            collection_ciphers::Entity,
            collection_ciphers::Column::CipherId,
        ))
        .from(collection_ciphers::Entity)
        .inner_join(
            collection_members::Entity,
            Expr::col((
                collection_members::Entity,
                collection_members::Column::CollectionId,
            ))
            .equals((
                collection_ciphers::Entity,
                collection_ciphers::Column::CollectionId,
            )),
        )
        .inner_join(
            organization_users::Entity,
            Expr::col((organization_users::Entity, organization_users::Column::Id)).equals((
                collection_members::Entity,
                collection_members::Column::OrganizationUserId,
            )),
        )
        .and_where(
            Expr::col((
                organization_users::Entity,
                organization_users::Column::UserId,
            ))
            .eq(actor.user_id.0),
        )
        .and_where(
            Expr::col((
                organization_users::Entity,
                organization_users::Column::OrganizationId,
            ))
            .is_in(organizations.iter().map(|o| o.0)),
        )
        .and_where(
            Expr::col((
                organization_users::Entity,
                organization_users::Column::Status,
            ))
            .eq(MemberStatus::Confirmed.as_str()),
        )
        .to_owned()
}

/// The condition on `ciphers` that keeps what the caller may open.
pub fn visible(actor: &Actor, reach: &Reach) -> Condition {
    use crate::db::ciphers::Column;
    let mut visible = Condition::any().add(Column::UserId.eq(actor.user_id.0));
    if !reach.everything.is_empty() {
        visible = visible.add(Column::OrganizationId.is_in(reach.everything.iter().map(|o| o.0)));
    }
    if !reach.by_collection.is_empty() {
        visible = visible.add(Column::Id.in_subquery(given_items(actor, &reach.by_collection)));
    }
    visible
}

/// The caller's access to each collection they were given in `organizations` (one query).
pub async fn given_collections(
    db: &impl ConnectionTrait,
    actor: &Actor,
    organizations: &[OrganizationId],
) -> Result<HashMap<CollectionId, (OrganizationId, Rights)>, AppError> {
    if organizations.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64, bool, bool, bool)> = collection_members::Entity::find()
        .select_only()
        .column(collection_members::Column::CollectionId)
        .column_as(
            Expr::col((
                organization_users::Entity,
                organization_users::Column::OrganizationId,
            )),
            "organization_id",
        )
        .column(collection_members::Column::ReadOnly)
        .column(collection_members::Column::HidePasswords)
        .column(collection_members::Column::Manage)
        .join(
            sea_orm::JoinType::InnerJoin,
            collection_members::Entity::belongs_to(organization_users::Entity)
                .from(collection_members::Column::OrganizationUserId)
                .to(organization_users::Column::Id)
                .into(),
        )
        .filter(organization_users::Column::UserId.eq(actor.user_id.0))
        .filter(organization_users::Column::Status.eq(MemberStatus::Confirmed))
        .filter(organization_users::Column::OrganizationId.is_in(organizations.iter().map(|o| o.0)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(collection, organization, read_only, hide, manage)| {
            (
                CollectionId(collection),
                (
                    OrganizationId(organization),
                    Rights::of(Access::from_flags(read_only, hide, manage)),
                ),
            )
        })
        .collect())
}

/// Which of `wanted` are collections of `organization` (one query).
pub async fn collections_of(
    db: &impl ConnectionTrait,
    organization: OrganizationId,
    wanted: &[CollectionId],
) -> Result<Vec<CollectionId>, AppError> {
    let found: Vec<i64> = collections::Entity::find()
        .select_only()
        .column(collections::Column::Id)
        .filter(collections::Column::OrganizationId.eq(organization.0))
        .filter(collections::Column::Id.is_in(wanted.iter().map(|c| c.0)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().map(CollectionId).collect())
}
