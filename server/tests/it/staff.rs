//! Staff sign-in through the real router and store: first-start admin, sign-in and its cookie,
//! wrong passwords and the lockout, sessions that end, the audit log, and the work queue each
//! role may see. The storage side runs on both databases.

use crate::common;
pub(crate) use crate::common::{app, send, App, Reply};

use app::domain::staff::{Staff, Username, SESSION_IDLE_MS};
use app::domain::workflow::Role;
use app::ports::{AuditEntry, StaffAccount, StaffStore, Store};
use app::service::staff as svc;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::sync::Arc;
use time::OffsetDateTime;

pub(crate) async fn sign_in(app: &App, user: &str, password: &str) -> Reply {
    let body = serde_urlencoded::to_string([("username", user), ("password", password)]).unwrap();
    let req = Request::post("/staff/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

pub(crate) async fn get(app: &App, path: &str, cookie: Option<&str>) -> Reply {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

pub(crate) fn cookie_of(r: &Reply) -> String {
    r.headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned()
}

pub(crate) const PASSWORD: &str = "a long staff password";

pub(crate) async fn account(app: &App, user: &str, role: &str, bureau: Option<&str>) {
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
async fn wrong_passwords_are_refused_alike_and_make_that_address_wait_but_not_the_owner() {
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
    assert_eq!(sign_in(&app, "wang", "wrong again").await.status, StatusCode::UNAUTHORIZED);
    // Five wrong passwords for "wang" from this address: its next try must wait, whatever the
    // password…
    let right = sign_in(&app, "wang", PASSWORD).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "this address waits, whatever the password");
    assert!(right.body.contains("最长15分钟"));
    let failures =
        app.store.audit_recent(20).await.unwrap().into_iter().filter(|e| e.action == "sign_in_failed").count();
    assert_eq!(failures, 6);
    // …but the stranger's guesses do not keep the owner out: from another address, in.
    let owner = crate::common::send_from(
        &app,
        Request::post("/staff/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string([("username", "wang"), ("password", PASSWORD)]).unwrap()))
            .unwrap(),
        "10.9.0.2",
    )
    .await;
    assert_eq!(owner.status, StatusCode::SEE_OTHER);
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
    let (token, staff) =
        svc::sign_in(s, &form, "test", now).await.unwrap().session().expect("signed in with a password alone");
    assert_eq!(staff.role, Role::Supervisor);
    let cookie = format!("staff={token}");
    assert!(svc::session(s, &cookie, now).await.unwrap().is_some());
    let later = now + time::Duration::milliseconds(SESSION_IDLE_MS - 1000);
    assert!(svc::session(s, &cookie, later).await.unwrap().is_some(), "use keeps it alive");
    let idle = later + time::Duration::milliseconds(SESSION_IDLE_MS);
    assert!(svc::session(s, &cookie, idle).await.unwrap().is_none(), "idle too long");

    let (token, _) =
        svc::sign_in(s, &form, "test", now).await.unwrap().session().expect("signed in with a password alone");
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
        mine.push(common::new_complaint(app.store.as_ref()).await);
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
    let supervisor = app::domain::workflow::Actor { role: Role::Supervisor, bureau: None, business: None };
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

pub(crate) fn staff_account(user: &str, role: Role, bureau: Option<&str>) -> StaffAccount {
    StaffAccount {
        staff: Staff::new(Username::parse(user).unwrap(), role, bureau.map(str::to_owned)).unwrap(),
        password_hash: svc::hash_password(PASSWORD).unwrap(),
        disabled: false,
    }
}

pub(crate) async fn accounts_sessions_and_the_audit_log_are_stored(store: Arc<dyn Store>) {
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

fn audit_entry() -> AuditEntry {
    AuditEntry { at: 1, actor: None, action: "sign_in_failed".into(), subject: Some("x".into()), client: None }
}

// The audit log refuses updates and deletes at the database level, on both backends.
on_both_adapters!(audit_append_only, |store| {
    store.audit(&audit_entry()).await.unwrap();
    assert!(sqlx::query("UPDATE audit_log SET action = 'sign_in'").execute(&store.pool).await.is_err());
    assert!(sqlx::query("DELETE FROM audit_log").execute(&store.pool).await.is_err());
    assert_eq!(store.audit_recent(10).await.unwrap(), [audit_entry()]);
});

on_both_databases!(accounts_sessions_and_the_audit_log_are_stored);

#[tokio::test]
async fn when_every_password_check_slot_is_taken_sign_in_answers_busy_at_once() {
    let open = app().await;
    account(&open, "handler1", "handler", Some("630102")).await;
    let mut state = open.state.clone();
    state.services.hashing = app::service::staff::HashGate::with_slots(0);
    let app = App::new(state, open.store.clone(), tempfile::tempdir().unwrap());
    let started = std::time::Instant::now();
    let r = sign_in(&app, "handler1", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.headers[header::RETRY_AFTER], "2");
    assert!(r.body.contains("服务器繁忙，请稍后再试。"));
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "answered without waiting for a slot");
    // A busy answer is not a try: nothing is held against the account.
    let key = "login:handler1@10.9.0.1";
    assert_eq!(app.store.throttle_get(key).await.unwrap(), Default::default());
}

/// The `staff` command: a password only from standard input, a reset and a disable that end the
/// account's sessions at once (a session checked again after them is gone from the database,
/// not just refused), on both databases.
async fn the_staff_command_resets_and_disables_accounts_and_ends_their_sessions(store: Arc<dyn Store>) {
    let run = |args: &[&str], input: &'static str| {
        let store = store.clone();
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        async move { server::cli::staff(store, &args, &mut input.as_bytes()).await }
    };
    let out = run(&["set", "qian", "supervisor", "--password-stdin"], "a long staff password\n").await.unwrap();
    assert_eq!(out, "account qian set");
    let refused = run(&["set", "qian", "supervisor", "password=a long staff password"], "").await.unwrap_err();
    assert!(refused.contains("--password-stdin"), "{refused}");
    assert!(run(&["remove", "qian"], "").await.unwrap_err().starts_with("usage:"));

    let state = common::app_state(store.clone(), false);
    let s = &state.services;
    let now = OffsetDateTime::now_utc();
    let sign_in = |password: &'static str| {
        let form = app::domain::staff::LoginForm { username: "qian".into(), password: password.into() };
        async move { svc::sign_in(s, &form, "test", now).await }
    };
    let (token, _) =
        sign_in("a long staff password").await.unwrap().session().expect("signed in with a password alone");
    let hash = app::service::codes::sha2_hex(&token);
    assert!(store.session_get(&hash).await.unwrap().is_some());
    // A reset with a new password: the old session is gone, the new password works.
    run(&["set", "qian", "supervisor", "--password-stdin"], "another long password\r\n").await.unwrap();
    assert_eq!(store.session_get(&hash).await.unwrap(), None);
    assert_eq!(sign_in("a long staff password").await.unwrap_err(), app::error::AppError::Unauthorized);
    let (token, _) =
        sign_in("another long password").await.unwrap().session().expect("signed in with a password alone");
    let hash = app::service::codes::sha2_hex(&token);
    // Disabled: the session is gone and the right password no longer signs in.
    let out = run(&["disable", "qian"], "").await.unwrap();
    assert_eq!(out, "account qian disabled; its sessions have ended");
    assert_eq!(store.session_get(&hash).await.unwrap(), None);
    assert_eq!(sign_in("another long password").await.unwrap_err(), app::error::AppError::Unauthorized);
    assert!(store.staff_get("qian").await.unwrap().unwrap().disabled);
    assert_eq!(run(&["disable", "nobody"], "").await.unwrap_err(), "no account nobody");
    let actions: Vec<String> = store.audit_recent(20).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.contains(&"account_disabled".to_owned()), "{actions:?}");
}

on_both_databases!(the_staff_command_resets_and_disables_accounts_and_ends_their_sessions);
