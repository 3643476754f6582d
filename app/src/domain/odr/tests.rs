//! The ODR lane's clock, worked out by hand on the 2026 schedule (Spring Festival Feb 15–23 with
//! Feb 14 and Feb 28 worked; Mid-Autumn Sep 25–27; National Day Oct 1–7 with Sep 20 and Oct 10
//! worked).

use super::*;
use crate::domain::period::{countdown, Start};
use crate::domain::rules;
use crate::domain::workflow::{ActionName as A, Step};
use time::macros::date;

fn cal() -> &'static WorkCalendar {
    WorkCalendar::china()
}

fn due_with_business(received: Date, rules: &RuleSet) -> Date {
    let c = countdown(ItemKind::Complaint, false, CaseState::WithBusiness, received, &[], rules, cal()).unwrap();
    assert_eq!((c.kind, c.start), (DeadlineKind::OdrNegotiation, Start::Receipt));
    c.due.unwrap()
}

#[test]
fn ten_working_days_across_the_spring_festival() {
    // Thu 12 Feb: Fri 13 (1), Sat 14 worked (2), 15–23 off, Tue 24–Sat 28 worked (3–7),
    // Mon 2–Wed 4 Mar (8–10).
    let rules = rules::get("samr-interim-2022").unwrap();
    let due = due_with_business(date!(2026 - 02 - 12), rules);
    assert_eq!(due, date!(2026 - 03 - 04));
    assert!(!passes_on(CaseState::WithBusiness, due, date!(2026 - 03 - 04)), "the last day is the business's");
    assert!(passes_on(CaseState::BusinessOffered, due, date!(2026 - 03 - 05)));
    assert!(!passes_on(CaseState::Received, due, date!(2026 - 03 - 05)), "only a case with the business passes on");
    assert_eq!(reminder_day(due, 2, cal()), date!(2026 - 03 - 02));
}

#[test]
fn ten_working_days_across_mid_autumn_and_national_day() {
    // Wed 23 Sep: Thu 24 (1), 25–27 off, Mon 28–Wed 30 (2–4), 1–7 Oct off, Thu 8, Fri 9,
    // Sat 10 worked (5–7), Mon 12–Wed 14 (8–10).
    let rules = rules::get("samr-order-121").unwrap();
    let due = due_with_business(date!(2026 - 09 - 23), rules);
    assert_eq!(due, date!(2026 - 10 - 14));
    // Two working days before Thu 8 Oct fall before the holiday: Wed 30 and Tue 29 Sep.
    assert_eq!(reminder_day(date!(2026 - 10 - 08), 2, cal()), date!(2026 - 09 - 29));
}

#[test]
fn the_bureaus_acceptance_period_runs_from_the_pass_on_as_the_rule_set_reads_it() {
    let rules = rules::get("samr-interim-2022").unwrap();
    assert_eq!(rules.odr.as_ref().unwrap().acceptance_from, rules::OdrAcceptanceFrom::PassOn);
    let received = date!(2026 - 02 - 12);
    let steps = [Step::taken(A::PassOn, date!(2026 - 03 - 05), CaseState::WithBusiness, CaseState::Received)];
    let c = countdown(ItemKind::Complaint, false, CaseState::Received, received, &steps, rules, cal()).unwrap();
    // Fri 6 (1), Mon 9–Fri 13 (2–6), Mon 16 (7).
    assert_eq!(
        (c.kind, c.start, c.due),
        (DeadlineKind::AcceptanceDecision, Start::PassOn, Some(date!(2026 - 03 - 16)))
    );
    // The other reading: as if the attempt had not happened (7 working days from receipt: Fri 13,
    // Sat 14, Tue 24–Sat 28).
    let mut other = rules.clone();
    other.odr.as_mut().unwrap().acceptance_from = rules::OdrAcceptanceFrom::Receipt;
    let c = countdown(ItemKind::Complaint, false, CaseState::Received, received, &steps, &other, cal()).unwrap();
    assert_eq!((c.start, c.due), (Start::Receipt, Some(date!(2026 - 02 - 28))));
}

#[test]
fn only_a_complaint_about_a_member_may_take_the_lane() {
    let rules = rules::get("samr-order-121").unwrap();
    assert!(eligible(ItemKind::Complaint, Some(OdrStatus::Joined), rules));
    assert!(!eligible(ItemKind::Report, Some(OdrStatus::Joined), rules), "a report never goes to the business");
    assert!(!eligible(ItemKind::Consultation, Some(OdrStatus::Joined), rules));
    for s in [OdrStatus::Suspended, OdrStatus::Left, OdrStatus::Outside] {
        assert!(!eligible(ItemKind::Complaint, Some(s), rules), "{s:?}");
    }
    assert!(!eligible(ItemKind::Complaint, None, rules), "a business not in the register");
}

#[test]
fn an_offer_reads_back_from_the_event_log() {
    let o = Offer::from_detail("refund\t19900\t同意退款\t三日内").unwrap();
    assert_eq!((o.remedy, o.amount, o.text.as_str()), (OdrRemedy::Refund, Fen(19900), "同意退款\t三日内"));
    assert_eq!(Offer::from_detail("gift\t1\tx"), None);
    assert_eq!(Offer::from_detail("refund\tmany\tx"), None);
}

#[test]
fn the_register_is_asked_only_about_a_complaint_with_a_well_formed_code() {
    let code = crate::domain::credit_code::CreditCode::with_check("91630100MA7XXXXX1").unwrap();
    assert!(worth_asking("complaint", code.as_str()));
    assert!(!worth_asking("report", code.as_str()), "a report never goes to the business");
    assert!(!worth_asking("complaint", ""), "no code typed");
    assert!(!worth_asking("complaint", &code.as_str()[..17]), "a code cut short");
    assert!(!worth_asking("", code.as_str()), "no kind chosen");
}
