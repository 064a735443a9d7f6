//! The one application error type. Server code returns it; the browser receives it as JSON and
//! shows it through [`ErrorText`], the single place where an error becomes a translated
//! sentence. Internal detail (database text, I/O errors) is logged on the server and never
//! serialized.

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session: the caller must sign in.
    #[error("unauthenticated")]
    Unauthenticated,
    /// Signed in, but the guard refused the capability.
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A concurrent change won (a unique constraint or a stale read).
    #[error("conflict")]
    Conflict,
    /// Anything unexpected; the detail went to the server log.
    #[error("internal error")]
    Internal,
    /// The request never reached the server function, or its answer did not decode.
    #[error("transport: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

/// The translated sentence for an error, reactive to the language.
#[component]
pub fn ErrorText(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    match error {
        AppError::Unauthenticated => t!(i18n, errors.unauthenticated).into_any(),
        AppError::Forbidden => t!(i18n, errors.forbidden).into_any(),
        AppError::NotFound => t!(i18n, errors.not_found).into_any(),
        AppError::Conflict => t!(i18n, errors.conflict).into_any(),
        AppError::Internal | AppError::Transport(_) => t!(i18n, errors.internal).into_any(),
    }
}
