#![allow(clippy::unwrap_used)]
//! The Clients page's rules (DESIGN.md §3): listing with Used/Remaining by member status,
//! search, sort and paging in SQL; new client (validation, atomicity); add existing
//! organization (eligibility, the race); seats under consolidated billing (rule 8, also
//! under concurrency); rename; unlink (rule 10). Each test runs on SQLite and PostgreSQL.

use crate::support;

use support::{
    actor, context, membership, own_organization, problem, provider, provider_member, user,
};

use app::auth::{Capability, Scope};
use app::clients::types::NewClientForm;
use app::clients::types::{ClientQuery, ClientSort, SortDirection};
use app::db::{
    events, organization_users, organizations, provider_organizations, providers, users,
};
use app::error::{AppError, Field, Problem, Refusal};
use app::ids::{OrganizationId, UserId};
use app::members::types::Permissions;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use support::witnessed::clients;

fn new_client(name: &str, plan: &str, seats: &str, owner: &str) -> NewClientForm {
    NewClientForm {
        name: name.into(),
        plan: plan.into(),
        seats: seats.into(),
        owner_email: owner.into(),
    }
}

/// The New client form: read where it arrives, then the rule.
async fn create(
    db: &sea_orm::DatabaseConnection,
    provider: app::ids::ProviderId,
    form: NewClientForm,
    context: &app::events::service::EventContext,
) -> Result<OrganizationId, AppError> {
    clients::create(db, provider, form.read()?, context).await
}

/// The Clients page's seat form: the seats read where the form arrives, then the rule.
async fn set_seats(
    db: &sea_orm::DatabaseConnection,
    actor: &app::auth::Actor,
    provider: app::ids::ProviderId,
    client: OrganizationId,
    raw: &str,
    context: &app::events::service::EventContext,
) -> Result<(), AppError> {
    let seats = app::vocabulary::Seats::read_field(raw)?;
    clients::set_seats(db, actor, provider, client, seats, context).await
}

fn query(pairs: &[(&str, &str)]) -> ClientQuery {
    ClientQuery::from_params(|key| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| (*v).to_owned())
    })
}

async fn counts(db: &impl ConnectionTrait) -> (u64, u64, u64, u64) {
    (
        organizations::Entity::find().count(db).await.unwrap(),
        provider_organizations::Entity::find()
            .count(db)
            .await
            .unwrap(),
        organization_users::Entity::find().count(db).await.unwrap(),
        events::Entity::find().count(db).await.unwrap(),
    )
}

support::each_backend!(the_seed_clients_show_assigned_used_remaining_and_plan);
/// The seeds' three rows, and Used/Remaining by member status.
async fn the_seed_clients_show_assigned_used_remaining_and_plan(t: support::TestDb) {
    let db = &t.db;
    let admin_id = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let admin = actor(db, admin_id).await;
    for (name, plan, seats) in [
        ("My Client's Organization", "enterprise", "15"),
        ("Second Client's Organization", "teams", "20"),
        ("Third Client's Organization", "enterprise", "10"),
    ] {
        create(
            db,
            p,
            new_client(name, plan, seats, "owner@client.example"),
            &context(&admin),
        )
        .await
        .unwrap();
    }
    let page = clients::list(db, p, &query(&[])).await.unwrap();
    let rows: Vec<_> = page
        .rows
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.seats,
                r.used,
                r.remaining,
                r.plan.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("My Client's Organization", 15, 1, 14, "enterprise"),
            ("Second Client's Organization", 20, 1, 19, "teams"),
            ("Third Client's Organization", 10, 1, 9, "enterprise"),
        ],
        "{}",
        t.backend
    );
    assert_eq!(page.total, 3);

    // Invited, Accepted and Confirmed take a seat; Revoked frees it.
    let third = page.rows[2].id;
    let u = user(db, "u@client.example").await;
    membership(
        db,
        third,
        None,
        "a@client.example",
        "user",
        "accepted",
        Permissions::empty(),
    )
    .await;
    membership(
        db,
        third,
        Some(u),
        "u@client.example",
        "user",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    membership(
        db,
        third,
        None,
        "r@client.example",
        "user",
        "revoked",
        Permissions::empty(),
    )
    .await;
    membership(
        db,
        third,
        None,
        "i@client.example",
        "admin",
        "invited",
        Permissions::empty(),
    )
    .await;
    let page = clients::list(db, p, &query(&[])).await.unwrap();
    assert_eq!(
        (page.rows[2].used, page.rows[2].remaining),
        (4, 6),
        "{}",
        t.backend
    );
    // Another provider sees none of them.
    user(db, "other@else.example").await;
    let q = provider(db, "Else", "other@else.example").await;
    assert_eq!(clients::list(db, q, &query(&[])).await.unwrap().total, 0);
    t.cleanup().await;
}

