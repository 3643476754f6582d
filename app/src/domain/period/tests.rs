//! The statutory clock, table-driven: for each sequence of steps the due date worked out by hand
//! on the 2026 schedule (holidays Jan 1–3, Feb 15–23, Apr 4–6, May 1–5, Jun 19–21, Sep 25–27,
//! Oct 1–7; swapped workdays Jan 4, Feb 14, Feb 28, May 9, Sep 20, Oct 10) and, for 2027, the
//! provisional calendar (weekends and 1 January, 1–2 May, 1–3 October).

use super::*;
use crate::domain::rules;
use time::macros::date;
use ActionName as A;
use CaseState::*;
use ItemKind::*;

fn interim() -> &'static RuleSet {
    rules::get("samr-interim-2022").unwrap()
}

fn order121() -> &'static RuleSet {
    rules::get("samr-order-121").unwrap()
}

fn cal() -> &'static WorkCalendar {
    WorkCalendar::china()
}

fn s(action: ActionName, on: Date, from: CaseState, to: CaseState) -> Step {
    Step { action, on, from: Some(from), to }
}

/// `before`, then the case closed, contested, and reopened into `back_to` by the answer.
fn reopened(before: &[Step], closed: Date, contested: Date, answered: Date, back_to: CaseState) -> Vec<Step> {
    let mut steps = before.to_vec();
    let last = steps.last().expect("a step before the close").to;
    steps.extend([
        s(A::Close, closed, last, Closed),
        s(A::Contest, contested, Closed, Contested),
        s(A::AnswerContest, answered, Contested, back_to),
    ]);
    steps
}

struct Row {
    what: &'static str,
    rules: fn() -> &'static RuleSet,
    kind: ItemKind,
    state: CaseState,
    received: Date,
    steps: Vec<Step>,
    deadline: DeadlineKind,
    start: (Start, Date),
    due: Option<Date>,
    left_out: u32,
    provisional: &'static [i32],
}

impl Row {
    /// A case: what it is, under which rules, of which kind, in which state, received when; its
    /// steps are for `after`, what its period should be for `expects` to say.
    fn case(
        what: &'static str,
        rules: fn() -> &'static RuleSet,
        kind: ItemKind,
        state: CaseState,
        received: Date,
    ) -> Row {
        let (deadline, start, due) = (DeadlineKind::MediationLimit, (Start::Acceptance, received), None);
        Row { what, rules, kind, state, received, steps: vec![], deadline, start, due, left_out: 0, provisional: &[] }
    }

    fn after(self, steps: Vec<Step>) -> Row {
        Row { steps, ..self }
    }

    /// A complaint in mediation from `accepted`, paused over each of `pauses`: its period is the
    /// mediation limit from acceptance.
    fn mediation(
        what: &'static str,
        rules: fn() -> &'static RuleSet,
        received: Date,
        accepted: Date,
        pauses: &[(Date, Date)],
    ) -> Row {
        let mut steps =
            vec![s(A::Accept, accepted, Received, Accepted), s(A::StartMediation, accepted, Accepted, InMediation)];
        for &(from, until) in pauses {
            steps.push(s(A::PauseClock, from, InMediation, InMediation));
            steps.push(s(A::ResumeClock, until, InMediation, InMediation));
        }
        Row::case(what, rules, Complaint, InMediation, received).after(steps).expects(
            DeadlineKind::MediationLimit,
            (Start::Acceptance, accepted),
            None,
            0,
            &[],
        )
    }

    /// What the period should be: which, from what, due when, how many days left out, and which
    /// years counted on the provisional calendar.
    fn expects(
        self,
        deadline: DeadlineKind,
        start: (Start, Date),
        due: Option<Date>,
        left_out: u32,
        provisional: &'static [i32],
    ) -> Row {
        Row { deadline, start, due, left_out, provisional, ..self }
    }

