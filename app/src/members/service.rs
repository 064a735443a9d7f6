//! The members of an organization or a provider: list, invite, confirm, change type (and a
//! Custom member's flags), revoke, restore, remove. One lifecycle for both places; what
//! differs is data ([`Place`], [`MemberType`]) and the few table operations at the bottom of
//! this file.
//!
//! Every change takes the place's lock first (`auth::recheck`), so changes to one place's
//! members run one after another and each sees the last one's result: that keeps "assigned ≥
//! used" (DESIGN.md rule 2) when two admins invite for an organization's last seat at once, and
//! "a provider keeps a confirmed Provider Admin, an organization outside providers a confirmed
//! Owner" (rule 1) when two admins demote each other. Who may touch whom in an organization is
//! the guard's `outranks`: nobody gives or takes away rights they do not hold (a provider's
//! members are managed by its Provider Admins, who hold every right there).

use sea_orm::sea_query::{
    Alias, Expr, Func, IntoIden, JoinType, LikeExpr, Order, Query, SelectStatement, SimpleExpr,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, Set, TransactionTrait,
};

use super::types::{
    Invitation, Invited, MEMBER_PAGE_SIZE, MemberAction, MemberKey, MemberPage, MemberQuery,
    MemberRights, MemberRow, MemberStatus, MemberType, OrgUserType, Permissions,
    ProviderMembership, RowOutcome, SeatFigures, StatusCounts, StatusFilter,
};
use crate::auth::gate::{Manager, MemberScope};
use crate::auth::{Actor, Capability, Role, Scope, require_outranks};
use crate::db::organization_users::used_seats;
use crate::db::{lock, organization_users, organizations, provider_organizations, provider_users};
use crate::db::{providers, users};
use crate::error::{AppError, Field, Problem, Refusal};
use crate::events::service::{EventContext, NewEvent, member_details, record};
use crate::events::types::{EventTarget, EventType};
use crate::i18n::Locale;
use crate::ids::{MemberId, OrganizationUserId, ProviderId, ProviderUserId, UserId};
use crate::invitations::service::{self as invitations, InvitationMail, send_invitation};
use crate::invitations::types::PendingRef;
use crate::mail::{Delivery, Mailer, Outbox, locale_or};

/// One page of members, the count per status, the place's name and figures: at most five
/// queries, whatever the page size.
pub async fn list(
    db: &impl ConnectionTrait,
    manager: &Manager,
    query: &MemberQuery,
) -> Result<MemberPage, AppError> {
    let scope = manager.scope;
    let query = query.normalized();
    let backend = db.get_database_backend();

    let mut counts_statement = members_of(scope, &query.search);
    counts_statement
        .column((m(), col("status")))
        .expr(Expr::cust("COUNT(*)"))
        .group_by_col((m(), col("status")));
    let mut counts = StatusCounts::default();
    for result in db.query_all(backend.build(&counts_statement)).await? {
        let status: MemberStatus = result.try_get_by_index(0)?;
        let count: i64 = result.try_get_by_index(1)?;
        counts.set(status, u64::try_from(count).unwrap_or(0));
    }
    let total = counts.of(query.status);
    let pages = total.div_ceil(u64::from(MEMBER_PAGE_SIZE)).max(1);
    let page = u64::from(query.page).min(pages);

    let mut page_statement = members_of(scope, &query.search);
    select_row_columns(scope, &mut page_statement);
    page_statement
        .order_by((m(), col("email")), Order::Asc)
        .order_by((m(), col("id")), Order::Asc)
        .limit(u64::from(MEMBER_PAGE_SIZE))
        .offset((page - 1) * u64::from(MEMBER_PAGE_SIZE));
    if let StatusFilter::Only(status) = query.status {
        page_statement.and_where(Expr::col((m(), col("status"))).eq(status.as_str()));
    }
    let viewer = manager.actor.user_id;
    let rows = MemberRecord::find_by_statement(backend.build(&page_statement))
        .all(db)
        .await?
        .into_iter()
        .map(|record| record.row(viewer))
        .collect();

    let (place_name, seats, two_step_required, rights) = match scope {
        MemberScope::Organization(org) => {
            let model = organizations::Entity::find_by_id(org.organization_id.0)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            // Revoked members free their seat (DESIGN.md §2): Used is every other status, of
            // the whole organization whatever the search.
            let used = if query.search.is_empty() {
                i64::try_from(counts.invited + counts.accepted + counts.confirmed)
                    .map_err(|_| AppError::Internal)?
            } else {
                used_seats(db, org.organization_id).await?
            };
            let policies = crate::policies::service::load(db, org.organization_id).await?;
            let seats = SeatFigures {
                assigned: i64::from(model.seats),
                used,
            };
            let rights = rights(&manager.actor, scope, policies.account_recovery);
            (model.name, Some(seats), policies.two_step_login, rights)
        }
        MemberScope::Provider(provider) => {
            let name = crate::providers::service::row(db, provider).await?.name;
            (name, None, false, rights(&manager.actor, scope, false))
        }
    };
    Ok(MemberPage {
        place: scope.place(),
        place_name,
        rows,
        total,
        page: u32::try_from(page).unwrap_or(1),
        counts,
        seats,
        two_step_required,
        rights,
    })
}

