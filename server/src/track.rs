//! The tracking forms, with or without JavaScript: `POST /track` looks a case up and sets the
//! tracking cookie; `POST /track/{case_no}` takes a consumer's step (supplement, withdraw, rate,
//! contest). Success redirects to the case page (post/redirect/get); a refused form is rendered
//! again by the page, with the consumer's input and the errors, under a 4xx status.

use app::domain::tracking::{LookupForm, RatingForm};
use app::domain::FieldError;
use app::error::AppError;
use app::service::track::{self, ConsumerStep, Lookup};
use app::views::forms::{Problem, TrackState};
use app::Services;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::net::SocketAddr;

/// Where the client's address comes from: the connection, or (behind a reverse proxy) a
/// header the proxy sets, such as `x-real-ip`.
#[derive(Clone)]
pub struct TrackConfig {
    pub services: Services,
    pub client_ip_header: Option<header::HeaderName>,
}

pub(crate) fn client_address(req: &Request, config: &TrackConfig) -> String {
    if let Some(name) = &config.client_ip_header {
        if let Some(v) = req.headers().get(name).and_then(|v| v.to_str().ok()) {
            // The proxy's own view of the client: the last entry of a list.
            return v.rsplit(',').next().unwrap_or_default().trim().to_owned();
        }
    }
    req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StepFields {
    #[serde(rename = "do")]
    step: String,
    text: String,
    reason: String,
    process: String,
    outcome: String,
    comment: String,
    confirm: String,
}

fn redirect(to: &str, cookie: Option<String>) -> Response {
    let mut res = Response::builder().status(StatusCode::SEE_OTHER).header(header::LOCATION, to);
    if let Some(c) = cookie {
        res = res.header(header::SET_COOKIE, c);
    }
    res.body(Body::empty()).unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn fail(e: &AppError) -> Response {
    (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), e.to_string()).into_response()
}

/// Renders the page with `state` under `status` (and, when locked out, `Retry-After`).
async fn render(
    parts: axum::http::request::Parts,
    next: Next,
    state: TrackState,
    status: StatusCode,
    retry_after: Option<i64>,
) -> Response {
    let mut res = crate::forms::render_with(parts, next, state, status).await;
    if let Some(secs) = retry_after {
        if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    res
}

pub async fn track_post(State(config): State<TrackConfig>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let path = req.uri().path().to_owned();
    if path == "/track" {
        return look_up(config, req, next).await;
    }
    match path.strip_prefix("/track/") {
        Some(no) if !no.contains('/') => {
            let no = no.to_owned();
            take_step(config, no, req, next).await
        }
        _ => next.run(req).await,
    }
}

fn secure(parts: &axum::http::request::Parts) -> bool {
    parts.headers.get("x-forwarded-proto").is_some_and(|v| v == "https")
}

async fn look_up(config: TrackConfig, req: Request, next: Next) -> Response {
    let client = client_address(&req, &config);
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 << 10).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "表单内容过大 / The form is too large").into_response();
    };
    let Ok(form) = serde_urlencoded::from_bytes::<LookupForm>(&bytes) else {
        return (StatusCode::BAD_REQUEST, "无法读取表单 / The form could not be read").into_response();
    };
    let now = time::OffsetDateTime::now_utc();
    // The code is never sent back into the page.
    let mut state = TrackState { lookup: LookupForm { code: String::new(), ..form.clone() }, ..Default::default() };
    match track::lookup(&config.services, &form, &client, now).await {
        Ok(Lookup::Found(no)) => {
            let cookie = track::cookie_header(&track::sign(&config.services.secret, &no, now), secure(&parts));
            redirect(&format!("/track/{no}"), Some(cookie))
        }
        Ok(Lookup::NoMatch) => {
            state.problem = Some(Problem::NoMatch);
            render(parts, next, state, StatusCode::NOT_FOUND, None).await
        }
        Ok(Lookup::Locked { until }) => {
            state.problem = Some(Problem::Locked { until: app::domain::clock::china_time(until) });
            let wait = (until - app::domain::clock::unix_ms(now) + 999) / 1000;
            render(parts, next, state, StatusCode::TOO_MANY_REQUESTS, Some(wait)).await
        }
        Err(AppError::Invalid(errors)) => {
            state.errors = errors;
            render(parts, next, state, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
        Err(e) => fail(&e),
    }
}

async fn take_step(config: TrackConfig, case_no: String, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let now = time::OffsetDateTime::now_utc();
    let cookies = parts.headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Some(no) = track::tracked_case(&config.services.secret, cookies, &case_no, now) else {
        let state = TrackState { problem: Some(Problem::Expired), ..Default::default() };
        return render(parts, next, state, StatusCode::FORBIDDEN, None).await;
    };
    let multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    let (bytes, files) = if multipart {
        match crate::filing::read_multipart(&parts.headers, body).await {
            Ok(p) => (serde_urlencoded::to_string(&p.text).unwrap_or_default().into_bytes(), p.files),
            Err(res) => return res,
        }
    } else {
        let Ok(bytes) = axum::body::to_bytes(body, crate::filing::MAX_FORM_BYTES).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "表单内容过大 / The form is too large").into_response();
        };
        (bytes.to_vec(), Vec::new())
    };
    let Ok(f) = serde_urlencoded::from_bytes::<StepFields>(&bytes) else {
        return (StatusCode::BAD_REQUEST, "无法读取表单 / The form could not be read").into_response();
    };
    let rating = RatingForm { process: f.process.clone(), outcome: f.outcome.clone(), comment: f.comment.clone() };
    let mut state = TrackState {
        step: f.step.clone(),
        text: f.text.clone(),
        reason: f.reason.clone(),
        rating: (f.step == "rate").then(|| rating.clone()),
        ..Default::default()
    };
    let step = match f.step.as_str() {
        "supplement" => {
            let mut ids = Vec::new();
            for file in files {
                let stored = match file {
                    Ok(bytes) => app::service::evidence::upload_evidence(&config.services, bytes, ids.len(), now).await,
                    Err(e) => Err(AppError::Invalid(vec![FieldError::new("evidence", e)])),
                };
                match stored {
                    Ok(r) => ids.push(r.id),
                    Err(AppError::Invalid(errs)) => state.errors.extend(errs),
                    Err(e) => return fail(&e),
                }
            }
            if !state.errors.is_empty() {
                return render(parts, next, state, StatusCode::UNPROCESSABLE_ENTITY, None).await;
            }
            ConsumerStep::Supplement { text: f.text.clone(), files: ids }
        }
        // Withdrawing needs the confirmation box ticked (the page asks first).
        "withdraw" if f.confirm == "yes" => ConsumerStep::Withdraw,
        "withdraw" => {
            state.errors.push(FieldError::new("confirm", app::domain::Invalid::Required));
            return render(parts, next, state, StatusCode::UNPROCESSABLE_ENTITY, None).await;
        }
        "rate" => ConsumerStep::Rate(rating),
        "contest" => ConsumerStep::Contest { reason: f.reason.clone() },
        _ => return (StatusCode::BAD_REQUEST, "未知的操作 / Unknown step").into_response(),
    };
    match track::consumer_act(&config.services, &no, &step, now).await {
        Ok(()) => redirect(&format!("/track/{no}?done={}", f.step), None),
        Err(AppError::Invalid(errors)) => {
            state.errors = errors;
            render(parts, next, state, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
        Err(e @ (AppError::Workflow(_) | AppError::Conflict)) => {
            state.problem = Some(match e {
                AppError::Workflow(app::domain::workflow::Refusal::TooLate) => Problem::TooLate,
                AppError::Conflict if f.step == "rate" => Problem::AlreadyRated,
                _ => Problem::NotNow,
            });
            render(parts, next, state, StatusCode::CONFLICT, None).await
        }
        Err(e) => fail(&e),
    }
}
