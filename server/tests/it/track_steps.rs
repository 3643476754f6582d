//! The consumer's steps through the real router in every state, the timeline, supplements,
//! withdrawal, ratings and contests; and the store's side of them on both databases.

use crate::common;
use crate::track::*;
use app::domain::case::CaseNo;
use app::domain::kind::ItemKind;
use app::domain::tracking::{Counter, Rating, RatingForm, RatingOutcome};
use app::domain::workflow::{Action, CaseState, Role};
use app::error::AppError;
use app::ports::prelude::*;
use app::ports::{Beside, EventForCreate};
use app::service::track::{self, ConsumerStep};
use app::service::{self as svc};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::sync::Arc;

/// The consumer's steps, and the states in which each is allowed, written out.
fn consumer_may(kind: ItemKind, state: CaseState, step: &str) -> bool {
    use CaseState::*;
    match step {
        // Material for a case sent to another province goes to that province.
        "supplement" => !matches!(state, Closed | Withdrawn | Refused | TransferredOut),
        "withdraw" => {
            // A report is never withdrawn; a complaint may be after acceptance too (which ends
            // the mediation).
            (kind != ItemKind::Report && matches!(state, Received | Transferred))
                || (kind == ItemKind::Complaint
                    && matches!(state, Accepted | InMediation | WithBusiness | BusinessOffered))
        }
        "rate" => state == Closed || (kind == ItemKind::Complaint && state == MediationTerminated),
        "contest" => state == Closed,
        // A real-name reporter may stop being told while the report is handled.
        "stop_notices" => {
            kind == ItemKind::Report
                && matches!(state, Received | Transferred | UnderVerification | CaseOpened | NotOpened)
        }
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn every_consumer_step_is_refused_in_every_state_where_the_rules_do_not_allow_it() {
    let app = app().await;
    let steps: [(&str, Vec<(&str, &str)>); 5] = [
        ("supplement", vec![("do", "supplement"), ("text", "补充：商家电话打不通")]),
        ("withdraw", vec![("do", "withdraw"), ("confirm", "yes")]),
        ("rate", vec![("do", "rate"), ("process", "4"), ("outcome", "resolved"), ("comment", "谢谢")]),
        ("contest", vec![("do", "contest"), ("reason", "商家没有按协议退款")]),
        ("stop_notices", vec![("do", "stop_notices")]),
    ];
    let mut checked = 0;
    for (kind, states) in &reachable() {
        for &state in states {
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
    assert_eq!(checked, (13 + 8 + 5) * 5);
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
        notices: Vec::new(),
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
    let stored = store.rating(&no).await.unwrap().unwrap().rating;
    let old = (stored.process, stored.outcome);
    let edit = Beside::EditRating { rating: rating(3), rated_since: app::domain::clock::unix_ms(now()) + 60_000, old };
    assert_eq!(store.record(&no, CaseState::Closed, consumer_event(Rate), edit).await, Err(AppError::Conflict));
    // …and the score and verdict it changes (a concurrent change was made first).
    let edit = Beside::EditRating { rating: rating(3), rated_since: 0, old: (old.0 % 5 + 1, old.1) };
    assert_eq!(store.record(&no, CaseState::Closed, consumer_event(Rate), edit).await, Err(AppError::Conflict));
    let other = if old.1 == RatingOutcome::Partly { RatingOutcome::Resolved } else { RatingOutcome::Partly };
    let edit = Beside::EditRating { rating: rating(3), rated_since: 0, old: (old.0, other) };
    assert_eq!(store.record(&no, CaseState::Closed, consumer_event(Rate), edit).await, Err(AppError::Conflict));
    let edit = Beside::EditRating { rating: rating(3), rated_since: 0, old };
    store.record(&no, CaseState::Closed, consumer_event(Rate), edit).await.unwrap();
    assert_eq!(store.rating(&no).await.unwrap().unwrap().rating.process, 3);
    // A step recorded against a state the case has left is refused.
    let stale = store.record(&no, CaseState::Received, consumer_event(Rate), Beside::Nothing).await;
    assert_eq!(stale, Err(AppError::Conflict));
}

async fn a_supplement_and_a_staff_step_at_once_both_stay(store: Arc<dyn app::ports::Store>) {
    let services =
        app::Services { second_factor: Default::default(), ..common::app_state(store.clone(), false).services };
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
    let policy = app::domain::tracking::Policy { free: 1000, window_ms: 3_600_000, first_wait_ms: 1, max_wait_ms: 1 };
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
        A::TransferOut => &[("province", "330000")],
        A::StartMediation => &[("method", "phone")],
        A::RecordSettlement => &[("recovered", "10.00"), ("agreement", "商家退款10元")],
        A::TerminateMediation => &[("ground", "3")],
        A::Answer | A::FollowUp => &[("text", "已电话答复消费者")],
        A::Extend => &[("text", "涉及外省经营者，需协查")],
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
    use app::domain::workflow::{extendable, target, ActionName};
    let app = app().await;
    let cookie = supervisor_cookie(&app, "super1").await;
    let mut checked = 0;
    let mut allowed_count = 0;
    for (kind, states) in &reachable() {
        for &state in states {
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
                // An extension only where the period's rule has one (a report's, here).
                let allowed = target(*kind, state, action).is_some()
                    && action != ActionName::ResumeClock
                    && (action != ActionName::Extend || extendable(*kind, state, &[], before.rules().unwrap()));
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
    assert_eq!(checked, (13 + 8 + 5) * STAFF_ACTIONS.len());
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
