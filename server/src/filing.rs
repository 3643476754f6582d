//! The filing form without JavaScript: every step posts the whole form to `/file` (the route
//! `submit`), which checks the step with the domain and renders the page again with the form and
//! its errors, or files the case and redirects to the receipt. Nothing is stored before the final
//! submission. Also the evidence upload of the page with JavaScript (`POST /file/evidence`).

use app::domain::evidence;
use app::domain::filing::{FilingForm, Step};
use app::domain::rules;
use app::domain::FieldError;
use app::error::AppError;
use app::service;
use app::views::forms::FilingState;
use app::Services;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;

use crate::forms::{too_large, unreadable, Pages, MAX_FORM_BYTES};

#[derive(Deserialize, Default)]
#[serde(default)]
struct Buttons {
    go: String,
    goto: String,
}

/// A multipart body: its text fields, and the bytes of its non-empty file fields. A file over
/// the evidence limit is reported as [`FileTooLarge`](app::domain::Invalid::FileTooLarge).
pub(crate) struct Parts {
    pub text: Vec<(String, String)>,
    pub files: Vec<Result<Vec<u8>, app::domain::Invalid>>,
}

pub(crate) async fn read_multipart(headers: &axum::http::HeaderMap, body: Body) -> Result<Parts, Response> {
    let bad = unreadable;
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let boundary = multer::parse_boundary(ct).map_err(|_| bad())?;
    let limits = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream((MAX_FORM_BYTES + evidence::MAX_FILES * (evidence::MAX_BYTES + 1)) as u64)
            .per_field((evidence::MAX_BYTES + 1) as u64),
    );
    let mut mp = multer::Multipart::with_constraints(body.into_data_stream(), boundary, limits);
    let mut out = Parts { text: Vec::new(), files: Vec::new() };
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(bad()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some();
        match field.bytes().await {
            Ok(b) if is_file => {
                if !b.is_empty() {
                    out.files.push(Ok(b.to_vec()));
                }
            }
            Ok(b) => out.text.push((name, String::from_utf8_lossy(&b).into_owned())),
            Err(multer::Error::FieldSizeExceeded { .. }) => {
                out.files.push(Err(app::domain::Invalid::FileTooLarge { max_mb: (evidence::MAX_BYTES >> 20) as u32 }));
                // The rest of the stream is not read: a too-large file ends the request.
                break;
            }
            Err(multer::Error::StreamSizeExceeded { .. }) => return Err(too_large()),
            Err(_) => return Err(bad()),
        }
    }
    Ok(out)
}

/// `POST /file/evidence`: one file in the field `file` and `count`, how many the draft already
/// has. Answers `{"id", "kind", "size"}` or a field error (JSON), for the page with JavaScript.
pub async fn upload(State(services): State<Services>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let form = match read_multipart(&parts.headers, body).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let already = form.text.iter().find(|(k, _)| k == "count").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let result = match form.files.into_iter().next() {
        Some(Ok(bytes)) => {
            service::evidence::upload_evidence(&services, bytes, already, time::OffsetDateTime::now_utc()).await
        }
        Some(Err(e)) => Err(AppError::Invalid(vec![FieldError::new("evidence", e)])),
        None => Err(AppError::Invalid(vec![FieldError::new("evidence", app::domain::Invalid::Required)])),
    };
    match result {
        Ok(r) => axum::Json(serde_json::json!({ "id": r.id, "kind": r.kind.code(), "size": r.size })).into_response(),
        // The page reads the field errors: JSON here, not the plain text of other routes.
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), axum::Json(e)).into_response(),
    }
}

/// The form's body as URL-encoded bytes, and the files of a multipart body.
pub(crate) async fn read_body(
    headers: &axum::http::HeaderMap,
    body: Body,
) -> Result<(Vec<u8>, Vec<Result<Vec<u8>, app::domain::Invalid>>), Response> {
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    if multipart {
        let p = read_multipart(headers, body).await?;
        Ok((serde_urlencoded::to_string(&p.text).unwrap_or_default().into_bytes(), p.files))
    } else {
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| too_large())?;
        Ok((bytes.to_vec(), Vec::new()))
    }
}

/// `POST /file`: one step of the form without JavaScript.
pub async fn submit(State(services): State<Services>, Extension(pages): Extension<Pages>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let client = parts.extensions.get::<app::service::state::ClientAddress>().map(|c| c.0.clone()).unwrap_or_default();
    let (bytes, files) = match read_body(&parts.headers, body).await {
        Ok(b) => b,
        Err(res) => return res,
    };
    let (Ok(mut form), Ok(buttons)) =
        (serde_urlencoded::from_bytes::<FilingForm>(&bytes), serde_urlencoded::from_bytes::<Buttons>(&bytes))
    else {
        return unreadable();
    };
    let mut upload_errors = Vec::new();
    for file in files {
        let already = evidence::parse_ids(&form.evidence).map(|v| v.len()).unwrap_or(evidence::MAX_FILES);
        let stored = match file {
            Ok(bytes) => {
                service::evidence::upload_evidence(&services, bytes, already, time::OffsetDateTime::now_utc()).await
            }
            Err(e) => Err(AppError::Invalid(vec![FieldError::new("evidence", e)])),
        };
        match stored {
            Ok(r) if form.evidence.is_empty() => form.evidence = r.id,
            Ok(r) => form.evidence = format!("{},{}", form.evidence, r.id),
            Err(AppError::Invalid(errs)) => upload_errors.extend(errs),
            Err(e) => return e.into_response(),
        }
    }
    if form.key.is_empty() {
        form.key = format!("n-{}", hex::encode(rand::random::<[u8; 16]>()));
    }
    let now = time::OffsetDateTime::now_utc();
    let today = app::domain::clock::china_date(now);
    let rules = rules::in_force_on(today);
    let current = form.step();
    let mut errors = Vec::new();
    let to = if !upload_errors.is_empty() || buttons.go == "upload" {
        errors = upload_errors;
        Step::Evidence
    } else if let Some(step) = Step::from_code(&buttons.goto) {
        step
    } else {
        match buttons.go.as_str() {
            "back" => form.prev(current),
            "submit" => match service::filing::file_online(&services, &form, &client, now).await {
                Ok((case_no, cookie)) => {
                    return Response::builder()
                        .status(StatusCode::SEE_OTHER)
                        .header(header::LOCATION, format!("/file/done/{case_no}"))
                        .header(header::SET_COOKIE, cookie)
                        .body(Body::empty())
                        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
                }
                Err(AppError::Invalid(errs)) => {
                    let first = errs.first().map(|e| app::domain::filing::step_of(&e.field)).unwrap_or(current);
                    if errs.iter().any(|e| e.invalid == app::domain::Invalid::FormResent) {
                        // Sent again, it is a new filing: under a new key.
                        form.key = format!("n-{}", hex::encode(rand::random::<[u8; 16]>()));
                    }
                    errors = errs;
                    first
                }
                Err(e) => return e.into_response(),
            },
            _ => {
                errors = form.check_step(current, today, rules);
                if errors.is_empty() {
                    form.next(current)
                } else {
                    current
                }
            }
        }
    };
    form.step = to.code().into();
    // The page sets 422 itself when the step has errors.
    pages.render(parts, FilingState { form, errors }, StatusCode::OK).await
}
