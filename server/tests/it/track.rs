//! Tracking through the real router and store: look-up and its cookie, the lockouts, the
//! timeline, and the consumer's steps in every state; plus the store's side of it on both
//! databases (ratings once, concurrent steps, shared throttle counters).

use crate::common;

use app::domain::case::{CaseNo, QueryCode};
use app::domain::fields::Note;
use app::domain::kind::ItemKind;
use app::domain::money::Fen;
use app::domain::tracking::{Counter, Rating, RatingForm, RatingOutcome};
use app::domain::workflow::{Action, Actor, CaseState, MediationMethod, Role};
use app::error::AppError;
use app::ports::prelude::*;
use app::ports::{Beside, EventForCreate};
use app::service::track::{self, ConsumerStep};
use app::service::{self as svc};
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
    store: Arc<dyn app::ports::Store>,
    _dir: tempfile::TempDir,
}

async fn app() -> App {
    let (store, dir) = common::sqlite().await;
    let store: Arc<dyn app::ports::Store> = Arc::new(store);
    let state = common::app_state(store.clone(), false);
    App { router: server::web::app(state.clone()), state, store, _dir: dir }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(app: &App, mut req: Request<Body>, client: &str) -> Reply {
    let addr: SocketAddr = format!("{client}:40000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    let what = format!("{} {}", req.method(), req.uri());
    let res = tokio::time::timeout(std::time::Duration::from_secs(10), app.router.clone().oneshot(req))
        .await
        .unwrap_or_else(|_| panic!("HANG-HEAD {what}"))
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = tokio::time::timeout(std::time::Duration::from_secs(10), res.into_body().collect())
        .await
        .unwrap_or_else(|_| panic!("HANG-BODY {what} {status}"))
        .unwrap()
        .to_bytes();
    let body = String::from_utf8_lossy(&body).into_owned();
    Reply { status, headers, body }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn complaint_of_kind(kind: ItemKind) -> app::domain::case::CaseForCreate {
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
    app::domain::case::CaseForCreate::parse(&input, today, app::domain::rules::in_force_on(today))
        .unwrap_or_else(|e| panic!("valid {kind:?}: {e:?}"))
}

async fn receive(store: &dyn CaseStore, kind: ItemKind) -> (CaseNo, QueryCode) {
    let (case, code) =
        svc::filing::receive(store, complaint_of_kind(kind), &svc::filing::consumer(), now(), None).await.unwrap();
    (case.case_no, code)
}

fn supervisor() -> Actor {
    Actor { role: Role::Supervisor, bureau: None }
}

fn note(s: &str) -> Note {
    Note::parse(s).unwrap()
}

async fn staff(store: &dyn CaseStore, no: &CaseNo, action: Action, staff_note: Option<&str>) {
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

/// Drives a new case of `kind` to `state` the way staff and the consumer would.
async fn case_in(app: &App, kind: ItemKind, state: CaseState) -> (CaseNo, QueryCode) {
    use CaseState::*;
    let store = app.store.as_ref();
    let (no, code) = receive(store, kind).await;
    let settle = Action::RecordSettlement { recovered: Fen(29950), agreement: note("商家退款299.50元") };
    let mediate = Action::StartMediation { method: MediationMethod::Phone, on_site: None };
    let steps: Vec<Action> = match (kind, state) {
        (_, Received) => vec![],
        (_, Transferred) => vec![Action::Transfer { to_bureau: "630103".into() }],
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

/// Every (kind, state) a case can reach, as `case_in` drives it there.
const REACHABLE: &[(ItemKind, &[CaseState])] = {
    use CaseState::*;
    &[
        (
            ItemKind::Complaint,
            &[
                Received,
                Transferred,
                Accepted,
                InMediation,
                Settled,
                MediationTerminated,
                Refused,
                Closed,
                Withdrawn,
                Contested,
            ],
        ),
        (
            ItemKind::Report,
            &[Received, Transferred, UnderVerification, CaseOpened, NotOpened, Closed, Withdrawn, Contested],
        ),
        (ItemKind::Consultation, &[Received, Transferred, Closed, Withdrawn, Contested]),
    ]
};

/// A signed-in supervisor's session cookie.
async fn supervisor_cookie(app: &App, user: &str) -> String {
    let password = "a long staff password";
    svc::staff::set_account(&app.state.services, user, "supervisor", None, Some(password.into()), now()).await.unwrap();
    let form = app::domain::staff::LoginForm { username: user.into(), password: password.into() };
    let (token, _) = svc::staff::sign_in(&app.state.services, &form, "test", now()).await.unwrap();
    format!("staff={token}")
}

fn cookie_for(app: &App, no: &CaseNo) -> String {
    format!("{}={}", track::TRACK_COOKIE, track::sign(&app.state.services.secret, no, now()))
}

async fn look_up(app: &App, case_no: &str, code: &str, client: &str) -> Reply {
    let body = serde_urlencoded::to_string([("case_no", case_no), ("code", code)]).unwrap();
    let req = Request::post("/track")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    send(app, req, client).await
}

async fn get_page(app: &App, path: &str, cookie: Option<&str>) -> Reply {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::empty()).unwrap(), "10.0.0.1").await
}

async fn post_step(app: &App, no: &CaseNo, cookie: &str, pairs: &[(&str, &str)]) -> Reply {
    let req = Request::post(format!("/track/{no}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(serde_urlencoded::to_string(pairs).unwrap()))
        .unwrap();
    send(app, req, "10.0.0.1").await
}

const NO_MATCH: &str = "案件编号（或手机号码）与查询码不匹配";

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
async fn five_wrong_codes_lock_the_case_even_for_the_right_code() {
    let app = app().await;
    let (no, code) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    let (other, other_code) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    let wrong = if code.as_str() == "ABCDEFGH" { "ABCDEFGJ" } else { "ABCDEFGH" };
    for i in 1..=4 {
        let r = look_up(&app, no.as_str(), wrong, &format!("10.1.0.{i}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "attempt {i}");
    }
    let fifth = look_up(&app, no.as_str(), wrong, "10.1.0.5").await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(fifth.body.contains("尝试次数过多"), "the page says when to try again");
    let wait: i64 = fifth.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((14 * 60..=15 * 60).contains(&wait), "{wait}");
    let right = look_up(&app, no.as_str(), &code.display(), "10.1.0.6").await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "locked, whatever the code");
    // Another case is not locked.
    let r = look_up(&app, other.as_str(), &other_code.display(), "10.1.0.7").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

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

/// The consumer's steps, and the states in which each is allowed, written out.
fn consumer_may(kind: ItemKind, state: CaseState, step: &str) -> bool {
    use CaseState::*;
    match step {
        "supplement" => !matches!(state, Closed | Withdrawn | Refused),
        "withdraw" => {
            matches!(state, Received | Transferred)
                || (kind == ItemKind::Complaint && matches!(state, Accepted | InMediation))
        }
        "rate" => state == Closed || (kind == ItemKind::Complaint && state == MediationTerminated),
        "contest" => state == Closed,
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn every_consumer_step_is_refused_in_every_state_where_the_rules_do_not_allow_it() {
    let app = app().await;
    let steps: [(&str, Vec<(&str, &str)>); 4] = [
        ("supplement", vec![("do", "supplement"), ("text", "补充：商家电话打不通")]),
        ("withdraw", vec![("do", "withdraw"), ("confirm", "yes")]),
        ("rate", vec![("do", "rate"), ("process", "4"), ("outcome", "resolved"), ("comment", "谢谢")]),
        ("contest", vec![("do", "contest"), ("reason", "商家没有按协议退款")]),
    ];
    let mut checked = 0;
    for (kind, states) in REACHABLE {
        for &state in *states {
            for (step, pairs) in &steps {
                let (no, _) = case_in(&app, *kind, state).await;
                let before = app.store.events(&no).await.unwrap().len();
                let r = post_step(&app, &no, &cookie_for(&app, &no), pairs).await;
                let allowed = consumer_may(*kind, state, step);
                let after = app.store.events(&no).await.unwrap().len();
                if allowed {
                    assert_eq!(r.status, StatusCode::SEE_OTHER, "{kind:?} {state:?} {step}: {}", r.status);
                    assert_eq!(after, before + 1, "{kind:?} {state:?} {step}: one event");
                } else {
                    assert_eq!(r.status, StatusCode::CONFLICT, "{kind:?} {state:?} {step}");
                    assert!(r.body.contains("案件当前的状态不允许这一操作"), "{kind:?} {state:?} {step}");
                    assert_eq!(after, before, "{kind:?} {state:?} {step}: nothing stored");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, (10 + 8 + 5) * 4);
}

#[tokio::test]
async fn the_timeline_shows_grounds_and_answers_but_never_staff_notes() {
    let app = app().await;
    let (no, _) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    staff(app.store.as_ref(), &no, Action::Refuse { ground: 2 }, Some("内部备注：消协已受理")).await;
    let page = get_page(&app, &format!("/track/{no}"), Some(&cookie_for(&app, &no))).await;
    assert!(page.body.contains("不予受理"));
    assert!(page.body.contains("消费者协会"), "the ground's plain-language text");
    assert!(page.body.contains("第十六条第（二）项"), "and its article");
    assert!(!page.body.contains("内部备注"), "staff notes never appear");
    assert!(!page.body.contains("staff-1"), "nor staff ids");

    let (t, _) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    staff(app.store.as_ref(), &t, Action::Transfer { to_bureau: "630103".into() }, None).await;
    let page = get_page(&app, &format!("/track/{t}"), Some(&cookie_for(&app, &t))).await;
    assert!(page.body.contains("转交有管辖权的部门"));
    assert!(page.body.contains("城中区市场监督管理局"), "the bureau it went to, by name");

    let (q, _) = receive(app.store.as_ref(), ItemKind::Consultation).await;
    staff(app.store.as_ref(), &q, Action::Answer { answer: note("七日无理由退货自收货次日起算。") }, Some("秘密"))
        .await;
    let page = get_page(&app, &format!("/track/{q}"), Some(&cookie_for(&app, &q))).await;
    assert!(page.body.contains("七日无理由退货自收货次日起算。"));
    assert!(!page.body.contains("秘密"));
    assert!(page.body.contains("对办结提出异议"), "a closed case can be contested");
}

#[tokio::test]
async fn a_supplement_with_a_photo_is_stored_and_shown_escaped() {
    let app = app().await;
    let (no, _) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    const B: &str = "XtrackBoundary";
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\0IEND\xaeB`\x82";
    let mut body = Vec::new();
    for (k, v) in [("do", "supplement"), ("text", "<script>alert(1)</script> 发票照片")] {
        body.extend_from_slice(
            format!("--{B}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{B}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(png);
    body.extend_from_slice(format!("\r\n--{B}--\r\n").as_bytes());
    let cookie = cookie_for(&app, &no);
    let req = Request::post(format!("/track/{no}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={B}"))
        .header(header::COOKIE, &cookie)
        .body(Body::from(body))
        .unwrap();
    let r = send(&app, req, "10.4.0.1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let evidence = app.store.evidence_of(&no).await.unwrap();
    assert_eq!(evidence.len(), 1);
    let page = get_page(&app, &format!("/track/{no}?done=supplement"), Some(&cookie)).await;
    assert!(page.body.contains("已收到您补充的材料"));
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt; 发票照片"), "stored as text, shown escaped");
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(page.body.contains("PNG"), "the file is listed");

    // A supplement with neither text nor file is a field error, and nothing is stored.
    let r = post_step(&app, &no, &cookie, &[("do", "supplement"), ("text", " ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("text-error"));
    assert_eq!(app.store.events(&no).await.unwrap().len(), 2);
}

#[tokio::test]
async fn withdrawing_needs_the_confirmation() {
    let app = app().await;
    let (no, _) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    let cookie = cookie_for(&app, &no);
    let r = post_step(&app, &no, &cookie, &[("do", "withdraw")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.get(&no).await.unwrap().unwrap().state, CaseState::Received);
    let r = post_step(&app, &no, &cookie, &[("do", "withdraw"), ("confirm", "yes")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.get(&no).await.unwrap().unwrap().state, CaseState::Withdrawn);
}

#[tokio::test]
async fn a_rating_is_given_once_changed_within_seven_days_and_then_fixed() {
    let app = app().await;
    let (no, _) = case_in(&app, ItemKind::Complaint, CaseState::Closed).await;
    let s = &app.state.services;
    let rate = |p: &str, o: &str| {
        ConsumerStep::Rate(RatingForm { process: p.into(), outcome: o.into(), comment: String::new() })
    };
    track::consumer_act(s, &no, &rate("2", "not_resolved"), now()).await.unwrap();
    let page = get_page(&app, &format!("/track/{no}"), Some(&cookie_for(&app, &no))).await;
    assert!(page.body.contains("data-testid=\"next-routes\""), "not resolved: the next routes are offered");
    assert!(page.body.contains("人民法院"));
    track::consumer_act(s, &no, &rate("4", "partly"), now() + time::Duration::days(6)).await.unwrap();
    let stored = app.store.rating(&no).await.unwrap().unwrap();
    assert_eq!((stored.rating.process, stored.rating.outcome), (4, RatingOutcome::Partly));
    let late = track::consumer_act(s, &no, &rate("5", "resolved"), now() + time::Duration::days(8)).await;
    assert_eq!(late, Err(AppError::Workflow(app::domain::workflow::Refusal::TooLate)));
    assert_eq!(app.store.rating(&no).await.unwrap().unwrap().rating.process, 4);
    // Bad input is a field error.
    let bad = track::consumer_act(s, &no, &rate("9", "resolved"), now()).await;
    assert!(matches!(bad, Err(AppError::Invalid(_))));
}

#[tokio::test]
async fn a_closure_can_be_contested_only_within_its_window() {
    let app = app().await;
    let (no, _) = case_in(&app, ItemKind::Complaint, CaseState::Closed).await;
    let step = ConsumerStep::Contest { reason: "商家没有按协议退款".into() };
    let late = track::consumer_act(&app.state.services, &no, &step, now() + time::Duration::days(40)).await;
    assert_eq!(late, Err(AppError::Workflow(app::domain::workflow::Refusal::TooLate)));
    track::consumer_act(&app.state.services, &no, &step, now()).await.unwrap();
    assert_eq!(app.store.get(&no).await.unwrap().unwrap().state, CaseState::Contested);
    // Staff must answer it: reopening brings the complaint back to mediation's start.
    let answer = Action::AnswerContest { reopen: true, answer: note("重新组织调解") };
    staff(app.store.as_ref(), &no, answer, None).await;
    assert_eq!(app.store.get(&no).await.unwrap().unwrap().state, CaseState::Accepted);
}

fn rating(process: u8) -> Rating {
    Rating { process, outcome: RatingOutcome::Resolved, comment: None }
}

fn consumer_event(action: app::domain::workflow::ActionName) -> EventForCreate {
    EventForCreate {
        at: app::domain::clock::unix_ms(now()),
        actor_role: Role::Consumer,
        actor_id: None,
        action,
        note: None,
        detail: None,
        stats: Vec::new(),
    }
}

async fn closed_case(store: &Arc<dyn CaseStore>) -> CaseNo {
    let (no, _) = receive(store.as_ref(), ItemKind::Consultation).await;
    staff(store.as_ref(), &no, Action::Answer { answer: note("答复") }, None).await;
    no
}

async fn a_rating_cannot_be_given_twice(store: Arc<dyn CaseStore>) {
    use app::domain::workflow::ActionName::Rate;
    let no = closed_case(&store).await;
    let (a, b) = tokio::join!(
        store.record(&no, CaseState::Closed, consumer_event(Rate), Beside::NewRating(rating(5))),
        store.record(&no, CaseState::Closed, consumer_event(Rate), Beside::NewRating(rating(1))),
    );
    let results = [a, b];
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().any(|r| *r == Err(AppError::Conflict)));
    let events = store.events(&no).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.action == Rate).count(), 1, "the refused one left no event");
    // A change names the window it must fall in.
    let old = store.rating(&no).await.unwrap().unwrap().rating.process;
    let edit = Beside::EditRating {
        rating: rating(3),
        rated_since: app::domain::clock::unix_ms(now()) + 60_000,
        old_process: old,
    };
    assert_eq!(store.record(&no, CaseState::Closed, consumer_event(Rate), edit).await, Err(AppError::Conflict));
    // …and the score it changes (a concurrent change was made first).
    let edit = Beside::EditRating { rating: rating(3), rated_since: 0, old_process: old % 5 + 1 };
    assert_eq!(store.record(&no, CaseState::Closed, consumer_event(Rate), edit).await, Err(AppError::Conflict));
    let edit = Beside::EditRating { rating: rating(3), rated_since: 0, old_process: old };
    store.record(&no, CaseState::Closed, consumer_event(Rate), edit).await.unwrap();
    assert_eq!(store.rating(&no).await.unwrap().unwrap().rating.process, 3);
    // A step recorded against a state the case has left is refused.
    let stale = store.record(&no, CaseState::Received, consumer_event(Rate), Beside::Nothing).await;
    assert_eq!(stale, Err(AppError::Conflict));
}

async fn a_supplement_and_a_staff_step_at_once_both_stay(store: Arc<dyn app::ports::Store>) {
    let services = app::Services {
        cases: store.clone(),
        staff: store.clone(),
        blobs: common::app_state(store.clone(), false).services.blobs,
        secret: app::service::codes::Secret([5; 32]),
        figures: Default::default(),
    };
    for _ in 0..5 {
        let (no, _) = receive(store.as_ref(), ItemKind::Complaint).await;
        let version = store.get(&no).await.unwrap().unwrap().version;
        let supplement = ConsumerStep::Supplement { text: "补充：发票照片".into(), files: vec![] };
        let staff = supervisor();
        let (a, b) = tokio::join!(
            track::consumer_act(&services, &no, &supplement, now()),
            svc::step::act(store.as_ref(), &no, version, &staff, None, &Action::Accept, None, now()),
        );
        a.unwrap();
        b.unwrap();
        let events = store.events(&no).await.unwrap();
        let actions: Vec<_> = events.iter().map(|e| e.action.code()).collect();
        assert_eq!(events.len(), 3, "{actions:?}");
        assert!(actions.contains(&"supplement") && actions.contains(&"accept"));
        assert_eq!(store.get(&no).await.unwrap().unwrap().state, CaseState::Accepted);
        let seqs: Vec<_> = events.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [1, 2, 3]);
    }
}

async fn throttle_counters_lose_no_failure_under_concurrency(store: Arc<dyn CaseStore>) {
    let policy = app::domain::tracking::Policy { limit: 1000, window_ms: 3_600_000, lock_ms: 1 };
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let old = store.throttle_get("case:QH-2026-000001").await.unwrap();
                let new = old.after_failure(1_000, policy);
                if store.throttle_swap("case:QH-2026-000001", old, new).await.unwrap() {
                    break;
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let c = store.throttle_get("case:QH-2026-000001").await.unwrap();
    assert_eq!(c.failures, 8);
    store.throttle_clear("case:QH-2026-000001").await.unwrap();
    assert_eq!(store.throttle_get("case:QH-2026-000001").await.unwrap(), Counter::default());
}

async fn cases_are_found_by_the_consumers_phone(store: Arc<dyn CaseStore>) {
    let (a, _) = receive(store.as_ref(), ItemKind::Complaint).await;
    let (b, _) = receive(store.as_ref(), ItemKind::Report).await;
    let found: Vec<_> = store.cases_by_phone("13812341234").await.unwrap().into_iter().map(|(n, _)| n).collect();
    assert_eq!(found, [b, a], "newest first");
    assert!(store.cases_by_phone("13900000000").await.unwrap().is_empty());
}

on_both_databases!(
    a_rating_cannot_be_given_twice,
    a_supplement_and_a_staff_step_at_once_both_stay,
    throttle_counters_lose_no_failure_under_concurrency,
    cases_are_found_by_the_consumers_phone,
);

/// A filled staff form for each staff step (with the reason a supervisor gives).
fn staff_form(action: app::domain::workflow::ActionName, version: i64) -> Vec<(&'static str, String)> {
    use app::domain::workflow::ActionName as A;
    let mut pairs = vec![
        ("action", action.code().to_owned()),
        ("version", version.to_string()),
        ("note", "督办：承办局未按期处理".to_owned()),
    ];
    let extra: &[(&str, &str)] = match action {
        A::Refuse => &[("ground", "1")],
        A::Transfer | A::Reassign => &[("to_bureau", "632801")],
        A::StartMediation => &[("method", "phone")],
        A::RecordSettlement => &[("recovered", "10.00"), ("agreement", "商家退款10元")],
        A::TerminateMediation => &[("ground", "3")],
        A::Answer | A::FollowUp => &[("text", "已电话答复消费者")],
        A::DecideReport => &[("decision", "yes")],
        A::AnswerContest => &[("decision", "no"), ("text", "经核实商家已退款")],
        _ => &[],
    };
    pairs.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    pairs
}

#[tokio::test]
async fn every_staff_step_through_the_console_in_every_state() {
    use app::domain::actions::STAFF_ACTIONS;
    use app::domain::workflow::{target, ActionName};
    let app = app().await;
    let cookie = supervisor_cookie(&app, "super1").await;
    let mut checked = 0;
    let mut allowed_count = 0;
    for (kind, states) in REACHABLE {
        for &state in *states {
            for &action in STAFF_ACTIONS {
                let (no, _) = case_in(&app, *kind, state).await;
                let before = app.store.get(&no).await.unwrap().unwrap();
                let events = app.store.events(&no).await.unwrap().len();
                let body = serde_urlencoded::to_string(staff_form(action, before.version)).unwrap();
                let req = Request::post(format!("/staff/cases/{no}"))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::COOKIE, &cookie)
                    .body(Body::from(body))
                    .unwrap();
                let r = send(&app, req, "10.5.0.1").await;
                // The state machine's table is checked on its own in the domain's tests; here each
                // step goes through the console's form, service and store. No case was paused, so
                // resuming is never possible.
                let allowed = target(*kind, state, action).is_some() && action != ActionName::ResumeClock;
                let after = app.store.get(&no).await.unwrap().unwrap();
                let new_events = app.store.events(&no).await.unwrap();
                let what = format!("{kind:?} {state:?} {action:?}");
                if allowed {
                    assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}: {}", r.body);
                    assert_eq!(new_events.len(), events + 1, "{what}: one event");
                    let last = new_events.last().unwrap();
                    assert_eq!(last.action, action, "{what}");
                    assert_eq!(last.actor_id.as_deref(), Some("super1"), "{what}");
                    assert_eq!(last.note.as_deref(), Some("督办：承办局未按期处理"), "{what}: the reason is kept");
                    assert_eq!(after.version, before.version + 1, "{what}");
                    allowed_count += 1;
                } else {
                    assert_eq!(r.status, StatusCode::CONFLICT, "{what}: {}", r.body);
                    assert!(r.body.contains("当前状态") || r.body.contains("不允许"), "{what}: says why");
                    assert_eq!(new_events.len(), events, "{what}: nothing stored");
                    assert_eq!(after, before, "{what}: the case is unchanged");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, (10 + 8 + 5) * STAFF_ACTIONS.len());
    assert!(allowed_count > 40, "{allowed_count}");
}

#[tokio::test]
async fn a_supervisor_reassigns_with_a_reason_and_possible_duplicates_are_shown() {
    let app = app().await;
    let cookie = supervisor_cookie(&app, "super2").await;
    let (no, _) = case_in(&app, ItemKind::Complaint, CaseState::InMediation).await;
    let (twin, _) = receive(app.store.as_ref(), ItemKind::Complaint).await;
    let post = |pairs: Vec<(&'static str, String)>| {
        let req = Request::post(format!("/staff/cases/{no}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &cookie)
            .body(Body::from(serde_urlencoded::to_string(pairs).unwrap()))
            .unwrap();
        send(&app, req, "10.5.0.2")
    };
    let v = app.store.get(&no).await.unwrap().unwrap().version;
    let mut no_reason = staff_form(app::domain::workflow::ActionName::Reassign, v);
    no_reason.retain(|(k, _)| *k != "note");
    let r = post(no_reason).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("reassign-note-error") && r.body.contains("理由（必填"), "the reason is asked for");
    let mut accept = staff_form(app::domain::workflow::ActionName::PauseClock, v);
    accept.retain(|(k, _)| *k != "note");
    assert_eq!(post(accept).await.status, StatusCode::UNPROCESSABLE_ENTITY, "any supervisor step needs a reason");
    assert_eq!(app.store.events(&no).await.unwrap().len(), 3, "nothing stored");

    let r = post(staff_form(app::domain::workflow::ActionName::Reassign, v)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = app.store.get(&no).await.unwrap().unwrap();
    assert_eq!((after.state, after.bureau.as_str()), (CaseState::InMediation, "632801"), "the stage stays");
    let page = get_page(&app, &format!("/track/{no}"), Some(&cookie_for(&app, &no))).await;
    assert!(
        page.body.contains("改由其他部门办理") && page.body.contains("格尔木市市场监督管理局"),
        "the consumer sees where it went"
    );
    assert!(!page.body.contains("督办：承办局未按期处理"), "but not the reason");

    let page = get_page(&app, &format!("/staff/cases/{no}"), Some(&cookie)).await;
    assert!(page.body.contains("可能重复的诉求") && page.body.contains(twin.as_str()), "the other item is listed");
}
