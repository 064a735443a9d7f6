//! The vault's tables (issue 22, VAULT.md §3). Everything a user typed arrives sealed in the
//! browser (type-2 envelopes): the server keeps it and checks only its form.
//!
//! - `ciphers`: an item, owned by a user (personal) *or* an organization (shared), never both
//!   and never neither (a check). `key` is the item's own key under the owner's key; `data` the
//!   item in Bitwarden's field-level JSON, every user string a type-2 envelope under the item
//!   key (`portal_crypto::vault::SealedItem`); `type` is kept beside it for filters. `revision`
//!   counts writes: a write names the revision it was based on, and a stale one changes
//!   nothing (V4). `deleted_at` is the trash (V5).
//! - `folders` are a user's own; `cipher_folders` and `favorites` are per user and item, so an
//!   organization item can sit in each member's own folder.
//! - `collections` hold an organization's items (`collection_ciphers`); `collection_members`
//!   says which members reach a collection and how (V3: read only, hide passwords, manage).
//!
//! Every row goes with what owns it (cascading deletes): a user, an organization, an item, a
//! collection or a membership.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OrganizationUsers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Folders {
    Table,
    Id,
    UserId,
    Name,
    CreatedAt,
    RevisionDate,
}

#[derive(DeriveIden)]
enum Ciphers {
    Table,
    Id,
    UserId,
    OrganizationId,
    Type,
    Key,
    Data,
    Revision,
    CreatedAt,
    RevisionDate,
    DeletedAt,
}

#[derive(DeriveIden)]
enum CipherFolders {
    Table,
    UserId,
    CipherId,
    FolderId,
}

#[derive(DeriveIden)]
enum Favorites {
    Table,
    UserId,
    CipherId,
}

#[derive(DeriveIden)]
enum Collections {
    Table,
    Id,
    OrganizationId,
    Name,
    ExternalId,
    CreatedAt,
    RevisionDate,
}

#[derive(DeriveIden)]
enum CollectionCiphers {
    Table,
    CollectionId,
    CipherId,
}

#[derive(DeriveIden)]
enum CollectionMembers {
    Table,
    CollectionId,
    OrganizationUserId,
    ReadOnly,
    HidePasswords,
    Manage,
}

fn id<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn reference<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().to_owned()
}

fn timestamp<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn flag<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .boolean()
        .not_null()
        .default(false)
        .to_owned()
}

