//! The services with the signatures the tests were written against, each call going through
//! the gate's own check (`gate::in_provider`, `gate::in_organization`, `gate::log_reader`)
//! before the service, as a request's does. Who acts: the actor a test names, else the one
//! its event context names, else (reads that name nobody) a confirmed Provider Admin of the
//! provider, so a refusal still comes from the real check.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

use app::auth::gate::{self, InOrganization, InProvider};
use app::auth::{Actor, Capability, OrgScope};
use app::db::provider_users;
use app::error::AppError;
use app::events::service::EventContext;
use app::ids::{ProviderId, SessionId, UserId};
use app::providers::types::ProviderUserType;
use app::vocabulary::MemberStatus;

async fn actor_of(db: &impl ConnectionTrait, user: UserId) -> Result<Actor, AppError> {
    app::accounts::service::actor_of(db, user, SessionId(0))
        .await?
        .ok_or(AppError::Unauthenticated)
}

async fn named_by(db: &impl ConnectionTrait, context: &EventContext) -> Result<Actor, AppError> {
    actor_of(db, context.actor.ok_or(AppError::Unauthenticated)?).await
}

/// The actor the event context names; for the operator's (nobody's) a Provider Admin.
async fn acting_in(
    db: &impl ConnectionTrait,
    context: &EventContext,
    provider: ProviderId,
) -> Result<Actor, AppError> {
    match context.actor {
        Some(user) => actor_of(db, user).await,
        None => admin_of(db, provider).await,
    }
}

async fn admin_of(db: &impl ConnectionTrait, provider: ProviderId) -> Result<Actor, AppError> {
    let admin = provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::Type.eq(ProviderUserType::ProviderAdmin))
        .filter(provider_users::Column::Status.eq(MemberStatus::Confirmed))
        .one(db)
        .await?
        .and_then(|m| m.user_id)
        .ok_or(AppError::Forbidden)?;
    actor_of(db, UserId(admin)).await
}

async fn in_organization(
    db: &impl ConnectionTrait,
    actor: Actor,
    scope: OrgScope,
    capability: Capability,
) -> Result<InOrganization, AppError> {
    gate::in_organization(db, actor, scope.organization_id, capability).await
}

pub mod clients {
    use super::*;
    use app::clients::service as real;
    use app::clients::types::{
        ClientDetails, ClientPage, ClientQuery, EligibleOrganization, NewClient,
    };
    use app::ids::OrganizationId;
    use app::vocabulary::Seats;

    pub async fn list(
        db: &impl ConnectionTrait,
        provider: ProviderId,
        query: &ClientQuery,
    ) -> Result<ClientPage, AppError> {
        let access = gate::in_provider(
            admin_of(db, provider).await?,
            provider,
            Capability::ViewClients,
        )?;
        real::list(db, &access, query).await
    }

    pub async fn details(
        db: &impl ConnectionTrait,
        actor: &Actor,
        provider: ProviderId,
        client: OrganizationId,
    ) -> Result<ClientDetails, AppError> {
        let access = gate::in_provider(actor.clone(), provider, Capability::ViewClients)?;
        real::details(db, &access, client).await
    }

    pub async fn create(
        db: &(impl ConnectionTrait + TransactionTrait),
        provider: ProviderId,
        input: NewClient,
        context: &EventContext,
    ) -> Result<OrganizationId, AppError> {
        let access = gate::in_provider(
            acting_in(db, context, provider).await?,
            provider,
            Capability::ManageClients,
        )?;
        real::create(db, &access, input, None, context).await
    }

    pub async fn eligible_organizations(
        db: &impl ConnectionTrait,
        actor: &Actor,
        provider: ProviderId,
    ) -> Result<Vec<EligibleOrganization>, AppError> {
        let access = gate::in_provider(actor.clone(), provider, Capability::ManageClients)?;
        real::eligible_organizations(db, &access).await
    }

    pub async fn add_existing(
        db: &(impl ConnectionTrait + TransactionTrait),
        actor: &Actor,
        provider: ProviderId,
        organization: OrganizationId,
        context: &EventContext,
    ) -> Result<(), AppError> {
        let access = gate::in_provider(actor.clone(), provider, Capability::ManageClients)?;
        real::add_existing(db, &access, organization, None, context).await
    }

