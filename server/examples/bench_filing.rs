//! Filings per second through the real server function (HTTP request → router → server
//! function → domain checks → SQLite), beside a raw insert of the same rows in the same run.
//! Run by `scripts/bench`; prints figures, asserts nothing.

use app::domain::filing::FilingForm;
use app::server_fns::filing::FileCase;
use app::{Services, SiteConfig};
use axum::body::Body;
use axum::http::{header, Request};
use leptos::prelude::LeptosOptions;
use leptos::server_fn::ServerFn;
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

const N: usize = 2000;
const CONCURRENCY: usize = 8;

fn form(i: usize, today: &str) -> FilingForm {
    app::domain::filing::sample_complaint(today, &format!("bench-key-{i:012}"))
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("portal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let today = app::domain::calendar::format_date(app::domain::clock::china_date(time::OffsetDateTime::now_utc()));

    // Through the server function.
    let store: Arc<server::store::sqlite::SqliteStore> = Arc::new(
        server::store::sqlite::SqliteStore::connect(&format!("sqlite://{}/fn.db", dir.display())).await.unwrap(),
    );
    let state = server::web::AppState {
        leptos_options: LeptosOptions::builder().output_name("portal").site_root("target/site").build(),
        services: Services {
            cases: store.clone(),
            staff: store,
            blobs: Arc::new(server::store::blobs::ObjectBlobStore::local(&dir.join("blobs")).unwrap()),
            secret: app::service::codes::Secret([1; 32]),
            figures: Default::default(),
            hashing: Default::default(),
            // One client files them all: no hourly budget here.
            budgets: app::service::budget::Budgets {
                filings_per_address: u32::MAX,
                filings_per_phone: u32::MAX,
                ..Default::default()
            },
            second_factor: Default::default(),
            channels: Default::default(),
            replica: None,
        },
        site: SiteConfig::default(),
        metrics: server::metrics_setup::handle(),
        client_ip_header: None,
        live: Default::default(),
        gate: Default::default(),
        deployment: Default::default(),
    };
    let router = server::web::app(state);
    let bodies: Vec<String> = (0..N).map(|i| serde_json::json!({ "form": form(i, &today) }).to_string()).collect();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for chunk in bodies.chunks(N / CONCURRENCY) {
        let router = router.clone();
        let chunk = chunk.to_vec();
        tasks.push(tokio::spawn(async move {
            for body in chunk {
                let req = Request::post(<FileCase as ServerFn>::PATH)
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::ACCEPT, "application/json")
                    .body(Body::from(body))
                    .unwrap();
                let res = router.clone().oneshot(req).await.unwrap();
                assert!(res.status().is_success(), "{}", res.status());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let via_fn = N as f64 / start.elapsed().as_secs_f64();

    // Raw: the same rows (case, two parties, first event, number counter) in one transaction each.
    let raw = server::store::sqlite::SqliteStore::connect(&format!("sqlite://{}/raw.db", dir.display())).await.unwrap();
    let pool = raw.pool.clone();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..CONCURRENCY {
        let pool = pool.clone();
        let today = today.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..N / CONCURRENCY {
                let mut tx = pool.begin().await.unwrap();
                let seq: (i64,) = sqlx::query_as("INSERT INTO case_counters (year, last) VALUES ($1, 1) ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1 RETURNING last")
                    .bind(2026i64).fetch_one(&mut *tx).await.unwrap();
                let no = format!("QH-2026-{:06}", seq.0);
                let id: (i64,) = sqlx::query_as("INSERT INTO cases (case_no, kind, channel, state, rule_set, bureau, clock_paused, category, received_at, received_on, incident_on, amount_paid_fen, order_no, demand, facts, consent_publish, query_hash, version, updated_at) VALUES ($1, 'complaint', 'web', 'received', 'samr-order-121', '630102', 0, 'G05', $2, $3, $4, 299900, NULL, 'refund', $5, 0, $6, 1, $7) RETURNING id")
                    .bind(&no).bind(i as i64).bind(&today).bind(&today)
                    .bind("购买的洗衣机第二天就无法脱水，商家拒绝退货。")
                    .bind(format!("sha256$00${t}{i}")).bind(i as i64)
                    .fetch_one(&mut *tx).await.unwrap();
                for (role, name, phone, addr, county) in [
                    ("consumer", "张三", Some("13812341234"), "西宁市城西区胜利路8号", None),
                    ("business", "西宁某某电器有限公司", None, "西宁市城东区八一路1号", Some("630102")),
                ] {
                    sqlx::query("INSERT INTO parties (case_id, role, name, phone, address, county) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(id.0).bind(role).bind(name).bind(phone).bind(addr).bind(county)
                        .execute(&mut *tx).await.unwrap();
                }
                sqlx::query("INSERT INTO case_events (case_id, seq, at, actor_role, action, to_state) VALUES ($1, 1, $2, 'consumer', 'receive', 'received')")
                    .bind(id.0).bind(i as i64).execute(&mut *tx).await.unwrap();
                tx.commit().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let raw_rate = N as f64 / start.elapsed().as_secs_f64();
    println!(
        "  filings through the server function  {via_fn:>8.0} /s  ({N} filings, {CONCURRENCY} concurrent, SQLite file)"
    );
    println!("  raw inserts of the same rows         {raw_rate:>8.0} /s");
    println!("  ratio                                {:>8.3}", via_fn / raw_rate);
    let _ = std::fs::remove_dir_all(&dir);
}
