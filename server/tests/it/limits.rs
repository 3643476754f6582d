//! Staying up under hostile traffic: a panicking handler, the cap on requests in flight, body
//! limits (server functions included), and clients that send their headers too slowly.

use crate::common::{app, app_state, send, sqlite, App};
use axum::body::{Body, Bytes};
use axum::http::{header, Request, StatusCode};
use axum::routing::get;
use server::limits::{harden, Gate};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

fn get_req(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_server_goes_on() {
    let gate = Gate::new(4);
    let routes = axum::Router::new()
        .route(
            "/boom",
            get(|| async {
                if "boom".len() == 4 {
                    panic!("a handler bug");
                }
                "not reached"
            }),
        )
        .route("/ok", get(|| async { "ok" }));
    let router = harden(routes, gate.clone());
    let boom = router.clone().oneshot(get_req("/boom")).await.unwrap();
    assert_eq!(boom.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let ok = router.oneshot(get_req("/ok")).await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(gate.available(), 4, "the panicking request gave its place back");
}

#[tokio::test]
async fn when_the_server_is_full_it_answers_503_at_once_and_health_still_answers() {
    let (store, dir) = sqlite().await;
    let store: std::sync::Arc<dyn app::ports::Store> = std::sync::Arc::new(store);
    let mut state = app_state(store.clone(), false);
    state.gate = Gate::new(1);
    let app = App::new(state.clone(), store, dir);
    // An upload whose body never ends holds the only place.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    let rx = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    let mut req = Request::post("/file/evidence")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XYZ")
        .body(Body::from_stream(rx))
        .unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([10, 9, 0, 7], 40000))));
    let held = tokio::spawn(app.router.clone().oneshot(req));
    for _ in 0..500 {
        if state.gate.available() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(state.gate.available(), 0, "the upload is in flight");
    let busy = send(&app, get_req("/guide")).await;
    assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(busy.headers[header::RETRY_AFTER], "2");
    assert!(busy.body.contains("Busy"), "{}", busy.body);
    let health = send(&app, get_req("/healthz")).await;
    assert_eq!(health.status, StatusCode::OK);
    // The upload ends (cut short): its place is free again.
    drop(tx);
    let ended = held.await.unwrap().unwrap();
    assert!(ended.status().is_client_error(), "{}", ended.status());
    assert_eq!(state.gate.available(), 1);
    assert_eq!(send(&app, get_req("/guide")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_server_function_refuses_a_body_over_its_limit() {
    use app::server_fns::filing::FileCase;
    use leptos::server_fn::ServerFn;
    let app = app().await;
    let big = serde_json::json!({ "form": { "facts": "a".repeat(server::limits::SERVER_FN_BYTES) } }).to_string();
    let declared = Request::post(<FileCase as ServerFn>::PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, big.len())
        .body(Body::from(big.clone()))
        .unwrap();
    assert_eq!(send(&app, declared).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Streamed without a length, the same body is cut at the limit: still a refusal, never a 500.
    let chunks: Vec<Result<Bytes, std::io::Error>> =
        big.into_bytes().chunks(8192).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    let streamed = Request::post(<FileCase as ServerFn>::PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    let r = send(&app, streamed).await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.body);
    assert_eq!(
        server::limits::body_limit("/file", Some("multipart/form-data; boundary=x")),
        server::limits::UPLOAD_BYTES
    );
    assert_eq!(
        server::limits::body_limit("/file", Some("application/x-www-form-urlencoded")),
        server::forms::MAX_FORM_BYTES
    );
    // One file at a time to the upload of the page with JavaScript: a 50 MB body is refused
    // from its headers, before any of it is read.
    assert_eq!(
        server::limits::body_limit("/file/evidence", Some("multipart/form-data; boundary=x")),
        server::limits::ONE_UPLOAD_BYTES
    );
    let req = Request::post("/file/evidence")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XYZ")
        .header(header::CONTENT_LENGTH, 50 << 20)
        .body(Body::from_stream(futures_util::stream::pending::<Result<Bytes, std::io::Error>>()))
        .unwrap();
    assert_eq!(send(&app, req).await.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_client_that_sends_its_headers_too_slowly_is_disconnected_and_others_are_served() {
    let app = app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::serve::serve_with(
        listener,
        app.router.clone(),
        async {
            let _ = stopped.await;
        },
        Duration::from_millis(300),
    ));
    // Half a request, then nothing: the server hangs up.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: portal\r\n").await.unwrap();
    let mut buf = [0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(5), slow.read(&mut buf)).await.expect("hung up within 5 s");
    assert!(matches!(n, Ok(0) | Err(_)), "no answer to half a request: {n:?}");
    // A whole request is answered; the kept-alive connection is then closed when idle.
    let mut ok = tokio::net::TcpStream::connect(addr).await.unwrap();
    ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: portal\r\n\r\n").await.unwrap();
    let n = ok.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"), "{}", String::from_utf8_lossy(&buf[..n]));
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), ok.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "an idle kept-alive connection is closed");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
