//! The HTTP surface driven in-process (`tower::ServiceExt::oneshot`) against a real SQLite file.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

async fn router(demo: bool) -> (Router, tempfile::TempDir) {
    let (store, dir) = common::sqlite().await;
    (server::web::app(common::app_state(Arc::new(store), demo)), dir)
}

async fn get(app: &Router, uri: &str, cookie: Option<&str>) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::get(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// `get`, asserting the status; the headers and the body.
async fn expect(app: &Router, uri: &str, cookie: Option<&str>, status: StatusCode) -> (axum::http::HeaderMap, String) {
    let (got, headers, body) = get(app, uri, cookie).await;
    assert_eq!(got, status, "GET {uri}: {body}");
    (headers, body)
}

#[tokio::test]
async fn health_reports_the_database() {
    let (app, _dir) = router(false).await;
    let (headers, body) = expect(&app, "/healthz", None, StatusCode::OK).await;
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["database"], "ok");
}

#[tokio::test]
async fn metrics_are_prometheus_text_and_count_requests_by_route() {
    let (app, _dir) = router(false).await;
    get(&app, "/healthz", None).await;
    let metrics = server::web::metrics_router(server::metrics_setup::handle());
    let (headers, body) = expect(&metrics, "/metrics", None, StatusCode::OK).await;
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/plain"));
    assert!(body.contains("http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"), "{body}");
    assert!(body.contains("# TYPE http_request_duration_seconds histogram"));
}

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server_in_chinese_with_a_nonce_csp() {
    let (app, _dir) = router(false).await;
    let (headers, body) = expect(&app, "/", None, StatusCode::OK).await;
    assert!(body.contains("<html lang=\"zh-CN\""), "{body}");
    assert!(body.contains("消费者咨询、投诉、举报，一个入口"));
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("nonce in CSP");
    assert!(nonce.len() >= 16);
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the header's nonce");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[header::REFERRER_POLICY], "same-origin");
    // A new nonce for every response.
    let (_, again, _) = get(&app, "/", None).await;
    assert_ne!(again[header::CONTENT_SECURITY_POLICY], headers[header::CONTENT_SECURITY_POLICY]);
}

#[tokio::test]
async fn preferences_come_from_cookies() {
    let (app, _dir) = router(false).await;
    let (_, _, body) = get(&app, "/", Some("lang=en; text=large")).await;
    let html_tag = body.split('>').nth(1).unwrap_or_default();
    assert!(html_tag.contains("lang=\"en\"") && html_tag.contains("class=\"large\""), "{html_tag}");
    assert!(body.contains("Consultations, complaints and reports: one door"));
}

#[tokio::test]
async fn the_credit_code_check_works_without_javascript() {
    let (app, _dir) = router(false).await;
    let (_, _, ok) = get(&app, "/?code=91350100M000100Y43", None).await;
    assert!(ok.contains("代码格式和校验码正确。"), "{ok}");
    let (_, _, bad) = get(&app, "/?code=91350100M000100Y44", Some("lang=en")).await;
    assert!(bad.contains("The check character does not match"), "{bad}");
}

#[tokio::test]
async fn the_demo_banner_shows_only_with_demo_data() {
    let (app, _dir) = router(true).await;
    let (_, _, body) = get(&app, "/", None).await;
    assert!(body.contains("合成演示数据"));
    let (plain, _dir2) = router(false).await;
    let (_, _, body) = get(&plain, "/", None).await;
    assert!(!body.contains("合成演示数据"));
}