support::each_backend!(search_sort_and_paging_happen_in_sql);
async fn search_sort_and_paging_happen_in_sql(t: support::TestDb) {
    let db = &t.db;
    let admin_id = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let admin = actor(db, admin_id).await;
    let mut names = Vec::new();
    for i in 0..23_u32 {
        let name = match i {
            0 => "Örebro Bygg AB".to_owned(),
            1 => "100% Pure_Water".to_owned(),
            2 => "100 Pure Water".to_owned(),
            _ => format!("Client {i:02}"),
        };
        let plan = if i % 3 == 0 { "teams" } else { "enterprise" };
        let seats = (i % 5 + 1 + u32::from(i % 2 == 0) * 3).to_string();
        let id = create(
            db,
            p,
            new_client(&name, plan, &seats, "o@example.com"),
            &context(&admin),
        )
        .await
        .unwrap();
        for j in 0..(i % 4) {
            membership(
                db,
                id,
                None,
                &format!("m{j}@example.com"),
                "user",
                "invited",
                Permissions::empty(),
            )
            .await;
        }
        names.push(name);
    }
    let all = clients::list(db, p, &query(&[("size", "100")]))
        .await
        .unwrap();
    assert_eq!(all.total, 23);
    for column in ClientSort::ALL {
        for direction in [SortDirection::Asc, SortDirection::Desc] {
            let page = clients::list(
                db,
                p,
                &query(&[
                    ("sort", column.as_str()),
                    ("dir", direction.as_str()),
                    ("size", "100"),
                ]),
            )
            .await
            .unwrap();
            let mut expected = all.rows.clone();
            expected.sort_by(|a, b| {
                let key = |r: &app::clients::types::ClientRow| match column {
                    ClientSort::Name => (r.name.to_lowercase(), 0),
                    ClientSort::Assigned => (String::new(), r.seats),
                    ClientSort::Used => (String::new(), r.used),
                    ClientSort::Remaining => (String::new(), r.remaining),
                    ClientSort::Plan => (r.plan.as_str().to_owned(), 0),
                };
                let primary = key(a).cmp(&key(b));
                let primary = if direction == SortDirection::Desc {
                    primary.reverse()
                } else {
                    primary
                };
                primary
                    .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                    .then_with(|| a.id.cmp(&b.id))
            });
            let got: Vec<_> = page.rows.iter().map(|r| r.id).collect();
            let want: Vec<_> = expected.iter().map(|r| r.id).collect();
            assert_eq!(got, want, "{column:?} {direction:?} on {}", t.backend);
        }
    }
    // Paging: pages partition the sorted list; past the end shows the last page.
    let first = clients::list(db, p, &query(&[("sort", "used"), ("size", "25")]))
        .await
        .unwrap();
    assert_eq!(
        (first.rows.len(), first.page, first.page_count()),
        (23, 1, 1)
    );
    let mut seen = Vec::new();
    for page_number in 1..=3 {
        let q = ClientQuery {
            size: 25,
            page: page_number,
            ..query(&[("sort", "remaining")])
        };
        let mut small = q.clone();
        small.size = 10; // not an offered size: normalized back to 25
        let page = clients::list(db, p, &small).await.unwrap();
        assert_eq!(page.size, 25);
        if page_number == 1 {
            seen.extend(page.rows.iter().map(|r| r.id));
        }
    }
    assert_eq!(seen.len(), 23);
    let past = clients::list(db, p, &query(&[("page", "99")]))
        .await
        .unwrap();
    assert_eq!((past.page, past.rows.len(), past.total), (1, 23, 23));
    // Search: case-insensitive, anywhere in the name, wildcards literal, Unicode folded.
    let found = |q: &'static str| async move {
        clients::list(db, p, &query(&[("q", q)]))
            .await
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(found("client 1").await.len(), 10, "{}", t.backend);
    assert_eq!(found("ÖREBRO").await, ["Örebro Bygg AB"], "{}", t.backend);
    assert_eq!(found("bygg").await, ["Örebro Bygg AB"]);
    assert_eq!(found("100%").await, ["100% Pure_Water"], "{}", t.backend);
    assert_eq!(found("e_w").await, ["100% Pure_Water"], "{}", t.backend);
    assert!(found("nothing like this").await.is_empty());
    t.cleanup().await;
}

