//! Operator commands: create an account, set up a provider, load demo data. They run the same
//! rules as the web (validation, hashing, events), on the configured database.

use std::collections::HashMap;
use std::io::BufRead;

use chrono::Utc;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryTrait, Set,
};

use app::accounts::service::{self as accounts, RegisterInput};
use app::accounts::session::ClientInfo;
use app::accounts::verification;
use app::clients::service as clients;
use app::clients::types::NewClientForm;
use app::crypto::shared::{new_organization, new_provider};
use app::crypto::{PublicKey, SymmetricKey};
use app::db::{organization_users, organizations, provider_organizations, provider_users, users};
use app::error::AppError;
use app::events::service::EventContext;
use app::ids::{ProviderId, UserId};
use app::organizations::service as orgs;
use app::organizations::types::NewOrganizationForm;
use app::organizations::types::name_key;
use app::providers::service::{self as providers, Minimums, NewProvider, ProviderConfig};
use app::vocabulary::{BillingCycle, MemberStatus, OrgUserType, Plan, ProviderUserType};

use crate::error::StartupError;

/// Reads one line (the password) from stdin, so it never appears in a process list.
pub fn read_password() -> Result<String, StartupError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| StartupError::Other(format!("cannot read the password from stdin: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(StartupError::Other(
            "give the password on stdin, e.g. `printf %s \"$PASSWORD\" | server user create …`"
                .into(),
        ));
    }
    Ok(password)
}

/// An operator-friendly sentence for a refused input.
pub fn explain(err: AppError) -> StartupError {
    let detail = match &err {
        AppError::Invalid(problems) => problems
            .iter()
            .map(|p| format!("{:?}: {:?}", p.field, p.problem))
            .collect::<Vec<_>>()
            .join(", "),
        AppError::NotFound => "no such account: ask the person to register first".into(),
        other => other.to_string(),
    };
    StartupError::Other(format!("refused: {detail}"))
}

fn operator_context() -> EventContext {
    EventContext {
        actor: None,
        client: ClientInfo {
            ip: None,
            user_agent: Some("server CLI".into()),
        },
        at: Utc::now(),
    }
}

/// An account made by the operator: its address counts as verified (the operator vouches
/// for it, as for `verify_user`).
pub async fn create_user(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    locale: &str,
    password: String,
) -> Result<UserId, StartupError> {
    let now = Utc::now();
    let user = accounts::register(
        db,
        RegisterInput {
            email: email.into(),
            name: name.into(),
            password: password.clone(),
            password_confirm: password,
            locale: locale.into(),
        },
        now,
    )
    .await
    .map_err(explain)?;
    app::db::users::mark_verified(db, user, now)
        .await
        .map_err(|e| explain(e.into()))?;
    Ok(user)
}

/// `server user verify --email`: see `verification::verify_by_operator`.
pub async fn verify_user(db: &DatabaseConnection, email: &str) -> Result<(), StartupError> {
    match verification::verify_by_operator(db, email, Utc::now())
        .await
        .map_err(explain)?
    {
        verification::OperatorVerified::Account(user) => {
            tracing::info!(%user, %email, "address verified");
        }
        verification::OperatorVerified::Change(user) => {
            tracing::info!(%user, %email, "account moved to its verified new address; its sessions ended");
        }
    }
    Ok(())
}

pub struct ProviderArgs {
    pub name: String,
    pub business_name: Option<String>,
    pub billing_email: Option<String>,
    pub admin_email: String,
    pub minimums: Minimums,
}

pub async fn create_provider(
    db: &DatabaseConnection,
    config: &ProviderConfig,
    args: ProviderArgs,
) -> Result<ProviderId, StartupError> {
    providers::create_by_operator(
        db,
        config,
        &args.admin_email,
        NewProvider {
            name: args.name,
            business_name: args.business_name.unwrap_or_default(),
            billing_email: args
                .billing_email
                .unwrap_or_else(|| args.admin_email.clone()),
        },
        args.minimums,
        &operator_context(),
    )
    .await
    .map_err(explain)
}