/// What the manager may grant and do beyond managing ordinary members, as the guard decides it.
/// `recovery_on`: the organization's account-recovery policy.
pub fn rights(actor: &Actor, scope: MemberScope, recovery_on: bool) -> MemberRights {
    match scope {
        MemberScope::Organization(org) => {
            let grantable = Permissions::ALL
                .into_iter()
                .filter(|&flag| actor.outranks(Role::Custom(flag), org))
                .fold(Permissions::empty(), Permissions::union);
            let offered = MemberType::of_place(scope.place())
                .iter()
                .copied()
                .filter(|t| match t {
                    MemberType::Organization(OrgUserType::Custom) => !grantable.is_empty(),
                    MemberType::Organization(t) => {
                        actor.outranks(Role::of_member(*t, Permissions::empty()), org)
                    }
                    MemberType::Provider(_) => false,
                })
                .collect();
            let can = |capability| actor.can(capability, Scope::Organization(org));
            MemberRights {
                offered,
                grantable,
                manage_seats: can(Capability::ManageSeats),
                recover: recovery_on && can(Capability::ManageAccountRecovery),
            }
        }
        MemberScope::Provider(_) => MemberRights {
            offered: MemberType::of_place(scope.place()).to_vec(),
            ..MemberRights::default()
        },
    }
}

/// The named members of the place (a dialog's selection); other places' members are left out.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    manager: &Manager,
    ids: &[MemberId],
) -> Result<Vec<MemberRow>, AppError> {
    let mut statement = members_of(manager.scope, "");
    select_row_columns(manager.scope, &mut statement);
    statement
        .and_where(Expr::col((m(), col("id"))).is_in(ids.iter().map(|id| id.0)))
        .order_by((m(), col("email")), Order::Asc);
    let backend = db.get_database_backend();
    Ok(MemberRecord::find_by_statement(backend.build(&statement))
        .all(db)
        .await?
        .into_iter()
        .map(|record| record.row(manager.actor.user_id))
        .collect())
}

/// Invites every address of `invitation` as its type, or none: any problem of the form (found
/// when it was read, [`Invitation::read`]), an address already a member, or more addresses
/// than seats left refuses the whole form, with every problem next to what caused it. Mails go
/// out after the commit; the answer carries the link of each invitation no mail carried.
pub async fn invite(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    outbox: &Outbox<'_>,
    manager: &Manager,
    invitation: &Invitation,
) -> Result<Vec<Invited>, AppError> {
    let scope = manager.scope;
    if let Some((user_type, permissions)) = invitation.role {
        may_touch(&manager.actor, scope, user_type, permissions)?;
    }
    let mut problems = invitation.problems.clone();

    let txn = crate::db::begin_write(db).await?;
    let actor = &recheck(&txn, manager).await?;
    if let Some((user_type, permissions)) = invitation.role {
        may_touch(actor, scope, user_type, permissions)?;
    }
    let emails: Vec<&str> = invitation
        .addresses
        .iter()
        .map(|(_, e)| e.as_str())
        .collect();
    let existing = emails_taken(&txn, scope, &emails).await?;
    for (index, email) in &invitation.addresses {
        if existing.contains(email) {
            problems.add(Field::EmailAt(*index), Problem::AlreadyMember);
        }
    }
    // Rule 2, read under the lock: two invitations for the last seat cannot both pass.
    if let MemberScope::Organization(org) = scope {
        let left = (assigned_seats(&txn, org.organization_id).await?
            - used_seats(&txn, org.organization_id).await?)
            .max(0);
        if i64::try_from(invitation.typed).unwrap_or(i64::MAX) > left {
            problems.add(Field::Emails, Problem::SeatsLeft(left));
        }
    }
    problems.finish()?;
    let Some((user_type, permissions)) = invitation.role else {
        return Err(AppError::Internal);
    };
    let place_name = place_name(&txn, scope).await?;
    let mut invited = Vec::with_capacity(invitation.addresses.len());
    for (_, email) in &invitation.addresses {
        let member = insert(&txn, scope, email, user_type, permissions, context).await?;
        let token = invitations::issue(&txn, pending_ref(scope, member), context.at).await?;
        record(
            &txn,
            context,
            event(Change::Invited, scope, member),
            Some(member_details(email)),
        )
        .await?;
        let locale = account_locale(&txn, email).await?;
        invited.push((email.clone(), token, locale));
    }
    txn.commit().await?;

    // Mailed side by side: an SMTP server that hangs costs the request its timeout once,
    // not once per address.
    let sends = invited.into_iter().map(|(email, token, locale)| {
        let place_name = &place_name;
        async move {
            let link = invitations::link(outbox.base_url, &token);
            let mail = InvitationMail {
                to: &email,
                locale: locale_or(locale.as_deref(), outbox.locale),
                inviter: &actor.name,
                place: place_name,
                user_type,
                link: link.clone(),
            };
            let delivery = send_invitation(outbox.mailer, mail).await;
            Invited {
                email,
                link: (delivery != Delivery::Sent).then_some(link),
            }
        }
    });
    Ok(crate::mail::side_by_side(sends).await)
}

