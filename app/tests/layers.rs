//! The domains' server code is layered: each may use the domains below it, never one above,
//! so no two services can reach each other in a circle. What counts is the rules (service
//! files, not `api.rs`, `types.rs` or the pages) and what they use of another domain beyond
//! its types; shared words (`vocabulary`, `validate`, `db`, `mail`, `tokens`, `strength`…)
//! sit below every domain, and `auth`'s decision table (`actor`, `capability`, `guard`) and
//! the witnesses a check hands a service (`witness`) are plain data. A new call that points
//! upwards fails here: move what both need lower down.

use std::path::{Path, PathBuf};

/// Lowest first.
const LAYERS: [&str; 12] = [
    "events",
    "auth",
    "invitations",
    "policies",
    "accounts",
    "seats",
    "providers",
    "clients",
    "billing",
    "organizations",
    "members",
    "vault",
];

/// A domain's modules that are data, usable from anywhere.
const DATA: [&str; 7] = [
    "types",
    "api",
    "ui",
    "actor",
    "capability",
    "guard",
    "witness",
];

/// Files of the endpoint layer (above every service), and what every domain has.
fn is_rules(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let text = path.to_string_lossy();
    !text.contains("/ui")
        && !matches!(name, "api.rs" | "types.rs" | "mod.rs")
        && !text.ends_with("auth/gate.rs")
        && !text.ends_with("auth/request.rs")
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// `crate::<domain>::<module>` paths named in `source`.
fn crate_paths(source: &str) -> Vec<(String, String)> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    source
        .match_indices("crate::")
        .filter_map(|(at, _)| {
            let rest = &source[at + "crate::".len()..];
            let domain = ident(rest);
            let after = rest[domain.len()..].strip_prefix("::")?;
            Some((domain, ident(after)))
        })
        .collect()
}

#[test]
fn no_domain_uses_the_rules_of_a_domain_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let layer = |domain: &str| LAYERS.iter().position(|d| *d == domain);
    let mut upwards = Vec::new();
    let mut checked = 0;
    for file in files.iter().filter(|f| is_rules(f)) {
        let relative = file.strip_prefix(&src).expect("under src");
        let Some(own) = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .and_then(layer)
        else {
            continue;
        };
        let source = std::fs::read_to_string(file).expect("a source file");
        for (domain, module) in crate_paths(&source) {
            let Some(other) = layer(&domain) else {
                continue;
            };
            if other == own
                || DATA.contains(&module.as_str())
                || matches!(module.as_str(), "require" | "require_outranks")
                || module.starts_with(char::is_uppercase)
            {
                continue;
            }
            checked += 1;
            if other > own {
                upwards.push(format!(
                    "{} uses crate::{domain}::{module} ({} is above {})",
                    relative.display(),
                    domain,
                    LAYERS[own]
                ));
            }
        }
    }
    assert!(
        checked > 20,
        "only {checked} uses found: is the scan still reading the sources?"
    );
    assert!(upwards.is_empty(), "{}", upwards.join("\n"));
}

#[test]
fn the_scan_reads_paths_as_written() {
    assert_eq!(
        crate_paths(
            "use crate::events::service::{record};\nlet x = crate::db::lock::provider(db);"
        ),
        vec![
            ("events".to_owned(), "service".to_owned()),
            ("db".to_owned(), "lock".to_owned())
        ]
    );
}