/// A foreign key whose rows go with the row they point to.
fn owned_by(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    column: impl IntoIden + 'static,
) -> Result<(), DbErr> {
    manager
        .create_index(
            Index::create()
                .name(name)
                .table(table)
                .col(column)
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Folders::Table)
                    .col(id(Folders::Id))
                    .col(reference(Folders::UserId))
                    .col(ColumnDef::new(Folders::Name).text().not_null())
                    .col(timestamp(Folders::CreatedAt))
                    .col(timestamp(Folders::RevisionDate))
                    .foreign_key(&mut owned_by(
                        "fk_folders_user",
                        (Folders::Table, Folders::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_folders_user", Folders::Table, Folders::UserId).await?;

        let personal = Expr::col(Ciphers::UserId)
            .is_not_null()
            .and(Expr::col(Ciphers::OrganizationId).is_null());
        let shared = Expr::col(Ciphers::UserId)
            .is_null()
            .and(Expr::col(Ciphers::OrganizationId).is_not_null());
        manager
            .create_table(
                Table::create()
                    .table(Ciphers::Table)
                    .col(id(Ciphers::Id))
                    .col(ColumnDef::new(Ciphers::UserId).big_integer().null())
                    .col(ColumnDef::new(Ciphers::OrganizationId).big_integer().null())
                    .col(ColumnDef::new(Ciphers::Type).small_integer().not_null())
                    .col(ColumnDef::new(Ciphers::Key).text().not_null())
                    .col(ColumnDef::new(Ciphers::Data).text().not_null())
                    .col(
                        ColumnDef::new(Ciphers::Revision)
                            .big_integer()
                            .not_null()
                            .default(1),
                    )
                    .col(timestamp(Ciphers::CreatedAt))
                    .col(timestamp(Ciphers::RevisionDate))
                    .col(
                        ColumnDef::new(Ciphers::DeletedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    // One owner: a user or an organization.
                    .check(personal.or(shared))
                    .check(Expr::col(Ciphers::Type).between(1, 5))
                    .foreign_key(&mut owned_by(
                        "fk_ciphers_user",
                        (Ciphers::Table, Ciphers::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut owned_by(
                        "fk_ciphers_organization",
                        (Ciphers::Table, Ciphers::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_ciphers_user", Ciphers::Table, Ciphers::UserId).await?;
        index(
            manager,
            "ix_ciphers_organization",
            Ciphers::Table,
            Ciphers::OrganizationId,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CipherFolders::Table)
                    .col(reference(CipherFolders::UserId))
                    .col(reference(CipherFolders::CipherId))
                    .col(reference(CipherFolders::FolderId))
                    .primary_key(
                        Index::create()
                            .col(CipherFolders::UserId)
                            .col(CipherFolders::CipherId),
                    )
                    .foreign_key(&mut owned_by(
                        "fk_cipher_folders_user",
                        (CipherFolders::Table, CipherFolders::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut owned_by(
                        "fk_cipher_folders_cipher",
                        (CipherFolders::Table, CipherFolders::CipherId),
                        (Ciphers::Table, Ciphers::Id),
                    ))
                    .foreign_key(&mut owned_by(
                        "fk_cipher_folders_folder",
                        (CipherFolders::Table, CipherFolders::FolderId),
                        (Folders::Table, Folders::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Favorites::Table)
                    .col(reference(Favorites::UserId))
                    .col(reference(Favorites::CipherId))
                    .primary_key(
                        Index::create()
                            .col(Favorites::UserId)
                            .col(Favorites::CipherId),
                    )
                    .foreign_key(&mut owned_by(
                        "fk_favorites_user",
                        (Favorites::Table, Favorites::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut owned_by(
                        "fk_favorites_cipher",
                        (Favorites::Table, Favorites::CipherId),
                        (Ciphers::Table, Ciphers::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Collections::Table)
                    .col(id(Collections::Id))
                    .col(reference(Collections::OrganizationId))
                    .col(ColumnDef::new(Collections::Name).text().not_null())
                    .col(
                        ColumnDef::new(Collections::ExternalId)
                            .string_len(300)
                            .null(),
                    )
                    .col(timestamp(Collections::CreatedAt))
                    .col(timestamp(Collections::RevisionDate))
                    .foreign_key(&mut owned_by(
                        "fk_collections_organization",
                        (Collections::Table, Collections::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_collections_organization",
            Collections::Table,
            Collections::OrganizationId,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CollectionCiphers::Table)
                    .col(reference(CollectionCiphers::CollectionId))
                    .col(reference(CollectionCiphers::CipherId))
                    .primary_key(
                        Index::create()
                            .col(CollectionCiphers::CollectionId)
                            .col(CollectionCiphers::CipherId),
                    )
                    .foreign_key(&mut owned_by(
                        "fk_collection_ciphers_collection",
                        (CollectionCiphers::Table, CollectionCiphers::CollectionId),
                        (Collections::Table, Collections::Id),
                    ))
                    .foreign_key(&mut owned_by(
                        "fk_collection_ciphers_cipher",
                        (CollectionCiphers::Table, CollectionCiphers::CipherId),
                        (Ciphers::Table, Ciphers::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // An item's collections, looked up from the item (the key's other end).
        index(
            manager,
            "ix_collection_ciphers_cipher",
            CollectionCiphers::Table,
            CollectionCiphers::CipherId,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CollectionMembers::Table)
                    .col(reference(CollectionMembers::CollectionId))
                    .col(reference(CollectionMembers::OrganizationUserId))
                    .col(flag(CollectionMembers::ReadOnly))
                    .col(flag(CollectionMembers::HidePasswords))
                    .col(flag(CollectionMembers::Manage))
                    .primary_key(
                        Index::create()
                            .col(CollectionMembers::CollectionId)
                            .col(CollectionMembers::OrganizationUserId),
                    )
                    .foreign_key(&mut owned_by(
                        "fk_collection_members_collection",
                        (CollectionMembers::Table, CollectionMembers::CollectionId),
                        (Collections::Table, Collections::Id),
                    ))
                    .foreign_key(&mut owned_by(
                        "fk_collection_members_member",
                        (
                            CollectionMembers::Table,
                            CollectionMembers::OrganizationUserId,
                        ),
                        (OrganizationUsers::Table, OrganizationUsers::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_collection_members_member",
            CollectionMembers::Table,
            CollectionMembers::OrganizationUserId,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Children before parents.
        for table in [
            CollectionMembers::Table.into_iden(),
            CollectionCiphers::Table.into_iden(),
            Collections::Table.into_iden(),
            Favorites::Table.into_iden(),
            CipherFolders::Table.into_iden(),
            Ciphers::Table.into_iden(),
            Folders::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
