//! The authorization matrix: every staff route and every server function × every role (and
//! anonymous) → allowed or refused, from one table. Every server function the application
//! registers must appear in the table, so a new one cannot be left out.

use crate::common;

use app::ports::Store;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::server_fn::ServerFn;
use std::net::SocketAddr;
use std::sync::Arc;
use time::OffsetDateTime;
use tower::ServiceExt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Intake,
    /// A handler of the case's bureau.
    HandlerHere,
    /// A handler of another bureau.
    HandlerElsewhere,
    Supervisor,
    Admin,
}

const EVERYONE: [Who; 6] =
    [Who::Anonymous, Who::Intake, Who::HandlerHere, Who::HandlerElsewhere, Who::Supervisor, Who::Admin];

#[derive(Debug, Clone, Copy)]
enum Target {
    QueuePage,
    CasePage,
    CaseStep,
    IntakePage,
    IntakeStep,
    EvidenceFile,
    AuditPage,
    QueueFn,
    AuditFn,
    CaseFn,
    /// Public server functions: anyone may call them (their own checks are tested elsewhere).
    FileCaseFn,
    ReceiptFn,
    TrackFn,
    GuideFn,
    StatsFn,
    ScreenFn,
    CasesFn,
    PublishPage,
    PublishFn,
    OutboxPage,
    OutboxFn,
    /// Sends a failed message again (one that does not exist: 404 for those allowed).
    OutboxResend,
    /// Chooses what the open-day screen follows (a supervisor's or an admin's).
    ScreenFollow,
    /// The cases of a phone proven by a one-time code (public: the cookie decides, none here).
    RecoveredFn,
    /// A business's console and its answer: a business account's alone (staff are refused).
    BusinessPage,
    BusinessAnswer,
    OdrQueueFn,
    OdrCaseFn,
    /// Whether a credit code is a member of the ODR lane (public: the membership is published).
    OdrMemberFn,
    /// The register's entries for a name typed in the filing form (public: the register is).
    RegisterLookupFn,
    /// Businesses' complaint records (public: what is disclosed has no personal data).
    BusinessesFn,
    RecordFn,
    /// The register of businesses: its page, its server function, a decision on a membership (of
    /// an entry that does not exist: 404 for those allowed) and the form adding an entry (empty:
    /// 422 for those allowed). The handlers' and supervisors'.
    RegisterPage,
    RegisterFn,
    RegisterDecide,
    RegisterAdd,
    /// Objections to disclosed complaints: the bureaus' page and its function (handlers and
    /// supervisors), filing one (an empty form: 422 for those allowed), a decision (on one that
    /// does not exist: 404 for a supervisor); the business's own record (a business account's).
    ObjectionsPage,
    ObjectionsFn,
    ObjectionFile,
    ObjectionDecide,
    OwnRecordPage,
    OwnRecordFn,
}