/// The accounts the demo data creates, by role.
pub const DEMO_ADMIN: &str = "admin@demo.example";
pub const DEMO_SERVICE_USER: &str = "service@demo.example";

/// The demo accounts' password: `DEMO_PASSWORD` (tests set it), else a random one. It reuses
/// the session-token generator (the OS's randomness): 24 base64url characters carry 144 bits.
pub fn demo_password(configured: Option<String>) -> String {
    configured.unwrap_or_else(|| app::accounts::session::new_token()[..24].to_owned())
}

/// No account exists yet: the only state in which `serve` loads the demo data on its own, so
/// that it never mixes demo accounts into a portal people already use.
pub async fn is_brand_new(db: &DatabaseConnection) -> Result<bool, StartupError> {
    use sea_orm::PaginatorTrait;
    let accounts = users::Entity::find()
        .count(db)
        .await
        .map_err(|e| StartupError::Other(e.to_string()))?;
    Ok(accounts == 0)
}

/// The provider the demo admin runs, when the demo data is there.
pub async fn demo_provider(db: &DatabaseConnection) -> Result<Option<ProviderId>, StartupError> {
    let fail = |e: sea_orm::DbErr| StartupError::Other(e.to_string());
    let Some(admin) = users::Entity::find()
        .filter(users::Column::Email.eq(DEMO_ADMIN))
        .one(db)
        .await
        .map_err(fail)?
    else {
        return Ok(None);
    };
    let membership = provider_users::Entity::find()
        .filter(provider_users::Column::UserId.eq(admin.id))
        .filter(provider_users::Column::Type.eq("provider_admin"))
        .one(db)
        .await
        .map_err(fail)?;
    Ok(membership.map(|m| ProviderId(m.provider_id)))
}

/// The demo sign-ins, on standard output: shown once, when the data is created (the password
/// is stored only as its hash).
#[allow(clippy::print_stdout)]
pub fn print_demo_sign_ins(base_url: &str, password: &str) {
    println!();
    println!("  Demo data loaded. Sign in at {base_url}/sign-in with");
    println!("    {DEMO_ADMIN:<24} (Provider Admin of \"Demo MSP\")");
    println!("    {DEMO_SERVICE_USER:<24} (Service User of \"Demo MSP\")");
    for client in &DEMO_CLIENTS {
        println!("    {:<24} (Owner of \"{}\")", client.owner, client.name);
    }
    println!("  and the password  {password}");
    println!("  It is shown only now. DEMO=0 (or `serve --no-demo`) starts without demo data.");
    println!();
}

