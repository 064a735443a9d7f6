//! The Clients list: search, seat counts, sort, paging and the total in one statement per
//! page, through the index of the sort column; on SQLite a trigram probe first decides how a
//! search finds its rows.

use sea_orm::sea_query::{
    Alias, Condition, Expr, Func, LikeExpr, Order, Query, SelectStatement, SimpleExpr,
    SubQueryStatement,
};
use sea_orm::{ConnectionTrait, FromQueryResult};

use super::types::{Anchor, ClientPage, ClientQuery, ClientRow, ClientSort, SortDirection};
use crate::auth::Capability;
use crate::auth::gate::InProvider;
use crate::db::{organizations, providers};
use crate::error::AppError;
use crate::ids::{OrganizationId, ProviderId};
use crate::organizations::types::name_key;

#[derive(Debug, FromQueryResult)]
struct ClientRecord {
    id: i64,
    name: String,
    plan: crate::vocabulary::Plan,
    seats: i32,
    used: i64,
    remaining: i64,
    total: i64,
}

/// The search folded as client names are (`name_key`), as a contains-pattern.
fn like_pattern(search: &str) -> String {
    crate::db::contains_pattern(&name_key(search))
}

/// How a search finds its clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchPlan {
    /// Walk the provider's clients in page order, keeping those whose name matches: cheap when
    /// matches are common (a page fills after a few rows), and always correct.
    Scan,
    /// SQLite, a rare term: take the few organizations whose names hold it from the trigram
    /// table (migration m20261127_000009) and sort just those. PostgreSQL makes this choice
    /// itself, with its trigram index and statistics.
    Trigrams,
}

/// The SQLite trigram table over `organizations.name_key`.
const TRIGRAMS: &str = "organization_name_trigrams";

/// Fewer matches than this in the whole portal make a term rare: sorting that many rows
/// costs less than scanning a large provider for them.
pub const TRIGRAM_PROBE: u64 = 300;

/// The search as one FTS5 phrase: with the trigram tokenizer, a substring match. Quotes are
/// doubled, so nothing typed is query syntax.
fn trigram_match(search: &str) -> SimpleExpr {
    let phrase = format!("\"{}\"", name_key(search).replace('"', "\"\""));
    Expr::cust_with_values(format!("{TRIGRAMS} MATCH ?"), [phrase])
}