    /// Due on `due` with `left_out` days left out, the period and its start as they are.
    fn due(self, due: Date, left_out: u32, provisional: &'static [i32]) -> Row {
        Row { due: Some(due), left_out, provisional, ..self }
    }
}

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    use DeadlineKind::*;
    vec![
        Row::mediation("45 working days from acceptance, across Qingming and Labour Day", interim, date!(2026-02-27), date!(2026-03-02), &[])
            .due(date!(2026-05-08), 0, &[]),
        // Paused Tue Mar 31, resumed Thu Apr 9: Apr 1, 2, 3, 7, 8, 9 left out (4–6 are
        // Qingming); May 8 + 6 working days = May 9 (swapped Saturday), 11, 12, 13, 14, 15.
        Row::mediation("a pause spanning Qingming", interim, date!(2026-02-27), date!(2026-03-02), &[(date!(2026-03-31), date!(2026-04-09))])
            .due(date!(2026-05-15), 6, &[]),
        // And again Mon Apr 20 to Wed Apr 22: Apr 21, 22 more; May 15 → 18, 19.
        Row::mediation("two pauses", interim, date!(2026-02-27), date!(2026-03-02), &[(date!(2026-03-31), date!(2026-04-09)), (date!(2026-04-20), date!(2026-04-22))])
            .due(date!(2026-05-19), 8, &[]),
        // Accepted Mon Apr 13: 45 working days end Wed Jun 17. Paused Wed Jun 10 to Mon Jun
        // 22 (Dragon Boat Jun 19–21 inside): Jun 11, 12, 15, 16, 17, 18, 22 left out; then
        // Jun 23, 24, 25, 26, 29 complete the count.
        Row::mediation("a pause spanning the Dragon Boat Festival", interim, date!(2026-04-10), date!(2026-04-13), &[(date!(2026-06-10), date!(2026-06-22))])
            .due(date!(2026-06-29), 7, &[]),
        // 60 days from Tue Aug 4 = Sat Oct 3 (National Day) → Thu Oct 8.
        Row::mediation("60 days under Order 121, rolled past National Day", order121, date!(2026-08-03), date!(2026-08-04), &[])
            .due(date!(2026-10-08), 0, &[]),
        // Paused Fri Aug 14 to Mon Aug 24: 10 calendar days left out; Aug 4 + 70 = Tue Oct 13.
        Row::mediation("a pause in a period of calendar days", order121, date!(2026-08-03), date!(2026-08-04), &[(date!(2026-08-14), date!(2026-08-24))])
            .due(date!(2026-10-13), 10, &[]),
        // Accepted Mon Nov 30: +60 = Fri 2027-01-29. Paused Thu Dec 24 to Mon 2027-01-04:
        // Dec 25 – Jan 4, 11 days; Jan 29 + 11 = Tue Feb 9 (2027's Spring Festival is not
        // published: provisional).
        Row::mediation("a pause across the year end into an unpublished year", order121, date!(2026-11-27), date!(2026-11-30), &[(date!(2026-12-24), date!(2027-01-04))])
            .due(date!(2027-02-09), 11, &[2027]),
        // Received Mon Dec 21: Dec 22–25 (4), 28–31 (8), Jan 1 is New Year's Day (fixed
        // date, kept), Jan 4–8 (13), 11, 12.
        Row::case("15 working days for a report across the year end", order121, Report, UnderVerification, date!(2026-12-21)).after(vec![s(A::StartVerification, date!(2026-12-22), Received, UnderVerification)])
            .expects(ReportCaseDecision, (Start::Receipt, date!(2026-12-21)), Some(date!(2027-01-12)), 0, &[2027]),
        // + 15: Jan 13–15 (3), 18–22 (8), 25–29 (13), Feb 1, 2.
        Row::case("the report's extension of 15 working days", order121, Report, UnderVerification, date!(2026-12-21)).after(vec![
            s(A::StartVerification, date!(2026-12-22), Received, UnderVerification),
            s(A::Extend, date!(2027-01-08), UnderVerification, UnderVerification),
        ])
            .expects(ReportCaseDecision, (Start::Receipt, date!(2026-12-21)), Some(date!(2027-02-02)), 0, &[2027]),
        // The centre's reading: a transfer does not restart the acceptance period.
        // Received Wed Sep 30: Oct 8, 9, 10 (swapped Saturday), 12, 13, 14, 15.
        Row::case("a transferred complaint counts from receipt at the centre", order121, Complaint, Transferred, date!(2026-09-30)).after(vec![s(A::Transfer, date!(2026-10-09), Received, Transferred)])
            .expects(AcceptanceDecision, (Start::Receipt, date!(2026-09-30)), Some(date!(2026-10-15)), 0, &[]),
        // Refused Thu Jan 8: the complainant is told within the period from receipt (Mon
        // Jan 5): Jan 6, 7, 8, 9, 12, 13, 14.
        Row::case("a refusal is told within the acceptance period", interim, Complaint, Refused, date!(2026-01-05)).after(vec![s(A::Refuse, date!(2026-01-08), Received, Refused)])
            .expects(AcceptanceDecision, (Start::Receipt, date!(2026-01-05)), Some(date!(2026-01-14)), 0, &[]),
        // A refusal contested and reopened on Thu Feb 12: the acceptance decision again,
        // 7 working days from the reopening: Feb 13, 14 (swapped Saturday), 24, 25, 26, 27,
        // 28 (swapped Saturday).
        Row::case("a reopened refusal across Spring Festival", interim, Complaint, Received, date!(2026-01-05)).after(
            reopened(&[s(A::Refuse, date!(2026-01-08), Received, Refused)], date!(2026-01-09), date!(2026-01-20), date!(2026-02-12), Received))
            .expects(AcceptanceDecision, (Start::Reopening, date!(2026-02-12)), Some(date!(2026-02-28)), 0, &[]),
        // A report reopened Wed Apr 29: Apr 30 (1), May 6, 7, 8 (4), 9 (swapped Saturday),
        // 11–15 (10), 18–22 (15).
        Row::case("a reopened report counts afresh across Labour Day", order121, Report, UnderVerification, date!(2026-03-02)).after(
            reopened(&[
                s(A::StartVerification, date!(2026-03-03), Received, UnderVerification),
                s(A::DecideReport, date!(2026-03-10), UnderVerification, NotOpened),
            ], date!(2026-03-11), date!(2026-03-20), date!(2026-04-29), UnderVerification))
            .expects(ReportCaseDecision, (Start::Reopening, date!(2026-04-29)), Some(date!(2026-05-22)), 0, &[]),
        // Withdrawn after acceptance on Thu Sep 24: both parties told within 7 working days:
        // Sep 28, 29, 30, Oct 8, 9, 10 (swapped Saturday), 12.
        Row::case("the termination notice after a withdrawal, across Mid-Autumn and National Day", order121, Complaint, MediationTerminated, date!(2026-09-01)).after(vec![
            s(A::Accept, date!(2026-09-03), Received, Accepted),
            s(A::Withdraw, date!(2026-09-24), Accepted, MediationTerminated),
        ])
            .expects(TerminationNotice, (Start::Withdrawal, date!(2026-09-24)), Some(date!(2026-10-12)), 0, &[]),
    ]
}

