//! The staff console's routes: sign-in and sign-out (`POST /staff/login`, `POST /staff/logout`),
//! the plain-form posts of the staff pages (a workflow step, intake, publishing), evidence
//! downloads, and [`guard`], the layer on every staff route that sends anyone without a valid
//! session to the sign-in page. Each staff server function checks the session again itself.

use crate::forms::{secure, see_other, too_large, unreadable, ClientAddr, Pages, Posted, StaffSession};
use app::domain::staff::LoginForm;
use app::error::AppError;
use app::service::second_factor as factor;
use app::service::staff as svc;
use app::views::forms::{CodeStage, CodeState, ConsoleState, IntakeState, LoginState};
use app::Services;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;

/// On every staff route: without a valid session, a page goes to the sign-in page and a post
/// gets 401; with one, the staff member is put in the request for the handlers and the page's
/// server functions, and the answer is never cached.
pub async fn guard(State(services): State<Services>, mut req: Request, next: Next) -> Response {
    let cookies = req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    match svc::session(&services, cookies, time::OffsetDateTime::now_utc()).await {
        Ok(Some(staff)) => {
            // A business's account has its own console and nothing else of the staff's.
            let business_path = req.uri().path().starts_with("/staff/business");
            if staff.is_business() != business_path {
                return match (staff.is_business(), req.method() == Method::GET) {
                    (true, true) => see_other("/staff/business", None),
                    _ => (StatusCode::FORBIDDEN, "无权操作 / Not allowed").into_response(),
                };
            }
            req.extensions_mut().insert(staff);
            let mut res = next.run(req).await;
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Ok(None) if req.method() == Method::GET => see_other("/staff/login", None),
        Ok(None) => (StatusCode::UNAUTHORIZED, "请先登录 / Please sign in").into_response(),
        Err(e) => e.into_response(),
    }
}

/// `POST /staff/logout`.
pub async fn sign_out(State(services): State<Services>, headers: HeaderMap) -> Result<Response, AppError> {
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    svc::sign_out(&services, cookies, time::OffsetDateTime::now_utc()).await?;
    Ok(see_other("/staff/login", Some(svc::cookie_header(None, secure(&headers)))))
}

/// `POST /staff/login`: signed in, to the work queue; refused, the page again with the reason.
pub async fn sign_in(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    ClientAddr(client): ClientAddr,
    Posted { parts, form }: Posted<LoginForm, { 16 << 10 }>,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    let (status, state) = match svc::sign_in(&services, &form, &client, now).await {
        Ok(svc::SignIn::Session(token, _)) => {
            return see_other("/staff", Some(svc::cookie_header(Some(&token), secure(&parts.headers))))
        }
        Ok(svc::SignIn::SecondFactor(challenge)) => {
            return see_other(
                "/staff/login/code",
                Some(factor::cookie_header(Some(&challenge), secure(&parts.headers))),
            )
        }
        Err(AppError::Invalid(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, LoginState { username: form.username, errors, problem: None })
        }
        Err(e @ (AppError::Unauthorized | AppError::TooManyRequests | AppError::Busy)) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNAUTHORIZED),
            LoginState { username: form.username, errors: Vec::new(), problem: Some(e.status()) },
        ),
        Err(e) => return e.into_response(),
    };
    let mut res = pages.render(parts, state, status).await;
    if status == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from_static("2"));
    }
    res
}

fn challenge_of(headers: &HeaderMap) -> String {
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    factor::challenge_token(cookies).unwrap_or_default().to_owned()
}

/// `GET /staff/login/code`: the second step of sign-in for the challenge in the cookie (the
/// code field, or the secret to enrol), or that it has expired.
pub async fn code_page(State(services): State<Services>, Extension(pages): Extension<Pages>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let now = time::OffsetDateTime::now_utc();
    match factor::stage(&services, &challenge_of(&parts.headers), now).await {
        Ok(stage) => pages.render(parts, CodeState { stage, ..Default::default() }, StatusCode::OK).await,
        Err(e) => e.into_response(),
    }
}