/// Which plan a search takes: one bounded probe of the trigram table on SQLite for terms of
/// three characters or more (trigrams need three), nothing otherwise.
pub async fn search_plan(db: &impl ConnectionTrait, search: &str) -> Result<SearchPlan, AppError> {
    let backend = db.get_database_backend();
    if backend != sea_orm::DbBackend::Sqlite || name_key(search).chars().count() < 3 {
        return Ok(SearchPlan::Scan);
    }
    let probe = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_subquery(
            Query::select()
                .expr(Expr::val(1))
                .from(Alias::new(TRIGRAMS))
                .and_where(trigram_match(search))
                .limit(TRIGRAM_PROBE)
                .to_owned(),
            Alias::new("probe"),
        )
        .to_owned();
    let found: i64 = match db.query_one(backend.build(&probe)).await? {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    Ok(if u64::try_from(found).unwrap_or(0) < TRIGRAM_PROBE {
        SearchPlan::Trigrams
    } else {
        SearchPlan::Scan
    })
}

/// The provider's clients matching `search`. `organizations.provider_id` and `used_seats` are
/// kept by database triggers (migrations m20261126_000004/5), so the page reads this one
/// table through the index of its sort column: no join, no sort, nothing off-page read.
fn clients_filter(provider: ProviderId, search: &str, plan: SearchPlan) -> Condition {
    let mut filter = Condition::all().add(Expr::col(Alias::new("provider_id")).eq(provider.0));
    if !search.is_empty() {
        filter = filter.add(
            Expr::col(organizations::Column::NameKey)
                .like(LikeExpr::new(like_pattern(search)).escape('\\')),
        );
    }
    if plan == SearchPlan::Trigrams {
        // The LIKE above stays the exact rule; the trigram table only narrows the rows.
        filter = filter.add(
            Expr::col(organizations::Column::Id).in_subquery(
                Query::select()
                    .expr(Expr::cust("rowid"))
                    .from(Alias::new(TRIGRAMS))
                    .and_where(trigram_match(search))
                    .to_owned(),
            ),
        );
    }
    filter
}

/// Pages counted beyond the one shown when a search matches many clients. Counting every
/// match costs a scan proportional to the provider's size; past this look-ahead the page says
/// "more than N" instead, so a broad search on 100,000 clients costs what it costs on 1,000.
pub const SEARCH_LOOKAHEAD_PAGES: u64 = 10;

/// How many clients match: the provider's counter without a search, a count with one. `limit`
/// bounds the count (it stops at that many matches); `None` counts them all.
fn total_statement(
    provider: ProviderId,
    search: &str,
    limit: Option<u64>,
    plan: SearchPlan,
) -> SelectStatement {
    if search.is_empty() {
        return Query::select()
            .expr(Expr::col(Alias::new("client_count")))
            .from(providers::Entity)
            .and_where(Expr::col(providers::Column::Id).eq(provider.0))
            .to_owned();
    }
    let mut matched = Query::select();
    // In name order: the planner then walks the name index, where matches are spread as names
    // are. Left free, SQLite picked another covering index (by plan), and with matches bunched
    // in one part of it, counting 251 of one client in twelve read 50,000 rows (7.6 ms, not
    // 0.4, at 100,000 clients).
    matched
        .expr(Expr::val(1))
        .from(organizations::Entity)
        .cond_where(clients_filter(provider, search, plan))
        .order_by(organizations::Column::NameKey, Order::Asc)
        .order_by(organizations::Column::Id, Order::Asc);
    match limit {
        None => Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from(organizations::Entity)
            .cond_where(clients_filter(provider, search, plan))
            .to_owned(),
        Some(limit) => Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(matched.limit(limit).to_owned(), Alias::new("matched"))
            .to_owned(),
    }
}

/// The most matches a page's count reads: the pages before it, the look-ahead, and one more
/// to tell "exactly this many" from "more".
fn count_limit(query: &ClientQuery, page: u32) -> u64 {
    let size = u64::from(query.size);
    u64::from(page - 1) * size + SEARCH_LOOKAHEAD_PAGES * size + 1
}

/// The order of the page: the sort column, then the tie-break, each with its direction.
/// By name, equal keys go by id in the same direction so the name index serves both
/// directions; by any other column the tie-break (name, then id) stays ascending, and both
/// directions have their index (migration m20261126_000005). Every order is an index range.
fn order_columns(query: &ClientQuery) -> Vec<(SortKey, Order)> {
    let order = match query.direction {
        SortDirection::Asc => Order::Asc,
        SortDirection::Desc => Order::Desc,
    };
    let key = match query.sort {
        ClientSort::Name => return vec![(SortKey::NameKey, order.clone()), (SortKey::Id, order)],
        ClientSort::Assigned => SortKey::Seats,
        ClientSort::Used => SortKey::Used,
        ClientSort::Remaining => SortKey::Remaining,
        ClientSort::Plan => SortKey::Plan,
    };
    vec![
        (key, order),
        (SortKey::NameKey, Order::Asc),
        (SortKey::Id, Order::Asc),
    ]
}

/// A column of a page's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortKey {
    NameKey,
    Seats,
    Used,
    Remaining,
    Plan,
    Id,
}

impl SortKey {
    /// The expression in the table, written exactly as its index's (Remaining's included, so
    /// the planner uses that index).
    fn expr(self) -> SimpleExpr {
        let col = |name: &str| Expr::col(Alias::new(name));
        match self {
            Self::NameKey => col("name_key").into(),
            Self::Seats => col("seats").into(),
            Self::Used => col("used_seats").into(),
            Self::Remaining => col("seats").sub(col("used_seats")),
            Self::Plan => col("plan").into(),
            Self::Id => col("id").into(),
        }
    }

    /// The same column among a page statement's outputs.
    fn output(self) -> SimpleExpr {
        let col = |name: &str| Expr::col(Alias::new(name)).into();
        match self {
            Self::NameKey => col("name_key"),
            Self::Seats => col("seats"),
            Self::Used => col("used"),
            Self::Remaining => col("remaining"),
            Self::Plan => col("plan"),
            Self::Id => col("id"),
        }
    }

    /// The anchor client's value in this column.
    fn value(self, anchor: &AnchorRecord) -> SimpleExpr {
        match self {
            Self::NameKey => Expr::val(anchor.name_key.clone()).into(),
            Self::Seats => Expr::val(anchor.seats).into(),
            Self::Used => Expr::val(anchor.used_seats).into(),
            Self::Remaining => Expr::val(anchor.seats - anchor.used_seats).into(),
            Self::Plan => Expr::val(anchor.plan.as_str()).into(),
            Self::Id => Expr::val(anchor.id).into(),
        }
    }
}

fn flipped(order: &Order) -> Order {
    match order {
        Order::Desc => Order::Asc,
        _ => Order::Desc,
    }
}

/// The client a page is anchored to, in the sort's columns.
#[derive(Debug, FromQueryResult)]
struct AnchorRecord {
    id: i64,
    name_key: String,
    seats: i32,
    used_seats: i32,
    plan: crate::vocabulary::Plan,
}

