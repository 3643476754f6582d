//! Unit tests of `domain::stats`.

use super::*;
use time::macros::date;

fn dims() -> Dims {
    Dims::new(ItemKind::Complaint, Channel::Web, "G05", Some("630102"))
}

#[test]
fn periods_parse_and_cover_their_months() {
    assert_eq!(Period::parse("2026"), Ok(Period::Year(2026)));
    assert_eq!(Period::parse("2026-Q3"), Ok(Period::Quarter(2026, 3)));
    assert_eq!(Period::parse("2026-07"), Ok(Period::Month(2026, 7)));
    for bad in ["", "26", "2026-13", "2026-Q5", "2026-7", "x", "2026-Q", "1999", "2026-00", "'; DROP"] {
        assert!(Period::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(Period::Quarter(2026, 3).months(), ["2026-07", "2026-08", "2026-09"]);
    assert_eq!(Period::Year(2026).months().len(), 12);
    assert_eq!(Period::Month(2026, 1).prev(), Period::Month(2025, 12));
    assert_eq!(Period::Quarter(2026, 4).next(), Period::Quarter(2027, 1));
    assert_eq!(Period::Quarter(2026, 2).year_before(), Period::Quarter(2025, 2));
    assert_eq!(Figures::month_range(Period::Month(2026, 3)), ("2025-03".into(), "2026-03".into()));
    assert_eq!(Period::containing("quarter", date!(2026 - 11 - 28)), Period::Quarter(2026, 4));
}

#[test]
fn a_decision_counts_in_its_month_and_in_time_against_the_due_date() {
    let d = dims();
    let step = |on, due| StepFact {
        action: ActionName::Accept,
        to: CaseState::Accepted,
        recovered: None,
        urgency_before: Urgency::Due(due),
        closed_before: false,
        received_on: date!(2026 - 01 - 28),
        on,
    };
    let late = on_step(&d, &step(date!(2026 - 02 - 10), date!(2026 - 02 - 06)));
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].month, "2026-02");
    assert_eq!((late[0].m.decided, late[0].m.accepted, late[0].m.decided_in_time), (1, 1, 0));
    assert_eq!(late[0].span, Some((Span::Decision, 13)));
    let on_time = on_step(&d, &step(date!(2026 - 02 - 06), date!(2026 - 02 - 06)));
    assert_eq!(on_time[0].m.decided_in_time, 1);
    // A report's decision is not an acceptance decision of a complaint.
    let report = Dims { kind: ItemKind::Report, ..d.clone() };
    assert!(on_step(&report, &step(date!(2026 - 02 - 06), date!(2026 - 02 - 06))).is_empty());
}

#[test]
fn a_reopened_case_closed_again_counts_one_closure() {
    let d = dims();
    let mut s = StepFact {
        action: ActionName::Close,
        to: CaseState::Closed,
        recovered: None,
        urgency_before: Urgency::Undated,
        closed_before: false,
        received_on: date!(2026 - 03 - 01),
        on: date!(2026 - 03 - 21),
    };
    let first = on_step(&d, &s);
    assert_eq!(first.len(), 1);
    assert_eq!((first[0].m.closed, first[0].span), (1, Some((Span::Closure, 20))));
    s.closed_before = true;
    assert!(on_step(&d, &s).is_empty());
}

#[test]
fn a_changed_rating_moves_satisfied_and_the_verdict_only() {
    use crate::domain::tracking::RatingOutcome::{NotResolved, Partly, Resolved};
    let d = dims();
    let first = on_rating(&d, date!(2026 - 05 - 02), None, (5, Resolved));
    let m = first[0].m;
    assert_eq!((m.rated, m.satisfied, m.solved, m.partly), (1, 1, 1, 0));
    let down = on_rating(&d, date!(2026 - 05 - 02), Some((5, Resolved)), (2, Partly));
    let m = down[0].m;
    assert_eq!((m.rated, m.satisfied, m.solved, m.partly, down[0].month.as_str()), (0, -1, -1, 1, "2026-05"));
    assert!(on_rating(&d, date!(2026 - 05 - 02), Some((4, Partly)), (5, Partly)).is_empty());
    let no = on_rating(&d, date!(2026 - 05 - 02), None, (1, NotResolved));
    assert_eq!((no[0].m.rated, no[0].m.solved, no[0].m.partly), (1, 0, 0), "a no is the rest of the verdicts");
}

