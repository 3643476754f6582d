//! The one error type of the portal. Internal failures leave as an opaque variant: a database
//! error's text is logged on the server and never sent to the browser.

use crate::domain::workflow::Refusal;
use crate::domain::FieldError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Bad input: one entry per refused field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    /// The case changed since it was read (stale version): reload and try again.
    #[error("the case was changed by someone else")]
    Conflict,
    #[error("not allowed")]
    Forbidden,
    #[error("please sign in")]
    Unauthorized,
    /// The workflow does not allow this step now.
    #[error("refused by the workflow: {0}")]
    Workflow(Refusal),
    #[error("too many attempts")]
    TooManyRequests,
    /// The server has no capacity for this now (e.g. every password check slot is taken); try
    /// again in a moment.
    #[error("busy, try again shortly")]
    Busy,
    /// Something failed on the server; details are in the server log only.
    #[error("internal error")]
    Internal,
    /// The request itself could not be carried (network, decoding).
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status the error is sent with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::NotFound => 404,
            AppError::Conflict => 409,
            AppError::Forbidden => 403,
            AppError::Unauthorized => 401,
            AppError::Workflow(Refusal::Invalid(_)) => 422,
            AppError::Workflow(Refusal::Role { .. } | Refusal::OtherBureau) => 403,
            AppError::Workflow(_) => 409,
            AppError::TooManyRequests => 429,
            AppError::Busy => 503,
            AppError::Internal => 500,
            AppError::Transport(_) => 400,
        }
    }

    /// Logs an internal failure on the server and returns the opaque error.
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        #[cfg(feature = "ssr")]
        tracing::error!(context, error = %err, "internal error");
        #[cfg(not(feature = "ssr"))]
        let _ = (context, err.to_string());
        AppError::Internal
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Invalid(fields) => AppError::Invalid(fields),
            other => AppError::Workflow(other),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that cannot even be decoded are bad input, not a server failure.
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                let e = AppError::Transport(m);
                set_status(&e);
                e
            }
            ServerFnErrorErr::Request(m) | ServerFnErrorErr::Response(m) => AppError::Transport(m),
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// Sends `e`'s status with the response being built (on the server; a no-op in the browser).
pub fn set_status(e: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::from_u16(e.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
    #[cfg(not(feature = "ssr"))]
    let _ = e;
}

/// An error as an HTTP answer from the server's own routes: its status and a short text (an
/// internal error's details stay in the log).
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status()).unwrap_or(http::StatusCode::BAD_REQUEST);
        (status, self.to_string()).into_response()
    }
}
