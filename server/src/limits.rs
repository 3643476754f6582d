//! What keeps the server answering under hostile traffic, as layers around every route:
//! a panic in a handler becomes a 500 (the server and the other requests go on); a global cap
//! on requests in flight answers 503 with `Retry-After` at once when full (never a queue), while
//! `/healthz` always answers; every request must produce its response within [`REQUEST`] and
//! may leave its body idle at most [`BODY_IDLE`]; every body has an explicit size limit
//! ([`body_limit`]), server functions included. The header-read timeout is the accept loop's
//! (`serve.rs`).

use crate::forms::MAX_FORM_BYTES;
use app::domain::evidence;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::{TimeoutBody, TimeoutLayer};

/// How long a request may take to produce its response (a body streamed after that, such as the
/// open day's live feed, is not cut).
pub const REQUEST: Duration = Duration::from_secs(120);
/// How long a request body may go without sending anything.
pub const BODY_IDLE: Duration = Duration::from_secs(20);
/// The body of a server function call: the same limit as a form posted without JavaScript, so
/// that an overlong field gets its field error either way (a filing is a few kilobytes).
pub const SERVER_FN_BYTES: usize = MAX_FORM_BYTES;
/// The evidence upload of the page with JavaScript: one file and its draft's token.
pub const ONE_UPLOAD_BYTES: usize = MAX_FORM_BYTES + evidence::MAX_BYTES + 1;
/// A multipart post: the form and up to five evidence files of 10 MB.
pub const UPLOAD_BYTES: usize = MAX_FORM_BYTES + evidence::MAX_FILES * (evidence::MAX_BYTES + 1);
/// Requests in flight on one server unless `PORTAL_MAX_IN_FLIGHT` says otherwise.
pub const DEFAULT_IN_FLIGHT: usize = 512;

/// The cap on requests in flight, shared by every route of a server.
#[derive(Clone)]
pub struct Gate(Arc<Semaphore>);

impl Gate {
    pub fn new(in_flight: usize) -> Self {
        Gate(Arc::new(Semaphore::new(in_flight.max(1))))
    }

    /// How many more requests may start now.
    pub fn available(&self) -> usize {
        self.0.available_permits()
    }
}

impl Default for Gate {
    fn default() -> Self {
        Gate::new(DEFAULT_IN_FLIGHT)
    }
}

/// The largest body a request may send: by its path and type.
pub fn body_limit(path: &str, content_type: Option<&str>) -> usize {
    if path == "/file/evidence" {
        ONE_UPLOAD_BYTES
    } else if path.starts_with("/api/") {
        SERVER_FN_BYTES
    } else if content_type.is_some_and(|t| t.starts_with("multipart/form-data")) {
        UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    }
}

/// Wraps `router` in the layers above (outermost first: panic → 500, the in-flight cap, the
/// response time limit, the body's size and idle limits).
pub fn harden(router: Router, gate: Gate) -> Router {
    router
        .layer(middleware::from_fn(limit_body))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST))
        .layer(middleware::from_fn_with_state(gate, shed))
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            metrics::counter!("portal_panics_total").increment(1);
            (StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误，请稍后再试 / Internal error, please try again later")
                .into_response()
        }))
}

async fn shed(State(gate): State<Gate>, req: Request, next: Next) -> Response {
    if req.uri().path() == "/healthz" {
        return next.run(req).await;
    }
    let Ok(_permit) = gate.0.try_acquire_owned() else {
        metrics::counter!("portal_shed_total").increment(1);
        let mut res =
            (StatusCode::SERVICE_UNAVAILABLE, "服务繁忙，请稍后再试 / Busy: please try again shortly").into_response();
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        return res;
    };
    next.run(req).await
}

async fn limit_body(req: Request, next: Next) -> Response {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let limit = body_limit(req.uri().path(), content_type);
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return crate::forms::too_large();
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(TimeoutBody::new(BODY_IDLE, body), limit)));
    next.run(req).await
}
