#![allow(clippy::unwrap_used)]
//! Billing (issue 6 item 4, DESIGN.md rule 8): the subscription's totals from the clients'
//! seats; monthly invoices (lines per client plus "Unassigned seats", totals, issued once
//! even when two runs race, refused for months not over, immutable in the database); the
//! billing information's validation; the operator's seat minimum; refusals over HTTP.
//! SQLite and PostgreSQL.

use crate::support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{TimeZone, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use app::billing::types::BillingInfo;
use app::clients::types::NewClientForm;
use app::db::{events, invoices};
use app::error::{AppError, Field, Problem};
use app::ids::{ProviderId, UserId};
use app::organizations::types::Plan;
use support::witnessed::billing;
use support::witnessed::clients;
use support::{actor, context, provider, provider_member, send, session_cookie, user};

async fn client(
    db: &sea_orm::DatabaseConnection,
    p: ProviderId,
    admin: UserId,
    name: &str,
    plan: &str,
    seats: &str,
) {
    clients::create(
        db,
        p,
        NewClientForm {
            name: name.into(),
            plan: plan.into(),
            seats: seats.into(),
            owner_email: format!("owner@{}.example", name.to_lowercase().replace(' ', "")),
        }
        .read()
        .unwrap(),
        &context(&actor(db, admin).await),
    )
    .await
    .unwrap();
}

support::each_backend!(the_subscription_and_invoices_follow_rule_8);
async fn the_subscription_and_invoices_follow_rule_8(t: support::TestDb) {
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    // Minimums: Teams 10, Enterprise 10; prices 4.00 and 6.00.
    let p = provider(db, "MSP", "admin@msp.example").await;
    client(db, p, admin, "Alpha", "teams", "4").await;
    client(db, p, admin, "Beta", "enterprise", "8").await;
    client(db, p, admin, "Gamma", "enterprise", "7").await;

    let subscription = billing::subscription(db, p).await.unwrap();
    let teams = subscription
        .plans
        .iter()
        .find(|s| s.plan == Plan::Teams)
        .unwrap();
    let enterprise = subscription
        .plans
        .iter()
        .find(|s| s.plan == Plan::Enterprise)
        .unwrap();
    // Teams: 4 assigned under a minimum of 10 → 10 billed; Enterprise: 15 → 5 purchased.
    assert_eq!(
        (
            teams.assigned,
            teams.billed,
            teams.purchased,
            teams.monthly_cents
        ),
        (4, 10, 0, 4000),
        "{}",
        t.backend
    );
    assert_eq!(
        (
            enterprise.assigned,
            enterprise.billed,
            enterprise.purchased,
            enterprise.monthly_cents
        ),
        (15, 15, 5, 9000)
    );
    assert_eq!(subscription.total_cents, 13000);

    // The invoice: a line per client, then the unused part of the Teams minimum.
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 5, 0).unwrap();
    assert!(billing::issue(db, p, "2026-11", now).await.unwrap());
    let history = billing::history(db, p).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].period.as_str(), history[0].total_cents),
        ("2026-11", 13000)
    );
    let invoice = billing::invoice(db, p, history[0].id).await.unwrap();
    let names: Vec<&str> = invoice.lines.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Alpha", "Beta", "Gamma", "Unassigned seats"]);
    let alpha = &invoice.lines[0];
    // Each new client has its invited owner taking a seat.
    assert_eq!(
        (
            alpha.assigned,
            alpha.used,
            alpha.remaining,
            alpha.total_cents
        ),
        (4, 1, 3, 1600)
    );
    let unassigned = &invoice.lines[3];
    assert_eq!(
        (
            unassigned.client,
            unassigned.plan,
            unassigned.assigned,
            unassigned.total_cents
        ),
        (None, Plan::Teams, 6, 2400)
    );
    assert_eq!(
        invoice.lines.iter().map(|l| l.total_cents).sum::<i64>(),
        invoice.summary.total_cents
    );

    // Issued once: a second run (or a second instance) adds nothing.
    let (first, second) = tokio::join!(
        billing::issue_all(db, "2026-11", now),
        billing::issue_all(db, "2026-11", now)
    );
    assert_eq!(first.unwrap().issued + second.unwrap().issued, 0);
    assert_eq!(invoices::Entity::find().count(db).await.unwrap(), 1);

    // Immutable: the database refuses an edit, whoever asks.
    let edit = invoices::Entity::update_many()
        .col_expr(invoices::Column::TotalCents, Expr::value(1))
        .filter(invoices::Column::Id.eq(history[0].id))
        .exec(db)
        .await;
    assert!(edit.is_err(), "an invoice was edited on {}", t.backend);
    assert_eq!(billing::history(db, p).await.unwrap()[0].total_cents, 13000);

    // Months: malformed or not over are refused.
    for (raw, problem) in [
        ("2026-13", Problem::InvalidDate),
        ("26-11", Problem::InvalidDate),
        ("2026-12", Problem::MonthNotOver),
        ("2027-01", Problem::MonthNotOver),
    ] {
        assert_eq!(
            billing::past_month(raw, now)
                .unwrap_err()
                .problem_for(Field::Month),
            Some(problem),
            "{raw}"
        );
    }
    assert_eq!(billing::past_month("2026-11", now).unwrap(), "2026-11");
    assert_eq!(billing::previous_month(now), "2026-11");
    assert_eq!(
        billing::previous_month(Utc.with_ymd_and_hms(2027, 1, 3, 0, 0, 0).unwrap()),
        "2026-12"
    );

    // The operator raises the Enterprise minimum: the subscription follows.
    billing::set_minimum(db, p, Plan::Enterprise, 20)
        .await
        .unwrap();
    let enterprise = billing::subscription(db, p)
        .await
        .unwrap()
        .plans
        .into_iter()
        .find(|s| s.plan == Plan::Enterprise)
        .unwrap();
    assert_eq!((enterprise.billed, enterprise.purchased), (20, 0));
    t.cleanup().await;
}

