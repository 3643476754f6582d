//! What the plain-form handlers share: a form the server refuses (or answers) is rendered by
//! the page itself, as a GET of the same address carrying the form's state as a request
//! extension, under the status that says what happened.

use axum::body::Body;
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// Renders the page at `parts`' address with `state` for it to read, under `status`.
pub async fn render_with<T: Clone + Send + Sync + 'static>(
    mut parts: Parts,
    next: Next,
    state: T,
    status: StatusCode,
) -> Response {
    parts.method = Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.extensions.insert(state);
    let mut res = next.run(Request::from_parts(parts, Body::empty())).await;
    if res.status().is_success() {
        *res.status_mut() = status;
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