/// `POST /staff/login/code`: the code accepted, to the work queue (after enrolment, the page of
/// recovery codes first); refused, the page again with the reason.
pub async fn code(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    ClientAddr(client): ClientAddr,
    Posted { parts, form }: Posted<app::domain::staff::CodeForm, { 4 << 10 }>,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    let challenge = challenge_of(&parts.headers);
    let secure = secure(&parts.headers);
    let (status, errors, problem) = match factor::verify(&services, &challenge, &form, &client, now).await {
        Ok(done) => {
            let session = svc::cookie_header(Some(&done.token), secure);
            let mut res = if done.recovery_codes.is_empty() {
                see_other("/staff", Some(session))
            } else {
                let state =
                    CodeState { stage: CodeStage::Recovery { codes: done.recovery_codes }, ..Default::default() };
                let mut res = pages.render(parts, state, StatusCode::OK).await;
                if let Ok(v) = HeaderValue::from_str(&session) {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
                res
            };
            if let Ok(v) = HeaderValue::from_str(&factor::cookie_header(None, secure)) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            return res;
        }
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Err(e @ (AppError::Unauthorized | AppError::TooManyRequests)) => {
            (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNAUTHORIZED), Vec::new(), Some(e.status()))
        }
        Err(e) => return e.into_response(),
    };
    match factor::stage(&services, &challenge, now).await {
        Ok(stage) => pages.render(parts, CodeState { stage, errors, problem }, status).await,
        Err(e) => e.into_response(),
    }
}

/// `POST /staff/cases/{case_no}`: a workflow step from the case page's forms. Success
/// redirects to the page; a refused step renders it again with the reason.
pub async fn take_step(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    StaffSession(staff): StaffSession,
    Path(case_no): Path<String>,
    Posted { parts, form }: Posted<app::domain::actions::ActionForm>,
) -> Response {
    console_step(&services, &pages, &staff, &case_no, parts, form, false).await
}

/// A step posted from a console (the staff's, or a business's answer with `business`): back to
/// the case with what was done, or the form again with why not.
async fn console_step(
    services: &Services,
    pages: &Pages,
    staff: &app::domain::staff::Staff,
    case_no: &str,
    parts: axum::http::request::Parts,
    form: app::domain::actions::ActionForm,
    business: bool,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    let Ok(no) = app::domain::case::CaseNo::parse(case_no) else {
        return (StatusCode::NOT_FOUND, "没有这件案件 / No such case").into_response();
    };
    let (taken, back) = if business {
        (app::service::odr::answer(services, staff, &no, &form, now).await, "/staff/business/cases")
    } else {
        (app::service::console::act(services, staff, &no, &form, now).await, "/staff/cases")
    };
    match taken {
        Ok(_) => see_other(&format!("{back}/{no}?done={}", form.action), None),
        Err(e) => step_refused(pages, parts, form, e).await,
    }
}

