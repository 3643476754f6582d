//! Nothing acknowledged is lost when the server is killed: the real server binary files
//! complaints from eight clients at once, is killed with SIGKILL in the middle, and every
//! filing it answered with a case number is in the database afterwards; the restarted server
//! hands out a number none of them had. Three rounds on one database. And a server killed while
//! it sends the outbox's messages leaves none unsent and none delivered twice.

use app::domain::case::CaseNo;
use app::server_fns::filing::FileCase;
use leptos::server_fn::ServerFn;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub(crate) fn start(data: &std::path::Path, port: u16) -> Child {
    start_with(data, port, &[])
}

fn start_with(data: &std::path::Path, port: u16, env: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .envs(env.iter().copied())
        .env("PORTAL_ADDR", format!("127.0.0.1:{port}"))
        .env("PORTAL_DATA_DIR", data)
        .env("DATABASE_URL", "")
        .env("PORTAL_METRICS_ADDR", "127.0.0.1:0")
        .env("PORTAL_FILINGS_PER_ADDRESS", "1000000")
        .env("PORTAL_FILINGS_PER_PHONE", "1000000")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary")
}

/// One filing over a fresh connection: the case number if the server answered 200.
pub(crate) async fn file(port: u16, key: &str) -> Option<String> {
    let today = app::domain::calendar::format_date(app::domain::clock::china_date(time::OffsetDateTime::now_utc()));
    let body = serde_json::json!({ "form": app::domain::filing::sample_complaint(&today, key) }).to_string();
    let mut s = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        <FileCase as ServerFn>::PATH,
        body.len()
    );
    s.write_all(head.as_bytes()).await.ok()?;
    s.write_all(body.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await.ok()?;
    let answer = String::from_utf8_lossy(&answer);
    if !answer.starts_with("HTTP/1.1 200") {
        return None;
    }
    let json = answer.split("\r\n\r\n").nth(1)?;
    serde_json::from_str::<String>(json.trim()).ok()
}

pub(crate) async fn wait_until_up(port: u16) {
    for _ in 0..200 {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)).await {
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
            let mut buf = Vec::new();
            let _ = s.read_to_end(&mut buf).await;
            if buf.starts_with(b"HTTP/1.1 200") {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not start");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_filing_survives_a_kill_under_load() {
    let data = tempfile::tempdir().unwrap();
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    for round in 0..3 {
        let port = free_port();
        let mut server = start(data.path(), port);
        wait_until_up(port).await;
        let clients: Vec<_> = (0..8)
            .map(|client| {
                let acked = acked.clone();
                tokio::spawn(async move {
                    for n in 0.. {
                        let key = format!("crash-{round}-{client}-{n:06}-0123456789");
                        match file(port, &key).await {
                            Some(no) => acked.lock().unwrap().push(no),
                            None => break, // the server is gone
                        }
                    }
                })
            })
            .collect();
        // Kill it while the eight clients are filing.
        let before = acked.lock().unwrap().len();
        let filed = async {
            while acked.lock().unwrap().len() < before + 40 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(120), filed).await.expect("40 filings within two minutes");
        server.kill().expect("SIGKILL");
        server.wait().unwrap();
        for c in clients {
            c.await.unwrap();
        }
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 120, "{} filings acknowledged", acked.len());
    let mut distinct = acked.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), acked.len(), "no case number was handed out twice");
    // Every acknowledged filing is in the database…
    let store = server::store::sqlite::SqliteStore::connect(&format!("sqlite://{}/portal.db", data.path().display()))
        .await
        .unwrap();
    for no in &acked {
        let case = app::ports::CaseRecords::get(&store, &CaseNo::parse(no).unwrap()).await.unwrap();
        assert!(case.is_some(), "{no} was acknowledged but is not stored");
    }
    drop(store);
    // …and the restarted server's next number is new.
    let port = free_port();
    let mut server = start(data.path(), port);
    wait_until_up(port).await;
    let next = file(port, "crash-after-restart-0123456789").await.expect("filed after the restart");
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(!acked.contains(&next), "{next} was already given");
}

/// A text-message gateway that takes each message slowly (so that a kill lands mid-send) and
/// records the ids it took, once each, and how often an id came again.
#[derive(Clone, Default)]
struct SlowGateway {
    took: Arc<Mutex<Vec<String>>>,
    repeats: Arc<Mutex<u32>>,
}

async fn slow_gateway() -> (SlowGateway, String) {
    let g = SlowGateway::default();
    let state = g.clone();
    let router = axum::Router::new().route(
        "/send",
        axum::routing::post(move |headers: axum::http::HeaderMap| {
            let g = state.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                let id = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                let mut took = g.took.lock().unwrap();
                if took.contains(&id) {
                    *g.repeats.lock().unwrap() += 1;
                } else {
                    took.push(id);
                }
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (g, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_while_sending_leaves_no_message_unsent_or_sent_twice() {
    let data = tempfile::tempdir().unwrap();
    let (gateway, url) = slow_gateway().await;
    let env = [("PORTAL_SMS_URL", url.as_str()), ("PORTAL_SMS_KEY", "k"), ("PORTAL_SMS_SIGNATURE", "青海12315")];
    let port = free_port();
    let mut server = start_with(data.path(), port, &env);
    wait_until_up(port).await;
    for n in 0..12 {
        file(port, &format!("outbox-crash-{n:06}-0123456789")).await.expect("filed");
    }
    // Killed once the gateway has taken some of the twelve receipts, in the middle of the rest.
    let some = async {
        while gateway.took.lock().unwrap().len() < 3 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), some).await.expect("sending began");
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    let before = gateway.took.lock().unwrap().len();
    assert!(before < 12, "killed mid-send ({before} sent)");
    // Restarted, the server sends the rest (those its predecessor held wait out their lease).
    let port = free_port();
    let mut server = start_with(data.path(), port, &env);
    wait_until_up(port).await;
    let all = async {
        while gateway.took.lock().unwrap().len() < 12 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(180), all).await.expect("every receipt sent after the restart");
    // Marked as sent, once each.
    let done = async {
        loop {
            let store =
                server::store::sqlite::SqliteStore::connect(&format!("sqlite://{}/portal.db", data.path().display()))
                    .await
                    .unwrap();
            if app::ports::OutboxStore::outbox_counts(&store).await.unwrap().sent == 12 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), done).await.expect("all marked sent");
    server.kill().unwrap();
    server.wait().unwrap();
    let took = gateway.took.lock().unwrap().clone();
    let mut distinct = took.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 12, "each message delivered once: {took:?}");
    assert!(*gateway.repeats.lock().unwrap() <= 1, "at most the message in flight at the kill came again");
}
