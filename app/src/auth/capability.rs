//! The decision table: for every role of DESIGN.md §1 and every capability, allowed or not.
//! This file is the whole policy; nothing else in the code base decides rights.

use serde::{Deserialize, Serialize};

use crate::members::types::Permissions;

/// Something an actor may want to do. Provider capabilities apply in a provider's scope,
/// organization capabilities in an organization's scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Capability {
    // --- provider scope
    /// See the Clients page and open a client's Admin Console.
    ViewClients,
    /// Rename a client, change its seats (rule 8 limits purchases separately).
    UpdateClient,
    /// Raise a client's seats above the plan's minimum regardless of the provider's setting
    /// "Service Users may purchase seats" (DESIGN.md rule 8; the setting is data, read by the
    /// clients service for everyone else who may `UpdateClient`).
    PurchaseSeats,
    /// New client, add existing organization, unlink.
    ManageClients,
    ManageProviderMembers,
    ViewProviderEventLogs,
    ManageProviderBilling,
    ManageProviderSettings,
    // --- organization scope
    /// Open the organization's Admin Console at all.
    AdministerOrganization,
    ManageOrgMembers,
    /// Invite, edit, revoke or remove Owners, or make someone an Owner.
    ManageOwners,
    ManageSeats,
    ManageAccountRecovery,
    ManagePolicies,
    ViewEventLogs,
    ManageOrgBilling,
    ManageOrgSettings,
    ImportVaultData,
    ExportVaultData,
    AccessReports,
    ManageGroups,
    ManageCollections,
    ViewVaultItems,
    /// Every item of the organization, in every collection or none, without being given the
    /// collection: Owners, Admins, Custom members who may edit any collection. A member's own
    /// access (provider users have none in a client's vault, V2).
    EditAnyItem,
    /// One's own membership: enrol in account recovery or withdraw. Members only (provider
    /// users administer a client without belonging to it).
    ManageOwnMembership,
}

impl Capability {
    pub const ALL: [Self; 25] = [
        Self::ViewClients,
        Self::UpdateClient,
        Self::PurchaseSeats,
        Self::ManageClients,
        Self::ManageProviderMembers,
        Self::ViewProviderEventLogs,
        Self::ManageProviderBilling,
        Self::ManageProviderSettings,
        Self::AdministerOrganization,
        Self::ManageOrgMembers,
        Self::ManageOwners,
        Self::ManageSeats,
        Self::ManageAccountRecovery,
        Self::ManagePolicies,
        Self::ViewEventLogs,
        Self::ManageOrgBilling,
        Self::ManageOrgSettings,
        Self::ImportVaultData,
        Self::ExportVaultData,
        Self::AccessReports,
        Self::ManageGroups,
        Self::ManageCollections,
        Self::ViewVaultItems,
        Self::EditAnyItem,
        Self::ManageOwnMembership,
    ];

    /// Seeing or exporting a vault's items, and one's own membership: a member's own access,
    /// not an administrative right.
    pub const fn is_vault_item_access(self) -> bool {
        matches!(
            self,
            Self::ViewVaultItems
                | Self::EditAnyItem
                | Self::ExportVaultData
                | Self::ManageOwnMembership
        )
    }

    pub const fn is_provider_scoped(self) -> bool {
        matches!(
            self,
            Self::ViewClients
                | Self::UpdateClient
                | Self::PurchaseSeats
                | Self::ManageClients
                | Self::ManageProviderMembers
                | Self::ViewProviderEventLogs
                | Self::ManageProviderBilling
                | Self::ManageProviderSettings
        )
    }
}

/// The role an actor holds in one scope. Only confirmed memberships yield a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// In its provider.
    ProviderAdmin,
    /// In its provider.
    ServiceUser,
    /// A confirmed member of the provider (either type) in one of its client organizations:
    /// owner-equivalent, except for the items in the client's vault (newest seed).
    ProviderUserInClient,
    Owner,
    Admin,
    User,
    Custom(Permissions),
}

/// The table. Read it as: "a <role> may <capability> when …".
pub const fn decide(role: Role, capability: Capability) -> bool {
    use Capability as C;
    match role {
        Role::ProviderAdmin => capability.is_provider_scoped(),
        Role::ServiceUser => matches!(capability, C::ViewClients | C::UpdateClient),
        Role::ProviderUserInClient => {
            !capability.is_provider_scoped()
                && !matches!(
                    capability,
                    C::ViewVaultItems
                        | C::EditAnyItem
                        | C::ExportVaultData
                        | C::ManageOwnMembership
                )
        }
        Role::Owner => !capability.is_provider_scoped(),
        Role::Admin => {
            !capability.is_provider_scoped()
                && !matches!(
                    capability,
                    C::ManageOwners | C::ManageSeats | C::ManageOrgBilling | C::ManageOrgSettings
                )
        }
        Role::User => matches!(capability, C::ViewVaultItems | C::ManageOwnMembership),
        Role::Custom(p) => match capability {
            C::AdministerOrganization => !p.is_empty(),
            C::ManageOrgMembers => p.contains(Permissions::MANAGE_USERS),
            C::ManageAccountRecovery => p.contains(Permissions::MANAGE_ACCOUNT_RECOVERY),
            C::ManagePolicies => p.contains(Permissions::MANAGE_POLICIES),
            C::ViewEventLogs => p.contains(Permissions::ACCESS_EVENT_LOGS),
            C::ImportVaultData | C::ExportVaultData => {
                p.contains(Permissions::ACCESS_IMPORT_EXPORT)
            }
            C::AccessReports => p.contains(Permissions::ACCESS_REPORTS),
            C::ManageGroups => p.contains(Permissions::MANAGE_GROUPS),
            C::ManageCollections => p.intersects(
                Permissions::CREATE_COLLECTIONS
                    .union(Permissions::EDIT_ANY_COLLECTION)
                    .union(Permissions::DELETE_ANY_COLLECTION),
            ),
            C::EditAnyItem => p.contains(Permissions::EDIT_ANY_COLLECTION),
            C::ViewVaultItems | C::ManageOwnMembership => true,
            _ => false,
        },
    }
}

impl crate::organizations::types::ConsoleSection {
    /// The capability that opens the section.
    pub const fn capability(self) -> Capability {
        use crate::organizations::types::ConsoleSection as S;
        match self {
            S::Members => Capability::ManageOrgMembers,
            S::Collections => Capability::ManageCollections,
            S::EventLogs => Capability::ViewEventLogs,
            S::Subscription => Capability::ManageSeats,
            S::BillingInformation => Capability::ManageOrgBilling,
            S::OrganizationInfo => Capability::ManageOrgSettings,
            S::Policies => Capability::ManagePolicies,
        }
    }
}

impl Role {
    /// The role an organization member of this type holds (flags count for Custom only).
    pub const fn of_member(
        user_type: crate::members::types::OrgUserType,
        permissions: Permissions,
    ) -> Self {
        use crate::members::types::OrgUserType;
        match user_type {
            OrgUserType::Owner => Self::Owner,
            OrgUserType::Admin => Self::Admin,
            OrgUserType::User => Self::User,
            OrgUserType::Custom => Self::Custom(permissions),
        }
    }
}