/// The anchor's sort values, if it is still one of the provider's clients (a client unlinked
/// meanwhile, or another provider's id typed into the URL, leaves the page found by position).
async fn anchor_record(
    db: &impl ConnectionTrait,
    provider: ProviderId,
    id: OrganizationId,
) -> Result<Option<AnchorRecord>, AppError> {
    let statement = Query::select()
        .columns([
            organizations::Column::Id,
            organizations::Column::NameKey,
            organizations::Column::Seats,
            organizations::Column::Plan,
        ])
        .expr_as(
            Expr::col(Alias::new("used_seats")),
            Alias::new("used_seats"),
        )
        .from(organizations::Entity)
        .and_where(Expr::col(organizations::Column::Id).eq(id.0))
        .and_where(Expr::col(Alias::new("provider_id")).eq(provider.0))
        .to_owned();
    let backend = db.get_database_backend();
    Ok(AnchorRecord::find_by_statement(backend.build(&statement))
        .one(db)
        .await?)
}

/// Where a page starts: by position (offset, from the page number) or next to an anchor
/// client (seek).
enum Start<'a> {
    Position,
    /// The clients after the anchor in the list's order (`before == false`), or before it.
    Seek {
        anchor: &'a AnchorRecord,
        before: bool,
    },
}

/// The rows of a page, without their total: a page's columns from the provider's matching
/// clients, in `order`.
fn rows_statement(
    provider: ProviderId,
    query: &ClientQuery,
    plan: SearchPlan,
    order: &[(SortKey, Order)],
    extra: Option<Condition>,
) -> SelectStatement {
    let mut filter = clients_filter(provider, &query.search, plan);
    if let Some(extra) = extra {
        filter = filter.add(extra);
    }
    let mut statement = Query::select();
    statement
        .columns([
            organizations::Column::Id,
            organizations::Column::Name,
            organizations::Column::NameKey,
            organizations::Column::Plan,
            organizations::Column::Seats,
        ])
        // Read as BIGINT on both backends (PostgreSQL's INTEGER does not decode as i64).
        .expr_as(
            Func::cast_as(SortKey::Used.expr(), Alias::new("BIGINT")),
            Alias::new("used"),
        )
        .expr_as(
            Func::cast_as(SortKey::Remaining.expr(), Alias::new("BIGINT")),
            Alias::new("remaining"),
        )
        .from(organizations::Entity)
        .cond_where(filter);
    for (key, direction) in order {
        statement.order_by_expr(key.expr(), direction.clone());
    }
    statement.limit(u64::from(query.size)).to_owned()
}

/// The total that matched, as a column of the page statement.
fn total_column(
    provider: ProviderId,
    query: &ClientQuery,
    page: u32,
    plan: SearchPlan,
) -> SimpleExpr {
    SimpleExpr::SubQuery(
        None,
        Box::new(SubQueryStatement::SelectStatement(total_statement(
            provider,
            &query.search,
            Some(count_limit(query, page)),
            plan,
        ))),
    )
}

/// A page and its total in one statement.
///
/// By position, the database counts past the rows of the pages before (OFFSET). Next to an
/// anchor it seeks instead: the rows beyond the anchor in an order of columns (k1, k2, k3) are
/// those with k1 beyond it, or k1 equal and k2 beyond, or k1 and k2 equal and k3 beyond. Each
/// of those is one range of the sort's index, read for at most a page of rows, whatever the
/// directions; the few rows the ranges give are merged by a sort of at most three pages.
/// Row-value comparisons would say it in one line, but only for orders whose columns all run
/// one way, and the Clients sorts mix them (Used descending, then name ascending).
fn page_statement(
    provider: ProviderId,
    query: &ClientQuery,
    page: u32,
    plan: SearchPlan,
    start: &Start<'_>,
) -> SelectStatement {
    let mut order = order_columns(query);
    let columns = [
        "id",
        "name",
        "name_key",
        "plan",
        "seats",
        "used",
        "remaining",
    ];
    match *start {
        Start::Position => {
            let mut statement = rows_statement(provider, query, plan, &order, None);
            statement
                .expr_as(
                    total_column(provider, query, page, plan),
                    Alias::new("total"),
                )
                .offset(u64::from(page - 1) * u64::from(query.size));
            statement
        }
        Start::Seek { anchor, before } => {
            if before {
                // Walk backwards from the anchor; the caller turns the rows around.
                order = order
                    .into_iter()
                    .map(|(key, direction)| (key, flipped(&direction)))
                    .collect();
            }
            let mut branches = (0..order.len()).map(|depth| {
                let mut range = Condition::all();
                for (key, _) in &order[..depth] {
                    range = range.add(key.expr().eq(key.value(anchor)));
                }
                let (key, direction) = &order[depth];
                range = range.add(match direction {
                    Order::Desc => Expr::expr(key.expr()).lt(key.value(anchor)),
                    _ => Expr::expr(key.expr()).gt(key.value(anchor)),
                });
                // Wrapped, since SQLite allows ORDER BY and LIMIT only on a whole compound.
                Query::select()
                    .columns(columns.map(Alias::new))
                    .from_subquery(
                        rows_statement(provider, query, plan, &order, Some(range)),
                        Alias::new(format!("range{depth}")),
                    )
                    .to_owned()
            });
            let mut merged = branches.next().unwrap_or_else(Query::select);
            for branch in branches {
                merged.union(sea_orm::sea_query::UnionType::All, branch);
            }
            let mut statement = Query::select();
            statement
                .columns(columns.map(Alias::new))
                .expr_as(
                    total_column(provider, query, page, plan),
                    Alias::new("total"),
                )
                .from_subquery(merged, Alias::new("seek"));
            for (key, direction) in &order {
                statement.order_by_expr(key.output(), direction.clone());
            }
            statement.limit(u64::from(query.size)).to_owned()
        }
    }
}