    pub async fn rename(
        db: &(impl ConnectionTrait + TransactionTrait),
        provider: ProviderId,
        client: OrganizationId,
        name: &str,
        context: &EventContext,
    ) -> Result<(), AppError> {
        let access = gate::in_provider(
            acting_in(db, context, provider).await?,
            provider,
            Capability::UpdateClient,
        )?;
        real::rename(db, &access, client, name, context).await
    }

    pub async fn set_seats(
        db: &(impl ConnectionTrait + TransactionTrait),
        actor: &Actor,
        provider: ProviderId,
        client: OrganizationId,
        seats: Seats,
        context: &EventContext,
    ) -> Result<(), AppError> {
        let access = gate::in_provider(actor.clone(), provider, Capability::UpdateClient)?;
        real::set_seats(db, &access, client, seats, context).await
    }

    pub async fn unlink(
        db: &(impl ConnectionTrait + TransactionTrait),
        provider: ProviderId,
        client: OrganizationId,
        context: &EventContext,
    ) -> Result<(), AppError> {
        let access = gate::in_provider(
            acting_in(db, context, provider).await?,
            provider,
            Capability::ManageClients,
        )?;
        real::unlink(db, &access, client, context).await
    }
}

pub mod billing {
    use super::*;
    use app::billing::service as real;
    use app::billing::types::{BillingInfo, Invoice, InvoiceSummary, Subscription};

    pub use real::{issue, issue_all, past_month, previous_month, set_minimum};

    async fn access(
        db: &impl ConnectionTrait,
        provider: ProviderId,
    ) -> Result<InProvider, AppError> {
        gate::in_provider(
            admin_of(db, provider).await?,
            provider,
            Capability::ManageProviderBilling,
        )
    }

    pub async fn subscription(
        db: &impl ConnectionTrait,
        provider: ProviderId,
    ) -> Result<Subscription, AppError> {
        real::subscription(db, &access(db, provider).await?).await
    }

    pub async fn history(
        db: &impl ConnectionTrait,
        provider: ProviderId,
    ) -> Result<Vec<InvoiceSummary>, AppError> {
        real::history(db, &access(db, provider).await?).await
    }

    pub async fn invoice(
        db: &impl ConnectionTrait,
        provider: ProviderId,
        id: i64,
    ) -> Result<Invoice, AppError> {
        real::invoice(db, &access(db, provider).await?, id).await
    }

    pub async fn billing_info(
        db: &impl ConnectionTrait,
        provider: ProviderId,
    ) -> Result<BillingInfo, AppError> {
        real::billing_info(db, &access(db, provider).await?).await
    }

    pub async fn update_billing_info(
        db: &(impl ConnectionTrait + TransactionTrait),
        context: &EventContext,
        provider: ProviderId,
        input: BillingInfo,
    ) -> Result<(), AppError> {
        let access = gate::in_provider(
            acting_in(db, context, provider).await?,
            provider,
            Capability::ManageProviderBilling,
        )?;
        real::update_billing_info(db, context, &access, input).await
    }
}

pub mod policy {
    use super::*;
    use app::policies::service as real;

    pub use real::{PolicyChange, load};

    pub async fn set(
        db: &(impl ConnectionTrait + TransactionTrait),
        context: &EventContext,
        scope: OrgScope,
        change: PolicyChange<'_>,
    ) -> Result<(), AppError> {
        let actor = named_by(db, context).await?;
        let access = in_organization(db, actor, scope, Capability::ManagePolicies).await?;
        real::set(db, context, &access, change).await
    }
}

pub mod recovery {
    use super::*;
    use app::ids::OrganizationUserId;
    use app::members::recovery as real;

    pub use real::memberships;

    pub async fn enrol(
        db: &(impl ConnectionTrait + TransactionTrait),
        context: &EventContext,
        actor: &Actor,
        scope: OrgScope,
        key: &app::crypto::WrappedKey,
    ) -> Result<(), AppError> {
        let access =
            in_organization(db, actor.clone(), scope, Capability::ManageOwnMembership).await?;
        real::enrol(db, context, &access, key).await
    }

    pub async fn withdraw(
        db: &(impl ConnectionTrait + TransactionTrait),
        context: &EventContext,
        actor: &Actor,
        scope: OrgScope,
    ) -> Result<(), AppError> {
        let access =
            in_organization(db, actor.clone(), scope, Capability::ManageOwnMembership).await?;
        real::withdraw(db, context, &access).await
    }