support::each_backend!(new_clients_are_validated_and_created_in_one_transaction);
async fn new_clients_are_validated_and_created_in_one_transaction(t: support::TestDb) {
    let db = &t.db;
    let admin_id = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let admin = actor(db, admin_id).await;
    let before = counts(db).await;
    let cases = [
        (
            new_client("", "teams", "5", "o@x.example"),
            Field::Name,
            Problem::Required,
        ),
        (
            new_client("   ", "teams", "5", "o@x.example"),
            Field::Name,
            Problem::Required,
        ),
        (
            new_client(&"n".repeat(51), "teams", "5", "o@x.example"),
            Field::Name,
            Problem::TooLong(50),
        ),
        (
            new_client("Acme", "free", "5", "o@x.example"),
            Field::Plan,
            Problem::Unsupported,
        ),
        (
            new_client("Acme", "platinum", "5", "o@x.example"),
            Field::Plan,
            Problem::Unsupported,
        ),
        (
            new_client("Acme", "teams", "0", "o@x.example"),
            Field::Seats,
            Problem::BelowMinimum(1),
        ),
        (
            new_client("Acme", "teams", "-4", "o@x.example"),
            Field::Seats,
            Problem::BelowMinimum(1),
        ),
        (
            new_client("Acme", "teams", "five", "o@x.example"),
            Field::Seats,
            Problem::NotANumber,
        ),
        (
            new_client("Acme", "teams", "1000001", "o@x.example"),
            Field::Seats,
            Problem::AboveMaximum(100_000),
        ),
        (
            new_client("Acme", "teams", "5", "not-an-email"),
            Field::OwnerEmail,
            Problem::InvalidEmail,
        ),
    ];
    for (input, field, expected) in cases {
        let result = create(db, p, input, &context(&admin)).await;
        assert_eq!(
            problem(result, field),
            expected,
            "{field:?} on {}",
            t.backend
        );
    }
    assert_eq!(counts(db).await, before, "nothing was written");

    // A failure midway (the owner's invitation event cannot be written) leaves nothing.
    let trigger = match t.backend {
        "sqlite" => vec!["CREATE TRIGGER refuse_invites BEFORE INSERT ON events WHEN NEW.type = 1500 BEGIN SELECT RAISE(ABORT, 'refused by test'); END".to_owned()],
        _ => vec![
            "CREATE FUNCTION refuse_invites() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$ LANGUAGE plpgsql".to_owned(),
            "CREATE TRIGGER refuse_invites BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.type = 1500) EXECUTE FUNCTION refuse_invites()".to_owned(),
        ],
    };
    for sql in trigger {
        db.execute_unprepared(&sql).await.unwrap();
    }
    let result = create(
        db,
        p,
        new_client("Half Done", "teams", "5", "o@x.example"),
        &context(&admin),
    )
    .await;
    assert_eq!(result, Err(AppError::Internal), "{}", t.backend);
    assert_eq!(
        counts(db).await,
        before,
        "nothing of the half-done client remains on {}",
        t.backend
    );
    let drop = match t.backend {
        "sqlite" => "DROP TRIGGER refuse_invites",
        _ => "DROP TRIGGER refuse_invites ON events",
    };
    db.execute_unprepared(drop).await.unwrap();

    // The real thing: organization, link, invited owner, events; billed to the provider.
    let id = create(
        db,
        p,
        new_client("  Acme Ltd ", "enterprise", "12", "Owner@Acme.example"),
        &context(&admin),
    )
    .await
    .unwrap();
    let org = organizations::Entity::find_by_id(id.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            org.name.as_str(),
            org.plan.as_str(),
            org.seats,
            org.billing_cycle.as_str()
        ),
        ("Acme Ltd", "enterprise", 12, "monthly")
    );
    assert_eq!(org.billing_email, "billing@msp.example");
    let owner = organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(id.0))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            owner.email.as_str(),
            owner.r#type.as_str(),
            owner.status.as_str()
        ),
        ("owner@acme.example", "owner", "invited")
    );
    let types: Vec<i32> = events::Entity::find()
        .filter(events::Column::OrganizationId.eq(id.0))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.r#type)
        .collect();
    assert_eq!(types, [1900, 1500]);
    t.cleanup().await;
}

support::each_backend!(existing_organizations_are_added_exactly_per_rules_4_and_9);
async fn existing_organizations_are_added_exactly_per_rules_4_and_9(t: support::TestDb) {
    let db = &t.db;
    let admin_id = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let admin = actor(db, admin_id).await;
    assert!(
        !app::db::organizations::has_eligible_organizations(db, admin_id)
            .await
            .unwrap()
    );

    let teams = own_organization(db, &admin, "Own Teams", "teams", 5).await;
    let enterprise = own_organization(db, &admin, "Own Enterprise", "enterprise", 8).await;
    own_organization(db, &admin, "Own Free", "free", 2).await;
    own_organization(db, &admin, "Own Families", "families", 6).await;
    let disabled = own_organization(db, &admin, "Own Disabled", "teams", 5).await;
    organizations::Entity::update_many()
        .col_expr(
            organizations::Column::Enabled,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(organizations::Column::Id.eq(disabled.0))
        .exec(db)
        .await
        .unwrap();
    // Someone else's organization, where the admin is only an Admin.
    let stranger_id = user(db, "stranger@else.example").await;
    let stranger = actor(db, stranger_id).await;
    let foreign = own_organization(db, &stranger, "Not Mine", "teams", 5).await;
    membership(
        db,
        foreign,
        Some(admin_id),
        "admin@msp.example",
        "admin",
        "confirmed",
        Permissions::empty(),
    )
    .await;

    let admin = actor(db, admin_id).await;
    let eligible: Vec<_> = clients::eligible_organizations(db, &admin, p)
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.name, o.plan.as_str(), o.seats))
        .collect();
    assert_eq!(
        eligible,
        [
            ("Own Enterprise".to_owned(), "enterprise", 8),
            ("Own Teams".to_owned(), "teams", 5)
        ],
        "{}",
        t.backend
    );
    for refused in [disabled, foreign] {
        assert_eq!(
            clients::add_existing(db, &admin, p, refused, &context(&admin)).await,
            Err(AppError::Refused(Refusal::NotEligible))
        );
    }

    clients::add_existing(db, &admin, p, teams, &context(&admin))
        .await
        .unwrap();
    let org = organizations::Entity::find_by_id(teams.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (org.billing_email.as_str(), org.billing_cycle.as_str()),
        ("billing@msp.example", "monthly")
    );
    let listed: Vec<_> = clients::list(db, p, &query(&[]))
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, [teams]);
    assert_eq!(
        clients::add_existing(db, &admin, p, teams, &context(&admin)).await,
        Err(AppError::Refused(Refusal::AlreadyClient))
    );
    clients::add_existing(db, &admin, p, enterprise, &context(&admin))
        .await
        .unwrap();
    assert!(
        !app::db::organizations::has_eligible_organizations(db, admin_id)
            .await
            .unwrap(),
        "nothing left to add"
    );

    // Seed 004's tip: with another confirmed Owner, the admin leaves the organization and
    // still administers it through the provider.
    let other = user(db, "cto@own.example").await;
    membership(
        db,
        teams,
        Some(other),
        "cto@own.example",
        "owner",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    organization_users::Entity::delete_many()
        .filter(organization_users::Column::OrganizationId.eq(teams.0))
        .filter(organization_users::Column::UserId.eq(admin_id.0))
        .exec(db)
        .await
        .unwrap();
    let admin = actor(db, admin_id).await;
    let scope = app::db::organizations::scope_of(db, teams)
        .await
        .unwrap()
        .unwrap();
    assert!(admin.can(
        Capability::AdministerOrganization,
        Scope::Organization(scope)
    ));
    assert!(!admin.can(Capability::ViewVaultItems, Scope::Organization(scope)));
    t.cleanup().await;
}