/// The seeds' provider with its three clients (15/20/10 seats, each with its Owner and a few
/// items), a Service User, and an organization the admin owns and may add.
pub async fn seed_demo(
    db: &DatabaseConnection,
    config: &ProviderConfig,
    password: String,
) -> Result<ProviderId, StartupError> {
    let exists = users::Entity::find()
        .filter(users::Column::Email.eq(DEMO_ADMIN))
        .one(db)
        .await
        .map_err(|e| StartupError::Other(e.to_string()))?
        .is_some();
    if exists {
        return Err(StartupError::Other(format!(
            "demo data is already there ({DEMO_ADMIN} exists)"
        )));
    }
    let password_again = password.clone();
    let admin = create_user(db, DEMO_ADMIN, "Alex Admin", "en", password.clone()).await?;
    let service = create_user(db, DEMO_SERVICE_USER, "Sam Service", "en", password).await?;
    let provider = create_provider(
        db,
        config,
        ProviderArgs {
            name: "Demo MSP".into(),
            business_name: Some("Demo Managed Services Ltd".into()),
            billing_email: Some("billing@demo.example".into()),
            admin_email: DEMO_ADMIN.into(),
            minimums: Minimums::default(),
        },
    )
    .await?;
    let now = Utc::now();
    // What the admin's browser does at its first visit, and Confirm for the service user: the
    // provider key, wrapped to each one's public key (only public keys are needed to give).
    let (provider_key, for_admin) = new_provider(&public_key_of(db, admin).await?);
    providers::set_up_keys(db, provider, admin, &for_admin, now)
        .await
        .map_err(explain)?;
    let for_service = public_key_of(db, service).await?.wrap_key(&provider_key);
    provider_users::ActiveModel {
        provider_id: Set(provider.0),
        user_id: Set(Some(service.0)),
        email: Set(DEMO_SERVICE_USER.into()),
        r#type: Set(ProviderUserType::ServiceUser),
        status: Set(MemberStatus::Confirmed),
        created_at: Set(now),
        key: Set(Some(for_service.to_string())),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| StartupError::Other(e.to_string()))?;
    let context = EventContext {
        actor: Some(admin),
        ..operator_context()
    };
    // The demo admin acts as itself, through the same checks a request makes.
    let admin_actor = actor(db, admin).await?;
    let in_provider = app::auth::gate::in_provider(
        admin_actor.clone(),
        provider,
        app::auth::Capability::ManageClients,
    )
    .map_err(explain)?;
    let mut clients_made = Vec::new();
    for client in DEMO_CLIENTS {
        let input = NewClientForm {
            name: client.name.into(),
            plan: client.plan.into(),
            seats: client.seats.into(),
            owner_email: client.owner.into(),
        }
        .read()
        .map_err(explain)?;
        // The admin's browser makes each client's keys; the invited owner gets the organization
        // key when confirmed.
        let (client_key, keys) = new_organization(None, Some(&provider_key));
        let organization = clients::create(db, &in_provider, input, Some(&keys), &context)
            .await
            .map_err(explain)?;
        clients_made.push((client, organization, client_key));
    }
    for (client, organization, client_key) in clients_made {
        seed_demo_client(
            db,
            &admin_actor,
            client,
            organization,
            &client_key,
            &password_again,
            &context,
        )
        .await?;
    }
    let (northwind_key, northwind_keys) =
        new_organization(Some(&public_key_of(db, admin).await?), None);
    let northwind = orgs::create(
        db,
        &admin_actor,
        NewOrganizationForm {
            name: "Northwind Traders".into(),
            billing_email: DEMO_ADMIN.into(),
            plan: "teams".into(),
            billing_cycle: "annual".into(),
            seats: "8".into(),
        }
        .read()
        .map_err(explain)?,
        Some(&northwind_keys),
        &context,
    )
    .await
    .map_err(explain)?;
    let admin_actor = actor(db, admin).await?;
    seed_demo_vault(
        db,
        &admin_actor,
        &password_again,
        northwind,
        &northwind_key,
        &context,
    )
    .await?;
    Ok(provider)
}

/// One of the seeds' clients, with its Owner (an account of its own, so that a newcomer can sign
/// in as a client too) and the items its vault starts with.
struct DemoClient {
    name: &'static str,
    plan: &'static str,
    seats: &'static str,
    owner: &'static str,
    owner_name: &'static str,
    /// Collection name, then its logins: (name, username, password, address).
    collections: &'static [(&'static str, &'static [DemoLogin])],
}

type DemoLogin = (&'static str, &'static str, &'static str, &'static str);

