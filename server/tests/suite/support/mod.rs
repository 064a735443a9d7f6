//! Test harness: every test gets its own freshly migrated database, on SQLite (a file in a
//! temporary directory) and on PostgreSQL (a schema of its own in `DATABASE_URL_TEST`), and
//! runs the same code against both.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use server::db::{self, ConnectExtras};

pub mod members;
pub mod witnessed;
use tempfile::TempDir;

pub struct TestDb {
    pub db: DatabaseConnection,
    pub backend: &'static str,
    /// The URL (and, on PostgreSQL, the schema) this test's database lives at.
    url: String,
    _dir: Option<TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite_empty() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("portal.db").display());
        let db = db::connect(&url).await.unwrap();
        Self {
            db,
            backend: "sqlite",
            url,
            _dir: Some(dir),
            pg: None,
        }
    }

    /// `None` when no PostgreSQL is configured; with `PORTAL_REQUIRE_POSTGRES=1` (set by the
    /// test command when it found a server) a missing one fails the test instead.
    pub async fn postgres_empty() -> Option<Self> {
        let Some(url) = std::env::var("DATABASE_URL_TEST")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            assert!(
                std::env::var("PORTAL_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "PORTAL_REQUIRE_POSTGRES=1 but DATABASE_URL_TEST is not set"
            );
            return None;
        };
        let schema = unique_schema();
        let admin = Database::connect(&url).await.unwrap();
        admin
            .execute(Statement::from_string(
                DbBackend::Postgres,
                format!("CREATE SCHEMA \"{schema}\""),
            ))
            .await
            .unwrap();
        admin.close().await.unwrap();
        // The test's connections carry its schema's name, so the cleanup can find them.
        let separator = if url.contains('?') { '&' } else { '?' };
        let test_url = format!("{url}{separator}application_name={schema}");
        let db = db::connect_with(
            &test_url,
            ConnectExtras {
                pg_schema: Some(schema.clone()),
            },
        )
        .await
        .unwrap();
        Some(Self {
            db,
            backend: "postgres",
            url: test_url,
            _dir: None,
            pg: Some((url, schema)),
        })
    }

    pub async fn migrated(self) -> Self {
        db::migrate(&self.db).await.unwrap();
        self
    }

    /// Another connection pool on the same database, as a second server instance would have.
    pub async fn second_connection(&self) -> DatabaseConnection {
        let extras = ConnectExtras {
            pg_schema: self.pg.as_ref().map(|(_, schema)| schema.clone()),
        };
        db::connect_with(&self.url, extras).await.unwrap()
    }

    /// The PostgreSQL schema this test works in (`None` on SQLite).
    pub fn pg_schema(&self) -> Option<String> {
        self.pg.as_ref().map(|(_, schema)| schema.clone())
    }

    /// Closes the pool; the schema or the directory goes when the value is dropped.
    pub async fn cleanup(self) {
        // Closing a clone closes the pool they share.
        self.db.clone().close().await.unwrap();
    }
}

/// A test leaves nothing behind, even when it fails: a panicking test never reaches
/// `cleanup`, so the PostgreSQL schema is dropped here. `Drop` cannot await, and the test's
/// runtime may be unwinding, so the drop runs on a thread and runtime of its own. That
/// runtime blocks the test's, so a connection the test left in a transaction (a service that
/// returned an error inside one: its rollback is sent by a task of the blocked runtime) would
/// hold its locks for ever: the test's own connections (named after its schema) are ended
/// first, and on one connection a lock still held makes the drop give up after five seconds
/// rather than hang the run.
impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((url, schema)) = self.pg.take() else {
            return;
        };
        let name = schema.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                // One connection, so the lock timeout applies to the drop.
                let mut options = sea_orm::ConnectOptions::new(url);
                options.max_connections(1).sqlx_logging(false);
                let admin = Database::connect(options)
                    .await
                    .map_err(|e| e.to_string())?;
                for sql in [
                    "SET lock_timeout = '5s'".to_owned(),
                    format!(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE application_name = '{schema}' AND pid <> pg_backend_pid()"
                    ),
                    format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"),
                ] {
                    admin
                        .execute(Statement::from_string(DbBackend::Postgres, sql))
                        .await
                        .map_err(|e| e.to_string())?;
                }
                admin.close().await.map_err(|e| e.to_string())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("test schema {name:?} was not dropped: {dropped:?}");
        }
    }
}