#[test]
fn every_row_gives_the_date_worked_out_by_hand() {
    for r in rows() {
        let c = countdown(r.kind, false, r.state, r.received, &r.steps, (r.rules)(), cal()).expect(r.what);
        assert_eq!(c.kind, r.deadline, "{}", r.what);
        assert_eq!((c.start, c.start_on), r.start, "{}", r.what);
        assert_eq!(c.due, r.due, "{}", r.what);
        assert_eq!(c.left_out(), r.left_out, "{}", r.what);
        assert_eq!(c.provisional_years, r.provisional, "{}", r.what);
    }
}

#[test]
fn while_paused_there_is_no_date_but_the_days_left() {
    // Accepted Tue Aug 4, paused Fri Aug 14: Aug 5–14 counted (10), 50 of 60 left.
    let steps = [
        s(A::Accept, date!(2026 - 08 - 04), Received, Accepted),
        s(A::StartMediation, date!(2026 - 08 - 05), Accepted, InMediation),
        s(A::PauseClock, date!(2026 - 08 - 14), InMediation, InMediation),
    ];
    let c = countdown(Complaint, false, InMediation, date!(2026 - 08 - 03), &steps, order121(), cal()).unwrap();
    assert_eq!((c.due, c.left_when_resumed), (None, Some(50)));
    assert!(c.paused() && c.as_due().is_none());
    let t = c.explain();
    assert_eq!(t.en, "60 days from acceptance on 2026-08-04; paused since 2026-08-14, 50 days remain once it resumes.");
    assert_eq!(t.zh, "自2026-08-04受理之日起60日；自2026-08-14起暂停计时，恢复后还有50日。");
}