#[test]
fn a_business_settlement_counts_in_the_odr_lane_and_in_the_losses_recovered() {
    let d = dims();
    let mut s = StepFact {
        action: ActionName::AcceptOffer,
        to: CaseState::Closed,
        recovered: Some(29_950),
        urgency_before: Urgency::Due(date!(2026 - 03 - 04)),
        closed_before: false,
        received_on: date!(2026 - 02 - 12),
        on: date!(2026 - 03 - 02),
    };
    let out = on_step(&d, &s);
    let m = out[0].m;
    assert_eq!((m.odr_concluded, m.odr_settled, m.recovered_fen, m.settled), (1, 1, 29_950, 0));
    assert_eq!(out[0].span, Some((Span::OdrSettlement, 18)));
    assert_eq!(out[1].m.closed, 1, "and it is a closure");
    for a in [ActionName::OdrDecline, ActionName::RejectOffer, ActionName::PassOn] {
        s.action = a;
        s.to = CaseState::Received;
        let m = on_step(&d, &s)[0].m;
        assert_eq!((m.odr_concluded, m.odr_settled), (1, 0), "{a:?}");
    }
    let rates = Measures { odr_concluded: 4, odr_settled: 3, settled: 9, ..Default::default() };
    assert_eq!((rates.odr_settlement_rate(), rates.business_share()), (Some(0.75), Some(0.25)));
}

#[test]
fn medians_of_histograms() {
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[(3, 1)]), Some(3.0));
    assert_eq!(median(&[(1, 1), (5, 1)]), Some(3.0));
    assert_eq!(median(&[(9, 2), (1, 1), (2, 1)]), Some(5.5));
    assert_eq!(median(&[(0, 5), (10, 4)]), Some(0.0));
}

#[test]
fn figures_add_up_the_rows_of_the_period_and_the_year_before() {
    let mut deltas = Vec::new();
    for (on, channel, county) in [
        (date!(2026 - 03 - 02), Channel::Web, Some("630102")),
        (date!(2026 - 03 - 09), Channel::Phone, Some("632321")),
        (date!(2026 - 05 - 09), Channel::Phone, None),
        (date!(2025 - 03 - 09), Channel::Phone, None),
        (date!(2024 - 03 - 09), Channel::Phone, None),
    ] {
        let d = Dims::new(ItemKind::Complaint, channel, "G05", county);
        deltas.extend(on_receipt(&d, on));
    }
    let (rows, days) = merge(&deltas);
    let f = Figures::compute(Period::Quarter(2026, 1), &rows, &days);
    assert_eq!((f.totals.received, f.before.received), (2, 1));
    let complaints = f.by_kind.iter().find(|(k, _)| *k == ItemKind::Complaint).unwrap().1;
    assert_eq!((complaints.now, complaints.before, complaints.growth()), (2, 1, Some(1.0)));
    let phone = f.by_channel.iter().find(|(c, _)| *c == Channel::Phone).unwrap().1;
    assert_eq!((phone.now, phone.before), (1, 1));
    assert_eq!(f.monthly[2], ("2026-03".to_string(), Pair { now: 2, before: 1 }));
    assert_eq!(f.by_prefecture.len(), 9);
    assert_eq!(f.by_prefecture.iter().map(|(_, m)| m.received).sum::<i64>(), 2);
    assert_eq!(f.by_category, vec![("G05".to_string(), Measures { received: 2, ..Default::default() })]);
}