/// Applies `action` to each member, each in its own transaction: one refusal does not undo
/// the others, and the answer says per row what happened.
pub async fn apply(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    outbox: &Outbox<'_>,
    manager: &Manager,
    action: MemberAction,
    members: &[MemberId],
) -> Result<Vec<RowOutcome>, AppError> {
    // Confirming hands the member the place's key, which only a browser can make: through
    // [`confirm`], never here.
    if action == MemberAction::Confirm {
        return Err(AppError::Refused(Refusal::MemberKeyRequired));
    }
    let rows: Vec<(MemberId, Option<&MemberKey>)> = members.iter().map(|&m| (m, None)).collect();
    apply_rows(db, context, outbox, manager, action, &rows).await
}

/// Confirms each member with their copy of the place's key (made in the admin's browser,
/// wrapped to the member's public key), each in its own transaction as [`apply`] does: a row
/// whose member's public key is no longer the one the key was made for is refused, so a key
/// meant for someone else is never stored.
pub async fn confirm(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    outbox: &Outbox<'_>,
    manager: &Manager,
    keys: &[MemberKey],
) -> Result<Vec<RowOutcome>, AppError> {
    let rows: Vec<(MemberId, Option<&MemberKey>)> =
        keys.iter().map(|key| (key.member, Some(key))).collect();
    apply_rows(db, context, outbox, manager, MemberAction::Confirm, &rows).await
}

async fn apply_rows(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    outbox: &Outbox<'_>,
    manager: &Manager,
    action: MemberAction,
    rows: &[(MemberId, Option<&MemberKey>)],
) -> Result<Vec<RowOutcome>, AppError> {
    if rows.is_empty() || rows.len() > usize::try_from(MEMBER_PAGE_SIZE).unwrap_or(50) {
        return Err(AppError::field(Field::Emails, Problem::TooMany(50)));
    }
    let mut outcomes = Vec::with_capacity(rows.len());
    let mut outgoing = Vec::new();
    for &(member, key) in rows {
        let mut email = String::new();
        let one = One { action, key };
        let result = apply_one(db, context, outbox, manager, one, member, &mut email).await;
        let result = result.map(|mail| {
            if let Some(mail) = mail {
                outgoing.push((outcomes.len(), mail));
            }
        });
        outcomes.push(RowOutcome {
            member,
            email,
            result,
            link: None,
        });
    }
    // Rows are written one after another (each locks and checks again), but their mail goes
    // out side by side once all are written: one after another, a bulk action of 50 waited
    // for 50 deliveries. All are sent before the answer, so a row still reports an
    // invitation that could not be mailed (with its link to pass on by hand).
    use futures_util::StreamExt as _;
    let sent: Vec<(usize, Option<String>)> = futures_util::stream::iter(outgoing)
        .map(|(row, mail)| async move { (row, mail.send(outbox.mailer).await) })
        .buffer_unordered(MAILS_AT_ONCE)
        .collect()
        .await;
    for (row, link) in sent {
        outcomes[row].link = link;
    }
    Ok(outcomes)
}

/// How many of a bulk action's mails are delivered at once (the SMTP transport's pool opens a
/// connection for each, up to its own limit).
const MAILS_AT_ONCE: usize = 8;

/// The mail a written row sends its member: a notice of the change, and for Reinvite the new
/// invitation. Owned, so it can wait until every row is written.
struct Outgoing {
    to: String,
    locale: Locale,
    actor: String,
    place: String,
    notice: Option<(Notice, String)>,
    invitation: Option<(MemberType, String)>,
}

impl Outgoing {
    /// Sends it; `Some(link)` when an invitation could not be mailed (mail off or failed).
    async fn send(self, mailer: &Mailer) -> Option<String> {
        let to = (self.to.as_str(), self.locale);
        if let Some((notice, link)) = self.notice {
            send_notice(mailer, notice, to, &self.actor, &self.place, link).await;
        }
        let (user_type, link) = self.invitation?;
        let mail = InvitationMail {
            to: &self.to,
            locale: self.locale,
            inviter: &self.actor,
            place: &self.place,
            user_type,
            link: link.clone(),
        };
        (send_invitation(mailer, mail).await != Delivery::Sent).then_some(link)
    }
}

