//! The provider's members: list, invite, confirm, change type, revoke, restore, remove, leave.
//!
//! Every change locks the provider's row first (`db::lock::provider`), so changes of one
//! provider's members run one after another and each sees the last one's result: that is what
//! keeps "a provider always has a confirmed Provider Admin" (DESIGN.md rule 1) true when two
//! admins demote or remove each other at the same moment.

use sea_orm::sea_query::{Alias, Expr, Func, JoinType, LikeExpr, Order, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use super::types::{
    Invited, MEMBER_PAGE_SIZE, MemberAction, MemberPage, MemberQuery, MemberRow, RowOutcome,
    StatusCounts, StatusFilter,
};
use crate::auth::{Actor, Capability};
use crate::db::{lock, provider_users, providers, users};
use crate::error::{AppError, Field, Problem, Refusal};
use crate::events::service::{EventContext, NewEvent, record};
use crate::events::types::{EventTarget, EventType};
use crate::i18n::Locale;
use crate::ids::{ProviderId, ProviderUserId, UserId};
use crate::invitations::service::{self as invitations, ProviderInvitationMail};
use crate::invitations::types::PendingRef;
use crate::mail::{Delivery, Mailer, locale_or};
use crate::members::service::{account_locale, checked_addresses, like_pattern};
use crate::members::types::MemberStatus;
use crate::providers::types::ProviderUserType;
use crate::validate::Problems;

pub use crate::mail::Outbox;

#[derive(Debug, FromQueryResult)]
struct MemberRecord {
    id: i64,
    email: String,
    name: Option<String>,
    r#type: crate::vocabulary::ProviderUserType,
    status: crate::vocabulary::MemberStatus,
    user_id: Option<i64>,
}

/// The provider's members joined to their accounts, matching the search (address or name).
fn members_of(provider: ProviderId, search: &str) -> SelectStatement {
    let (pu, u) = (Alias::new("pu"), Alias::new("u"));
    let mut statement = Query::select();
    statement
        .from_as(provider_users::Entity, pu.clone())
        .join_as(
            JoinType::LeftJoin,
            users::Entity,
            u.clone(),
            Expr::col((u.clone(), users::Column::Id))
                .equals((pu.clone(), provider_users::Column::UserId)),
        )
        .and_where(Expr::col((pu.clone(), provider_users::Column::ProviderId)).eq(provider.0));
    if !search.is_empty() {
        let pattern = like_pattern(search);
        statement.and_where(
            Expr::col((pu, provider_users::Column::Email))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
                .or(Expr::col((u.clone(), users::Column::Email))
                    .like(LikeExpr::new(pattern.clone()).escape('\\')))
                .or(Expr::expr(Func::lower(Expr::col((u, users::Column::Name))))
                    .like(LikeExpr::new(pattern).escape('\\'))),
        );
    }
    statement.to_owned()
}

/// One page of members, the count per status, and the provider's name: three queries.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: UserId,
    provider: ProviderId,
    query: &MemberQuery,
) -> Result<MemberPage, AppError> {
    let query = query.normalized();
    let backend = db.get_database_backend();
    let (pu, u) = (Alias::new("pu"), Alias::new("u"));
    let status_col = Expr::col((pu.clone(), provider_users::Column::Status));

    let mut counts_statement = members_of(provider, &query.search);
    counts_statement
        .column((pu.clone(), provider_users::Column::Status))
        .expr(Expr::cust("COUNT(*)"))
        .group_by_col((pu.clone(), provider_users::Column::Status));
    let mut counts = StatusCounts::default();
    for row in db.query_all(backend.build(&counts_statement)).await? {
        let status: String = row.try_get_by_index(0)?;
        let count: i64 = row.try_get_by_index(1)?;
        let count = u64::try_from(count).unwrap_or(0);
        match MemberStatus::parse(&status) {
            Some(MemberStatus::Invited) => counts.invited = count,
            Some(MemberStatus::Accepted) => counts.accepted = count,
            Some(MemberStatus::Confirmed) => counts.confirmed = count,
            Some(MemberStatus::Revoked) => counts.revoked = count,
            None => {}
        }
    }
    let total = counts.of(query.status);
    let pages = total.div_ceil(u64::from(MEMBER_PAGE_SIZE)).max(1);
    let page = u64::from(query.page).min(pages);

    let mut page_statement = members_of(provider, &query.search);
    page_statement
        .column((pu.clone(), provider_users::Column::Id))
        // The account's own address once there is one: it changes only when verified, while
        // the member row keeps the address the invitation went to.
        .expr_as(
            Func::coalesce([
                Expr::col((u.clone(), users::Column::Email)).into(),
                Expr::col((pu.clone(), provider_users::Column::Email)).into(),
            ]),
            Alias::new("email"),
        )
        .column((u, users::Column::Name))
        .column((pu.clone(), provider_users::Column::Type))
        .column((pu.clone(), provider_users::Column::Status))
        .column((pu.clone(), provider_users::Column::UserId))
        .order_by((pu.clone(), provider_users::Column::Email), Order::Asc)
        .order_by((pu, provider_users::Column::Id), Order::Asc)
        .limit(u64::from(MEMBER_PAGE_SIZE))
        .offset((page - 1) * u64::from(MEMBER_PAGE_SIZE));
    if let StatusFilter::Only(status) = query.status {
        page_statement.and_where(status_col.eq(status.as_str()));
    }
    let records = MemberRecord::find_by_statement(backend.build(&page_statement))
        .all(db)
        .await?;
    let rows = records
        .into_iter()
        .map(|r| {
            Ok(MemberRow {
                id: ProviderUserId(r.id),
                email: r.email,
                name: r.name,
                user_type: r.r#type,
                status: r.status,
                is_self: r.user_id == Some(viewer.0),
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(MemberPage {
        provider_name: crate::providers::service::row(db, provider).await?.name,
        rows,
        total,
        page: u32::try_from(page).unwrap_or(1),
        counts,
    })
}

/// The named members of the provider (a dialog's selection); ids of other providers'
/// members are left out.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    viewer: UserId,
    provider: ProviderId,
    ids: &[ProviderUserId],
) -> Result<Vec<MemberRow>, AppError> {
    let rows = provider_users::Entity::find()
        .find_also_related(users::Entity)
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::Id.is_in(ids.iter().map(|id| id.0)))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(row, user)| {
            Ok(MemberRow {
                id: ProviderUserId(row.id),
                email: row.email,
                name: user.map(|u| u.name),
                user_type: row.r#type,
                status: row.status,
                is_self: row.user_id == Some(viewer.0),
            })
        })
        .collect()
}

/// Invites every address in `emails` as `user_type`, or none: any bad address (malformed,
/// twice in the list, already a member) refuses the whole form with a problem per address.
/// Mails go out after the commit; the answer carries the link of each invitation no mail
/// carried.
pub async fn invite(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    outbox: &Outbox<'_>,
    actor: &Actor,
    provider: ProviderId,
    emails: &str,
    user_type: &str,
) -> Result<Vec<Invited>, AppError> {
    let mut problems = Problems::default();
    let user_type = problems.check(
        Field::MemberType,
        ProviderUserType::parse(user_type).ok_or(Problem::Unsupported),
    );
    let addresses = checked_addresses(emails, &mut problems);

    let txn = db.begin().await?;
    crate::auth::recheck::provider_for(&txn, actor, Capability::ManageProviderMembers, provider)
        .await?;
    let emails: Vec<&str> = addresses.iter().map(|(_, e)| e.as_str()).collect();
    let existing: Vec<String> = provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::Email.is_in(emails))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| m.email)
        .collect();
    for (index, email) in &addresses {
        if existing.contains(email) {
            problems.add(Field::EmailAt(*index), Problem::AlreadyMember);
        }
    }
    problems.finish()?;
    let Some(user_type) = user_type else {
        return Err(AppError::Internal);
    };
    let provider_model = crate::providers::service::row(&txn, provider).await?;
    let mut invited = Vec::with_capacity(addresses.len());
    for (_, email) in addresses {
        let member = provider_users::ActiveModel {
            provider_id: Set(provider.0),
            user_id: Set(None),
            email: Set(email.clone()),
            r#type: Set(user_type),
            status: Set(MemberStatus::Invited),
            created_at: Set(context.at),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let token = invitations::issue(
            &txn,
            PendingRef::Provider(ProviderUserId(member.id)),
            context.at,
        )
        .await?;
        record(
            &txn,
            context,
            NewEvent::new(EventType::ProviderUserInvited)
                .provider(provider)
                .target(EventTarget::ProviderMember(member.id)),
            Some(crate::events::service::member_details(&email)),
        )
        .await?;
        let locale = account_locale(&txn, &email).await?;
        invited.push((email, token, locale));
    }
    txn.commit().await?;

    // Mailed side by side: an SMTP server that hangs costs the request its timeout once,
    // not once per address.
    let provider_name = &provider_model.name;
    let sends = invited
        .into_iter()
        .map(|(email, token, locale)| async move {
            let link = invitations::link(outbox.base_url, &token);
            let delivery = invitations::send_provider_invitation(
                outbox.mailer,
                ProviderInvitationMail {
                    to: &email,
                    locale: locale_or(locale.as_deref(), outbox.locale),
                    inviter: &actor.name,
                    provider: provider_name,
                    user_type,
                    link: link.clone(),
                },
            )
            .await;
            Invited {
                email,
                link: (delivery != Delivery::Sent).then_some(link),
            }
        });
    Ok(crate::mail::side_by_side(sends).await)
}

