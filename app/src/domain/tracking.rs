//! Following a case after filing: the look-up form, supplements, ratings and contests, the next
//! statutory deadline, and the throttle that stops guessing of query codes.

use super::calendar::WorkCalendar;
use super::case::{CaseNo, QueryCode};
use super::error::{Checker, FieldError, Invalid};
use super::fields::{optional, Comment, Note};
use super::kind::ItemKind;
use super::party::Phone;
use super::period::countdown;
use super::rules::{DeadlineKind, Due, RuleSet};
use super::workflow::{CaseState, Step};
use serde::{Deserialize, Serialize};
use time::Date;

/// The look-up form as typed: a case number or a mobile phone, and the query code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LookupForm {
    pub case_no: String,
    pub phone: String,
    pub code: String,
}

/// What a look-up names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupBy {
    Case(CaseNo),
    Phone(Phone),
}

impl LookupForm {
    /// A case number (or, if none is typed, a mobile phone) and the code.
    pub fn parse(&self) -> Result<(LookupBy, QueryCode), Vec<FieldError>> {
        let mut c = Checker::new();
        let by = if !self.case_no.trim().is_empty() || self.phone.trim().is_empty() {
            c.check("case_no", CaseNo::parse(&self.case_no)).map(LookupBy::Case)
        } else {
            c.check("phone", Phone::parse(&self.phone)).map(LookupBy::Phone)
        };
        let code = c.check("code", QueryCode::parse(&self.code));
        c.finish(|| Some((by?, code?)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RatingOutcome {
    Resolved,
    Partly,
    NotResolved,
}

codes!(RatingOutcome { Resolved => "resolved", Partly => "partly", NotResolved => "not_resolved" });

/// The consumer's rating of how a case was handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// How the handling went, 1 (poor) to 5 (very good).
    pub process: u8,
    pub outcome: RatingOutcome,
    pub comment: Option<Comment>,
}

/// How long a rating may be changed after it was first given.
pub const RATING_EDIT_DAYS: i64 = 7;

/// Whether a rating first given at `rated_at` (Unix ms) may still be changed at `now`.
pub fn rating_editable(rated_at: i64, now: i64) -> bool {
    now - rated_at < RATING_EDIT_DAYS * 24 * 3600 * 1000
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RatingForm {
    pub process: String,
    pub outcome: String,
    pub comment: String,
}

impl RatingForm {
    pub fn parse(&self) -> Result<Rating, Vec<FieldError>> {
        let mut c = Checker::new();
        let process = c.check(
            "process",
            match self.process.trim() {
                "" => Err(Invalid::Required),
                p => p.parse::<u8>().ok().filter(|n| (1..=5).contains(n)).ok_or(Invalid::Choice),
            },
        );
        let outcome = c.check(
            "outcome",
            match self.outcome.trim() {
                "" => Err(Invalid::Required),
                o => RatingOutcome::from_code(o).ok_or(Invalid::Choice),
            },
        );
        let comment = c.check("comment", optional(&self.comment, Comment::parse));
        c.finish(|| Some(Rating { process: process?, outcome: outcome?, comment: comment? }))
    }

    pub fn from_rating(r: &Rating) -> Self {
        Self {
            process: r.process.to_string(),
            outcome: r.outcome.code().into(),
            comment: r.comment.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
        }
    }
}

/// Text added to a case by the consumer; files may come with it, or alone.
pub fn parse_supplement_text(text: &str, files: usize) -> Result<Option<Note>, Vec<FieldError>> {
    let note = optional(text, Note::parse).map_err(|e| vec![FieldError::new("text", e)])?;
    if note.is_none() && files == 0 {
        return Err(vec![FieldError::new("text", Invalid::Required)]);
    }
    Ok(note)
}

/// Why the consumer contests a closure (at least a few words).
pub fn parse_reason(text: &str) -> Result<Note, Vec<FieldError>> {
    let field = |e| vec![FieldError::new("reason", e)];
    let note = Note::parse(text).map_err(field)?;
    if note.as_str().chars().count() < 2 {
        return Err(field(if note.as_str().is_empty() { Invalid::Required } else { Invalid::TooShort { min: 2 } }));
    }
    Ok(note)
}

/// The statutory deadline a case is waiting on now, from the rule set it was received under
/// (none while its clock is paused: see [`countdown`] for the days left and the explanation).
pub fn next_deadline(
    kind: ItemKind,
    anonymous: bool,
    state: CaseState,
    received_on: Date,
    steps: &[Step],
    rules: &RuleSet,
    cal: &WorkCalendar,
) -> Option<Due> {
    countdown(kind, anonymous, state, received_on, steps, rules, cal)?.as_due()
}

/// Whether a case closed on `closed_on` may still be contested on `today`.
pub fn contest_open(closed_on: Date, today: Date, rules: &RuleSet, cal: &WorkCalendar) -> bool {
    rules.due(DeadlineKind::ContestWindow, closed_on, cal).is_some_and(|d| today <= d.date)
}

/// How many wrong tries a key (a case or a phone from one client address, an account from one
/// client address, a client address) may make within a window before each next try must wait,
/// and how that wait grows: it starts at `first_wait_ms` and doubles with every further wrong
/// try, up to `max_wait_ms`. A wait, never a lock: a try after the wait is checked as usual.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub free: u32,
    pub window_ms: i64,
    pub first_wait_ms: i64,
    pub max_wait_ms: i64,
}

const MINUTE: i64 = 60 * 1000;

/// A case (or a phone number) looked up from one client address: 5 wrong codes within a day,
/// then a wait of one minute that doubles with each further wrong code, up to 15 minutes. Keyed
/// by the address as well, so that a stranger guessing elsewhere never makes the consumer wait.
pub const TARGET_POLICY: Policy =
    Policy { free: 5, window_ms: 24 * 60 * MINUTE, first_wait_ms: MINUTE, max_wait_ms: 15 * MINUTE };

/// A client address, whatever it looks up: 20 wrong look-ups within 10 minutes, then a wait of
/// one minute, doubling up to 10 minutes.
pub const CLIENT_POLICY: Policy =
    Policy { free: 20, window_ms: 10 * MINUTE, first_wait_ms: MINUTE, max_wait_ms: 10 * MINUTE };

/// The wrong tries of one key, as stored (times in Unix ms): a try is counted when it begins
/// (so that parallel tries cannot all pass a check made before any of them is counted) and the
/// counter is cleared when it succeeds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    pub failures: u32,
    pub window_start: i64,
    pub locked_until: i64,
}

impl Counter {
    /// Until when the next try must wait, if it must.
    pub fn locked(&self, now: i64) -> Option<i64> {
        (self.locked_until > now).then_some(self.locked_until)
    }

    /// The counter with one more wrong try at `now`.
    pub fn after_failure(&self, now: i64, p: Policy) -> Counter {
        let expired = now - self.window_start >= p.window_ms;
        let (failures, window_start) =
            if expired { (1, now) } else { (self.failures.saturating_add(1), self.window_start) };
        let wait = match failures.checked_sub(p.free) {
            Some(extra) => p.first_wait_ms.saturating_mul(1i64 << extra.min(20)).min(p.max_wait_ms),
            None => 0,
        };
        Counter { failures, window_start, locked_until: if wait > 0 { now + wait } else { 0 } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules;
    use crate::domain::workflow::ActionName;
    use time::macros::date;

    #[test]
    fn a_look_up_needs_a_case_number_or_a_phone_and_the_code() {
        let ok = LookupForm { case_no: "qh-2026-000123".into(), phone: String::new(), code: "abcd-efgh".into() };
        let (by, code) = ok.parse().unwrap();
        assert_eq!(by, LookupBy::Case(CaseNo::parse("QH-2026-000123").unwrap()));
        assert_eq!(code.as_str(), "ABCDEFGH");
        let phone = LookupForm { case_no: " ".into(), phone: "138 1234 5678".into(), code: "ABCDEFGH".into() };
        assert!(matches!(phone.parse().unwrap().0, LookupBy::Phone(_)));
        let empty = LookupForm::default().parse().unwrap_err();
        let fields: Vec<_> = empty.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["case_no", "code"]);
        let bad_phone = LookupForm { phone: "12345".into(), code: "ABCDEFGH".into(), ..Default::default() };
        assert_eq!(bad_phone.parse().unwrap_err(), vec![FieldError::new("phone", Invalid::Phone)]);
    }

    #[test]
    fn a_rating_is_one_to_five_with_an_outcome() {
        let form = RatingForm { process: "4".into(), outcome: "partly".into(), comment: " 还行 ".into() };
        let r = form.parse().unwrap();
        assert_eq!((r.process, r.outcome), (4, RatingOutcome::Partly));
        assert_eq!(r.comment.as_ref().map(|c| c.as_str()), Some("还行"));
        assert_eq!(RatingForm::from_rating(&r).parse(), Ok(r));
        for bad in ["0", "6", "x", "-1", "3.5"] {
            let f = RatingForm { process: bad.into(), outcome: "resolved".into(), comment: String::new() };
            assert_eq!(f.parse().unwrap_err(), vec![FieldError::new("process", Invalid::Choice)], "{bad}");
        }
        let f = RatingForm { process: String::new(), outcome: "maybe".into(), comment: "好".repeat(501) };
        let fields: Vec<_> = f.parse().unwrap_err().into_iter().map(|e| (e.field, e.invalid)).collect();
        assert_eq!(
            fields,
            [
                ("process".into(), Invalid::Required),
                ("outcome".into(), Invalid::Choice),
                ("comment".into(), Invalid::TooLong { max: 500 })
            ]
        );
    }

    #[test]
    fn a_rating_can_be_changed_for_seven_days() {
        let day = 24 * 3600 * 1000;
        assert!(rating_editable(0, 7 * day - 1));
        assert!(!rating_editable(0, 7 * day));
    }

    #[test]
    fn a_supplement_needs_text_or_a_file() {
        assert_eq!(parse_supplement_text("  ", 0), Err(vec![FieldError::new("text", Invalid::Required)]));
        assert_eq!(parse_supplement_text("", 1), Ok(None));
        assert_eq!(parse_supplement_text(" 发票照片 ", 0).unwrap().unwrap().as_str(), "发票照片");
        assert!(parse_supplement_text("a\u{7}b", 0).is_err());
        assert_eq!(parse_reason(""), Err(vec![FieldError::new("reason", Invalid::Required)]));
        assert_eq!(parse_reason("不"), Err(vec![FieldError::new("reason", Invalid::TooShort { min: 2 })]));
    }

    #[test]
    fn the_next_deadline_follows_the_state() {
        let rs = rules::get("samr-order-121").unwrap();
        let cal = WorkCalendar::china();
        let received = date!(2026 - 09 - 30);
        let due = next_deadline(ItemKind::Complaint, false, CaseState::Received, received, &[], rs, cal).unwrap();
        assert_eq!((due.kind, due.date), (DeadlineKind::AcceptanceDecision, date!(2026 - 10 - 15)));
        // Mediation: 60 days from acceptance, rolled to a working day.
        let steps = [
            Step { action: ActionName::Receive, on: received, from: None, to: CaseState::Received },
            Step::taken(ActionName::Accept, date!(2026 - 10 - 09), CaseState::Received, CaseState::Accepted),
        ];
        let due = next_deadline(ItemKind::Complaint, false, CaseState::InMediation, received, &steps, rs, cal).unwrap();
        assert_eq!((due.kind, due.date), (DeadlineKind::MediationLimit, date!(2026 - 12 - 08)));
        // Closed: the window to contest runs from the closure.
        let steps = [Step::taken(ActionName::Close, date!(2026 - 11 - 02), CaseState::Settled, CaseState::Closed)];
        let due = next_deadline(ItemKind::Complaint, false, CaseState::Closed, received, &steps, rs, cal).unwrap();
        assert_eq!((due.kind, due.date), (DeadlineKind::ContestWindow, date!(2026 - 11 - 23)));
        assert!(contest_open(date!(2026 - 11 - 02), date!(2026 - 11 - 23), rs, cal));
        assert!(!contest_open(date!(2026 - 11 - 02), date!(2026 - 11 - 24), rs, cal));
        let due = next_deadline(ItemKind::Report, false, CaseState::UnderVerification, received, &[], rs, cal).unwrap();
        assert_eq!(due.kind, DeadlineKind::ReportCaseDecision);
        assert_eq!(next_deadline(ItemKind::Consultation, false, CaseState::Received, received, &[], rs, cal), None);
        assert_eq!(next_deadline(ItemKind::Complaint, false, CaseState::Withdrawn, received, &[], rs, cal), None);
    }

    #[test]
    fn after_five_wrong_codes_each_next_try_waits_longer_up_to_fifteen_minutes() {
        let p = TARGET_POLICY;
        let mut c = Counter::default();
        let t0 = 1_000_000_000;
        for i in 0..4 {
            c = c.after_failure(t0 + i * 1000, p);
            assert_eq!(c.locked(t0 + i * 1000), None, "failure {}", i + 1);
        }
        c = c.after_failure(t0 + 4000, p);
        assert_eq!(c.locked(t0 + 4000), Some(t0 + 4000 + MINUTE));
        assert_eq!(c.locked(t0 + 4000 + MINUTE), None, "a wait, not a lock");
        let mut now = t0 + 4000 + MINUTE;
        for expected in [2, 4, 8, 15, 15] {
            c = c.after_failure(now, p);
            assert_eq!(c.locked_until - now, expected * MINUTE);
            now = c.locked_until;
        }
        // A day after the first failure the count starts again.
        let c = c.after_failure(t0 + 24 * 60 * MINUTE, p);
        assert_eq!((c.failures, c.locked_until), (1, 0));
    }

    #[test]
    fn failures_older_than_the_window_are_forgotten() {
        let p = CLIENT_POLICY;
        let mut c = Counter::default();
        for i in 0..19 {
            c = c.after_failure(i, p);
        }
        assert_eq!(c.failures, 19);
        let later = c.after_failure(10 * MINUTE, p);
        assert_eq!((later.failures, later.locked_until), (1, 0));
        let now = c.after_failure(100, p);
        assert_eq!(now.locked(100), Some(100 + MINUTE));
        // However many failures, the wait stays within its bound.
        let mut c = now;
        for i in 0..100 {
            c = c.after_failure(200 + i, p);
        }
        assert_eq!(c.locked_until, 299 + 10 * MINUTE);
    }
}