const DEMO_CLIENTS: [DemoClient; 3] = [
    DemoClient {
        name: "My Client's Organization",
        plan: "enterprise",
        seats: "15",
        owner: "owner@myclient.example",
        owner_name: "Morgan Owner",
        collections: &[
            (
                "Front desk",
                &[
                    (
                        "Booking system",
                        "frontdesk",
                        "Harbor-Tulip-Ledger-62",
                        "https://booking.myclient.example",
                    ),
                    (
                        "Reception PC",
                        "reception",
                        "Pebble-Signal-Orchid-27",
                        "https://myclient.example",
                    ),
                ],
            ),
            (
                "Finance",
                &[(
                    "Online banking",
                    "myclient-finance",
                    "Granite-Willow-Beacon-90",
                    "https://bank.example",
                )],
            ),
        ],
    },
    DemoClient {
        name: "Second Client's Organization",
        plan: "teams",
        seats: "20",
        owner: "owner@secondclient.example",
        owner_name: "Sasha Owner",
        collections: &[(
            "Shared accounts",
            &[
                (
                    "Accounting software",
                    "office@secondclient.example",
                    "Meadow-Rocket-Saffron-35",
                    "https://accounting.example",
                ),
                (
                    "Company social media",
                    "secondclient",
                    "Lemon-Anchor-Thistle-84",
                    "https://social.example",
                ),
            ],
        )],
    },
    DemoClient {
        name: "Third Client's Organization",
        plan: "enterprise",
        seats: "10",
        owner: "owner@thirdclient.example",
        owner_name: "Taylor Owner",
        collections: &[(
            "Infrastructure",
            &[
                (
                    "Domain registrar",
                    "hostmaster@thirdclient.example",
                    "Cobalt-Fern-Harvest-16",
                    "https://registrar.example",
                ),
                (
                    "Cloud console",
                    "root@thirdclient.example",
                    "Amber-Glacier-Pilot-53",
                    "https://cloud.example",
                ),
            ],
        )],
    },
];

/// A demo client's Owner, as the seeds' figures have them (one seat used), made a real member:
/// an account with the demo password accepts the invitation that New client sent, the demo admin
/// confirms it with the client's key wrapped to the Owner's public key (the provider admin's
/// browser does that through the provider key), and the Owner files the client's first items,
/// sealed under the client's key as the Owner's browser would. Provider users get no items in a
/// client's vault (V2), so the Owner makes them.
async fn seed_demo_client(
    db: &DatabaseConnection,
    admin: &app::auth::Actor,
    client: DemoClient,
    organization: app::ids::OrganizationId,
    client_key: &SymmetricKey,
    password: &str,
    context: &EventContext,
) -> Result<(), StartupError> {
    use app::ids::{MemberId, OrganizationUserId};
    use app::invitations::types::PendingRef;
    use app::mail::{Mailer, Outbox};
    use app::members::types::MemberKey;
    let fail = |e: sea_orm::DbErr| StartupError::Other(e.to_string());
    let owner = create_user(db, client.owner, client.owner_name, "en", password.into()).await?;
    let owner_actor = actor(db, owner).await?;
    let member = organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(organization.0))
        .filter(organization_users::Column::Email.eq(client.owner))
        .one(db)
        .await
        .map_err(fail)?
        .ok_or_else(|| StartupError::Other(format!("{}: no invitation", client.owner)))?;
    let member = OrganizationUserId(member.id);
    app::invitations::service::accept_pending(
        db,
        context,
        &owner_actor,
        PendingRef::Organization(member),
    )
    .await
    .map_err(explain)?;
    let manager = app::auth::gate::manager(
        db,
        admin.clone(),
        app::vocabulary::Place::Organization(organization),
    )
    .await
    .map_err(explain)?;
    let public_key = public_key_of(db, owner).await?;
    let keys = [MemberKey {
        member: MemberId::from(member),
        public_key: public_key.to_base64(),
        key: public_key.wrap_key(client_key),
    }];
    // Demo data sends no mail (the notice would go to a made-up address).
    let mailer = Mailer::off();
    let outbox = Outbox {
        mailer: &mailer,
        base_url: "http://localhost",
        locale: app::i18n::Locale::en,
    };
    for outcome in app::members::service::confirm(db, context, &outbox, &manager, &keys)
        .await
        .map_err(explain)?
    {
        outcome.result.map_err(explain)?;
    }
    // Confirmed now: the Owner acts in the organization through the same checks a request makes.
    let owner_actor = actor(db, owner).await?;
    let owner_context = EventContext {
        actor: Some(owner),
        ..operator_context()
    };
    for (name, logins) in client.collections {
        seed_collection(
            db,
            &owner_actor,
            organization,
            client_key,
            &owner_context,
            name,
            logins,
        )
        .await?;
    }
    Ok(())
}

