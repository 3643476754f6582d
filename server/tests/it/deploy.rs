//! Behind HTTPS (`PORTAL_PUBLIC_URL=https://…`): `__Host-` cookies that are `Secure`, HSTS, and
//! an unprefixed (planted) cookie ignored; `/metrics` only on its own listener.

use crate::common::{self, send, App};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::sync::Arc;

async fn https_app() -> App {
    let (store, dir) = common::sqlite().await;
    let store: Arc<dyn app::ports::Store> = Arc::new(store);
    let mut state = common::app_state(store.clone(), false);
    state.deployment = server::deploy::Deployment::from_public_url(Some("https://12315.example.cn"));
    App::new(state, store, dir)
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn behind_https_cookies_are_host_prefixed_and_secure_and_hsts_is_sent() {
    let app = https_app().await;
    let r = send(&app, get("/prefs?lang=en&back=/", None)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("__Host-lang=en; Path=/;") && cookie.ends_with("; Secure"), "{cookie}");
    assert_eq!(r.headers[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000; includeSubDomains");
    // The prefixed cookie is read as the language; one without the prefix is ignored.
    let english = send(&app, get("/", Some("__Host-lang=en"))).await;
    assert!(english.body.contains("<html lang=\"en\""));
    let planted = send(&app, get("/", Some("lang=en"))).await;
    assert!(planted.body.contains("<html lang=\"zh-CN\""));
    // Over plain HTTP (no public URL) nothing changes.
    let plain = common::app().await;
    let r = send(&plain, get("/prefs?lang=en&back=/", None)).await;
    assert!(r.headers[header::SET_COOKIE].to_str().unwrap().starts_with("lang=en;"));
    assert!(r.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
}

#[tokio::test]
async fn behind_https_the_staff_session_cookie_is_host_prefixed_and_works() {
    let app = https_app().await;
    crate::staff::account(&app, "zhou", "handler", Some("630102")).await;
    let body = serde_urlencoded::to_string([("username", "zhou"), ("password", crate::staff::PASSWORD)]).unwrap();
    let req = Request::post("/staff/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let set = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.starts_with("__Host-") && set.contains("; Secure"), "{set}");
    let cookie = set.split(';').next().unwrap();
    assert_eq!(send(&app, get("/staff", Some(cookie))).await.status, StatusCode::OK);
    let unprefixed = cookie.trim_start_matches("__Host-");
    assert_ne!(send(&app, get("/staff", Some(unprefixed))).await.status, StatusCode::OK, "a planted cookie is ignored");
}

#[tokio::test]
async fn metrics_are_not_on_the_public_router() {
    let app = common::app().await;
    assert_eq!(send(&app, get("/metrics", None)).await.status, StatusCode::NOT_FOUND);
}
