//! Benchmark (not a test): requests per second and latency of the served pages, side by side
//! with a bare axum hello-world measured in the same run on the same machine.
//!
//! Starts the release binary (`PORTAL_SERVER_BIN`, else `target/release/server`) on a fresh
//! database holding the demo provider with `HTTP_CLIENTS` generated clients (100,000 by
//! default), signs in as the demo admin and loads each page with `HTTP_CONNECTIONS` keep-alive
//! connections (32) for `HTTP_SECONDS` (5), then with one connection (the latency a person
//! feels). The hello-world is this same program started again as a server of one route.
//!
//! `cargo leptos build --release && cp target/release/server /tmp/portal-server &&
//! PORTAL_SERVER_BIN=/tmp/portal-server cargo bench -p server --bench http` (the copy keeps
//! the served build: `cargo bench` rebuilds `target/release/server` with views not erased).
//! On PostgreSQL: `HTTP_DATABASE=postgres://postgres@127.0.0.1:5432/test` (a database of its
//! own is created next to that one and dropped at the end).
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

const PASSWORD: &str = "correct horse battery staple";
const HELLO_ROLE: &str = "PORTAL_HTTP_BENCH_HELLO";

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The baseline: one route answering "Hello, World!", on the same runtime defaults as the
/// portal (a worker per core), with TCP_NODELAY like the portal.
fn hello_world(port: u16) {
    use axum::serve::ListenerExt;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let app = axum::Router::new().route("/", axum::routing::get(|| async { "Hello, World!" }));
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap()
            .tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
        axum::serve(listener, app).await.unwrap();
    });
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_until_up(port: u16, path: &str) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let deadline = Instant::now() + Duration::from_secs(120);
    while agent
        .get(&format!("http://127.0.0.1:{port}{path}"))
        .call()
        .map_or(true, |r| r.status() != 200)
    {
        assert!(
            Instant::now() < deadline,
            "the server on {port} did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One keep-alive connection sending GET `path` until `until`; the latency of each answer in
/// microseconds. Any status but 200 stops the run: a benchmark of error pages means nothing.
async fn connection(port: u16, path: String, cookie: Option<String>, until: Instant) -> Vec<u32> {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    stream.set_nodelay(true).unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    let mut latencies = Vec::new();
    while Instant::now() < until {
        let mut request = hyper::Request::get(path.as_str())
            .header(hyper::header::HOST, format!("127.0.0.1:{port}"))
            .header(hyper::header::ACCEPT, "text/html");
        if let Some(cookie) = &cookie {
            request = request.header(hyper::header::COOKIE, cookie.as_str());
        }
        let started = Instant::now();
        sender.ready().await.unwrap();
        let response = sender
            .send_request(request.body(Empty::<Bytes>::new()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        latencies.push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX));
    }
    latencies
}

struct Figures {
    per_second: f64,
    p50: f64,
    p95: f64,
    p99: f64,
}

fn load(port: u16, path: &str, cookie: Option<&str>, connections: usize, seconds: u64) -> Figures {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // Warm-up: caches, connection pools, the first query plans.
        let warm = Instant::now() + Duration::from_millis(500);
        connection(port, path.to_owned(), cookie.map(str::to_owned), warm).await;
        let started = Instant::now();
        let until = started + Duration::from_secs(seconds);
        let tasks: Vec<_> = (0..connections)
            .map(|_| {
                tokio::spawn(connection(
                    port,
                    path.to_owned(),
                    cookie.map(str::to_owned),
                    until,
                ))
            })
            .collect();
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        let took = started.elapsed().as_secs_f64();
        all.sort_unstable();
        let at = |q: f64| {
            let i = ((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1));
            f64::from(all.get(i).copied().unwrap_or(0)) / 1000.0
        };
        Figures {
            per_second: all.len() as f64 / took,
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
        }
    })
}

/// Signs in as the demo admin; the session cookie.
fn sign_in(port: u16) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let base = format!("http://127.0.0.1:{port}");
    let response = agent
        .post(&format!("{base}/api/accounts/sign-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", &base)
        .send(&format!(
            "email=admin%40demo.example&password={}",
            PASSWORD.replace(' ', "+")
        ))
        .unwrap();
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("session=") && !v.contains("Max-Age=0"))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .expect("signed in")
}

/// A page's HTML as the signed-in user gets it.
fn page_html(port: u16, path: &str, cookie: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .get(&format!("http://127.0.0.1:{port}{path}"))
        .header("cookie", cookie)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap()
}

