//! Generates the typed translation module from `locales/*.json` (leptos_i18n's code generator):
//! a missing key or interpolation is a compile error, not a blank on screen.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let config = Config::new("en")
        .and_then(|c| c.add_locales(["nl", "fr", "sv"]))
        // Interpolated strings also as plain text: attributes (aria-label) and mails.
        .map(|c| {
            c.locales_path("locales")
                .parse_options(ParseOptions::new().interpolate_display(true))
        });
    let infos = config.and_then(TranslationsInfos::parse);
    let infos = match infos {
        Ok(infos) => infos,
        Err(err) => panic!("cannot parse the locale files: {err}"),
    };
    infos.rerun_if_locales_changed();
    infos.emit_diagnostics();
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(err) = infos.generate_i18n_module(out_dir.join("i18n")) {
        panic!("cannot write the i18n module: {err}");
    }
}