fn unique_schema() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// One test case per backend: `each_backend!(name)` runs `async fn name(t: TestDb)` as
/// `name::sqlite` and `name::postgres`, each on a fresh migrated database, so a failure on
/// one backend does not hide the other's result. Without a configured PostgreSQL the
/// postgres case passes without running; the test command sets `PORTAL_REQUIRE_POSTGRES=1`,
/// which makes a missing server fail it instead. Extra arguments go to `#[tokio::test(…)]`.
#[allow(unused_macros)]
macro_rules! each_backend {
    ($name:ident $(, $($arg:tt)*)?) => {
        mod $name {
            #[tokio::test $(($($arg)*))?]
            async fn sqlite() {
                super::$name($crate::support::TestDb::sqlite_empty().await.migrated().await).await;
            }
            #[tokio::test $(($($arg)*))?]
            async fn postgres() {
                if let Some(t) = $crate::support::TestDb::postgres_empty().await {
                    super::$name(t.migrated().await).await;
                }
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use each_backend;

/// [`each_backend!`] on empty (unmigrated) databases: for the migration tests.
#[allow(unused_macros)]
macro_rules! each_empty_backend {
    ($name:ident $(, $($arg:tt)*)?) => {
        mod $name {
            #[tokio::test $(($($arg)*))?]
            async fn sqlite() {
                super::$name($crate::support::TestDb::sqlite_empty().await).await;
            }
            #[tokio::test $(($($arg)*))?]
            async fn postgres() {
                if let Some(t) = $crate::support::TestDb::postgres_empty().await {
                    super::$name(t).await;
                }
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use each_empty_backend;

// --- Fixtures shared by the rule tests ---

use app::accounts::service::{self as accounts, AuthConfig};
use app::accounts::session::{self, ClientInfo};
use app::auth::{Actor, OrgScope};
use app::db::{events, organization_users, provider_users, users};
use app::error::{AppError, Field, Problem};
use app::events::service::EventContext;
use app::events::types::EventType;
use app::ids::{OrganizationId, OrganizationUserId, ProviderId, UserId};
use app::members::types::Permissions;
use app::organizations::service as organization_service;
use app::organizations::types::NewOrganizationForm;
use app::providers::service::{self as provider_service, Minimums, NewProvider, ProviderConfig};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

/// A user row without a usable password (rule tests never sign in with one), with a
/// verified address: an established account.
pub async fn user(db: &impl ConnectionTrait, email: &str) -> UserId {
    user_with_locale(db, email, "en").await
}

pub async fn user_with_locale(db: &impl ConnectionTrait, email: &str, locale: &str) -> UserId {
    let user = users::ActiveModel {
        email: Set(email.into()),
        name: Set(email.split('@').next().unwrap().into()),
        password_hash: Set("not-a-hash".into()),
        locale: Set(locale.into()),
        created_at: Set(Utc::now()),
        email_verified_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    UserId(user.id)
}

/// The actor of a fresh session for `user`, as a request would build it.
pub async fn actor(db: &impl ConnectionTrait, user: UserId) -> Actor {
    let token = session::create(
        db,
        &AuthConfig::default().session,
        user,
        &ClientInfo::default(),
        false,
        Utc::now(),
    )
    .await
    .unwrap();
    accounts::load_actor(db, &AuthConfig::default(), &token, Utc::now())
        .await
        .unwrap()
        .unwrap()
}

pub fn context(actor: &Actor) -> EventContext {
    EventContext {
        actor: Some(actor.user_id),
        client: ClientInfo {
            ip: Some("192.0.2.1".into()),
            user_agent: Some("test".into()),
        },
        at: Utc::now(),
    }
}

/// A provider set up by the operator, with `admin_email` (an existing user) as its confirmed
/// Provider Admin.
pub async fn provider(db: &DatabaseConnection, name: &str, admin_email: &str) -> ProviderId {
    provider_service::create_by_operator(
        db,
        &ProviderConfig::default(),
        admin_email,
        NewProvider {
            name: name.into(),
            business_name: String::new(),
            billing_email: format!(
                "billing@{}.example",
                name.to_lowercase()
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
            ),
        },
        Minimums::default(),
        &EventContext {
            actor: None,
            client: ClientInfo::default(),
            at: Utc::now(),
        },
    )
    .await
    .unwrap()
}

/// A provider member row in any state (`kind`: provider_admin / service_user).
pub async fn provider_member(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    user: Option<UserId>,
    email: &str,
    kind: &str,
    status: &str,
) -> i64 {
    provider_users::ActiveModel {
        provider_id: Set(provider.0),
        user_id: Set(user.map(|u| u.0)),
        email: Set(email.into()),
        r#type: Set(app::vocabulary::ProviderUserType::parse(kind).expect("a provider user type")),
        status: Set(app::vocabulary::MemberStatus::parse(status).expect("a member status")),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

/// Makes `organization` a client of `provider` (the link row alone, as a fixture).
pub async fn link_client(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    organization: app::ids::OrganizationId,
) {
    app::db::provider_organizations::ActiveModel {
        provider_id: sea_orm::Set(provider.0),
        organization_id: sea_orm::Set(organization.0),
        created_at: sea_orm::Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

/// An organization outside providers, created through the service by `owner`, who becomes
/// its confirmed Owner.
pub async fn own_organization(
    db: &DatabaseConnection,
    owner: &Actor,
    name: &str,
    plan: &str,
    seats: u32,
) -> OrganizationId {
    organization_service::create(
        db,
        owner,
        NewOrganizationForm {
            name: name.into(),
            billing_email: owner.email.clone(),
            plan: plan.into(),
            billing_cycle: "annual".into(),
            seats: seats.to_string(),
        }
        .read()
        .unwrap(),
        None,
        &context(owner),
    )
    .await
    .unwrap()
}

/// "Acme", a Teams organization outside providers owned by `owner`, as the guard's scope.
pub async fn acme(db: &DatabaseConnection, owner: UserId, seats: u32) -> OrgScope {
    let owner = actor(db, owner).await;
    OrgScope {
        organization_id: own_organization(db, &owner, "Acme", "teams", seats).await,
        provider_id: None,
    }
}

/// An organization member row in any state (`kind`: owner / admin / user / custom; `status`:
/// invited / accepted / confirmed / revoked); `user` `None` is an invitation to `email`.
pub async fn membership(
    db: &impl ConnectionTrait,
    organization: OrganizationId,
    user: Option<UserId>,
    email: &str,
    kind: &str,
    status: &str,
    permissions: Permissions,
) -> OrganizationUserId {
    let row = organization_users::ActiveModel {
        organization_id: Set(organization.0),
        user_id: Set(user.map(|u| u.0)),
        email: Set(email.into()),
        r#type: Set(app::vocabulary::OrgUserType::parse(kind).expect("an organization user type")),
        status: Set(app::vocabulary::MemberStatus::parse(status).expect("a member status")),
        permissions: Set(permissions.0),
        reset_password_enrolled: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    OrganizationUserId(row.id)
}

/// How many events of one type were recorded.
pub async fn events_of(db: &impl ConnectionTrait, event: EventType) -> u64 {
    events::Entity::find()
        .filter(events::Column::Type.eq(event.code()))
        .count(db)
        .await
        .unwrap()
}

/// The problem `result` reports for `field`; panics when it succeeded or blamed another field.
pub fn problem(result: Result<impl std::fmt::Debug, AppError>, field: Field) -> Problem {
    match result {
        Err(error) => error
            .problem_for(field)
            .unwrap_or_else(|| panic!("no problem for {field:?} in {error:?}")),
        Ok(value) => panic!("expected a problem for {field:?}, got {value:?}"),
    }
}

// --- A real SMTP server for mail tests ---

/// maildev (from `end2end/node_modules`, installed by `.ci/setup`) on free ports: a real SMTP
/// server that keeps what it receives and shows it over HTTP. Stopped when dropped.
pub struct SmtpSink {
    child: std::process::Child,
    pub smtp_port: u16,
    web_port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpSink {
    pub fn start() -> Self {
        let bin = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../end2end/node_modules/.bin/maildev");
        assert!(
            bin.exists(),
            "maildev is missing at {}: run `bash .ci/setup` (it installs end2end's npm packages)",
            bin.display()
        );
        let (smtp_port, web_port) = (free_port(), free_port());
        let child = std::process::Command::new(bin)
            .args(["--ip", "127.0.0.1", "--silent"])
            .args([
                "--smtp",
                &smtp_port.to_string(),
                "--web",
                &web_port.to_string(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let sink = Self {
            child,
            smtp_port,
            web_port,
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while sink.try_mails().is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "maildev did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        sink
    }

    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.smtp_port)
    }

    fn try_mails(&self) -> Result<Vec<serde_json::Value>, ureq::Error> {
        ureq::get(&format!("http://127.0.0.1:{}/email", self.web_port))
            .call()?
            .body_mut()
            .read_json()
    }

    /// The mails received for `to` so far, without waiting.
    pub fn mails_now(&self, to: &str) -> Vec<serde_json::Value> {
        self.try_mails()
            .unwrap()
            .into_iter()
            .filter(|mail| {
                mail["to"]
                    .as_array()
                    .is_some_and(|list| list.iter().any(|a| a["address"] == to))
            })
            .collect()
    }

    /// The mails received for `to`, oldest first; waits a little for one to arrive.
    pub fn mails_to(&self, to: &str) -> Vec<serde_json::Value> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let mails: Vec<serde_json::Value> = self
                .try_mails()
                .unwrap()
                .into_iter()
                .filter(|mail| {
                    mail["to"]
                        .as_array()
                        .is_some_and(|list| list.iter().any(|a| a["address"] == to))
                })
                .collect();
            if !mails.is_empty() || std::time::Instant::now() > deadline {
                return mails;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- Calling the portal over HTTP, as a browser would ---

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The portal's router with a laptop deployment's settings (no built site needed).
pub fn router_for(db: &DatabaseConnection) -> Router {
    server::http::router(state_for(db))
}

/// [`router_for`] with mail on, through `smtp_url`.
pub fn router_with_mail(db: &DatabaseConnection, smtp_url: &str) -> Router {
    let mut state = state_for(db);
    state.mailer = app::mail::Mailer::new(Some(smtp_url), "portal@portal.example").unwrap();
    server::http::router(state)
}

fn state_for(db: &DatabaseConnection) -> server::http::AppState {
    let options = leptos::config::LeptosOptions::builder()
        .output_name("provider-portal")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    server::http::AppState::new(options, db.clone())
}

/// The session cookie of a fresh session for `user`.
pub async fn session_cookie(db: &impl ConnectionTrait, user: UserId) -> String {
    let token = session::create(
        db,
        &AuthConfig::default().session,
        user,
        &ClientInfo::default(),
        false,
        Utc::now(),
    )
    .await
    .unwrap();
    format!("portal_session={token}")
}

/// Sends `request`; the status, the headers and the body as text.
pub async fn send(
    app: &Router,
    request: Request<Body>,
) -> (StatusCode, Vec<(String, String)>, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// A server function call: a form post asking for JSON, with an optional session cookie.
pub async fn post_form(
    app: &Router,
    path: &str,
    body: &str,
    cookie: Option<&str>,
) -> (StatusCode, String) {
    let content_type = content_type_of(body);
    let mut request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json")
        // What a browser's fetch says of a call from the portal's own page.
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let (status, _, body) = send(app, request.body(Body::from(body.to_owned())).unwrap()).await;
    (status, body)
}

/// A plain GET, with an optional session cookie.
pub async fn get_path(
    app: &Router,
    path: &str,
    cookie: Option<&str>,
) -> (StatusCode, Vec<(String, String)>, String) {
    let mut request = Request::builder().uri(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// A user row whose address was never verified (registered while mail was off, or by
/// someone who typed an address they do not own).
pub async fn unverified_user(db: &impl ConnectionTrait, email: &str) -> UserId {
    let id = user(db, email).await;
    users::Entity::update_many()
        .col_expr(
            users::Column::EmailVerifiedAt,
            sea_orm::sea_query::Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(users::Column::Id.eq(id.0))
        .exec(db)
        .await
        .unwrap();
    id
}

/// The first link in a mail's text that starts with `prefix` (a verification or invitation
/// link), up to the end of its line.
pub fn link_in(mail: &serde_json::Value, prefix: &str) -> String {
    let text = mail["text"].as_str().unwrap();
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no link starting {prefix} in {text}"));
    text[start..].lines().next().unwrap().trim().to_owned()
}

/// The login hash a browser derives from `password` for an account made with `email` at the
/// default KDF settings (VAULT.md §2): what a sign-in sends instead of the password. Derived
/// natively with the same code, once per pair (PBKDF2 600,000 takes a moment).
pub fn login_hash(email: &str, password: &str) -> String {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    static KNOWN: LazyLock<Mutex<HashMap<(String, String), String>>> =
        LazyLock::new(Default::default);
    let salt = app::crypto::email_salt(email);
    let key = (salt.clone(), password.to_owned());
    if let Some(hash) = KNOWN.lock().unwrap().get(&key) {
        return hash.clone();
    }
    let hash =
        app::crypto::account::login_hash(password, &salt, app::crypto::Kdf::default()).unwrap();
    KNOWN.lock().unwrap().insert(key, hash.clone());
    hash
}

/// How a server-function call's body is sent: the endpoints whose arguments are keys take JSON,
/// so a JSON object goes as JSON, anything else as a form.
pub fn content_type_of(body: &str) -> &'static str {
    if body.starts_with('{') {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    }
}

/// A well-formed type-2 envelope (VAULT.md §8's known answer), for bodies that must decode.
pub const ENVELOPE: &str = "2.2NokAMS6llUxk26oueMqrA==|6k0QD71SJLy2WEBDkV4esiTrgkP/z7eoSedSesGLGYE=|PE4sb0jpAwZW+tnyPuW43eeWvSxjvdw3xMJlPGbDlYI=";

/// `login_hash`, form-encoded for a request body.
pub fn login_hash_form(email: &str, password: &str) -> String {
    form_urlencoded::byte_serialize(login_hash(email, password).as_bytes()).collect()
}

/// What a browser sends to change `actor`'s master password from `current` to `new`: the
/// current login hash and the same user key wrapped under the new password (VAULT.md §2).
pub async fn rewrap(
    db: &impl ConnectionTrait,
    actor: &Actor,
    current: &str,
    new: &str,
) -> (String, app::crypto::MasterPasswordKeys) {
    let keys = app::accounts::service::own_keys(db, actor)
        .await
        .unwrap()
        .expect("the account has keys");
    app::crypto::account::change_master_password(
        current,
        new,
        &keys.salt,
        keys.kdf,
        keys.kdf,
        &keys.user_key,
    )
    .unwrap()
}

/// A registration as the browser sends it: keys made from `password` for `email` (natively,
/// with the same code), in English.
pub fn web_registration(
    email: &str,
    name: &str,
    password: &str,
) -> app::accounts::service::WebRegistration {
    let salt = app::crypto::email_salt(email);
    app::accounts::service::WebRegistration {
        email: email.into(),
        name: name.into(),
        locale: "en".into(),
        keys: app::crypto::account::new_account(password, &salt, app::crypto::Kdf::default())
            .unwrap(),
    }
}

/// The login hash as a browser derives it: with the settings and salt prelogin answers for
/// `email` (the account keeps the salt it was made with, whatever its address now).
pub async fn login_hash_via_prelogin(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
) -> String {
    let prelogin = app::accounts::prelogin::prelogin(db, email).await.unwrap();
    app::crypto::account::login_hash(password, &prelogin.salt, prelogin.kdf).unwrap()
}

/// A well-formed type-4 key (a new key wrapped to a new public key), for bodies that must decode.
pub fn wrapped_key() -> String {
    let (_, wrapped) =
        app::crypto::shared::new_provider(&app::crypto::PrivateKey::generate().public_key());
    wrapped.to_string()
}

/// A vault item as the browser sends it (JSON `{key, item}`): a secure note sealed under a new
/// item key, itself wrapped under `owner_key`.
/// A JSON body to a server function (`input = Json`) as `cookie`'s session.
pub async fn post_json(
    app: &Router,
    path: &str,
    body: serde_json::Value,
    cookie: &str,
) -> (axum::http::StatusCode, String) {
    post_form(app, path, &body.to_string(), Some(cookie)).await
}

pub fn item_input(owner_key: &app::crypto::SymmetricKey, name: &str) -> serde_json::Value {
    use app::crypto::vault::{Item, ItemType, new_item_key};
    let (item_key, key) = new_item_key(owner_key);
    let item = Item {
        notes: Some(format!("notes of {name}")),
        ..Item::new(ItemType::SecureNote, name.to_owned())
    };
    serde_json::json!({"key": key.to_string(), "item": item.seal(&item_key)})
}

/// A new master password's keys as a browser sends them (JSON): what account recovery sends.
pub fn master_keys() -> serde_json::Value {
    let salt = app::crypto::email_salt("someone@example.com");
    let keys = app::crypto::account::new_account(
        "a brand new passphrase",
        &salt,
        app::crypto::Kdf::default(),
    )
    .unwrap();
    serde_json::to_value(keys.master).unwrap()
}

/// A new organization's keys as the Password Manager's form sends them (JSON).
pub fn organization_keys() -> serde_json::Value {
    let owner = app::crypto::PrivateKey::generate().public_key();
    let (_, keys) = app::crypto::shared::new_organization(Some(&owner), None);
    serde_json::to_value(keys).unwrap()
}

/// A new client's keys as the New client dialog sends them (JSON): its key pair, and its key
/// under a provider key (a made-up one: the server checks the form only).
pub fn client_keys() -> serde_json::Value {
    let provider = app::crypto::SymmetricKey::generate();
    let (_, keys) = app::crypto::shared::new_organization(None, Some(&provider));
    serde_json::to_value(keys).unwrap()
}

/// A Confirm request's JSON body for one member of `place` ("o-1", "p-1"): a made-up key
/// wrapped to the tests' public key (an account given it by [`give_test_keys`] is confirmed).
pub fn confirm_body(place: &str, member: i64) -> String {
    let public_key = test_key_pair().public_key();
    let key = public_key.wrap_key(&app::crypto::SymmetricKey::generate());
    serde_json::json!({
        "place": place,
        "keys": [{"member": member, "public_key": public_key.to_base64(), "key": key.to_string()}],
    })
    .to_string()
}

/// One RSA key pair for the tests' accounts that need a public key (made once: a key pair
/// takes a moment).
pub fn test_key_pair() -> &'static app::crypto::PrivateKey {
    static PAIR: std::sync::OnceLock<app::crypto::PrivateKey> = std::sync::OnceLock::new();
    PAIR.get_or_init(app::crypto::PrivateKey::generate)
}

/// Gives `user`'s account the tests' public key, as a first sign-in makes keys.
pub async fn give_test_keys(db: &impl ConnectionTrait, user: UserId) {
    users::ActiveModel {
        id: Set(user.0),
        public_key: Set(Some(test_key_pair().public_key().to_base64())),
        ..Default::default()
    }
    .update(db)
    .await
    .unwrap();
}
