//! Test harness: a real SQLite file in a temporary directory, and a fresh database on the
//! PostgreSQL server named by `PORTAL_TEST_PG` (started by `scripts/test`).

use app::domain::case::{CaseForCreate, CaseInput};
use server::store::{postgres::PgStore, sqlite::SqliteStore};
use sqlx::Connection;

pub struct PgDb {
    pub admin_url: String,
    pub name: String,
}

impl PgDb {
    pub async fn drop_db(self) {
        let mut admin = sqlx::PgConnection::connect(&self.admin_url).await.expect("admin connection");
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)))
            .execute(&mut admin)
            .await;
    }
}

pub async fn sqlite() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/portal.db", dir.path().display());
    (SqliteStore::connect(&url).await.expect("sqlite store"), dir)
}

/// The admin URL of the test PostgreSQL server. Tests fail (never skip) without it.
pub fn pg_admin_url() -> String {
    std::env::var("PORTAL_TEST_PG").expect(
        "PORTAL_TEST_PG must name a PostgreSQL server for the tests, e.g. \
         postgres://portal:portal@127.0.0.1:5432/postgres (scripts/test starts one)",
    )
}

/// A fresh, empty database on the test PostgreSQL server: its URL.
pub async fn empty_postgres() -> (String, PgDb) {
    let admin_url = pg_admin_url();
    let name = format!("portal_test_{}", rand::random::<u64>());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.expect("connect to PORTAL_TEST_PG");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL with a database name");
    (format!("{base}/{name}"), PgDb { admin_url, name })
}

pub async fn postgres() -> (PgStore, PgDb) {
    let (url, db) = empty_postgres().await;
    let store = PgStore::connect(&url).await.expect("postgres store");
    (store, db)
}

/// Runs a test body once on each adapter, `$store` bound to the adapter itself (its `pool` is
/// there for raw SQL).
#[macro_export]
macro_rules! on_both_adapters {
    ($name:ident, |$store:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let ($store, _dir) = $crate::common::sqlite().await;
                $body
            }

            #[tokio::test]
            async fn postgres() {
                let ($store, db) = $crate::common::postgres().await;
                $body
                db.drop_db().await;
            }
        }
    };
}

/// Runs one async test body against both backends.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let (store, _dir) = $crate::common::sqlite().await;
                    super::$name(std::sync::Arc::new(store)).await;
                }

                #[tokio::test]
                async fn postgres() {
                    let (store, db) = $crate::common::postgres().await;
                    super::$name(std::sync::Arc::new(store)).await;
                    db.drop_db().await;
                }
            }
        )*
    };
}

/// The sample complaint of the domain, with every optional field filled in.
pub fn complaint_input() -> CaseInput {
    app::domain::filing::FilingForm {
        business_credit_code: "91350100M000100Y43".into(),
        business_platform: "某电商平台".into(),
        business_shop: "某某旗舰店".into(),
        amount_paid: "2999.50".into(),
        order_no: "A-2026-1120".into(),
        demand_text: "退货退款".into(),
        consent_publish: "on".into(),
        ..app::domain::filing::sample_complaint("2026-11-20", "")
    }
    .to_case_input()
}

pub fn complaint(today: time::Date) -> CaseForCreate {
    let mut input = complaint_input();
    input.incident_on = app::domain::calendar::format_date(today - time::Duration::days(3));
    CaseForCreate::parse(&input, today).expect("valid sample")
}

/// The application state the router is built from, over `store`.
pub fn app_state(store: std::sync::Arc<dyn app::ports::Store>, demo: bool) -> server::web::AppState {
    server::web::AppState {
        leptos_options: leptos::prelude::LeptosOptions::builder()
            .output_name("portal")
            .site_root("target/site")
            .build(),
        services: app::Services {
            cases: store.clone(),
            staff: store,
            blobs: std::sync::Arc::new(
                server::store::blobs::ObjectBlobStore::local(
                    &std::env::temp_dir().join(format!("portal-test-blobs-{}", std::process::id())),
                )
                .expect("blob dir"),
            ),
            secret: app::service::codes::Secret([5; 32]),
            figures: Default::default(),
            hashing: Default::default(),
            budgets: Default::default(),
            // Supervisors and admins sign in with a password alone here; `second_factor.rs` tests
            // the second factor with the default setting.
            second_factor: app::service::second_factor::SecondFactorRoles(vec![]),
            channels: Default::default(),
            replica: None,
        },
        site: app::SiteConfig { demo },
        client_ip_header: None,
        live: Default::default(),
        gate: Default::default(),
        deployment: Default::default(),
        metrics: server::metrics_setup::handle(),
    }
}

