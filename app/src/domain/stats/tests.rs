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
fn a_changed_rating_moves_satisfied_only() {
    let d = dims();
    let first = on_rating(&d, date!(2026 - 05 - 02), None, 5);
    assert_eq!((first[0].m.rated, first[0].m.satisfied), (1, 1));
    let down = on_rating(&d, date!(2026 - 05 - 02), Some(5), 2);
    assert_eq!((down[0].m.rated, down[0].m.satisfied, down[0].month.as_str()), (0, -1, "2026-05"));
    assert!(on_rating(&d, date!(2026 - 05 - 02), Some(4), 5).is_empty());
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
