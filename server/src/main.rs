//! `server`: runs the portal (default), or operator commands.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use app::providers::service::Minimums;
use server::http::{AppState, router};
use server::{Config, StartupError, db, operator};

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
    /// Accounts: `server user create --email … --name …` (password on stdin).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Providers: `server provider create --name … --admin-email …`.
    Provider {
        #[command(subcommand)]
        command: ProviderCommand,
    },
    /// Demo data: the seeds' provider and clients (password for its accounts on stdin).
    Seed {
        #[command(subcommand)]
        command: SeedCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from stdin.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// en, nl, fr or sv.
        #[arg(long, default_value = "en")]
        locale: String,
    },
}

#[derive(Subcommand)]
enum ProviderCommand {
    /// Set up a provider whose Provider Admin is an existing account.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        business_name: Option<String>,
        /// Defaults to the admin's email.
        #[arg(long)]
        billing_email: Option<String>,
        #[arg(long)]
        teams_minimum: Option<u32>,
        #[arg(long)]
        enterprise_minimum: Option<u32>,
    },
}

#[derive(Subcommand)]
enum SeedCommand {
    /// admin@demo.example (Provider Admin) and service@demo.example (Service User) of
    /// "Demo MSP" with the seeds' three clients; `--clients N` adds N generated ones.
    Demo {
        #[arg(long, default_value_t = 0)]
        clients: u32,
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
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    name,
                    locale,
                },
        } => {
            let password = operator::read_password()?;
            let db = migrated(&config).await?;
            let id = operator::create_user(&db, &email, &name, &locale, password).await?;
            tracing::info!(user = %id, %email, "account created");
            Ok(())
        }
        Command::Provider {
            command:
                ProviderCommand::Create {
                    name,
                    admin_email,
                    business_name,
                    billing_email,
                    teams_minimum,
                    enterprise_minimum,
                },
        } => {
            let db = migrated(&config).await?;
            let args = operator::ProviderArgs {
                name,
                business_name,
                billing_email,
                admin_email,
                minimums: Minimums {
                    teams: teams_minimum.map(i64::from),
                    enterprise: enterprise_minimum.map(i64::from),
                },
            };
            let id = operator::create_provider(&db, &config.providers, args).await?;
            tracing::info!(provider = %id, "provider created");
            Ok(())
        }
        Command::Seed {
            command: SeedCommand::Demo { clients },
        } => {
            let password = operator::read_password()?;
            let db = migrated(&config).await?;
            let id = operator::seed_demo(&db, &config.providers, password, clients).await?;
            tracing::info!(
                provider = %id,
                admin = operator::DEMO_ADMIN,
                service_user = operator::DEMO_SERVICE_USER,
                "demo data loaded"
            );
            Ok(())
        }
    }
}

async fn migrated(config: &Config) -> Result<sea_orm::DatabaseConnection, StartupError> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db)
        .await
        .map_err(|e| StartupError::Migration(e.to_string()))?;
    Ok(db)
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
    let mut state = AppState::new(config.leptos_options(), db);
    state.origin_policy.public_origin = config.public_origin();
    state.auth = config.auth;
    state.providers = config.providers;
    state.secure_cookies = config.secure_cookies();
    tracing::info!(
        database = %db::redact(&config.database_url),
        "Provider Portal listening on http://{}",
        config.addr
    );
    // Connect info gives server functions the peer address (throttling, session list).
    let service = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
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
