//! The signed-in user as the top bar sees it, fetched once per page and shared by the account
//! menu and the product switcher.

use leptos::prelude::*;

use crate::accounts::api::current_viewer;
use crate::accounts::types::Viewer;
use crate::error::AppError;

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
