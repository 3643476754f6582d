//! The filing form without JavaScript: every step posts the whole form to `/file`. This layer
//! checks the step with the domain and hands the page renderer the form and its errors (as a
//! GET of `/file` carrying them), or files the case and redirects to the receipt. Nothing is
//! stored before the final submission.

use app::domain::filing::{FilingForm, Step};
use app::domain::rules;
use app::pages::file::FilingState;
use app::service;
use app::Services;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Bodies above this are refused outright; below it, oversized fields get their field error.
pub const MAX_FORM_BYTES: usize = 4 << 20;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Buttons {
    go: String,
    goto: String,
}

pub async fn filing_post(State(services): State<Services>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || req.uri().path() != "/file" {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "表单内容过大 / The form is too large").into_response();
    };
    let (Ok(mut form), Ok(buttons)) =
        (serde_urlencoded::from_bytes::<FilingForm>(&bytes), serde_urlencoded::from_bytes::<Buttons>(&bytes))
    else {
        return (StatusCode::BAD_REQUEST, "无法读取表单 / The form could not be read").into_response();
    };
    if form.key.is_empty() {
        form.key = format!("n-{}", hex::encode(rand::random::<[u8; 16]>()));
    }
    let now = time::OffsetDateTime::now_utc();
    let today = service::china_date(now);
    let rules = rules::in_force_on(today);
    let current = form.step();
    let mut errors = Vec::new();
    let to = if let Some(step) = Step::from_code(&buttons.goto) {
        step
    } else {
        match buttons.go.as_str() {
            "back" => form.prev(current),
            "submit" => match service::file_online(&services, &form, now).await {
                Ok((case_no, cookie)) => {
                    return Response::builder()
                        .status(StatusCode::SEE_OTHER)
                        .header(header::LOCATION, format!("/file/done/{case_no}"))
                        .header(header::SET_COOKIE, cookie)
                        .body(Body::empty())
                        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
                }
                Err(app::error::AppError::Invalid(errs)) => {
                    let first = errs.first().map(|e| app::domain::filing::step_of(&e.field)).unwrap_or(current);
                    errors = errs;
                    first
                }
                Err(e) => return (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), e.to_string()).into_response(),
            },
            _ => {
                errors = form.check_step(current, today, rules);
                if errors.is_empty() { form.next(current) } else { current }
            }
        }
    };
    form.step = to.code().into();
    parts.method = Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.extensions.insert(FilingState { form, errors });
    next.run(Request::from_parts(parts, Body::empty())).await
}