    pub async fn plan(
        db: &(impl ConnectionTrait + TransactionTrait),
        actor: &Actor,
        scope: OrgScope,
        member: OrganizationUserId,
    ) -> Result<app::members::types::RecoveryPlan, AppError> {
        let access =
            in_organization(db, actor.clone(), scope, Capability::ManageAccountRecovery).await?;
        real::plan(db, &access, member).await
    }

    pub async fn recover(
        db: &(impl ConnectionTrait + TransactionTrait),
        context: &EventContext,
        actor: &Actor,
        scope: OrgScope,
        member: OrganizationUserId,
        keys: app::crypto::MasterPasswordKeys,
    ) -> Result<(), AppError> {
        let access =
            in_organization(db, actor.clone(), scope, Capability::ManageAccountRecovery).await?;
        real::recover(db, context, &access, member, keys).await
    }
}

pub mod event_log {
    use super::*;
    use app::events::service as real;
    use app::events::types::{EventPage, EventQuery};

    pub use real::*;

    /// A provider's log, read by one of its Provider Admins.
    pub async fn list(
        db: &impl ConnectionTrait,
        log: LogOf,
        query: &EventQuery,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<EventPage, AppError> {
        let LogOf::Provider(provider) = log else {
            unreachable!("the tests read providers' logs here")
        };
        let access = gate::log_reader(db, admin_of(db, provider).await?, log).await?;
        real::list(db, &access, query, now).await
    }
}

pub mod organizations {
    use super::*;
    use app::organizations::service as real;
    use app::organizations::types::{ConsoleFrame, OrganizationBilling};
    use app::vocabulary::Seats;

    pub async fn record_provider_access(
        db: &impl ConnectionTrait,
        context: &EventContext,
        actor: &Actor,
        scope: OrgScope,
    ) -> Result<(), AppError> {
        let access =
            in_organization(db, actor.clone(), scope, Capability::AdministerOrganization).await?;
        real::record_provider_access(db, context, &access).await
    }

    pub async fn frame(
        db: &impl ConnectionTrait,
        actor: &Actor,
        scope: OrgScope,
    ) -> Result<ConsoleFrame, AppError> {
        let access =
            in_organization(db, actor.clone(), scope, Capability::AdministerOrganization).await?;
        real::frame(db, &access).await
    }

    pub async fn update_info(
        db: &(impl ConnectionTrait + TransactionTrait),
        context: &EventContext,
        scope: OrgScope,
        name: &str,
        billing_email: Option<&str>,
    ) -> Result<(), AppError> {
        let actor = named_by(db, context).await?;
        let access = in_organization(db, actor, scope, Capability::ManageOrgSettings).await?;
        real::update_info(db, context, &access, name, billing_email).await
    }

    pub async fn update_billing(
        db: &(impl ConnectionTrait + TransactionTrait),
        context: &EventContext,
        scope: OrgScope,
        input: OrganizationBilling,
    ) -> Result<(), AppError> {
        let actor = named_by(db, context).await?;
        let access = in_organization(db, actor, scope, Capability::ManageOrgBilling).await?;
        real::update_billing(db, context, &access, input).await
    }

    pub async fn set_seats(
        db: &(impl ConnectionTrait + TransactionTrait),
        context: &EventContext,
        actor: &Actor,
        scope: OrgScope,
        seats: Seats,
    ) -> Result<(), AppError> {
        let access = in_organization(db, actor.clone(), scope, Capability::ManageSeats).await?;
        real::set_seats(db, context, &access, seats).await
    }
}

pub mod providers {
    use super::*;
    use app::providers::service as real;
    use app::providers::types::ProviderSettings;

    pub async fn settings(
        db: &impl ConnectionTrait,
        provider: ProviderId,
    ) -> Result<ProviderSettings, AppError> {
        let admin = admin_of(db, provider).await?;
        let access = gate::in_provider(admin, provider, Capability::ManageProviderSettings)?;
        real::settings(db, &access).await
    }

    pub async fn update_settings(
        db: &(impl ConnectionTrait + TransactionTrait),
        context: &EventContext,
        provider: ProviderId,
        input: ProviderSettings,
    ) -> Result<(), AppError> {
        let actor = acting_in(db, context, provider).await?;
        let access = gate::in_provider(actor, provider, Capability::ManageProviderSettings)?;
        real::update_settings(db, context, &access, input).await
    }
}
