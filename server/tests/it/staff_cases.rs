//! Staff working cases through the real router: steps on the version seen, remits, intake,
//! evidence, the audit log, the follow-up visit and publishing typical cases.

use crate::common;
use crate::staff::*;
use app::domain::workflow::Role;
use app::ports::AuditEntry;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use time::OffsetDateTime;

async fn post_step(app: &App, no: &str, cookie: Option<&str>, pairs: &[(&str, &str)]) -> Reply {
    let mut req =
        Request::post(format!("/staff/cases/{no}")).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::from(serde_urlencoded::to_string(pairs).unwrap())).unwrap()).await
}

/// Posts a step that the case takes: the page answers with a redirect.
async fn step_taken(app: &App, no: &str, cookie: &str, pairs: &[(&str, &str)]) {
    let r = post_step(app, no, Some(cookie), pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

/// The server with a new complaint at bureau 630102, and the cookie of `handler1`, a handler
/// of that bureau, signed in.
async fn handler_and_complaint() -> (App, app::domain::case::CaseNo, String) {
    let app = app().await;
    account(&app, "handler1", "handler", Some("630102")).await;
    let no = common::new_complaint(app.store.as_ref()).await;
    let cookie = cookie_of(&sign_in(&app, "handler1", PASSWORD).await);
    (app, no, cookie)
}

#[tokio::test]
async fn a_handler_works_a_case_of_their_bureau_on_the_version_they_saw() {
    let (app, no, cookie) = handler_and_complaint().await;
    let page = get(&app, &format!("/staff/cases/{no}"), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("13812341234"), "staff see the phone in full");
    let viewed = app.store.audit_recent(5).await.unwrap();
    assert!(
        viewed.iter().any(|e| e.action == "view_case" && e.subject.as_deref() == Some(no.as_str())),
        "the view is audited"
    );

    // Refusing needs its ground: a field error, nothing stored.
    let r = post_step(&app, no.as_str(), Some(&cookie), &[("action", "refuse"), ("version", "1")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("refuse-ground-error"));
    step_taken(&app, no.as_str(), &cookie, &[("action", "accept"), ("version", "1"), ("note", "已电话联系商家")]).await;
    let events = app.store.events(&no).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!((last.action.code(), last.actor_id.as_deref()), ("accept", Some("handler1")));
    assert_eq!(last.note.as_deref(), Some("已电话联系商家"));

    // A second step made from the old page is refused and shows the case as it is now.
    let r =
        post_step(&app, no.as_str(), Some(&cookie), &[("action", "refuse"), ("ground", "1"), ("version", "1")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("刚被其他人处理过"));
    assert!(r.body.contains("已受理"), "the current state is shown");
    assert_eq!(app.store.events(&no).await.unwrap().len(), 2);
    let page = get(&app, &format!("/staff/cases/{no}"), Some(&cookie)).await;
    assert!(page.body.contains("内部备注") && page.body.contains("已电话联系商家"), "staff see the notes");
}

#[tokio::test]
async fn no_one_works_a_case_outside_their_remit() {
    let app = app().await;
    account(&app, "handler9", "handler", Some("632801")).await;
    account(&app, "admin2", "admin", None).await;
    let no = common::new_complaint(app.store.as_ref()).await;
    for user in ["handler9", "admin2"] {
        let cookie = cookie_of(&sign_in(&app, user, PASSWORD).await);
        let page = get(&app, &format!("/staff/cases/{no}"), Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{user}");
        assert!(!page.body.contains("13812341234"), "{user}");
        let r = post_step(&app, no.as_str(), Some(&cookie), &[("action", "accept"), ("version", "1")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }
    let r = post_step(&app, no.as_str(), None, &[("action", "accept"), ("version", "1")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The server functions check the session themselves.
    use leptos::server_fn::ServerFn;
    let body = serde_urlencoded::to_string([("case_no", no.as_str())]).unwrap();
    let req = Request::post(<app::server_fns::staff::GetStaffCase as ServerFn>::PATH)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(body))
        .unwrap();
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert!(!r.body.contains("13812341234"));
    assert_eq!(app.store.get(&no).await.unwrap().unwrap().state, app::domain::workflow::CaseState::Received);
}

fn intake_pairs(key: &str) -> Vec<(String, String)> {
    let today = app::domain::calendar::format_date(app::domain::clock::china_date(OffsetDateTime::now_utc()));
    let f = app::domain::filing::sample_complaint(&today, key);
    let v = serde_json::to_value(&f).unwrap();
    let mut pairs: Vec<(String, String)> =
        v.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect();
    pairs.push(("channel".into(), "phone".into()));
    pairs
}

async fn post_intake(app: &App, cookie: &str, pairs: &[(String, String)]) -> Reply {
    let req = Request::post("/staff/intake")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(serde_urlencoded::to_string(pairs).unwrap()))
        .unwrap();
    send(app, req).await
}

#[tokio::test]
async fn an_intake_operator_registers_an_agents_complaint_and_an_anonymous_report() {
    use app::domain::party::Representation;
    let app = app().await;
    account(&app, "operator2", "intake_operator", None).await;
    let cookie = cookie_of(&sign_in(&app, "operator2", PASSWORD).await);
    let set = |pairs: &mut Vec<(String, String)>, key: &str, value: &str| {
        pairs.retain(|(k, _)| k != key);
        pairs.push((key.into(), value.into()));
    };
    let mut agent = intake_pairs("intake-key-agent-0123456789");
    set(&mut agent, "filing_as", "agent");
    let r = post_intake(&app, &cookie, &agent).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("agent_name-error") && r.body.contains("agent_phone-error"), "{}", r.body);
    set(&mut agent, "agent_name", "赵小明");
    set(&mut agent, "agent_phone", "13900001234");
    let r = post_intake(&app, &cookie, &agent).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let mut report = intake_pairs("intake-key-anonymous-0123456789");
    set(&mut report, "kind", "report");
    set(&mut report, "category", "R01");
    set(&mut report, "demand", "");
    set(&mut report, "anonymous", "on");
    for k in ["consumer_name", "consumer_phone", "consumer_address"] {
        set(&mut report, k, "");
    }
    let r = post_intake(&app, &cookie, &report).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let year = app::domain::clock::china_date(OffsetDateTime::now_utc()).year();
    let first = app.store.get(&app::domain::case::CaseNo::new(year, 1)).await.unwrap().unwrap();
    assert!(
        matches!(&first.content.representation, Some(Representation::Agent { name, .. }) if name.as_str() == "赵小明")
    );
    let second = app.store.get(&app::domain::case::CaseNo::new(year, 2)).await.unwrap().unwrap();
    assert_eq!((second.kind, second.content.consumer.is_none()), (app::domain::kind::ItemKind::Report, true));
}

#[tokio::test]
async fn an_intake_operator_registers_a_phone_complaint_once() {
    let app = app().await;
    account(&app, "operator1", "intake_operator", None).await;
    account(&app, "handler1", "handler", Some("630102")).await;
    let cookie = cookie_of(&sign_in(&app, "operator1", PASSWORD).await);
    let form = get(&app, "/staff/intake", Some(&cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"key\""));

    let pairs = intake_pairs("intake-key-0123456789");
    let r = post_intake(&app, &cookie, &pairs).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.body.contains("QH-") && r.body.contains("data-testid=\"query-code\""));
    // A second submission of the same form (a reload, a double click) registers nothing new.
    let again = post_intake(&app, &cookie, &pairs).await;
    assert_eq!(again.status, StatusCode::CREATED);
    let year = app::domain::clock::china_date(OffsetDateTime::now_utc()).year();
    let no = app::domain::case::CaseNo::new(year, 1);
    let case = app.store.get(&no).await.unwrap().expect("the case");
    assert_eq!(case.channel, app::domain::kind::Channel::Phone);
    assert!(app.store.get(&app::domain::case::CaseNo::new(year, 2)).await.unwrap().is_none(), "one case only");
    let events = app.store.events(&no).await.unwrap();
    assert_eq!((events[0].actor_role, events[0].actor_id.as_deref()), (Role::IntakeOperator, Some("operator1")));

    // The same checks as online: bad fields come back with their errors, nothing stored.
    let mut bad = intake_pairs("intake-key-bad-0123456789");
    bad.retain(|(k, _)| k != "channel");
    bad.push(("channel".into(), "web".into()));
    for (k, v) in bad.iter_mut() {
        if k == "consumer_phone" {
            *v = "12345".into();
        }
    }
    let r = post_intake(&app, &cookie, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("channel-error") && r.body.contains("consumer_phone-error"));

    // A handler does not register items.
    let h = cookie_of(&sign_in(&app, "handler1", PASSWORD).await);
    let r = post_intake(&app, &h, &intake_pairs("intake-key-handler-012345")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn evidence_is_served_to_staff_who_may_see_the_case_and_the_view_is_audited() {
    let app = app().await;
    account(&app, "handler1", "handler", Some("630102")).await;
    account(&app, "handler9", "handler", Some("632801")).await;
    let (no, id) = common::complaint_with_photo(&app.state.services, app.store.as_ref()).await;
    let path = format!("/staff/evidence/{id}");

    let mine = cookie_of(&sign_in(&app, "handler1", PASSWORD).await);
    let page = get(&app, &format!("/staff/cases/{no}"), Some(&mine)).await;
    assert!(page.body.contains(&path), "the case page links the file");
    let r = get(&app, &path, Some(&mine)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    let audited = app.store.audit_recent(5).await.unwrap();
    assert!(audited.iter().any(|e| e.action == "view_evidence" && e.actor.as_deref() == Some("handler1")));

    let other = cookie_of(&sign_in(&app, "handler9", PASSWORD).await);
    assert_eq!(get(&app, &path, Some(&other)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(get(&app, &path, None).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&app, "/staff/evidence/0123456789abcdef0123456789abcdef", Some(&mine)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn supervisors_read_the_audit_log() {
    let app = app().await;
    account(&app, "super1", "supervisor", None).await;
    let _ = sign_in(&app, "nobody-here", "wrong password").await;
    let cookie = cookie_of(&sign_in(&app, "super1", PASSWORD).await);
    let page = get(&app, "/staff/audit", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("sign_in_failed") && page.body.contains("nobody-here"));
    assert!(page.body.contains("super1"));
    assert!(!page.body.contains("更早的记录"), "one page so far");

    for i in 0..120 {
        let e = AuditEntry {
            at: 1,
            actor: Some("robot".into()),
            action: format!("filler-{i:03}"),
            subject: None,
            client: None,
        };
        app.store.audit(&e).await.unwrap();
    }
    let page = get(&app, "/staff/audit", Some(&cookie)).await;
    assert!(page.body.contains("filler-119") && !page.body.contains("filler-019"), "the newest 100 first");
    let next = page.body.split("/staff/audit?before=").nth(1).expect("a link to older entries");
    let before: String = next.chars().take_while(char::is_ascii_digit).collect();
    let older = get(&app, &format!("/staff/audit?before={before}"), Some(&cookie)).await;
    assert_eq!(older.status, StatusCode::OK);
    assert!(older.body.contains("filler-019") && older.body.contains("sign_in_failed"));
    assert!(!older.body.contains("filler-020"), "no entry twice");
}

#[tokio::test]
async fn the_follow_up_visit_is_recorded_on_a_closed_case() {
    let (app, no, cookie) = handler_and_complaint().await;
    let settle = [("action", "record_settlement"), ("recovered", "100"), ("agreement", "退款100元")];
    let steps: [&[(&str, &str)]; 4] = [
        &[("action", "accept")],
        &[("action", "start_mediation"), ("method", "phone")],
        &settle,
        &[("action", "close")],
    ];
    for (i, step) in steps.iter().enumerate() {
        let version = (i + 1).to_string();
        let mut pairs = step.to_vec();
        pairs.push(("version", &version));
        assert_eq!(post_step(&app, no.as_str(), Some(&cookie), &pairs).await.status, StatusCode::SEE_OTHER, "{step:?}");
    }
    // Not possible before closure, required text, then recorded.
    let r = post_step(&app, no.as_str(), Some(&cookie), &[("action", "follow_up"), ("version", "5")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    step_taken(
        &app,
        no.as_str(),
        &cookie,
        &[("action", "follow_up"), ("text", "电话回访：消费者满意"), ("version", "5")],
    )
    .await;
    let last = app.store.events(&no).await.unwrap().pop().unwrap();
    assert_eq!((last.action.code(), last.detail.as_deref()), ("follow_up", Some("电话回访：消费者满意")));
    assert_eq!(app.store.get(&no).await.unwrap().unwrap().state, app::domain::workflow::CaseState::Closed);
}

async fn post_review(app: &App, cookie: &str, pairs: &[(&str, &str)]) -> Reply {
    let req = Request::post("/staff/publish")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie);
    send(app, req.body(Body::from(serde_urlencoded::to_string(pairs).unwrap())).unwrap()).await
}

#[tokio::test]
async fn a_supervisor_publishes_a_redacted_typical_case_and_it_is_searchable() {
    use app::domain::workflow::{Action, Actor, MediationMethod};
    let app = app().await;
    let now = OffsetDateTime::now_utc();
    let today = app::domain::clock::china_date(now);
    // A consented complaint whose facts name the consumer and give phone and order numbers.
    let mut input = common::complaint_input();
    input.incident_on = app::domain::calendar::format_date(today - time::Duration::days(2));
    input.facts = "我叫张三，电话13812341234，订单A-2026-1120的洗衣机无法脱水，商家拒绝退货。".into();
    let case = app::domain::case::CaseForCreate::parse(&input, today).unwrap();
    let (c, _) = app::service::filing::receive(app.store.as_ref(), case, &app::service::filing::consumer(), now, None)
        .await
        .unwrap();
    let sup = Actor { role: Role::Supervisor, bureau: None, business: None };
    for step in [
        Action::Accept,
        Action::StartMediation { method: MediationMethod::Phone, on_site: None },
        Action::RecordSettlement {
            recovered: app::domain::money::Fen(150_000),
            agreement: app::domain::fields::Note::parse("退货退款").unwrap(),
        },
        Action::Close,
    ] {
        let v = app.store.get(&c.case_no).await.unwrap().unwrap().version;
        app::service::step::act(app.store.as_ref(), &c.case_no, v, &sup, None, &step, None, now).await.unwrap();
    }
    account(&app, "pub-super", "supervisor", None).await;
    account(&app, "pub-handler", "handler", Some("630102")).await;
    let sup_cookie = cookie_of(&sign_in(&app, "pub-super", PASSWORD).await);
    let handler_cookie = cookie_of(&sign_in(&app, "pub-handler", PASSWORD).await);

    let (none, _) = (get(&app, "/cases", None).await, ());
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body.contains("no-cases"), "nothing published before review");

    let queue = get(&app, "/staff/publish", Some(&sup_cookie)).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains(r#"data-testid="draft""#) && queue.body.contains("洗衣机无法脱水"));
    assert!(!queue.body.contains("13812341234") && !queue.body.contains("A-2026-1120") && !queue.body.contains("张三"));
    assert!(queue.body.contains("经营者退赔消费者1500.00元"), "the outcome from the steps");
    let refused = get(&app, "/staff/publish", Some(&handler_cookie)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let no = c.case_no.as_str();
    let post = post_review(
        &app,
        &handler_cookie,
        &[("case_no", no), ("facts", "足够长的事实描述文字"), ("decision", "approve")],
    )
    .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN, "only supervisors publish");

    // Too short: refused with the field named, the text kept.
    let short = post_review(&app, &sup_cookie, &[("case_no", no), ("facts", "太短"), ("decision", "approve")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("field-error") && short.body.contains(">太短</textarea>"));
    // An edit that brings a phone number back is redacted again.
    let facts = "消费者购买的洗衣机无法脱水，商家拒绝退货，可致电13900001111联系。";
    let ok = post_review(&app, &sup_cookie, &[("case_no", no), ("facts", facts), ("decision", "approve")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let again = post_review(&app, &sup_cookie, &[("case_no", no), ("facts", facts), ("decision", "approve")]).await;
    assert!(again.status == StatusCode::NOT_FOUND || again.status == StatusCode::CONFLICT, "reviewed once");

    let list = get(&app, "/cases", None).await;
    assert!(list.body.contains(r#"data-testid="typical-case""#) && list.body.contains("洗衣机无法脱水"));
    assert!(!list.body.contains("13900001111") && list.body.contains("[电话]"));
    assert!(!list.body.contains(no), "no case number on the public page");
    let xining = get(&app, "/cases?prefecture=630100&category=G05", None).await;
    assert!(xining.body.contains("typical-case"));
    let elsewhere = get(&app, "/cases?prefecture=632800", None).await;
    assert!(elsewhere.body.contains("no-cases"));
    let bad = get(&app, "/cases?category=%27%20OR%201%3D1", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("cases-error"));
    // Its words feed the keyword cloud.
    let stats = get(&app, "/stats", None).await;
    assert!(stats.body.contains(r#"data-testid="cloud""#) && stats.body.contains("洗衣机"), "keyword cloud");
    let audit = app.store.audit_recent(10).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "publish_case" && e.subject.as_deref() == Some(no)));
}
