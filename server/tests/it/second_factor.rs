//! The staff second factor through the real router and store (both databases): enrolment at
//! the first sign-in of a supervisor, codes used once, recovery codes, the reset from the shell,
//! roles that need none, expiry, the audit trail, and wrong codes in parallel.

use crate::common::{self, send, send_from, App, Reply};
use crate::staff::{account, cookie_of, get, sign_in, PASSWORD};
use app::domain::staff::CodeForm;
use app::error::AppError;
use app::ports::Store;
use app::service::second_factor as factor;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::sync::Arc;
use time::OffsetDateTime;

/// The router over `store` with the default setting: supervisors and admins need a second factor.
fn app_on(store: Arc<dyn Store>) -> App {
    let mut state = common::app_state(store.clone(), false);
    state.services.second_factor = Default::default();
    App::new(state, store, tempfile::tempdir().unwrap())
}

async fn post_code(app: &App, challenge: &str, code: &str) -> Reply {
    let req = Request::post("/staff/login/code")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, challenge)
        .body(Body::from(serde_urlencoded::to_string([("code", code)]).unwrap()))
        .unwrap();
    send(app, req).await
}

/// Every `Set-Cookie` of a reply, name=value.
fn cookies_of(r: &Reply) -> Vec<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect()
}

fn secret_in(page: &str) -> String {
    let at = page.find("data-testid=\"totp-secret\"").unwrap_or_else(|| panic!("the secret is shown as text: {page}"));
    let start = at + page[at..].find('>').unwrap() + 1;
    let end = start + page[start..].find('<').unwrap();
    page[start..end].replace(' ', "")
}

fn now_s() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Signs `user` in with the password; the challenge cookie it gets.
async fn password_step(app: &App, user: &str) -> String {
    let r = sign_in(app, user, PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers[header::LOCATION], "/staff/login/code");
    let set = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.contains("Path=/staff/login") && set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    let cookie = cookie_of(&r);
    assert!(cookie.starts_with("staff_code="), "a challenge, not a session: {cookie}");
    cookie
}

