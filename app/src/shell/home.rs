use leptos::prelude::*;

use crate::i18n::*;

/// The start page: what the three products are for.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = crate::accounts::ui::use_viewer();
    let pending = move || {
        viewer
            .0
            .get()
            .and_then(Result::ok)
            .flatten()
            .map_or(0, |v| v.pending_invitations)
    };
    view! {
        <Transition fallback=|| ()>
            {move || {
                let count = pending();
                (count > 0)
                    .then(|| {
                        view! {
                            <p class="alert alert-info" role="status">
                                {t!(i18n, home.pending_invitations, count = move || count)}
                                " "
                                <a href=crate::routes::MEMBERSHIPS>{t!(i18n, home.review_invitations)}</a>
                            </p>
                        }
                    })
            }}
        </Transition>
        <section class="hero">
            <h1>{t!(i18n, home.title)}</h1>
            <p class="lead">{t!(i18n, home.lead)}</p>
        </section>
        <section aria-labelledby="products-heading">
            <h2 id="products-heading">{t!(i18n, home.products_heading)}</h2>
            <ul class="cards">
                <li class="card">
                    <h3>{t!(i18n, home.pm_title)}</h3>
                    <p>{t!(i18n, home.pm_body)}</p>
                </li>
                <li class="card">
                    <h3>{t!(i18n, home.ac_title)}</h3>
                    <p>{t!(i18n, home.ac_body)}</p>
                </li>
                <li class="card">
                    <h3>{t!(i18n, home.pp_title)}</h3>
                    <p>{t!(i18n, home.pp_body)}</p>
                </li>
            </ul>
        </section>
    }
}