/// (what, who, expected status). Staff-only things refuse anonymous callers and wrong roles.
fn expected(t: Target, w: Who) -> StatusCode {
    use StatusCode as S;
    use Who::*;
    match (t, w) {
        (Target::QueuePage | Target::CasePage | Target::IntakePage, Anonymous) => S::SEE_OTHER,
        (Target::IntakePage, _) => S::OK,
        (Target::IntakeStep, Anonymous) => S::UNAUTHORIZED,
        (Target::IntakeStep, Intake | Supervisor) => S::CREATED,
        (Target::IntakeStep, _) => S::FORBIDDEN,
        (Target::QueuePage, _) => S::OK,
        (Target::AuditPage | Target::PublishPage, Anonymous) => S::SEE_OTHER,
        (Target::PublishPage | Target::PublishFn, Supervisor) => S::OK,
        (Target::PublishPage, _) => S::FORBIDDEN,
        (Target::PublishFn, Anonymous) => S::UNAUTHORIZED,
        (Target::PublishFn, _) => S::FORBIDDEN,
        (Target::AuditPage | Target::AuditFn, Supervisor | Admin) => S::OK,
        (Target::AuditPage, _) => S::FORBIDDEN,
        (Target::AuditFn, Anonymous) => S::UNAUTHORIZED,
        (Target::AuditFn, _) => S::FORBIDDEN,
        (Target::OutboxPage, Anonymous) => S::SEE_OTHER,
        (Target::OutboxPage | Target::OutboxFn, Supervisor | Admin) => S::OK,
        (Target::OutboxResend, Supervisor | Admin) => S::NOT_FOUND,
        (Target::OutboxFn | Target::OutboxResend, Anonymous) => S::UNAUTHORIZED,
        (Target::OutboxPage | Target::OutboxFn | Target::OutboxResend, _) => S::FORBIDDEN,
        (Target::BusinessPage, Anonymous) => S::SEE_OTHER,
        (Target::BusinessAnswer | Target::OdrQueueFn | Target::OdrCaseFn, Anonymous) => S::UNAUTHORIZED,
        (Target::BusinessPage | Target::BusinessAnswer | Target::OdrQueueFn | Target::OdrCaseFn, _) => S::FORBIDDEN,
        (Target::RegisterPage, Anonymous) => S::SEE_OTHER,
        (Target::RegisterFn | Target::RegisterDecide | Target::RegisterAdd, Anonymous) => S::UNAUTHORIZED,
        (Target::RegisterPage | Target::RegisterFn, HandlerHere | HandlerElsewhere | Supervisor) => S::OK,
        (Target::RegisterDecide, HandlerHere | HandlerElsewhere | Supervisor) => S::NOT_FOUND,
        (Target::RegisterAdd, HandlerHere | HandlerElsewhere | Supervisor) => S::UNPROCESSABLE_ENTITY,
        (Target::RegisterPage | Target::RegisterFn | Target::RegisterDecide | Target::RegisterAdd, _) => S::FORBIDDEN,
        (Target::ObjectionsPage | Target::OwnRecordPage, Anonymous) => S::SEE_OTHER,
        (Target::ObjectionsFn | Target::ObjectionFile | Target::ObjectionDecide | Target::OwnRecordFn, Anonymous) => {
            S::UNAUTHORIZED
        }
        (Target::ObjectionsPage | Target::ObjectionsFn, HandlerHere | HandlerElsewhere | Supervisor) => S::OK,
        (Target::ObjectionFile, HandlerHere | HandlerElsewhere | Supervisor) => S::UNPROCESSABLE_ENTITY,
        (Target::ObjectionDecide, Supervisor) => S::NOT_FOUND,
        (
            Target::ObjectionsPage
            | Target::ObjectionsFn
            | Target::ObjectionFile
            | Target::ObjectionDecide
            | Target::OwnRecordPage
            | Target::OwnRecordFn,
            _,
        ) => S::FORBIDDEN,
        (Target::ScreenFollow, Anonymous) => S::UNAUTHORIZED,
        (Target::ScreenFollow, Supervisor | Admin) => S::SEE_OTHER,
        (Target::ScreenFollow, _) => S::FORBIDDEN,
        (Target::EvidenceFile, Anonymous) => S::SEE_OTHER,
        (Target::EvidenceFile, HandlerHere | Supervisor) => S::OK,
        (Target::EvidenceFile, _) => S::FORBIDDEN,
        (Target::CasePage, HandlerHere | Supervisor) => S::OK,
        (Target::CasePage, _) => S::FORBIDDEN,
        (Target::CaseStep, Anonymous) => S::UNAUTHORIZED,
        (Target::CaseStep, HandlerHere | Supervisor) => S::SEE_OTHER,
        (Target::CaseStep, _) => S::FORBIDDEN,
        (Target::QueueFn | Target::CaseFn, Anonymous) => S::UNAUTHORIZED,
        (Target::QueueFn, Admin) => S::FORBIDDEN,
        (Target::QueueFn, _) => S::OK,
        (Target::CaseFn, HandlerHere | Supervisor) => S::OK,
        (Target::CaseFn, _) => S::FORBIDDEN,
        // Public: the answer does not depend on who asks (the session is never consulted).
        (Target::FileCaseFn, _) => S::UNPROCESSABLE_ENTITY,
        (
            Target::ReceiptFn
            | Target::TrackFn
            | Target::GuideFn
            | Target::StatsFn
            | Target::ScreenFn
            | Target::CasesFn
            | Target::RecoveredFn
            | Target::OdrMemberFn
            | Target::RegisterLookupFn
            | Target::BusinessesFn,
            _,
        ) => S::OK,
        // A business with no record: the same 404 for everyone.
        (Target::RecordFn, _) => S::NOT_FOUND,
    }
}

fn path<F: ServerFn>() -> &'static str {
    F::PATH
}

