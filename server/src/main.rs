//! `server`: runs the portal (default), or operator commands.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use server::http::{AppState, router};
use server::{Config, StartupError, db};

#[derive(Parser)]
#[command(name = "server", version, about = "Provider Portal server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the portal (the default).
    Serve,
    /// Apply pending migrations and exit; with --down, revert them all.
    Migrate {
        #[arg(long)]
        down: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn")),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime ({err})");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), StartupError> {
    let config = Config::from_env()?;
    match command {
        Command::Serve => serve(config).await,
        Command::Migrate { down } => {
            let db = db::connect(&config.database_url).await?;
            let result = if down {
                db::rollback(&db).await
            } else {
                db::migrate(&db).await
            };
            result.map_err(|e| StartupError::Migration(e.to_string()))?;
            tracing::info!(down, "migrations done");
            Ok(())
        }
    }
}

async fn serve(config: Config) -> Result<(), StartupError> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| StartupError::Bind {
            addr: config.addr,
            reason: e.to_string(),
        })?;
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db)
        .await
        .map_err(|e| StartupError::Migration(e.to_string()))?;
    let state = AppState {
        leptos_options: config.leptos_options(),
        db,
    };
    tracing::info!(
        database = %db::redact(&config.database_url),
        "Provider Portal listening on http://{}",
        config.addr
    );
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| StartupError::Other(format!("the server stopped: {e}")))
}

/// Ctrl-C or SIGTERM: finish in-flight requests, then exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