fn row(record: ClientRecord) -> Result<ClientRow, AppError> {
    Ok(ClientRow {
        id: OrganizationId(record.id),
        name: record.name,
        plan: record.plan,
        seats: i64::from(record.seats),
        used: record.used,
        remaining: record.remaining,
    })
}

/// One page of the provider's clients: one statement (rows and their count), after the
/// trigram probe for searches on SQLite and the anchor's lookup for a page reached by Next or
/// Previous. A page past the end shows the last page instead (then, and only then, a count
/// and a second page query run), as does a Previous that reaches the start (page 1).
pub async fn list(
    db: &impl ConnectionTrait,
    access: &InProvider,
    query: &ClientQuery,
) -> Result<ClientPage, AppError> {
    access.require(Capability::ViewClients)?;
    let provider = access.provider;
    let query = query.normalized();
    let backend = db.get_database_backend();
    let plan = search_plan(db, &query.search).await?;
    let mut page = query.page;
    let fetch = async |page: u32, start: Start<'_>| {
        let statement = backend.build(&page_statement(provider, &query, page, plan, &start));
        let mut records = ClientRecord::find_by_statement(statement).all(db).await?;
        if matches!(start, Start::Seek { before: true, .. }) {
            records.reverse();
        }
        Ok::<_, AppError>(records)
    };
    let anchor = match query.anchor {
        Some(Anchor::After(id) | Anchor::Before(id)) => anchor_record(db, provider, id).await?,
        None => None,
    };
    let mut records = match (&anchor, query.anchor) {
        (Some(anchor), Some(Anchor::After(_))) => {
            fetch(
                page,
                Start::Seek {
                    anchor,
                    before: false,
                },
            )
            .await?
        }
        (Some(anchor), Some(Anchor::Before(_))) => {
            let records = fetch(
                page,
                Start::Seek {
                    anchor,
                    before: true,
                },
            )
            .await?;
            if records.len() < query.size as usize {
                // Fewer than a page before the anchor: this is the start of the list.
                page = 1;
                fetch(page, Start::Position).await?
            } else {
                records
            }
        }
        _ => fetch(page, Start::Position).await?,
    };
    let mut more = false;
    let total = match records.first() {
        Some(first) => {
            let total = u64::try_from(first.total).unwrap_or(0);
            let limit = count_limit(&query, page);
            if !query.search.is_empty() && total >= limit {
                // Counting stopped at the bound: show the bound less the probe, as "more than".
                more = true;
                limit - 1
            } else {
                total
            }
        }
        None if page > 1 => {
            // Past the end: the exact count, to find the last page (rare, so not bounded).
            let count = total_statement(provider, &query.search, None, plan);
            let total: i64 = match db.query_one(backend.build(&count)).await? {
                Some(result) => result.try_get_by_index(0)?,
                None => 0,
            };
            let total = u64::try_from(total).unwrap_or(0);
            if total > 0 {
                let last = total.div_ceil(u64::from(query.size));
                page = u32::try_from(last).unwrap_or(1);
                records = fetch(page, Start::Position).await?;
            } else {
                page = 1;
            }
            total
        }
        None => 0,
    };
    Ok(ClientPage {
        rows: records.into_iter().map(row).collect::<Result<_, _>>()?,
        total,
        more,
        page,
        size: query.size,
    })
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn wildcards_typed_by_people_are_literal() {
        assert_eq!(like_pattern("Acme"), "%acme%");
        assert_eq!(like_pattern("100%_x"), "%100\\%\\_x%");
        assert_eq!(like_pattern("ÖREBRO"), "%örebro%");
    }
}
