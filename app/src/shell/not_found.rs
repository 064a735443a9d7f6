use leptos::prelude::*;

use crate::i18n::*;

/// The router's fallback; on the server it also sets the HTTP status to 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <section class="panel not-found">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <p>
                <a href=crate::routes::HOME>{t!(i18n, not_found.home_link)}</a>
            </p>
        </section>
    }
}
