//! Every locale has every key English has (and no stray ones), and no translation is empty.

use std::collections::BTreeSet;
use std::path::Path;

fn keys(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                keys(child, &format!("{prefix}{key}."), out);
            }
        }
        serde_json::Value::String(text) => {
            assert!(!text.trim().is_empty(), "empty translation at {prefix}");
            out.insert(prefix.trim_end_matches('.').to_owned());
        }
        other => panic!("unexpected value at {prefix}: {other}"),
    }
}

fn load(locale: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{locale}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeSet::new();
    keys(&json, "", &mut out);
    out
}

#[test]
fn every_locale_has_every_english_key() {
    let english = load("en");
    assert!(english.len() > 10, "English has too few keys");
    for locale in ["nl", "fr", "sv"] {
        let other = load(locale);
        let missing: Vec<_> = english.difference(&other).collect();
        let extra: Vec<_> = other.difference(&english).collect();
        assert!(missing.is_empty(), "{locale} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{locale} has keys English lacks: {extra:?}"
        );
    }
}
