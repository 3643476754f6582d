//! The tracking forms' routes, with or without JavaScript: `POST /track` looks a case up and
//! sets the tracking cookie; `POST /track/{case_no}` takes a consumer's step (supplement,
//! withdraw, rate, contest); `POST /track/recover` asks for and checks a one-time code by text
//! message, and `POST /track/recover/cases` opens one of the proven phone's cases. Success
//! redirects to the case page (post/redirect/get); a refused form is rendered
//! again by the page, with the consumer's input and the errors, under a 4xx status.

use crate::forms::{secure, see_other, unreadable, ClientAddr, Pages, Posted};
use app::domain::tracking::{LookupForm, RatingForm};
use app::domain::FieldError;
use app::error::AppError;
use app::service::track::{self, ConsumerStep, Lookup};
use app::views::forms::{Problem, RecoverState, TrackState};
use app::Services;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;

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

/// Renders the page with `state` under `status` (and, when locked out, `Retry-After`).
async fn render(
    pages: &Pages,
    parts: axum::http::request::Parts,
    state: TrackState,
    status: StatusCode,
    retry_after: Option<i64>,
) -> Response {
    let mut res = pages.render(parts, state, status).await;
    if let Some(secs) = retry_after {
        if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    res
}

/// `POST /track`: looks a case up; found, it sets the tracking cookie and goes to the case.
pub async fn look_up(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    ClientAddr(client): ClientAddr,
    Posted { parts, form }: Posted<LookupForm>,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    // The code is never sent back into the page.
    let mut state = TrackState { lookup: LookupForm { code: String::new(), ..form.clone() }, ..Default::default() };
    match track::lookup(&services, &form, &client, now).await {
        Ok(Lookup::Found(no)) => {
            let cookie = track::cookie_header(&track::sign(&services.secret, &no, now), secure(&parts.headers));
            see_other(&format!("/track/{no}"), Some(cookie))
        }
        Ok(Lookup::NoMatch) => {
            state.problem = Some(Problem::NoMatch);
            render(&pages, parts, state, StatusCode::NOT_FOUND, None).await
        }
        Ok(Lookup::Locked { until }) => {
            state.problem = Some(Problem::Locked { until: app::domain::clock::china_time(until) });
            let wait = (until - app::domain::clock::unix_ms(now) + 999) / 1000;
            render(&pages, parts, state, StatusCode::TOO_MANY_REQUESTS, Some(wait)).await
        }
        Err(AppError::Invalid(errors)) => {
            state.errors = errors;
            render(&pages, parts, state, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /track/{case_no}`: a consumer's step on the case this browser tracks.
pub async fn take_step(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    Path(case_no): Path<String>,
    ClientAddr(client): ClientAddr,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let now = time::OffsetDateTime::now_utc();
    let cookies = parts.headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Some(no) = track::tracked_case(&services.secret, cookies, &case_no, now) else {
        let state = TrackState { problem: Some(Problem::Expired), ..Default::default() };
        return render(&pages, parts, state, StatusCode::FORBIDDEN, None).await;
    };
    let Ok(_slot) = crate::filing::upload_slot(&parts.headers) else { return crate::filing::busy() };
    let mut uploads = crate::filing::Uploads { services: &services, client: &client };
    let (bytes, files) = match crate::filing::read_body(&parts.headers, body, &mut uploads).await {
        Ok(b) => b,
        Err(res) => return res,
    };
    let Ok(f) = serde_urlencoded::from_bytes::<StepFields>(&bytes) else {
        return unreadable();
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
            // The files of one supplement count as one draft's.
            let mut draft = String::new();
            for file in files {
                let stored = match file {
                    Ok(received) => app::service::evidence::register(&services, received, &draft, now).await,
                    Err(e) => Err(e),
                };
                match stored {
                    Ok(u) => {
                        draft = u.draft;
                        ids.push(u.record.id)
                    }
                    Err(AppError::Invalid(errs)) => state.errors.extend(errs),
                    Err(e) => return e.into_response(),
                }
            }
            if !state.errors.is_empty() {
                return render(&pages, parts, state, StatusCode::UNPROCESSABLE_ENTITY, None).await;
            }
            ConsumerStep::Supplement { text: f.text.clone(), files: ids }
        }
        // Withdrawing needs the confirmation box ticked (the page asks first).
        "withdraw" if f.confirm == "yes" => ConsumerStep::Withdraw,
        "withdraw" => {
            state.errors.push(FieldError::new("confirm", app::domain::Invalid::Required));
            return render(&pages, parts, state, StatusCode::UNPROCESSABLE_ENTITY, None).await;
        }
        "rate" => ConsumerStep::Rate(rating),
        "contest" => ConsumerStep::Contest { reason: f.reason.clone() },
        "stop_notices" => ConsumerStep::StopNotices,
        // The ODR lane: the consumer's yes or no to the business's offer.
        "odr_accept" | "odr_reject" => {
            let accept = f.step == "odr_accept";
            return match app::service::odr::decide(&services, &no, accept, &f.reason, now).await {
                Ok(_) => see_other(&format!("/track/{no}?done={}", f.step), None),
                Err(AppError::Invalid(errors)) => {
                    state.errors = errors;
                    render(&pages, parts, state, StatusCode::UNPROCESSABLE_ENTITY, None).await
                }
                Err(AppError::Workflow(_) | AppError::Conflict) => {
                    state.problem = Some(Problem::NotNow);
                    render(&pages, parts, state, StatusCode::CONFLICT, None).await
                }
                Err(e) => e.into_response(),
            };
        }
        // Settled by the business but not solved: on to the bureau after all.
        "to_bureau" => {
            return match app::service::odr::to_bureau(&services, &no, now).await {
                Ok(_) => see_other(&format!("/track/{no}?done=to_bureau"), None),
                Err(AppError::Workflow(_) | AppError::Conflict) => {
                    state.problem = Some(Problem::NotNow);
                    render(&pages, parts, state, StatusCode::CONFLICT, None).await
                }
                Err(e) => e.into_response(),
            };
        }
        // Not a step of the workflow: a preference about messages.
        "opt_out" => {
            return match track::opt_out_of_messages(&services, &no).await {
                Ok(()) => see_other(&format!("/track/{no}?done=opt_out"), None),
                Err(e) => e.into_response(),
            };
        }
        _ => return (StatusCode::BAD_REQUEST, "未知的操作 / Unknown step").into_response(),
    };
    match track::consumer_act(&services, &no, &step, now).await {
        Ok(()) => see_other(&format!("/track/{no}?done={}", f.step), None),
        Err(AppError::Invalid(errors)) => {
            state.errors = errors;
            render(&pages, parts, state, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
        Err(e @ (AppError::Workflow(_) | AppError::Conflict)) => {
            state.problem = Some(match e {
                AppError::Workflow(app::domain::workflow::Refusal::TooLate) => Problem::TooLate,
                AppError::Conflict if f.step == "rate" => Problem::AlreadyRated,
                _ => Problem::NotNow,
            });
            render(&pages, parts, state, StatusCode::CONFLICT, None).await
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RecoverFields {
    /// `send` (ask for a code) or `code` (check one).
    step: String,
    phone: String,
    code: String,
}

/// `POST /track/recover`: asks for a code to a mobile number (the same answer whether or not it
/// has a case), or checks one; a right code sets the list cookie and goes to the number's cases.
pub async fn recover(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    ClientAddr(client): ClientAddr,
    Posted { parts, form }: Posted<RecoverFields>,
) -> Response {
    use app::domain::recover::{CodeForm, RecoverForm};
    use app::service::recover;
    let now = time::OffsetDateTime::now_utc();
    let mut state = RecoverState { phone: form.phone.clone(), ..Default::default() };
    let result = if form.step == "code" {
        state.sent = true;
        match recover::check_code(&services, &CodeForm { phone: form.phone, code: form.code }, now).await {
            Ok(cases) => {
                let cookie =
                    recover::cookie_header(&recover::sign_cases(&services, &cases, now), secure(&parts.headers));
                return see_other("/track/recover/cases", Some(cookie));
            }
            Err(e) => e,
        }
    } else {
        let lang = crate::forms::lang_of(&parts.headers);
        match recover::send_code(&services, &RecoverForm { phone: form.phone }, &client, lang, now).await {
            Ok(()) => {
                state.sent = true;
                return pages.render(parts, state, StatusCode::OK).await;
            }
            Err(e) => e,
        }
    };
    match result {
        AppError::Invalid(errors) => {
            let spent = errors.iter().any(|e| e.invalid == app::domain::Invalid::TooManyCodes);
            // A malformed number goes back to the number's form; a wrong code stays on the code's.
            state.sent &= !errors.iter().any(|e| e.field == "phone");
            state.errors = errors;
            let status = if spent { StatusCode::TOO_MANY_REQUESTS } else { StatusCode::UNPROCESSABLE_ENTITY };
            pages.render(parts, state, status).await
        }
        e => e.into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PickFields {
    case_no: String,
}

/// `POST /track/recover/cases`: opens a case of the proven phone with the tracking cookie.
pub async fn recover_pick(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    Posted { parts, form }: Posted<PickFields>,
) -> Response {
    let now = time::OffsetDateTime::now_utc();
    let cookies = parts.headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    match app::service::recover::chosen(&services, cookies, &form.case_no, now) {
        Some(no) => {
            let cookie = track::cookie_header(&track::sign(&services.secret, &no, now), secure(&parts.headers));
            see_other(&format!("/track/{no}"), Some(cookie))
        }
        None => {
            let mut parts = parts;
            parts.uri = axum::http::Uri::from_static("/track/recover");
            let state = RecoverState { expired: true, ..Default::default() };
            pages.render(parts, state, StatusCode::FORBIDDEN).await
        }
    }
}
