//! E-mail alerts of newly disclosed complaints, through the portal's routes on both databases
//! and a real SMTP server: double opt-in (only the confirmation until it is confirmed), the
//! confirmation read back from the mail server with its RFC 8058 headers, at most one digest a
//! week and only with news, one-click unsubscribe (from a mail provider: no cookie, another
//! origin) that deletes the address, and the expiry of an unconfirmed subscription.

use crate::common;
use crate::mail::{mail_server, mails_to};
use crate::records::{file, steps};

use app::domain::notify::{NoticeChannel, NoticeKind};
use app::domain::workflow::Action;
use app::ports::Store;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::sync::Arc;

const SITE: &str = "https://12315.example.cn";

fn post(path: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(pairs).unwrap()))
        .unwrap()
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

/// Sends the e-mail in the outbox to the test mail server, as the sender of a server would.
async fn deliver(store: &Arc<dyn Store>, at: time::OffsetDateTime) -> Vec<app::ports::Notice> {
    let (url, _) = mail_server();
    let mailer = server::notify::Mailer::new(&url, "Qinghai 12315 <noreply@12315.example.cn>").unwrap();
    let now = app::domain::clock::unix_ms(at);
    let claimed = store.claim_notices(NoticeChannel::Email, now, 50, 60_000).await.unwrap();
    for n in &claimed {
        mailer.send(n, SITE).await.unwrap();
        store.notice_sent(n.id, now).await.unwrap();
    }
    claimed
}

/// The `header: value` of a mail's head.
fn header_of<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(": ")))
}

/// The path and query of the first link to `path` in `text`.
fn link_in(text: &str, path: &str) -> String {
    let start = text.find(&format!("{SITE}{path}")).unwrap_or_else(|| panic!("no {path} in {text}"));
    let rest = &text[start + SITE.len()..];
    rest.split(|c: char| c.is_whitespace() || c == '>').next().unwrap().to_owned()
}

async fn disclose_one(store: &Arc<dyn Store>, at: time::OffsetDateTime) -> String {
    let case = common::complaint(app::domain::clock::china_date(at));
    let code = case.business.as_ref().unwrap().credit_code.clone().unwrap().as_str().to_owned();
    let no = file(store, case, at).await;
    steps(store, &no, &[Action::Refuse { ground: 3 }, Action::Close], at).await;
    app::service::disclosure::sweep(store.as_ref(), at + time::Duration::minutes(1), app::service::disclosure::SETTLE)
        .await
        .unwrap();
    code
}

