//! Thin server functions: parse into domain types, call a service, map the result.
pub mod disclosure;
pub mod filing;
pub mod guide;
pub mod odr;
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

/// What a server function reads of the request it answers: the `Cookie` header, the client's
/// address (worked out by the server's middleware) and the reader's language; the same for
/// every function, read in one place.
#[cfg(feature = "ssr")]
pub(crate) struct Caller {
    pub cookies: String,
    pub client: String,
    pub lang: crate::i18n::Lang,
}

#[cfg(feature = "ssr")]
impl Caller {
    pub fn read() -> Self {
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let parts = parts.as_ref();
        let cookies = parts
            .and_then(|p| p.headers.get(http::header::COOKIE))
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let client = parts
            .and_then(|p| p.extensions.get::<crate::service::state::ClientAddress>().map(|c| c.0.clone()))
            .unwrap_or_else(|| "unknown".into());
        let lang = crate::prefs::Prefs::from_cookie_header(&cookies, false).lang;
        Caller { cookies, client, lang }
    }
}

/// Sets `name: value` on the server function's (or the page's) response.
#[cfg(feature = "ssr")]
pub(crate) fn set_header(name: http::HeaderName, value: &str, append: bool) {
    let (Some(res), Ok(v)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value))
    else {
        return;
    };
    if append {
        res.append_header(name, v);
    } else {
        res.insert_header(name, v);
    }
}

/// Where server functions are mounted (Leptos' default).
#[cfg(feature = "ssr")]
const PREFIX: &str = "/api/";
