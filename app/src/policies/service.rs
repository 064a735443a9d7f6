//! Reading and changing an organization's policies, and the password rules they impose.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set, TransactionTrait,
};

use super::types::{
    MAX_POLICY_LENGTH, MAX_POLICY_STRENGTH, MIN_POLICY_LENGTH, PasswordRules, Policies, PolicyKind,
};
use crate::auth::Capability;
use crate::auth::gate::InOrganization;
use crate::db::{organization_users, policies};
use crate::error::{AppError, Field, FieldError, Problem};
use crate::events::service::{EventContext, NewEvent, record};
use crate::events::types::{EventTarget, EventType};
use crate::ids::{OrganizationId, UserId};
use crate::members::types::MemberStatus;
use crate::validate;

/// The Policies page: the policies and the organization's public key (two queries).
pub async fn page(
    db: &impl ConnectionTrait,
    organization: OrganizationId,
) -> Result<super::types::PolicyPage, AppError> {
    let public_key = crate::db::organizations::Entity::find_by_id(organization.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?
        .public_key;
    Ok(super::types::PolicyPage {
        policies: load(db, organization).await?,
        public_key,
    })
}

/// The organization's policies (one query; no row means off).
pub async fn load(
    db: &impl ConnectionTrait,
    organization: OrganizationId,
) -> Result<Policies, AppError> {
    let rows = policies::Entity::find()
        .filter(policies::Column::OrganizationId.eq(organization.0))
        .filter(policies::Column::Enabled.eq(true))
        .all(db)
        .await?;
    let mut result = Policies::default();
    for row in rows {
        match PolicyKind::parse(&row.kind) {
            Some(PolicyKind::AccountRecovery) => result.account_recovery = true,
            Some(PolicyKind::TwoStepLogin) => result.two_step_login = true,
            Some(PolicyKind::MasterPassword) => {
                result.master_password =
                    Some(serde_json::from_str(&row.data).map_err(|_| AppError::Internal)?);
            }
            None => {}
        }
    }
    Ok(result)
}

/// One policy's form as saved, its values as typed.
#[derive(Clone, Copy, Debug, Default)]
pub struct PolicyChange<'a> {
    pub kind: &'a str,
    pub enabled: bool,
    /// The master-password policy's rules (read only when it is turned on).
    pub min_length: &'a str,
    pub min_strength: &'a str,
    /// The box ticked to withdraw recovery enrolments.
    pub confirmed: bool,
}

impl<'a> PolicyChange<'a> {
    /// On or off, nothing else.
    pub fn toggle(kind: &'a str, enabled: bool) -> Self {
        Self {
            kind,
            enabled,
            ..Self::default()
        }
    }
}

