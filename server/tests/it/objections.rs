//! Objections to disclosed complaints, through the portal's routes on both databases: a
//! business objects to an item of its own record (never another's), a handler on a business's
//! behalf within its counties, a supervisor decides; a hidden item is gone from the page, the
//! API and the feed at once and stays hidden when the complaint is disclosed again; a
//! correction replaces the account (redacted) and is marked; every step is in the audit log.

use crate::common;
use crate::records::{file, steps};

use app::domain::workflow::Action;
use app::ports::Store;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::sync::Arc;

const PASSWORD: &str = "a long staff password";

async fn staff_cookie(app: &common::App, user: &str, role: &str, bureau: Option<&str>) -> String {
    let now = time::OffsetDateTime::now_utc();
    let s = &app.state.services;
    app::service::staff::set_account(s, user, role, bureau.map(str::to_owned), Some(PASSWORD.into()), now)
        .await
        .unwrap();
    sign_in(app, user, PASSWORD).await
}

async fn sign_in(app: &common::App, user: &str, password: &str) -> String {
    let now = time::OffsetDateTime::now_utc();
    let form = app::domain::staff::LoginForm { username: user.into(), password: password.into() };
    let (token, _) = app::service::staff::sign_in(&app.state.services, &form, "test", now)
        .await
        .unwrap()
        .session()
        .expect("signed in with a password alone");
    format!("staff={token}")
}

/// A business of the register with an account: its session cookie.
async fn business_cookie(app: &common::App, user: &str, code: &str, name: &str) -> String {
    let now = time::OffsetDateTime::now_utc();
    let s = &app.state.services;
    let supervisor = app::domain::staff::Staff::new(
        app::domain::staff::Username::parse("register-super").unwrap(),
        app::domain::workflow::Role::Supervisor,
        None,
    )
    .unwrap();
    let form = app::domain::business::BusinessForm {
        credit_code: code.into(),
        name: name.into(),
        address: "西宁市城东区八一路1号".into(),
        county: "630102".into(),
        ..Default::default()
    };
    app::service::register::add(s, &supervisor, &form, now).await.unwrap();
    let password = app::service::register::set_account(s, Some(&supervisor), user, code, now).await.unwrap();
    sign_in(app, user, &password).await
}

fn post(path: &str, cookie: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(serde_urlencoded::to_string(pairs).unwrap()))
        .unwrap()
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::get(path);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::empty()).unwrap()
}

