//! The membership services as the tests call them, with the signatures of one place each
//! (`org`, `provider`): every call gets its witness from the gate's native entry
//! (`gate::manager`, the guard an endpoint runs) and reads its form as the endpoint does, so a
//! test exercises what a request would, minus HTTP.

use app::auth::gate;
use app::auth::{Actor, OrgScope};
use app::error::AppError;
use app::events::service::EventContext;
use app::ids::{MemberId, ProviderId};
use app::mail::Outbox;
use app::members::types::{
    Invitation, Invited, MemberAction, MemberKey, MemberPage, MemberQuery, Permissions, Place,
    RowOutcome, read_type_change,
};
use app::members::{keys, service};
use sea_orm::DatabaseConnection;

fn flag_names(permissions: Permissions) -> Vec<String> {
    Permissions::ALL
        .into_iter()
        .filter(|flag| permissions.contains(*flag))
        .map(|flag| flag.name().to_owned())
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn invite_at(
    db: &DatabaseConnection,
    context: &EventContext,
    outbox: &Outbox<'_>,
    actor: &Actor,
    place: Place,
    emails: &str,
    user_type: &str,
    permissions: Permissions,
) -> Result<Vec<Invited>, AppError> {
    let manager = gate::manager(db, actor.clone(), place).await?;
    let names = flag_names(permissions);
    let invitation = Invitation::read(place, emails, user_type, Some(&names));
    service::invite(db, context, outbox, &manager, &invitation).await
}

async fn apply_at<I: Copy + Into<MemberId>>(
    db: &DatabaseConnection,
    context: &EventContext,
    outbox: &Outbox<'_>,
    actor: &Actor,
    place: Place,
    action: MemberAction,
    members: &[I],
) -> Result<Vec<RowOutcome>, AppError> {
    let manager = gate::manager(db, actor.clone(), place).await?;
    let members: Vec<MemberId> = members.iter().map(|&m| m.into()).collect();
    if action == MemberAction::Confirm {
        let keys = member_keys(db, &manager, &members).await?;
        return service::confirm(db, context, outbox, &manager, &keys).await;
    }
    service::apply(db, context, outbox, &manager, action, &members).await
}

/// What the Confirm dialog's browser sends: for each named member, a key wrapped to their
/// public key as the plan hands it out. An account without keys gets the tests' key pair
/// first, as its first sign-in would make one; the key wrapped is a made-up one (the server
/// stores envelopes, it cannot tell which key is inside).
pub async fn member_keys(
    db: &DatabaseConnection,
    manager: &gate::Manager,
    members: &[MemberId],
) -> Result<Vec<MemberKey>, AppError> {
    use app::db::users;
    use sea_orm::{ActiveModelTrait, Set};
    let plan = keys::confirm_plan(db, manager, members).await?;
    let place_key = app::crypto::SymmetricKey::generate();
    let mut keys = Vec::new();
    for member in plan.members {
        let public_key = match (member.public_key, member.user) {
            (Some(key), _) => key,
            (None, Some(user)) => {
                let key = super::test_key_pair().public_key().to_base64();
                users::ActiveModel {
                    id: Set(user.0),
                    public_key: Set(Some(key.clone())),
                    ..Default::default()
                }
                .update(db)
                .await?;
                key
            }
            // Not accepted yet: the dialog sends nothing for them, a hand-made request might.
            (None, None) => super::test_key_pair().public_key().to_base64(),
        };
        let to = app::crypto::PublicKey::from_base64(&public_key).unwrap();
        keys.push(MemberKey {
            member: member.member,
            key: to.wrap_key(&place_key),
            public_key,
        });
    }
    Ok(keys)
}

async fn change_type_at(
    db: &DatabaseConnection,
    context: &EventContext,
    actor: &Actor,
    place: Place,
    member: MemberId,
    user_type: &str,
    permissions: Permissions,
) -> Result<(), AppError> {
    let manager = gate::manager(db, actor.clone(), place).await?;
    let names = flag_names(permissions);
    let (user_type, permissions) = read_type_change(place, user_type, Some(&names))?;
    service::change_type(db, context, &manager, member, user_type, permissions).await
}

async fn list_at(
    db: &DatabaseConnection,
    actor: &Actor,
    place: Place,
    query: &MemberQuery,
) -> Result<MemberPage, AppError> {
    let manager = gate::manager(db, actor.clone(), place).await?;
    service::list(db, &manager, query).await
}

/// An organization's members.
pub mod org {
    use super::*;
    use app::ids::OrganizationUserId;

    fn place(scope: OrgScope) -> Place {
        Place::Organization(scope.organization_id)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn invite(
        db: &DatabaseConnection,
        context: &EventContext,
        outbox: &Outbox<'_>,
        actor: &Actor,
        scope: OrgScope,
        emails: &str,
        user_type: &str,
        permissions: Permissions,
    ) -> Result<Vec<Invited>, AppError> {
        invite_at(
            db,
            context,
            outbox,
            actor,
            place(scope),
            emails,
            user_type,
            permissions,
        )
        .await
    }

    pub async fn apply(
        db: &DatabaseConnection,
        context: &EventContext,
        outbox: &Outbox<'_>,
        actor: &Actor,
        scope: OrgScope,
        action: MemberAction,
        members: &[OrganizationUserId],
    ) -> Result<Vec<RowOutcome>, AppError> {
        apply_at(db, context, outbox, actor, place(scope), action, members).await
    }

    pub async fn change_type(
        db: &DatabaseConnection,
        context: &EventContext,
        actor: &Actor,
        scope: OrgScope,
        member: OrganizationUserId,
        user_type: &str,
        permissions: Permissions,
    ) -> Result<(), AppError> {
        let member = member.into();
        change_type_at(
            db,
            context,
            actor,
            place(scope),
            member,
            user_type,
            permissions,
        )
        .await
    }

    pub async fn list(
        db: &DatabaseConnection,
        actor: &Actor,
        scope: OrgScope,
        query: &MemberQuery,
    ) -> Result<MemberPage, AppError> {
        list_at(db, actor, place(scope), query).await
    }
}

/// A provider's members.
pub mod provider {
    use super::*;
    use app::ids::ProviderUserId;

    pub async fn invite(
        db: &DatabaseConnection,
        context: &EventContext,
        outbox: &Outbox<'_>,
        actor: &Actor,
        provider: ProviderId,
        emails: &str,
        user_type: &str,
    ) -> Result<Vec<Invited>, AppError> {
        let place = Place::Provider(provider);
        let none = Permissions::empty();
        invite_at(db, context, outbox, actor, place, emails, user_type, none).await
    }

    pub async fn apply(
        db: &DatabaseConnection,
        context: &EventContext,
        outbox: &Outbox<'_>,
        actor: &Actor,
        provider: ProviderId,
        action: MemberAction,
        members: &[ProviderUserId],
    ) -> Result<Vec<RowOutcome>, AppError> {
        let place = Place::Provider(provider);
        apply_at(db, context, outbox, actor, place, action, members).await
    }

    pub async fn change_type(
        db: &DatabaseConnection,
        context: &EventContext,
        actor: &Actor,
        provider: ProviderId,
        member: ProviderUserId,
        user_type: &str,
    ) -> Result<(), AppError> {
        let (place, none) = (Place::Provider(provider), Permissions::empty());
        change_type_at(db, context, actor, place, member.into(), user_type, none).await
    }

    pub async fn list(
        db: &DatabaseConnection,
        actor: &Actor,
        provider: ProviderId,
        query: &MemberQuery,
    ) -> Result<MemberPage, AppError> {
        list_at(db, actor, Place::Provider(provider), query).await
    }

    pub async fn leave(
        db: &DatabaseConnection,
        context: &EventContext,
        actor: &Actor,
        provider: ProviderId,
    ) -> Result<(), AppError> {
        service::leave_provider(db, context, actor, provider).await
    }
}
