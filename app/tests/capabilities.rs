//! The full capability matrix (every role × every capability), each Custom flag on its own,
//! and the guard's scoping: unconfirmed memberships, other providers, mismatched scopes.

use app::auth::capability::decide;
use app::auth::{
    Actor, Capability, OrgScope, OrganizationMembership, ProviderMembership, Role, Scope, require,
};
use app::error::AppError;
use app::ids::{OrganizationId, ProviderId, SessionId, UserId};
use app::members::types::{MemberStatus, OrgUserType, Permissions};
use app::providers::types::ProviderUserType;

const ALL_FLAGS: Permissions = Permissions(0b11_1111_1111);

/// Columns: ProviderAdmin, ServiceUser, ProviderUserInClient, Owner, Admin, User,
/// Custom without flags, Custom with every flag.
#[rustfmt::skip]
const MATRIX: &[(Capability, [u8; 8])] = &[
    //                                  PA SU PC OW AD US C0 C*
    (Capability::ViewClients,            [1, 1, 0, 0, 0, 0, 0, 0]),
    (Capability::UpdateClient,           [1, 1, 0, 0, 0, 0, 0, 0]),
    (Capability::PurchaseSeats,          [1, 0, 0, 0, 0, 0, 0, 0]),
    (Capability::ManageClients,          [1, 0, 0, 0, 0, 0, 0, 0]),
    (Capability::ManageProviderMembers,  [1, 0, 0, 0, 0, 0, 0, 0]),
    (Capability::ViewProviderEventLogs,  [1, 0, 0, 0, 0, 0, 0, 0]),
    (Capability::ManageProviderBilling,  [1, 0, 0, 0, 0, 0, 0, 0]),
    (Capability::ManageProviderSettings, [1, 0, 0, 0, 0, 0, 0, 0]),
    (Capability::AdministerOrganization, [0, 0, 1, 1, 1, 0, 0, 1]),
    (Capability::ManageOrgMembers,       [0, 0, 1, 1, 1, 0, 0, 1]),
    (Capability::ManageOwners,           [0, 0, 1, 1, 0, 0, 0, 0]),
    (Capability::ManageSeats,            [0, 0, 1, 1, 0, 0, 0, 0]),
    (Capability::ManageAccountRecovery,  [0, 0, 1, 1, 1, 0, 0, 1]),
    (Capability::ManagePolicies,         [0, 0, 1, 1, 1, 0, 0, 1]),
    (Capability::ViewEventLogs,          [0, 0, 1, 1, 1, 0, 0, 1]),
    (Capability::ManageOrgBilling,       [0, 0, 1, 1, 0, 0, 0, 0]),
    (Capability::ManageOrgSettings,      [0, 0, 1, 1, 0, 0, 0, 0]),
    (Capability::ImportVaultData,        [0, 0, 1, 1, 1, 0, 0, 1]),
    (Capability::ExportVaultData,        [0, 0, 0, 1, 1, 0, 0, 1]),
    (Capability::AccessReports,          [0, 0, 1, 1, 1, 0, 0, 1]),
    (Capability::ManageGroups,           [0, 0, 1, 1, 1, 0, 0, 1]),
    (Capability::ManageCollections,      [0, 0, 1, 1, 1, 0, 0, 1]),
    (Capability::ViewVaultItems,         [0, 0, 0, 1, 1, 1, 1, 1]),
    (Capability::EditAnyItem,            [0, 0, 0, 1, 1, 0, 0, 1]),
    (Capability::ManageOwnMembership,    [0, 0, 0, 1, 1, 1, 1, 1]),
];

const ROLES: [Role; 8] = [
    Role::ProviderAdmin,
    Role::ServiceUser,
    Role::ProviderUserInClient,
    Role::Owner,
    Role::Admin,
    Role::User,
    Role::Custom(Permissions::empty()),
    Role::Custom(ALL_FLAGS),
];

#[test]
fn the_matrix_covers_every_capability_once() {
    assert_eq!(MATRIX.len(), Capability::ALL.len());
    for capability in Capability::ALL {
        assert_eq!(
            MATRIX.iter().filter(|(c, _)| *c == capability).count(),
            1,
            "{capability:?}"
        );
    }
}

