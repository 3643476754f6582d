//! The outbox's cost and throughput (SQLite file, every commit synced): workflow steps per second
//! that write their message to the outbox beside the same steps writing none, in the same run;
//! then messages per second sent by one server's sender to an HTTP gateway on loopback that
//! takes each at once. Run by `scripts/bench`; prints figures, asserts nothing.

use app::domain::workflow::{transition, Action, Actor, Role};
use app::ports::{CaseStore, EventForCreate, NoticeForCreate};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CASES: usize = 2000;
const CONCURRENCY: usize = 4;

/// Accepts `cases` (4 tasks at once), each step writing the acceptance message or not; the time.
async fn accept_all(store: Arc<dyn CaseStore>, cases: Vec<app::domain::case::CaseNo>, with_outbox: bool) -> Duration {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for chunk in cases.chunks(cases.len().div_ceil(CONCURRENCY)) {
        let (store, chunk) = (store.clone(), chunk.to_vec());
        tasks.push(tokio::spawn(async move {
            let actor = Actor { role: Role::Supervisor, bureau: None, business: None };
            for no in chunk {
                let case = store.get(&no).await.unwrap().unwrap();
                let events = store.events(&no).await.unwrap();
                let snapshot = case.snapshot(app::service::step::steps_of(&events));
                let outcome = transition(&snapshot, &actor, &Action::Accept, case.rules().unwrap()).unwrap();
                let now = time::OffsetDateTime::now_utc();
                let (urgency, stats) =
                    app::service::step::step_effects(&case, &events, &outcome, Action::Accept.name(), now).unwrap();
                let notices = if with_outbox {
                    vec![NoticeForCreate { kind: app::domain::notify::NoticeKind::Accepted, params: Vec::new() }]
                } else {
                    Vec::new()
                };
                let event = EventForCreate {
                    at: app::domain::clock::unix_ms(now),
                    actor_role: Role::Supervisor,
                    actor_id: None,
                    action: Action::Accept.name(),
                    note: None,
                    detail: None,
                    stats,
                    notices,
                };
                store.apply(&no, case.version, case.state, &outcome, event, urgency).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    start.elapsed()
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("portal-bench-outbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store: Arc<server::store::sqlite::SqliteStore> = Arc::new(
        server::store::sqlite::SqliteStore::connect(&format!("sqlite://{}/outbox.db", dir.display())).await.unwrap(),
    );
    let cases_store: Arc<dyn CaseStore> = store.clone();
    let now = time::OffsetDateTime::now_utc();
    let today = app::domain::clock::china_date(now);
    let input = app::domain::filing::sample_complaint(&app::domain::calendar::format_date(today), "bench-outbox")
        .to_case_input();
    let case = app::domain::case::CaseForCreate::parse(&input, today).unwrap();
    let intake = Actor { role: Role::IntakeOperator, bureau: None, business: None };
    let mut cases = Vec::with_capacity(CASES);
    for _ in 0..CASES {
        let (stored, _) =
            app::service::filing::receive(store.as_ref(), case.clone(), &intake, now, None).await.unwrap();
        cases.push(stored.case_no);
    }
    // Four rounds, alternating, so that neither kind of step gets the warmer file.
    let quarter = CASES / 4;
    let (mut with, mut without) = (Duration::ZERO, Duration::ZERO);
    for (i, part) in cases.chunks(quarter).enumerate() {
        let took = accept_all(cases_store.clone(), part.to_vec(), i % 2 == 0).await;
        if i % 2 == 0 {
            with += took;
        } else {
            without += took;
        }
    }
    let half = (CASES / 2) as f64;
    let (rate_with, rate_without) = (half / with.as_secs_f64(), half / without.as_secs_f64());
    println!("  acceptance steps writing their message  {rate_with:>8.0} /s  ({CASES} cases, {CONCURRENCY} at once)");
    println!("  the same steps writing none             {rate_without:>8.0} /s");
    println!("  cost of the outbox                      {:>7.1} %", (rate_without / rate_with - 1.0) * 100.0);

    // The sender against a gateway that takes every message at once.
    let gateway = axum::Router::new().route("/send", axum::routing::post(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, gateway).await.unwrap() });
    let sender = server::notify::Sender {
        store: cases_store.clone(),
        channels: vec![server::notify::Channel::Sms(server::notify::SmsGateway::new(&url, "k", "青海12315", vec![]))],
        public_url: "https://12315.example.cn".into(),
    };
    // At 10:00 China time tomorrow, past any quiet hours.
    let day = 86_400_000;
    let china = app::domain::clock::unix_ms(now) + 8 * 3_600_000;
    let at = china - china.rem_euclid(day) + day + 2 * 3_600_000;
    let pending = cases_store.outbox_counts().await.unwrap().pending;
    let start = Instant::now();
    let mut sent = 0;
    loop {
        let n = sender.round(at).await.unwrap();
        if n == 0 {
            break;
        }
        sent += n;
    }
    let rate = sent as f64 / start.elapsed().as_secs_f64();
    println!(
        "  messages sent through the gateway       {rate:>8.0} /s  ({sent} of {pending}, one sender, one at a time)"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
