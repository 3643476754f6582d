//! The consumer's verdict asked by message: 20 working days after a closure, to a consumer who
//! has not rated the case, once a day for all servers and once per case (both databases).

use crate::common;
use app::domain::case::CaseNo;
use app::domain::notify::NoticeKind;
use app::domain::workflow::Action;
use app::ports::Store;
use std::sync::Arc;

/// Takes `action` on `no` as a supervisor at `at`.
async fn step_at(store: &Arc<dyn Store>, no: &CaseNo, action: app::domain::workflow::Action, at: time::OffsetDateTime) {
    use app::domain::workflow::{Actor, Role};
    let version = store.get(no).await.unwrap().unwrap().version;
    let boss = Actor { role: Role::Supervisor, bureau: None, business: None };
    app::service::step::act(store.as_ref(), no, version, &boss, None, &action, None, at).await.unwrap();
}

async fn a_consumer_is_asked_twenty_working_days_after_closing_whether_it_solved_the_problem(store: Arc<dyn Store>) {
    use app::domain::workflow::{Actor, Role};
    let services = crate::common::app_state(store.clone(), false).services;
    let cal = app::domain::calendar::WorkCalendar::china();
    let china = time::macros::offset!(+8);
    // Two complaints refused and closed on a day of last month; one consumer rated it since.
    let closed_on = app::domain::clock::china_date(time::OffsetDateTime::now_utc()) - time::Duration::days(45);
    let received = closed_on.with_hms(9, 0, 0).unwrap().assume_offset(china) - time::Duration::days(3);
    let closed = closed_on.with_hms(15, 0, 0).unwrap().assume_offset(china);
    let intake = Actor { role: Role::IntakeOperator, bureau: None, business: None };
    let mut cases = Vec::new();
    for _ in 0..2 {
        let case = common::complaint(app::domain::clock::china_date(received));
        let (stored, _) = app::service::filing::receive(store.as_ref(), case, &intake, received, None).await.unwrap();
        step_at(&store, &stored.case_no, Action::Refuse { ground: 1 }, closed).await;
        step_at(&store, &stored.case_no, Action::Close, closed).await;
        cases.push(stored.case_no);
    }
    let rating =
        app::domain::tracking::RatingForm { process: "4".into(), outcome: "resolved".into(), comment: String::new() };
    app::service::track::consumer_act(&services, &cases[1], &app::service::track::ConsumerStep::Rate(rating), closed)
        .await
        .unwrap();
    // The 20th working day after the closure, counted on the calendar.
    let mut day = closed_on;
    let mut n = 0;
    while n < app::domain::notify::VERDICT_ASK_WORKING_DAYS {
        day = day.next_day().unwrap();
        n += cal.is_working_day(day) as u32;
    }
    let asked = |store: Arc<dyn Store>, no: CaseNo| async move {
        store.notices_of(&no).await.unwrap().iter().filter(|n| n.kind == NoticeKind::VerdictAsk).count()
    };
    let at = |d: time::Date, h: u8| d.with_hms(h, 0, 0).unwrap().assume_offset(china);
    // The day before, nothing; on the day from 08:00, the unrated case once, on each contact.
    let before =
        app::service::notify::verdict_questions(&services, at(day - time::Duration::days(1), 9)).await.unwrap();
    let on_day = app::service::notify::verdict_questions(&services, at(day, 9)).await.unwrap();
    let again = app::service::notify::verdict_questions(&services, at(day, 10)).await.unwrap();
    let next = app::service::notify::verdict_questions(&services, at(day.next_day().unwrap(), 9)).await.unwrap();
    assert_eq!((before, on_day, again, next), (0, 1, 0, 0));
    assert_eq!(asked(store.clone(), cases[0].clone()).await, 1);
    assert_eq!(asked(store.clone(), cases[1].clone()).await, 0, "a consumer who rated it is not asked");
}

on_both_databases!(a_consumer_is_asked_twenty_working_days_after_closing_whether_it_solved_the_problem);