support::each_backend!(two_admins_adding_one_organization_at_once_link_it_once);
/// Rule 3 under a real race: two providers' admins, both Owners of one organization, add it
/// at the same moment through two connection pools. Exactly one link; the other is told why.
async fn two_admins_adding_one_organization_at_once_link_it_once(t: support::TestDb) {
    let db = &t.db;
    let a_id = user(db, "a@one.example").await;
    let b_id = user(db, "b@two.example").await;
    let pa = provider(db, "One", "a@one.example").await;
    let pb = provider(db, "Two", "b@two.example").await;
    let a = actor(db, a_id).await;
    for round in 0..5 {
        let org = own_organization(db, &a, &format!("Shared {round}"), "teams", 5).await;
        membership(
            db,
            org,
            Some(b_id),
            "b@two.example",
            "owner",
            "confirmed",
            Permissions::empty(),
        )
        .await;
        let (a, b) = (actor(db, a_id).await, actor(db, b_id).await);
        let second = t.second_connection().await;
        let (ca, cb) = (context(&a), context(&b));
        let (ra, rb) = tokio::join!(
            clients::add_existing(db, &a, pa, org, &ca),
            clients::add_existing(&second, &b, pb, org, &cb),
        );
        let outcomes = [&ra, &rb];
        assert_eq!(
            outcomes.iter().filter(|r| r.is_ok()).count(),
            1,
            "{ra:?} {rb:?} on {}",
            t.backend
        );
        assert!(
            outcomes.iter().any(|r| matches!(
                r,
                Err(AppError::Refused(
                    Refusal::AlreadyClient | Refusal::NotEligible
                ))
            )),
            "{ra:?} {rb:?}"
        );
        let links = provider_organizations::Entity::find()
            .filter(provider_organizations::Column::OrganizationId.eq(org.0))
            .count(db)
            .await
            .unwrap();
        assert_eq!(links, 1);
        second.close().await.unwrap();
    }
    t.cleanup().await;
}