/// The demo provider's id, from the links on the signed-in home page.
fn demo_provider(port: u16, cookie: &str) -> String {
    let page = page_html(port, "/", cookie);
    let at = page
        .find("/providers/")
        .expect("a provider link on the home page")
        + 11;
    page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

/// Where the pager's Next link on `path` leads: how a user reaches a deep page.
fn next_link(port: u16, path: &str, cookie: &str) -> String {
    let page = page_html(port, path, cookie);
    let link = page.find("rel=\"next\"").expect("a Next link");
    let href = page[link..].find("href=\"").expect("its href") + link + 6;
    let end = page[href..].find('"').expect("the href's end") + href;
    page[href..end].replace("&amp;", "&")
}

/// A database of its own for the run: SQLite in a temporary folder, or a new PostgreSQL
/// database beside `HTTP_DATABASE`'s (dropped by the returned guard).
struct Database {
    url: String,
    _dir: tempfile::TempDir,
    drop_from: Option<(String, String)>,
}

impl Database {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let Ok(admin) = std::env::var("HTTP_DATABASE") else {
            return Self {
                url: format!("sqlite://{}/bench.db", dir.path().display()),
                _dir: dir,
                drop_from: None,
            };
        };
        let name = format!("portal_http_bench_{}", std::process::id());
        run_sql(&admin, &format!("CREATE DATABASE {name}"));
        let at = admin.rfind('/').expect("a database name in HTTP_DATABASE");
        Self {
            url: format!("{}/{name}", &admin[..at]),
            _dir: dir,
            drop_from: Some((admin, name)),
        }
    }

    fn backend(&self) -> &'static str {
        if self.drop_from.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.drop_from {
            run_sql(
                admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

fn run_sql(url: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        use sea_orm::ConnectionTrait;
        let db = sea_orm::Database::connect(url).await.unwrap();
        db.execute_unprepared(sql).await.unwrap();
        db.close().await.unwrap();
    });
}

fn main() {
    if let Ok(port) = std::env::var(HELLO_ROLE) {
        hello_world(port.parse().unwrap());
        return;
    }
    let binary = std::env::var("PORTAL_SERVER_BIN")
        .unwrap_or_else(|_| format!("{}/../target/release/server", env!("CARGO_MANIFEST_DIR")));
    let clients: u32 = env_or("HTTP_CLIENTS", 100_000);
    let connections: usize = env_or("HTTP_CONNECTIONS", 32);
    let seconds: u64 = env_or("HTTP_SECONDS", 5);
    let database = Database::new();

    let started = Instant::now();
    let seeded = Command::new(&binary)
        .args(["seed-bulk", "--clients", &clients.to_string()])
        .env("DATABASE_URL", &database.url)
        .env("DEMO_PASSWORD", PASSWORD)
        .env("RUST_LOG", "error")
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot start {binary}: {e} (build it with cargo build --release -p server)")
        });
    assert!(seeded.success(), "seed-bulk failed");
    println!(
        "{} database with {clients} clients loaded in {:.0} s",
        database.backend(),
        started.elapsed().as_secs_f64()
    );

    let hello_port = free_port();
    let _hello = Running(
        Command::new(std::env::current_exe().unwrap())
            .env(HELLO_ROLE, hello_port.to_string())
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let port = free_port();
    let _portal = Running(
        Command::new(&binary)
            .args(["serve", "--no-demo"])
            .env("DATABASE_URL", &database.url)
            .env("PORTAL_ADDR", format!("127.0.0.1:{port}"))
            .env("PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until_up(hello_port, "/");
    wait_until_up(port, "/healthz");
    let cookie = sign_in(port);
    let provider = demo_provider(port, &cookie);
    let clients_page = format!("/providers/{provider}/clients");
    // Three quarters of the way (page 3,000 of 4,000 at 100,000 clients). Typed as `page=`,
    // the database counts past every row before it; reached by Next (`after=` the last row
    // of the page before), it seeks there in the index.
    let deep = (clients / 25 * 3 / 4).max(2);
    let deep_by_next = next_link(port, &format!("{clients_page}?page={}", deep - 1), &cookie);
    assert!(deep_by_next.contains("after="), "{deep_by_next}");
    let scenarios: Vec<(&str, String, Option<&str>, u16)> = vec![
        ("hello-world (bare axum)", "/".into(), None, hello_port),
        ("/healthz", "/healthz".into(), None, port),
        ("sign-in page (anonymous)", "/sign-in".into(), None, port),
        ("home (signed in)", "/".into(), Some(cookie.as_str()), port),
        (
            "provider members",
            format!("/providers/{provider}/manage/members"),
            Some(cookie.as_str()),
            port,
        ),
        (
            "Clients, first page",
            clients_page.clone(),
            Some(cookie.as_str()),
            port,
        ),
        (
            "Clients, sorted by Used",
            format!("{clients_page}?sort=used&dir=desc"),
            Some(cookie.as_str()),
            port,
        ),
        (
            "Clients, deep page by Next",
            deep_by_next.clone(),
            Some(cookie.as_str()),
            port,
        ),
        (
            "Clients, deep page= typed",
            format!("{clients_page}?page={deep}"),
            Some(cookie.as_str()),
            port,
        ),
        (
            "Clients, search \"dental\"",
            format!("{clients_page}?q=dental"),
            Some(cookie.as_str()),
            port,
        ),
    ];
    println!(
        "{connections} keep-alive connections for {seconds} s each, then one connection for 2 s"
    );
    println!(
        "{:<28} {:>9} {:>7} {:>8} {:>8} {:>8} {:>11}",
        "page", "req/s", "of hw", "p50 ms", "p95 ms", "p99 ms", "1 conn p50"
    );
    let mut baseline = None;
    for (name, path, cookie, port) in &scenarios {
        let many = load(*port, path, *cookie, connections, seconds);
        let one = load(*port, path, *cookie, 1, 2);
        let baseline = *baseline.get_or_insert(many.per_second);
        println!(
            "{:<28} {:>9.0} {:>6.1}% {:>8.2} {:>8.2} {:>8.2} {:>8.2} ms",
            name,
            many.per_second,
            100.0 * many.per_second / baseline,
            many.p50,
            many.p95,
            many.p99,
            one.p50
        );
    }
}
