//! Filing online through the real router: the server function (as the browser sends it, and
//! with the browser's checks bypassed) and the plain-form steps used without JavaScript.

use crate::common;
use crate::common::{app, send, App, Reply};

use app::domain::filing::FilingForm;
use app::server_fns::filing::FileCase;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use leptos::server_fn::ServerFn;
use std::sync::Arc;

fn today() -> String {
    app::domain::calendar::format_date(app::domain::clock::china_date(time::OffsetDateTime::now_utc()))
}

fn form() -> FilingForm {
    FilingForm {
        consumer_phone: "138 1234 1234".into(),
        ..app::domain::filing::sample_complaint(&today(), "test-key-0123456789")
    }
}

async fn file_json(app: &App, form: &FilingForm) -> Reply {
    let body = serde_json::json!({ "form": form }).to_string();
    let req = Request::post(<FileCase as ServerFn>::PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

/// Files `form` through the server function, expects it accepted, and reads the case back.
async fn filed(app: &App, form: &FilingForm) -> app::ports::StoredCase {
    let r = file_json(app, form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let no: String = serde_json::from_str(&r.body).unwrap();
    app.store.get(&app::domain::case::CaseNo::parse(&no).unwrap()).await.unwrap().expect("stored")
}

async fn post_form(app: &App, pairs: &[(&str, &str)]) -> Reply {
    let body = serde_urlencoded::to_string(pairs).unwrap();
    let req = Request::post("/file")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

fn pairs(f: &FilingForm) -> Vec<(String, String)> {
    let v = serde_json::to_value(f).unwrap();
    v.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect()
}

async fn count(app: &App) -> usize {
    let mut n = 0;
    for i in 1..50 {
        if app
            .store
            .get(&app::domain::case::CaseNo::new(time::OffsetDateTime::now_utc().year(), i))
            .await
            .unwrap()
            .is_some()
        {
            n += 1;
        }
    }
    n
}

fn receipt_cookie(r: &Reply) -> String {
    let c = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Path=/file/done"), "{c}");
    c.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_valid_filing_gets_a_case_number_and_a_receipt_shown_once() {
    let app = app().await;
    let r = file_json(&app, &form()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let no: String = serde_json::from_str(&r.body).unwrap();
    assert!(no.starts_with("QH-"));
    let cookie = receipt_cookie(&r);
    let page = send(
        &app,
        Request::get(format!("/file/done/{no}")).header(header::COOKIE, &cookie).body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&no));
    let code = cookie.split(':').nth(1).unwrap();
    assert!(page.body.contains(&format!("{}-{}", &code[..4], &code[4..])), "the code is shown");
    assert!(page.body.contains("<svg"), "a QR code");
    assert!(page.body.contains("城东区市场监督管理局"));
    let cleared = page.headers.get_all(header::SET_COOKIE).iter().any(|v| v.to_str().unwrap().starts_with("receipt=;"));
    assert!(cleared, "the receipt cookie is cleared once shown");
    // Without the cookie (or with another case's), nothing about the case is shown.
    let later = send(&app, Request::get(format!("/file/done/{no}")).body(Body::empty()).unwrap()).await;
    assert!(!later.body.contains(code) && later.body.contains("回执只显示一次"));
    let forged = format!("receipt={no}:ABCDEFGH");
    let forged = send(
        &app,
        Request::get(format!("/file/done/{no}")).header(header::COOKIE, forged).body(Body::empty()).unwrap(),
    )
    .await;
    assert!(forged.body.contains("回执只显示一次"));
    let stored = app.store.get(&app::domain::case::CaseNo::parse(&no).unwrap()).await.unwrap().unwrap();
    assert_eq!(stored.content.consumer.as_ref().unwrap().phone.as_str(), "13812341234");
}

#[tokio::test]
async fn a_double_submit_files_one_case() {
    let app = app().await;
    let f = form();
    let (a, b) = tokio::join!(file_json(&app, &f), file_json(&app, &f));
    assert_eq!((a.status, b.status), (StatusCode::OK, StatusCode::OK));
    assert_eq!(a.body, b.body);
    assert_eq!(receipt_cookie(&a), receipt_cookie(&b), "the retry gets the same code");
    assert_eq!(count(&app).await, 1);
}

#[tokio::test]
async fn the_server_refuses_every_invalid_field_even_without_the_browser_check() {
    let app = app().await;
    let mut bad = form();
    bad.facts = "a".repeat(1 << 20);
    bad.consumer_phone = "12345".into();
    bad.consumer_name = "张\u{0}三".into();
    bad.business_credit_code = "91350100M000100Y44".into();
    bad.amount_paid = "-5".into();
    bad.incident_on = "2999-01-01".into();
    bad.category = "R01".into();
    bad.demand = "revenge".into();
    let r = file_json(&app, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &r.body[..r.body.len().min(300)]);
    let err: app::error::AppError = serde_json::from_str(&r.body).unwrap();
    let app::error::AppError::Invalid(fields) = err else { panic!("{err:?}") };
    let mut names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "amount_paid",
            "business_credit_code",
            "category",
            "consumer_name",
            "consumer_phone",
            "demand",
            "facts",
            "incident_on"
        ]
    );
    assert_eq!(count(&app).await, 0, "nothing stored");
    let mut no_key = form();
    no_key.key = "x".into();
    assert_eq!(file_json(&app, &no_key).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let garbage = Request::post(<FileCase as ServerFn>::PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    let r = send(&app, garbage).await;
    assert!(r.status.is_client_error(), "{}", r.status);
}

#[tokio::test]
async fn markup_and_sql_are_stored_as_text_and_rendered_escaped() {
    let app = app().await;
    let mut f = form();
    f.facts = "<script>alert('x')</script>'); DROP TABLE cases; -- 洗衣机坏了".into();
    f.business_name = "<b>商店</b>".into();
    let stored = filed(&app, &f).await;
    assert_eq!(stored.content.facts.as_str(), f.facts);
    // The review step without JavaScript shows what was typed, escaped.
    let p = pairs(&f);
    let mut v: Vec<(&str, &str)> = p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    v.push(("goto", "review"));
    let page = post_form(&app, &v).await;
    assert!(!page.body.contains("<b>商店</b>"));
    assert!(page.body.contains("&lt;b&gt;商店&lt;/b&gt;"));
}

#[tokio::test]
async fn without_javascript_each_step_posts_and_is_checked_on_the_server() {
    let app = app().await;
    let r = post_form(&app, &[("step", "kind"), ("go", "next")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("请修改以下内容") && r.body.contains("此项必填。"));
    assert!(r.body.contains("您要办理什么"), "stays on the kind step, which comes first");
    // A complaint is asked the scope questions next; nothing answered stays there.
    let r = post_form(&app, &[("step", "kind"), ("kind", "complaint"), ("go", "next")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("先确认能否受理"));
    let r = post_form(&app, &[("step", "scope"), ("kind", "complaint"), ("go", "next")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("先确认能否受理"), "stays on the scope step");
    // A report goes from the kind to the business: the complaint's questions are not asked.
    let r = post_form(&app, &[("step", "kind"), ("kind", "report"), ("go", "next")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("经营者信息") && !r.body.contains("这是您与经营者（商家）之间的纠纷吗？"));
    // And a whole report posted without the scope answers is filed.
    let mut report = form();
    report.key = "report-without-scope-0123456789".into();
    (report.kind, report.category, report.demand) = ("report".into(), "R02".into(), String::new());
    for q in app::domain::filing::SCOPE_QUESTIONS {
        app::domain::filing::set_field(&mut report, q, String::new());
    }
    let p = pairs(&report);
    let mut v: Vec<(&str, &str)> = p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    v.push(("go", "submit"));
    let elsewhere = crate::common::app().await;
    let r = post_form(&elsewhere, &v).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(count(&elsewhere).await, 1);
    // A scope answer that points to a refusal is named with its ground, and the complaint may still be filed.
    let r = post_form(
        &app,
        &[
            ("step", "scope"),
            ("kind", "complaint"),
            ("personal_use", "yes"),
            ("business_dispute", "yes"),
            ("other_body", "yes"),
            ("within_limitation", "yes"),
            ("go", "next"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("很可能依法不予受理") && r.body.contains("已经受理或者处理过同一争议"), "ground 2");
    assert!(r.body.contains("您仍然可以提交投诉"));
    assert!(r.body.contains("经营者信息"), "the notice heads the business step: the complaint goes on");
    assert!(r.body.contains("请在该机构继续办理"));
    // The key that identifies this draft was made by the server and travels in the form.
    assert!(r.body.contains("name=\"key\" value=\"n-"));
    // The final submission files the case and redirects to the receipt.
    let p = pairs(&form());
    let mut v: Vec<(&str, &str)> = p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    v.push(("go", "submit"));
    let r = post_form(&app, &v).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.headers[header::LOCATION].to_str().unwrap().starts_with("/file/done/QH-"));
    receipt_cookie(&r);
    // The same submission again (a retry) files nothing new.
    let again = post_form(&app, &v).await;
    assert_eq!(again.headers[header::LOCATION], r.headers[header::LOCATION]);
    assert_eq!(count(&app).await, 1);
    // A submission with a bad field goes back to that field's step with the error.
    let mut bad = form();
    bad.key = "another-key-0123456789".into();
    bad.consumer_phone = "123".into();
    let p = pairs(&bad);
    let mut v: Vec<(&str, &str)> = p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    v.push(("go", "submit"));
    let r = post_form(&app, &v).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("您的联系方式") && r.body.contains("请输入11位手机号码"));
    assert_eq!(count(&app).await, 1);
}

#[tokio::test]
async fn a_form_too_large_to_read_is_refused_with_413() {
    let app = app().await;
    let big = "a".repeat(server::forms::MAX_FORM_BYTES + 10);
    let r = post_form(&app, &[("facts", big.as_str()), ("go", "next")]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_complaint_that_also_reports_a_violation_is_filed_as_two_linked_items() {
    let app = app().await;
    let f = FilingForm { also_report: "on".into(), report_category: "R07".into(), ..form() };
    let r = file_json(&app, &f).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let no: String = serde_json::from_str(&r.body).unwrap();
    let complaint = app.store.get(&app::domain::case::CaseNo::parse(&no).unwrap()).await.unwrap().unwrap();
    let report_no = complaint.linked_case_no.clone().expect("linked report");
    let report = app.store.get(&report_no).await.unwrap().unwrap();
    assert_eq!(report.kind, app::domain::kind::ItemKind::Report);
    assert_eq!(report.content.category, "R07");
    assert_eq!(report.linked_case_no.as_ref(), Some(&complaint.case_no));
    // One query code follows both.
    let cookie = receipt_cookie(&r);
    let code = app::domain::case::QueryCode::parse(cookie.split(':').nth(1).unwrap()).unwrap();
    let hash = app.store.query_hash(&report_no).await.unwrap().unwrap();
    assert!(app::service::codes::query_code_matches(&code, &hash));
    let page = send(
        &app,
        Request::get(format!("/file/done/{no}")).header(header::COOKIE, &cookie).body(Body::empty()).unwrap(),
    )
    .await;
    assert!(page.body.contains(report_no.as_str()));
    // A retry files neither again.
    file_json(&app, &f).await;
    assert_eq!(count(&app).await, 2);
    // Without a topic for the report, nothing is filed.
    let mut bad = form();
    bad.key = "third-key-0123456789".into();
    bad.also_report = "on".into();
    let r = file_json(&app, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("report_category"));
    assert_eq!(count(&app).await, 2);
}

pub(crate) const BOUNDARY: &str = "----portal-test-boundary";

pub(crate) fn multipart(text: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in text {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub(crate) async fn post_multipart(app: &App, uri: &str, body: Vec<u8>) -> Reply {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

/// Uploads a JPEG holding a GPS position; checks that `blobs` keeps it as a JPEG without the
/// position; returns the upload's id.
async fn upload_photo_without_location(app: &App, blobs: &dyn app::ports::BlobStore) -> String {
    let r = post_multipart(app, "/file/evidence", multipart(&[], Some(("file", &jpeg_with_gps())))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["kind"], "jpeg");
    let id = v["id"].as_str().unwrap().to_owned();
    let blob = blobs.get(&id).await.unwrap().expect("stored");
    assert!(!blob.windows(11).any(|w| w == b"GPSLatitude"), "location removed");
    assert_eq!(&blob[..3], &[0xFF, 0xD8, 0xFF]);
    id
}

/// Files a complaint naming the uploaded file `id` and checks the case has it attached.
async fn file_with_evidence(app: &App, id: &str) {
    let mut f = form();
    f.evidence = id.to_owned();
    let no = filed(app, &f).await.case_no;
    let attached = app.store.evidence_of(&no).await.unwrap();
    assert_eq!(attached.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [id]);
}

/// A minimal JPEG with an EXIF block that holds a (fake) GPS position: the application's own
/// test fixture.
#[path = "../../../app/src/metadata/jpeg_fixture.rs"]
mod jpeg_fixture;
use jpeg_fixture::jpeg_with_exif as jpeg_with_gps;

#[tokio::test]
async fn evidence_is_checked_by_its_bytes_stripped_of_location_and_attached_on_filing() {
    let app = app().await;
    let state = common::app_state(app.store.clone(), false);
    let id = upload_photo_without_location(&app, state.services.blobs.as_ref()).await;

    // A script named photo.jpg is refused, whatever its name and declared type.
    let r = post_multipart(&app, "/file/evidence", multipart(&[], Some(("file", b"<script>alert(1)</script>")))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("FileType"), "{}", r.body);
    // Over 10 MB.
    let mut big = vec![0xFF, 0xD8, 0xFF];
    big.resize(app::domain::evidence::MAX_BYTES + 1, 0);
    let r = post_multipart(&app, "/file/evidence", multipart(&[], Some(("file", &big)))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("FileTooLarge"), "{}", r.body);
    // A sixth file of a draft: `uploads.rs`.

    file_with_evidence(&app, &id).await;
    // An id that is not a 32-digit hex string is refused, never used as a path.
    let mut bad = form();
    bad.key = "fourth-key-0123456789".into();
    bad.evidence = "../../etc/passwd".into();
    assert_eq!(file_json(&app, &bad).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn without_javascript_the_evidence_step_uploads_with_the_form() {
    let app = app().await;
    let f = FilingForm { step: "evidence".into(), ..form() };
    let p = pairs(&f);
    let mut text: Vec<(&str, &str)> = p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    text.push(("go", "upload"));
    let r =
        post_multipart(&app, "/file", multipart(&text, Some(("evidence_file", b"\x89PNG\r\n\x1a\n\0\0\0\0")))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", &r.body[..r.body.len().min(400)]);
    assert!(r.body.contains("已上传 1 个文件"));
    let r = post_multipart(&app, "/file", multipart(&text, Some(("evidence_file", b"GIF89a....")))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("只能上传照片（JPEG、PNG、WebP、HEIC）或PDF文件。"));
    // The other steps post as multipart too and keep working.
    let mut next: Vec<(&str, &str)> = p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    next.push(("go", "next"));
    let r = post_multipart(&app, "/file", multipart(&next, None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("核对并提交"));
}

#[tokio::test]
async fn a_post_from_another_site_is_refused() {
    let app = app().await;
    let body = serde_json::json!({ "form": form() }).to_string();
    // A post to `path` of `ctype` from the page named by `from` (an Origin or a Referer header).
    let post = |path: &str, ctype: &str, from: (header::HeaderName, &str), body: String| {
        Request::post(path)
            .header(header::CONTENT_TYPE, ctype)
            .header(header::HOST, "127.0.0.1:3000")
            .header(from.0, from.1)
            .body(Body::from(body))
            .unwrap()
    };
    let (json, form_type) = ("application/json", "application/x-www-form-urlencoded");
    let cross = post(<FileCase as ServerFn>::PATH, json, (header::ORIGIN, "https://evil.example"), body.clone());
    assert_eq!(send(&app, cross).await.status, StatusCode::FORBIDDEN);
    let referer = (header::REFERER, "http://127.0.0.1:3000.evil.example/file");
    assert_eq!(send(&app, post("/file", form_type, referer, "go=next".into())).await.status, StatusCode::FORBIDDEN);
    // A page that hides its origin gets `Origin: null`: refused too.
    let hidden = post("/file", form_type, (header::ORIGIN, "null"), "go=next".into());
    assert_eq!(send(&app, hidden).await.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app).await, 0);
    let same = post(<FileCase as ServerFn>::PATH, json, (header::ORIGIN, "http://127.0.0.1:3000"), body);
    assert_eq!(send(&app, same).await.status, StatusCode::OK);
}

#[tokio::test]
async fn evidence_of_an_abandoned_draft_is_deleted_after_a_day() {
    let app = app().await;
    let state = common::app_state(app.store.clone(), false);
    let services = &state.services;
    let now = time::OffsetDateTime::now_utc();
    let kept = common::upload(services, b"%PDF-1.4 kept", now - time::Duration::hours(30)).await;
    let old = common::upload(services, b"%PDF-1.4 old", now - time::Duration::hours(25)).await;
    let fresh = common::upload(services, b"%PDF-1.4 new", now - time::Duration::hours(1)).await;
    // `kept` was filed: it is never purged.
    let mut f = form();
    f.evidence = kept.id.clone();
    assert_eq!(file_json(&app, &f).await.status, StatusCode::OK);
    assert_eq!(app::service::evidence::purge_abandoned_evidence(services, now).await.unwrap(), 1);
    assert!(services.blobs.get(&old.id).await.unwrap().is_none());
    assert!(services.blobs.get(&fresh.id).await.unwrap().is_some());
    assert!(services.blobs.get(&kept.id).await.unwrap().is_some());
    assert_eq!(app::service::evidence::purge_abandoned_evidence(services, now).await.unwrap(), 0);
}

/// A blob is written once in either store: a second write of its key is refused, the first kept.
async fn written_once(blobs: &dyn app::ports::BlobStore) {
    blobs.put("0123abcd", b"%PDF-1.4 first".to_vec()).await.unwrap();
    assert!(blobs.put("0123abcd", b"%PDF-1.4 second".to_vec()).await.is_err());
    let mut w = blobs.writer("0123abcd").await.unwrap();
    w.write(b"%PDF-1.4 third").await.unwrap();
    assert!(w.commit().await.is_err());
    assert_eq!(blobs.get("0123abcd").await.unwrap().as_deref(), Some(&b"%PDF-1.4 first"[..]));
}

#[tokio::test]
async fn a_blob_on_disk_is_written_once() {
    let dir = tempfile::tempdir().unwrap();
    written_once(&server::store::blobs::ObjectBlobStore::local(dir.path()).unwrap()).await;
}

#[tokio::test]
async fn evidence_is_kept_in_s3_compatible_storage_when_configured() {
    use app::ports::BlobStore;
    let blobs = common::s3_blobs();
    blobs.check().await.expect("the S3 server answers");

    // The port's contract, against a real S3 API.
    assert_eq!(blobs.get("0123abcd").await.unwrap(), None);
    // Written once (Garage itself would overwrite).
    written_once(&blobs).await;
    blobs.delete("0123abcd").await.unwrap();
    assert_eq!(blobs.get("0123abcd").await.unwrap(), None);
    blobs.delete("0123abcd").await.expect("deleting a missing blob is not an error");

    // Another prefix (another deployment in the same bucket) does not see these objects.
    blobs.put("shared-key", b"one".to_vec()).await.unwrap();
    assert_eq!(common::s3_blobs().get("shared-key").await.unwrap(), None);

    // An upload through the router lands in the bucket, stripped of its location, and filing
    // attaches it to the case.
    let (store, _dir) = common::sqlite().await;
    let store: Arc<dyn app::ports::Store> = Arc::new(store);
    let blobs = Arc::new(common::s3_blobs());
    let mut state = common::app_state(store.clone(), false);
    state.services.blobs = blobs.clone();
    let app = App::new(state, store, _dir);
    let id = upload_photo_without_location(&app, blobs.as_ref()).await;
    file_with_evidence(&app, &id).await;
}

#[tokio::test]
async fn a_filing_whose_file_is_gone_is_refused_whole_and_can_be_sent_again() {
    let app = app().await;
    let services = &app.state.services;
    let now = time::OffsetDateTime::now_utc();
    let kept = common::upload(services, b"%PDF-1.4 kept", now).await;
    let stale = common::upload(services, b"%PDF-1.4 stale", now - time::Duration::hours(25)).await;
    assert_eq!(app::service::evidence::purge_abandoned_evidence(services, now).await.unwrap(), 1);
    // The form names a file that is still waiting and one that was purged, and files a report
    // with the complaint: nothing of it is stored, and the consumer is told to upload again.
    let mut f = form();
    f.also_report = "on".into();
    f.report_category = "R07".into();
    f.evidence = format!("{},{}", kept.id, stale.id);
    let r = file_json(&app, &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("FileGone"), "{}", r.body);
    assert_eq!(count(&app).await, 0);
    assert_eq!(app.store.evidence_get(&kept.id).await.unwrap().expect("still pending").0, None);
    // Without JavaScript the review step comes back with the message on the evidence field.
    let p = pairs(&f);
    let mut v: Vec<(&str, &str)> = p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    v.push(("go", "submit"));
    let page = post_form(&app, &v).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("有上传的文件已失效"), "{}", page.body);
    assert_eq!(count(&app).await, 0);
    // Sent again with the files that are there, under the same key: filed once, with its file,
    // and the first number of the year (a refused filing used none).
    f.evidence = kept.id.clone();
    let no = filed(&app, &f).await.case_no;
    assert_eq!(no, app::domain::case::CaseNo::new(now.year(), 1));
    assert_eq!(app.store.evidence_of(&no).await.unwrap().len(), 1);
    assert!(app.store.get(&no).await.unwrap().unwrap().linked_case_no.is_some());
    assert_eq!(count(&app).await, 2);
}

/// An online filing is one transaction on both databases: the case, its files and its report,
/// or nothing; a repeated key returns the first filing.
async fn a_filing_is_stored_whole_or_not_at_all(store: Arc<dyn app::ports::Store>) {
    let state = common::app_state(store.clone(), false);
    let services = &state.services;
    let now = time::OffsetDateTime::now_utc();
    let file = common::upload(services, b"%PDF-1.4 one", now).await;
    let mut f = form();
    f.also_report = "on".into();
    f.report_category = "R07".into();
    f.evidence = format!("{},{}", file.id, "0".repeat(file.id.len()));
    let err = app::service::filing::file_online(services, &f, "10.9.0.1", app::i18n::Lang::Zh, now).await.unwrap_err();
    let gone = app::domain::FieldError::new("evidence", app::domain::Invalid::FileGone);
    assert_eq!(err, app::error::AppError::Invalid(vec![gone]));
    let first = app::domain::case::CaseNo::new(now.year(), 1);
    assert_eq!(store.get(&first).await.unwrap(), None);
    assert_eq!(store.evidence_get(&file.id).await.unwrap().expect("still pending").0, None);
    f.evidence = file.id.clone();
    let (no, _) = app::service::filing::file_online(services, &f, "10.9.0.1", app::i18n::Lang::Zh, now).await.unwrap();
    assert_eq!(no, first.to_string());
    let case = store.get(&first).await.unwrap().unwrap();
    let report = case.linked_case_no.clone().expect("the report");
    assert_eq!(store.get(&report).await.unwrap().unwrap().linked_case_no, Some(first.clone()));
    assert_eq!(store.evidence_get(&file.id).await.unwrap().unwrap().0, Some(first.clone()));
    // The same key again: the first filing, nothing more.
    assert_eq!(
        app::service::filing::file_online(services, &f, "10.9.0.1", app::i18n::Lang::Zh, now).await.unwrap().0,
        no
    );
    assert_eq!(store.get(&app::domain::case::CaseNo::new(now.year(), 3)).await.unwrap(), None);
}

on_both_databases!(a_filing_is_stored_whole_or_not_at_all);