#[test]
fn every_role_and_capability_is_decided_as_the_table_says() {
    for (capability, row) in MATRIX {
        for (role, expected) in ROLES.iter().zip(row) {
            assert_eq!(
                decide(*role, *capability),
                *expected == 1,
                "{role:?} × {capability:?}"
            );
        }
    }
}

#[test]
fn each_custom_flag_unlocks_exactly_its_sections() {
    use Capability as C;
    let expectations: [(Permissions, &[Capability]); 10] = [
        (Permissions::ACCESS_EVENT_LOGS, &[C::ViewEventLogs]),
        (
            Permissions::ACCESS_IMPORT_EXPORT,
            &[C::ImportVaultData, C::ExportVaultData],
        ),
        (Permissions::ACCESS_REPORTS, &[C::AccessReports]),
        (Permissions::MANAGE_USERS, &[C::ManageOrgMembers]),
        (
            Permissions::MANAGE_ACCOUNT_RECOVERY,
            &[C::ManageAccountRecovery],
        ),
        (Permissions::MANAGE_GROUPS, &[C::ManageGroups]),
        (Permissions::MANAGE_POLICIES, &[C::ManagePolicies]),
        (Permissions::CREATE_COLLECTIONS, &[C::ManageCollections]),
        (
            Permissions::EDIT_ANY_COLLECTION,
            &[C::ManageCollections, C::EditAnyItem],
        ),
        (Permissions::DELETE_ANY_COLLECTION, &[C::ManageCollections]),
    ];
    assert_eq!(expectations.len(), Permissions::ALL.len());
    for (flag, unlocked) in expectations {
        for capability in Capability::ALL {
            // Any flag opens the console; every Custom member sees the vault and manages its
            // own membership like a User.
            let expected = unlocked.contains(&capability)
                || capability == C::AdministerOrganization
                || capability == C::ViewVaultItems
                || capability == C::ManageOwnMembership;
            assert_eq!(
                decide(Role::Custom(flag), capability),
                expected,
                "{flag:?} × {capability:?}"
            );
        }
    }
}

const P1: ProviderId = ProviderId(1);
const P2: ProviderId = ProviderId(2);
const O1: OrganizationId = OrganizationId(10);

fn actor(providers: Vec<ProviderMembership>, organizations: Vec<OrganizationMembership>) -> Actor {
    Actor {
        user_id: UserId(1),
        session_id: SessionId(1),
        email: "a@example.com".into(),
        email_verified: true,
        name: "A".into(),
        theme: app::vocabulary::Theme::System,
        lock: app::accounts::types::LockTimeout::DEFAULT,
        providers,
        organizations,
        must_change_password: false,
    }
}

fn provider_member(
    provider_id: ProviderId,
    user_type: ProviderUserType,
    status: MemberStatus,
) -> ProviderMembership {
    ProviderMembership {
        provider_id,
        user_type,
        status,
    }
}

fn org_member(user_type: OrgUserType, status: MemberStatus) -> OrganizationMembership {
    OrganizationMembership {
        blocked_by_two_step: false,
        organization_id: O1,
        user_type,
        status,
        permissions: Permissions::empty(),
    }
}

fn client_of(provider: Option<ProviderId>) -> Scope {
    Scope::Organization(OrgScope {
        organization_id: O1,
        provider_id: provider,
    })
}

#[test]
fn only_confirmed_memberships_count() {
    for status in [
        MemberStatus::Invited,
        MemberStatus::Accepted,
        MemberStatus::Revoked,
    ] {
        let a = actor(
            vec![provider_member(P1, ProviderUserType::ProviderAdmin, status)],
            vec![org_member(OrgUserType::Owner, status)],
        );
        assert_eq!(
            require(&a, Capability::ViewClients, Scope::Provider(P1)),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            require(&a, Capability::AdministerOrganization, client_of(Some(P1))),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            require(&a, Capability::AdministerOrganization, client_of(None)),
            Err(AppError::Forbidden)
        );
    }
}