/// The server functions by path, a line a module: every registered one must be here.
#[rustfmt::skip]
fn server_fns() -> Vec<(&'static str, Target)> {
    use app::server_fns::{disclosure, filing, guide, odr, publish, staff, stats, track};
    use Target::*;
    vec![
        (path::<staff::GetQueue>(), QueueFn), (path::<staff::GetStaffCase>(), CaseFn), (path::<staff::GetAudit>(), AuditFn), (path::<staff::GetOutbox>(), OutboxFn),
        (path::<filing::FileCase>(), FileCaseFn), (path::<filing::GetReceipt>(), ReceiptFn),
        (path::<track::GetTrack>(), TrackFn), (path::<track::GetRecovered>(), RecoveredFn),
        (path::<guide::GetGuide>(), GuideFn),
        (path::<stats::GetStats>(), StatsFn), (path::<stats::GetScreen>(), ScreenFn),
        (path::<publish::GetCases>(), CasesFn), (path::<publish::GetPublishQueue>(), PublishFn),
        (path::<odr::GetOdrQueue>(), OdrQueueFn), (path::<odr::GetOdrCase>(), OdrCaseFn), (path::<odr::GetOdrMember>(), OdrMemberFn),
        (path::<odr::GetRegister>(), RegisterFn), (path::<odr::FindInRegister>(), RegisterLookupFn),
        (path::<disclosure::GetBusinesses>(), BusinessesFn), (path::<disclosure::GetRecord>(), RecordFn),
        (path::<disclosure::GetObjections>(), ObjectionsFn), (path::<disclosure::GetOwnRecord>(), OwnRecordFn),
    ]
}

const PASSWORD: &str = "a long staff password";

struct World {
    router: axum::Router,
    state: server::web::AppState,
    store: Arc<dyn Store>,
    cookies: Vec<(Who, Option<String>)>,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let (store, dir) = common::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(store);
    let state = common::app_state(store.clone(), false);
    let router = server::web::app(state.clone());
    let now = OffsetDateTime::now_utc();
    let accounts = [
        (Who::Intake, "intake1", "intake_operator", None),
        (Who::HandlerHere, "handler1", "handler", Some("630102")),
        (Who::HandlerElsewhere, "handler2", "handler", Some("632801")),
        (Who::Supervisor, "super1", "supervisor", None),
        (Who::Admin, "admin1", "admin", None),
    ];
    let mut cookies = vec![(Who::Anonymous, None)];
    for (who, user, role, bureau) in accounts {
        app::service::staff::set_account(
            &state.services,
            user,
            role,
            bureau.map(str::to_owned),
            Some(PASSWORD.into()),
            now,
        )
        .await
        .unwrap();
        let form = app::domain::staff::LoginForm { username: user.into(), password: PASSWORD.into() };
        let (token, _) = app::service::staff::sign_in(&state.services, &form, "test", now)
            .await
            .unwrap()
            .session()
            .expect("signed in with a password alone");
        cookies.push((who, Some(format!("staff={token}"))));
    }
    World { router, state, store, cookies, _dir: dir }
}

/// A new complaint (at bureau 630102) with one evidence photo: its number and the photo's id.
async fn new_case(w: &World) -> (String, String) {
    let (no, id) = common::complaint_with_photo(&w.state.services, w.store.as_ref()).await;
    (no.to_string(), id)
}

async fn status(w: &World, req: Request<Body>, cookie: &Option<String>) -> (StatusCode, String) {
    let (mut parts, body) = req.into_parts();
    if let Some(c) = cookie {
        parts.headers.insert(header::COOKIE, c.parse().unwrap());
    }
    parts.extensions.insert(ConnectInfo("10.7.0.1:1".parse::<SocketAddr>().unwrap()));
    let res = w.router.clone().oneshot(Request::from_parts(parts, body)).await.unwrap();
    let s = res.status();
    let body = String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned();
    (s, body)
}

fn form_post(path: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(serde_urlencoded::to_string(pairs).unwrap()))
        .unwrap()
}

fn intake_post(key: &str) -> Request<Body> {
    let today = app::domain::calendar::format_date(app::domain::clock::china_date(OffsetDateTime::now_utc()));
    let v = serde_json::to_value(app::domain::filing::sample_complaint(&today, key)).unwrap();
    let mut pairs: Vec<(String, String)> =
        v.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect();
    pairs.push(("channel".into(), "letter".into()));
    Request::post("/staff/intake")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(&pairs).unwrap()))
        .unwrap()
}

