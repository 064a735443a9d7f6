//! What the product switcher offers a signed-in user: the organizations it administers, its
//! providers' clients, its providers. A handful of queries whatever the memberships.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::types::{Named, Products, SWITCHER_CLIENTS};
use crate::auth::Actor;
use crate::error::AppError;
use crate::ids::{OrganizationId, ProviderId};

/// What the product switcher offers `actor`, in three queries whatever the memberships:
/// the organizations it administers itself, a first page of its providers' clients, and
/// its providers. Only confirmed memberships count; disabled organizations are left out.
pub async fn product_access(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Products, AppError> {
    use crate::auth::{Capability, OrgScope, Scope};
    use crate::db::{organizations, providers};
    use sea_orm::{QueryOrder, QuerySelect};

    // Own roles (Owner, Admin, Custom) do not depend on the organization's provider.
    let administered: Vec<i64> = actor
        .organizations
        .iter()
        .filter(|m| {
            actor.can(
                Capability::AdministerOrganization,
                Scope::Organization(OrgScope {
                    organization_id: m.organization_id,
                    provider_id: None,
                }),
            )
        })
        .map(|m| m.organization_id.0)
        .collect();
    let provider_ids: Vec<i64> = actor
        .providers
        .iter()
        .filter(|m| actor.is_confirmed_provider_member(m.provider_id))
        .map(|m| m.provider_id.0)
        .collect();

    let named_org = |(id, name): (i64, String)| Named {
        id: OrganizationId(id),
        name,
    };
    let mut organizations: Vec<Named<OrganizationId>> = if administered.is_empty() {
        Vec::new()
    } else {
        organizations::Entity::find()
            .select_only()
            .columns([organizations::Column::Id, organizations::Column::Name])
            .filter(organizations::Column::Id.is_in(administered))
            .filter(organizations::Column::Enabled.eq(true))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(named_org)
            .collect()
    };
    let (mut providers, mut more_clients) = (Vec::new(), false);
    if !provider_ids.is_empty() {
        // The first clients of each provider by name, each read through the provider's
        // name index (organizations.provider_id, name_key, id) and cut at the switcher's
        // size: one statement, however many clients the providers have.
        let first_of = |provider: i64| {
            sea_orm::sea_query::Query::select()
                .columns([
                    organizations::Column::Id,
                    organizations::Column::Name,
                    organizations::Column::NameKey,
                ])
                .from(organizations::Entity)
                .and_where(
                    sea_orm::sea_query::Expr::col(sea_orm::sea_query::Alias::new("provider_id"))
                        .eq(provider),
                )
                .and_where(organizations::Column::Enabled.eq(true))
                .order_by(organizations::Column::NameKey, sea_orm::Order::Asc)
                .order_by(organizations::Column::Id, sea_orm::Order::Asc)
                .limit(SWITCHER_CLIENTS + 1)
                .to_owned()
        };
        let mut parts = provider_ids.iter().enumerate().map(|(i, provider)| {
            sea_orm::sea_query::Query::select()
                .columns([
                    sea_orm::sea_query::Alias::new("id"),
                    sea_orm::sea_query::Alias::new("name"),
                    sea_orm::sea_query::Alias::new("name_key"),
                ])
                .from_subquery(
                    first_of(*provider),
                    sea_orm::sea_query::Alias::new(format!("p{i}")),
                )
                .to_owned()
        });
        let mut statement = parts.next().ok_or(AppError::Internal)?;
        for part in parts {
            statement.union(sea_orm::sea_query::UnionType::All, part);
        }
        let backend = db.get_database_backend();
        let mut clients: Vec<(i64, String, String)> = Vec::new();
        for row in db.query_all(backend.build(&statement)).await? {
            clients.push((
                row.try_get_by_index(0)?,
                row.try_get_by_index(1)?,
                row.try_get_by_index(2)?,
            ));
        }
        clients.sort_by(|a, b| (&a.2, a.0).cmp(&(&b.2, b.0)));
        let clients: Vec<(i64, String)> = clients
            .into_iter()
            .map(|(id, name, _)| (id, name))
            .collect();
        more_clients = clients.len() as u64 > SWITCHER_CLIENTS;
        for client in clients.into_iter().take(SWITCHER_CLIENTS as usize) {
            if !organizations.iter().any(|o| o.id.0 == client.0) {
                organizations.push(named_org(client));
            }
        }
        providers = providers::Entity::find()
            .select_only()
            .columns([providers::Column::Id, providers::Column::Name])
            .filter(providers::Column::Id.is_in(provider_ids))
            .filter(providers::Column::Enabled.eq(true))
            .order_by_asc(providers::Column::Name)
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, name)| Named {
                id: ProviderId(id),
                name,
            })
            .collect();
    }
    organizations.sort_by_key(|entry| entry.name.to_lowercase());
    let managed_providers = actor
        .providers
        .iter()
        .filter(|m| {
            actor.can(
                Capability::ManageProviderMembers,
                Scope::Provider(m.provider_id),
            )
        })
        .map(|m| m.provider_id)
        .collect();
    Ok(Products {
        organizations,
        more_clients,
        providers,
        managed_providers,
    })
}
