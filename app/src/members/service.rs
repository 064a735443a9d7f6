//! An organization's members, administered from its Admin Console: list, invite, confirm,
//! change type and permissions, revoke, restore, remove.
//!
//! Every change locks the organization's row first (`db::lock::organization`), so changes to
//! one organization run one after another and each sees the last one's result: that keeps
//! "assigned ≥ used" (DESIGN.md rule 2) when two admins invite for the last seat at once, and
//! "an organization outside providers keeps a confirmed Owner" (rule 1) when two owners demote
//! each other. Who may touch whom is the guard's `outranks`: nobody gives or takes away rights
//! they do not hold.

use sea_orm::sea_query::{Alias, Expr, Func, JoinType, LikeExpr, Order, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use super::types::{
    Invited, MAX_INVITES, MEMBER_PAGE_SIZE, MemberAction, MemberQuery, MemberRights, MemberStatus,
    OrgMemberPage, OrgMemberRow, OrgRowOutcome, OrgUserType, Permissions, StatusCounts,
    StatusFilter, split_emails,
};
use crate::auth::{Actor, Capability, OrgScope, Role, Scope, require_outranks};
use crate::db::organization_users::used_seats;
use crate::db::{organization_users, organizations, provider_organizations, users};
use crate::error::{AppError, Field, Problem, Refusal};
use crate::events::service::{EventContext, NewEvent, member_details, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{OrganizationId, OrganizationUserId, UserId};
use crate::invitations::service::{self as invitations, OrganizationInvitationMail};
use crate::invitations::types::PendingRef;
use crate::mail::{Delivery, Outbox, locale_or};
use crate::validate::{self, Problems};

#[derive(Debug, FromQueryResult)]
struct MemberRecord {
    id: i64,
    email: String,
    name: Option<String>,
    r#type: crate::vocabulary::OrgUserType,
    status: crate::vocabulary::MemberStatus,
    permissions: i64,
    reset_password_enrolled: bool,
    user_id: Option<i64>,
    two_step: bool,
}

/// A search as a `LIKE` pattern: anywhere, case-folded; `%` and `_` typed by a person are
/// literal. Member lists of providers and organizations search the same way.
pub fn like_pattern(search: &str) -> String {
    let mut pattern = String::from("%");
    for c in search.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The addresses of an invitation form, each checked (well-formed, not twice), with its
/// position for problems next to it; too many or none is a problem of the list. Provider and
/// organization invitations alike.
pub fn checked_addresses(emails: &str, problems: &mut Problems) -> Vec<(u16, String)> {
    let typed = split_emails(emails);
    if typed.is_empty() {
        problems.add(Field::Emails, Problem::Required);
    } else if typed.len() > MAX_INVITES {
        problems.add(Field::Emails, Problem::TooMany(MAX_INVITES));
    }
    let mut addresses: Vec<(u16, String)> = Vec::new();
    for (index, raw) in typed.iter().take(MAX_INVITES).enumerate() {
        let index = u16::try_from(index).unwrap_or(u16::MAX);
        if let Some(email) = problems.check(Field::EmailAt(index), validate::email(raw)) {
            if addresses.iter().any(|(_, e)| *e == email) {
                problems.add(Field::EmailAt(index), Problem::Duplicate);
            } else {
                addresses.push((index, email));
            }
        }
    }
    addresses
}

/// The organization's members joined to their accounts, matching the search (address or
/// name).
fn members_of(organization: OrganizationId, search: &str) -> SelectStatement {
    let (ou, u) = (Alias::new("ou"), Alias::new("u"));
    let mut statement = Query::select();
    statement
        .from_as(organization_users::Entity, ou.clone())
        .join_as(
            JoinType::LeftJoin,
            users::Entity,
            u.clone(),
            Expr::col((u.clone(), users::Column::Id))
                .equals((ou.clone(), organization_users::Column::UserId)),
        )
        .and_where(
            Expr::col((ou.clone(), organization_users::Column::OrganizationId)).eq(organization.0),
        );
    if !search.is_empty() {
        let pattern = like_pattern(search);
        statement.and_where(
            Expr::col((ou, organization_users::Column::Email))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
                .or(Expr::col((u.clone(), users::Column::Email))
                    .like(LikeExpr::new(pattern.clone()).escape('\\')))
                .or(Expr::expr(Func::lower(Expr::col((u, users::Column::Name))))
                    .like(LikeExpr::new(pattern).escape('\\'))),
        );
    }
    statement.to_owned()
}

/// What the actor may do beyond managing ordinary members, as the guard decides it.
/// `recovery_on`: the organization's account-recovery policy.
pub fn rights(actor: &Actor, scope: OrgScope, recovery_on: bool) -> MemberRights {
    let grantable = Permissions::ALL
        .into_iter()
        .filter(|&flag| actor.outranks(Role::Custom(flag), scope))
        .fold(Permissions::empty(), Permissions::union);
    MemberRights {
        manage_owners: actor.can(Capability::ManageOwners, Scope::Organization(scope)),
        manage_seats: actor.can(Capability::ManageSeats, Scope::Organization(scope)),
        grant_admin: actor.outranks(Role::Admin, scope),
        grantable,
        recover: recovery_on
            && actor.can(
                Capability::ManageAccountRecovery,
                Scope::Organization(scope),
            ),
    }
}

fn row(record: MemberRecord, viewer: UserId) -> Result<OrgMemberRow, AppError> {
    Ok(OrgMemberRow {
        id: OrganizationUserId(record.id),
        email: record.email,
        name: record.name,
        user_type: record.r#type,
        permissions: Permissions(record.permissions),
        status: record.status,
        two_step: record.two_step,
        recovery_enrolled: record.reset_password_enrolled,
        is_self: record.user_id == Some(viewer.0),
    })
}

fn select_row_columns(statement: &mut SelectStatement) {
    let (ou, u) = (Alias::new("ou"), Alias::new("u"));
    statement
        .column((ou.clone(), organization_users::Column::Id))
        // The account's own address once there is one: it changes only when verified, while
        // the member row keeps the address the invitation went to.
        .expr_as(
            Func::coalesce([
                Expr::col((u.clone(), users::Column::Email)).into(),
                Expr::col((ou.clone(), organization_users::Column::Email)).into(),
            ]),
            Alias::new("email"),
        )
        .column((u.clone(), users::Column::Name))
        .column((ou.clone(), organization_users::Column::Type))
        .column((ou.clone(), organization_users::Column::Status))
        .column((ou.clone(), organization_users::Column::Permissions))
        .column((
            ou.clone(),
            organization_users::Column::ResetPasswordEnrolled,
        ))
        .column((ou, organization_users::Column::UserId))
        .expr_as(
            Expr::col((u, users::Column::TotpSecret)).is_not_null(),
            Alias::new("two_step"),
        );
}

/// One page of members, the count per status, the organization's figures and its policies:
/// four queries.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    scope: OrgScope,
    query: &MemberQuery,
) -> Result<OrgMemberPage, AppError> {
    let organization = scope.organization_id;
    let query = query.normalized();
    let backend = db.get_database_backend();
    let ou = Alias::new("ou");

    let mut counts_statement = members_of(organization, &query.search);
    counts_statement
        .column((ou.clone(), organization_users::Column::Status))
        .expr(Expr::cust("COUNT(*)"))
        .group_by_col((ou.clone(), organization_users::Column::Status));
    let mut counts = StatusCounts::default();
    for result in db.query_all(backend.build(&counts_statement)).await? {
        let status: String = result.try_get_by_index(0)?;
        let count: i64 = result.try_get_by_index(1)?;
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

    let mut page_statement = members_of(organization, &query.search);
    select_row_columns(&mut page_statement);
    page_statement
        .order_by((ou.clone(), organization_users::Column::Email), Order::Asc)
        .order_by((ou.clone(), organization_users::Column::Id), Order::Asc)
        .limit(u64::from(MEMBER_PAGE_SIZE))
        .offset((page - 1) * u64::from(MEMBER_PAGE_SIZE));
    if let StatusFilter::Only(status) = query.status {
        page_statement
            .and_where(Expr::col((ou, organization_users::Column::Status)).eq(status.as_str()));
    }
    let rows = MemberRecord::find_by_statement(backend.build(&page_statement))
        .all(db)
        .await?
        .into_iter()
        .map(|record| row(record, actor.user_id))
        .collect::<Result<_, _>>()?;
    let model = organization_row(db, organization).await?;
    // Revoked members free their seat (DESIGN.md §2): Used is every other status.
    let used = i64::try_from(counts.invited + counts.accepted + counts.confirmed)
        .map_err(|_| AppError::Internal)?;
    let used = if query.search.is_empty() {
        used
    } else {
        used_seats(db, organization).await?
    };
    let policies = crate::policies::service::load(db, organization).await?;
    Ok(OrgMemberPage {
        organization_name: model.name,
        rows,
        total,
        page: u32::try_from(page).unwrap_or(1),
        counts,
        seats: i64::from(model.seats),
        used,
        rights: rights(actor, scope, policies.account_recovery),
        two_step_required: policies.two_step_login,
    })
}

async fn organization_row(
    db: &impl ConnectionTrait,
    organization: OrganizationId,
) -> Result<organizations::Model, AppError> {
    organizations::Entity::find_by_id(organization.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The named members of the organization (a dialog's selection); other organizations'
/// members are left out.
pub async fn by_ids(
    db: &impl ConnectionTrait,
    viewer: UserId,
    organization: OrganizationId,
    ids: &[OrganizationUserId],
) -> Result<Vec<OrgMemberRow>, AppError> {
    let ou = Alias::new("ou");
    let mut statement = members_of(organization, "");
    select_row_columns(&mut statement);
    statement
        .and_where(
            Expr::col((ou.clone(), organization_users::Column::Id))
                .is_in(ids.iter().map(|id| id.0)),
        )
        .order_by((ou, organization_users::Column::Email), Order::Asc);
    let backend = db.get_database_backend();
    MemberRecord::find_by_statement(backend.build(&statement))
        .all(db)
        .await?
        .into_iter()
        .map(|record| row(record, viewer))
        .collect()
}

/// The type and flags a form asked for: Custom needs at least one flag; the other types
/// carry none.
pub fn requested_role(
    user_type: &str,
    permissions: Permissions,
    problems: &mut Problems,
) -> Option<(OrgUserType, Permissions)> {
    let user_type = problems.check(
        Field::MemberType,
        OrgUserType::parse(user_type).ok_or(Problem::Unsupported),
    )?;
    if user_type != OrgUserType::Custom {
        return Some((user_type, Permissions::empty()));
    }
    if permissions.is_empty() {
        problems.add(Field::Permissions, Problem::Required);
        return None;
    }
    Some((user_type, permissions))
}

/// Invites every address in `emails` as `user_type` (with `permissions` for Custom), or none:
/// any bad address (malformed, twice in the list, already a member) or more addresses than
/// seats left refuses the whole form, with the problem next to what caused it. Mails go out
/// after the commit; the answer carries the link of each invitation no mail carried.
#[allow(clippy::too_many_arguments)]
pub async fn invite(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    outbox: &Outbox<'_>,
    actor: &Actor,
    scope: OrgScope,
    emails: &str,
    user_type: &str,
    permissions: Permissions,
) -> Result<Vec<Invited>, AppError> {
    let organization = scope.organization_id;
    let mut problems = Problems::default();
    let role = requested_role(user_type, permissions, &mut problems);
    if let Some((user_type, permissions)) = role {
        require_outranks(actor, Role::of_member(user_type, permissions), scope)?;
    }
    let typed = split_emails(emails).len();
    let addresses = checked_addresses(emails, &mut problems);

    let txn = db.begin().await?;
    let actor =
        &crate::auth::recheck::organization_for(&txn, actor, Capability::ManageOrgMembers, scope)
            .await?;
    if let Some((user_type, permissions)) = role {
        require_outranks(actor, Role::of_member(user_type, permissions), scope)?;
    }
    let emails: Vec<&str> = addresses.iter().map(|(_, e)| e.as_str()).collect();
    let existing: Vec<String> = organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(organization.0))
        .filter(organization_users::Column::Email.is_in(emails))
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
    // Rule 2, read under the lock: two invitations for the last seat cannot both pass.
    let model = organization_row(&txn, organization).await?;
    let left = (i64::from(model.seats) - used_seats(&txn, organization).await?).max(0);
    if i64::try_from(typed).unwrap_or(i64::MAX) > left {
        problems.add(Field::Emails, Problem::SeatsLeft(left));
    }
    problems.finish()?;
    let Some((user_type, permissions)) = role else {
        return Err(AppError::Internal);
    };
    let mut invited = Vec::with_capacity(addresses.len());
    for (_, email) in addresses {
        let member = organization_users::ActiveModel {
            organization_id: Set(organization.0),
            user_id: Set(None),
            email: Set(email.clone()),
            r#type: Set(user_type),
            status: Set(MemberStatus::Invited),
            permissions: Set(permissions.0),
            reset_password_enrolled: Set(false),
            created_at: Set(context.at),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let token = invitations::issue(
            &txn,
            PendingRef::Organization(OrganizationUserId(member.id)),
            context.at,
        )
        .await?;
        record(
            &txn,
            context,
            event(EventType::OrganizationUserInvited, scope, member.id),
            Some(member_details(&email)),
        )
        .await?;
        let locale = account_locale(&txn, &email).await?;
        invited.push((email, token, locale));
    }
    txn.commit().await?;

    // Mailed side by side: an SMTP server that hangs costs the request its timeout once,
    // not once per address.
    let organization_name = &model.name;
    let sends = invited
        .into_iter()
        .map(|(email, token, locale)| async move {
            let link = invitations::link(outbox.base_url, &token);
            let delivery = invitations::send_organization_invitation(
                outbox.mailer,
                OrganizationInvitationMail {
                    to: &email,
                    locale: locale_or(locale.as_deref(), outbox.locale),
                    inviter: &actor.name,
                    organization: organization_name,
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

/// An event about a member, in the organization's log (and its provider's, for a client).
fn event(kind: EventType, scope: OrgScope, member: i64) -> NewEvent {
    let event = NewEvent::new(kind)
        .organization(scope.organization_id)
        .target(EventTarget::OrganizationMember(member));
    match scope.provider_id {
        Some(provider) => event.provider(provider),
        None => event,
    }
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

/// The member, when it belongs to the organization; `NotFound` otherwise (another
/// organization's members are not revealed).
async fn member_in(
    db: &impl ConnectionTrait,
    organization: OrganizationId,
    member: OrganizationUserId,
) -> Result<organization_users::Model, AppError> {
    organization_users::Entity::find_by_id(member.0)
        .one(db)
        .await?
        .filter(|m| m.organization_id == organization.0)
        .ok_or(AppError::NotFound)
}

fn role_of(member: &organization_users::Model) -> Result<Role, AppError> {
    let user_type = member.r#type;
    Ok(Role::of_member(user_type, Permissions(member.permissions)))
}

/// Rule 1: refuses when `member` is the only confirmed Owner of an organization that belongs
/// to no provider (a client is administered by its provider meanwhile). Callers hold the
/// organization's lock, so neither the owners nor the link can change before they commit.
async fn keep_an_owner(
    db: &impl ConnectionTrait,
    organization: OrganizationId,
    member: &organization_users::Model,
) -> Result<(), AppError> {
    let is_confirmed_owner = member.status == MemberStatus::Confirmed.as_str()
        && member.r#type == OrgUserType::Owner.as_str();
    if !is_confirmed_owner {
        return Ok(());
    }
    let is_client = provider_organizations::Entity::find()
        .filter(provider_organizations::Column::OrganizationId.eq(organization.0))
        .count(db)
        .await?
        > 0;
    if is_client {
        return Ok(());
    }
    let others = organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(organization.0))
        .filter(organization_users::Column::Id.ne(member.id))
        .filter(organization_users::Column::Status.eq(MemberStatus::Confirmed.as_str()))
        .filter(organization_users::Column::Type.eq(OrgUserType::Owner.as_str()))
        .count(db)
        .await?;
    if others == 0 {
        return Err(AppError::Refused(Refusal::LastOwner));
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
    scope: OrgScope,
    action: MemberAction,
    members: &[OrganizationUserId],
) -> Result<Vec<OrgRowOutcome>, AppError> {
    if members.is_empty() || members.len() > usize::try_from(MEMBER_PAGE_SIZE).unwrap_or(50) {
        return Err(AppError::field(Field::Emails, Problem::TooMany(50)));
    }
    let mut outcomes = Vec::with_capacity(members.len());
    for &member in members {
        let mut email = String::new();
        let result = apply_one(
            db, context, outbox, actor, scope, action, member, &mut email,
        )
        .await;
        let (result, link) = match result {
            Ok(link) => (Ok(()), link),
            Err(error) => (Err(error), None),
        };
        outcomes.push(OrgRowOutcome {
            member,
            email,
            result,
            link,
        });
    }
    Ok(outcomes)
}

#[allow(clippy::too_many_arguments)]
async fn apply_one(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    outbox: &Outbox<'_>,
    actor: &Actor,
    scope: OrgScope,
    action: MemberAction,
    member: OrganizationUserId,
    email: &mut String,
) -> Result<Option<String>, AppError> {
    let organization = scope.organization_id;
    let txn = db.begin().await?;
    let actor =
        &crate::auth::recheck::organization_for(&txn, actor, Capability::ManageOrgMembers, scope)
            .await?;
    let row = member_in(&txn, organization, member).await?;
    email.clone_from(&row.email);
    if row.user_id == Some(actor.user_id.0) {
        return Err(AppError::Refused(Refusal::NotOnYourself));
    }
    require_outranks(actor, role_of(&row)?, scope)?;
    let status = row.status;
    if !action.applies_to(status) {
        return Err(AppError::Refused(match action {
            MemberAction::Confirm if status != MemberStatus::Confirmed => Refusal::NotAccepted,
            _ => Refusal::StatusChanged,
        }));
    }
    let mut token = None;
    let kind = match action {
        MemberAction::Confirm => {
            set_status(&txn, &row, MemberStatus::Confirmed).await?;
            EventType::OrganizationUserConfirmed
        }
        MemberAction::Revoke => {
            keep_an_owner(&txn, organization, &row).await?;
            set_status(&txn, &row, MemberStatus::Revoked).await?;
            EventType::OrganizationUserRevoked
        }
        MemberAction::Restore => {
            // A restored member takes a seat again (rule 2).
            let model = organization_row(&txn, organization).await?;
            if used_seats(&txn, organization).await? >= i64::from(model.seats) {
                return Err(AppError::Refused(Refusal::NoSeatsLeft));
            }
            // Back where the member was: invited until they accept; someone who had accepted
            // comes back confirmed (restoring is the admin's decision, as confirming is).
            let back = if row.user_id.is_some() {
                MemberStatus::Confirmed
            } else {
                MemberStatus::Invited
            };
            set_status(&txn, &row, back).await?;
            EventType::OrganizationUserRestored
        }
        MemberAction::Remove => {
            keep_an_owner(&txn, organization, &row).await?;
            organization_users::Entity::delete_by_id(row.id)
                .exec(&txn)
                .await?;
            EventType::OrganizationUserRemoved
        }
        MemberAction::Reinvite => {
            token =
                Some(invitations::issue(&txn, PendingRef::Organization(member), context.at).await?);
            EventType::OrganizationUserInvited
        }
    };
    record(
        &txn,
        context,
        event(kind, scope, row.id),
        Some(member_details(&row.email)),
    )
    .await?;
    let model = organization_row(&txn, organization).await?;
    let locale = account_locale(&txn, &row.email).await?;
    txn.commit().await?;
    let Some(token) = token else {
        return Ok(None);
    };
    let link = invitations::link(outbox.base_url, &token);
    let delivery = invitations::send_organization_invitation(
        outbox.mailer,
        OrganizationInvitationMail {
            to: &row.email,
            locale: locale_or(locale.as_deref(), outbox.locale),
            inviter: &actor.name,
            organization: &model.name,
            user_type: row.r#type,
            link: link.clone(),
        },
    )
    .await;
    Ok((delivery != Delivery::Sent).then_some(link))
}

async fn set_status(
    db: &impl ConnectionTrait,
    row: &organization_users::Model,
    status: MemberStatus,
) -> Result<(), AppError> {
    let mut active = row.clone().into_active_model();
    active.status = Set(status);
    active.update(db).await?;
    Ok(())
}

/// A member's new type and flags. The actor must outrank both the member's present role and
/// the new one; demoting the last confirmed Owner of an organization outside providers is
/// refused.
pub async fn change_type(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    actor: &Actor,
    scope: OrgScope,
    member: OrganizationUserId,
    user_type: &str,
    permissions: Permissions,
) -> Result<(), AppError> {
    let organization = scope.organization_id;
    let mut problems = Problems::default();
    let role = requested_role(user_type, permissions, &mut problems);
    problems.finish()?;
    let Some((user_type, permissions)) = role else {
        return Err(AppError::Internal);
    };
    let txn = db.begin().await?;
    let actor =
        &crate::auth::recheck::organization_for(&txn, actor, Capability::ManageOrgMembers, scope)
            .await?;
    let row = member_in(&txn, organization, member).await?;
    if row.user_id == Some(actor.user_id.0) {
        return Err(AppError::Refused(Refusal::NotOnYourself));
    }
    require_outranks(actor, role_of(&row)?, scope)?;
    require_outranks(actor, Role::of_member(user_type, permissions), scope)?;
    if row.r#type == user_type.as_str() && row.permissions == permissions.0 {
        return Ok(());
    }
    if user_type != OrgUserType::Owner {
        keep_an_owner(&txn, organization, &row).await?;
    }
    let mut active = row.clone().into_active_model();
    active.r#type = Set(user_type);
    active.permissions = Set(permissions.0);
    active.update(&txn).await?;
    record(
        &txn,
        context,
        event(EventType::OrganizationUserUpdated, scope, row.id),
        Some(member_details(&row.email)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