/// The S3 store named by `PORTAL_TEST_S3` (an endpoint URL; `scripts/s3-up` starts a Garage node
/// with the bucket `portal-test` and this key). Tests fail (never skip) without it.
pub fn s3_builder() -> object_store::aws::AmazonS3Builder {
    let endpoint = std::env::var("PORTAL_TEST_S3").expect(
        "PORTAL_TEST_S3 must name an S3 store with a bucket `portal-test`, \
         e.g. http://127.0.0.1:9300 (scripts/s3-up starts one)",
    );
    object_store::aws::AmazonS3Builder::new()
        .with_endpoint(endpoint)
        .with_allow_http(true)
        .with_region("garage")
        .with_access_key_id("GK7e5700000000000000000001")
        .with_secret_access_key("7e57000000000000000000000000000000000000000000000000000000000001")
}

/// A blob store in the test bucket, under a prefix of its own.
pub fn s3_blobs() -> server::store::blobs::ObjectBlobStore {
    let url = format!("s3://portal-test/run-{}", rand::random::<u64>());
    let spool = std::env::temp_dir().join("portal-test-spool");
    server::store::blobs::ObjectBlobStore::s3_with(&url, s3_builder(), &spool).expect("S3 blob store")
}

/// The whole server over a fresh SQLite file, driven in-process through its router.
pub struct App {
    pub router: axum::Router,
    pub state: server::web::AppState,
    pub store: std::sync::Arc<dyn app::ports::Store>,
    _dir: tempfile::TempDir,
}

pub async fn app() -> App {
    let (store, dir) = sqlite().await;
    let store: std::sync::Arc<dyn app::ports::Store> = std::sync::Arc::new(store);
    App::new(app_state(store.clone(), false), store, dir)
}

impl App {
    /// The router over `state`, whose database is `store` in the folder `dir`.
    pub fn new(
        state: server::web::AppState,
        store: std::sync::Arc<dyn app::ports::Store>,
        dir: tempfile::TempDir,
    ) -> Self {
        App { router: server::web::app(state.clone()), state, store, _dir: dir }
    }
}

/// An answer, its body read whole.
pub struct Reply {
    pub status: axum::http::StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

/// Sends `req` as if from the address `client`; a request that hangs fails the test after 10 s.
pub async fn send_from(app: &App, mut req: axum::http::Request<axum::body::Body>, client: &str) -> Reply {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let addr: std::net::SocketAddr = format!("{client}:40000").parse().unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
    let what = format!("{} {}", req.method(), req.uri());
    let res = tokio::time::timeout(std::time::Duration::from_secs(10), app.router.clone().oneshot(req))
        .await
        .unwrap_or_else(|_| panic!("no answer to {what} in 10 s"))
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = tokio::time::timeout(std::time::Duration::from_secs(10), res.into_body().collect())
        .await
        .unwrap_or_else(|_| panic!("the body of {what} ({status}) did not end in 10 s"))
        .unwrap()
        .to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
}

/// Sends `req` from one fixed address.
pub async fn send(app: &App, req: axum::http::Request<axum::body::Body>) -> Reply {
    send_from(app, req, "10.9.0.1").await
}

/// A new complaint (at bureau 630102) with a 1×1 PNG attached: its number and the file's id.
pub async fn complaint_with_photo(
    services: &app::Services,
    store: &dyn app::ports::CaseStore,
) -> (app::domain::case::CaseNo, String) {
    let no = new_complaint(store).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\0IEND\xaeB`\x82";
    let e = upload(services, png, time::OffsetDateTime::now_utc()).await;
    store.attach_evidence(&no, std::slice::from_ref(&e.id)).await.unwrap();
    (no, e.id)
}

/// Uploads `bytes` as evidence at `at` from the fixed address, not yet attached to a case.
pub async fn upload(services: &app::Services, bytes: &[u8], at: time::OffsetDateTime) -> app::ports::EvidenceRecord {
    app::service::evidence::upload_evidence(services, bytes.to_vec(), "", "10.9.0.1", at).await.unwrap().record
}

/// A complaint filed online today (at bureau 630102): its number.
pub async fn new_complaint(store: &dyn app::ports::CaseRecords) -> app::domain::case::CaseNo {
    let now = time::OffsetDateTime::now_utc();
    let today = app::domain::clock::china_date(now);
    let (c, _) = app::service::filing::receive(store, complaint(today), &app::service::filing::consumer(), now, None)
        .await
        .expect("filed");
    c.case_no
}
