//! Staff sign-in and sign-out forms (`POST /staff/login`, `POST /staff/logout`), and the guard
//! that sends anyone without a valid session from a staff page to the sign-in page. Each staff
//! server function checks the session again itself.

use crate::track::{client_address, TrackConfig};
use app::domain::staff::LoginForm;
use app::error::AppError;
use app::service::staff as svc;
use app::views::forms::{ConsoleState, IntakeState, LoginState};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn see_other(to: &str, cookie: Option<String>) -> Response {
    let mut res = Response::builder().status(StatusCode::SEE_OTHER).header(header::LOCATION, to);
    if let Some(c) = cookie {
        res = res.header(header::SET_COOKIE, c);
    }
    res.header(header::CACHE_CONTROL, "no-store")
        .body(Body::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn secure(req: &Request) -> bool {
    req.headers().get("x-forwarded-proto").is_some_and(|v| v == "https")
}

pub async fn staff_gate(State(config): State<TrackConfig>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if path != "/staff" && !path.starts_with("/staff/") {
        return next.run(req).await;
    }
    let now = time::OffsetDateTime::now_utc();
    let cookies = req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    match (req.method().clone(), path.as_str()) {
        (Method::POST, "/staff/login") => sign_in(config, req, next, now).await,
        (Method::POST, "/staff/logout") => {
            if let Err(e) = svc::sign_out(&config.services, &cookies, now).await {
                return (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), e.to_string())
                    .into_response();
            }
            see_other("/staff/login", Some(svc::cookie_header(None, secure(&req))))
        }
        (_, "/staff/login") => {
            let mut res = next.run(req).await;
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        _ => match svc::session(&config.services, &cookies, now).await {
            Ok(Some(staff)) if req.method() == Method::POST && path == "/staff/intake" => {
                intake(config, staff, req, next, now).await
            }
            Ok(Some(staff)) if req.method() == Method::POST && path == "/staff/publish" => {
                review(config, staff, req, next, now).await
            }
            Ok(Some(staff)) if req.method() == Method::POST && path.starts_with("/staff/cases/") => {
                let no = path.trim_start_matches("/staff/cases/").to_owned();
                take_step(config, staff, no, req, next, now).await
            }
            Ok(Some(staff)) => {
                // The page's server functions and handlers read who it is from here, without
                // looking the session up again.
                let mut req = req;
                req.extensions_mut().insert(staff);
                let mut res = next.run(req).await;
                res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                res
            }
            Ok(None) if req.method() == Method::GET => see_other("/staff/login", None),
            Ok(None) => (StatusCode::UNAUTHORIZED, "请先登录 / Please sign in").into_response(),
            Err(e) => {
                (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), e.to_string()).into_response()
            }
        },
    }
}

async fn sign_in(config: TrackConfig, req: Request, next: Next, now: time::OffsetDateTime) -> Response {
    let client = client_address(&req, &config);
    let secure = secure(&req);
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 << 10).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "表单内容过大 / The form is too large").into_response();
    };
    let Ok(form) = serde_urlencoded::from_bytes::<LoginForm>(&bytes) else {
        return (StatusCode::BAD_REQUEST, "无法读取表单 / The form could not be read").into_response();
    };
    let (status, state) = match svc::sign_in(&config.services, &form, &client, now).await {
        Ok((token, _)) => return see_other("/staff", Some(svc::cookie_header(Some(&token), secure))),
        Err(AppError::Invalid(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, LoginState { username: form.username, errors, problem: None })
        }
        Err(e @ (AppError::Unauthorized | AppError::TooManyRequests)) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNAUTHORIZED),
            LoginState { username: form.username, errors: Vec::new(), problem: Some(e.status()) },
        ),
        Err(e) => {
            return (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), e.to_string()).into_response()
        }
    };
    crate::forms::render_with(parts, next, state, status).await
}