async fn alerts_are_confirmed_sent_weekly_and_unsubscribed_in_one_click(store: Arc<dyn Store>) {
    let (_, maildir) = mail_server();
    let start = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    let code = disclose_one(&store, start).await;
    let app = common::App::new(common::app_state(store.clone(), false), store.clone(), tempfile::tempdir().unwrap());
    let target = format!("b:{code}");

    // The form, and its refusals field by field.
    let r = common::send(&app, get(&format!("/alerts?target={target}"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(r#"data-testid="subscribe""#) && r.body.contains("某某电器"), "{}", r.body);
    assert_eq!(common::send(&app, get("/alerts?target=c:999999")).await.status, StatusCode::NOT_FOUND);
    let r = common::send(&app, post("/alerts", &[("email", "not-an-address"), ("target", &target)])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="alert-email-error""#), "{}", r.body);
    let nobody = app::domain::credit_code::CreditCode::with_check("91630102MA0000099").unwrap();
    let r = common::send(
        &app,
        post("/alerts", &[("email", "a@example.cn"), ("target", &format!("b:{}", nobody.as_str()))]),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a business with no record is no target");

    let to = format!("alerts-{}@example.cn", rand::random::<u32>());
    let r = common::send(&app, post("/alerts", &[("email", &to), ("target", &target)])).await;
    assert_eq!((r.status, r.headers[header::LOCATION].to_str().unwrap()), (StatusCode::SEE_OTHER, "/alerts?sent=1"));
    let r = common::send(&app, get("/alerts?sent=1")).await;
    assert!(r.body.contains(r#"data-testid="alerts-sent""#));

    // The confirmation, from the mail server: its link, and the one-click unsubscribe headers.
    let sent = deliver(&store, time::OffsetDateTime::now_utc()).await;
    assert_eq!(sent.iter().map(|n| n.kind).collect::<Vec<_>>(), vec![NoticeKind::AlertConfirm]);
    let mails = mails_to(&maildir, &to);
    assert_eq!(mails.len(), 1);
    let (head, body) = &mails[0];
    let unsubscribe = header_of(head, "List-Unsubscribe").expect("List-Unsubscribe");
    assert!(unsubscribe.starts_with(&format!("<{SITE}/alerts/unsubscribe?s=")), "{unsubscribe}");
    assert_eq!(header_of(head, "List-Unsubscribe-Post"), Some("List-Unsubscribe=One-Click"));
    let confirm = link_in(body, "/alerts/confirm");
    let unsubscribe = link_in(unsubscribe, "/alerts/unsubscribe");
    // Once sent, the outbox keeps neither the address nor the links.
    let row = store.notices(None, 50, 0).await.unwrap().into_iter().find(|n| n.id == sent[0].id).unwrap();
    assert_eq!((row.recipient.as_str(), row.params.is_empty()), ("-", true));

    // Nothing but the confirmation until it is confirmed: the digest sweep sends it nothing.
    let earlier = time::OffsetDateTime::now_utc() - time::Duration::minutes(3);
    disclose_one(&store, earlier).await;
    let secret = &app.state.services.secret;
    assert_eq!(
        app::service::subscriptions::sweep(store.as_ref(), secret, earlier + time::Duration::minutes(2)).await.unwrap(),
        0
    );

    // The link shows a button (a mail scanner opening it confirms nothing); its press confirms.
    let r = common::send(&app, get(&confirm)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(r#"data-testid="alerts-confirm""#));
    let last = if confirm.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &confirm[..confirm.len() - 1]);
    assert_eq!(common::send(&app, get(&forged)).await.status, StatusCode::NOT_FOUND);
    let r = common::send(&app, post(&confirm, &[])).await;
    assert!(r.body.contains(r#"data-testid="alerts-confirmed""#), "{}", r.body);

    // What was disclosed before the confirmation is no news; a complaint disclosed after is.
    let swept = |at: time::OffsetDateTime| {
        let (store, secret) = (store.clone(), app.state.services.secret.clone());
        async move { app::service::subscriptions::sweep(store.as_ref(), &secret, at).await.unwrap() }
    };
    let now = time::OffsetDateTime::now_utc();
    assert_eq!(swept(now).await, 0);
    disclose_one(&store, now + time::Duration::minutes(10)).await;
    let news = now + time::Duration::minutes(20);
    assert_eq!(swept(news).await, 1, "one digest");
    assert_eq!(swept(news).await, 0, "at most once");
    disclose_one(&store, news + time::Duration::days(1)).await;
    assert_eq!(swept(news + time::Duration::days(6)).await, 0, "a week has not passed");
    assert_eq!(swept(news + time::Duration::days(7)).await, 1, "a week later, with news");
    let digests = deliver(&store, news + time::Duration::days(7)).await;
    assert_eq!(digests.iter().filter(|n| n.kind == NoticeKind::AlertDigest).count(), 2);
    let mails = mails_to(&maildir, &to);
    assert_eq!(mails.len(), 3, "the confirmation and two digests");
    assert!(mails.iter().all(|(h, _)| header_of(h, "List-Unsubscribe-Post").is_some()));
    let all: String = mails.iter().map(|(_, b)| b.as_str()).collect();
    assert!(all.contains(&format!("{SITE}/businesses/{code}")) && all.contains("新公开的投诉"), "{all}");
    for secret in ["张三", "13812341234", "A-2026-1120"] {
        assert!(!all.contains(secret), "{secret} in an alert");
    }

    // One click from the mail provider: no cookie, another site's origin, the RFC 8058 body.
    let one_click = Request::post(&unsubscribe)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://mail.example.com")
        .body(Body::from("List-Unsubscribe=One-Click"))
        .unwrap();
    let r = common::send(&app, one_click).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(r#"data-testid="alerts-unsubscribed""#));
    let id: i64 = unsubscribe.split("s=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap();
    assert!(store.subscription_get(id).await.unwrap().is_none(), "the address is deleted with it");
    assert_eq!(common::send(&app, post(&unsubscribe, &[])).await.status, StatusCode::OK, "a second click");
    assert_eq!(common::send(&app, get(&confirm)).await.status, StatusCode::NOT_FOUND);

    // Never confirmed: deleted once the confirmation expires.
    let lapsing = format!("lapsing-{}@example.cn", rand::random::<u32>());
    let r = common::send(&app, post("/alerts", &[("email", &lapsing), ("target", "c:630102")])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (s, added) = store.subscription_add(&lapsing, "c:630102", "zh-CN", 0).await.unwrap();
    assert!(!added && s.confirmed_at.is_none());
    swept(time::OffsetDateTime::now_utc() + time::Duration::hours(49)).await;
    assert!(store.subscription_get(s.id).await.unwrap().is_none());
}

on_both_databases!(alerts_are_confirmed_sent_weekly_and_unsubscribed_in_one_click);
