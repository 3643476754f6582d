//! Staff sign-in through the real router and store: first-start admin, sign-in and its cookie,
//! wrong passwords and the lockout, sessions that end, the audit log, and the work queue each
//! role may see. The storage side runs on both databases.

use crate::common;

use app::domain::staff::{Staff, Username, SESSION_IDLE_MS};
use app::domain::workflow::Role;
use app::ports::{AuditEntry, StaffAccount, StaffStore, Store};
use app::service::staff as svc;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::sync::Arc;
use time::OffsetDateTime;
use tower::ServiceExt;

struct App {
    router: Router,
    state: server::web::AppState,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

async fn app() -> App {
    let (store, dir) = common::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(store);
    let state = common::app_state(store.clone(), false);
    App { router: server::web::app(state.clone()), state, store, _dir: dir }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(app: &App, mut req: Request<Body>) -> Reply {
    req.extensions_mut().insert(ConnectInfo("10.9.0.1:5000".parse::<SocketAddr>().unwrap()));
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned();
    Reply { status, headers, body }
}

async fn sign_in(app: &App, user: &str, password: &str) -> Reply {
    let body = serde_urlencoded::to_string([("username", user), ("password", password)]).unwrap();
    let req = Request::post("/staff/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

async fn get(app: &App, path: &str, cookie: Option<&str>) -> Reply {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

fn cookie_of(r: &Reply) -> String {
    r.headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned()
}

const PASSWORD: &str = "a long staff password";

async fn account(app: &App, user: &str, role: &str, bureau: Option<&str>) {
    svc::set_account(
        &app.state.services,
        user,
        role,
        bureau.map(str::to_owned),
        Some(PASSWORD.into()),
        OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_first_start_creates_one_admin_with_a_random_password() {
    let app = app().await;
    let now = OffsetDateTime::now_utc();
    let password = svc::ensure_admin(&app.state.services, now).await.unwrap().expect("an admin is created");
    assert_eq!(password.len(), 20);
    assert_eq!(svc::ensure_admin(&app.state.services, now).await.unwrap(), None, "only once");
    let stored = app.store.staff_get("admin").await.unwrap().unwrap();
    assert!(!stored.password_hash.contains(&password), "only the hash is stored");
    let r = sign_in(&app, "admin", &password).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // An admin manages accounts, not cases.
    let page = get(&app, "/staff", Some(&cookie_of(&r))).await;
    assert!(page.body.contains("管理员账号不办理案件"), "{}", page.body);
}

#[tokio::test]
async fn staff_pages_need_a_session_and_sign_in_sets_a_strict_cookie() {
    let app = app().await;
    account(&app, "li.handler", "handler", Some("630102")).await;
    let r = get(&app, "/staff", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/staff/login");
    let r = get(&app, "/staff", Some("staff=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "an invented token is no session");

    let r = sign_in(&app, "Li.Handler", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers[header::LOCATION], "/staff");
    let set = r.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    let cookie = cookie_of(&r);
    let page = get(&app, "/staff", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("li.handler（承办人，城东区市场监督管理局）"), "{}", page.body);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");

    // Sign-out ends the session on the server, not just in the browser.
    let req = Request::post("/staff/logout").header(header::COOKIE, &cookie).body(Body::empty()).unwrap();
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.headers[header::SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
    let r = get(&app, "/staff", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let actions: Vec<_> = app.store.audit_recent(10).await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions[..2], ["sign_out".to_owned(), "sign_in".to_owned()]);
}

#[tokio::test]
async fn wrong_passwords_are_refused_alike_and_five_lock_the_account() {
    let app = app().await;
    account(&app, "wang", "supervisor", None).await;
    let unknown = sign_in(&app, "nobody", PASSWORD).await;
    let wrong = sign_in(&app, "wang", "not the password").await;
    assert_eq!((unknown.status, wrong.status), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert!(unknown.body.contains("用户名或密码不正确") && wrong.body.contains("用户名或密码不正确"));
    assert!(!wrong.body.contains("not the password"), "the password is never sent back");
    for _ in 0..3 {
        assert_eq!(sign_in(&app, "wang", "still wrong").await.status, StatusCode::UNAUTHORIZED);
    }
    let fifth = sign_in(&app, "wang", "wrong again").await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    let right = sign_in(&app, "wang", PASSWORD).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "locked, whatever the password");
    assert!(right.body.contains("15分钟"));
    let failures =
        app.store.audit_recent(20).await.unwrap().into_iter().filter(|e| e.action == "sign_in_failed").count();
    assert_eq!(failures, 6);
    // Bad input is a field error.
    let r = sign_in(&app, "", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("username-error") && r.body.contains("password-error"));
}

#[tokio::test]
async fn sessions_end_after_idle_time_and_for_disabled_accounts() {
    let app = app().await;
    account(&app, "zhao", "supervisor", None).await;
    let s = &app.state.services;
    let now = OffsetDateTime::now_utc();
    let form = app::domain::staff::LoginForm { username: "zhao".into(), password: PASSWORD.into() };
    let (token, staff) = svc::sign_in(s, &form, "test", now).await.unwrap();
    assert_eq!(staff.role, Role::Supervisor);
    let cookie = format!("staff={token}");
    assert!(svc::session(s, &cookie, now).await.unwrap().is_some());
    let later = now + time::Duration::milliseconds(SESSION_IDLE_MS - 1000);
    assert!(svc::session(s, &cookie, later).await.unwrap().is_some(), "use keeps it alive");
    let idle = later + time::Duration::milliseconds(SESSION_IDLE_MS);
    assert!(svc::session(s, &cookie, idle).await.unwrap().is_none(), "idle too long");

    let (token, _) = svc::sign_in(s, &form, "test", now).await.unwrap();
    let mut a = app.store.staff_get("zhao").await.unwrap().unwrap();
    a.disabled = true;
    app.store.staff_set(&a).await.unwrap();
    assert!(svc::session(s, &format!("staff={token}"), now).await.unwrap().is_none());
}

#[tokio::test]
async fn each_role_sees_the_queue_it_may() {
    let app = app().await;
    account(&app, "handler1", "handler", Some("630102")).await;
    account(&app, "operator1", "intake_operator", None).await;
    account(&app, "super1", "supervisor", None).await;
    let today = app::domain::clock::china_date(OffsetDateTime::now_utc());
    let mut mine = Vec::new();
    for _ in 0..3 {
        let (c, _) = app::service::filing::receive(
            app.store.as_ref(),
            common::complaint(today),
            &app::service::filing::consumer(),
            OffsetDateTime::now_utc(),
            None,
        )
        .await
        .unwrap();
        mine.push(c.case_no);
    }
    let mut other = common::complaint(today);
    other.business.as_mut().unwrap().county = "632801".into();
    let (elsewhere, _) = app::service::filing::receive(
        app.store.as_ref(),
        other,
        &app::service::filing::consumer(),
        OffsetDateTime::now_utc(),
        None,
    )
    .await
    .unwrap();
    // One case goes back to the centre, where intake operators route it.
    let back = app.store.get(&mine[2]).await.unwrap().unwrap();
    let supervisor = app::domain::workflow::Actor { role: Role::Supervisor, bureau: None };
    let to_centre = app::domain::workflow::Action::Transfer { to_bureau: app::domain::region::CENTRE.into() };
    app::service::step::act(
        app.store.as_ref(),
        &mine[2],
        back.version,
        &supervisor,
        None,
        &to_centre,
        None,
        OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    let page = |user: &'static str| {
        let app = &app;
        async move {
            let c = cookie_of(&sign_in(app, user, PASSWORD).await);
            get(app, "/staff", Some(&c)).await.body
        }
    };
    let h = page("handler1").await;
    assert!(h.contains(mine[0].as_str()) && h.contains(mine[1].as_str()));
    assert!(!h.contains(mine[2].as_str()), "no longer with the bureau");
    assert!(!h.contains(elsewhere.case_no.as_str()), "a handler sees only their bureau's cases");
    let s = page("super1").await;
    assert!(s.contains(elsewhere.case_no.as_str()) && s.contains(mine[0].as_str()));
    let o = page("operator1").await;
    assert!(o.contains(mine[2].as_str()), "an intake operator sees what is at the centre");
    assert!(!o.contains(mine[0].as_str()), "and not what went to a bureau");

    // Filters in the address bar: checked, counted, and never a server error.
    let c = cookie_of(&sign_in(&app, "super1", PASSWORD).await);
    let listed = get(&app, "/staff?kind=complaint&sort=newest&channel=web", Some(&c)).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(listed.body.contains(mine[0].as_str()) && listed.body.contains("已超期"), "listed, with the counts");
    let none = get(&app, "/staff?due=overdue", Some(&c)).await;
    assert!(!none.body.contains(mine[0].as_str()) && none.body.contains("没有符合条件的案件"));
    let bad = get(&app, "/staff?due=%27%3B%20DROP%20TABLE%20cases&from=2026-02-30", Some(&c)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("期限") && bad.body.contains("收到日期自"), "each wrong filter is named");
    let h = cookie_of(&sign_in(&app, "handler1", PASSWORD).await);
    let other = get(&app, "/staff?bureau=632801&state=all", Some(&h)).await;
    assert_eq!(other.status, StatusCode::BAD_REQUEST, "a handler cannot choose another bureau");
    assert!(!other.body.contains(elsewhere.case_no.as_str()));
}

fn staff_account(user: &str, role: Role, bureau: Option<&str>) -> StaffAccount {
    StaffAccount {
        staff: Staff::new(Username::parse(user).unwrap(), role, bureau.map(str::to_owned)).unwrap(),
        password_hash: svc::hash_password(PASSWORD).unwrap(),
        disabled: false,
    }
}

async fn accounts_sessions_and_the_audit_log_are_stored(store: Arc<dyn Store>) {
    assert!(!store.admin_exists().await.unwrap());
    let a = staff_account("admin", Role::Admin, None);
    assert!(store.staff_create(&a).await.unwrap());
    assert!(!store.staff_create(&staff_account("admin", Role::Handler, Some("630102"))).await.unwrap(), "taken");
    assert_eq!(store.staff_get("admin").await.unwrap().unwrap(), a);
    assert!(store.admin_exists().await.unwrap());
    let h = staff_account("handler2", Role::Handler, Some("630102"));
    store.staff_set(&h).await.unwrap();
    assert_eq!(store.staff_get("handler2").await.unwrap().unwrap().staff.bureau.as_deref(), Some("630102"));

    store.session_create("hash1", "handler2", 1000).await.unwrap();
    store.session_touch("hash1", 2000).await.unwrap();
    let s = store.session_get("hash1").await.unwrap().unwrap();
    assert_eq!((s.username.as_str(), s.created, s.last_seen), ("handler2", 1000, 2000));
    store.session_delete("hash1").await.unwrap();
    assert_eq!(store.session_get("hash1").await.unwrap(), None);

    for (i, action) in ["sign_in", "sign_out"].iter().enumerate() {
        let e = AuditEntry {
            at: i as i64,
            actor: Some("handler2".into()),
            action: (*action).into(),
            subject: None,
            client: None,
        };
        store.audit(&e).await.unwrap();
    }
    let recent = store.audit_recent(10).await.unwrap();
    assert_eq!(recent.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["sign_out", "sign_in"]);

    // Keyset pages: newest first, none repeated, none skipped.
    for i in 0..23 {
        let e = AuditEntry { at: 100 + i, actor: None, action: format!("n{i}"), subject: None, client: None };
        store.audit(&e).await.unwrap();
    }
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let (page, next) = store.audit_page(before, 10).await.unwrap();
        assert!(page.len() <= 10);
        seen.extend(page.into_iter().map(|(_, e)| e.action));
        match next {
            Some(n) => before = Some(n),
            None => break,
        }
    }
    let mut want: Vec<String> = (0..23).rev().map(|i| format!("n{i}")).collect();
    want.extend(["sign_out".into(), "sign_in".into()]);
    assert_eq!(seen, want);
}

/// The audit log refuses updates and deletes at the database level, on both backends.
mod audit_append_only {
    use super::*;

    fn entry() -> AuditEntry {
        AuditEntry { at: 1, actor: None, action: "sign_in_failed".into(), subject: Some("x".into()), client: None }
    }

    #[tokio::test]
    async fn sqlite() {
        let (store, _dir) = common::sqlite().await;
        store.audit(&entry()).await.unwrap();
        assert!(sqlx::query("UPDATE audit_log SET action = 'sign_in'").execute(&store.pool).await.is_err());
        assert!(sqlx::query("DELETE FROM audit_log").execute(&store.pool).await.is_err());
        assert_eq!(store.audit_recent(10).await.unwrap(), [entry()]);
    }

    #[tokio::test]
    async fn postgres() {
        let (store, db) = common::postgres().await;
        store.audit(&entry()).await.unwrap();
        assert!(sqlx::query("UPDATE audit_log SET action = 'sign_in'").execute(&store.pool).await.is_err());
        assert!(sqlx::query("DELETE FROM audit_log").execute(&store.pool).await.is_err());
        assert_eq!(store.audit_recent(10).await.unwrap(), [entry()]);
        db.drop_db().await;
    }
}

on_both_databases!(accounts_sessions_and_the_audit_log_are_stored);

async fn post_step(app: &App, no: &str, cookie: Option<&str>, pairs: &[(&str, &str)]) -> Reply {
    let mut req =
        Request::post(format!("/staff/cases/{no}")).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::from(serde_urlencoded::to_string(pairs).unwrap())).unwrap()).await
}

async fn new_complaint(app: &App) -> app::domain::case::CaseNo {
    let today = app::domain::clock::china_date(OffsetDateTime::now_utc());
    let (c, _) = app::service::filing::receive(
        app.store.as_ref(),
        common::complaint(today),
        &app::service::filing::consumer(),
        OffsetDateTime::now_utc(),
        None,
    )
    .await
    .unwrap();
    c.case_no
}

#[tokio::test]
async fn a_handler_works_a_case_of_their_bureau_on_the_version_they_saw() {
    let app = app().await;
    account(&app, "handler1", "handler", Some("630102")).await;
    let no = new_complaint(&app).await;
    let cookie = cookie_of(&sign_in(&app, "handler1", PASSWORD).await);
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
    let r = post_step(
        &app,
        no.as_str(),
        Some(&cookie),
        &[("action", "accept"), ("version", "1"), ("note", "已电话联系商家")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
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
    let no = new_complaint(&app).await;
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
    let no = new_complaint(&app).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\0IEND\xaeB`\x82";
    let record =
        app::service::evidence::upload_evidence(&app.state.services, png.to_vec(), 0, OffsetDateTime::now_utc())
            .await
            .unwrap();
    app.store.attach_evidence(&no, &[record.id.clone()]).await.unwrap();
    let path = format!("/staff/evidence/{}", record.id);

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
    let app = app().await;
    account(&app, "handler1", "handler", Some("630102")).await;
    let no = new_complaint(&app).await;
    let cookie = cookie_of(&sign_in(&app, "handler1", PASSWORD).await);
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
    let r = post_step(
        &app,
        no.as_str(),
        Some(&cookie),
        &[("action", "follow_up"), ("text", "电话回访：消费者满意"), ("version", "5")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
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
    let case = app::domain::case::CaseForCreate::parse(&input, today, app::domain::rules::in_force_on(today)).unwrap();
    let (c, _) = app::service::filing::receive(app.store.as_ref(), case, &app::service::filing::consumer(), now, None)
        .await
        .unwrap();
    let sup = Actor { role: Role::Supervisor, bureau: None };
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