/// A refused step of a console form (the staff's case page, a business's answer), rendered
/// again: field errors (422), someone acted first (409, `changed`), the workflow refuses it now
/// (409, `not_now`); not this account's to take, 403.
async fn step_refused(
    pages: &Pages,
    parts: axum::http::request::Parts,
    form: app::domain::actions::ActionForm,
    e: AppError,
) -> Response {
    let mut state = ConsoleState { form, ..Default::default() };
    let status = match e {
        AppError::Invalid(errors) => {
            state.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        AppError::Conflict => {
            state.problem = Some("changed".into());
            StatusCode::CONFLICT
        }
        AppError::Workflow(
            app::domain::workflow::Refusal::Role { .. } | app::domain::workflow::Refusal::OtherBureau,
        ) => return (StatusCode::FORBIDDEN, "无权操作 / Not allowed").into_response(),
        AppError::Workflow(_) => {
            state.problem = Some("not_now".into());
            StatusCode::CONFLICT
        }
        e => return e.into_response(),
    };
    pages.render(parts, state, status).await
}

/// `POST /staff/business/cases/{case_no}`: a business's answer (an offer, or its refusal to
/// settle). Success redirects to the case; a refused answer renders it again with the reason.
pub async fn business_answer(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    StaffSession(staff): StaffSession,
    Path(case_no): Path<String>,
    Posted { parts, form }: Posted<app::domain::actions::ActionForm>,
) -> Response {
    console_step(&services, &pages, &staff, &case_no, parts, form, true).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DecideForm {
    credit_code: String,
    /// `join`, `suspend`, `reinstate` or `end`.
    change: String,
}

/// `POST /staff/register` (`credit_code`, `change`): a bureau's decision on a membership of the
/// ODR lane (audited); back to the register with what was done, or the page again if another
/// decision came first.
pub async fn register_decide(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    StaffSession(staff): StaffSession,
    Posted { mut parts, form }: Posted<DecideForm>,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    let Some(change) = app::domain::business::MembershipChange::from_code(&form.change) else { return unreadable() };
    match app::service::register::decide(&services, &staff, &form.credit_code, change, now).await {
        Ok(()) => see_other(&format!("/staff/register?q={}&done={}", form.credit_code, change.code()), None),
        Err(AppError::Conflict | AppError::Invalid(_)) => {
            parts.uri = axum::http::Uri::from_static("/staff/register");
            let state = app::views::forms::RegisterState { problem: Some("changed".into()), ..Default::default() };
            pages.render(parts, state, StatusCode::CONFLICT).await
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /staff/register/add`: adds or updates an entry of the bureau's county (audited); a
/// refused form comes back with its errors.
pub async fn register_add(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    StaffSession(staff): StaffSession,
    Posted { mut parts, form }: Posted<app::domain::business::BusinessForm>,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    match app::service::register::add(&services, &staff, &form, now).await {
        Ok(()) => see_other(&format!("/staff/register?q={}&done=added", form.credit_code.trim()), None),
        Err(AppError::Invalid(errors)) => {
            parts.uri = axum::http::Uri::from_static("/staff/register");
            let state = app::views::forms::RegisterState { form, errors, problem: None };
            pages.render(parts, state, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /staff/publish`: a supervisor publishes a typical case or decides not to; a refused
/// form comes back with its text and the error.
pub async fn review(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    StaffSession(staff): StaffSession,
    Posted { parts, form }: Posted<app::views::publish::ReviewForm>,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    match app::service::publish::review(&services, &staff, &form, now).await {
        Ok(approved) => {
            see_other(if approved { "/staff/publish?done=approve" } else { "/staff/publish?done=reject" }, None)
        }
        Err(AppError::Invalid(errors)) => {
            let state = app::views::forms::PublishState { form, errors };
            pages.render(parts, state, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /staff/intake`: registers a call, letter, voice message or visit; the page then shows
/// the case number and the query code once. A refused form comes back with its errors.
pub async fn intake(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    StaffSession(staff): StaffSession,
    req: Request,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    #[derive(serde::Deserialize, Default)]
    #[serde(default)]
    struct Channel {
        channel: String,
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::forms::MAX_FORM_BYTES).await else {
        return too_large();
    };
    let (Ok(form), Ok(channel)) = (
        serde_urlencoded::from_bytes::<app::domain::filing::FilingForm>(&bytes),
        serde_urlencoded::from_bytes::<Channel>(&bytes),
    ) else {
        return unreadable();
    };
    let mut state = IntakeState { channel: channel.channel.clone(), form: form.clone(), ..Default::default() };
    let status = match app::service::console::intake(&services, &staff, &channel.channel, &form, now).await {
        Ok((case, code)) => {
            state.done = Some((case.case_no.to_string(), code.display()));
            StatusCode::CREATED
        }
        Err(AppError::Invalid(errors)) => {
            state.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return e.into_response(),
    };
    pages.render(parts, state, status).await
}

/// `GET /staff/evidence/{id}`: an evidence file for staff who may see its case (the guard has
/// checked the session; this checks the case). Served as an attachment-safe download with its
/// sniffed type, never cached.
pub async fn evidence(
    State(services): State<Services>,
    Path(id): Path<String>,
    StaffSession(staff): StaffSession,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
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
        Err(e) => e.into_response(),
    }
}

/// `POST /staff/outbox` (`id`): sends a failed message to a consumer again, then shows the
/// outbox's failed messages.
pub async fn resend_notice(
    State(services): State<Services>,
    StaffSession(staff): StaffSession,
    ClientAddr(client): ClientAddr,
    Posted { form, .. }: Posted<ResendForm>,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    let Ok(id) = form.id.trim().parse::<i64>() else { return unreadable() };
    match app::service::notify::resend(&services, &staff, id, Some(&client), now).await {
        Ok(()) => see_other("/staff/outbox?state=failed&done=resent", None),
        Err(e) => e.into_response(),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ResendForm {
    id: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ScreenForm {
    /// A case number, or `latest:<kind>`.
    follow: String,
    /// The console page to go back to.
    back: String,
}

/// `POST /staff/screen` (`follow`, `back`): a supervisor chooses what the open-day screen's
/// walk-through panel follows (audited), then goes back to the console page.
pub async fn screen_follow(
    State(services): State<Services>,
    StaffSession(staff): StaffSession,
    ClientAddr(client): ClientAddr,
    Posted { form, .. }: Posted<ScreenForm>,
) -> Response {
    use app::service::screen::{follow, Follow};
    let Some(choice) = Follow::from_code(&form.follow) else { return unreadable() };
    // Only back into the console, never elsewhere.
    let back = if form.back.starts_with("/staff/") && !form.back.contains("//") { form.back } else { "/staff".into() };
    match follow(&services, &staff, &choice, Some(&client), time::OffsetDateTime::now_utc()).await {
        Ok(()) => see_other(&format!("{back}?done=screen"), None),
        Err(e) => e.into_response(),
    }
}

/// Where an objection's page is: the business's own record, or the bureau's list.
fn objections_page(staff: &app::domain::staff::Staff) -> &'static str {
    match staff.role {
        app::domain::workflow::Role::Business => "/staff/business/record",
        _ => "/staff/objections",
    }
}

/// `POST /staff/business/objections` (`item`, `reason`): a business objects to an item of its
/// record; `POST /staff/objections`: a handler on a business's behalf (audited). A refused one comes back with its errors
/// (422), or that the item has an objection awaiting a decision (409).
pub async fn object(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    StaffSession(staff): StaffSession,
    Posted { mut parts, form }: Posted<app::domain::disclosure::objection::ObjectionForm>,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    let page = objections_page(&staff);
    let mut state = app::views::forms::ObjectionState { objection: form.clone(), ..Default::default() };
    let status = match app::service::objections::file(&services, &staff, &form, now).await {
        Ok(_) => return see_other(&format!("{page}?done=filed"), None),
        Err(AppError::Invalid(errors)) => {
            state.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AppError::Conflict) => {
            state.problem = Some("pending".into());
            StatusCode::CONFLICT
        }
        Err(e) => return e.into_response(),
    };
    parts.uri = axum::http::Uri::from_static(page);
    pages.render(parts, state, status).await
}

/// `POST /staff/objections/{id}` (`decision`, `note`, `correction`): a supervisor's decision
/// (audited); the list again, with what was done or the form's errors.
pub async fn decide_objection(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    StaffSession(staff): StaffSession,
    Path(id): Path<i64>,
    Posted { mut parts, form }: Posted<app::domain::disclosure::objection::DecisionForm>,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    let mut state = app::views::forms::ObjectionState { decision: form.clone(), id: Some(id), ..Default::default() };
    let status = match app::service::objections::decide(&services, &staff, id, &form, now).await {
        Ok(d) => return see_other(&format!("/staff/objections?done={}", d.code()), None),
        Err(AppError::Invalid(errors)) => {
            state.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AppError::Conflict) => {
            state.problem = Some("decided".into());
            StatusCode::CONFLICT
        }
        Err(e) => return e.into_response(),
    };
    parts.uri = axum::http::Uri::from_static("/staff/objections");
    pages.render(parts, state, status).await
}