async fn objections_are_decided_and_a_take_down_holds_everywhere(store: Arc<dyn Store>) {
    let at = time::OffsetDateTime::now_utc() - time::Duration::hours(2);
    let today = app::domain::clock::china_date(at);
    let case = common::complaint(today);
    let code = case.business.as_ref().unwrap().credit_code.clone().unwrap().as_str().to_owned();
    let other = app::domain::credit_code::CreditCode::with_check("91630102MA0000077").unwrap().as_str().to_owned();
    let mut theirs = case.clone();
    theirs.business.as_mut().unwrap().credit_code = Some(app::domain::credit_code::CreditCode::parse(&other).unwrap());
    let refuse = [Action::Refuse { ground: 3 }, Action::Close];
    let mut ours = Vec::new();
    for _ in 0..3 {
        let no = file(&store, case.clone(), at).await;
        steps(&store, &no, &refuse, at).await;
        ours.push(no);
    }
    let no = file(&store, theirs, at).await;
    steps(&store, &no, &refuse, at).await;
    let now = time::OffsetDateTime::now_utc();
    assert_eq!(
        app::service::disclosure::sweep(store.as_ref(), now, app::service::disclosure::SETTLE).await.unwrap(),
        4
    );
    let filter = |k: &str| app::ports::DisclosedFilter { business_key: Some(k.into()), ..Default::default() };
    let items: Vec<i64> = store.disclosed(&filter(&code), None, 10).await.unwrap().iter().map(|i| i.id).collect();
    let their_item = store.disclosed(&filter(&other), None, 10).await.unwrap()[0].id;
    assert_eq!(items.len(), 3);
    let (hide, correct, keep) = (items[0], items[1], items[2]);

    let app = common::App::new(common::app_state(store.clone(), false), store.clone(), tempfile::tempdir().unwrap());
    let shop = business_cookie(&app, "shop-desk", &code, "福州示例电器有限公司").await;
    let them = business_cookie(&app, "their-desk", &other, "西宁另一商贸有限公司").await;
    let here = staff_cookie(&app, "handler-here", "handler", Some("630102")).await;
    let elsewhere = staff_cookie(&app, "handler-far", "handler", Some("632801")).await;
    let boss = staff_cookie(&app, "super-one", "supervisor", None).await;

    // The business's console lists its own items with the objection form, no one else's.
    let r = common::send(&app, get("/staff/business/record", Some(&shop))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for id in &items {
        assert!(r.body.contains(&format!(r#"data-id="{id}""#)), "item {id} listed: {}", r.body);
    }
    assert!(!r.body.contains(&format!(r#"data-id="{their_item}""#)));
    assert_eq!(common::send(&app, get("/staff/business/record", Some(&here))).await.status, StatusCode::FORBIDDEN);

    let reason = "这条投诉涉及的商品不是本店销售的，订单号也不是本店的。";
    let label = |id: i64| format!("D{id}");
    // Another business's item is no item of this account's; a short reason is refused.
    let r =
        common::send(&app, post("/staff/business/objections", &them, &[("item", &label(hide)), ("reason", reason)]))
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r =
        common::send(&app, post("/staff/business/objections", &shop, &[("item", &label(hide)), ("reason", "不对")]))
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&format!(r#"id="obj-reason-{hide}-error""#)), "{}", r.body);
    let r =
        common::send(&app, post("/staff/business/objections", &shop, &[("item", &label(hide)), ("reason", reason)]))
            .await;
    assert_eq!(
        (r.status, r.headers[header::LOCATION].to_str().unwrap()),
        (StatusCode::SEE_OTHER, "/staff/business/record?done=filed")
    );
    let r =
        common::send(&app, post("/staff/business/objections", &shop, &[("item", &label(hide)), ("reason", reason)]))
            .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "one objection at a time");
    assert!(r.body.contains(r#"data-testid="obj-problem""#));
    // A handler files for a business of its counties, not of another bureau's.
    let r = common::send(&app, post("/staff/objections", &elsewhere, &[("item", &label(correct)), ("reason", reason)]))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in [correct, keep] {
        let r = common::send(&app, post("/staff/objections", &here, &[("item", &id.to_string()), ("reason", reason)]))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }

    // The handler sees them without a decision form; the supervisor decides.
    let r = common::send(&app, get("/staff/objections", Some(&here))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(reason) && !r.body.contains(r#"data-testid="decision-form""#), "{}", r.body);
    let open = store.objections(None, 10).await.unwrap();
    assert_eq!(open.len(), 3);
    let id_of = |item: i64| open.iter().find(|o| o.new.item == item).unwrap().id;
    let decide = |who: &str, item: i64, pairs: &[(&str, &str)]| {
        let path = format!("/staff/objections/{}", id_of(item));
        common::send(&app, post(&path, who, pairs))
    };
    assert_eq!(decide(&here, hide, &[("decision", "hide"), ("note", "核实属实")]).await.status, StatusCode::FORBIDDEN);
    let r = decide(&boss, correct, &[("decision", "correct"), ("note", "核实后更正")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&format!(r#"id="dec-correction-{}-error""#, id_of(correct))), "{}", r.body);

    let page = format!("/businesses/{code}");
    let api = format!("/api/v1/complaints?business={code}");
    let feed = format!("/businesses/{code}/feed.atom");
    let before = common::send(&app, get(&api, None)).await;
    assert!(before.body.contains(&format!(r#""id":{hide},"#)));
    assert_eq!(before.headers[header::CACHE_CONTROL], "public, no-cache", "a cache asks again: a take-down holds");

    let r = decide(&boss, hide, &[("decision", "hide"), ("note", "核实属实，撤下")]).await;
    assert_eq!(
        (r.status, r.headers[header::LOCATION].to_str().unwrap()),
        (StatusCode::SEE_OTHER, "/staff/objections?done=hide")
    );
    assert_eq!(decide(&boss, hide, &[("decision", "keep"), ("note", "再议")]).await.status, StatusCode::CONFLICT);
    let corrected = "商品为充电宝，并非洗衣机。联系电话13812341234";
    let r = decide(&boss, correct, &[("decision", "correct"), ("note", "核实后更正"), ("correction", corrected)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(decide(&boss, keep, &[("decision", "keep"), ("note", "投诉属实")]).await.status, StatusCode::SEE_OTHER);

    // Gone from the page, the API and the feed; the correction shown (its phone number redacted).
    let check = |hidden: i64| {
        let (page, api, feed) = (page.clone(), api.clone(), feed.clone());
        let app = &app;
        async move {
            let p = common::send(app, get(&page, None)).await;
            assert!(!p.body.contains(&format!(r#"data-id="{hidden}""#)), "hidden from the page");
            assert!(p.body.contains(r#"data-testid="corrected""#) && p.body.contains("商品为充电宝"), "{}", p.body);
            assert!(p.body.contains(&format!(r#"data-id="{keep}""#)));
            let a = common::send(app, get(&api, None)).await;
            assert!(!a.body.contains(&format!(r#""id":{hidden},"#)), "hidden from the API: {}", a.body);
            assert!(a.body.contains(r#""corrected_on":""#), "{}", a.body);
            let f = common::send(app, get(&feed, None)).await;
            let parsed: atom_syndication::Feed = f.body.parse().unwrap();
            assert_eq!(parsed.entries().len(), 2, "hidden from the feed");
            assert!(!f.body.contains(&format!("#complaint-{hidden}")));
            for body in [&p.body, &a.body, &f.body] {
                assert!(!body.contains("13812341234"), "the correction is redacted too");
            }
        }
    };
    check(hide).await;
    // Disclosed again at a later version (reopened and closed): still hidden, still corrected.
    for id in [hide, correct] {
        let (item, _) = store.disclosed_item(id).await.unwrap().unwrap();
        let mut original = item.item.clone();
        original.issue = Some("原来的内容".into());
        store.disclose(&[(id, original, 1_000)], app::domain::clock::unix_ms(now)).await.unwrap();
    }
    check(hide).await;

    // The business reads the decisions on its objections.
    let r = common::send(&app, get("/staff/business/record", Some(&shop))).await;
    assert!(r.body.contains("撤下") && r.body.contains("核实属实，撤下"), "{}", r.body);
    // Every step in the audit log.
    let log: Vec<String> = store.audit_recent(50).await.unwrap().into_iter().map(|e| e.action).collect();
    for action in ["objection_file", "objection_hide", "objection_correct", "objection_keep"] {
        assert!(log.iter().any(|a| a == action), "{action} audited: {log:?}");
    }
    assert_eq!(log.iter().filter(|a| *a == "objection_file").count(), 3);
}

on_both_databases!(objections_are_decided_and_a_take_down_holds_everywhere);
