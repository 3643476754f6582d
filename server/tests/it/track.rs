//! Tracking through the real router and store: look-up and its cookie, the lockouts, and one
//! case's cookie never reaching another; the helpers the consumer-step tests share.

use crate::common;
pub(crate) use crate::common::{app, send_from as send, App, Reply};

use app::domain::case::{CaseNo, QueryCode};
use app::domain::fields::Note;
use app::domain::kind::ItemKind;
use app::domain::money::Fen;
use app::domain::workflow::{Action, Actor, CaseState, MediationMethod, Role};
use app::ports::prelude::*;
use app::service::track::{self, ConsumerStep};
use app::service::{self as svc};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::sync::Arc;
use time::OffsetDateTime;

pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

pub(crate) fn complaint_of_kind(kind: ItemKind) -> app::domain::case::CaseForCreate {
    let today = app::domain::clock::china_date(now());
    let mut input = common::complaint_input();
    input.incident_on = app::domain::calendar::format_date(today - time::Duration::days(3));
    input.kind = kind.code().into();
    if kind == ItemKind::Report {
        input.category = "R01".into();
    }
    if kind == ItemKind::Consultation {
        input.category = "G05".into();
    }
    app::domain::case::CaseForCreate::parse(&input, today).unwrap_or_else(|e| panic!("valid {kind:?}: {e:?}"))
}

pub(crate) async fn receive(store: &dyn CaseStore, kind: ItemKind) -> (CaseNo, QueryCode) {
    let (case, code) =
        svc::filing::receive(store, complaint_of_kind(kind), &svc::filing::consumer(), now(), None).await.unwrap();
    (case.case_no, code)
}

pub(crate) fn supervisor() -> Actor {
    Actor { role: Role::Supervisor, bureau: None, business: None }
}

pub(crate) fn note(s: &str) -> Note {
    Note::parse(s).unwrap()
}

pub(crate) async fn staff(store: &dyn CaseStore, no: &CaseNo, action: Action, staff_note: Option<&str>) {
    let case = store.get(no).await.unwrap().unwrap();
    svc::step::act(
        store,
        no,
        case.version,
        &supervisor(),
        Some("staff-1".into()),
        &action,
        staff_note.map(str::to_owned),
        now(),
    )
    .await
    .unwrap_or_else(|e| panic!("{action:?} on {:?}: {e:?}", case.state));
}

/// A complaint in the ODR lane of the business the sample names, with its offer if `offered`.
async fn in_lane(store: &dyn CaseStore, offered: bool) -> (CaseNo, QueryCode) {
    let shop = common::complaint_input().business.credit_code;
    let (case, code) =
        svc::filing::receive_in_lane(store, complaint_of_kind(ItemKind::Complaint), &shop, now()).await.unwrap();
    if offered {
        let business = Actor { role: Role::Business, bureau: None, business: Some(shop) };
        let offer = Action::OdrOffer {
            remedy: app::domain::odr::OdrRemedy::Refund,
            amount: Fen(29950),
            text: note("同意退款299.50元"),
        };
        svc::step::act(store, &case.case_no, case.version, &business, None, &offer, None, now()).await.unwrap();
    }
    (case.case_no, code)
}

/// Drives a new case of `kind` to `state` the way staff and the consumer would.
pub(crate) async fn case_in(app: &App, kind: ItemKind, state: CaseState) -> (CaseNo, QueryCode) {
    use CaseState::*;
    let store = app.store.as_ref();
    if matches!(state, WithBusiness | BusinessOffered) {
        return in_lane(store, state == BusinessOffered).await;
    }
    let (no, code) = receive(store, kind).await;
    let settle = Action::RecordSettlement { recovered: Fen(29950), agreement: note("商家退款299.50元") };
    let mediate = Action::StartMediation { method: MediationMethod::Phone, on_site: None };
    let steps: Vec<Action> = match (kind, state) {
        (_, Received) => vec![],
        (_, Transferred) => vec![Action::Transfer { to_bureau: "630103".into() }],
        (ItemKind::Complaint | ItemKind::Report, TransferredOut) => {
            vec![Action::TransferOut { province: "330000".into() }]
        }
        (_, Accepted) => vec![Action::Accept],
        (_, InMediation) => vec![Action::Accept, mediate],
        (_, Settled) => vec![Action::Accept, mediate, settle],
        (_, MediationTerminated) => vec![Action::Accept, Action::TerminateMediation { ground: 3 }],
        (_, Refused) => vec![Action::Refuse { ground: 1 }],
        (ItemKind::Complaint, Closed | Contested) => vec![Action::Accept, mediate, settle, Action::Close],
        (ItemKind::Report, UnderVerification) => vec![Action::StartVerification],
        (ItemKind::Report, CaseOpened) => vec![Action::StartVerification, Action::DecideReport { opened: true }],
        (ItemKind::Report, NotOpened) => vec![Action::StartVerification, Action::DecideReport { opened: false }],
        (ItemKind::Report, Closed | Contested) => {
            vec![Action::StartVerification, Action::DecideReport { opened: true }, Action::Close]
        }
        (ItemKind::Consultation, Closed | Contested) => vec![Action::Answer { answer: note("请保留发票。") }],
        (_, Withdrawn) => vec![],
        _ => unreachable!("{kind:?} never reaches {state:?}"),
    };
    for a in steps {
        staff(store, &no, a, None).await;
    }
    if state == Withdrawn {
        track::consumer_act(&app.state.services, &no, &ConsumerStep::Withdraw, now()).await.unwrap();
    }
    if state == Contested {
        let step = ConsumerStep::Contest { reason: "商家没有按协议退款".into() };
        track::consumer_act(&app.state.services, &no, &step, now()).await.unwrap();
    }
    assert_eq!(store.get(&no).await.unwrap().unwrap().state, state);
    (no, code)
}