async fn a_supervisor_enrols_at_first_sign_in_and_then_needs_a_code_each_time(store: Arc<dyn Store>) {
    let app = app_on(store.clone());
    account(&app, "sup.ma", "supervisor", None).await;
    let challenge = password_step(&app, "sup.ma").await;
    // The password alone opens nothing.
    let r = get(&app, "/staff", Some(&challenge)).await;
    assert_eq!(r.headers[header::LOCATION], "/staff/login");

    // Enrolment: a QR code and the secret in text.
    let page = get(&app, "/staff/login/code", Some(&challenge)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    assert!(page.body.contains("<svg") && page.body.contains("添加到身份验证器应用的二维码"), "{}", page.body);
    let secret = secret_in(&page.body);
    assert_eq!(secret.len(), 32);
    // A wrong code: refused, and the same secret is offered again.
    let right = factor::code_at(&secret, now_s()).unwrap();
    let wrong = if right == "000000" { "111111" } else { "000000" };
    let r = post_code(&app, &challenge, wrong).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("验证码不正确或已用过") && secret_in(&r.body) == secret);
    // A malformed one: a field error.
    let r = post_code(&app, &challenge, "12ab").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("code-error"), "{}", r.body);

    // The right code: signed in, and ten recovery codes shown once.
    let r = post_code(&app, &challenge, &right).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let set = cookies_of(&r);
    let session = set.iter().find(|c| c.starts_with("staff=")).expect("a session cookie").clone();
    assert!(set.iter().any(|c| c == "staff_code="), "the challenge cookie is cleared: {set:?}");
    let codes: Vec<String> = r
        .body
        .split("<code>")
        .skip(1)
        .map(|s| s[..s.find('<').unwrap()].to_owned())
        .filter(|c| c.len() == 19 && c.matches('-').count() == 3)
        .collect();
    assert_eq!(codes.len(), 10, "{}", r.body);
    assert_eq!(get(&app, "/staff", Some(&session)).await.status, StatusCode::OK);
    // Stored: the secret, and the recovery codes only as hashes.
    assert_eq!(store.totp_secret("sup.ma").await.unwrap().as_deref(), Some(secret.as_str()));
    assert_eq!(store.recovery_left("sup.ma").await.unwrap(), 10);
    // The challenge is used up.
    assert_eq!(post_code(&app, &challenge, &right).await.status, StatusCode::UNAUTHORIZED);

    // Next sign-in: the code field (no secret shown), and the code just used is not good again.
    let challenge = password_step(&app, "sup.ma").await;
    let page = get(&app, "/staff/login/code", Some(&challenge)).await;
    assert!(!page.body.contains("totp-secret") && page.body.contains("id=\"code\""), "{}", page.body);
    assert_eq!(post_code(&app, &challenge, &right).await.status, StatusCode::UNAUTHORIZED, "a code is good once");
    // The next step's code (the app's clock a little ahead) is.
    let next = factor::code_at(&secret, now_s() + 30).unwrap();
    let r = post_code(&app, &challenge, &next).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers[header::LOCATION], "/staff");
    let session = cookies_of(&r).into_iter().find(|c| c.starts_with("staff=")).unwrap();
    assert_eq!(get(&app, "/staff", Some(&session)).await.status, StatusCode::OK);

    // A recovery code (typed in lower case, without dashes) works once.
    let challenge = password_step(&app, "sup.ma").await;
    let typed = codes[3].replace('-', "").to_lowercase();
    assert_eq!(post_code(&app, &challenge, &typed).await.status, StatusCode::SEE_OTHER);
    assert_eq!(store.recovery_left("sup.ma").await.unwrap(), 9);
    let challenge = password_step(&app, "sup.ma").await;
    assert_eq!(post_code(&app, &challenge, &codes[3]).await.status, StatusCode::UNAUTHORIZED, "used up");

    // Reset from the shell (a lost phone): sessions end, the next sign-in enrols afresh.
    let out = server::cli::staff(store.clone(), &["totp-reset".into(), "sup.ma".into()], &mut std::io::empty())
        .await
        .unwrap();
    assert!(out.contains("removed"), "{out}");
    assert_eq!(get(&app, "/staff", Some(&session)).await.headers[header::LOCATION], "/staff/login");
    assert_eq!(store.recovery_left("sup.ma").await.unwrap(), 0);
    let challenge = password_step(&app, "sup.ma").await;
    let page = get(&app, "/staff/login/code", Some(&challenge)).await;
    assert_ne!(secret_in(&page.body), secret, "a new secret");
    assert!(server::cli::staff(store.clone(), &["totp-reset".into(), "nobody".into()], &mut std::io::empty())
        .await
        .is_err());

    // Every step is in the audit log.
    let actions: Vec<String> = store.audit_recent(100).await.unwrap().into_iter().map(|e| e.action).collect();
    for a in [
        "password_accepted_enrol",
        "second_factor_enrolled",
        "second_factor_failed",
        "password_accepted",
        "recovery_code_used",
        "second_factor_reset",
        "sign_in",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

async fn roles_that_need_no_second_factor_sign_in_with_the_password_until_configured(store: Arc<dyn Store>) {
    let app = app_on(store.clone());
    account(&app, "han.li", "handler", Some("630102")).await;
    let r = sign_in(&app, "han.li", PASSWORD).await;
    assert_eq!(r.headers[header::LOCATION], "/staff");
    assert!(cookie_of(&r).starts_with("staff="));
    // Configured for handlers too: the same account must enrol.
    let mut state = common::app_state(store.clone(), false);
    state.services.second_factor = factor::SecondFactorRoles::parse("handler,supervisor,admin").unwrap();
    let strict = App::new(state, store.clone(), tempfile::tempdir().unwrap());
    let challenge = password_step(&strict, "han.li").await;
    assert!(get(&strict, "/staff/login/code", Some(&challenge)).await.body.contains("totp-secret"));
}

async fn a_challenge_expires_after_ten_minutes(store: Arc<dyn Store>) {
    let app = app_on(store.clone());
    account(&app, "sup.zhou", "supervisor", None).await;
    let challenge = password_step(&app, "sup.zhou").await;
    let token = challenge.trim_start_matches("staff_code=");
    let s = &app.state.services;
    let later = OffsetDateTime::now_utc() + time::Duration::minutes(11);
    let stage = factor::stage(s, token, later).await.unwrap();
    assert_eq!(stage, app::views::forms::CodeStage::Expired);
    let form = CodeForm { code: "123456".into() };
    assert_eq!(factor::verify(s, token, &form, "10.9.0.1", later).await.unwrap_err(), AppError::Unauthorized);
    // Without any challenge, the page says to start again.
    let page = get(&app, "/staff/login/code", None).await;
    assert!(page.body.contains("code-expired") && page.body.contains("href=\"/staff/login\""), "{}", page.body);
}

/// 50 wrong codes at once from one address: at most 5 are checked (the count and the check are
/// one statement), the rest wait; the owner, from another address, is not kept out.
async fn fifty_parallel_wrong_codes_are_checked_at_most_five_times(store: Arc<dyn Store>) {
    let app = app_on(store.clone());
    account(&app, "sup.qian", "supervisor", None).await;
    let challenge = password_step(&app, "sup.qian").await;
    let secret = secret_in(&get(&app, "/staff/login/code", Some(&challenge)).await.body);
    let right = factor::code_at(&secret, now_s()).unwrap();
    let wrong = if right == "000000" { "111111" } else { "000000" };
    let tries = (0..50).map(|_| {
        let req = Request::post("/staff/login/code")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &challenge)
            .body(Body::from(format!("code={wrong}")))
            .unwrap();
        send_from(&app, req, "203.0.113.9")
    });
    let replies = futures_util::future::join_all(tries).await;
    let checked = replies.iter().filter(|r| r.status == StatusCode::UNAUTHORIZED).count();
    let waited = replies.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(checked + waited, 50);
    assert!(checked <= 5, "{checked} wrong codes checked");
    // The right code from that address must wait too…
    let from = |client| {
        let req = Request::post("/staff/login/code")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &challenge)
            .body(Body::from(format!("code={right}")))
            .unwrap();
        send_from(&app, req, client)
    };
    let r = from("203.0.113.9").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("尝试次数过多"));
    // …but from the owner's address it is accepted.
    let r = from("198.51.100.20").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

on_both_databases!(
    a_supervisor_enrols_at_first_sign_in_and_then_needs_a_code_each_time,
    roles_that_need_no_second_factor_sign_in_with_the_password_until_configured,
    a_challenge_expires_after_ten_minutes,
    fifty_parallel_wrong_codes_are_checked_at_most_five_times,
);
