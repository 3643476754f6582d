//! The filing form without JavaScript: every step posts the whole form to `/file` (the route
//! `submit`), which checks the step with the domain and renders the page again with the form and
//! its errors, or files the case and redirects to the receipt. Nothing is stored before the final
//! submission. Also the evidence upload of the page with JavaScript (`POST /file/evidence`).

use app::domain::evidence;
use app::domain::filing::{FilingForm, Step};
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

use crate::forms::{lang_of, too_large, unreadable, ClientAddr, Pages, MAX_FORM_BYTES};

#[derive(Deserialize, Default)]
#[serde(default)]
struct Buttons {
    go: String,
    goto: String,
    /// An entry of the register picked in the business step (its credit code).
    pick: String,
}

/// A multipart body: its text fields, and what a [`Files`] made of its non-empty file fields.
pub(crate) struct Parts<F> {
    pub text: Vec<(String, String)>,
    pub files: Vec<F>,
}

/// What is done with each file field of a multipart body as it streams in.
pub(crate) trait Files {
    type File;
    /// Reads one file field to its end: nothing if it is empty.
    async fn read(&mut self, field: multer::Field<'_>) -> Result<Option<Self::File>, multer::Error>;
    /// A file field longer than the evidence limit (the rest of the body is not read).
    fn too_large(&self) -> Self::File;
}

/// Evidence files streamed through the checks, the location stripper and into the blob store
/// (`service::evidence::Incoming`) as they arrive: at most a chunk of each is in memory.
pub(crate) struct Uploads<'a> {
    pub services: &'a Services,
    pub client: &'a str,
}

/// A file received and written, waiting to be registered; or why it was refused.
pub(crate) type Upload = Result<service::evidence::Received, AppError>;

impl Files for Uploads<'_> {
    type File = Upload;

    async fn read(&mut self, mut field: multer::Field<'_>) -> Result<Option<Upload>, multer::Error> {
        // An empty file field (no file chosen) spends no budget; it may come as an empty chunk.
        let first = loop {
            match field.chunk().await? {
                None => return Ok(None),
                Some(c) if c.is_empty() => continue,
                Some(c) => break c,
            }
        };
        let now = time::OffsetDateTime::now_utc();
        let (mut incoming, mut failed) = match service::evidence::begin_upload(self.services, self.client, now).await {
            Ok(i) => (Some(i), None),
            Err(e) => (None, Some(e)),
        };
        let mut chunk = Some(first);
        while let Some(c) = chunk {
            if let (Some(i), None) = (incoming.as_mut(), &failed) {
                failed = i.push(self.services, &c).await.err();
            }
            chunk = field.chunk().await?;
        }
        Ok(Some(match (incoming, failed) {
            (_, Some(e)) => Err(e),
            (Some(i), None) => i.finish(self.services, now).await,
            (None, None) => Err(AppError::Internal),
        }))
    }

    fn too_large(&self) -> Upload {
        Err(AppError::Invalid(vec![FieldError::new(
            "evidence",
            app::domain::Invalid::FileTooLarge { max_mb: (evidence::MAX_BYTES >> 20) as u32 },
        )]))
    }
}

pub(crate) async fn read_multipart<F: Files>(
    headers: &axum::http::HeaderMap,
    body: Body,
    files: &mut F,
) -> Result<Parts<F::File>, Response> {
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
        let read = if field.file_name().is_some() {
            files.read(field).await.map(|f| out.files.extend(f))
        } else {
            field.bytes().await.map(|t| out.text.push((name, String::from_utf8_lossy(&t).into_owned())))
        };
        match read {
            Ok(()) => {}
            Err(multer::Error::FieldSizeExceeded { .. }) => {
                out.files.push(files.too_large());
                // The rest of the stream is not read: a too-large file ends the request.
                break;
            }
            Err(multer::Error::StreamSizeExceeded { .. }) => return Err(too_large()),
            Err(_) => return Err(bad()),
        }
    }
    Ok(out)
}

/// `POST /file/evidence`: one file in the field `file`, and `draft`, the upload token the server
/// gave with the draft's first file (empty for the first). Answers `{"id", "kind", "size",
/// "draft"}` or a field error (JSON), for the page with JavaScript. The server counts the draft's
/// files under the token.
pub async fn upload(State(services): State<Services>, ClientAddr(client): ClientAddr, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let now = time::OffsetDateTime::now_utc();
    // An address known to have spent its uploads is refused before its body is read.
    if let Some(e) = service::budget::uploads_spent(&services.budgets, &client, now) {
        return refused(e);
    }
    let Ok(_slot) = UPLOAD_SLOTS.try_acquire() else { return busy() };
    let form = match read_multipart(&parts.headers, body, &mut Uploads { services: &services, client: &client }).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let draft = form.text.iter().find(|(k, _)| k == "draft").map(|(_, v)| v.as_str()).unwrap_or_default();
    let result = match form.files.into_iter().next() {
        Some(Ok(received)) => service::evidence::register(&services, received, draft, now).await,
        Some(Err(e)) => Err(e),
        None => Err(AppError::Invalid(vec![FieldError::new("evidence", app::domain::Invalid::Required)])),
    };
    match result {
        Ok(u) => {
            let r = u.record;
            axum::Json(serde_json::json!({ "id": r.id, "kind": r.kind.code(), "size": r.size, "draft": u.draft }))
                .into_response()
        }
        Err(e) => refused(e),
    }
}

