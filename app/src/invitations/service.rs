//! Invitation links and pending invitations, for provider members and organization members
//! alike. The member row (status `invited`, no user yet) is the invitation; a link only
//! proves that its holder received the mail. Accepting, by link or from the Password
//! Manager's list, needs an account with the invited address; the member then waits for an
//! admin to confirm them (DESIGN.md §1: only confirmed members have rights).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::types::{Accepted, INVITATION_DAYS, InvitationPreview, InvitationTo, PendingRef};
use crate::auth::Actor;
use crate::db::{invitations, organization_users, organizations, provider_users, providers, users};
use crate::error::{AppError, Refusal};
use crate::events::service::{EventContext, NewEvent, record};
use crate::events::types::{EventTarget, EventType};
use crate::i18n::Locale;
use crate::ids::{OrganizationId, OrganizationUserId, ProviderId, ProviderUserId};
use crate::mail::{Delivery, Mail, Mailer};
use crate::tokens::{new_token, token_hash};
use crate::vocabulary::{MemberStatus, MemberType, OrgUserType, ProviderUserType};

/// A new link for the member; earlier unused links stop working (a re-invitation replaces
/// the one before). Returns the token for the link; only its hash is kept.
pub async fn issue(
    db: &impl ConnectionTrait,
    member: PendingRef,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (provider_user, organization_user) = match member {
        PendingRef::Provider(id) => (Some(id.0), None),
        PendingRef::Organization(id) => (None, Some(id.0)),
    };
    let earlier = invitations::Entity::delete_many().filter(invitations::Column::UsedAt.is_null());
    let earlier = match member {
        PendingRef::Provider(id) => earlier.filter(invitations::Column::ProviderUserId.eq(id.0)),
        PendingRef::Organization(id) => {
            earlier.filter(invitations::Column::OrganizationUserId.eq(id.0))
        }
    };
    earlier.exec(db).await?;
    let token = new_token();
    invitations::ActiveModel {
        token_hash: Set(token_hash(&token)),
        provider_user_id: Set(provider_user),
        organization_user_id: Set(organization_user),
        expires_at: Set(now + Duration::days(INVITATION_DAYS)),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The link's address: `base_url` is the portal's public address (`PUBLIC_URL`).
pub fn link(base_url: &str, token: &str) -> String {
    format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        crate::routes::invitation(token)
    )
}

/// The invitation a link stands for, if it may still be used.
async fn usable(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<invitations::Model, AppError> {
    let invitation = invitations::Entity::find()
        .filter(invitations::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
        .ok_or(AppError::Refused(Refusal::InvitationInvalid))?;
    if invitation.used_at.is_some() {
        return Err(AppError::Refused(Refusal::InvitationUsed));
    }
    if invitation.expires_at <= now {
        return Err(AppError::Refused(Refusal::InvitationExpired));
    }
    Ok(invitation)
}

fn member_of(invitation: &invitations::Model) -> Result<PendingRef, AppError> {
    match (invitation.provider_user_id, invitation.organization_user_id) {
        (Some(id), None) => Ok(PendingRef::Provider(ProviderUserId(id))),
        (None, Some(id)) => Ok(PendingRef::Organization(OrganizationUserId(id))),
        _ => Err(AppError::Internal),
    }
}

/// The member an invitation is for, with the place's name, while the member is still
/// invited; `InvitationUsed` once they accepted (or were removed and re-invited).
async fn invited(
    db: &impl ConnectionTrait,
    member: PendingRef,
) -> Result<(InvitationTo, String), AppError> {
    let used = || AppError::Refused(Refusal::InvitationUsed);
    match member {
        PendingRef::Provider(id) => {
            let (row, provider) = provider_users::Entity::find_by_id(id.0)
                .find_also_related(providers::Entity)
                .one(db)
                .await?
                .ok_or_else(used)?;
            let provider = provider.ok_or(AppError::Internal)?;
            if row.status != MemberStatus::Invited.as_str() {
                return Err(used());
            }
            let to = InvitationTo::Provider {
                member: id,
                provider: ProviderId(provider.id),
                name: provider.name,
                user_type: row.r#type,
            };
            Ok((to, row.email))
        }
        PendingRef::Organization(id) => {
            let (row, organization) = organization_users::Entity::find_by_id(id.0)
                .find_also_related(organizations::Entity)
                .one(db)
                .await?
                .ok_or_else(used)?;
            let organization = organization.ok_or(AppError::Internal)?;
            if row.status != MemberStatus::Invited.as_str() {
                return Err(used());
            }
            let to = InvitationTo::Organization {
                member: id,
                organization: OrganizationId(organization.id),
                name: organization.name,
                user_type: row.r#type,
            };
            Ok((to, row.email))
        }
    }
}

/// What a link's page shows, to anyone holding the link.
pub async fn preview(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<InvitationPreview, AppError> {
    let invitation = usable(db, token, now).await?;
    let (to, email) = invited(db, member_of(&invitation)?).await?;
    let has_account = users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .count(db)
        .await?
        > 0;
    Ok(InvitationPreview {
        to,
        email,
        has_account,
    })
}

/// The address a usable link's invitation was sent to, while its member is still invited
/// (registration through the link: the link proves the address).
pub async fn address_of_link(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    let Ok(invitation) = usable(db, token, now).await else {
        return Ok(None);
    };
    Ok(invited(db, member_of(&invitation)?)
        .await
        .ok()
        .map(|(_, email)| email))
}

/// Takes the lock of the place `member` belongs to, before anything of it is read: an
/// answer and an admin's change to the same place (removal, seats, the last-admin rule)
/// then happen one after the other.
async fn lock_place(db: &impl ConnectionTrait, member: PendingRef) -> Result<(), AppError> {
    let locked = match member {
        PendingRef::Provider(id) => crate::db::lock::provider_of_member(db, id).await,
        PendingRef::Organization(id) => crate::db::lock::organization_of_member(db, id).await,
    };
    // The member is gone (declined in another tab, removed by an admin).
    locked.map_err(|_| AppError::Refused(Refusal::InvitationUsed))
}

/// Accepts through a link: the signed-in account must have the invited address. Holding the
/// link proves the mailbox, so the account's address counts as verified from now on.
pub async fn accept_link(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    actor: &Actor,
    token: &str,
) -> Result<Accepted, AppError> {
    let txn = crate::db::begin_write(db).await?;
    let invitation = usable(&txn, token, context.at).await?;
    let member = member_of(&invitation)?;
    lock_place(&txn, member).await?;
    let accepted = accept_member(&txn, context, actor, member).await?;
    crate::db::users::mark_verified(&txn, actor.user_id, context.at).await?;
    txn.commit().await?;
    Ok(accepted)
}

/// Accepts from the Password Manager's list of pending invitations: only from a verified
/// address (anyone may register with any address; the list must not hand them its
/// invitations).
pub async fn accept_pending(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    actor: &Actor,
    member: PendingRef,
) -> Result<Accepted, AppError> {
    if !actor.email_verified {
        return Err(AppError::Refused(Refusal::EmailNotVerified));
    }
    let txn = crate::db::begin_write(db).await?;
    lock_place(&txn, member).await?;
    let accepted = accept_member(&txn, context, actor, member).await?;
    txn.commit().await?;
    Ok(accepted)
}

/// Invited → Accepted for `actor`, guarded in the update itself (status and address), so two
/// tabs accepting at once change the row once; the member's links are used up.
async fn accept_member(
    db: &impl ConnectionTrait,
    context: &EventContext,
    actor: &Actor,
    member: PendingRef,
) -> Result<Accepted, AppError> {
    let (to, email) = invited(db, member).await?;
    if email != actor.email {
        return Err(AppError::Refused(Refusal::InvitationForAnotherEmail));
    }
    let (changed, accepted, event) = match &to {
        InvitationTo::Provider {
            member, provider, ..
        } => {
            let result = provider_users::Entity::update_many()
                .col_expr(
                    provider_users::Column::Status,
                    Expr::value(MemberStatus::Accepted.as_str()),
                )
                .col_expr(provider_users::Column::UserId, Expr::value(actor.user_id.0))
                .filter(provider_users::Column::Id.eq(member.0))
                .filter(provider_users::Column::Status.eq(MemberStatus::Invited.as_str()))
                .exec(db)
                .await?;
            let event = NewEvent::new(EventType::ProviderUserAccepted)
                .provider(*provider)
                .target(EventTarget::ProviderMember(member.0));
            (result.rows_affected, Accepted::Provider(*provider), event)
        }
        InvitationTo::Organization {
            member,
            organization,
            ..
        } => {
            let result = organization_users::Entity::update_many()
                .col_expr(
                    organization_users::Column::Status,
                    Expr::value(MemberStatus::Accepted.as_str()),
                )
                .col_expr(
                    organization_users::Column::UserId,
                    Expr::value(actor.user_id.0),
                )
                .filter(organization_users::Column::Id.eq(member.0))
                .filter(organization_users::Column::Status.eq(MemberStatus::Invited.as_str()))
                .exec(db)
                .await?;
            let event = NewEvent::new(EventType::OrganizationUserAccepted)
                .organization(*organization)
                .target(EventTarget::OrganizationMember(member.0));
            (
                result.rows_affected,
                Accepted::Organization(*organization),
                event,
            )
        }
    };
    if changed == 0 {
        return Err(AppError::Refused(Refusal::InvitationUsed));
    }
    use_up_links(db, member, context.at).await?;
    record(
        db,
        context,
        event,
        Some(crate::events::service::member_details(&email)),
    )
    .await?;
    Ok(accepted)
}

async fn use_up_links(
    db: &impl ConnectionTrait,
    member: PendingRef,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let update = invitations::Entity::update_many()
        .col_expr(invitations::Column::UsedAt, Expr::value(now))
        .filter(invitations::Column::UsedAt.is_null());
    let update = match member {
        PendingRef::Provider(id) => update.filter(invitations::Column::ProviderUserId.eq(id.0)),
        PendingRef::Organization(id) => {
            update.filter(invitations::Column::OrganizationUserId.eq(id.0))
        }
    };
    update.exec(db).await?;
    Ok(())
}

/// Declines: the invited member row goes (with its links); the inviter sees it in the log.
pub async fn decline_pending(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    actor: &Actor,
    member: PendingRef,
) -> Result<(), AppError> {
    if !actor.email_verified {
        return Err(AppError::Refused(Refusal::EmailNotVerified));
    }
    let txn = crate::db::begin_write(db).await?;
    lock_place(&txn, member).await?;
    let (to, email) = invited(&txn, member).await?;
    if email != actor.email {
        return Err(AppError::Refused(Refusal::InvitationForAnotherEmail));
    }
    let (deleted, event) = match to {
        InvitationTo::Provider {
            member, provider, ..
        } => {
            let result = provider_users::Entity::delete_many()
                .filter(provider_users::Column::Id.eq(member.0))
                .filter(provider_users::Column::Status.eq(MemberStatus::Invited.as_str()))
                .exec(&txn)
                .await?;
            let event = NewEvent::new(EventType::ProviderUserDeclined)
                .provider(provider)
                .target(EventTarget::ProviderMember(member.0));
            (result.rows_affected, event)
        }
        InvitationTo::Organization {
            member,
            organization,
            ..
        } => {
            let result = organization_users::Entity::delete_many()
                .filter(organization_users::Column::Id.eq(member.0))
                .filter(organization_users::Column::Status.eq(MemberStatus::Invited.as_str()))
                .exec(&txn)
                .await?;
            let event = NewEvent::new(EventType::OrganizationUserDeclined)
                .organization(organization)
                .target(EventTarget::OrganizationMember(member.0));
            (result.rows_affected, event)
        }
    };
    if deleted == 0 {
        return Err(AppError::Refused(Refusal::InvitationUsed));
    }
    record(
        &txn,
        context,
        event,
        Some(crate::events::service::member_details(&email)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// How many invitations wait for the actor's address: two indexed counts (none until the
/// address is verified).
pub async fn pending_count(db: &impl ConnectionTrait, actor: &Actor) -> Result<u64, AppError> {
    if !actor.email_verified {
        return Ok(0);
    }
    let providers = provider_users::Entity::find()
        .filter(provider_users::Column::Email.eq(actor.email.as_str()))
        .filter(provider_users::Column::Status.eq(MemberStatus::Invited.as_str()))
        .count(db)
        .await?;
    let organizations = organization_users::Entity::find()
        .filter(organization_users::Column::Email.eq(actor.email.as_str()))
        .filter(organization_users::Column::Status.eq(MemberStatus::Invited.as_str()))
        .count(db)
        .await?;
    Ok(providers + organizations)
}

/// The invitations waiting for the actor's address, providers first, each by name. Two
/// queries, however many there are. None until the address is verified: whoever registered
/// with an address they do not own must not see (or take) what was sent to it.
pub async fn pending(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<InvitationTo>, AppError> {
    let mut list = Vec::new();
    if !actor.email_verified {
        return Ok(list);
    }
    let provider_rows = provider_users::Entity::find()
        .find_also_related(providers::Entity)
        .filter(provider_users::Column::Email.eq(actor.email.as_str()))
        .filter(provider_users::Column::Status.eq(MemberStatus::Invited.as_str()))
        .order_by_asc(providers::Column::Name)
        .all(db)
        .await?;
    for (row, provider) in provider_rows {
        let provider = provider.ok_or(AppError::Internal)?;
        list.push(InvitationTo::Provider {
            member: ProviderUserId(row.id),
            provider: ProviderId(provider.id),
            name: provider.name,
            user_type: row.r#type,
        });
    }
    let organization_rows = organization_users::Entity::find()
        .find_also_related(organizations::Entity)
        .filter(organization_users::Column::Email.eq(actor.email.as_str()))
        .filter(organization_users::Column::Status.eq(MemberStatus::Invited.as_str()))
        .order_by_asc(organizations::Column::Name)
        .all(db)
        .await?;
    for (row, organization) in organization_rows {
        let organization = organization.ok_or(AppError::Internal)?;
        list.push(InvitationTo::Organization {
            member: OrganizationUserId(row.id),
            organization: OrganizationId(organization.id),
            name: organization.name,
            user_type: row.r#type,
        });
    }
    Ok(list)
}

/// An invitation's mail, to an organization or a provider, in `locale`.
pub struct InvitationMail<'a> {
    pub to: &'a str,
    pub locale: Locale,
    pub inviter: &'a str,
    /// The organization's or the provider's name.
    pub place: &'a str,
    pub user_type: MemberType,
    pub link: String,
}

pub async fn send_invitation(mailer: &Mailer, mail: InvitationMail<'_>) -> Delivery {
    use crate::i18n::td_string;
    let locale = mail.locale;
    let role = match mail.user_type {
        MemberType::Organization(OrgUserType::Owner) => td_string!(locale, members.owner),
        MemberType::Organization(OrgUserType::Admin) => td_string!(locale, members.admin),
        MemberType::Organization(OrgUserType::User) => td_string!(locale, members.user),
        MemberType::Organization(OrgUserType::Custom) => td_string!(locale, members.custom),
        MemberType::Provider(ProviderUserType::ProviderAdmin) => {
            td_string!(locale, members.provider_admin)
        }
        MemberType::Provider(ProviderUserType::ServiceUser) => {
            td_string!(locale, members.service_user)
        }
    }
    .to_string();
    let (inviter, place) = (mail.inviter.to_owned(), mail.place.to_owned());
    let subject = td_string!(locale, mail.invitation_subject, place = place.clone()).to_string();
    let body = match mail.user_type {
        MemberType::Organization(_) => td_string!(
            locale,
            mail.organization_invitation_body,
            inviter = inviter,
            organization = place,
            role = role
        )
        .to_string(),
        MemberType::Provider(_) => td_string!(
            locale,
            mail.provider_invitation_body,
            inviter = inviter,
            provider = place,
            role = role
        )
        .to_string(),
    };
    let expiry = td_string!(locale, mail.invitation_expiry, days = INVITATION_DAYS).to_string();
    let action = td_string!(locale, mail.invitation_action).to_string();
    mailer
        .send(Mail {
            to: mail.to.to_owned(),
            subject,
            paragraphs: vec![body, expiry],
            link: Some((action, mail.link)),
        })
        .await
}