#[test]
fn the_explanation_names_the_start_the_days_left_out_and_the_extension() {
    let rows = rows();
    let two = rows.iter().find(|r| r.what == "two pauses").unwrap();
    let c = countdown(two.kind, false, two.state, two.received, &two.steps, interim(), cal()).unwrap();
    assert_eq!(
        c.explain().en,
        "45 working days from acceptance on 2026-03-02, less 8 working days paused for testing or appraisal \
         (2 times): due 2026-05-19."
    );
    assert_eq!(c.explain().zh, "自2026-03-02受理之日起45个工作日，扣除2次检验检测鉴定暂停的8个工作日：2026-05-19前。");
    let ext = rows.iter().find(|r| r.what == "the report's extension of 15 working days").unwrap();
    let c = countdown(ext.kind, false, ext.state, ext.received, &ext.steps, order121(), cal()).unwrap();
    assert_eq!(
        c.explain().en,
        "15 working days from receipt on 2026-12-21, plus an extension of 15 working days: due 2027-02-02."
    );
}

#[test]
fn a_rule_set_that_reads_transfers_as_a_new_receipt_counts_from_the_transfer() {
    let mut rs = order121().clone();
    rs.transfer.acceptance_from = AcceptanceFrom::Transfer;
    // Transferred Fri Oct 9: Oct 10 (swapped Saturday), 12, 13, 14, 15, 16, 19.
    let steps = [s(A::Transfer, date!(2026 - 10 - 09), Received, Transferred)];
    let c = countdown(Complaint, false, Transferred, date!(2026 - 09 - 30), &steps, &rs, cal()).unwrap();
    assert_eq!((c.start, c.due), (Start::Transfer, Some(date!(2026 - 10 - 19))));
}

#[test]
fn states_without_a_running_period_have_none() {
    for (kind, state) in [(Complaint, Withdrawn), (Complaint, Settled), (Consultation, Received)] {
        assert_eq!(countdown(kind, false, state, date!(2026 - 09 - 30), &[], order121(), cal()), None, "{state:?}");
    }
}

#[test]
fn only_a_real_name_reporter_is_owed_the_notice_of_the_decision() {
    // Decided Fri 2026-12-04: 5 working days → Fri Dec 11.
    let steps = [
        s(A::StartVerification, date!(2026 - 12 - 01), Received, UnderVerification),
        s(A::DecideReport, date!(2026 - 12 - 04), UnderVerification, NotOpened),
    ];
    let named = countdown(Report, false, NotOpened, date!(2026 - 11 - 30), &steps, order121(), cal()).unwrap();
    assert_eq!(
        (named.kind, named.start, named.due),
        (DeadlineKind::ReporterNotice, Start::Decision, Some(date!(2026 - 12 - 11)))
    );
    assert_eq!(countdown(Report, true, NotOpened, date!(2026 - 11 - 30), &steps, order121(), cal()), None);
    // Until the decision, an anonymous report runs against the same period as any other.
    let verifying = countdown(Report, true, UnderVerification, date!(2026 - 11 - 30), &steps[..1], order121(), cal());
    assert_eq!(verifying.unwrap().kind, DeadlineKind::ReportCaseDecision);
}

#[test]
fn a_reporter_who_stops_the_notices_is_owed_none_and_the_bureaus_own_period_runs_on() {
    let stop = s(A::StopNotices, date!(2026 - 12 - 02), UnderVerification, UnderVerification);
    let steps = [
        s(A::StartVerification, date!(2026 - 12 - 01), Received, UnderVerification),
        stop,
        s(A::DecideReport, date!(2026 - 12 - 04), UnderVerification, NotOpened),
    ];
    assert_eq!(countdown(Report, false, NotOpened, date!(2026 - 11 - 30), &steps, order121(), cal()), None);
    // Received Mon Nov 30: 15 working days → Mon Dec 21, whether or not the reporter is told.
    let verifying = countdown(Report, false, UnderVerification, date!(2026 - 11 - 30), &steps[..2], order121(), cal());
    assert_eq!(verifying.unwrap().due, Some(date!(2026 - 12 - 21)));
}
