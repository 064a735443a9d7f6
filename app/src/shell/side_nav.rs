use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;

/// The side navigation of the current product; each product adds its sections as it grows.
#[component]
pub fn SideNav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="sidenav" aria-label=move || t_string!(i18n, nav.label)>
            <ul>
                <li>
                    <A href=crate::routes::HOME exact=true>
                        {t!(i18n, nav.home)}
                    </A>
                </li>
            </ul>
        </nav>
    }
}