/// A new collection `name` of `organization` with `logins` in it, made by `member` (a confirmed
/// member who manages collections) through the same checks a request makes, everything sealed
/// under the organization's `key` as the member's browser would seal it.
async fn seed_collection(
    db: &DatabaseConnection,
    member: &app::auth::Actor,
    organization: app::ids::OrganizationId,
    key: &SymmetricKey,
    context: &EventContext,
    name: &str,
    logins: &[DemoLogin],
) -> Result<(), StartupError> {
    use app::vault::types::CollectionInput;
    let in_organization =
        |capability| app::auth::gate::in_organization(db, member.clone(), organization, capability);
    let managing = in_organization(app::auth::Capability::ManageCollections)
        .await
        .map_err(explain)?;
    let collection = app::vault::collections::save(
        db,
        &managing,
        context,
        None,
        &CollectionInput {
            name: app::crypto::EncString::encrypt_str(key, name),
            access: Vec::new(),
        },
    )
    .await
    .map_err(explain)?;
    let filing = in_organization(app::auth::Capability::ViewVaultItems)
        .await
        .map_err(explain)?;
    for (name, username, secret, uri) in logins.iter().copied() {
        let (item_key, wrapped) = app::crypto::vault::new_item_key(key);
        let item = app::vault::types::ItemInput {
            key: wrapped,
            item: demo_login(name, username, secret, uri, None).seal(&item_key),
        };
        app::vault::org_items::create(db, &filing, context, &[collection], item)
            .await
            .map_err(explain)?;
    }
    Ok(())
}

/// An account as the guard sees it (its memberships included), outside a request.
async fn actor(db: &DatabaseConnection, user: UserId) -> Result<app::auth::Actor, StartupError> {
    app::accounts::service::actor_of(db, user, app::ids::SessionId(0))
        .await
        .map_err(explain)?
        .ok_or_else(|| StartupError::Other(format!("account {user} vanished")))
}

/// A login with a username, a password and an address (and a one-time code's key, if any).
fn demo_login(
    name: &str,
    username: &str,
    password: &str,
    uri: &str,
    totp: Option<&str>,
) -> app::crypto::vault::Item<String> {
    use app::crypto::vault::{Item, ItemType, Login, LoginUri};
    Item {
        login: Some(Login {
            username: Some(username.into()),
            password: Some(password.into()),
            totp: totp.map(Into::into),
            uris: vec![LoginUri {
                uri: Some(uri.into()),
                match_kind: None,
            }],
            password_revision_date: None,
        }),
        ..Item::new(ItemType::Login, name.into())
    }
}

/// The demo admin's user key, opened with its password as its browser would.
async fn demo_user_key(
    db: &DatabaseConnection,
    password: &str,
) -> Result<(app::auth::Actor, SymmetricKey), StartupError> {
    let fail = |what: String| StartupError::Other(format!("the demo admin's keys: {what}"));
    let row = users::Entity::find()
        .filter(users::Column::Email.eq(DEMO_ADMIN))
        .one(db)
        .await
        .map_err(|e| fail(e.to_string()))?
        .ok_or_else(|| fail(format!("{DEMO_ADMIN} does not exist")))?;
    let settings = app::accounts::prelogin::stored(&row).ok_or_else(|| fail("no keys".into()))?;
    let parse = |text: Option<&str>| {
        text.unwrap_or_default()
            .parse::<app::crypto::EncString>()
            .map_err(|e| fail(e.to_string()))
    };
    let (user_key, _) = app::crypto::account::unlock(
        password,
        &settings.salt,
        settings.kdf,
        &parse(row.user_key.as_deref())?,
        &parse(row.private_key.as_deref())?,
    )
    .map_err(|_| fail("DEMO_PASSWORD is not the demo admin's password".into()))?;
    let actor = app::accounts::service::actor_of(db, UserId(row.id), app::ids::SessionId(0))
        .await
        .map_err(explain)?
        .ok_or_else(|| fail("the demo admin vanished".into()))?;
    Ok((actor, user_key))
}