#[tokio::test]
async fn every_staff_route_and_server_function_answers_each_role_as_the_table_says() {
    let w = world().await;
    // Every registered server function is in the table.
    let registered: Vec<_> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_owned()).collect();
    let known: Vec<_> = server_fns().iter().map(|(p, _)| p.to_string()).collect();
    for p in &registered {
        assert!(known.contains(p), "server function {p} is missing from the authorization table");
    }
    assert_eq!(registered.len(), known.len());

    let mut checked = 0;
    for (who, cookie) in &w.cookies {
        let (case_no, evidence) = new_case(&w).await;
        let mut targets: Vec<(Target, Request<Body>)> = vec![
            (Target::QueuePage, Request::get("/staff").body(Body::empty()).unwrap()),
            (Target::CasePage, Request::get(format!("/staff/cases/{case_no}")).body(Body::empty()).unwrap()),
            (
                Target::CaseStep,
                form_post(
                    &format!("/staff/cases/{case_no}"),
                    &[("action", "accept"), ("version", "1"), ("note", "督办受理")],
                ),
            ),
            (Target::IntakePage, Request::get("/staff/intake").body(Body::empty()).unwrap()),
            (Target::EvidenceFile, Request::get(format!("/staff/evidence/{evidence}")).body(Body::empty()).unwrap()),
            (Target::AuditPage, Request::get("/staff/audit").body(Body::empty()).unwrap()),
            (Target::PublishPage, Request::get("/staff/publish").body(Body::empty()).unwrap()),
            (Target::OutboxPage, Request::get("/staff/outbox").body(Body::empty()).unwrap()),
            (Target::OutboxResend, form_post("/staff/outbox", &[("id", "999999")])),
            (Target::ScreenFollow, form_post("/staff/screen", &[("follow", &case_no), ("back", "/staff")])),
            (Target::IntakeStep, intake_post(&format!("authz-intake-{who:?}-0123456789"))),
            (Target::BusinessPage, Request::get("/staff/business").body(Body::empty()).unwrap()),
            (Target::RegisterPage, Request::get("/staff/register").body(Body::empty()).unwrap()),
            (
                Target::RegisterDecide,
                form_post("/staff/register", &[("credit_code", "91350100M000100Y43"), ("change", "suspend")]),
            ),
            (Target::RegisterAdd, form_post("/staff/register/add", &[("name", "")])),
            (Target::ObjectionsPage, Request::get("/staff/objections").body(Body::empty()).unwrap()),
            (Target::OwnRecordPage, Request::get("/staff/business/record").body(Body::empty()).unwrap()),
            (Target::ObjectionFile, form_post("/staff/objections", &[("item", ""), ("reason", "")])),
            (
                Target::ObjectionDecide,
                form_post("/staff/objections/999999", &[("decision", "keep"), ("note", "保留原公开内容")]),
            ),
            (
                Target::BusinessAnswer,
                form_post(&format!("/staff/business/cases/{case_no}"), &[("action", "odr_decline"), ("version", "1")]),
            ),
        ];
        for (path, t) in server_fns() {
            let req = match t {
                Target::QueueFn => form_post(path, &[("params[state]", "open"), ("params[kind]", "")]),
                Target::AuditFn
                | Target::PublishFn
                | Target::RecoveredFn
                | Target::OdrQueueFn
                | Target::ObjectionsFn
                | Target::OwnRecordFn => form_post(path, &[]),
                Target::OdrCaseFn => form_post(path, &[("case_no", &case_no)]),
                Target::OdrMemberFn => form_post(path, &[("credit_code", "91350100M000100Y43"), ("kind", "complaint")]),
                Target::RegisterFn => form_post(path, &[("q", "")]),
                Target::RegisterLookupFn => {
                    form_post(path, &[("name", "西宁"), ("credit_code", ""), ("county", "630102")])
                }
                Target::OutboxFn => form_post(path, &[("state", ""), ("page", "0")]),
                Target::CasesFn => form_post(path, &[("params[category]", "")]),
                Target::BusinessesFn => form_post(path, &[("params[q]", "")]),
                Target::RecordFn => {
                    form_post(path, &[("key", "n:630102:没有这个经营者"), ("before", ""), ("lang", "zh-CN")])
                }
                Target::GuideFn | Target::ScreenFn => form_post(path, &[("lang", "en")]),
                Target::StatsFn => form_post(path, &[("period", ""), ("lang", "en")]),
                Target::CaseFn | Target::TrackFn | Target::ReceiptFn => form_post(path, &[("case_no", &case_no)]),
                Target::FileCaseFn => Request::post(path)
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::ACCEPT, "application/json")
                    .body(Body::from(r#"{"form":{}}"#))
                    .unwrap(),
                _ => unreachable!(),
            };
            targets.push((t, req));
        }
        for (t, req) in targets {
            let (got, body) = status(&w, req, cookie).await;
            assert_eq!(got, expected(t, *who), "{t:?} as {who:?}: {body}");
            // The outbox holds each case's receipt to 13812341234: shown masked, even to supervisors.
            if matches!(t, Target::OutboxPage | Target::OutboxFn)
                || matches!(t, Target::CasePage | Target::CaseFn | Target::EvidenceFile)
                    && expected(t, *who) != StatusCode::OK
            {
                assert!(!body.contains("13812341234"), "{t:?} as {who:?} leaked personal data");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, EVERYONE.len() * (20 + server_fns().len()));
}
