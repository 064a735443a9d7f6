//! `server`: runs the portal (default), or operator commands.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use app::providers::service::Minimums;
use server::http::{AppState, router};
use server::{Config, StartupError, db, operator};

/// See the note on `mimalloc` in Cargo.toml: freed Argon2 blocks go back to the system.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "server", version, about = "Provider Portal server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the portal (the default). A brand-new database gets
    /// the demo data first, unless `--no-demo` or `DEMO=0`.
    Serve {
        #[arg(long)]
        no_demo: bool,
    },
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
    /// Demo data: admin@demo.example (Provider Admin) and service@demo.example (Service User)
    /// of "Demo MSP" with the seeds' three clients. Password: `DEMO_PASSWORD`, else random.
    SeedDemo,
    /// N generated clients with members in the demo provider (loaded first if missing): the
    /// Clients page at scale.
    SeedBulk {
        #[arg(long)]
        clients: u32,
    },
    /// N generated logins in the demo admin's own vault, sealed with its keys (`DEMO_PASSWORD`
    /// opens them): the Vault page at scale (`end2end/timing-vault.mjs`).
    SeedVault {
        #[arg(long)]
        items: u32,
    },
    /// Issue every provider's invoice for a month that is over (`--month YYYY-MM`); providers
    /// that have it already are left alone. `serve` does this by itself for the month before,
    /// at start and every hour.
    Invoice {
        #[arg(long)]
        month: String,
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
    /// Vouch for an address (portals without mail): an account waiting to move to it is
    /// moved (its sessions end), else the account with it is marked verified.
    Verify {
        #[arg(long)]
        email: String,
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
    /// Change a provider's seat minimum for one plan: `--provider ID --plan teams|enterprise
    /// --seats N`.
    SetMinimum {
        #[arg(long)]
        provider: i64,
        #[arg(long)]
        plan: String,
        #[arg(long)]
        seats: i64,
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
    match runtime.block_on(run(cli
        .command
        .unwrap_or(Command::Serve { no_demo: false })))
    {
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
        Command::Serve { no_demo } => serve(config, !no_demo).await,
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
        Command::User {
            command: UserCommand::Verify { email },
        } => {
            let db = migrated(&config).await?;
            operator::verify_user(&db, &email).await?;
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
        Command::Provider {
            command:
                ProviderCommand::SetMinimum {
                    provider,
                    plan,
                    seats,
                },
        } => {
            let db = migrated(&config).await?;
            let plan = app::organizations::types::Plan::parse(&plan)
                .filter(|p| p.is_provider_plan())
                .ok_or_else(|| {
                    StartupError::Other(format!("--plan must be teams or enterprise (got {plan})"))
                })?;
            app::billing::service::set_minimum(&db, app::ids::ProviderId(provider), plan, seats)
                .await
                .map_err(operator::explain)?;
            tracing::info!(
                provider,
                plan = plan.as_str(),
                seats,
                "seat minimum changed"
            );
            Ok(())
        }
        Command::Invoice { month } => {
            let db = migrated(&config).await?;
            let now = chrono::Utc::now();
            let period =
                app::billing::service::past_month(&month, now).map_err(operator::explain)?;
            let report = app::billing::service::issue_all(&db, &period, now)
                .await
                .map_err(operator::explain)?;
            tracing::info!(%period, issued = report.issued, already = report.already, "invoices");
            Ok(())
        }
        Command::SeedDemo => {
            let db = migrated(&config).await?;
            seed_demo(&db, &config).await.map(drop)
        }
        Command::SeedVault { items } => {
            let db = migrated(&config).await?;
            let password = config.demo_password.clone().ok_or_else(|| {
                StartupError::Other(
                    "seed-vault seals the items with the demo admin's keys: set DEMO_PASSWORD to \
                     its password"
                        .into(),
                )
            })?;
            let started = std::time::Instant::now();
            operator::bulk_items(&db, &password, items).await?;
            tracing::info!(
                items,
                seconds = started.elapsed().as_secs(),
                "generated logins added to the demo admin's vault"
            );
            Ok(())
        }
        Command::SeedBulk { clients } => {
            let db = migrated(&config).await?;
            // The clients' keys go under the demo provider's key, which only the demo admin's
            // password opens: the one just made, or DEMO_PASSWORD for demo data already there.
            let (provider, password) = match operator::demo_provider(&db).await? {
                Some(provider) => (provider, config.demo_password.clone()),
                None => {
                    let password = operator::demo_password(config.demo_password.clone());
                    let provider = seed_demo_with(&db, &config, password.clone()).await?;
                    (provider, Some(password))
                }
            };
            let Some(password) = password else {
                return Err(StartupError::Other(
                    "seed-bulk adds clients to the demo data already there: set DEMO_PASSWORD to \
                     its admin's password, so that each client's key can be wrapped under the \
                     provider's key"
                        .into(),
                ));
            };
            let key = operator::demo_provider_key(&db, provider, &password).await?;
            let started = std::time::Instant::now();
            operator::bulk_clients(&db, provider, clients, Some(&key))
                .await
                .map_err(|e| StartupError::Other(e.to_string()))?;
            tracing::info!(
                provider = %provider,
                clients,
                seconds = started.elapsed().as_secs(),
                "generated clients added to the demo provider"
            );
            Ok(())
        }
    }
}

/// Loads the demo data and shows its sign-ins once.
async fn seed_demo(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
) -> Result<app::ids::ProviderId, StartupError> {
    seed_demo_with(
        db,
        config,
        operator::demo_password(config.demo_password.clone()),
    )
    .await
}

async fn seed_demo_with(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    password: String,
) -> Result<app::ids::ProviderId, StartupError> {
    let provider = operator::seed_demo(db, &config.providers, password.clone()).await?;
    let base_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.addr));
    operator::print_demo_sign_ins(&base_url, &password);
    Ok(provider)
}

async fn migrated(config: &Config) -> Result<sea_orm::DatabaseConnection, StartupError> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db)
        .await
        .map_err(|e| StartupError::Migration(e.to_string()))?;
    Ok(db)
}

