//! Evidence uploads counted by the server: the files of a draft under the upload token the
//! server issued (never a count the client sends), the hourly budget of an address, the cap on
//! bytes waiting to be filed, and a file that is no evidence refused from its first bytes. The
//! counters live in the database: both databases.

use crate::common::{self, send_from, App, Reply};
use crate::filing::{multipart, BOUNDARY};
use app::ports::Store;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::sync::Arc;

fn app_on(store: Arc<dyn Store>, edit: impl FnOnce(&mut app::service::budget::Budgets)) -> App {
    let mut state = common::app_state(store.clone(), false);
    edit(&mut state.services.budgets);
    App::new(state, store, tempfile::tempdir().unwrap())
}

async fn upload(app: &App, draft: &str, bytes: &[u8], client: &str) -> Reply {
    let req = Request::post("/file/evidence")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(multipart(&[("draft", draft)], Some(("file", bytes)))))
        .unwrap();
    send_from(app, req, client).await
}

fn json(r: &Reply) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|_| panic!("{}: {}", r.status, r.body))
}

async fn a_draft_has_five_files_counted_by_the_server(store: Arc<dyn Store>) {
    let app = app_on(store, |_| {});
    let first = upload(&app, "", b"%PDF-1.4 one", "10.1.0.1").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let draft = json(&first)["draft"].as_str().unwrap().to_owned();
    assert!(!draft.is_empty(), "the server issues the draft's upload token");
    for i in 2..=5 {
        let r = upload(&app, &draft, format!("%PDF-1.4 {i}").as_bytes(), "10.1.0.1").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(json(&r)["draft"], draft.as_str(), "the same draft");
    }
    let sixth = upload(&app, &draft, b"%PDF-1.4 six", "10.1.0.1").await;
    assert_eq!(sixth.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(sixth.body.contains("TooManyFiles"), "{}", sixth.body);
    // An invented token is no draft of this server's: a new draft begins under a new token.
    let forged = format!("{}.{}", "a".repeat(32), "b".repeat(32));
    let r = upload(&app, &forged, b"%PDF-1.4 other", "10.1.0.1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_ne!(json(&r)["draft"], forged.as_str());
    // What the client says it has is not asked: an old page's `count` changes nothing.
    let req = Request::post("/file/evidence")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(multipart(&[("draft", &draft), ("count", "0")], Some(("file", b"%PDF-1.4 x")))))
        .unwrap();
    assert!(send_from(&app, req, "10.1.0.1").await.body.contains("TooManyFiles"));
}

async fn an_address_has_an_hourly_upload_budget(store: Arc<dyn Store>) {
    let app = app_on(store, |b| b.uploads_per_address = 3);
    for i in 0..3 {
        let r = upload(&app, "", format!("%PDF-1.4 {i}").as_bytes(), "10.2.0.1").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = upload(&app, "", b"%PDF-1.4 fourth", "10.2.0.1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let v = json(&r);
    assert_eq!(v["Invalid"][0]["field"], "evidence", "{v}");
    assert_eq!(v["Invalid"][0]["invalid"]["TooManyUploads"]["per_hour"], 3, "{v}");
    // Known to be spent, the address is refused before its body is read: one that never ends.
    let req = Request::post("/file/evidence")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from_stream(futures_util::stream::pending::<Result<axum::body::Bytes, std::io::Error>>()))
        .unwrap();
    let r = send_from(&app, req, "10.2.0.1").await;
    assert!(r.body.contains("TooManyUploads"), "{}", r.body);
    // Another address is not held up.
    assert_eq!(upload(&app, "", b"%PDF-1.4 elsewhere", "10.2.0.2").await.status, StatusCode::OK);
}

async fn uploads_pause_while_too_many_bytes_wait_to_be_filed(store: Arc<dyn Store>) {
    let app = app_on(store.clone(), |b| b.pending_upload_bytes = 100);
    let r = upload(&app, "", &[b"%PDF-1.4 ".as_slice(), &[b'x'; 60]].concat(), "10.3.0.1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = upload(&app, "", &[b"%PDF-1.4 ".as_slice(), &[b'y'; 60]].concat(), "10.3.0.2").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("UploadsPaused"), "{}", r.body);
    assert_eq!(store.pending_evidence_bytes().await.unwrap(), 69, "nothing more was stored");
}

async fn a_file_that_is_no_evidence_is_refused_from_its_first_bytes(store: Arc<dyn Store>) {
    let app = app_on(store.clone(), |_| {});
    // 9 MB of text named photo.jpg: refused as to its type, and nothing kept.
    let text = vec![b'a'; 9 << 20];
    let r = upload(&app, "", &text, "10.4.0.1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("FileType"), "{}", r.body);
    assert_eq!(store.pending_evidence_bytes().await.unwrap(), 0);
    // Without JavaScript, the rest of the form still arrives: the step comes back with the error.
    let p = [("step", "evidence"), ("kind", "complaint"), ("go", "upload")];
    let req = Request::post("/file")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(multipart(&p, Some(("evidence_file", &text)))))
        .unwrap();
    let r = send_from(&app, req, "10.4.0.1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("evidence-error"), "{}", r.body);
}

on_both_databases!(
    a_draft_has_five_files_counted_by_the_server,
    an_address_has_an_hourly_upload_budget,
    uploads_pause_while_too_many_bytes_wait_to_be_filed,
    a_file_that_is_no_evidence_is_refused_from_its_first_bytes,
);
