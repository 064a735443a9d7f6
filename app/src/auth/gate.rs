//! The door of every endpoint. The first line of each server function is one call here that
//! names the scope it acts in, and it gets back a witness of what was checked:
//! - [`open`]: one of the few endpoints anyone may call; [`Open`] names every one of them;
//! - [`account`]: the signed-in caller's own account;
//! - [`provider`]: a capability in one provider;
//! - [`organization`]: a capability in one organization (as a member or through its provider);
//! - [`log`]: reading a provider's or an organization's event log;
//! - [`members`]: managing the members of an organization or a provider (one code path for
//!   both, `crate::members`).
//!
//! CSV and import routes are plain axum handlers: they build the caller with
//! [`actor_from_headers`] and get their witness from [`log_reader`] / [`in_provider`] /
//! [`in_organization`], the same checks (a personal import acts on the caller's own account).
//! `server/tests/suite/endpoints.rs` walks the server-function registry and every CSV and
//! import route and proves that a caller without a session is refused everywhere but [`Open`], and that
//! each role without the capability is refused.
//!
//! The witnesses (`super::witness`) can only be made in `auth` (their proof field is visible
//! to it alone), so a service that takes one knows the check ran: it cannot be called
//! without. Tests and the command line get theirs from [`in_provider`], [`in_organization`],
//! [`log_reader`] and [`manager`], the same checks without a request.

use http::HeaderMap;
use leptos::server_fn::ServerFn;
use sea_orm::ConnectionTrait;

use super::request::{RenderCache, ServerContext, cookie_value, server_context, session_token};
use super::witness::Checked;
pub use super::witness::{InOrganization, InProvider, LogReader, Manager, MemberScope};
use super::{Actor, Capability, OrgScope, Scope, require};
use crate::error::AppError;
use crate::events::types::LogOf;
use crate::ids::{OrganizationId, ProviderId};
use crate::vocabulary::Place;

/// The endpoints anyone may call without a session. Every other server function refuses
/// such callers with `Unauthenticated` before it reads its arguments' meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Open {
    /// Who is looking (nobody, for a visitor): every page's top bar asks.
    Viewer,
    Register,
    VerifyEmail,
    SignIn,
    /// The one sign-in of an account made before zero knowledge (password and new keys).
    UpgradeSignIn,
    /// The key-derivation settings for an address, before signing in (decoys for strangers).
    Prelogin,
    /// The second step holds only a pending session, which it checks itself.
    TwoStepSignIn,
    /// The master-password rules the registration form checks (by its invitation link).
    PasswordPolicy,
    /// An invitation link shows what it is for before the visitor signs in.
    InvitationPreview,
    /// Signing out without a session just clears the cookie.
    SignOut,
}

impl Open {
    pub const ALL: [Open; 10] = [
        Open::Viewer,
        Open::Register,
        Open::VerifyEmail,
        Open::SignIn,
        Open::UpgradeSignIn,
        Open::Prelogin,
        Open::TwoStepSignIn,
        Open::PasswordPolicy,
        Open::InvitationPreview,
        Open::SignOut,
    ];

    /// The endpoint's path, from the server function itself.
    pub fn path(self) -> &'static str {
        use crate::accounts::api as accounts;
        use crate::invitations::api as invitations;
        match self {
            Open::Viewer => accounts::CurrentViewer::PATH,
            Open::Register => accounts::Register::PATH,
            Open::VerifyEmail => accounts::VerifyEmail::PATH,
            Open::SignIn => accounts::SignIn::PATH,
            Open::UpgradeSignIn => accounts::UpgradeSignIn::PATH,
            Open::Prelogin => accounts::Prelogin::PATH,
            Open::TwoStepSignIn => accounts::CompleteTwoStepSignIn::PATH,
            Open::PasswordPolicy => accounts::PasswordPolicy::PATH,
            Open::InvitationPreview => invitations::PreviewInvitation::PATH,
            Open::SignOut => accounts::SignOut::PATH,
        }
    }
}

/// A caller of an [`Open`] endpoint, signed in or not.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub context: ServerContext,
    _checked: Checked,
}

impl Visitor {
    /// The signed-in caller, if any (one query; open endpoints that do not need it skip it).
    pub async fn actor(&self) -> Result<Option<Actor>, AppError> {
        load_actor(&self.context, session_token(&self.context)).await
    }
}

/// The signed-in caller, acting on their own account.
#[derive(Clone, Debug)]
pub struct Account {
    pub actor: Actor,
    pub context: ServerContext,
    _checked: Checked,
}

/// A witness inside a request, with what the request brings (database, settings, client).
#[derive(Clone, Debug)]
pub struct Within<W> {
    pub access: W,
    pub context: ServerContext,
}

/// One of the [`Open`] endpoints: anyone may call it.
pub async fn open(_endpoint: Open) -> Result<Visitor, AppError> {
    Ok(Visitor {
        context: server_context()?,
        _checked: Checked,
    })
}

/// The caller's own account: refused without a full session.
pub async fn account() -> Result<Account, AppError> {
    let context = server_context()?;
    let actor = signed_in(&context, session_token(&context)).await?;
    Ok(Account {
        actor,
        context,
        _checked: Checked,
    })
}

