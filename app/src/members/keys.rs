//! Confirm as a key exchange (VAULT.md §2): what the confirming admin's browser needs (its way
//! to the place's key, each member's public key) and storing the copy it made for a member.
//! The server never sees the place's key itself: it hands out envelopes, and the membership
//! service stores one with the status.

use sea_orm::sea_query::{Expr, Order};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter};

use super::service::{col, m, members_of};
use super::types::{ConfirmPlan, MemberId, MemberStatus, PlaceKey, ToConfirm};
use crate::auth::gate::{Manager, MemberScope};
use crate::crypto::{EncString, WrappedKey};
use crate::db::{organization_users, provider_organizations, provider_users, users};
use crate::error::AppError;
use crate::ids::UserId;

/// The viewer's way to the place's key and the named members with their public keys: three
/// queries, however many members are named.
pub async fn confirm_plan(
    db: &impl ConnectionTrait,
    manager: &Manager,
    ids: &[MemberId],
) -> Result<ConfirmPlan, AppError> {
    let key = place_key(db, manager.scope, manager.actor.user_id).await?;
    let u = sea_orm::sea_query::Alias::new("u");
    let mut statement = members_of(manager.scope, "");
    statement
        .column((m(), col("id")))
        .expr_as(
            sea_orm::sea_query::Func::coalesce([
                Expr::col((u.clone(), users::Column::Email)).into(),
                Expr::col((m(), col("email"))).into(),
            ]),
            sea_orm::sea_query::Alias::new("email"),
        )
        .column((m(), col("status")))
        .column((m(), col("user_id")))
        .column((u, users::Column::PublicKey))
        .and_where(Expr::col((m(), col("id"))).is_in(ids.iter().map(|id| id.0)))
        .order_by((m(), col("email")), Order::Asc);
    let backend = db.get_database_backend();
    let members = Candidate::find_by_statement(backend.build(&statement))
        .all(db)
        .await?
        .into_iter()
        .map(|c| ToConfirm {
            member: MemberId(c.id),
            email: c.email,
            status: c.status,
            user: c.user_id.map(UserId),
            public_key: c.public_key,
        })
        .collect();
    Ok(ConfirmPlan { key, members })
}

#[derive(FromQueryResult)]
struct Candidate {
    id: i64,
    email: String,
    status: MemberStatus,
    user_id: Option<i64>,
    public_key: Option<String>,
}

/// How `user` reaches the place's key: its own copy as a confirmed member of the place, or,
/// in a provider's client, its copy of the provider key and the client's key under it. `None`
/// when it holds neither (the place has no key yet, or nobody gave the user a copy).
pub async fn place_key(
    db: &impl ConnectionTrait,
    scope: MemberScope,
    user: UserId,
) -> Result<Option<PlaceKey>, AppError> {
    let parse_wrapped = |text: Option<String>| -> Result<Option<WrappedKey>, AppError> {
        text.map(|t| t.parse().map_err(|_| AppError::Internal))
            .transpose()
    };
    match scope {
        MemberScope::Provider(provider) => {
            let own = provider_key_of(db, provider, user).await?;
            Ok(parse_wrapped(own)?.map(PlaceKey::Own))
        }
        MemberScope::Organization(org) => {
            let own = organization_users::Entity::find()
                .filter(organization_users::Column::OrganizationId.eq(org.organization_id.0))
                .filter(organization_users::Column::UserId.eq(user.0))
                .filter(organization_users::Column::Status.eq(MemberStatus::Confirmed))
                .one(db)
                .await?
                .and_then(|member| member.key);
            if let Some(own) = parse_wrapped(own)? {
                return Ok(Some(PlaceKey::Own(own)));
            }
            let Some(provider) = org.provider_id else {
                return Ok(None);
            };
            let provider_key = parse_wrapped(provider_key_of(db, provider, user).await?)?;
            let organization_key = provider_organizations::Entity::find()
                .filter(provider_organizations::Column::OrganizationId.eq(org.organization_id.0))
                .filter(provider_organizations::Column::ProviderId.eq(provider.0))
                .one(db)
                .await?
                .and_then(|link| link.key)
                .map(|text| text.parse::<EncString>().map_err(|_| AppError::Internal))
                .transpose()?;
            Ok(provider_key
                .zip(organization_key)
                .map(
                    |(provider_key, organization_key)| PlaceKey::ThroughProvider {
                        provider_key,
                        organization_key,
                    },
                ))
        }
    }
}

/// A confirmed provider member's copy of the provider key.
async fn provider_key_of(
    db: &impl ConnectionTrait,
    provider: crate::ids::ProviderId,
    user: UserId,
) -> Result<Option<String>, AppError> {
    Ok(provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::UserId.eq(user.0))
        .filter(provider_users::Column::Status.eq(MemberStatus::Confirmed))
        .one(db)
        .await?
        .and_then(|member| member.key))
}

/// The account's public key (base64 SPKI), when it has keys.
pub(super) async fn public_key_of(
    db: &impl ConnectionTrait,
    user: Option<i64>,
) -> Result<Option<String>, AppError> {
    let Some(user) = user else { return Ok(None) };
    Ok(users::Entity::find_by_id(user)
        .one(db)
        .await?
        .and_then(|account| account.public_key))
}
