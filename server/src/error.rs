//! Start-up failures. Each one prints as a single line that names the cause and the setting to
//! change; `main` turns it into a non-zero exit, never a panic.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(
        "DATABASE_URL is not a usable database address ({reason}); expected sqlite://path/to/file.db or postgres://user@host:port/database"
    )]
    InvalidDatabaseUrl { reason: String },

    #[error(
        "cannot create the SQLite database at {path} ({reason}); set DATABASE_URL to a writable location"
    )]
    DataDirUnwritable { path: PathBuf, reason: String },

    #[error("cannot connect to the database at {target} ({reason}); check DATABASE_URL")]
    DatabaseUnreachable { target: String, reason: String },

    #[error("database migration failed ({0}); the database was left unchanged")]
    Migration(String),

    #[error("{variable} is not a valid address ({value}); expected host:port, e.g. 127.0.0.1:3000")]
    InvalidAddress {
        variable: &'static str,
        value: String,
    },

    #[error("cannot listen on {addr} ({reason}); set PORTAL_ADDR to a free address")]
    Bind { addr: SocketAddr, reason: String },

    #[error("{0}")]
    Other(String),
}