#[tokio::test]
async fn the_preference_switch_sets_a_cookie_and_returns_only_to_this_site() {
    let (app, _dir) = router(false).await;
    let (headers, _) = expect(&app, "/prefs?lang=en&back=/%3Fcode%3D1", None, StatusCode::SEE_OTHER).await;
    assert_eq!(headers[header::LOCATION], "/?code=1");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("lang=en;") && cookie.contains("SameSite=Lax") && cookie.contains("HttpOnly"));
    let (_, headers, _) = get(&app, "/prefs?text=large&back=https://evil.example/", None).await;
    assert_eq!(headers[header::LOCATION], "/");
    let (_, headers, _) = get(&app, "/prefs?text=large&back=//evil.example/", None).await;
    assert_eq!(headers[header::LOCATION], "/");
    let (_, body) = expect(&app, "/prefs?lang=fr", None, StatusCode::BAD_REQUEST).await;
    assert!(body.contains("不支持的语言"));
    expect(&app, "/prefs?text=huge", None, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn an_unknown_page_is_a_translated_404() {
    let (app, _dir) = router(false).await;
    let (headers, body) = expect(&app, "/no-such-page", None, StatusCode::NOT_FOUND).await;
    assert!(body.contains("页面不存在"), "{body}");
    assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
}

#[tokio::test]
async fn the_guide_shows_the_rules_in_force_and_its_text_in_both_languages() {
    let (app, _dir) = router(false).await;
    let (_, body) = expect(&app, "/guide", None, StatusCode::OK).await;
    let rs = app::domain::rules::in_force_on(app::domain::clock::china_date(time::OffsetDateTime::now_utc()));
    assert!(body.contains(&rs.title.zh), "the rule set in force is named");
    for d in rs.deadlines.values() {
        assert!(body.contains(&d.zh), "every deadline of the rule set: {}", d.zh);
    }
    for g in &rs.refusal_grounds {
        assert!(body.contains(&g.zh), "every refusal ground: {}", g.zh);
    }
    assert!(body.contains("<h2>如何准备证据</h2>") && body.contains("七日无理由退货"), "the markdown, rendered");
    let (_, _, en) = get(&app, "/guide", Some("lang=en")).await;
    assert!(en.contains("<h2>Preparing your evidence</h2>") && en.contains(&rs.refusal_grounds[0].en));
}

#[tokio::test]
async fn demo_data_is_reproducible_and_loaded_once() {
    let (a, _d1) = common::sqlite().await;
    let (b, _d2) = common::sqlite().await;
    let now = time::macros::datetime!(2026-11-28 02:00 UTC);
    use app::ports::prelude::*;
    assert_eq!(server::demo::load(&a, 30, now).await.unwrap(), 30);
    assert_eq!(server::demo::load(&a, 30, now).await.unwrap(), 0, "not loaded twice");
    server::demo::load(&b, 30, now).await.unwrap();
    let mut seen = 0;
    for year in [2025, 2026] {
        for n in 1.. {
            let no = app::domain::case::CaseNo::new(year, n);
            let (Some(ca), Some(cb)) = (a.get(&no).await.unwrap(), b.get(&no).await.unwrap()) else { break };
            assert_eq!(
                (ca.state, ca.kind, &ca.content, ca.received_at),
                (cb.state, cb.kind, &cb.content, cb.received_at)
            );
            assert!(ca.content.facts.as_str().contains("合成演示数据"));
            assert!(ca.received_at <= app::domain::clock::unix_ms(now));
            assert_eq!(a.events(&no).await.unwrap(), b.events(&no).await.unwrap());
            seen += 1;
        }
    }
    assert_eq!(seen, 30, "a year before now, numbered by year of receipt");
    assert_eq!(a.stats_rows("2025-01", "2026-12").await.unwrap(), b.stats_rows("2025-01", "2026-12").await.unwrap());
    assert_eq!(a.meta_get("demo").await.unwrap().as_deref(), Some("synthetic"));
}

/// The demonstration items written row by row into SQLite and streamed with COPY into
/// PostgreSQL, in more than one batch, are the same cases, parties, events, ratings, statistics,
/// queue counts and work-queue keys.
#[tokio::test]
async fn demo_data_loads_alike_in_sqlite_and_by_copy_in_postgresql() {
    use app::ports::prelude::*;
    use sqlx::Row;
    let (lite, _dir) = common::sqlite().await;
    let (pg, db) = common::postgres().await;
    let now = time::macros::datetime!(2026-11-28 02:00 UTC);
    // Two batches of the generator's 2,000.
    let n = 2_300;
    assert_eq!(server::demo::load(&lite, n, now).await.unwrap(), n);
    assert_eq!(server::demo::load(&pg, n, now).await.unwrap(), n);
    let mut seen = 0;
    let mut rated = 0;
    for year in [2025, 2026] {
        for k in 1.. {
            let no = app::domain::case::CaseNo::new(year, k);
            let (a, b) = (lite.get(&no).await.unwrap(), pg.get(&no).await.unwrap());
            let (Some(a), Some(b)) = (&a, &b) else {
                assert!(a.is_none() && b.is_none(), "{no:?} in one database only");
                break;
            };
            assert_eq!(a, b, "{no:?}");
            assert_eq!(lite.events(&no).await.unwrap(), pg.events(&no).await.unwrap(), "{no:?}");
            let (ra, rb) = (lite.rating(&no).await.unwrap(), pg.rating(&no).await.unwrap());
            rated += ra.is_some() as usize;
            assert_eq!(ra, rb, "{no:?}");
            seen += 1;
        }
    }
    assert_eq!(seen, n);
    assert!(rated > 100, "ratings imported: {rated}");
    // The same rows, whatever order each database returns them in.
    let sorted = |(rows, days): (Vec<app::domain::stats::AggRow>, Vec<app::domain::stats::DaysRow>)| {
        let mut rows: Vec<String> = rows.iter().map(|r| format!("{r:?}")).collect();
        let mut days: Vec<String> = days.iter().map(|r| format!("{r:?}")).collect();
        rows.sort();
        days.sort();
        (rows, days)
    };
    let (a, b) =
        (lite.stats_rows("2025-01", "2026-12").await.unwrap(), pg.stats_rows("2025-01", "2026-12").await.unwrap());
    assert_eq!(sorted(a), sorted(b));
    let rows = "SELECT case_no, due_on, updated_at, version, query_hash FROM cases ORDER BY case_no";
    let keys = |r: &[(String, String, i64, i64, String)]| r.to_vec();
    let a: Vec<(String, String, i64, i64, String)> = sqlx::query_as(rows).fetch_all(&lite.pool).await.unwrap();
    let b: Vec<(String, String, i64, i64, String)> = sqlx::query_as(rows).fetch_all(&pg.pool).await.unwrap();
    assert_eq!(keys(&a), keys(&b));
    let counts = "SELECT bureau, kind, state, n FROM queue_counts WHERE n > 0 ORDER BY bureau, kind, state";
    let a: Vec<(String, String, String, i64)> = sqlx::query_as(counts).fetch_all(&lite.pool).await.unwrap();
    let b: Vec<(String, String, String, i64)> = sqlx::query_as(counts).fetch_all(&pg.pool).await.unwrap();
    assert_eq!(a, b);
    assert_eq!(a.iter().map(|r| r.3).sum::<i64>(), n as i64);
    // The year's counter continues after the bulk numbers.
    let next = "SELECT year, last FROM case_counters ORDER BY year";
    let a: Vec<(i64, i64)> = sqlx::query_as(next).fetch_all(&lite.pool).await.unwrap();
    let b: Vec<(i64, i64)> = sqlx::query_as(next).fetch_all(&pg.pool).await.unwrap();
    assert_eq!(a, b);
    let parties = "SELECT COUNT(*) AS n FROM parties";
    let a: i64 = sqlx::query(parties).fetch_one(&lite.pool).await.unwrap().get("n");
    let b: i64 = sqlx::query(parties).fetch_one(&pg.pool).await.unwrap().get("n");
    assert_eq!(a, b);
    db.drop_db().await;
}

/// The text of a headline figure on the statistics page.
fn fig(body: &str, id: &str) -> String {
    let at = body.find(&format!(r#"data-testid="fig-{id}""#)).expect("figure shown");
    let rest = &body[at..];
    let start = rest.find('>').unwrap() + 1;
    rest[start..start + rest[start..].find('<').unwrap()].to_owned()
}

#[tokio::test]
async fn statistics_of_a_period_show_live_figures_charts_and_a_csv() {
    use app::domain::workflow::{Action, Actor, MediationMethod, Role};
    let (store, _dir) = common::sqlite().await;
    let store: Arc<dyn app::ports::Store> = Arc::new(store);
    let app = server::web::app(common::app_state(store.clone(), false));
    let (_, empty) = expect(&app, "/stats?period=2026-11", None, StatusCode::OK).await;
    assert_eq!(fig(&empty, "received"), "0", "nothing yet");
    let supervisor = Actor { role: Role::Supervisor, bureau: None, business: None };
    let at = |s: &str| time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).unwrap();
    let mut nos = Vec::new();
    for when in ["2026-11-02T02:00:00Z", "2026-11-03T02:00:00Z", "2026-11-04T02:00:00Z", "2025-11-05T02:00:00Z"] {
        let now = at(when);
        let case = common::complaint(app::domain::clock::china_date(now));
        let (c, _) = app::service::filing::receive(store.as_ref(), case, &app::service::filing::consumer(), now, None)
            .await
            .unwrap();
        nos.push(c.case_no);
    }
    let steps = [
        Action::Accept,
        Action::StartMediation { method: MediationMethod::Phone, on_site: None },
        Action::RecordSettlement {
            recovered: app::domain::money::Fen(12_345),
            agreement: app::domain::fields::Note::parse("退款").unwrap(),
        },
    ];
    for (i, step) in steps.iter().enumerate() {
        let v = store.get(&nos[0]).await.unwrap().unwrap().version;
        let now = at("2026-11-05T02:00:00Z") + time::Duration::hours(i as i64);
        app::service::step::act(store.as_ref(), &nos[0], v, &supervisor, None, step, None, now).await.unwrap();
    }
    let v = store.get(&nos[1]).await.unwrap().unwrap().version;
    let refuse = Action::Refuse { ground: 3 };
    app::service::step::act(store.as_ref(), &nos[1], v, &supervisor, None, &refuse, None, at("2026-11-20T02:00:00Z"))
        .await
        .unwrap();

    let (_, body) = expect(&app, "/stats?period=2026-11", None, StatusCode::OK).await;
    assert_eq!(fig(&body, "received"), "3", "3 received in November 2026");
    assert!(body.contains("+200.0%"), "against 1 a year earlier");
    assert_eq!(fig(&body, "acceptance"), "50.0%", "1 accepted of 2 decided");
    assert_eq!(fig(&body, "recovered"), "123", "123.45 yuan recovered");
    assert_eq!(fig(&body, "settlement"), "100.0%");
    assert_eq!(fig(&body, "decision-days"), "10天", "3 and 17 days from receipt");
    // Xining (630102) in the schematic map, the 8 prefectures drawn, definitions in a table.
    assert_eq!(body.matches("<g data-code=").count(), 8);
    assert!(body.contains(r#"data-testid="definitions""#) && body.contains("受理 ÷（受理 + 不予受理）"));
    let (_, _, en) = get(&app, "/stats?period=2026-Q4", Some("lang=en")).await;
    assert!(en.contains("Q4 2026") && en.contains("Acceptance rate"));

    let (_, body) = expect(&app, "/stats?period=2026-13", None, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("period-error") && body.contains("统计期间格式不对"));

    let (headers, csv) = expect(&app, "/stats.csv?period=2026-11", None, StatusCode::OK).await;
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(csv.starts_with("\u{feff}table,key,name,received,"));
    assert!(csv.contains("\r\ntotal,2026-11,2026-11,3,1,2,1,"), "{csv}");
    assert!(csv.contains(",123.45,"), "{csv}");
    assert!(csv.contains("prefecture,630100,西宁市,3,"), "{csv}");
    expect(&app, "/stats.csv?period=x", None, StatusCode::UNPROCESSABLE_ENTITY).await;
}

#[tokio::test]
async fn the_open_day_screen_streams_anonymised_steps_and_the_walk_through() {
    use app::domain::workflow::{Action, Actor, Role};
    let (store, _dir) = common::sqlite().await;
    let store: Arc<dyn app::ports::Store> = Arc::new(store);
    let app = server::web::app(common::app_state(store.clone(), false));
    let now = time::OffsetDateTime::now_utc();
    let case = common::complaint(app::domain::clock::china_date(now));
    let (c, _) = app::service::filing::receive(store.as_ref(), case, &app::service::filing::consumer(), now, None)
        .await
        .unwrap();
    let out = server::cli::screen(store.as_ref(), &["follow".into(), c.case_no.as_str().into()]).await.unwrap();
    assert!(out.contains(c.case_no.as_str()));

    let (_, page) = expect(&app, "/stats/screen", None, StatusCode::OK).await;
    assert!(page.contains(r#"data-testid="ticker""#) && page.contains("家用电器"), "the receipt is in the ticker");
    assert!(page.contains(r#"aria-current="step">登记<"#), "the walk-through shows the first stage");
    assert!(!page.contains("张三") && !page.contains("13812341234") && !page.contains(c.case_no.as_str()));

    let res = app.clone().oneshot(Request::get("/stats/live").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut body = res.into_body();
    // The feed starts with the first screen; give it a poll before the step.
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    let supervisor = Actor { role: Role::Supervisor, bureau: None, business: None };
    app::service::step::act(store.as_ref(), &c.case_no, c.version, &supervisor, None, &Action::Accept, None, now)
        .await
        .unwrap();
    let mut text = String::new();
    while !(text.contains("event: walk") && text.contains("event: figures")) {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
            .await
            .expect("an event within 5 s")
            .expect("stream open")
            .unwrap();
        if let Some(data) = frame.data_ref() {
            text.push_str(&String::from_utf8_lossy(data));
        }
    }
    assert!(text.contains("event: tick") && text.contains("已受理") && text.contains("家用电器"), "{text}");
    assert!(
        text.contains(r#"aria-current=\"step\">受理决定"#) || text.contains(r#"aria-current="step">受理决定"#),
        "{text}"
    );
    assert!(!text.contains("张三") && !text.contains("13812341234") && !text.contains(c.case_no.as_str()), "{text}");
}

#[tokio::test]
async fn the_live_feed_serves_a_bounded_number_of_screens_and_frees_a_place_when_one_leaves() {
    let (store, _dir) = common::sqlite().await;
    let store: Arc<dyn app::ports::Store> = Arc::new(store);
    let mut state = common::app_state(store, false);
    state.live = server::open_day::Live::with_cap(2);
    let app = server::web::app(state);
    let open =
        || async { app.clone().oneshot(Request::get("/stats/live").body(Body::empty()).unwrap()).await.unwrap() };
    let first = open().await;
    let second = open().await;
    assert_eq!((first.status(), second.status()), (StatusCode::OK, StatusCode::OK));
    let third = open().await;
    assert_eq!(third.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(third.headers()[header::RETRY_AFTER], "10");
    // The rest of the site is unaffected.
    assert_eq!(get(&app, "/healthz", None).await.0, StatusCode::OK);
    // A screen that goes away frees its place.
    drop(first);
    let again = open().await;
    assert_eq!(again.status(), StatusCode::OK);
    drop(second);
    drop(again);
}