/// `POST /staff/cases/{case_no}`: a workflow step from the case page's forms. Success
/// redirects to the page; a refused step renders it again with the reason.
async fn take_step(
    config: TrackConfig,
    staff: app::domain::staff::Staff,
    case_no: String,
    req: Request,
    next: Next,
    now: time::OffsetDateTime,
) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(no) = app::domain::case::CaseNo::parse(&case_no) else {
        return (StatusCode::NOT_FOUND, "没有这件案件 / No such case").into_response();
    };
    let Ok(bytes) = axum::body::to_bytes(body, 64 << 10).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "表单内容过大 / The form is too large").into_response();
    };
    let Ok(form) = serde_urlencoded::from_bytes::<app::domain::actions::ActionForm>(&bytes) else {
        return (StatusCode::BAD_REQUEST, "无法读取表单 / The form could not be read").into_response();
    };
    let mut state = ConsoleState { form: form.clone(), ..Default::default() };
    let status = match app::service::console::act(&config.services, &staff, &no, &form, now).await {
        Ok(_) => return see_other(&format!("/staff/cases/{no}?done={}", form.action), None),
        Err(AppError::Invalid(errors)) => {
            state.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AppError::Conflict) => {
            state.problem = Some("changed".into());
            StatusCode::CONFLICT
        }
        Err(AppError::Workflow(
            app::domain::workflow::Refusal::Role { .. } | app::domain::workflow::Refusal::OtherBureau,
        )) => return (StatusCode::FORBIDDEN, "无权操作 / Not allowed").into_response(),
        Err(AppError::Workflow(_)) => {
            state.problem = Some("not_now".into());
            StatusCode::CONFLICT
        }
        Err(e) => {
            return (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), e.to_string()).into_response()
        }
    };
    crate::forms::render_with(parts, next, state, status).await
}

/// `POST /staff/publish`: a supervisor publishes a typical case or decides not to; a refused
/// form comes back with its text and the error.
async fn review(
    config: TrackConfig,
    staff: app::domain::staff::Staff,
    req: Request,
    next: Next,
    now: time::OffsetDateTime,
) -> Response {
    use app::views::publish::ReviewForm;
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 << 10).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "表单内容过大 / The form is too large").into_response();
    };
    let Ok(form) = serde_urlencoded::from_bytes::<ReviewForm>(&bytes) else {
        return (StatusCode::BAD_REQUEST, "无法读取表单 / The form could not be read").into_response();
    };
    match app::service::publish::review(&config.services, &staff, &form, now).await {
        Ok(approved) => {
            see_other(if approved { "/staff/publish?done=approve" } else { "/staff/publish?done=reject" }, None)
        }
        Err(AppError::Invalid(errors)) => {
            let state = app::views::forms::PublishState { form, errors };
            crate::forms::render_with(parts, next, state, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), e.to_string()).into_response(),
    }
}

/// `POST /staff/intake`: registers a call, letter, voice message or visit; the page then shows
/// the case number and the query code once. A refused form comes back with its errors.
async fn intake(
    config: TrackConfig,
    staff: app::domain::staff::Staff,
    req: Request,
    next: Next,
    now: time::OffsetDateTime,
) -> Response {
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Channel {
        channel: String,
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::filing::MAX_FORM_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "表单内容过大 / The form is too large").into_response();
    };
    let (Ok(form), Ok(channel)) = (
        serde_urlencoded::from_bytes::<app::domain::filing::FilingForm>(&bytes),
        serde_urlencoded::from_bytes::<Channel>(&bytes),
    ) else {
        return (StatusCode::BAD_REQUEST, "无法读取表单 / The form could not be read").into_response();
    };
    let mut state = IntakeState { channel: channel.channel.clone(), form: form.clone(), ..Default::default() };
    let status = match app::service::console::intake(&config.services, &staff, &channel.channel, &form, now).await {
        Ok((case, code)) => {
            state.done = Some((case.case_no.to_string(), code.display()));
            StatusCode::CREATED
        }
        Err(AppError::Invalid(errors)) => {
            state.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => {
            return (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), e.to_string()).into_response()
        }
    };
    crate::forms::render_with(parts, next, state, status).await
}

/// `GET /staff/evidence/{id}`: an evidence file for staff who may see its case (the gate has
/// checked the session and passes the staff member on; this checks the case). Served as an attachment-safe download with its
/// sniffed type, never cached.
pub async fn evidence(
    State(services): State<app::Services>,
    axum::extract::Path(id): axum::extract::Path<String>,
    staff: Option<axum::Extension<app::domain::staff::Staff>>,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    let Some(axum::Extension(staff)) = staff else {
        return (StatusCode::UNAUTHORIZED, "请先登录 / Please sign in").into_response();
    };
    match app::service::console::evidence_file(&services, &staff, &id, now).await {
        Ok((kind, bytes)) => {
            let disposition = if kind == app::domain::evidence::EvidenceKind::Pdf { "attachment" } else { "inline" };
            let name = format!("{}; filename=\"evidence-{}.{}\"", disposition, &id[..8.min(id.len())], kind.code());
            (
                [
                    (header::CONTENT_TYPE, kind.mime().to_owned()),
                    (header::CONTENT_DISPOSITION, name),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), e.to_string()).into_response(),
    }
}