/// The page reads the field errors: JSON here, not the plain text of other routes.
fn refused(e: AppError) -> Response {
    (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), axum::Json(e)).into_response()
}

/// How many requests with files one server reads at once: each holds a chunk of its file in
/// memory while it streams to the blob store, and a file on the spool's disk until it is
/// filed. Beyond, an upload is answered 503 with `Retry-After` at once. A province's online
/// filings bring a few files a minute.
pub const MAX_UPLOADS_AT_ONCE: usize = 16;
pub(crate) static UPLOAD_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_UPLOADS_AT_ONCE);

/// An upload slot for a post with files (`Err` when every slot is taken); a post without files
/// needs none.
pub(crate) fn upload_slot(
    headers: &axum::http::HeaderMap,
) -> Result<Option<tokio::sync::SemaphorePermit<'static>>, tokio::sync::TryAcquireError> {
    if is_multipart(headers) {
        UPLOAD_SLOTS.try_acquire().map(Some)
    } else {
        Ok(None)
    }
}

pub(crate) fn busy() -> Response {
    let mut res = (StatusCode::SERVICE_UNAVAILABLE, "服务器繁忙，请稍后再试 / The server is busy: try again shortly")
        .into_response();
    res.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from_static("2"));
    res
}

pub(crate) fn is_multipart(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"))
}

/// The form's body as URL-encoded bytes, and the files of a multipart body, received and
/// written, waiting to be registered.
pub(crate) async fn read_body(
    headers: &axum::http::HeaderMap,
    body: Body,
    uploads: &mut Uploads<'_>,
) -> Result<(Vec<u8>, Vec<Upload>), Response> {
    if is_multipart(headers) {
        let p = read_multipart(headers, body, uploads).await?;
        Ok((serde_urlencoded::to_string(&p.text).unwrap_or_default().into_bytes(), p.files))
    } else {
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| too_large())?;
        Ok((bytes.to_vec(), Vec::new()))
    }
}

/// `POST /file`: one step of the form without JavaScript.
pub async fn submit(
    State(services): State<Services>,
    Extension(pages): Extension<Pages>,
    ClientAddr(client): ClientAddr,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(_slot) = upload_slot(&parts.headers) else { return busy() };
    let (bytes, files) =
        match read_body(&parts.headers, body, &mut Uploads { services: &services, client: &client }).await {
            Ok(b) => b,
            Err(res) => return res,
        };
    let (Ok(mut form), Ok(buttons)) =
        (serde_urlencoded::from_bytes::<FilingForm>(&bytes), serde_urlencoded::from_bytes::<Buttons>(&bytes))
    else {
        return unreadable();
    };
    let now = time::OffsetDateTime::now_utc();
    let mut upload_errors = Vec::new();
    for file in files {
        let stored = match file {
            Ok(received) => service::evidence::register(&services, received, &form.draft, now).await,
            Err(e) => Err(e),
        };
        if let Ok(u) = &stored {
            form.draft = u.draft.clone();
        }
        match stored.map(|u| u.record) {
            Ok(r) if form.evidence.is_empty() => form.evidence = r.id,
            Ok(r) => form.evidence = format!("{},{}", form.evidence, r.id),
            Err(AppError::Invalid(errs)) => upload_errors.extend(errs),
            Err(e) => return e.into_response(),
        }
    }
    if form.key.is_empty() {
        form.key = format!("n-{}", hex::encode(rand::random::<[u8; 16]>()));
    }
    let today = app::domain::clock::china_date(now);
    let current = form.step();
    let mut errors = Vec::new();
    let to = if !upload_errors.is_empty() || buttons.go == "upload" {
        errors = upload_errors;
        Step::Evidence
    } else if let Some(step) = Step::from_code(&buttons.goto) {
        step
    } else if !buttons.pick.is_empty() {
        // The business named as the register has it; the step again, to check what was filled.
        match service::register::entry_for_filing(&services, &buttons.pick).await {
            Ok(Some(entry)) => form.take_business(&entry),
            Ok(None) => {}
            Err(e) => return e.into_response(),
        }
        Step::Business
    } else if buttons.go == "lookup" {
        Step::Business // the step again, with the register's entries for the name
    } else {
        match buttons.go.as_str() {
            "back" => form.prev(current),
            "submit" => {
                match service::filing::file_online(&services, &form, &client, lang_of(&parts.headers), now).await {
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
                }
            }
            _ => {
                errors = form.check_step(current, today);
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