/// An account an admin recovered holds its memberships still, but may use none of them until
/// it chooses its own master password (the admin knows the one it signed in with).
#[test]
fn a_recovered_account_may_do_nothing_until_it_chooses_a_password() {
    let mut owner = actor(
        vec![provider_member(
            P1,
            ProviderUserType::ProviderAdmin,
            MemberStatus::Confirmed,
        )],
        vec![org_member(OrgUserType::Owner, MemberStatus::Confirmed)],
    );
    owner.must_change_password = true;
    for (capability, scope) in [
        (Capability::ViewClients, Scope::Provider(P1)),
        (Capability::ManageOwnMembership, client_of(None)),
        (Capability::AdministerOrganization, client_of(Some(P1))),
    ] {
        assert_eq!(
            require(&owner, capability, scope),
            Err(AppError::Refused(
                app::error::Refusal::PasswordChangeRequired
            ))
        );
    }
    owner.must_change_password = false;
    assert_eq!(
        require(&owner, Capability::ViewClients, Scope::Provider(P1)),
        Ok(())
    );
}

#[test]
fn provider_users_reach_their_own_clients_only() {
    let service_user = actor(
        vec![provider_member(
            P1,
            ProviderUserType::ServiceUser,
            MemberStatus::Confirmed,
        )],
        vec![],
    );
    assert_eq!(
        require(
            &service_user,
            Capability::ManageOrgMembers,
            client_of(Some(P1))
        ),
        Ok(())
    );
    assert_eq!(
        require(&service_user, Capability::ManageSeats, client_of(Some(P1))),
        Ok(())
    );
    // No vault items for provider users, even owner-equivalent.
    assert_eq!(
        require(
            &service_user,
            Capability::ViewVaultItems,
            client_of(Some(P1))
        ),
        Err(AppError::Forbidden)
    );
    // Another provider's client, or an organization outside any provider: nothing.
    assert_eq!(
        require(
            &service_user,
            Capability::AdministerOrganization,
            client_of(Some(P2))
        ),
        Err(AppError::Forbidden)
    );
    assert_eq!(
        require(
            &service_user,
            Capability::AdministerOrganization,
            client_of(None)
        ),
        Err(AppError::Forbidden)
    );
    // And nothing in another provider.
    assert_eq!(
        require(&service_user, Capability::ViewClients, Scope::Provider(P2)),
        Err(AppError::Forbidden)
    );
    // A Service User is refused the Provider Admin's capabilities in its own provider.
    assert_eq!(
        require(
            &service_user,
            Capability::ManageClients,
            Scope::Provider(P1)
        ),
        Err(AppError::Forbidden)
    );
    assert_eq!(
        require(&service_user, Capability::ViewClients, Scope::Provider(P1)),
        Ok(())
    );
}

#[test]
fn an_organization_admin_outside_the_provider_has_no_provider_rights() {
    let admin = actor(
        vec![],
        vec![org_member(OrgUserType::Owner, MemberStatus::Confirmed)],
    );
    assert_eq!(
        require(&admin, Capability::ViewClients, Scope::Provider(P1)),
        Err(AppError::Forbidden)
    );
    assert_eq!(
        require(&admin, Capability::ManageSeats, client_of(Some(P1))),
        Ok(())
    );
}

#[test]
fn a_capability_in_the_wrong_scope_is_refused() {
    let admin = actor(
        vec![provider_member(
            P1,
            ProviderUserType::ProviderAdmin,
            MemberStatus::Confirmed,
        )],
        vec![],
    );
    assert_eq!(
        require(&admin, Capability::ManageClients, Scope::Provider(P1)),
        Ok(())
    );
    // Provider capabilities are never granted in an organization's scope, and vice versa.
    assert_eq!(
        require(&admin, Capability::ManageClients, client_of(Some(P1))),
        Err(AppError::Forbidden)
    );
    assert_eq!(
        require(&admin, Capability::ManageOrgMembers, Scope::Provider(P1)),
        Err(AppError::Forbidden)
    );
}

#[test]
fn the_strongest_of_several_roles_applies() {
    // A plain User of a client organization who is also a Service User of its provider.
    let both = actor(
        vec![provider_member(
            P1,
            ProviderUserType::ServiceUser,
            MemberStatus::Confirmed,
        )],
        vec![org_member(OrgUserType::User, MemberStatus::Confirmed)],
    );
    assert_eq!(
        require(&both, Capability::ManageOrgMembers, client_of(Some(P1))),
        Ok(())
    );
    // Its own membership still lets it see the vault items it was given.
    assert_eq!(
        require(&both, Capability::ViewVaultItems, client_of(Some(P1))),
        Ok(())
    );
}
