//! The statutory clock through the services and a real database (SQLite file and PostgreSQL):
//! a pause moves the stored deadline, a withdrawal after acceptance leads to the termination
//! notice, an extension is taken once, and stored deadlines follow new legal data.

use crate::common;

use app::domain::case::CaseNo;
use app::domain::fields::Note;
use app::domain::kind::ItemKind;
use app::domain::queue::Urgency;
use app::domain::workflow::{Action, ActionName, Actor, CaseState, MediationMethod, Refusal, Role};
use app::error::AppError;
use app::service;
use std::sync::Arc;
use time::macros::datetime;
use time::OffsetDateTime;

type Store = Arc<dyn app::ports::Store>;

fn handler() -> Actor {
    Actor { role: Role::Handler, bureau: Some("630102".into()), business: None }
}

fn consumer() -> Actor {
    Actor { role: Role::Consumer, bureau: None, business: None }
}

async fn step(store: &Store, no: &CaseNo, who: &Actor, action: Action, at: OffsetDateTime) -> Result<(), AppError> {
    let v = store.get(no).await.unwrap().unwrap().version;
    service::step::act(store.as_ref(), no, v, who, None, &action, None, at).await.map(|_| ())
}

/// The stored deadline key of a case.
async fn due_key(store: &Store, no: &CaseNo) -> String {
    let all = store.due_between("0000-01-01", "9999-12-31").await.unwrap();
    all.into_iter().find(|(n, _, _)| n == no).map(|(_, _, key)| key).expect("every case has a key")
}

async fn file(store: &Store, kind: ItemKind, at: OffsetDateTime) -> CaseNo {
    let mut case = common::complaint(app::domain::clock::china_date(at));
    case.kind = kind;
    let (c, _) = service::filing::receive(store.as_ref(), case, &service::filing::consumer(), at, None).await.unwrap();
    c.case_no
}

async fn a_pause_moves_the_stored_deadline(store: Store) {
    // Received Mon 2026-08-03, accepted Tue Aug 4: 60 days, rolled past National Day → Oct 8.
    let no = file(&store, ItemKind::Complaint, datetime!(2026-08-03 02:00 UTC)).await;
    step(&store, &no, &handler(), Action::Accept, datetime!(2026-08-04 02:00 UTC)).await.unwrap();
    let m = Action::StartMediation { method: MediationMethod::Phone, on_site: None };
    step(&store, &no, &handler(), m, datetime!(2026-08-05 02:00 UTC)).await.unwrap();
    assert_eq!(due_key(&store, &no).await, "2026-10-08");
    step(&store, &no, &handler(), Action::PauseClock, datetime!(2026-08-14 02:00 UTC)).await.unwrap();
    assert_eq!(due_key(&store, &no).await, app::domain::queue::UNDATED_KEY, "no date while paused");
    step(&store, &no, &handler(), Action::ResumeClock, datetime!(2026-08-24 02:00 UTC)).await.unwrap();
    // Aug 15–24 left out: Aug 4 + 70 days = Tue Oct 13.
    assert_eq!(due_key(&store, &no).await, "2026-10-13");
    let services = common::app_state(store.clone(), false).services;
    let view = service::track::view(&services, &no, datetime!(2026-08-25 02:00 UTC)).await.unwrap().unwrap();
    let d = view.deadline.unwrap();
    assert_eq!(d.date.as_deref(), Some("2026-10-13"));
    assert_eq!(
        d.explain_en,
        "60 days from acceptance on 2026-08-04, less 10 days paused for testing or appraisal (once): due 2026-10-13."
    );
    assert!(!d.paused);
}

async fn a_withdrawal_after_acceptance_ends_the_mediation_with_a_notice_due(store: Store) {
    let no = file(&store, ItemKind::Complaint, datetime!(2026-09-01 02:00 UTC)).await;
    step(&store, &no, &handler(), Action::Accept, datetime!(2026-09-03 02:00 UTC)).await.unwrap();
    step(&store, &no, &consumer(), Action::Withdraw, datetime!(2026-09-24 02:00 UTC)).await.unwrap();
    let case = store.get(&no).await.unwrap().unwrap();
    assert_eq!(case.state, CaseState::MediationTerminated);
    let last = store.events(&no).await.unwrap().pop().unwrap();
    assert_eq!((last.action, last.ground), (ActionName::Withdraw, Some(case.rules().unwrap().withdrawal_ground)));
    // Both parties told within 7 working days: Sep 28, 29, 30, Oct 8, 9, 10, 12.
    assert_eq!(due_key(&store, &no).await, "2026-10-12");
    // Staff then close it; the consumer cannot withdraw again.
    assert!(matches!(
        step(&store, &no, &consumer(), Action::Withdraw, datetime!(2026-09-25 02:00 UTC)).await,
        Err(AppError::Workflow(Refusal::NotInThisState { .. }))
    ));
    step(&store, &no, &handler(), Action::Close, datetime!(2026-10-09 02:00 UTC)).await.unwrap();
    assert_eq!(store.get(&no).await.unwrap().unwrap().state, CaseState::Closed);
}