/// The member, when it belongs to `provider`; `NotFound` otherwise (another provider's
/// members are not revealed).
async fn member_in(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    member: ProviderUserId,
) -> Result<provider_users::Model, AppError> {
    provider_users::Entity::find_by_id(member.0)
        .one(db)
        .await?
        .filter(|m| m.provider_id == provider.0)
        .ok_or(AppError::NotFound)
}

fn is_confirmed_admin(member: &provider_users::Model) -> bool {
    member.status == MemberStatus::Confirmed.as_str()
        && member.r#type == ProviderUserType::ProviderAdmin.as_str()
}

/// Rule 1: refuses when `member` is the provider's only confirmed Provider Admin. Callers
/// hold the provider's lock, so the count cannot change before they commit.
async fn keep_an_admin(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    member: &provider_users::Model,
) -> Result<(), AppError> {
    if !is_confirmed_admin(member) {
        return Ok(());
    }
    let others = provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::Id.ne(member.id))
        .filter(provider_users::Column::Status.eq(MemberStatus::Confirmed.as_str()))
        .filter(provider_users::Column::Type.eq(ProviderUserType::ProviderAdmin.as_str()))
        .count(db)
        .await?;
    if others == 0 {
        return Err(AppError::Refused(Refusal::LastProviderAdmin));
    }
    Ok(())
}

