//! The HTTP surface driven in-process (`tower::ServiceExt::oneshot`) against a real SQLite file.

mod common;

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

#[tokio::test]
async fn health_reports_the_database() {
    let (app, _dir) = router(false).await;
    let (status, headers, body) = get(&app, "/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["database"], "ok");
}

#[tokio::test]
async fn metrics_are_prometheus_text_and_count_requests_by_route() {
    let (app, _dir) = router(false).await;
    get(&app, "/healthz", None).await;
    let (status, headers, body) = get(&app, "/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/plain"));
    assert!(body.contains("http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"), "{body}");
    assert!(body.contains("# TYPE http_request_duration_seconds histogram"));
}

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server_in_chinese_with_a_nonce_csp() {
    let (app, _dir) = router(false).await;
    let (status, headers, body) = get(&app, "/", None).await;
    assert_eq!(status, StatusCode::OK);
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
    let (status, headers, _) = get(&app, "/prefs?lang=en&back=/%3Fcode%3D1", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/?code=1");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("lang=en;") && cookie.contains("SameSite=Lax") && cookie.contains("HttpOnly"));
    let (_, headers, _) = get(&app, "/prefs?text=large&back=https://evil.example/", None).await;
    assert_eq!(headers[header::LOCATION], "/");
    let (_, headers, _) = get(&app, "/prefs?text=large&back=//evil.example/", None).await;
    assert_eq!(headers[header::LOCATION], "/");
    let (status, _, body) = get(&app, "/prefs?lang=fr", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("不支持的语言"));
    let (status, _, _) = get(&app, "/prefs?text=huge", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_unknown_page_is_a_translated_404() {
    let (app, _dir) = router(false).await;
    let (status, headers, body) = get(&app, "/no-such-page", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("页面不存在"), "{body}");
    assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
}

#[tokio::test]
async fn the_guide_shows_the_rules_in_force_and_its_text_in_both_languages() {
    let (app, _dir) = router(false).await;
    let (status, _, body) = get(&app, "/guide", None).await;
    assert_eq!(status, StatusCode::OK);
    let rs = app::domain::rules::in_force_on(app::service::china_date(time::OffsetDateTime::now_utc()));
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
    use app::ports::CaseStore;
    assert_eq!(server::demo::load(&a, 30, now).await.unwrap(), 30);
    assert_eq!(server::demo::load(&a, 30, now).await.unwrap(), 0, "not loaded twice");
    server::demo::load(&b, 30, now).await.unwrap();
    for n in 1..=30 {
        let no = app::domain::case::CaseNo::new(2026, n);
        let (ca, cb) = (a.get(&no).await.unwrap(), b.get(&no).await.unwrap());
        // Received dates may fall in 2026 only (60 days back from late November).
        let (ca, cb) = (ca.expect("case"), cb.expect("case"));
        assert_eq!((ca.state, ca.kind, &ca.content), (cb.state, cb.kind, &cb.content));
        assert!(ca.content.facts.as_str().contains("合成演示数据"));
        assert_eq!(a.events(&no).await.unwrap().len(), b.events(&no).await.unwrap().len());
    }
    assert_eq!(a.meta_get("demo").await.unwrap().as_deref(), Some("synthetic"));
}