/// `seed-vault --items N`: N generated logins in the demo admin's own vault, each sealed under
/// its own key as the admin's browser would, in one transaction.
pub async fn bulk_items(
    db: &DatabaseConnection,
    password: &str,
    count: u32,
) -> Result<(), StartupError> {
    let (admin, user_key) = demo_user_key(db, password).await?;
    let txn = app::db::begin_write(db)
        .await
        .map_err(|e| StartupError::Other(e.to_string()))?;
    for n in 1..=count {
        let item = demo_login(
            &format!("Generated login {n:05}"),
            &format!("user{n}@generated.example"),
            &format!("generated-password-{n}"),
            &format!("https://site{n}.generated.example"),
            None,
        );
        let (item_key, key) = app::crypto::vault::new_item_key(&user_key);
        let input = app::vault::types::ItemInput {
            key,
            item: item.seal(&item_key),
        };
        app::vault::service::create_own(&txn, &admin, input)
            .await
            .map_err(explain)?;
    }
    txn.commit()
        .await
        .map_err(|e| StartupError::Other(e.to_string()))
}

/// The demo admin's own vault and Northwind Traders' (which the admin owns): a few realistic
/// items, sealed natively as the admin's browser would seal them (the password opens the
/// admin's user key; Northwind's key is the one just made). The clients' items are their
/// Owners' ([`seed_demo_client`]): provider users make none (V2).
async fn seed_demo_vault(
    db: &DatabaseConnection,
    admin: &app::auth::Actor,
    password: &str,
    northwind: app::ids::OrganizationId,
    northwind_key: &SymmetricKey,
    context: &EventContext,
) -> Result<(), StartupError> {
    use app::crypto::vault::{Card, Item, ItemType, new_item_key};
    use app::vault::types::ItemInput;
    let (_, user_key) = demo_user_key(db, password).await?;
    let seal = |owner: &SymmetricKey, item: Item<String>| {
        let (item_key, key) = new_item_key(owner);
        ItemInput {
            key,
            item: item.seal(&item_key),
        }
    };
    let personal = [
        demo_login(
            "Microsoft 365 admin center",
            DEMO_ADMIN,
            "Tr1cky-Otter-Harbor-58",
            "https://admin.microsoft.com",
            Some("KRSXG5CTMVRXEZLU"),
        ),
        demo_login(
            "RMM console",
            "alex.admin",
            "Velvet-Compass-Drift-41",
            "https://rmm.demo.example",
            None,
        ),
        Item {
            notes: Some(
                "After hours: call the on-call phone first, then the client's named contact."
                    .into(),
            ),
            ..Item::new(ItemType::SecureNote, "Escalation procedure".into())
        },
        Item {
            card: Some(Card {
                cardholder_name: Some("Alex Admin".into()),
                brand: Some("Visa".into()),
                number: Some("4242424242424242".into()),
                exp_month: Some("12".into()),
                exp_year: Some("2029".into()),
                code: Some("123".into()),
            }),
            ..Item::new(ItemType::Card, "Company card (test number)".into())
        },
    ];
    for item in personal {
        app::vault::service::create_own(db, admin, seal(&user_key, item))
            .await
            .map_err(explain)?;
    }
    seed_collection(
        db,
        admin,
        northwind,
        northwind_key,
        context,
        "Office IT",
        &[
            (
                "Office Wi-Fi",
                "northwind-staff",
                "Maple-Lantern-Quartz-73",
                "https://router.northwind.example",
            ),
            (
                "Firewall admin",
                "admin",
                "Copper-Falcon-Meadow-19",
                "https://firewall.northwind.example",
            ),
        ],
    )
    .await
}

/// An account's public key, as stored (every account the command line makes has keys).
async fn public_key_of(db: &DatabaseConnection, user: UserId) -> Result<PublicKey, StartupError> {
    let fail = |what: &str| StartupError::Other(format!("account {user}: {what}"));
    let row = users::Entity::find_by_id(user.0)
        .one(db)
        .await
        .map_err(|e| StartupError::Other(e.to_string()))?
        .ok_or_else(|| fail("not found"))?;
    PublicKey::from_base64(
        row.public_key
            .as_deref()
            .ok_or_else(|| fail("has no keys"))?,
    )
    .map_err(|e| fail(&e.to_string()))
}

