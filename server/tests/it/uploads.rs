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

/// The app over `store` with its evidence in `dir` (its spool in `dir/.incoming`).
fn app_with_blobs(store: Arc<dyn Store>, dir: &std::path::Path) -> App {
    let mut state = common::app_state(store.clone(), false);
    state.services.blobs = Arc::new(server::store::blobs::ObjectBlobStore::local(dir).unwrap());
    App::new(state, store, tempfile::tempdir().unwrap())
}

fn spooled_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir.join(".incoming")).unwrap().flatten().map(|e| e.metadata().unwrap().len()).sum()
}

/// A multipart body whose file field holds `file`, sent in 64 KB chunks through a channel.
fn streamed(file: &[u8]) -> (Vec<axum::body::Bytes>, axum::body::Bytes) {
    let body = multipart(&[("draft", "")], Some(("file", file)));
    let (head, last) = body.split_at(body.len() - 64);
    (head.chunks(64 << 10).map(axum::body::Bytes::copy_from_slice).collect(), axum::body::Bytes::copy_from_slice(last))
}

async fn an_upload_is_written_to_the_disk_as_it_arrives(store: Arc<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with_blobs(store.clone(), dir.path());
    let file = [b"%PDF-1.4 ".as_slice(), &vec![b'x'; 8 << 20]].concat();
    let (chunks, last) = streamed(&file);
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(1);
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async { rx.recv().await.map(|c| (c, rx)) }));
    let req = Request::post("/file/evidence")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body)
        .unwrap();
    let sender = async {
        for c in chunks {
            tx.send(Ok(c)).await.unwrap();
        }
        // All but the last 64 bytes are sent: the file is on the disk already, not in memory
        // (but for what the multipart reader holds back to look for the boundary).
        let mut seen = 0;
        for _ in 0..200 {
            seen = spooled_bytes(dir.path());
            if seen >= (8 << 20) - (64 << 10) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        tx.send(Ok(last)).await.unwrap();
        drop(tx);
        seen
    };
    let (seen, r) = tokio::join!(sender, send_from(&app, req, "10.5.0.1"));
    assert!(seen >= (8 << 20) - (64 << 10), "{seen} bytes were on the disk before the body ended");
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = json(&r)["id"].as_str().unwrap().to_owned();
    assert_eq!(std::fs::read(dir.path().join(&id)).unwrap(), file, "kept whole, in its place");
    assert_eq!(spooled_bytes(dir.path()), 0, "nothing left in the spool");
    assert_eq!(store.pending_evidence_bytes().await.unwrap(), file.len() as i64);
}

async fn an_upload_cut_off_leaves_nothing_behind(store: Arc<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with_blobs(store.clone(), dir.path());
    let (chunks, _) = streamed(&[b"%PDF-1.4 ".as_slice(), &vec![b'x'; 4 << 20]].concat());
    let mut parts: Vec<Result<axum::body::Bytes, std::io::Error>> = chunks.into_iter().take(40).map(Ok).collect();
    parts.push(Err(std::io::Error::other("the connection dropped")));
    let req = Request::post("/file/evidence")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from_stream(futures_util::stream::iter(parts)))
        .unwrap();
    let r = send_from(&app, req, "10.6.0.1").await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.body);
    assert_eq!(spooled_bytes(dir.path()), 0, "the unfinished file was removed");
    assert_eq!(store.pending_evidence_bytes().await.unwrap(), 0);
}

async fn a_heic_whose_location_cannot_be_removed_as_it_streams_is_refused(store: Arc<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let app = app_with_blobs(store.clone(), dir.path());
    // `ftyp`, then a `meta` box larger than the stripper holds while it reads where the items are.
    let mut file = [&24u32.to_be_bytes()[..], b"ftypheic", &[0; 12]].concat();
    let meta = (2u32 << 20) + 8;
    file.extend_from_slice(&meta.to_be_bytes());
    file.extend_from_slice(b"meta");
    file.resize(file.len() + (2 << 20), 0);
    let r = upload(&app, "", &file, "10.7.0.1").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("PhotoLayout"), "{}", r.body);
    assert_eq!(spooled_bytes(dir.path()), 0);
    assert_eq!(store.pending_evidence_bytes().await.unwrap(), 0);
    // The message says what to do, in each language.
    for lang in [app::i18n::Lang::Zh, app::i18n::Lang::En] {
        assert!(app::i18n::invalid(lang, &app::domain::Invalid::PhotoLayout).contains("JPEG"));
    }
}

async fn an_empty_file_field_without_javascript_is_no_upload(store: Arc<dyn Store>) {
    let app = app_on(store.clone(), |b| b.uploads_per_address = 1);
    // The form without JavaScript always sends its file field, empty when no file was chosen.
    for _ in 0..2 {
        let p = [("step", "evidence"), ("kind", "complaint"), ("go", "next")];
        let req = Request::post("/file")
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Body::from(multipart(&p, Some(("evidence_file", b"")))))
            .unwrap();
        let r = send_from(&app, req, "10.8.0.1").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!r.body.contains("evidence-error"), "no error on the evidence field");
        assert!(r.body.contains("核对并提交"), "the next step, the review");
    }
    // No budget was spent on them.
    assert_eq!(upload(&app, "", b"%PDF-1.4 one", "10.8.0.1").await.status, StatusCode::OK);
}

on_both_databases!(
    an_empty_file_field_without_javascript_is_no_upload,
    an_upload_is_written_to_the_disk_as_it_arrives,
    an_upload_cut_off_leaves_nothing_behind,
    a_heic_whose_location_cannot_be_removed_as_it_streams_is_refused,
);

/// A file larger than one part of an S3 multipart upload goes into the bucket in parts, and
/// reads back as it was written.
#[tokio::test]
async fn a_large_file_goes_into_the_bucket_in_parts() {
    let blobs = common::s3_blobs();
    let file: Vec<u8> = (0..(7u32 << 20)).map(|i| (i % 251) as u8).collect();
    let mut w = app::ports::BlobStore::writer(&blobs, "large-file").await.unwrap();
    for c in file.chunks(64 << 10) {
        w.write(c).await.unwrap();
    }
    w.commit().await.unwrap();
    assert_eq!(app::ports::BlobStore::get(&blobs, "large-file").await.unwrap().as_deref(), Some(&file[..]));
    // A writer dropped before it commits leaves nothing in the bucket.
    let mut w = app::ports::BlobStore::writer(&blobs, "never-kept").await.unwrap();
    w.write(b"%PDF-1.4").await.unwrap();
    drop(w);
    assert_eq!(app::ports::BlobStore::get(&blobs, "never-kept").await.unwrap(), None);
}