async fn a_reports_period_is_extended_once(store: Store) {
    // Received Mon 2026-12-21: 15 working days → 2027-01-12; extended by 15 → 2027-02-02.
    let no = file(&store, ItemKind::Report, datetime!(2026-12-21 02:00 UTC)).await;
    assert_eq!(due_key(&store, &no).await, "2027-01-12");
    let withdraw = step(&store, &no, &consumer(), Action::Withdraw, datetime!(2026-12-22 02:00 UTC)).await;
    assert!(matches!(withdraw, Err(AppError::Workflow(Refusal::NotInThisState { .. }))), "a report is not withdrawn");
    step(&store, &no, &handler(), Action::StartVerification, datetime!(2026-12-22 02:00 UTC)).await.unwrap();
    let reason = Note::parse("涉及外省经营者，需协查").unwrap();
    step(&store, &no, &handler(), Action::Extend { reason: reason.clone() }, datetime!(2027-01-08 02:00 UTC))
        .await
        .unwrap();
    assert_eq!(due_key(&store, &no).await, "2027-02-02");
    let again = step(&store, &no, &handler(), Action::Extend { reason }, datetime!(2027-01-09 02:00 UTC)).await;
    assert!(matches!(again, Err(AppError::Workflow(Refusal::NotExtendable))));
    let last = store.events(&no).await.unwrap().pop().unwrap();
    assert_eq!(last.detail.as_deref(), Some("涉及外省经营者，需协查"), "the reason is on the timeline");
}

async fn stored_deadlines_follow_new_legal_data(store: Store) {
    let services = common::app_state(store.clone(), false).services;
    let no = file(&store, ItemKind::Complaint, datetime!(2026-11-26 02:00 UTC)).await;
    let right = due_key(&store, &no).await;
    assert_eq!(right, "2026-12-07");
    // As if computed with other data: a wrong date, and no fingerprint stored.
    let v = store.get(&no).await.unwrap().unwrap().version;
    assert!(store.set_due(&no, v, "2026-12-04").await.unwrap());
    assert!(!store.set_due(&no, v + 1, "2026-12-05").await.unwrap(), "only at the version read");
    assert_eq!(service::queue::refresh_deadlines(&services).await.unwrap(), 1);
    assert_eq!(due_key(&store, &no).await, right);
    assert_eq!(store.get(&no).await.unwrap().unwrap().version, v, "a recomputation is not a step");
    // Computed with this data now: nothing to do on the next start.
    assert!(store.set_due(&no, v, "2026-12-04").await.unwrap());
    assert_eq!(service::queue::refresh_deadlines(&services).await.unwrap(), 0);
    assert_eq!(Urgency::from_key(&due_key(&store, &no).await), Urgency::from_key("2026-12-04"));
}

async fn an_anonymous_report_is_stored_without_a_reporter_and_owes_no_notice(store: Store) {
    let mut named = common::complaint(app::domain::clock::china_date(datetime!(2026-11-30 02:00 UTC)));
    named.kind = ItemKind::Report;
    let anonymous = app::domain::case::CaseForCreate { consumer: None, ..named.clone() };
    let mut decided = Vec::new();
    for case in [named, anonymous] {
        let at = datetime!(2026-11-30 02:00 UTC);
        let (c, _) = service::filing::receive(store.as_ref(), case.clone(), &service::filing::consumer(), at, None)
            .await
            .unwrap();
        let back = store.get(&c.case_no).await.unwrap().unwrap();
        assert_eq!(back.content, case, "stored as filed");
        step(&store, &c.case_no, &handler(), Action::StartVerification, datetime!(2026-12-01 02:00 UTC)).await.unwrap();
        step(&store, &c.case_no, &handler(), Action::DecideReport { opened: false }, datetime!(2026-12-04 02:00 UTC))
            .await
            .unwrap();
        decided.push(due_key(&store, &c.case_no).await);
    }
    // The real-name reporter is told within 5 working days (Fri Dec 4 → Fri Dec 11); nobody is
    // owed a notice of an anonymous report, which waits undated to be closed.
    assert_eq!(decided, ["2026-12-11", app::domain::queue::UNDATED_KEY]);
}

