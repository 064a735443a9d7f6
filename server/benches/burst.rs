//! Benchmark (not a test): the server's resident memory around a burst of parallel sign-ins.
//! Starts the real binary (`PORTAL_SERVER_BIN`, else `target/release/server`) on a fresh
//! SQLite database behind a "trusted proxy" (this process), so that each attempt comes from its
//! own client address and none is stopped by the throttle before its password is hashed:
//! every one costs an Argon2id verification (19 MiB for its duration). Prints the resident
//! memory before, at its peak and a few seconds after, and how the attempts were answered.
//!
//! `cargo build --release -p server && cargo bench -p server --bench burst`
//! (`BURST=1000` attempts by default, `BURST_THREADS=200` at once.)
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let binary = std::env::var("PORTAL_SERVER_BIN")
        .unwrap_or_else(|_| format!("{}/../target/release/server", env!("CARGO_MANIFEST_DIR")));
    let attempts: u64 = std::env::var("BURST")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(1000);
    let threads: u64 = std::env::var("BURST_THREADS")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(&binary)
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/burst.db", dir.path().display()),
        )
        .env("PORTAL_ADDR", format!("127.0.0.1:{port}"))
        .env("PUBLIC_URL", &url)
        .env("TRUSTED_PROXIES", "127.0.0.1")
        .env("DEMO", "1")
        .env("DEMO_PASSWORD", "correct horse battery staple")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {binary}: {e} (build it with cargo build --release -p server)")
        });
    let pid = child.id();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let deadline = Instant::now() + Duration::from_secs(60);
    while agent
        .get(&format!("{url}/healthz"))
        .call()
        .map_or(true, |r| r.status() != 200)
    {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(1));
    let before = resident_kib(pid);

    // The peak, sampled every 10 ms while the burst runs.
    let running = Arc::new(AtomicBool::new(true));
    let peak = Arc::new(AtomicU64::new(before));
    let sampler = {
        let (running, peak) = (running.clone(), peak.clone());
        std::thread::spawn(move || {
            while running.load(Ordering::Relaxed) {
                peak.fetch_max(resident_kib(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let next = Arc::new(AtomicU64::new(0));
    let statuses = Arc::new(Mutex::new(BTreeMap::<u16, u64>::new()));
    let started = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (agent, url, next, statuses) =
                (agent.clone(), url.clone(), next.clone(), statuses.clone());
            std::thread::spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= attempts {
                        break;
                    }
                    // Each attempt from its own address, half on the demo admin, half on
                    // unknown accounts (which verify against a decoy hash: the same cost).
                    let email = if i % 2 == 0 {
                        "admin%40demo.example".to_owned()
                    } else {
                        format!("nobody{i}%40example.com")
                    };
                    let status = agent
                        .post(&format!("{url}/api/accounts/sign-in"))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .header("accept", "application/json")
                        .header("origin", &url)
                        .header(
                            "x-forwarded-for",
                            &format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255),
                        )
                        .send(&format!("email={email}&password=wrong+guess+{i}"))
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0);
                    *statuses.lock().unwrap().entry(status).or_default() += 1;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let took = started.elapsed();
    running.store(false, Ordering::Relaxed);
    sampler.join().unwrap();
    std::thread::sleep(Duration::from_secs(5));
    let after = resident_kib(pid);
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "{attempts} sign-in attempts, {threads} at once, in {:.1} s: answers {:?}",
        took.as_secs_f64(),
        statuses.lock().unwrap()
    );
    println!(
        "resident memory: before {:.0} MiB, peak {:.0} MiB, 5 s after {:.0} MiB",
        mib(before),
        mib(peak.load(Ordering::Relaxed)),
        mib(after)
    );
    let _ = child.kill();
    let _ = child.wait();
}