/// Every (kind, state) a case can reach, as `case_in` drives it there: a complaint every state
/// but a report's, a report every state but a complaint's (and never withdrawn), a consultation
/// only the few of its own.
pub(crate) fn reachable() -> Vec<(ItemKind, Vec<CaseState>)> {
    use CaseState::*;
    let report_only = [UnderVerification, CaseOpened, NotOpened];
    let complaint_only = [Accepted, InMediation, Settled, MediationTerminated, Refused, WithBusiness, BusinessOffered];
    let all_but = |left_out: &[CaseState]| CaseState::ALL.iter().copied().filter(|s| !left_out.contains(s)).collect();
    vec![
        (ItemKind::Complaint, all_but(&report_only)),
        (ItemKind::Report, all_but(&[&complaint_only[..], &[Withdrawn]].concat())),
        (ItemKind::Consultation, vec![Received, Transferred, Closed, Withdrawn, Contested]),
    ]
}

/// A signed-in supervisor's session cookie.
pub(crate) async fn supervisor_cookie(app: &App, user: &str) -> String {
    let password = "a long staff password";
    svc::staff::set_account(&app.state.services, user, "supervisor", None, Some(password.into()), now()).await.unwrap();
    let form = app::domain::staff::LoginForm { username: user.into(), password: password.into() };
    let (token, _) = svc::staff::sign_in(&app.state.services, &form, "test", now())
        .await
        .unwrap()
        .session()
        .expect("signed in with a password alone");
    format!("staff={token}")
}

pub(crate) fn cookie_for(app: &App, no: &CaseNo) -> String {
    format!("{}={}", track::TRACK_COOKIE, track::sign(&app.state.services.secret, no, now()))
}

pub(crate) async fn look_up(app: &App, case_no: &str, code: &str, client: &str) -> Reply {
    let body = serde_urlencoded::to_string([("case_no", case_no), ("code", code)]).unwrap();
    let req = Request::post("/track")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    send(app, req, client).await
}

pub(crate) async fn get_page(app: &App, path: &str, cookie: Option<&str>) -> Reply {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::empty()).unwrap(), "10.0.0.1").await
}