/// The demo provider's key, opened natively as the demo admin's browser would: the password
/// derives the master key, which opens the admin's user key, private key, then the provider
/// key wrapped to it. `seed-bulk` wraps each generated client's key under it.
pub async fn demo_provider_key(
    db: &DatabaseConnection,
    provider: ProviderId,
    password: &str,
) -> Result<SymmetricKey, StartupError> {
    let fail = |what: String| StartupError::Other(format!("the demo provider's key: {what}"));
    let admin = users::Entity::find()
        .filter(users::Column::Email.eq(DEMO_ADMIN))
        .one(db)
        .await
        .map_err(|e| fail(e.to_string()))?
        .ok_or_else(|| fail(format!("{DEMO_ADMIN} does not exist")))?;
    let held = provider_users::Entity::find()
        .filter(provider_users::Column::ProviderId.eq(provider.0))
        .filter(provider_users::Column::UserId.eq(admin.id))
        .one(db)
        .await
        .map_err(|e| fail(e.to_string()))?
        .and_then(|member| member.key)
        .ok_or_else(|| fail(format!("{DEMO_ADMIN} holds none")))?;
    let settings =
        app::accounts::prelogin::stored(&admin).ok_or_else(|| fail("no account keys".into()))?;
    let parse = |text: Option<&str>| {
        text.unwrap_or_default()
            .parse::<app::crypto::EncString>()
            .map_err(|e| fail(e.to_string()))
    };
    let (_, private) = app::crypto::account::unlock(
        password,
        &settings.salt,
        settings.kdf,
        &parse(admin.user_key.as_deref())?,
        &parse(admin.private_key.as_deref())?,
    )
    .map_err(|_| fail("DEMO_PASSWORD is not the demo admin's password".into()))?;
    let wrapped = held
        .parse::<app::crypto::WrappedKey>()
        .map_err(|e| fail(e.to_string()))?;
    private
        .unwrap_key(&wrapped)
        .map_err(|e| fail(e.to_string()))
}