/// Turns a policy on or off; a master-password policy carries its rules, checked first.
/// Turning account recovery off while members are enrolled withdraws their enrolments, so it
/// needs `confirmed` (else a `Confirm` problem says how many, and nothing changes).
pub async fn set(
    db: &(impl ConnectionTrait + TransactionTrait),
    context: &EventContext,
    access: &InOrganization,
    change: PolicyChange<'_>,
) -> Result<(), AppError> {
    access.require(Capability::ManagePolicies)?;
    let scope = access.scope;
    let PolicyChange {
        kind,
        enabled,
        min_length,
        min_strength,
        confirmed,
    } = change;
    let kind = PolicyKind::parse(kind).ok_or(AppError::NotFound)?;
    let data = if kind == PolicyKind::MasterPassword && enabled {
        let mut errors = Vec::new();
        let length = validate::whole_number(
            min_length,
            i64::from(MIN_POLICY_LENGTH),
            i64::from(MAX_POLICY_LENGTH),
        )
        .map_err(|p| errors.push(FieldError::new(Field::MinLength, p)))
        .ok();
        let strength = validate::whole_number(min_strength, 0, i64::from(MAX_POLICY_STRENGTH))
            .map_err(|p| errors.push(FieldError::new(Field::MinStrength, p)))
            .ok();
        let (Some(length), Some(strength)) = (length, strength) else {
            return Err(AppError::Invalid(errors));
        };
        let rules = PasswordRules {
            min_length: u32::try_from(length).map_err(|_| AppError::Internal)?,
            min_strength: u32::try_from(strength).map_err(|_| AppError::Internal)?,
        };
        serde_json::to_string(&rules).map_err(|_| AppError::Internal)?
    } else {
        "{}".to_owned()
    };
    let organization = scope.organization_id;
    let txn = crate::db::begin_write(db).await?;
    crate::auth::recheck::organization_by(&txn, context, Capability::ManagePolicies, scope).await?;
    let existing = policies::Entity::find()
        .filter(policies::Column::OrganizationId.eq(organization.0))
        .filter(policies::Column::Kind.eq(kind.as_str()))
        .one(&txn)
        .await?;
    let unchanged = existing
        .as_ref()
        .is_some_and(|row| row.enabled == enabled && (!enabled || row.data == data))
        || (existing.is_none() && !enabled);
    if unchanged {
        return Ok(());
    }
    if kind == PolicyKind::AccountRecovery && !enabled && !confirmed {
        let enrolled = organization_users::Entity::find()
            .filter(organization_users::Column::OrganizationId.eq(organization.0))
            .filter(organization_users::Column::ResetPasswordEnrolled.eq(true))
            .count(&txn)
            .await?;
        if enrolled > 0 {
            return Err(AppError::Invalid(vec![FieldError::new(
                Field::Confirm,
                Problem::WithdrawsEnrolments(i64::try_from(enrolled).unwrap_or(i64::MAX)),
            )]));
        }
    }
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.enabled = Set(enabled);
            active.data = Set(data.clone());
            active.updated_at = Set(context.at);
            active.update(&txn).await?;
        }
        None => {
            policies::ActiveModel {
                organization_id: Set(organization.0),
                kind: Set(kind.as_str().to_owned()),
                enabled: Set(enabled),
                data: Set(data.clone()),
                updated_at: Set(context.at),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    // Turning recovery off withdraws every enrolment, and forgets the user keys they gave:
    // members enrol again, knowingly, if it comes back.
    if kind == PolicyKind::AccountRecovery && !enabled {
        organization_users::Entity::update_many()
            .col_expr(
                organization_users::Column::ResetPasswordEnrolled,
                sea_orm::sea_query::Expr::value(false),
            )
            .col_expr(
                organization_users::Column::ResetPasswordKey,
                sea_orm::sea_query::Expr::value(Option::<String>::None),
            )
            .filter(organization_users::Column::OrganizationId.eq(organization.0))
            .exec(&txn)
            .await?;
    }
    let mut event = NewEvent::new(EventType::PolicyUpdated)
        .organization(organization)
        .target(EventTarget::Organization(organization.0));
    if let Some(provider) = scope.provider_id {
        event = event.provider(provider);
    }
    let details = serde_json::json!({ "policy": kind.as_str(), "enabled": enabled });
    record(&txn, context, event, Some(details.to_string())).await?;
    txn.commit().await?;
    Ok(())
}

/// The strictest master-password rules among the organizations where `user` is a member
/// (invited members included: the rules apply from the moment they join).
pub async fn rules_for(
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<Option<PasswordRules>, AppError> {
    use sea_orm::QuerySelect;
    let organizations: Vec<i64> = organization_users::Entity::find()
        .select_only()
        .column(organization_users::Column::OrganizationId)
        .filter(organization_users::Column::UserId.eq(user.0))
        .filter(organization_users::Column::Status.ne(MemberStatus::Revoked.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    strictest(db, organizations).await
}

/// The strictest master-password rules among the organizations that invited `email` (still
/// pending): registering through an invitation meets them from the first password.
pub async fn rules_for_invitee(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<PasswordRules>, AppError> {
    use sea_orm::QuerySelect;
    let organizations: Vec<i64> = organization_users::Entity::find()
        .select_only()
        .column(organization_users::Column::OrganizationId)
        .filter(organization_users::Column::Email.eq(email))
        .filter(organization_users::Column::UserId.is_null())
        .filter(organization_users::Column::Status.eq(MemberStatus::Invited.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    strictest(db, organizations).await
}

async fn strictest(
    db: &impl ConnectionTrait,
    organizations: Vec<i64>,
) -> Result<Option<PasswordRules>, AppError> {
    if organizations.is_empty() {
        return Ok(None);
    }
    let rows = policies::Entity::find()
        .filter(policies::Column::OrganizationId.is_in(organizations))
        .filter(policies::Column::Kind.eq(PolicyKind::MasterPassword.as_str()))
        .filter(policies::Column::Enabled.eq(true))
        .all(db)
        .await?;
    let mut strictest: Option<PasswordRules> = None;
    for row in rows {
        let rules: PasswordRules =
            serde_json::from_str(&row.data).map_err(|_| AppError::Internal)?;
        strictest = Some(match strictest {
            None => rules,
            Some(s) => PasswordRules {
                min_length: s.min_length.max(rules.min_length),
                min_strength: s.min_strength.max(rules.min_strength),
            },
        });
    }
    Ok(strictest)
}