async fn an_old_complaint_is_filed_and_staff_see_the_ground_it_may_be_refused_on(store: Store) {
    let services = common::app_state(store.clone(), false).services;
    let at = datetime!(2026-11-30 02:00 UTC);
    let mut old = common::complaint(app::domain::clock::china_date(at));
    old.incident_on = Some(time::macros::date!(2023 - 11 - 29));
    let recent = common::complaint(app::domain::clock::china_date(at));
    let supervisor = app::domain::staff::Staff::new(
        app::domain::staff::Username::parse("clock-supervisor").unwrap(),
        Role::Supervisor,
        None,
    )
    .unwrap();
    let mut hints = Vec::new();
    for case in [old, recent] {
        let (c, _) =
            service::filing::receive(store.as_ref(), case, &service::filing::consumer(), at, None).await.unwrap();
        let view = service::console::case_view(&services, &supervisor, &c.case_no, at).await.unwrap();
        hints.push(view.limitation_ground.map(|(no, _)| no));
    }
    // Three years from 2023-11-29 ended on 2026-11-29: ground 4 of the refusal grounds.
    assert_eq!(hints, [Some(4), None]);
}

async fn a_complaint_about_a_business_in_another_province_is_sent_there_and_leaves_the_clock(store: Store) {
    let services = common::app_state(store.clone(), false).services;
    let no = file(&store, ItemKind::Complaint, datetime!(2026-11-30 02:00 UTC)).await;
    let bad = step(
        &store,
        &no,
        &handler(),
        Action::TransferOut { province: "630000".into() },
        datetime!(2026-12-01 02:00 UTC),
    )
    .await;
    assert!(matches!(bad, Err(AppError::Invalid(ref f)) if f[0].field == "province"), "{bad:?}");
    step(&store, &no, &handler(), Action::TransferOut { province: "330000".into() }, datetime!(2026-12-01 02:00 UTC))
        .await
        .unwrap();
    let case = store.get(&no).await.unwrap().unwrap();
    assert_eq!((case.state, case.bureau.as_str()), (CaseState::TransferredOut, "630102"));
    assert_eq!(due_key(&store, &no).await, app::domain::queue::FINISHED_KEY, "off this portal's clock");
    // Still trackable: the consumer reads where it went, and no deadline of this portal.
    let view = service::track::view(&services, &no, datetime!(2026-12-02 02:00 UTC)).await.unwrap().unwrap();
    assert_eq!(view.state, "transferred_out");
    assert!(view.deadline.is_none());
    let last = view.timeline.last().unwrap();
    assert_eq!((last.action.as_str(), last.detail.as_deref()), ("transfer_out", Some("330000")));
    assert!(!view.allowed.withdraw && !view.allowed.supplement);
    // Nothing more happens to it here.
    let accept = step(&store, &no, &handler(), Action::Accept, datetime!(2026-12-02 02:00 UTC)).await;
    assert!(matches!(accept, Err(AppError::Workflow(Refusal::NotInThisState { .. }))));
}

async fn a_reporter_who_stops_the_notices_is_owed_none_once_the_case_is_decided(store: Store) {
    let services = common::app_state(store.clone(), false).services;
    let no = file(&store, ItemKind::Report, datetime!(2026-11-30 02:00 UTC)).await;
    step(&store, &no, &handler(), Action::StartVerification, datetime!(2026-12-01 02:00 UTC)).await.unwrap();
    let stop = service::track::ConsumerStep::StopNotices;
    service::track::consumer_act(&services, &no, &stop, datetime!(2026-12-02 02:00 UTC)).await.unwrap();
    // Asked once: a second request changes nothing.
    let again = service::track::consumer_act(&services, &no, &stop, datetime!(2026-12-02 03:00 UTC)).await;
    assert!(matches!(again, Err(AppError::Workflow(Refusal::NotInThisState { .. }))), "{again:?}");
    // The bureau's own period runs on (Mon Nov 30 + 15 working days).
    assert_eq!(due_key(&store, &no).await, "2026-12-21");
    step(&store, &no, &handler(), Action::DecideReport { opened: false }, datetime!(2026-12-04 02:00 UTC))
        .await
        .unwrap();
    assert_eq!(due_key(&store, &no).await, app::domain::queue::UNDATED_KEY, "no notice owed");
    let view = service::track::view(&services, &no, datetime!(2026-12-04 03:00 UTC)).await.unwrap().unwrap();
    assert!(view.deadline.is_none() && !view.allowed.stop_notices);
    assert!(view.timeline.iter().any(|e| e.action == "stop_notices"));
}

on_both_databases!(
    a_reporter_who_stops_the_notices_is_owed_none_once_the_case_is_decided,
    a_complaint_about_a_business_in_another_province_is_sent_there_and_leaves_the_clock,
    an_old_complaint_is_filed_and_staff_see_the_ground_it_may_be_refused_on,
    an_anonymous_report_is_stored_without_a_reporter_and_owes_no_notice,
    a_pause_moves_the_stored_deadline,
    a_withdrawal_after_acceptance_ends_the_mediation_with_a_notice_due,
    a_reports_period_is_extended_once,
    stored_deadlines_follow_new_legal_data,
);