/// One row's action, and for Confirm the member's copy of the key.
#[derive(Clone, Copy)]
struct One<'a> {
    action: MemberAction,
    key: Option<&'a MemberKey>,
}

async fn apply_one(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    outbox: &Outbox<'_>,
    manager: &Manager,
    One { action, key }: One<'_>,
    id: MemberId,
    email: &mut String,
) -> Result<Option<Outgoing>, AppError> {
    let scope = manager.scope;
    let txn = crate::db::begin_write(db).await?;
    let actor = &recheck(&txn, manager).await?;
    let member = member_in(&txn, scope, id).await?;
    email.clone_from(&member.email);
    if member.user_id == Some(actor.user_id.0) {
        return Err(AppError::Refused(Refusal::NotOnYourself));
    }
    may_touch(actor, scope, member.user_type, member.permissions)?;
    let status = member.status;
    if !action.applies_to(status) {
        return Err(AppError::Refused(match action {
            MemberAction::Confirm if status != MemberStatus::Confirmed => Refusal::NotAccepted,
            _ => Refusal::StatusChanged,
        }));
    }
    let mut token = None;
    let change = match action {
        MemberAction::Confirm => {
            let key = key.ok_or(AppError::Refused(Refusal::MemberKeyRequired))?;
            // The key was made for the public key the admin's browser fetched (and whose
            // fingerprint it showed): still this member's, or nothing is stored.
            let current = super::keys::public_key_of(&txn, member.user_id).await?;
            match current {
                None => return Err(AppError::Refused(Refusal::MemberKeysMissing)),
                Some(current) if current != key.public_key => {
                    return Err(AppError::Refused(Refusal::MemberKeyChanged));
                }
                Some(_) => {}
            }
            set_status(&txn, scope, id, MemberStatus::Confirmed, Some(&key.key)).await?;
            Change::Confirmed
        }
        MemberAction::Revoke => {
            keep_one_in_charge(&txn, scope, &member).await?;
            set_status(&txn, scope, id, MemberStatus::Revoked, None).await?;
            Change::Revoked
        }
        MemberAction::Restore => {
            // A restored organization member takes a seat again (rule 2).
            if let MemberScope::Organization(org) = scope {
                let assigned = assigned_seats(&txn, org.organization_id).await?;
                if used_seats(&txn, org.organization_id).await? >= assigned {
                    return Err(AppError::Refused(Refusal::NoSeatsLeft));
                }
            }
            // Back where the member was: invited until they accept; someone confirmed before
            // (who holds the place's key) comes back confirmed, restoring being the admin's
            // decision as confirming is; someone revoked before a Confirm gave them the key
            // comes back accepted, to be confirmed (a confirmed member always holds the key).
            let back = match (member.user_id, member.has_key) {
                (None, _) => MemberStatus::Invited,
                (Some(_), true) => MemberStatus::Confirmed,
                (Some(_), false) => MemberStatus::Accepted,
            };
            set_status(&txn, scope, id, back, None).await?;
            Change::Restored
        }
        MemberAction::Remove => {
            keep_one_in_charge(&txn, scope, &member).await?;
            delete(&txn, scope, id).await?;
            Change::Removed
        }
        MemberAction::Reinvite => {
            token = Some(invitations::issue(&txn, pending_ref(scope, id), context.at).await?);
            Change::Invited
        }
    };
    record(
        &txn,
        context,
        event(change, scope, id),
        Some(member_details(&member.email)),
    )
    .await?;
    let place_name = place_name(&txn, scope).await?;
    let locale = account_locale(&txn, &member.email).await?;
    txn.commit().await?;

    let notice = notice(scope, action, &member).map(|notice| {
        let base = outbox.base_url.trim_end_matches('/');
        (notice, format!("{base}{}", notice_link(scope)))
    });
    let invitation =
        token.map(|token| (member.user_type, invitations::link(outbox.base_url, &token)));
    if notice.is_none() && invitation.is_none() {
        return Ok(None);
    }
    Ok(Some(Outgoing {
        locale: locale_or(locale.as_deref(), outbox.locale),
        to: member.email,
        actor: actor.name.clone(),
        place: place_name,
        notice,
        invitation,
    }))
}

