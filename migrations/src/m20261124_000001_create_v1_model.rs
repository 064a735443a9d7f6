//! The v1 model of DESIGN.md §2: accounts, sessions, providers, organizations, their members,
//! the provider ↔ organization link, provider plans, events and invoices.
//!
//! Enumerations are stored as short lowercase strings (readable in SQL, stable when variants
//! are added); money is stored in cents; emails are stored lowercased so a plain unique index
//! makes them unique case-insensitively on every backend.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    Locale,
    TotpSecret,
    TotpRecoveryHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    UserAgent,
    Ip,
}

#[derive(DeriveIden)]
enum Providers {
    Table,
    Id,
    Name,
    BusinessName,
    BillingEmail,
    BillingAddress,
    TaxId,
    Enabled,
    ServiceUsersMayPurchaseSeats,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProviderUsers {
    Table,
    Id,
    ProviderId,
    UserId,
    Email,
    Type,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Name,
    BillingEmail,
    BillingAddress,
    TaxId,
    Plan,
    BillingCycle,
    Seats,
    Enabled,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrganizationUsers {
    Table,
    Id,
    OrganizationId,
    UserId,
    Email,
    Type,
    Status,
    Permissions,
    ResetPasswordEnrolled,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProviderOrganizations {
    Table,
    Id,
    ProviderId,
    OrganizationId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProviderPlans {
    Table,
    Id,
    ProviderId,
    Plan,
    SeatMinimum,
    PricePerSeatCents,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    At,
    Type,
    ActingUserId,
    ProviderId,
    OrganizationId,
    TargetKind,
    TargetId,
    Details,
    Ip,
    Device,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    ProviderId,
    OrganizationId,
    Period,
    Lines,
    TotalCents,
    Status,
    IssuedAt,
}

fn id<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn timestamp<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn fk(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::NoAction)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(id(Users::Id))
                    .col(ColumnDef::new(Users::Email).string_len(254).not_null())
                    .col(ColumnDef::new(Users::Name).string_len(100).not_null())
                    .col(
                        ColumnDef::new(Users::PasswordHash)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Users::Locale).string_len(8).not_null())
                    .col(ColumnDef::new(Users::TotpSecret).string_len(64).null())
                    .col(
                        ColumnDef::new(Users::TotpRecoveryHash)
                            .string_len(255)
                            .null(),
                    )
                    .col(timestamp(Users::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_users_email")
                    .table(Users::Table)
                    .col(Users::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(id(Sessions::Id))
                    .col(ColumnDef::new(Sessions::UserId).big_integer().not_null())
                    .col(
                        ColumnDef::new(Sessions::TokenHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(timestamp(Sessions::CreatedAt))
                    .col(timestamp(Sessions::LastSeenAt))
                    .col(timestamp(Sessions::ExpiresAt))
                    .col(ColumnDef::new(Sessions::UserAgent).string_len(512).null())
                    .col(ColumnDef::new(Sessions::Ip).string_len(64).null())
                    .foreign_key(&mut fk(
                        "fk_sessions_user",
                        (Sessions::Table, Sessions::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_sessions_token_hash")
                    .table(Sessions::Table)
                    .col(Sessions::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_user")
                    .table(Sessions::Table)
                    .col(Sessions::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Providers::Table)
                    .col(id(Providers::Id))
                    .col(ColumnDef::new(Providers::Name).string_len(50).not_null())
                    .col(
                        ColumnDef::new(Providers::BusinessName)
                            .string_len(100)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Providers::BillingEmail)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Providers::BillingAddress).text().null())
                    .col(ColumnDef::new(Providers::TaxId).string_len(64).null())
                    .col(
                        ColumnDef::new(Providers::Enabled)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(
                        ColumnDef::new(Providers::ServiceUsersMayPurchaseSeats)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(timestamp(Providers::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProviderUsers::Table)
                    .col(id(ProviderUsers::Id))
                    .col(
                        ColumnDef::new(ProviderUsers::ProviderId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ProviderUsers::UserId).big_integer().null())
                    .col(
                        ColumnDef::new(ProviderUsers::Email)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProviderUsers::Type)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProviderUsers::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(timestamp(ProviderUsers::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_provider_users_provider",
                        (ProviderUsers::Table, ProviderUsers::ProviderId),
                        (Providers::Table, Providers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_provider_users_user",
                        (ProviderUsers::Table, ProviderUsers::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_provider_users_provider_email")
                    .table(ProviderUsers::Table)
                    .col(ProviderUsers::ProviderId)
                    .col(ProviderUsers::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_provider_users_user")
                    .table(ProviderUsers::Table)
                    .col(ProviderUsers::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(id(Organizations::Id))
                    .col(
                        ColumnDef::new(Organizations::Name)
                            .string_len(50)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Organizations::BillingEmail)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Organizations::BillingAddress).text().null())
                    .col(ColumnDef::new(Organizations::TaxId).string_len(64).null())
                    .col(
                        ColumnDef::new(Organizations::Plan)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Organizations::BillingCycle)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Organizations::Seats).integer().not_null())
                    .col(
                        ColumnDef::new(Organizations::Enabled)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(timestamp(Organizations::CreatedAt))
                    .check(Expr::col(Organizations::Seats).gte(0))
                    .to_owned(),
            )
            .await?;
        // The Clients list sorts by name with the id as tie-break.
        manager
            .create_index(
                Index::create()
                    .name("ix_organizations_name_id")
                    .table(Organizations::Table)
                    .col(Organizations::Name)
                    .col(Organizations::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrganizationUsers::Table)
                    .col(id(OrganizationUsers::Id))
                    .col(
                        ColumnDef::new(OrganizationUsers::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrganizationUsers::UserId)
                            .big_integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(OrganizationUsers::Email)
                            .string_len(254)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrganizationUsers::Type)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrganizationUsers::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrganizationUsers::Permissions)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .col(
                        ColumnDef::new(OrganizationUsers::ResetPasswordEnrolled)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(timestamp(OrganizationUsers::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_organization_users_organization",
                        (OrganizationUsers::Table, OrganizationUsers::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_organization_users_user",
                        (OrganizationUsers::Table, OrganizationUsers::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_organization_users_organization_email")
                    .table(OrganizationUsers::Table)
                    .col(OrganizationUsers::OrganizationId)
                    .col(OrganizationUsers::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // "Used" seats are counted per organization and status, in the Clients query itself.
        manager
            .create_index(
                Index::create()
                    .name("ix_organization_users_organization_status")
                    .table(OrganizationUsers::Table)
                    .col(OrganizationUsers::OrganizationId)
                    .col(OrganizationUsers::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_organization_users_user")
                    .table(OrganizationUsers::Table)
                    .col(OrganizationUsers::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProviderOrganizations::Table)
                    .col(id(ProviderOrganizations::Id))
                    .col(
                        ColumnDef::new(ProviderOrganizations::ProviderId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProviderOrganizations::OrganizationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(timestamp(ProviderOrganizations::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_provider_organizations_provider",
                        (
                            ProviderOrganizations::Table,
                            ProviderOrganizations::ProviderId,
                        ),
                        (Providers::Table, Providers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_provider_organizations_organization",
                        (
                            ProviderOrganizations::Table,
                            ProviderOrganizations::OrganizationId,
                        ),
                        (Organizations::Table, Organizations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // Rule 3: an organization belongs to at most one provider; the database enforces it,
        // so two concurrent "add existing" requests cannot both win.
        manager
            .create_index(
                Index::create()
                    .name("ux_provider_organizations_organization")
                    .table(ProviderOrganizations::Table)
                    .col(ProviderOrganizations::OrganizationId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_provider_organizations_provider")
                    .table(ProviderOrganizations::Table)
                    .col(ProviderOrganizations::ProviderId)
                    .col(ProviderOrganizations::OrganizationId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProviderPlans::Table)
                    .col(id(ProviderPlans::Id))
                    .col(
                        ColumnDef::new(ProviderPlans::ProviderId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProviderPlans::Plan)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProviderPlans::SeatMinimum)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProviderPlans::PricePerSeatCents)
                            .big_integer()
                            .not_null(),
                    )
                    .check(Expr::col(ProviderPlans::SeatMinimum).gte(0))
                    .foreign_key(&mut fk(
                        "fk_provider_plans_provider",
                        (ProviderPlans::Table, ProviderPlans::ProviderId),
                        (Providers::Table, Providers::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_provider_plans_provider_plan")
                    .table(ProviderPlans::Table)
                    .col(ProviderPlans::ProviderId)
                    .col(ProviderPlans::Plan)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // Events are history: no foreign keys, so deleting a user or an organization never
        // rewrites or loses what happened.
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(id(Events::Id))
                    .col(timestamp(Events::At))
                    .col(ColumnDef::new(Events::Type).integer().not_null())
                    .col(ColumnDef::new(Events::ActingUserId).big_integer().null())
                    .col(ColumnDef::new(Events::ProviderId).big_integer().null())
                    .col(ColumnDef::new(Events::OrganizationId).big_integer().null())
                    .col(ColumnDef::new(Events::TargetKind).string_len(16).null())
                    .col(ColumnDef::new(Events::TargetId).big_integer().null())
                    .col(ColumnDef::new(Events::Details).text().null())
                    .col(ColumnDef::new(Events::Ip).string_len(64).null())
                    .col(ColumnDef::new(Events::Device).string_len(512).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_events_provider_at")
                    .table(Events::Table)
                    .col(Events::ProviderId)
                    .col(Events::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_events_organization_at")
                    .table(Events::Table)
                    .col(Events::OrganizationId)
                    .col(Events::At)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invoices::Table)
                    .col(id(Invoices::Id))
                    .col(ColumnDef::new(Invoices::ProviderId).big_integer().null())
                    .col(
                        ColumnDef::new(Invoices::OrganizationId)
                            .big_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(Invoices::Period).string_len(7).not_null())
                    .col(ColumnDef::new(Invoices::Lines).text().not_null())
                    .col(
                        ColumnDef::new(Invoices::TotalCents)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Invoices::Status).string_len(16).not_null())
                    .col(timestamp(Invoices::IssuedAt))
                    .foreign_key(&mut fk(
                        "fk_invoices_provider",
                        (Invoices::Table, Invoices::ProviderId),
                        (Providers::Table, Providers::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_invoices_organization",
                        (Invoices::Table, Invoices::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // One invoice per provider and month.
        manager
            .create_index(
                Index::create()
                    .name("ux_invoices_provider_period")
                    .table(Invoices::Table)
                    .col(Invoices::ProviderId)
                    .col(Invoices::Period)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_invoices_organization_period")
                    .table(Invoices::Table)
                    .col(Invoices::OrganizationId)
                    .col(Invoices::Period)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Reverse order of creation, so no foreign key points at a dropped table.
        for table in [
            Invoices::Table.into_iden(),
            Events::Table.into_iden(),
            ProviderPlans::Table.into_iden(),
            ProviderOrganizations::Table.into_iden(),
            OrganizationUsers::Table.into_iden(),
            Organizations::Table.into_iden(),
            ProviderUsers::Table.into_iden(),
            Providers::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
