#![allow(clippy::unwrap_used)]
//! Event logs (issue 6 item 3): the provider's log newest first within a range of days in the
//! viewer's zone, paged in SQL; the CSV export streamed over HTTP with its escaping and
//! formula neutralising, refused to everyone but Provider Admins; the range's bad input; the
//! "opened a client's Admin Console" event. SQLite and PostgreSQL.

use crate::support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, TimeZone, Utc};
use http_body_util::BodyExt;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use tower::ServiceExt;

use app::db::{events, users};
use app::error::{AppError, Field, Problem};
use app::events::types::{EVENT_PAGE_SIZE, EventQuery, EventType};
use app::ids::{ProviderId, UserId};
use support::witnessed::event_log::{self, LogOf};
use support::{actor, get_path, provider, provider_member, session_cookie, user};

/// An event in the provider's log at `at`, acted by `actor`, about a member address.
async fn event(
    db: &sea_orm::DatabaseConnection,
    provider: ProviderId,
    at: chrono::DateTime<Utc>,
    actor: Option<UserId>,
    kind: EventType,
    details: serde_json::Value,
) {
    events::ActiveModel {
        at: Set(at),
        r#type: Set(kind.code()),
        acting_user_id: Set(actor.map(|a| a.0)),
        provider_id: Set(Some(provider.0)),
        organization_id: Set(None),
        target_kind: Set(None),
        target_id: Set(None),
        details: Set(Some(details.to_string())),
        ip: Set(Some("198.51.100.7".into())),
        device: Set(Some("test".into())),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

support::each_backend!(the_log_lists_a_range_of_days_newest_first_in_pages);
async fn the_log_lists_a_range_of_days_newest_first_in_pages(t: support::TestDb) {
    let db = &t.db;
    let admin = user(db, "admin@msp.example").await;
    let p = provider(db, "MSP", "admin@msp.example").await;
    // Only this test's events (the provider's set-up ones carry the real clock).
    events::Entity::delete_many().exec(db).await.unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
    // 60 events over the last 60 minutes, and one 40 days ago.
    for minute in 0..60 {
        event(
            db,
            p,
            now - Duration::minutes(minute),
            Some(admin),
            EventType::ProviderUserInvited,
            serde_json::json!({ "email": format!("m{minute}@example.com") }),
        )
        .await;
    }
    event(
        db,
        p,
        now - Duration::days(40),
        Some(admin),
        EventType::ProviderUserRemoved,
        serde_json::json!({ "email": "old@example.com" }),
    )
    .await;
    event(
        db,
        p,
        now - Duration::minutes(1),
        None,
        EventType::OrganizationSeatsChanged,
        serde_json::json!({ "seats": { "from": 10, "to": 12 } }),
    )
    .await;

    // Default: the last 30 days; newest first; one page of 50 and more to come.
    let first = event_log::list(db, LogOf::Provider(p), &EventQuery::default(), now)
        .await
        .unwrap();
    assert_eq!(first.rows.len() as u32, EVENT_PAGE_SIZE, "{}", t.backend);
    assert!(first.has_more);
    assert_eq!(
        (first.from.as_str(), first.to.as_str()),
        ("2026-10-28", "2026-11-26")
    );
    assert_eq!(first.rows[0].target.as_deref(), Some("m0@example.com"));
    assert_eq!(
        first.rows[0].actor,
        Some(("admin".into(), "admin@msp.example".into()))
    );
    assert!(first.rows.windows(2).all(|w| w[0].at >= w[1].at));
    let seats = first
        .rows
        .iter()
        .find(|r| r.code == EventType::OrganizationSeatsChanged.code())
        .unwrap();
    assert_eq!(seats.change, Some(("10".into(), "12".into())));
    assert_eq!(seats.actor, None);
    let second = event_log::list(
        db,
        LogOf::Provider(p),
        &EventQuery {
            page: 2,
            ..EventQuery::default()
        },
        now,
    )
    .await
    .unwrap();
    // 60 + 1 in range (the 40-day-old one is not).
    assert_eq!(second.rows.len(), 11);
    assert!(!second.has_more);

    // Days are the viewer's: at UTC+14 it is already the 27th, and 11:59 UTC on the 26th
    // is 01:59 on the 27th there.
    let tomorrow = EventQuery {
        from: "2026-11-27".into(),
        to: "2026-11-27".into(),
        tz: 14 * 60,
        page: 1,
    };
    let there = event_log::list(db, LogOf::Provider(p), &tomorrow, now)
        .await
        .unwrap();
    assert_eq!((there.rows.len(), there.has_more), (50, true));
    let utc = EventQuery { tz: 0, ..tomorrow };
    assert!(
        event_log::list(db, LogOf::Provider(p), &utc, now)
            .await
            .unwrap()
            .rows
            .is_empty()
    );

    // Bad ranges: a problem next to the field.
    let bad = |from: &str, to: &str| EventQuery {
        from: from.into(),
        to: to.into(),
        tz: 0,
        page: 1,
    };
    let problem = |r: Result<_, AppError>, field| match r {
        Err(e) => e.problem_for(field),
        Ok(_) => None,
    };
    assert_eq!(
        problem(
            event_log::resolve_range(&bad("2026-13-01", ""), now, None),
            Field::DateFrom
        ),
        Some(Problem::InvalidDate)
    );
    // Dates chrono reads but no log holds: refused, not a panic.
    for (from, to) in [
        ("1999-12-31", "2026-11-01"),
        ("2026-11-01", "+262142-12-31"),
        ("-0001-01-01", ""),
    ] {
        assert!(
            matches!(
                event_log::resolve_range(&bad(from, to), now, None),
                Err(AppError::Invalid(_))
            ),
            "{from}..{to}"
        );
    }
    let far_offset = EventQuery {
        tz: i32::MAX,
        ..bad("", "")
    };
    assert!(event_log::resolve_range(&far_offset, now, None).is_ok());
    assert_eq!(
        problem(
            event_log::resolve_range(&bad("2026-11-20", "2026-11-01"), now, None),
            Field::DateTo
        ),
        Some(Problem::BeforeStart)
    );
    assert_eq!(
        problem(
            event_log::resolve_range(&bad("2025-01-01", "2026-11-01"), now, Some(366)),
            Field::DateTo
        ),
        Some(Problem::RangeTooLong(366))
    );
    assert!(event_log::resolve_range(&bad("2025-11-02", "2026-11-02"), now, Some(366)).is_ok());
    t.cleanup().await;
}

support::each_backend!(the_export_is_streamed_csv_with_cells_escaped_and_formulas_neutralised);
async fn the_export_is_streamed_csv_with_cells_escaped_and_formulas_neutralised(
    t: support::TestDb,
) {
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
    // A name with a comma, quotes and a new line; addresses that look like formulas.
    let tricky = users::ActiveModel {
        email: Set("=tricky@example.com".into()),
        name: Set("Smith, \"Bob\"\nJr".into()),
        password_hash: Set("x".into()),
        locale: Set("en".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    events::Entity::delete_many().exec(db).await.unwrap();
    let now = Utc::now();
    for (i, email) in [
        "=HYPERLINK(\"http://evil.example\")",
        "+1+1",
        "-2",
        "@SUM(A1)",
        "plain@example.com",
    ]
    .iter()
    .enumerate()
    {
        event(
            db,
            p,
            now - Duration::minutes(i as i64),
            Some(UserId(tricky.id)),
            EventType::ProviderUserInvited,
            serde_json::json!({ "email": email }),
        )
        .await;
    }
    let app = support::router_for(db);
    let path = format!("/providers/{}/manage/events/export.csv", p.0);

    // Refused: anonymous 401, a Service User and another provider's admin 403.
    assert_eq!(
        get_path(&app, &path, None).await.0,
        StatusCode::UNAUTHORIZED,
        "{}",
        t.backend
    );
    for refused in [service, other] {
        let (status, _, body) =
            get_path(&app, &path, Some(&session_cookie(db, refused).await)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(!body.contains("HYPERLINK"));
    }
    // More than a year, or an end before the start: refused with 422.
    let admin_cookie = session_cookie(db, admin).await;
    for query in [
        "?from=2024-01-01&to=2026-01-01",
        "?from=2026-02-01&to=2026-01-01",
    ] {
        let (status, _, _) = get_path(&app, &format!("{path}{query}"), Some(&admin_cookie)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
    }

    // Compressed, as browsers ask for it: the compression layer polls the stream once
    // more after its end, which must not fail.
    let request = Request::builder()
        .uri(&path)
        .header(header::COOKIE, &admin_cookie)
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    let compressed = response.into_body().collect().await.unwrap().to_bytes();
    assert!(!compressed.is_empty());

    let (status, headers, body) = get_path(&app, &path, Some(&admin_cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let header_of = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        header_of("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        header_of("content-disposition")
            .unwrap()
            .starts_with("attachment; filename=\"events-provider-")
    );
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "time_utc",
            "event",
            "code",
            "actor_name",
            "actor_email",
            "target",
            "ip",
            "device"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Newest first.
    assert_eq!(records.len(), 5);
    let targets: Vec<&str> = records.iter().map(|r| &r[5]).collect();
    assert_eq!(
        targets,
        [
            "'=HYPERLINK(\"http://evil.example\")",
            "'+1+1",
            "'-2",
            "'@SUM(A1)",
            "plain@example.com"
        ]
    );
    assert_eq!(
        &records[0][3], "Smith, \"Bob\"\nJr",
        "quotes, comma and new line survive"
    );
    assert_eq!(&records[0][4], "'=tricky@example.com");
    assert_eq!(
        &records[0][1],
        "Invited =HYPERLINK(\"http://evil.example\") to the provider"
    );
    assert_eq!(
        &records[0][2],
        EventType::ProviderUserInvited.code().to_string()
    );
    t.cleanup().await;
}

support::each_backend!(opening_a_clients_console_is_recorded_once_in_a_while_in_both_logs);
async fn opening_a_clients_console_is_recorded_once_in_a_while_in_both_logs(t: support::TestDb) {
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
    let client = support::witnessed::clients::create(
        db,
        p,
        app::clients::types::NewClientForm {
            name: "Client One".into(),
            plan: "teams".into(),
            seats: "5".into(),
            owner_email: "boss@client.example".into(),
        }
        .read()
        .unwrap(),
        &support::context(&actor(db, admin).await),
    )
    .await
    .unwrap();
    let service_actor = actor(db, service).await;
    let scope = app::db::organizations::scope_of(db, client)
        .await
        .unwrap()
        .unwrap();
    for _ in 0..3 {
        support::witnessed::organizations::record_provider_access(
            db,
            &support::context(&service_actor),
            &service_actor,
            scope,
        )
        .await
        .unwrap();
    }
    let accessed = events::Entity::find()
        .filter(events::Column::Type.eq(EventType::ProviderClientAccessed.code()))
        .all(db)
        .await
        .unwrap();
    assert_eq!(accessed.len(), 1, "{}", t.backend);
    assert_eq!(
        (accessed[0].provider_id, accessed[0].organization_id),
        (Some(p.0), Some(client.0))
    );
    let page = event_log::list(db, LogOf::Provider(p), &EventQuery::default(), Utc::now())
        .await
        .unwrap();
    let row = page
        .rows
        .iter()
        .find(|r| r.code == EventType::ProviderClientAccessed.code())
        .unwrap();
    assert_eq!(row.target.as_deref(), Some("Client One"));
    assert_eq!(
        app::events::text::describe(app::i18n::Locale::en, row),
        "Opened the Admin Console of Client One"
    );
    let in_client_log = events::Entity::find()
        .filter(events::Column::OrganizationId.eq(client.0))
        .filter(events::Column::Type.eq(EventType::ProviderClientAccessed.code()))
        .count(db)
        .await
        .unwrap();
    assert_eq!(in_client_log, 1);
    t.cleanup().await;
}