/// Applies `action` to each member, each in its own transaction: one refusal does not undo
/// the others, and the answer says per row what happened.
pub async fn apply(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    outbox: &Outbox<'_>,
    actor: &Actor,
    provider: ProviderId,
    action: MemberAction,
    members: &[ProviderUserId],
) -> Result<Vec<RowOutcome>, AppError> {
    if members.is_empty() || members.len() > usize::try_from(MEMBER_PAGE_SIZE).unwrap_or(50) {
        return Err(AppError::field(Field::Emails, Problem::TooMany(50)));
    }
    let mut outcomes = Vec::with_capacity(members.len());
    for &member in members {
        let outcome = apply_one(db, context, outbox, actor, provider, action, member).await;
        let (email, result, link) = match outcome {
            Ok((email, link)) => (email, Ok(()), link),
            Err((email, error)) => (email, Err(error), None),
        };
        outcomes.push(RowOutcome {
            member,
            email,
            result,
            link,
        });
    }
    Ok(outcomes)
}

type Applied = Result<(String, Option<String>), (String, AppError)>;

async fn apply_one(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    outbox: &Outbox<'_>,
    actor: &Actor,
    provider: ProviderId,
    action: MemberAction,
    member: ProviderUserId,
) -> Applied {
    let mut email = String::new();
    let result: Result<Option<String>, AppError> = async {
        let txn = db.begin().await?;
        crate::auth::recheck::provider_for(
            &txn,
            actor,
            Capability::ManageProviderMembers,
            provider,
        )
        .await?;
        let row = member_in(&txn, provider, member).await?;
        email.clone_from(&row.email);
        if row.user_id == Some(actor.user_id.0) {
            return Err(AppError::Refused(Refusal::NotOnYourself));
        }
        let status = row.status;
        if !action.applies_to(status) {
            return Err(AppError::Refused(match action {
                MemberAction::Confirm if status != MemberStatus::Confirmed => Refusal::NotAccepted,
                _ => Refusal::StatusChanged,
            }));
        }
        let target = EventTarget::ProviderMember(row.id);
        let mut token = None;
        let event = match action {
            MemberAction::Confirm => {
                set_status(&txn, &row, MemberStatus::Confirmed).await?;
                EventType::ProviderUserConfirmed
            }
            MemberAction::Revoke => {
                keep_an_admin(&txn, provider, &row).await?;
                set_status(&txn, &row, MemberStatus::Revoked).await?;
                EventType::ProviderUserRevoked
            }
            MemberAction::Restore => {
                // Back where the member was: invited until they accept; restoring someone
                // who had accepted is an admin's decision, as confirming is.
                let back = if row.user_id.is_some() {
                    MemberStatus::Confirmed
                } else {
                    MemberStatus::Invited
                };
                set_status(&txn, &row, back).await?;
                EventType::ProviderUserRestored
            }
            MemberAction::Remove => {
                keep_an_admin(&txn, provider, &row).await?;
                provider_users::Entity::delete_by_id(row.id)
                    .exec(&txn)
                    .await?;
                EventType::ProviderUserRemoved
            }
            MemberAction::Reinvite => {
                token =
                    Some(invitations::issue(&txn, PendingRef::Provider(member), context.at).await?);
                EventType::ProviderUserInvited
            }
        };
        record(
            &txn,
            context,
            NewEvent::new(event).provider(provider).target(target),
            Some(crate::events::service::member_details(&row.email)),
        )
        .await?;
        let provider_model = crate::providers::service::row(&txn, provider).await?;
        let locale = account_locale(&txn, &row.email).await?;
        txn.commit().await?;
        let locale = locale_or(locale.as_deref(), outbox.locale);
        let notice = match action {
            MemberAction::Confirm => Some(Notice::Confirmed),
            // Someone only invited never had access: a removal notice would puzzle them (the
            // invitation's link simply stops working).
            MemberAction::Remove if row.user_id.is_some() => Some(Notice::Removed),
            _ => None,
        };
        if let Some(notice) = notice {
            let link = format!(
                "{}{}",
                outbox.base_url.trim_end_matches('/'),
                crate::routes::provider_clients(provider)
            );
            send_notice(
                outbox.mailer,
                notice,
                &row.email,
                locale,
                &actor.name,
                &provider_model.name,
                link,
            )
            .await;
        }
        let Some(token) = token else {
            return Ok(None);
        };
        let link = invitations::link(outbox.base_url, &token);
        let user_type = row.r#type;
        let delivery = invitations::send_provider_invitation(
            outbox.mailer,
            ProviderInvitationMail {
                to: &row.email,
                locale,
                inviter: &actor.name,
                provider: &provider_model.name,
                user_type,
                link: link.clone(),
            },
        )
        .await;
        Ok((delivery != Delivery::Sent).then_some(link))
    }
    .await;
    match result {
        Ok(link) => Ok((email, link)),
        Err(error) => Err((email, error)),
    }
}

