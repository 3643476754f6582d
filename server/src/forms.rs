//! What the plain-form routes share (the forms that work without JavaScript): reading a posted
//! form, who sent it (extractors), and rendering the page again with the form's state. A form the
//! server refuses (or answers) is rendered by the page itself, as a GET of the same address
//! carrying the form's state as a request extension, under the status that says what happened.

use app::domain::staff::Staff;
use app::error::AppError;
use app::Services;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use tower::ServiceExt;

/// Bodies above this are refused outright; below it, oversized fields get their field error.
pub const MAX_FORM_BYTES: usize = 4 << 20;

/// The Leptos pages (a router of their own), which the form routes render with a form's state.
#[derive(Clone)]
pub struct Pages(pub Router);

impl Pages {
    /// Renders the page at `parts`' address with `state` for it to read, under `status`.
    pub async fn render<T: Clone + Send + Sync + 'static>(
        &self,
        mut parts: Parts,
        state: T,
        status: StatusCode,
    ) -> Response {
        parts.method = Method::GET;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.extensions.insert(state);
        let mut res = match self.0.clone().oneshot(Request::from_parts(parts, Body::empty())).await {
            Ok(res) => res,
            Err(never) => match never {},
        };
        if res.status().is_success() {
            *res.status_mut() = status;
        }
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res
    }
}

/// A `303 See Other` to `to` (post/redirect/get), with a cookie to set.
pub fn see_other(to: &str, cookie: Option<String>) -> Response {
    let mut res = Response::builder().status(StatusCode::SEE_OTHER).header(header::LOCATION, to);
    if let Some(c) = cookie {
        res = res.header(header::SET_COOKIE, c);
    }
    res.header(header::CACHE_CONTROL, "no-store")
        .body(Body::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

pub fn too_large() -> Response {
    (StatusCode::PAYLOAD_TOO_LARGE, "表单内容过大 / The form is too large").into_response()
}

pub fn unreadable() -> Response {
    (StatusCode::BAD_REQUEST, "无法读取表单 / The form could not be read").into_response()
}

/// Reads an URL-encoded form of at most `limit` bytes.
pub async fn read_form<T: DeserializeOwned>(body: Body, limit: usize) -> Result<T, Response> {
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| too_large())?;
    serde_urlencoded::from_bytes(&bytes).map_err(|_| unreadable())
}

/// A posted URL-encoded form of at most `LIMIT` bytes, with the request's head (which a refused
/// form's page is rendered for).
pub struct Posted<T, const LIMIT: usize = { 64 << 10 }> {
    pub parts: Parts,
    pub form: T,
}

impl<S, T, const LIMIT: usize> FromRequest<S> for Posted<T, LIMIT>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let form = read_form(body, LIMIT).await?;
        Ok(Posted { parts, form })
    }
}

/// The request came through HTTPS (as a reverse proxy says).
pub fn secure(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").is_some_and(|v| v == "https")
}

/// Where the client's address comes from: the connection, or (behind a reverse proxy) a header
/// the proxy sets, such as `x-real-ip`.
#[derive(Clone, Default)]
pub struct ClientIpHeader(pub Option<header::HeaderName>);

/// The client's address, for the look-up and sign-in throttles and the audit log.
pub struct ClientAddr(pub String);

impl<S> FromRequestParts<S> for ClientAddr
where
    ClientIpHeader: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // The router's middleware has worked it out already (`web::client_address`).
        if let Some(app::service::state::ClientAddress(a)) = parts.extensions.get() {
            return Ok(ClientAddr(a.clone()));
        }
        Ok(ClientAddr(client_address(parts, &ClientIpHeader::from_ref(state))))
    }
}

/// The client's address: the trusted proxy's header if one is configured and present, else the
/// connection's.
pub fn client_address(parts: &Parts, header: &ClientIpHeader) -> String {
    if let ClientIpHeader(Some(name)) = header {
        if let Some(v) = parts.headers.get(name).and_then(|v| v.to_str().ok()) {
            // The proxy's own view of the client: the last entry of a list.
            return v.rsplit(',').next().unwrap_or_default().trim().to_owned();
        }
    }
    let addr = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    addr.unwrap_or_else(|| "unknown".into())
}

/// The signed-in staff member: put in the request by [`crate::staff::guard`] on every staff route,
/// or read from the session cookie.
pub struct StaffSession(pub Staff);

impl<S> FromRequestParts<S> for StaffSession
where
    Services: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(staff) = parts.extensions.get::<Staff>() {
            return Ok(StaffSession(staff.clone()));
        }
        let cookies = parts.headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let services = Services::from_ref(state);
        let staff = app::service::staff::session(&services, cookies, time::OffsetDateTime::now_utc()).await?;
        staff.map(StaffSession).ok_or(AppError::Unauthorized)
    }
}

/// The reader's language, from the preference cookie.
pub fn lang_of(headers: &HeaderMap) -> app::i18n::Lang {
    let cookie = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    app::prefs::Prefs::from_cookie_header(cookie, false).lang
}