async fn serve(config: Config, demo: bool) -> Result<(), StartupError> {
    use axum::serve::ListenerExt;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| StartupError::Bind {
            addr: config.addr,
            reason: e.to_string(),
        })?
        // A page leaves in several writes (head, streamed body); with Nagle's algorithm on, the
        // last one waits for the browser's delayed ACK: ~40 ms on every keep-alive navigation.
        .tap_io(|stream| {
            if let Err(err) = stream.set_nodelay(true) {
                tracing::debug!(%err, "TCP_NODELAY not set on a connection");
            }
        });
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db)
        .await
        .map_err(|e| StartupError::Migration(e.to_string()))?;
    if demo && config.demo && operator::is_brand_new(&db).await? {
        // Two instances starting at once on one new database race here; the loser's seed
        // fails on the unique email and it serves the winner's data.
        if let Err(err) = seed_demo(&db, &config).await {
            tracing::warn!(%err, "demo data not loaded");
        }
    }
    let db_for_invoices = db.clone();
    let mut state = AppState::new(config.leptos_options(), db);
    state.origin_policy.public_origin = config.public_origin();
    state.header_policy.hsts = config
        .public_url
        .as_deref()
        .is_some_and(|url| url.starts_with("https://"));
    state.auth = config.auth;
    state.providers = config.providers;
    state.secure_cookies = config.secure_cookies();
    state.mailer = config.mailer()?;
    state.base_url = config.base_url();
    state.trusted_proxies = std::sync::Arc::from(config.trusted_proxies.clone());
    if state.mailer.is_on() {
        tracing::info!("mail goes out through SMTP_URL");
    } else {
        tracing::warn!(
            "mail is off (no SMTP_URL): inviters are shown the invitation links to pass on"
        );
    }
    tracing::info!(
        database = %db::redact(&config.database_url),
        "Provider Portal listening on http://{}",
        config.addr
    );
    tokio::spawn(hourly(db_for_invoices, config.auth.throttle));
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

/// At start-up and then every hour: the month before gets its invoices (the automatic run at
/// each month's start; every instance may run it, the unique (provider, period) makes the
/// second one a no-op), throttling rows no limit looks at any more are forgotten, and items
/// in the trash for 30 days are deleted for good (V5).
async fn hourly(
    db: sea_orm::DatabaseConnection,
    throttle: app::accounts::throttle::ThrottleConfig,
) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        hourly.tick().await;
        let now = chrono::Utc::now();
        if let Err(error) = app::accounts::throttle::forget_old(&db, &throttle, now).await {
            tracing::warn!(?error, "old sign-in attempts not forgotten");
        }
        match app::vault::service::purge_trash(&db, now).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "items past 30 days in the trash deleted"),
            Err(error) => tracing::warn!(?error, "the trash was not purged"),
        }
        let period = app::billing::service::previous_month(now);
        match app::billing::service::issue_all(&db, &period, now).await {
            Ok(report) if report.issued > 0 => {
                tracing::info!(%period, issued = report.issued, "monthly invoices issued");
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(?error, %period, "monthly invoices not issued"),
        }
    }
}