/// A member's new type (and a Custom member's flags). In an organization the manager must
/// outrank both the member's present role and the new one; taking the last confirmed Owner
/// (outside providers) or Provider Admin out of that type is refused.
pub async fn change_type(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    manager: &Manager,
    id: MemberId,
    user_type: MemberType,
    permissions: Permissions,
) -> Result<(), AppError> {
    let scope = manager.scope;
    if !user_type.belongs_to(scope.place()) {
        return Err(AppError::field(Field::MemberType, Problem::Unsupported));
    }
    let txn = crate::db::begin_write(db).await?;
    let actor = &recheck(&txn, manager).await?;
    let member = member_in(&txn, scope, id).await?;
    if member.user_id == Some(actor.user_id.0) {
        return Err(AppError::Refused(Refusal::NotOnYourself));
    }
    may_touch(actor, scope, member.user_type, member.permissions)?;
    may_touch(actor, scope, user_type, permissions)?;
    if member.user_type == user_type && member.permissions == permissions {
        return Ok(());
    }
    if user_type != MemberType::last_to_keep(scope.place()) {
        keep_one_in_charge(&txn, scope, &member).await?;
    }
    set_type(&txn, scope, id, user_type, permissions).await?;
    record(
        &txn,
        context,
        event(Change::Updated, scope, id),
        Some(member_details(&member.email)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The actor leaves a provider (from their account area). The last confirmed Provider Admin
/// cannot leave.
pub async fn leave_provider(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    actor: &Actor,
    provider: ProviderId,
) -> Result<(), AppError> {
    let txn = crate::db::begin_write(db).await?;
    lock::provider(&txn, provider).await?;
    let row = provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::UserId.eq(actor.user_id.0))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = MemberScope::Provider(provider);
    let id = MemberId(row.id);
    keep_one_in_charge(&txn, scope, &member_in(&txn, scope, id).await?).await?;
    delete(&txn, scope, id).await?;
    record(
        &txn,
        context,
        NewEvent::new(EventType::ProviderUserLeft)
            .provider(provider)
            .target(EventTarget::ProviderMember(row.id)),
        Some(member_details(&row.email)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The providers the actor belongs to in any status but invited, for the account area.
pub async fn provider_memberships(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<ProviderMembership>, AppError> {
    let rows = provider_users::Entity::find()
        .find_also_related(providers::Entity)
        .filter(provider_users::Column::UserId.eq(actor.user_id.0))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(row, provider)| {
            let provider = provider.ok_or(AppError::Internal)?;
            Ok(ProviderMembership {
                provider: ProviderId(provider.id),
                name: provider.name,
                user_type: row.r#type,
                status: row.status,
            })
        })
        .collect()
}

/// The locale of the account with this address, if there is one.
pub async fn account_locale(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<String>, AppError> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?
        .map(|u| u.locale))
}

// ---- The rules that differ by place ----

/// The place's lock, then the guard again (the manager may have lost its rights while this
/// request waited). The actor as it is now.
async fn recheck(db: &impl ConnectionTrait, manager: &Manager) -> Result<Actor, AppError> {
    let capability = MemberScope::capability(manager.scope.place());
    match manager.scope {
        MemberScope::Organization(org) => {
            crate::auth::recheck::organization_for(db, &manager.actor, capability, org).await
        }
        MemberScope::Provider(provider) => {
            crate::auth::recheck::provider_for(db, &manager.actor, capability, provider).await
        }
    }
}

/// Nobody gives or takes away rights they do not hold: in an organization the guard's
/// `outranks`; a provider's members are managed by Provider Admins, who hold every right there.
fn may_touch(
    actor: &Actor,
    scope: MemberScope,
    user_type: MemberType,
    permissions: Permissions,
) -> Result<(), AppError> {
    match (scope, user_type) {
        (MemberScope::Organization(org), MemberType::Organization(t)) => {
            require_outranks(actor, Role::of_member(t, permissions), org)
        }
        (MemberScope::Provider(_), MemberType::Provider(_)) => Ok(()),
        _ => Err(AppError::Internal),
    }
}

/// Rule 1: refuses when `member` is the place's only confirmed member of the type that must
/// stay (a provider's Provider Admin; an Owner of an organization that belongs to no provider:
/// a client is administered by its provider meanwhile). Callers hold the place's lock, so
/// neither the count nor the link can change before they commit.
async fn keep_one_in_charge(
    db: &impl ConnectionTrait,
    scope: MemberScope,
    member: &Member,
) -> Result<(), AppError> {
    let in_charge = MemberType::last_to_keep(scope.place());
    if member.status != MemberStatus::Confirmed || member.user_type != in_charge {
        return Ok(());
    }
    let (others, refusal) = match scope {
        MemberScope::Organization(org) => {
            let is_client = provider_organizations::Entity::find()
                .filter(provider_organizations::Column::OrganizationId.eq(org.organization_id.0))
                .count(db)
                .await?
                > 0;
            if is_client {
                return Ok(());
            }
            let others = organization_users::Entity::find()
                .filter(organization_users::Column::OrganizationId.eq(org.organization_id.0))
                .filter(organization_users::Column::Id.ne(member.id.0))
                .filter(organization_users::Column::Status.eq(MemberStatus::Confirmed))
                .filter(organization_users::Column::Type.eq(in_charge.as_str()))
                .count(db)
                .await?;
            (others, Refusal::LastOwner)
        }
        MemberScope::Provider(provider) => {
            let others = provider_users::Entity::find()
                .filter(provider_users::Column::ProviderId.eq(provider.0))
                .filter(provider_users::Column::Id.ne(member.id.0))
                .filter(provider_users::Column::Status.eq(MemberStatus::Confirmed))
                .filter(provider_users::Column::Type.eq(in_charge.as_str()))
                .count(db)
                .await?;
            (others, Refusal::LastProviderAdmin)
        }
    };
    if others == 0 {
        return Err(AppError::Refused(refusal));
    }
    Ok(())
}

/// What happened to a member, for its event.
#[derive(Clone, Copy)]
enum Change {
    Invited,
    Confirmed,
    Updated,
    Revoked,
    Restored,
    Removed,
}

/// An event about a member, in the place's log (and, for a client, its provider's too).
fn event(change: Change, scope: MemberScope, member: MemberId) -> NewEvent {
    match scope {
        MemberScope::Organization(org) => {
            let kind = match change {
                Change::Invited => EventType::OrganizationUserInvited,
                Change::Confirmed => EventType::OrganizationUserConfirmed,
                Change::Updated => EventType::OrganizationUserUpdated,
                Change::Revoked => EventType::OrganizationUserRevoked,
                Change::Restored => EventType::OrganizationUserRestored,
                Change::Removed => EventType::OrganizationUserRemoved,
            };
            let event = NewEvent::new(kind)
                .organization(org.organization_id)
                .target(EventTarget::OrganizationMember(member.0));
            match org.provider_id {
                Some(provider) => event.provider(provider),
                None => event,
            }
        }
        MemberScope::Provider(provider) => {
            let kind = match change {
                Change::Invited => EventType::ProviderUserInvited,
                Change::Confirmed => EventType::ProviderUserConfirmed,
                Change::Updated => EventType::ProviderUserUpdated,
                Change::Revoked => EventType::ProviderUserRevoked,
                Change::Restored => EventType::ProviderUserRestored,
                Change::Removed => EventType::ProviderUserRemoved,
            };
            NewEvent::new(kind)
                .provider(provider)
                .target(EventTarget::ProviderMember(member.0))
        }
    }
}

fn pending_ref(scope: MemberScope, member: MemberId) -> PendingRef {
    match scope {
        MemberScope::Organization(_) => PendingRef::Organization(OrganizationUserId(member.0)),
        MemberScope::Provider(_) => PendingRef::Provider(ProviderUserId(member.0)),
    }
}

#[derive(Clone, Copy)]
enum Notice {
    Confirmed,
    Removed,
}

/// The mail a change sends its member besides invitations: a provider's members hear that they
/// were confirmed (with a link to the provider) or removed. Someone only invited never had
/// access: a removal notice would puzzle them (the invitation's link simply stops working).
fn notice(scope: MemberScope, action: MemberAction, member: &Member) -> Option<Notice> {
    match (scope, action) {
        (MemberScope::Provider(_), MemberAction::Confirm) => Some(Notice::Confirmed),
        (MemberScope::Provider(_), MemberAction::Remove) if member.user_id.is_some() => {
            Some(Notice::Removed)
        }
        _ => None,
    }
}

fn notice_link(scope: MemberScope) -> String {
    match scope {
        MemberScope::Organization(org) => crate::routes::organization_console(org.organization_id),
        MemberScope::Provider(provider) => crate::routes::provider_clients(provider),
    }
}

/// Best effort: the change is committed; a mail that cannot go out is logged by the mailer.
/// `to`: the member's address and language.
async fn send_notice(
    mailer: &Mailer,
    notice: Notice,
    (to, locale): (&str, Locale),
    actor: &str,
    place: &str,
    link: String,
) {
    use crate::i18n::td_string;
    let (actor, place) = (actor.to_owned(), place.to_owned());
    let mail = match notice {
        Notice::Confirmed => crate::mail::Mail {
            to: to.to_owned(),
            subject: td_string!(locale, mail.confirmed_subject, place = place.clone()).to_string(),
            paragraphs: vec![
                td_string!(
                    locale,
                    mail.confirmed_body,
                    inviter = actor,
                    provider = place
                )
                .to_string(),
            ],
            link: Some((td_string!(locale, mail.open_action).to_string(), link)),
        },
        Notice::Removed => crate::mail::Mail {
            to: to.to_owned(),
            subject: td_string!(locale, mail.removed_subject, place = place.clone()).to_string(),
            paragraphs: vec![
                td_string!(locale, mail.removed_body, inviter = actor, provider = place)
                    .to_string(),
            ],
            link: None,
        },
    };
    mailer.send(mail).await;
}

// ---- The two member tables ----

/// A member row of either table.
struct Member {
    id: MemberId,
    email: String,
    user_id: Option<i64>,
    user_type: MemberType,
    permissions: Permissions,
    status: MemberStatus,
    /// Holds a copy of the place's key (given at Confirm).
    has_key: bool,
}

#[derive(Debug, FromQueryResult)]
struct MemberRecord {
    id: i64,
    email: String,
    name: Option<String>,
    r#type: MemberType,
    status: MemberStatus,
    permissions: i64,
    reset_password_enrolled: bool,
    user_id: Option<i64>,
    two_step: bool,
}

impl MemberRecord {
    fn row(self, viewer: UserId) -> MemberRow {
        MemberRow {
            id: MemberId(self.id),
            email: self.email,
            name: self.name,
            user_type: self.r#type,
            permissions: Permissions(self.permissions),
            status: self.status,
            two_step: self.two_step,
            recovery_enrolled: self.reset_password_enrolled,
            is_self: self.user_id == Some(viewer.0),
        }
    }
}

/// The alias of the member table in the list's statements; both tables name their shared
/// columns alike.
pub(super) fn m() -> Alias {
    Alias::new("m")
}

pub(super) fn col(name: &'static str) -> sea_orm::sea_query::DynIden {
    Alias::new(name).into_iden()
}

/// The place's members joined to their accounts, matching the search (address or name).
pub(super) fn members_of(scope: MemberScope, search: &str) -> SelectStatement {
    let u = Alias::new("u");
    let mut statement = Query::select();
    let owner = match scope {
        MemberScope::Organization(org) => {
            statement.from_as(organization_users::Entity, m());
            Expr::col((m(), col("organization_id"))).eq(org.organization_id.0)
        }
        MemberScope::Provider(provider) => {
            statement.from_as(provider_users::Entity, m());
            Expr::col((m(), col("provider_id"))).eq(provider.0)
        }
    };
    statement
        .join_as(
            JoinType::LeftJoin,
            users::Entity,
            u.clone(),
            Expr::col((u.clone(), users::Column::Id)).equals((m(), col("user_id"))),
        )
        .and_where(owner);
    if !search.is_empty() {
        let pattern = crate::db::contains_pattern(&search.to_lowercase());
        statement.and_where(
            Expr::col((m(), col("email")))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
                .or(Expr::col((u.clone(), users::Column::Email))
                    .like(LikeExpr::new(pattern.clone()).escape('\\')))
                .or(Expr::expr(Func::lower(Expr::col((u, users::Column::Name))))
                    .like(LikeExpr::new(pattern).escape('\\'))),
        );
    }
    statement.to_owned()
}

fn select_row_columns(scope: MemberScope, statement: &mut SelectStatement) {
    let u = Alias::new("u");
    // A provider's members have no Custom flags and no account recovery.
    let (permissions, enrolled): (SimpleExpr, SimpleExpr) = match scope {
        MemberScope::Organization(_) => (
            Expr::col((m(), col("permissions"))).into(),
            Expr::col((m(), col("reset_password_enrolled"))).into(),
        ),
        MemberScope::Provider(_) => (Expr::val(0_i64).into(), Expr::val(false).into()),
    };
    statement
        .column((m(), col("id")))
        // The account's own address once there is one: it changes only when verified, while
        // the member row keeps the address the invitation went to.
        .expr_as(
            Func::coalesce([
                Expr::col((u.clone(), users::Column::Email)).into(),
                Expr::col((m(), col("email"))).into(),
            ]),
            Alias::new("email"),
        )
        .column((u.clone(), users::Column::Name))
        .column((m(), col("type")))
        .column((m(), col("status")))
        .expr_as(permissions, Alias::new("permissions"))
        .expr_as(enrolled, Alias::new("reset_password_enrolled"))
        .column((m(), col("user_id")))
        .expr_as(
            Expr::col((u, users::Column::TotpSecret)).is_not_null(),
            Alias::new("two_step"),
        );
}

/// The member, when it belongs to the place; `NotFound` otherwise (another place's members
/// are not revealed).
async fn member_in(
    db: &impl ConnectionTrait,
    scope: MemberScope,
    id: MemberId,
) -> Result<Member, AppError> {
    let member = match scope {
        MemberScope::Organization(org) => organization_users::Entity::find_by_id(id.0)
            .one(db)
            .await?
            .filter(|m| m.organization_id == org.organization_id.0)
            .map(|m| Member {
                id,
                email: m.email,
                user_id: m.user_id,
                user_type: MemberType::Organization(m.r#type),
                permissions: Permissions(m.permissions),
                status: m.status,
                has_key: m.key.is_some(),
            }),
        MemberScope::Provider(provider) => provider_users::Entity::find_by_id(id.0)
            .one(db)
            .await?
            .filter(|m| m.provider_id == provider.0)
            .map(|m| Member {
                id,
                email: m.email,
                user_id: m.user_id,
                user_type: MemberType::Provider(m.r#type),
                permissions: Permissions::empty(),
                status: m.status,
                has_key: m.key.is_some(),
            }),
    };
    member.ok_or(AppError::NotFound)
}

/// The addresses of `emails` that are members of the place already.
async fn emails_taken(
    db: &impl ConnectionTrait,
    scope: MemberScope,
    emails: &[&str],
) -> Result<Vec<String>, AppError> {
    let taken = match scope {
        MemberScope::Organization(org) => organization_users::Entity::find()
            .filter(organization_users::Column::OrganizationId.eq(org.organization_id.0))
            .filter(organization_users::Column::Email.is_in(emails.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.email)
            .collect(),
        MemberScope::Provider(provider) => provider_users::Entity::find()
            .filter(provider_users::Column::ProviderId.eq(provider.0))
            .filter(provider_users::Column::Email.is_in(emails.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.email)
            .collect(),
    };
    Ok(taken)
}

async fn insert(
    db: &impl ConnectionTrait,
    scope: MemberScope,
    email: &str,
    user_type: MemberType,
    permissions: Permissions,
    context: &EventContext,
) -> Result<MemberId, AppError> {
    let id = match (scope, user_type) {
        (MemberScope::Organization(org), MemberType::Organization(user_type)) => {
            organization_users::ActiveModel {
                organization_id: Set(org.organization_id.0),
                user_id: Set(None),
                email: Set(email.to_owned()),
                r#type: Set(user_type),
                status: Set(MemberStatus::Invited),
                permissions: Set(permissions.0),
                reset_password_enrolled: Set(false),
                created_at: Set(context.at),
                ..Default::default()
            }
            .insert(db)
            .await?
            .id
        }
        (MemberScope::Provider(provider), MemberType::Provider(user_type)) => {
            provider_users::ActiveModel {
                provider_id: Set(provider.0),
                user_id: Set(None),
                email: Set(email.to_owned()),
                r#type: Set(user_type),
                status: Set(MemberStatus::Invited),
                created_at: Set(context.at),
                ..Default::default()
            }
            .insert(db)
            .await?
            .id
        }
        _ => return Err(AppError::Internal),
    };
    Ok(MemberId(id))
}

/// A member's new status; with `key`, also their copy of the place's key, in the same
/// statement (Confirm: a confirmed member without a key cannot exist).
async fn set_status(
    db: &impl ConnectionTrait,
    scope: MemberScope,
    id: MemberId,
    status: MemberStatus,
    key: Option<&crate::crypto::WrappedKey>,
) -> Result<(), AppError> {
    let key = key.map_or(sea_orm::ActiveValue::NotSet, |key| {
        Set(Some(key.to_string()))
    });
    match scope {
        MemberScope::Organization(_) => {
            organization_users::ActiveModel {
                id: Set(id.0),
                status: Set(status),
                key,
                ..Default::default()
            }
            .update(db)
            .await?;
        }
        MemberScope::Provider(_) => {
            provider_users::ActiveModel {
                id: Set(id.0),
                status: Set(status),
                key,
                ..Default::default()
            }
            .update(db)
            .await?;
        }
    }
    Ok(())
}

async fn set_type(
    db: &impl ConnectionTrait,
    scope: MemberScope,
    id: MemberId,
    user_type: MemberType,
    permissions: Permissions,
) -> Result<(), AppError> {
    match (scope, user_type) {
        (MemberScope::Organization(_), MemberType::Organization(user_type)) => {
            organization_users::ActiveModel {
                id: Set(id.0),
                r#type: Set(user_type),
                permissions: Set(permissions.0),
                ..Default::default()
            }
            .update(db)
            .await?;
        }
        (MemberScope::Provider(_), MemberType::Provider(user_type)) => {
            provider_users::ActiveModel {
                id: Set(id.0),
                r#type: Set(user_type),
                ..Default::default()
            }
            .update(db)
            .await?;
        }
        _ => return Err(AppError::Internal),
    }
    Ok(())
}

async fn delete(
    db: &impl ConnectionTrait,
    scope: MemberScope,
    id: MemberId,
) -> Result<(), AppError> {
    match scope {
        MemberScope::Organization(_) => {
            organization_users::Entity::delete_by_id(id.0)
                .exec(db)
                .await?;
        }
        MemberScope::Provider(_) => {
            provider_users::Entity::delete_by_id(id.0).exec(db).await?;
        }
    }
    Ok(())
}

async fn assigned_seats(
    db: &impl ConnectionTrait,
    organization: crate::ids::OrganizationId,
) -> Result<i64, AppError> {
    organizations::Entity::find_by_id(organization.0)
        .one(db)
        .await?
        .map(|o| i64::from(o.seats))
        .ok_or(AppError::NotFound)
}

async fn place_name(db: &impl ConnectionTrait, scope: MemberScope) -> Result<String, AppError> {
    match scope {
        MemberScope::Organization(org) => organizations::Entity::find_by_id(org.organization_id.0)
            .one(db)
            .await?
            .map(|o| o.name)
            .ok_or(AppError::NotFound),
        MemberScope::Provider(provider) => {
            Ok(crate::providers::service::row(db, provider).await?.name)
        }
    }
}
