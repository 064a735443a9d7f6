//! This page's own address, for the forms that send the visitor back where they were (the
//! language and theme choices work without JavaScript as posts that redirect).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The current path and query (`/providers/1/clients?sort=plan`), following navigation.
pub fn current_address() -> Signal<String> {
    let location = use_location();
    Signal::derive(move || {
        let path = location.pathname.get();
        let search = location.search.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    })
}
