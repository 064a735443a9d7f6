//! The signed-in user as the top bar sees it, fetched once per page and shared by the account
//! menu and the product switcher.

use leptos::prelude::*;

use crate::accounts::api::current_viewer;
use crate::accounts::types::Viewer;
use crate::error::AppError;
use crate::i18n::*;

#[derive(Clone, Copy)]
pub struct ViewerResource(pub Resource<Result<Option<Viewer>, AppError>>);

/// Blocking: the top bar is complete in the first HTML, so its menus work before (and without)
/// the browser bundle. The server function costs a constant handful of indexed queries.
pub fn provide_viewer() {
    provide_context(ViewerResource(Resource::new_blocking(
        || (),
        |_| current_viewer(),
    )));
}

pub fn use_viewer() -> ViewerResource {
    expect_context::<ViewerResource>()
}

/// On every page of an account an admin recovered: it must choose its own master password
/// (the guard refuses everything else until then), and this says where.
#[component]
pub fn PasswordChangeNotice() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = use_viewer().0;
    let required = move || {
        viewer
            .get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|v| v.must_change_password)
    };
    view! {
        <Suspense fallback=|| ()>
            {move || required().then(|| view! {
                <p class="alert alert-warning" role="alert" data-testid="password-change-required">
                    {t!(i18n, accounts.password_change_required)} " "
                    <a href=crate::routes::ACCOUNT_PASSWORD>{t!(i18n, accounts.choose_new_password)}</a>
                </p>
            })}
        </Suspense>
    }
}
