//! What the open-day screen's walk-through panel follows: by itself the latest complaint, or what
//! a supervisor chooses in the console (a case, or the latest step of a kind), audited.

use crate::common::{self, send, App};
use crate::staff::{account, cookie_of, get, sign_in, PASSWORD};
use app::domain::kind::ItemKind;
use app::service::screen::followed;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

async fn choose(app: &App, cookie: &str, follow: &str, back: &str) -> common::Reply {
    let body = serde_urlencoded::to_string([("follow", follow), ("back", back)]).unwrap();
    let req = Request::post("/staff/screen")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

#[tokio::test]
async fn the_panel_follows_the_latest_complaint_by_itself_or_what_a_supervisor_chooses() {
    let app = common::app().await;
    let store = app.store.as_ref();
    let (complaint, _) = crate::track::receive(store, ItemKind::Complaint).await;
    let (report, _) = crate::track::receive(store, ItemKind::Report).await;
    // Nothing chosen: the latest complaint's steps, not an empty panel.
    assert_eq!(followed(store).await.unwrap(), Some(complaint.clone()));
    let wall = get(&app, "/stats/screen", None).await;
    assert!(!wall.body.contains("尚未选择演示案件"), "the panel shows a case");
    let (newer, _) = crate::track::receive(store, ItemKind::Complaint).await;
    assert_eq!(followed(store).await.unwrap(), Some(newer.clone()), "and moves on to the next one");

    account(&app, "screen-super", "supervisor", None).await;
    account(&app, "screen-handler", "handler", Some("630102")).await;
    let supervisor = cookie_of(&sign_in(&app, "screen-super", PASSWORD).await);
    let handler = cookie_of(&sign_in(&app, "screen-handler", PASSWORD).await);
    // The case page offers the choice to a supervisor only.
    let page = get(&app, &format!("/staff/cases/{complaint}"), Some(&supervisor)).await;
    assert!(page.body.contains(r#"data-testid="screen-follow""#) && page.body.contains("大屏的办理演示没有跟随本案"));
    let page = get(&app, &format!("/staff/cases/{complaint}"), Some(&handler)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(r#"data-testid="screen-follow""#));
    assert_eq!(choose(&app, &handler, complaint.as_str(), "/staff").await.status, StatusCode::FORBIDDEN);

    let back = format!("/staff/cases/{complaint}");
    let r = choose(&app, &supervisor, complaint.as_str(), &back).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], format!("{back}?done=screen").as_str());
    assert_eq!(followed(store).await.unwrap(), Some(complaint.clone()));
    let page = get(&app, &format!("/staff/cases/{complaint}"), Some(&supervisor)).await;
    assert!(page.body.contains("大屏的办理演示正在跟随本案"));

    let r = choose(&app, &supervisor, "latest:report", "https://elsewhere.example/").await;
    assert_eq!(r.headers[header::LOCATION], "/staff?done=screen", "back into the console only");
    assert_eq!(followed(store).await.unwrap(), Some(report));
    assert_eq!(choose(&app, &supervisor, "QH-2026-999999", "/staff").await.status, StatusCode::NOT_FOUND);
    assert_eq!(choose(&app, &supervisor, "latest:nothing", "/staff").await.status, StatusCode::BAD_REQUEST);

    let audit = app.store.audit_recent(20).await.unwrap();
    let chosen: Vec<_> = audit
        .iter()
        .filter(|e| e.action == "screen_follow")
        .map(|e| (e.actor.clone().unwrap_or_default(), e.subject.clone().unwrap_or_default()))
        .collect();
    assert_eq!(chosen.len(), 2, "{chosen:?}");
    assert!(chosen.contains(&("screen-super".into(), complaint.as_str().into())));
    assert!(chosen.contains(&("screen-super".into(), "latest:report".into())));
}