/// `count` generated clients with 0–5 members each, inserted in batches of 500, a transaction
/// each: a large provider for benchmarks and for trying the Clients page at scale. A failed
/// run keeps the batches before it (generated data; run it again for more).
///
/// Not one transaction: every link bumps the provider's `client_count` (a trigger), and on
/// PostgreSQL a row updated 100,000 times in one transaction keeps every version until the
/// commit, each update walking the chain: loading took minutes, growing with the square.
///
/// With `provider_key` (the command line opens the demo provider's), each client gets keys as
/// a provider admin's browser makes them: its own organization key, wrapped under the provider
/// key, and a key pair wrapped under it. To stay fast, generated clients share one RSA pair
/// (a new pair takes about 100 ms); real organizations never do. Tests of the Clients page
/// pass `None`: keys play no part there.
pub async fn bulk_clients(
    db: &DatabaseConnection,
    provider: ProviderId,
    count: u32,
    provider_key: Option<&SymmetricKey>,
) -> Result<(), sea_orm::DbErr> {
    const BATCH: u32 = 500;
    let now = Utc::now();
    let shared_pair = provider_key.map(|_| app::crypto::PrivateKey::generate());
    let mut done = 0;
    while done < count {
        let txn = app::db::begin_write(db).await?;
        let batch = BATCH.min(count - done);
        let names: Vec<String> = (done..done + batch)
            .map(|i| format!("Client {:05} {}", i + 1, WORDS[i as usize % WORDS.len()]))
            .collect();
        let index: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(offset, name)| (name.as_str(), done as usize + offset))
            .collect();
        // One multi-row statement per batch (one round trip, not 500). Its ids are matched
        // back by the unique generated names: the order RETURNING gives rows in is unspecified.
        // RETURNING is added by hand: SeaORM's SQLite driver, as built here, does not use it.
        // Each client's keys: (public key, wrapped private key, key under the provider's).
        let keys: HashMap<&str, (String, String, String)> = match (provider_key, &shared_pair) {
            (Some(provider_key), Some(private)) => names
                .iter()
                .map(|name| {
                    let key = SymmetricKey::generate();
                    let pair = app::crypto::OrganizationKeyPair::of(private, &key);
                    let wrapped = app::crypto::EncString::wrap_key(provider_key, &key);
                    (
                        name.as_str(),
                        (
                            pair.public_key,
                            pair.private_key.to_string(),
                            wrapped.to_string(),
                        ),
                    )
                })
                .collect(),
            _ => HashMap::new(),
        };
        let mut insert = organizations::Entity::insert_many(names.iter().map(|name| {
            let i = index[name.as_str()];
            let pair = keys.get(name.as_str());
            organizations::ActiveModel {
                public_key: Set(pair.map(|keys| keys.0.clone())),
                private_key: Set(pair.map(|keys| keys.1.clone())),
                name_key: Set(name_key(name)),
                name: Set(name.clone()),
                billing_email: Set("billing@demo.example".into()),
                plan: Set(if i.is_multiple_of(3) {
                    Plan::Teams
                } else {
                    Plan::Enterprise
                }),
                billing_cycle: Set(BillingCycle::Monthly),
                seats: Set(i32::try_from(5 + (i * 7) % 46).unwrap_or(5)),
                enabled: Set(true),
                created_at: Set(now),
                ..Default::default()
            }
        }))
        .into_query();
        insert.returning(
            Query::returning().columns([organizations::Column::Id, organizations::Column::Name]),
        );
        let mut ids = Vec::with_capacity(names.len());
        for row in txn
            .query_all(txn.get_database_backend().build(&insert))
            .await?
        {
            let id: i64 = row.try_get("", "id")?;
            let name: String = row.try_get("", "name")?;
            let key = keys.get(name.as_str()).map(|keys| keys.2.clone());
            ids.push((index[name.as_str()], id, key));
        }
        provider_organizations::Entity::insert_many(ids.iter().map(|(_, id, key)| {
            provider_organizations::ActiveModel {
                provider_id: Set(provider.0),
                organization_id: Set(*id),
                created_at: Set(now),
                key: Set(key.clone()),
                ..Default::default()
            }
        }))
        .exec(&txn)
        .await?;
        let members: Vec<organization_users::ActiveModel> = ids
            .iter()
            .flat_map(|(i, id, _)| {
                (0..i % 6).map(move |m| organization_users::ActiveModel {
                    organization_id: Set(*id),
                    user_id: Set(None),
                    email: Set(format!("member{m}@client{i}.example")),
                    r#type: Set(if m == 0 {
                        OrgUserType::Owner
                    } else {
                        OrgUserType::User
                    }),
                    status: Set(MemberStatus::ALL[m % 4]),
                    permissions: Set(0),
                    reset_password_enrolled: Set(false),
                    created_at: Set(now),
                    ..Default::default()
                })
            })
            .collect();
        if !members.is_empty() {
            organization_users::Entity::insert_many(members)
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        done += batch;
    }
    // What autovacuum does a little later, done now: planner statistics (until then a plan
    // made for a small table may be picked) and, on PostgreSQL, the visibility map. Without
    // it the Clients page's index-only scans fetch every row from the table to check it is
    // visible (a search at 100,000 clients: 11 ms, not 2.5).
    let statement = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "VACUUM (ANALYZE) organizations",
        _ => "ANALYZE organizations",
    };
    db.execute_unprepared(statement).await?;
    Ok(())
}

const WORDS: [&str; 12] = [
    "Logistics",
    "Dental",
    "Bakery",
    "Legal",
    "Studio",
    "Clinic",
    "Builders",
    "Consulting",
    "Hotel",
    "Foods",
    "Motors",
    "Architects",
];