pub(crate) async fn post_step(app: &App, no: &CaseNo, cookie: &str, pairs: &[(&str, &str)]) -> Reply {
    let req = Request::post(format!("/track/{no}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(serde_urlencoded::to_string(pairs).unwrap()))
        .unwrap();
    send(app, req, "10.0.0.1").await
}

pub(crate) const NO_MATCH: &str = "案件编号（或手机号码）与查询码不匹配";

#[tokio::test]
async fn a_look_up_sets_a_cookie_for_that_case_and_the_page_shows_its_progress() {
    let app = app().await;
    let (no, code) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    let r = look_up(&app, &no.as_str().to_lowercase(), &code.display().to_lowercase(), "10.0.0.1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers[header::LOCATION], format!("/track/{no}"));
    let set = r.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(set.starts_with("track=") && set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    let cookie = set.split(';').next().unwrap().to_owned();

    let page = get_page(&app, &format!("/track/{no}"), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(no.as_str()));
    assert!(page.body.contains("西宁某某电器有限公司"), "the business is shown");
    assert!(page.body.contains("张* 138****1234"), "the consumer is masked");
    assert!(!page.body.contains("13812341234"), "never the full phone");
    assert!(page.body.contains("data-testid=\"deadline-date\""), "the acceptance deadline is shown");
    assert!(page.body.contains("个工作日") || page.body.contains("今天到期"));
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");

    // Without the cookie: the look-up form, nothing of the case.
    let anon = get_page(&app, &format!("/track/{no}"), None).await;
    assert!(anon.body.contains("name=\"code\""));
    assert!(!anon.body.contains("西宁某某电器有限公司"));
}

#[tokio::test]
async fn an_unknown_case_and_a_wrong_code_get_the_same_answer() {
    let app = app().await;
    let (no, code) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    let wrong = if code.as_str() == "ABCDEFGH" { "ABCDEFGJ" } else { "ABCDEFGH" };
    let a = look_up(&app, no.as_str(), wrong, "10.0.0.2").await;
    let b = look_up(&app, "QH-2026-999999", wrong, "10.0.0.3").await;
    assert_eq!((a.status, b.status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert!(a.body.contains(NO_MATCH) && b.body.contains(NO_MATCH));
    assert!(a.headers.get(header::SET_COOKIE).is_none());
    // The code typed is never sent back.
    assert!(!a.body.contains(wrong));
    // Bad input is a field error.
    let c = look_up(&app, "", "", "10.0.0.4").await;
    assert_eq!(c.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(c.body.contains("case_no-error") && c.body.contains("code-error"));
}

#[tokio::test]
async fn after_five_wrong_codes_that_address_waits_and_the_consumer_elsewhere_does_not() {
    let app = app().await;
    let (no, code) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    let wrong = if code.as_str() == "ABCDEFGH" { "ABCDEFGJ" } else { "ABCDEFGH" };
    for i in 1..=4 {
        let r = look_up(&app, no.as_str(), wrong, "10.1.0.9").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "attempt {i}");
    }
    let fifth = look_up(&app, no.as_str(), wrong, "10.1.0.9").await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(fifth.body.contains("尝试次数过多"), "the page says when to try again");
    let wait: i64 = fifth.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((50..=60).contains(&wait), "the first wait is a minute: {wait}");
    let right = look_up(&app, no.as_str(), &code.display(), "10.1.0.9").await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "that address waits, whatever the code");
    // The consumer, from another address, is not kept out by the stranger's guesses.
    let r = look_up(&app, no.as_str(), &code.display(), "10.1.0.10").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

/// Fifty wrong codes at once for one case from one address: only five are counted and checked
/// (four answered as wrong, the fifth told to wait), and all the others wait unchecked; on both
/// databases.
async fn parallel_wrong_codes_cannot_pass_the_check_together(store: Arc<dyn app::ports::Store>) {
    let state = crate::common::app_state(store.clone(), false);
    let (no, code) = receive(store.as_ref(), ItemKind::Complaint).await;
    let wrong = if code.as_str() == "ABCDEFGH" { "ABCDEFGJ" } else { "ABCDEFGH" };
    let form = app::domain::tracking::LookupForm { case_no: no.to_string(), phone: String::new(), code: wrong.into() };
    let tries = (0..50).map(|_| svc::track::lookup(&state.services, &form, "10.1.0.11", now()));
    let answers = futures_util::future::join_all(tries).await;
    let checked = answers.iter().filter(|a| matches!(a, Ok(svc::track::Lookup::NoMatch))).count();
    let waiting = answers.iter().filter(|a| matches!(a, Ok(svc::track::Lookup::Locked { .. }))).count();
    assert_eq!((checked, waiting), (4, 46), "four wrong codes answered, the fifth and all after it wait");
}

on_both_databases!(parallel_wrong_codes_cannot_pass_the_check_together);

#[tokio::test]
async fn twenty_failures_from_one_address_make_it_wait() {
    let app = app().await;
    for i in 1..=19 {
        let r = look_up(&app, &format!("QH-2026-{i:06}"), "ABCDEFGH", "10.2.0.1").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "failure {i}");
    }
    let r = look_up(&app, "QH-2026-000020", "ABCDEFGH", "10.2.0.1").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let r = look_up(&app, "QH-2026-000021", "ABCDEFGH", "10.2.0.1").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "the address waits");
    let r = look_up(&app, "QH-2026-000021", "ABCDEFGH", "10.2.0.2").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another address does not");
}

#[tokio::test]
async fn a_case_can_be_looked_up_by_mobile_phone_and_code() {
    let app = app().await;
    let (no, code) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    let body =
        serde_urlencoded::to_string([("case_no", ""), ("phone", "138 1234 1234"), ("code", code.as_str())]).unwrap();
    let req = Request::post("/track")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let r = send(&app, req, "10.3.0.1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers[header::LOCATION], format!("/track/{no}"));
}

#[tokio::test]
async fn a_cookie_for_case_a_never_shows_or_changes_case_b() {
    let app = app().await;
    let (a, _) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    let (b, _) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    let cookie_a = cookie_for(&app, &a);
    let page = get_page(&app, &format!("/track/{b}"), Some(&cookie_a)).await;
    assert!(!page.body.contains("data-testid=\"timeline\""), "B's timeline is not shown");
    assert!(page.body.contains("name=\"code\""));
    let before = app.store.events(&b).await.unwrap().len();
    for pairs in [
        vec![("do", "supplement"), ("text", "不是我的案件")],
        vec![("do", "withdraw"), ("confirm", "yes")],
        vec![("do", "rate"), ("process", "1"), ("outcome", "not_resolved")],
    ] {
        let r = post_step(&app, &b, &cookie_a, &pairs).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{pairs:?}");
    }
    assert_eq!(app.store.events(&b).await.unwrap().len(), before);
    // A cookie edited to name B fails its signature.
    let forged = cookie_a.replace(a.as_str(), b.as_str());
    let r = post_step(&app, &b, &forged, &[("do", "withdraw"), ("confirm", "yes")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.get(&b).await.unwrap().unwrap().state, CaseState::Received);
}