#[derive(Clone, Copy)]
enum Notice {
    Confirmed,
    Removed,
}

/// Tells a member they were confirmed (with a link to the provider) or removed. Best effort:
/// the change is committed; a mail that cannot go out is logged by the mailer.
async fn send_notice(
    mailer: &Mailer,
    notice: Notice,
    to: &str,
    locale: Locale,
    actor: &str,
    provider: &str,
    link: String,
) {
    use crate::i18n::td_string;
    let (actor, provider) = (actor.to_owned(), provider.to_owned());
    let mail = match notice {
        Notice::Confirmed => crate::mail::Mail {
            to: to.to_owned(),
            subject: td_string!(locale, mail.confirmed_subject, place = provider.clone())
                .to_string(),
            paragraphs: vec![
                td_string!(
                    locale,
                    mail.confirmed_body,
                    inviter = actor,
                    provider = provider
                )
                .to_string(),
            ],
            link: Some((td_string!(locale, mail.open_action).to_string(), link)),
        },
        Notice::Removed => crate::mail::Mail {
            to: to.to_owned(),
            subject: td_string!(locale, mail.removed_subject, place = provider.clone()).to_string(),
            paragraphs: vec![
                td_string!(
                    locale,
                    mail.removed_body,
                    inviter = actor,
                    provider = provider
                )
                .to_string(),
            ],
            link: None,
        },
    };
    mailer.send(mail).await;
}