support::each_backend!(seats_follow_used_and_the_purchase_rule);
async fn seats_follow_used_and_the_purchase_rule(t: support::TestDb) {
    let db = &t.db;
    let admin_id = user(db, "admin@msp.example").await;
    let service_id = user(db, "service@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await; // Teams minimum 10
    provider_member(
        db,
        p,
        Some(service_id),
        &format!("member{}@example.com", service_id.0),
        "service_user",
        "confirmed",
    )
    .await;
    let (admin, service) = (actor(db, admin_id).await, actor(db, service_id).await);
    let c = create(
        db,
        p,
        new_client("Acme", "teams", "4", "o@acme.example"),
        &context(&admin),
    )
    .await
    .unwrap();
    membership(
        db,
        c,
        None,
        "two@acme.example",
        "user",
        "accepted",
        Permissions::empty(),
    )
    .await;
    membership(
        db,
        c,
        None,
        "gone@acme.example",
        "user",
        "revoked",
        Permissions::empty(),
    )
    .await;

    // Rule 2: never below Used (2: the invited owner and the accepted member).
    let r = set_seats(db, &service, p, c, "1", &context(&service)).await;
    assert_eq!(
        problem(r, Field::Seats),
        Problem::BelowUsed(2),
        "{}",
        t.backend
    );
    for (raw, expected) in [
        ("0", Problem::BelowMinimum(1)),
        ("lots", Problem::NotANumber),
        ("100001", Problem::AboveMaximum(100_000)),
    ] {
        let r = set_seats(db, &admin, p, c, raw, &context(&admin)).await;
        assert_eq!(problem(r, Field::Seats), expected);
    }
    set_seats(db, &service, p, c, "2", &context(&service))
        .await
        .unwrap();

    // Rule 8 with the setting off: Service Users stay within the minimum (10 on Teams).
    providers::Entity::update_many()
        .col_expr(
            providers::Column::ServiceUsersMayPurchaseSeats,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(providers::Column::Id.eq(p.0))
        .exec(db)
        .await
        .unwrap();
    set_seats(db, &service, p, c, "10", &context(&service))
        .await
        .unwrap();
    let r = set_seats(db, &service, p, c, "11", &context(&service)).await;
    assert_eq!(
        problem(r, Field::Seats),
        Problem::PurchaseNeedsProviderAdmin
    );
    let details = clients::details(db, &service, p, c).await.unwrap();
    assert_eq!(
        (
            details.seats,
            details.plan_assigned,
            details.may_purchase,
            details.max_without_purchase()
        ),
        (10, 10, false, 10)
    );
    // A Provider Admin may purchase; then a Service User may still lower seats.
    set_seats(db, &admin, p, c, "14", &context(&admin))
        .await
        .unwrap();
    set_seats(db, &service, p, c, "12", &context(&service))
        .await
        .unwrap();
    let r = set_seats(db, &service, p, c, "13", &context(&service)).await;
    assert_eq!(
        problem(r, Field::Seats),
        Problem::PurchaseNeedsProviderAdmin
    );
    // Enterprise has its own minimum: a Service User fills it freely.
    let e = create(
        db,
        p,
        new_client("Big", "enterprise", "1", "o@big.example"),
        &context(&admin),
    )
    .await
    .unwrap();
    set_seats(db, &service, p, e, "10", &context(&service))
        .await
        .unwrap();

    // Concurrency: two Service Users each stay within the minimum alone, not together.
    set_seats(db, &admin, p, c, "2", &context(&admin))
        .await
        .unwrap();
    let d = create(
        db,
        p,
        new_client("Delta", "teams", "1", "o@delta.example"),
        &context(&admin),
    )
    .await
    .unwrap();
    // Teams: 2 + 1 assigned; +6 on each would be 15 > 10 together.
    let second = t.second_connection().await;
    let ctx = context(&service);
    let (r1, r2) = tokio::join!(
        set_seats(db, &service, p, c, "8", &ctx),
        set_seats(&second, &service, p, d, "7", &ctx),
    );
    assert_eq!(
        [&r1, &r2].iter().filter(|r| r.is_ok()).count(),
        1,
        "{r1:?} {r2:?} on {}",
        t.backend
    );
    let teams_total: i32 = organizations::Entity::find()
        .filter(organizations::Column::Plan.eq("teams"))
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|o| o.seats)
        .sum();
    assert!(teams_total <= 10, "{teams_total}");
    second.close().await.unwrap();

    // Another provider's client is not found, and nothing changes.
    user(db, "x@else.example").await;
    let q = provider(db, "Else", "x@else.example").await;
    let x = actor(
        db,
        UserId(
            users::Entity::find()
                .filter(users::Column::Email.eq("x@else.example"))
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .id,
        ),
    )
    .await;
    assert_eq!(
        set_seats(db, &x, q, c, "5", &context(&x)).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        clients::rename(db, q, c, "Mine now", &context(&x)).await,
        Err(AppError::NotFound)
    );
    t.cleanup().await;
}

support::each_backend!(clients_are_renamed_and_unlinked_per_rule_10);
async fn clients_are_renamed_and_unlinked_per_rule_10(t: support::TestDb) {
    let db = &t.db;
    let admin_id = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let admin = actor(db, admin_id).await;
    let c = create(
        db,
        p,
        new_client("Acme", "teams", "5", "owner@acme.example"),
        &context(&admin),
    )
    .await
    .unwrap();

    for (raw, expected) in [
        ("", Problem::Required),
        ("  ", Problem::Required),
        (&"x".repeat(51)[..], Problem::TooLong(50)),
    ] {
        let r = clients::rename(db, p, c, raw, &context(&admin)).await;
        assert_eq!(problem(r, Field::Name), expected);
    }
    clients::rename(db, p, c, "Acme Group", &context(&admin))
        .await
        .unwrap();
    assert_eq!(
        clients::list(db, p, &query(&[("q", "group")]))
            .await
            .unwrap()
            .rows[0]
            .name,
        "Acme Group"
    );

    // Only an invited owner: no confirmed Owner outside the provider yet.
    assert_eq!(
        clients::unlink(db, p, c, &context(&admin)).await,
        Err(AppError::Refused(Refusal::NoOwnerOutsideProvider))
    );
    // A confirmed Owner who is a member of the provider does not count.
    let insider = user(db, "insider@msp.example").await;
    provider_member(
        db,
        p,
        Some(insider),
        &format!("member{}@example.com", insider.0),
        "service_user",
        "confirmed",
    )
    .await;
    membership(
        db,
        c,
        Some(insider),
        "insider@msp.example",
        "owner",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    assert_eq!(
        clients::unlink(db, p, c, &context(&admin)).await,
        Err(AppError::Refused(Refusal::NoOwnerOutsideProvider))
    );
    assert_eq!(
        clients::list(db, p, &query(&[])).await.unwrap().total,
        1,
        "still a client"
    );

    let owner = user(db, "boss@acme.example").await;
    membership(
        db,
        c,
        Some(owner),
        "boss@acme.example",
        "owner",
        "confirmed",
        Permissions::empty(),
    )
    .await;
    let members_before = organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(c.0))
        .count(db)
        .await
        .unwrap();
    clients::unlink(db, p, c, &context(&admin)).await.unwrap();
    assert_eq!(clients::list(db, p, &query(&[])).await.unwrap().total, 0);
    let org = organizations::Entity::find_by_id(c.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(org.billing_email, "boss@acme.example");
    let members_after = organization_users::Entity::find()
        .filter(organization_users::Column::OrganizationId.eq(c.0))
        .count(db)
        .await
        .unwrap();
    assert_eq!(members_after, members_before, "members stay");
    // The provider lost access; the owner kept it.
    let scope = app::db::organizations::scope_of(db, c)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(scope.provider_id, None);
    assert!(!admin.can(
        Capability::AdministerOrganization,
        Scope::Organization(scope)
    ));
    let owner = actor(db, owner).await;
    assert!(owner.can(
        Capability::AdministerOrganization,
        Scope::Organization(scope)
    ));
    let last = events::Entity::find()
        .filter(events::Column::OrganizationId.eq(c.0))
        .all(db)
        .await
        .unwrap();
    assert_eq!(last.last().unwrap().r#type, 1902);
    t.cleanup().await;
}

support::each_backend!(used_seats_follow_every_member_change);
/// `organizations.used_seats` (kept by database triggers) equals a recount of the members
/// taking a seat after every kind of change: insert, status change, move to another
/// organization, delete, and a bulk insert.
async fn used_seats_follow_every_member_change(t: support::TestDb) {
    let db = &t.db;
    let admin_id = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let admin = actor(db, admin_id).await;
    let mut ids = Vec::new();
    for name in ["Alpha", "Beta"] {
        create(
            db,
            p,
            new_client(name, "teams", "20", "owner@client.example"),
            &context(&admin),
        )
        .await
        .unwrap();
    }
    for org in organizations::Entity::find().all(db).await.unwrap() {
        ids.push(OrganizationId(org.id));
    }
    let (a, b) = (ids[0], ids[1]);
    let check = |label: &'static str| async move {
        for org in [a, b] {
            let stored: i64 = db
                .query_one(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT used_seats FROM organizations WHERE id = {}", org.0),
                ))
                .await
                .unwrap()
                .unwrap()
                .try_get_by_index::<i32>(0)
                .map(i64::from)
                .unwrap();
            let counted = app::db::organization_users::used_seats(db, org)
                .await
                .unwrap();
            assert_eq!(stored, counted, "{label}: organization {}", org.0);
        }
    };
    check("after create").await;
    for (i, status) in ["invited", "accepted", "confirmed", "revoked"]
        .iter()
        .enumerate()
    {
        membership(
            db,
            a,
            None,
            &format!("m{i}@a.example"),
            "user",
            status,
            Permissions::empty(),
        )
        .await;
    }
    check("after inserts").await;
    let revoked = organization_users::Entity::find()
        .filter(organization_users::Column::Email.eq("m3@a.example"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut restore: organization_users::ActiveModel = revoked.into();
    restore.status = Set(app::vocabulary::MemberStatus::Confirmed);
    let restored = restore.update(db).await.unwrap();
    check("after restoring").await;
    let mut moved: organization_users::ActiveModel = restored.into();
    moved.organization_id = Set(b.0);
    moved.update(db).await.unwrap();
    check("after moving to another organization").await;
    organization_users::Entity::update_many()
        .col_expr(
            organization_users::Column::Status,
            sea_orm::sea_query::Expr::value("revoked"),
        )
        .filter(organization_users::Column::OrganizationId.eq(a.0))
        .exec(db)
        .await
        .unwrap();
    check("after revoking everyone").await;
    organization_users::Entity::delete_many()
        .filter(organization_users::Column::OrganizationId.eq(b.0))
        .exec(db)
        .await
        .unwrap();
    check("after deleting").await;
    let page = clients::list(db, p, &query(&[])).await.unwrap();
    assert!(page.rows.iter().all(|r| r.used == 0), "{:?}", page.rows);
    t.cleanup().await;
}

support::each_backend!(broad_searches_count_a_bounded_look_ahead);
/// A broad search stops counting a few pages past the one shown (so its cost does not grow
/// with the provider); a narrow one, and the list without a search, count exactly.
async fn broad_searches_count_a_bounded_look_ahead(t: support::TestDb) {
    use app::clients::service::SEARCH_LOOKAHEAD_PAGES;
    let db = &t.db;
    user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    server::operator::bulk_clients(db, p, 300, None)
        .await
        .unwrap();
    let bound = SEARCH_LOOKAHEAD_PAGES * 25;
    let first = clients::list(db, p, &query(&[("q", "client")]))
        .await
        .unwrap();
    assert_eq!((first.total, first.more), (bound, true), "{}", t.backend);
    assert_eq!(first.page_count() as u64, SEARCH_LOOKAHEAD_PAGES);
    // Further on, the count reaches past the page shown, until it covers every match.
    let second = clients::list(db, p, &query(&[("q", "client"), ("page", "2")]))
        .await
        .unwrap();
    assert_eq!((second.total, second.more), (25 + bound, true));
    assert_eq!(second.rows.len(), 25);
    let last = clients::list(db, p, &query(&[("q", "client"), ("page", "12")]))
        .await
        .unwrap();
    assert_eq!((last.total, last.more, last.page), (300, false, 12));
    assert_eq!(last.rows.len(), 300 - 11 * 25);
    // Past the end: the exact count finds the last page.
    let past = clients::list(db, p, &query(&[("q", "client"), ("page", "40")]))
        .await
        .unwrap();
    assert_eq!((past.total, past.more, past.page), (300, false, 12));
    let narrow = clients::list(db, p, &query(&[("q", "dental")]))
        .await
        .unwrap();
    assert_eq!((narrow.total, narrow.more), (25, false), "{}", t.backend);
    let all = clients::list(db, p, &query(&[])).await.unwrap();
    assert_eq!((all.total, all.more), (300, false));
    t.cleanup().await;
}

support::each_backend!(rare_searches_use_the_trigram_index_and_follow_renames);
async fn rare_searches_use_the_trigram_index_and_follow_renames(t: support::TestDb) {
    use app::clients::service::{SearchPlan, search_plan};
    let db = &t.db;
    let admin_id = user(db, "admin@msp.example").await;
    let admin = actor(db, admin_id).await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    server::operator::bulk_clients(db, p, 400, None)
        .await
        .unwrap();
    // Another provider's clients carry the same names: they never show.
    user(db, "admin@other.example").await;
    let other = provider(db, "Other", "admin@other.example").await;
    server::operator::bulk_clients(db, other, 60, None)
        .await
        .unwrap();

    // SQLite asks its trigram table first when the term is rare; PostgreSQL's planner
    // chooses its trigram index by itself. Short or common terms scan in name order.
    let rare = if t.backend == "sqlite" {
        SearchPlan::Trigrams
    } else {
        SearchPlan::Scan
    };
    assert_eq!(search_plan(db, "00042").await.unwrap(), rare);
    assert_eq!(search_plan(db, "client").await.unwrap(), SearchPlan::Scan);
    assert_eq!(search_plan(db, "00").await.unwrap(), SearchPlan::Scan);

    let found = |q: &'static str| async move {
        clients::list(db, p, &query(&[("q", q)]))
            .await
            .unwrap()
            .rows
            .into_iter()
            .map(|row| (row.id, row.name))
            .collect::<Vec<_>>()
    };
    let hits = found("00042").await;
    assert_eq!(hits.len(), 1, "{}: {hits:?}", t.backend);
    assert!(hits[0].1.starts_with("Client 00042 "), "{hits:?}");
    assert_eq!(found("0004").await.len(), 11, "00004 and 00040–00049");
    let (id, _) = hits[0].clone();

    // A rename reaches the index at once (triggers), in both directions.
    clients::rename(db, p, id, "Zebra Crossing Ltd", &context(&admin))
        .await
        .unwrap();
    assert!(found("00042").await.is_empty(), "{}", t.backend);
    assert_eq!(
        found("ZEBRA").await,
        vec![(id, "Zebra Crossing Ltd".to_owned())]
    );
    assert_eq!(found("bra cro").await.len(), 1);
    // Quotes and wildcards are literal characters, never query syntax.
    assert!(found("ze\"bra").await.is_empty());
    assert!(found("z%a").await.is_empty());
    // The page's count agrees with the rows.
    let page = clients::list(db, p, &query(&[("q", "zebra")]))
        .await
        .unwrap();
    assert_eq!((page.total, page.more), (1, false));
    t.cleanup().await;
}

support::each_backend!(next_and_previous_seek_from_the_rows_on_screen);
/// Next and Previous carry the id of the row they start from (`after=` / `before=`): every
/// sort and direction walks the list forward and back to exactly the pages found by position,
/// ties included; an anchor that is gone or belongs to another provider falls back to the
/// position; and a client added meanwhile neither repeats a row nor hides one.
async fn next_and_previous_seek_from_the_rows_on_screen(t: support::TestDb) {
    let db = &t.db;
    user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    server::operator::bulk_clients(db, p, 110, None)
        .await
        .unwrap();
    // Ties in every column: three clients with one name, members on a few (Used 0 for most).
    let ids: Vec<i64> = provider_organizations::Entity::find()
        .filter(provider_organizations::Column::ProviderId.eq(p.0))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|link| link.organization_id)
        .collect();
    organizations::Entity::update_many()
        .col_expr(organizations::Column::Name, "Twin Dental".into())
        .col_expr(organizations::Column::NameKey, "twin dental".into())
        .filter(organizations::Column::Id.is_in([ids[7], ids[40], ids[90]]))
        .exec(db)
        .await
        .unwrap();
    for (n, id) in ids.iter().step_by(9).enumerate() {
        for j in 0..(n % 3 + 1) {
            membership(
                db,
                OrganizationId(*id),
                None,
                &format!("m{j}@example.com"),
                "user",
                "invited",
                Permissions::empty(),
            )
            .await;
        }
    }
    let row_ids = |page: &app::clients::types::ClientPage| -> Vec<OrganizationId> {
        page.rows.iter().map(|r| r.id).collect()
    };
    for column in ClientSort::ALL {
        for direction in [SortDirection::Asc, SortDirection::Desc] {
            let base = query(&[("sort", column.as_str()), ("dir", direction.as_str())]);
            let label = format!("{column:?} {direction:?} on {}", t.backend);
            // The reference: the pages found by position.
            let mut by_position = Vec::new();
            for number in 1..=5 {
                let page = clients::list(db, p, &base.at_page(number)).await.unwrap();
                assert_eq!(page.page, number, "{label}");
                by_position.push(row_ids(&page));
            }
            assert_eq!(by_position.concat().len(), 110, "{label}");
            // Forward with Next.
            let mut shown = clients::list(db, p, &base).await.unwrap();
            let mut forward = vec![row_ids(&shown)];
            while shown.page < shown.page_count() {
                let last = shown.rows.last().unwrap().id;
                let next = base.at_page(shown.page).next_after(last);
                assert!(
                    next.to_query_string()
                        .contains(&format!("after={}", last.0))
                );
                shown = clients::list(db, p, &next).await.unwrap();
                assert_eq!(shown.page as usize, forward.len() + 1, "{label}");
                forward.push(row_ids(&shown));
            }
            assert_eq!(forward, by_position, "forward, {label}");
            // Back with Previous, from the last page to the first.
            let mut backward = vec![row_ids(&shown)];
            while shown.page > 1 {
                let first = shown.rows.first().unwrap().id;
                let previous = base.at_page(shown.page).previous_before(first);
                shown = clients::list(db, p, &previous).await.unwrap();
                backward.insert(0, row_ids(&shown));
            }
            assert_eq!(backward, by_position, "backward, {label}");
        }
    }

    // Another provider's client as the anchor: the page is found by position.
    user(db, "other@msp.example").await;
    let other = provider(db, "Other MSP", "other@msp.example").await;
    server::operator::bulk_clients(db, other, 1, None)
        .await
        .unwrap();
    let foreign = provider_organizations::Entity::find()
        .filter(provider_organizations::Column::ProviderId.eq(other.0))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .organization_id;
    let base = query(&[]);
    let second = clients::list(db, p, &base.at_page(2)).await.unwrap();
    let with_foreign = base.at_page(1).next_after(OrganizationId(foreign));
    let page = clients::list(db, p, &with_foreign).await.unwrap();
    assert_eq!((page.page, row_ids(&page)), (2, row_ids(&second)));

    // A client added before the anchor meanwhile: Next shows the rows after the ones seen,
    // where paging by position would repeat the last of them.
    let first = clients::list(db, p, &base).await.unwrap();
    let last_seen = first.rows.last().unwrap().id;
    organizations::Entity::update_many()
        .col_expr(organizations::Column::Name, "AAA First".into())
        .col_expr(organizations::Column::NameKey, "aaa first".into())
        .filter(organizations::Column::Id.eq(second.rows[3].id.0))
        .exec(db)
        .await
        .unwrap();
    let next = clients::list(db, p, &base.next_after(last_seen))
        .await
        .unwrap();
    assert_eq!(next.page, 2);
    let mut expected = row_ids(&second);
    expected.remove(3);
    assert_eq!(row_ids(&next)[..24], expected[..], "{}", t.backend);
    assert!(!row_ids(&next).contains(&last_seen));
    let by_position = clients::list(db, p, &base.at_page(2)).await.unwrap();
    assert!(
        row_ids(&by_position).contains(&last_seen),
        "the position shifted"
    );

    // The anchor unlinked meanwhile: the page is found by position.
    provider_organizations::Entity::delete_many()
        .filter(provider_organizations::Column::OrganizationId.eq(last_seen.0))
        .exec(db)
        .await
        .unwrap();
    let gone = clients::list(db, p, &base.next_after(last_seen))
        .await
        .unwrap();
    let by_position = clients::list(db, p, &base.at_page(2)).await.unwrap();
    assert_eq!((gone.page, row_ids(&gone)), (2, row_ids(&by_position)));
    t.cleanup().await;
}
