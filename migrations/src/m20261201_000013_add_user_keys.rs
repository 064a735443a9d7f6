//! Zero-knowledge accounts (issue 20, VAULT.md §1 and §3): each account's key-derivation
//! settings, the salt its master key is derived with, and its keys as the browser made them
//! (the user key wrapped by the stretched master key, the public key, the private key wrapped
//! by the user key). All empty for accounts made before: `kdf` NULL marks an account that
//! still signs in with its password, until its next sign-in upgrades it.
//!
//! And one table of server secrets, made on first use and shared by every instance on the
//! database (the prelogin decoys must answer the same from each).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Kdf,
    KdfIterations,
    KdfMemoryMib,
    KdfParallelism,
    MasterPasswordSalt,
    UserKey,
    PublicKey,
    PrivateKey,
}

#[derive(DeriveIden)]
enum ServerSecrets {
    Table,
    Name,
    Value,
}

#[derive(Clone, Copy)]
enum Kind {
    String,
    Integer,
    Text,
}

const COLUMNS: [(Users, Kind); 8] = [
    (Users::Kdf, Kind::String),
    (Users::KdfIterations, Kind::Integer),
    (Users::KdfMemoryMib, Kind::Integer),
    (Users::KdfParallelism, Kind::Integer),
    (Users::MasterPasswordSalt, Kind::String),
    (Users::UserKey, Kind::Text),
    (Users::PublicKey, Kind::Text),
    (Users::PrivateKey, Kind::Text),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for (column, kind) in COLUMNS {
            let mut def = ColumnDef::new(column);
            match kind {
                Kind::String => def.string(),
                Kind::Integer => def.integer(),
                Kind::Text => def.text(),
            };
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(def.null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ServerSecrets::Table)
                    .col(
                        ColumnDef::new(ServerSecrets::Name)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ServerSecrets::Value).string().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ServerSecrets::Table).to_owned())
            .await?;
        for (column, _) in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
