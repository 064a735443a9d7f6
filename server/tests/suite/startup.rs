#![allow(clippy::unwrap_used)]
//! Start-up faults: the real binary stops with one clear line naming the cause and the
//! variable to change, a non-zero exit, and no panic.

use std::process::{Command, Output};

fn server(envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env_remove("DATABASE_URL")
        .env_remove("PORTAL_ADDR")
        .env_remove("LEPTOS_SITE_ADDR")
        .env("RUST_LOG", "warn")
        .env("RUST_BACKTRACE", "1");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().unwrap()
}

/// The one `error:` line, after checking the exit and the absence of a panic.
fn error_line(output: &Output) -> String {
    assert!(!output.status.success(), "the server should have failed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("stack backtrace"), "backtrace: {stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "expected one error line in: {stderr}");
    errors[0].to_owned()
}

fn free_addr() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

#[test]
fn a_malformed_database_url_names_the_variable() {
    let line = error_line(&server(&[
        ("DATABASE_URL", "mysql://nope"),
        ("PORTAL_ADDR", &free_addr()),
    ]));
    assert!(line.contains("DATABASE_URL"), "{line}");
    let line = error_line(&server(&[
        ("DATABASE_URL", "postgres://:::bad"),
        ("PORTAL_ADDR", &free_addr()),
    ]));
    assert!(line.contains("DATABASE_URL"), "{line}");
}

#[test]
fn an_unreachable_database_names_the_variable_and_hides_the_password() {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    let line = error_line(&server(&[
        (
            "DATABASE_URL",
            "postgres://portal:s3cret@127.0.0.1:1/portal",
        ),
        ("PORTAL_ADDR", &free_addr()),
    ]));
    assert!(line.contains("cannot connect to the database"), "{line}");
    assert!(line.contains("DATABASE_URL"), "{line}");
    assert!(!line.contains("s3cret"), "{line}");
}

#[test]
fn an_unwritable_data_directory_names_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where a directory should be: fails even for root.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, b"").unwrap();
    let url = format!("sqlite://{}/data/portal.db", blocker.display());
    let line = error_line(&server(&[
        ("DATABASE_URL", &url),
        ("PORTAL_ADDR", &free_addr()),
    ]));
    assert!(line.contains("cannot create the SQLite database"), "{line}");
    assert!(line.contains("DATABASE_URL"), "{line}");
}

#[test]
fn a_port_in_use_names_the_variable() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/portal.db", dir.path().display());
    let line = error_line(&server(&[("DATABASE_URL", &url), ("PORTAL_ADDR", &addr)]));
    assert!(
        line.contains(&addr) && line.contains("PORTAL_ADDR"),
        "{line}"
    );
}

#[test]
fn an_invalid_address_names_the_variable() {
    let line = error_line(&server(&[("PORTAL_ADDR", "not-an-address")]));
    assert!(line.contains("PORTAL_ADDR"), "{line}");
}

#[test]
fn migrate_creates_the_database_and_reports_success() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/portal.db");
    let url = format!("sqlite://{}", path.display());
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    let output = command
        .args(["migrate"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(path.exists());
}