async fn set_status(
    db: &impl ConnectionTrait,
    row: &provider_users::Model,
    status: MemberStatus,
) -> Result<(), AppError> {
    let mut active = row.clone().into_active_model();
    active.status = Set(status);
    active.update(db).await?;
    Ok(())
}

/// Provider Admin ⇄ Service User. Demoting the last confirmed Provider Admin is refused.
pub async fn change_type(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    actor: &Actor,
    provider: ProviderId,
    member: ProviderUserId,
    user_type: &str,
) -> Result<(), AppError> {
    let user_type = ProviderUserType::parse(user_type)
        .ok_or_else(|| AppError::field(Field::MemberType, Problem::Unsupported))?;
    let txn = db.begin().await?;
    crate::auth::recheck::provider_for(&txn, actor, Capability::ManageProviderMembers, provider)
        .await?;
    let row = member_in(&txn, provider, member).await?;
    if row.user_id == Some(actor.user_id.0) {
        return Err(AppError::Refused(Refusal::NotOnYourself));
    }
    if row.r#type == user_type.as_str() {
        return Ok(());
    }
    if user_type == ProviderUserType::ServiceUser {
        keep_an_admin(&txn, provider, &row).await?;
    }
    let mut active = row.clone().into_active_model();
    active.r#type = Set(user_type);
    active.update(&txn).await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::ProviderUserUpdated)
            .provider(provider)
            .target(EventTarget::ProviderMember(row.id)),
        Some(crate::events::service::member_details(&row.email)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The actor leaves the provider (from their account area). The last confirmed Provider
/// Admin cannot leave.
pub async fn leave(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    actor: &Actor,
    provider: ProviderId,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    lock::provider(&txn, provider).await?;
    let row = provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::UserId.eq(actor.user_id.0))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    keep_an_admin(&txn, provider, &row).await?;
    provider_users::Entity::delete_by_id(row.id)
        .exec(&txn)
        .await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::ProviderUserLeft)
            .provider(provider)
            .target(EventTarget::ProviderMember(row.id)),
        Some(crate::events::service::member_details(&row.email)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The providers the actor belongs to in any status but invited, for the account area.
pub async fn memberships(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<super::types::Membership>, AppError> {
    let rows = provider_users::Entity::find()
        .find_also_related(providers::Entity)
        .filter(provider_users::Column::UserId.eq(actor.user_id.0))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(row, provider)| {
            let provider = provider.ok_or(AppError::Internal)?;
            Ok(super::types::Membership {
                provider: ProviderId(provider.id),
                name: provider.name,
                user_type: row.r#type,
                status: row.status,
            })
        })
        .collect()
}