support::each_backend!(billing_information_is_validated_and_recorded);
async fn billing_information_is_validated_and_recorded(t: support::TestDb) {
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let admin_actor = actor(db, admin).await;
    let before = billing::billing_info(db, p).await.unwrap();
    let bad = BillingInfo {
        billing_email: "nope".into(),
        address: "x".repeat(501),
        tax_id: "<script>".into(),
    };
    let Err(AppError::Invalid(errors)) =
        billing::update_billing_info(db, &context(&admin_actor), p, bad).await
    else {
        panic!("expected problems on {}", t.backend);
    };
    let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, [Field::BillingEmail, Field::Address, Field::TaxId]);
    assert_eq!(billing::billing_info(db, p).await.unwrap(), before);

    let good = BillingInfo {
        billing_email: "Accounts@MSP.example".into(),
        address: "Keizersgracht 1\r\n1015 CN Amsterdam".into(),
        tax_id: "NL 8594.32.711.B01".into(),
    };
    billing::update_billing_info(db, &context(&admin_actor), p, good)
        .await
        .unwrap();
    let saved = billing::billing_info(db, p).await.unwrap();
    assert_eq!(saved.billing_email, "accounts@msp.example");
    assert_eq!(saved.address, "Keizersgracht 1\n1015 CN Amsterdam");
    assert_eq!(saved.tax_id, "NL 8594.32.711.B01");
    let recorded = events::Entity::find()
        .filter(events::Column::Type.eq(app::events::types::EventType::ProviderUpdated.code()))
        .count(db)
        .await
        .unwrap();
    assert_eq!(recorded, 1);
    t.cleanup().await;
}

support::each_backend!(billing_is_for_provider_admins_only);
async fn billing_is_for_provider_admins_only(t: support::TestDb) {
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    let service = user(db, "service@msp.example").await;
    provider_member(
        db,
        p,
        Some(service),
        "service@msp.example",
        "service_user",
        "confirmed",
    )
    .await;
    let other = user(db, "admin@other.example").await;
    provider(db, "Other", "admin@other.example").await;
    client(db, p, admin, "Alpha", "teams", "4").await;
    billing::issue(db, p, "2026-10", Utc::now()).await.unwrap();
    let invoice = billing::history(db, p).await.unwrap()[0].id;
    let app = support::router_for(db);
    let pid = p.0;
    let calls: Vec<(&str, String)> = vec![
        ("/api/billing/subscription", format!("provider={pid}")),
        ("/api/billing/history", format!("provider={pid}")),
        (
            "/api/billing/invoice",
            format!("provider={pid}&invoice={invoice}"),
        ),
        ("/api/billing/information", format!("provider={pid}")),
        (
            "/api/billing/update-information",
            format!("provider={pid}&billing_email=x%40x.example&address=&tax_id="),
        ),
    ];
    let before = (
        billing::billing_info(db, p).await.unwrap(),
        events::Entity::find().count(db).await.unwrap(),
    );
    for (who, cookie) in [
        ("service user", Some(session_cookie(db, service).await)),
        (
            "other provider's admin",
            Some(session_cookie(db, other).await),
        ),
        ("anonymous", None),
    ] {
        for (path, body) in &calls {
            let mut request = Request::builder()
                .method("POST")
                .uri(*path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .header("sec-fetch-site", "same-origin");
            if let Some(cookie) = &cookie {
                request = request.header(header::COOKIE, cookie);
            }
            let (status, _, answer) =
                send(&app, request.body(Body::from(body.clone())).unwrap()).await;
            let expected = if cookie.is_some() {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNAUTHORIZED
            };
            assert_eq!(
                status, expected,
                "{who} → {path}: {answer} on {}",
                t.backend
            );
        }
        // The invoice's CSV too.
        let mut request = Request::builder().uri(format!(
            "/providers/{pid}/billing/invoices/{invoice}/report.csv"
        ));
        if let Some(cookie) = &cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let (status, _, body) = send(&app, request.body(Body::empty()).unwrap()).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED,
            "{who}: {status}"
        );
        assert!(!body.contains("Alpha"));
    }
    assert_eq!(
        (
            billing::billing_info(db, p).await.unwrap(),
            events::Entity::find().count(db).await.unwrap()
        ),
        before
    );

    // The admin gets the CSV: the per-client report with its escaping.
    let admin_cookie = session_cookie(db, admin).await;
    let request = Request::builder()
        .uri(format!(
            "/providers/{pid}/billing/invoices/{invoice}/report.csv"
        ))
        .header(header::COOKIE, &admin_cookie)
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut lines = body.lines();
    assert_eq!(
        lines.next(),
        Some("client,id,assigned,used,remaining,plan,estimated_total")
    );
    assert!(body.contains("Alpha,"), "{body}");
    assert!(
        body.contains("Unassigned seats,,6,0,6,Teams,24.00"),
        "{body}"
    );
    t.cleanup().await;
}
