//! Thin server functions: parse into domain types, call a service, map the result.
pub mod filing;
pub mod guide;
pub mod publish;
pub mod staff;
pub mod stats;
pub mod track;

/// A server function's result, with the error's own HTTP status set on the response when the
/// function was called over HTTP (its error is otherwise sent as 500, though most are the
/// caller's fault). Called while a page renders, it leaves the page's status to the page.
#[cfg(feature = "ssr")]
pub(crate) fn answer<T>(result: Result<T, crate::error::AppError>) -> Result<T, crate::error::AppError> {
    let called =
        leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| p.uri.path().starts_with(PREFIX));
    if let (Err(e), true) = (&result, called) {
        crate::error::set_status(e);
    }
    result
}

/// Where server functions are mounted (Leptos' default).
#[cfg(feature = "ssr")]
const PREFIX: &str = "/api/";
