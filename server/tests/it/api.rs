//! The open data API against a real SQLite file and a real PostgreSQL server, through the
//! router: JSON and CSV answers with no personal data, pages by cursor, field-level 422s, 404s,
//! `ETag`/304, `Cache-Control`, CORS, no cookies, the OpenAPI 3.1 document, and a budget of
//! requests per address shared by two servers on one database.

use crate::common;
use crate::records::{file, steps};
use app::domain::workflow::{Action, MediationMethod};
use app::ports::Store;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::sync::Arc;

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

async fn closed_complaints(store: &Arc<dyn Store>) -> String {
    let at = time::OffsetDateTime::now_utc() - time::Duration::hours(2);
    let today = app::domain::clock::china_date(at);
    let mut case = common::complaint(today);
    case.facts = app::domain::fields::Facts::parse("我叫张三，电话13812341234，洗衣机第二天就坏了。").unwrap();
    let code = case.business.as_ref().unwrap().credit_code.clone().unwrap();
    for _ in 0..2 {
        let no = file(store, case.clone(), at).await;
        let close = [
            Action::Accept,
            Action::StartMediation { method: MediationMethod::Phone, on_site: None },
            Action::TerminateMediation { ground: 4 },
            Action::Close,
        ];
        steps(store, &no, &close, at).await;
    }
    let settle = app::service::disclosure::SETTLE;
    app::service::disclosure::sweep(store.as_ref(), time::OffsetDateTime::now_utc(), settle).await.unwrap();
    code.as_str().to_owned()
}

async fn the_api_answers_in_json_and_csv_without_personal_data(store: Arc<dyn Store>) {
    let code = closed_complaints(&store).await;
    let app = common::App::new(common::app_state(store.clone(), false), store, tempfile::tempdir().unwrap());

    let r = common::send(&app, get("/api/v1/complaints?limit=1")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    // A list of disclosed complaints is asked for again each time (a take-down holds at once).
    assert_eq!(r.headers[header::CACHE_CONTROL], "public, no-cache");
    assert!(r.headers.get(header::SET_COOKIE).is_none(), "no cookie");
    let page: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["credit_code"], code.as_str());
    assert_eq!(page["items"][0]["handling"], "mediation_ended");
    for secret in ["张三", "13812341234", "胜利路8号", "A-2026-1120"] {
        assert!(!r.body.contains(secret), "{secret} in {}", r.body);
    }
    // The next page by the cursor, then none.
    let next = page["next"].as_str().expect("a second page").to_owned();
    let r2 = common::send(&app, get(&format!("/api/v1/complaints?limit=1&cursor={next}"))).await;
    let page2: serde_json::Value = serde_json::from_str(&r2.body).unwrap();
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    assert_ne!(page2["items"][0]["id"], page["items"][0]["id"]);
    assert!(page2["next"].is_null());

    // The same answer again: 304 with the same tag.
    let tag = r.headers[header::ETAG].to_str().unwrap().to_owned();
    let mut again = get("/api/v1/complaints?limit=1");
    again.headers_mut().insert(header::IF_NONE_MATCH, tag.parse().unwrap());
    let r = common::send(&app, again).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert_eq!(r.headers[header::ETAG].to_str().unwrap(), tag);

    let r = common::send(&app, get(&format!("/api/v1/complaints?format=csv&business={code}"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert!(r.body.starts_with("id,business_key,"));
    assert_eq!(r.body.lines().count(), 3, "a header and two complaints");

    let r = common::send(&app, get("/api/v1/complaints?county=1&limit=500&from=2026-13")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let fields: Vec<&str> = e["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["county", "from", "limit"]);

    // A query that does not read as the parameters: the API's own 422, not the framework's 400.
    let r = common::send(&app, get("/api/v1/complaints?county=630102&county=630103")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(r#""field":"query""#), "{}", r.body);

    let r = common::send(&app, get(&format!("/api/v1/businesses/{code}"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (b["complaints"].as_i64(), b["accepted"].as_i64(), b["mediation_rate"].as_f64()),
        (Some(2), Some(2), Some(0.0))
    );
    let r = common::send(&app, get("/api/v1/businesses/n:630102:nobody-here")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("not_found"));
    let r = common::send(&app, get("/api/v1/businesses?q=%E7%94%B5%E5%99%A8")).await;
    assert!(r.body.contains(&code), "{}", r.body);

    let r = common::send(&app, get("/api/v1/stats?period=2026&breakdown=prefecture")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers[header::CACHE_CONTROL], "public, max-age=60", "the figures may be kept a minute");
    let s: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(s["totals"]["received"].as_i64(), Some(2));
    let r = common::send(&app, get("/api/v1/stats?period=soon&breakdown=colour")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("\"period\"") && r.body.contains("\"breakdown\""));

    for path in ["/api/v1/divisions", "/api/v1/categories", "/api/v1/cases"] {
        assert_eq!(common::send(&app, get(path)).await.status, StatusCode::OK, "{path}");
    }
    let r = common::send(&app, Request::options("/api/v1/complaints").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");

    let r = common::send(&app, get("/api/v1/openapi.json")).await;
    let doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in ["/api/v1/stats", "/api/v1/complaints", "/api/v1/businesses/{key}", "/api/v1/divisions"] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} documented");
    }
    assert!(doc["components"]["schemas"]["Complaint"].is_object());
}

/// Two servers on one database share an address's budget: the fourth request of a minute from
/// one address is refused with 429 and `Retry-After`, on whichever server; another address goes on.
async fn the_budget_of_requests_is_shared_by_the_servers(store: Arc<dyn Store>) {
    let server = || {
        let mut state = common::app_state(store.clone(), false);
        state.services.budgets = app::service::budget::Budgets { api_per_minute: 3, ..Default::default() };
        common::App::new(state, store.clone(), tempfile::tempdir().unwrap())
    };
    let (one, two) = (server(), server());
    for app in [&one, &two, &one] {
        assert_eq!(common::send_from(app, get("/api/v1/divisions"), "203.0.113.7").await.status, StatusCode::OK);
    }
    let r = common::send_from(&two, get("/api/v1/divisions"), "203.0.113.7").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = r.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(r.body.contains("too_many_requests"));
    assert_eq!(common::send_from(&one, get("/api/v1/divisions"), "203.0.113.8").await.status, StatusCode::OK);
}

on_both_databases!(
    the_api_answers_in_json_and_csv_without_personal_data,
    the_budget_of_requests_is_shared_by_the_servers
);