/// `capability` in `provider`: refused without a session, or without the right there.
pub async fn provider(
    provider: ProviderId,
    capability: Capability,
) -> Result<Within<InProvider>, AppError> {
    let Account { actor, context, .. } = account().await?;
    Ok(Within {
        access: in_provider(actor, provider, capability)?,
        context,
    })
}

/// The check [`provider`] makes, for callers outside a request (the command line, tests).
pub fn in_provider(
    actor: Actor,
    provider: ProviderId,
    capability: Capability,
) -> Result<InProvider, AppError> {
    check_provider(&actor, provider, capability)?;
    Ok(InProvider {
        actor,
        provider,
        capability,
        _checked: Checked,
    })
}

/// `capability` in `organization`: refused without a session, or without the right there.
/// An organization that does not exist is refused like one the caller may not see.
pub async fn organization(
    organization: OrganizationId,
    capability: Capability,
) -> Result<Within<InOrganization>, AppError> {
    let Account { actor, context, .. } = account().await?;
    let access = in_organization(&context.db, actor, organization, capability).await?;
    Ok(Within { access, context })
}

/// The check [`organization`] makes, for callers outside a request (the command line, tests).
pub async fn in_organization(
    db: &impl ConnectionTrait,
    actor: Actor,
    organization: OrganizationId,
    capability: Capability,
) -> Result<InOrganization, AppError> {
    let scope = check_organization(db, &actor, organization, capability).await?;
    Ok(InOrganization {
        actor,
        scope,
        capability,
        _checked: Checked,
    })
}

/// Reading an event log: the provider's needs `ViewProviderEventLogs`, an organization's
/// `ViewEventLogs`.
pub async fn log(log: LogOf) -> Result<Within<LogReader>, AppError> {
    let Account { actor, context, .. } = account().await?;
    let access = log_reader(&context.db, actor, log).await?;
    Ok(Within { access, context })
}

/// The check [`log`] makes, for callers outside a request (tests).
pub async fn log_reader(
    db: &impl ConnectionTrait,
    actor: Actor,
    log: LogOf,
) -> Result<LogReader, AppError> {
    check_log(db, &actor, log).await?;
    Ok(LogReader {
        actor,
        log,
        _checked: Checked,
    })
}

/// Managing the members of `place` (`ManageOrgMembers` in an organization,
/// `ManageProviderMembers` in a provider).
pub async fn members(place: Place) -> Result<Within<Manager>, AppError> {
    let Account { actor, context, .. } = account().await?;
    let access = manager(&context.db, actor, place).await?;
    Ok(Within { access, context })
}

/// The check [`members`] makes, for callers outside a request (the command line, tests): the
/// same guard, the same witness.
pub async fn manager(
    db: &impl ConnectionTrait,
    actor: Actor,
    place: Place,
) -> Result<Manager, AppError> {
    let capability = MemberScope::capability(place);
    let scope = match place {
        Place::Organization(organization) => MemberScope::Organization(
            check_organization(db, &actor, organization, capability).await?,
        ),
        Place::Provider(provider) => {
            check_provider(&actor, provider, capability)?;
            MemberScope::Provider(provider)
        }
    };
    Ok(Manager {
        actor,
        scope,
        _checked: Checked,
    })
}

/// The caller of a plain axum route (CSV downloads), from its session cookie. A database
/// error is an error, not a visitor.
pub async fn actor_from_headers(
    context: &ServerContext,
    headers: &HeaderMap,
) -> Result<Actor, AppError> {
    signed_in(
        context,
        cookie_value(headers, context.session_cookie_name()),
    )
    .await
}

fn check_provider(
    actor: &Actor,
    provider: ProviderId,
    capability: Capability,
) -> Result<(), AppError> {
    require(actor, capability, Scope::Provider(provider))
}

async fn check_organization(
    db: &impl ConnectionTrait,
    actor: &Actor,
    organization: OrganizationId,
    capability: Capability,
) -> Result<OrgScope, AppError> {
    let scope = crate::db::organizations::scope_of(db, organization)
        .await?
        .ok_or(AppError::Forbidden)?;
    require(actor, capability, Scope::Organization(scope))?;
    Ok(scope)
}

async fn check_log(db: &impl ConnectionTrait, actor: &Actor, log: LogOf) -> Result<(), AppError> {
    match log {
        LogOf::Provider(provider) => {
            check_provider(actor, provider, Capability::ViewProviderEventLogs)
        }
        LogOf::Organization(organization) => {
            check_organization(db, actor, organization, Capability::ViewEventLogs)
                .await
                .map(|_| ())
        }
    }
}

async fn load_actor(
    context: &ServerContext,
    token: Option<String>,
) -> Result<Option<Actor>, AppError> {
    let Some(token) = token else {
        return Ok(None);
    };
    let load = || {
        crate::accounts::service::load_actor(&context.db, &context.auth, &token, chrono::Utc::now())
    };
    match RenderCache::of_render() {
        Some(cache) => cache.actor(load).await,
        None => load().await,
    }
}

async fn signed_in(context: &ServerContext, token: Option<String>) -> Result<Actor, AppError> {
    load_actor(context, token)
        .await?
        .ok_or(AppError::Unauthenticated)
}
