//! Thin server functions: parse into domain types, call a service, map the result.
pub mod filing;
pub mod guide;
pub mod publish;
pub mod staff;
pub mod stats;
pub mod track;

/// A server function's result, with the error's own HTTP status set on the response (a server
/// function's error is otherwise sent as 500, though most are the caller's fault).
#[cfg(feature = "ssr")]
pub(crate) fn answer<T>(result: Result<T, crate::error::AppError>) -> Result<T, crate::error::AppError> {
    if let Err(e) = &result {
        crate::error::set_status(e);
    }
    result
}
