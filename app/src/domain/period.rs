//! The statutory clock: which period a case runs against now, from which event, which days are
//! left out (the clock paused for testing or appraisal, interval by interval), what an
//! extension adds, and the due date. A pure function of the rule set the case was received
//! under, the working-day calendar and the case's steps, explained in words for the pages.

use super::calendar::{format_date, Coverage, WorkCalendar};
use super::kind::ItemKind;
use super::rules::{AcceptanceFrom, DeadlineKind, DeadlineRule, Due, OdrAcceptanceFrom, RuleSet, Text, Unit};
use super::workflow::{period_start, phase, ActionName, CaseState, Step};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::{Date, Duration};

/// The event a period runs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Start {
    Receipt,
    /// Receipt by the bureau a complaint was transferred to (when the rule set reads it so).
    Transfer,
    Acceptance,
    /// Staff reopened the case after a contest: the contested decision is taken afresh.
    Reopening,
    Termination,
    /// A withdrawal after acceptance, which ends the mediation.
    Withdrawal,
    Decision,
    Closure,
    /// A complaint of the ODR lane passed to the bureau (declined, refused or out of time).
    PassOn,
}

impl Start {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Start::Receipt => ("收到", "receipt"),
            Start::Transfer => ("移送收到", "receipt on transfer"),
            Start::Acceptance => ("受理", "acceptance"),
            Start::Reopening => ("重新办理", "reopening"),
            Start::Termination => ("作出终止调解决定", "the decision to end mediation"),
            Start::Withdrawal => ("撤回投诉", "withdrawal"),
            Start::Decision => ("作出是否立案决定", "the decision whether to open a case"),
            Start::Closure => ("办结", "closure"),
            Start::PassOn => ("企业协商未果转交", "passing on from the business"),
        }
    }
}

/// One interval in which the clock stood still: from the day after `from` up to and including
/// `until` (still paused when `until` is `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: Date,
    pub until: Option<Date>,
    /// The days of the period's unit (working or calendar days) this interval left out before
    /// the due date was reached.
    pub left_out: u32,
}

/// The running period of a case, with everything that went into its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Countdown {
    pub kind: DeadlineKind,
    pub rule: DeadlineRule,
    pub start: Start,
    pub start_on: Date,
    pub pauses: Vec<Pause>,
    /// Days added by an extension (in the period's unit).
    pub extension: u32,
    /// `None` while the clock is paused: the date depends on when it resumes.
    pub due: Option<Date>,
    /// While paused: the days of the period still to run once it resumes.
    pub left_when_resumed: Option<u32>,
    /// Years counted without a published holiday schedule (the date is provisional).
    pub provisional_years: Vec<i32>,
}

/// The period a case in `state` runs against, from the steps it went through (oldest first;
/// the receipt may be among them or not). `anonymous`: a report made without name or contact.
pub fn countdown(
    kind: ItemKind,
    anonymous: bool,
    state: CaseState,
    received_on: Date,
    history: &[Step],
    rules: &RuleSet,
    cal: &WorkCalendar,
) -> Option<Countdown> {
    let deadline = phase(kind, state)?;
    // Only a real-name reporter is owed the notice of whether a case was opened, and only until
    // they ask not to be told any more.
    if (anonymous || crate::domain::workflow::notices_stopped(history)) && deadline == DeadlineKind::ReporterNotice {
        return None;
    }
    let rule = rules.deadlines.get(&deadline)?.clone();
    let first = period_start(kind, history);
    let (mut start, mut start_on) = match first.map(|i| &history[i]) {
        None => (Start::Receipt, received_on),
        Some(s) => (start_of(s)?, s.on),
    };
    // The rule set says whether the bureau's time after an attempt with the business starts
    // afresh then or runs from the first receipt.
    let odr_from_receipt = rules.odr.as_ref().is_some_and(|o| o.acceptance_from == OdrAcceptanceFrom::Receipt);
    if start == Start::PassOn && odr_from_receipt {
        (start, start_on) = (Start::Receipt, received_on);
    }
    let since = &history[first.map_or(0, |i| i + 1)..];
    if deadline == DeadlineKind::AcceptanceDecision && rules.transfer.acceptance_from == AcceptanceFrom::Transfer {
        if let Some(t) = since.iter().rev().find(|s| s.action == ActionName::Transfer) {
            (start, start_on) = (Start::Transfer, t.on);
        }
    }
    let mut pauses: Vec<Pause> = Vec::new();
    for s in since {
        match s.action {
            ActionName::PauseClock => pauses.push(Pause { from: s.on, until: None, left_out: 0 }),
            ActionName::ResumeClock => {
                if let Some(p) = pauses.last_mut().filter(|p| p.until.is_none()) {
                    p.until = Some(s.on);
                }
            }
            _ => {}
        }
    }
    let extensions = since.iter().filter(|s| s.action == ActionName::Extend).count() as u32;
    let extension = extensions * rule.extension_days.unwrap_or(0);
    let mut c = Countdown {
        kind: deadline,
        rule,
        start,
        start_on,
        pauses,
        extension,
        due: None,
        left_when_resumed: None,
        provisional_years: Vec::new(),
    };
    count(&mut c, rules.counting.calendar_days_roll_to_working_day, cal);
    Some(c)
}

fn start_of(step: &Step) -> Option<Start> {
    Some(match step.action {
        ActionName::AnswerContest if step.to != CaseState::Closed => Start::Reopening,
        ActionName::Accept => Start::Acceptance,
        ActionName::TerminateMediation => Start::Termination,
        ActionName::Withdraw => Start::Withdrawal,
        ActionName::DecideReport => Start::Decision,
        ActionName::Close | ActionName::Answer | ActionName::AnswerContest | ActionName::AcceptOffer => Start::Closure,
        ActionName::PassOn | ActionName::OdrDecline | ActionName::RejectOffer | ActionName::ToBureau => Start::PassOn,
        _ => return None,
    })
}

/// Counts the period day by day from the day after its start, leaving out paused days.
fn count(c: &mut Countdown, roll: bool, cal: &WorkCalendar) {
    let total = c.rule.days + c.extension;
    let counts = |d: Date| c.rule.unit == Unit::Calendar || cal.is_working_day(d);
    let mut provisional = BTreeSet::new();
    let mut day = c.start_on;
    let mut counted = 0;
    while counted < total {
        day += Duration::days(1);
        if cal.coverage(day.year()) == Coverage::Provisional {
            provisional.insert(day.year());
        }
        match c.pauses.iter().position(|p| day > p.from && p.until.is_none_or(|u| day <= u)) {
            Some(i) if c.pauses[i].until.is_none() => {
                c.left_when_resumed = Some(total - counted);
                c.provisional_years = provisional.into_iter().collect();
                return;
            }
            Some(i) if counts(day) => c.pauses[i].left_out += 1,
            None if counts(day) => counted += 1,
            _ => {}
        }
    }
    while c.rule.unit == Unit::Calendar && roll && !cal.is_working_day(day) {
        day += Duration::days(1);
        if cal.coverage(day.year()) == Coverage::Provisional {
            provisional.insert(day.year());
        }
    }
    c.due = Some(day);
    c.provisional_years = provisional.into_iter().collect();
}

impl Countdown {
    /// The due date as the queue and the receipt use it (none while the clock is paused).
    pub fn as_due(&self) -> Option<Due> {
        Some(Due {
            kind: self.kind,
            date: self.due?,
            rule: self.rule.clone(),
            provisional_years: self.provisional_years.clone(),
        })
    }

    /// Whether the clock is standing still now.
    pub fn paused(&self) -> bool {
        self.left_when_resumed.is_some()
    }

    /// The days paused in all (in the period's unit), over closed intervals.
    pub fn left_out(&self) -> u32 {
        self.pauses.iter().map(|p| p.left_out).sum()
    }

    /// How the date was found, in words: "45 working days from acceptance on 2026-03-02, less 6
    /// working days paused for testing or appraisal: due 2026-05-18."
    pub fn explain(&self) -> Text {
        let (unit_zh, unit_en) = match self.rule.unit {
            Unit::Working => ("个工作日", "working days"),
            Unit::Calendar => ("日", "days"),
        };
        let (from_zh, from_en) = self.start.words();
        let start = format_date(self.start_on);
        let mut zh = format!("自{start}{from_zh}之日起{}{unit_zh}", self.rule.days);
        let mut en = format!("{} {unit_en} from {from_en} on {start}", self.rule.days);
        let left_out = self.left_out();
        if left_out > 0 {
            let n = self.pauses.iter().filter(|p| p.until.is_some()).count();
            zh.push_str(&format!("，扣除{n}次检验检测鉴定暂停的{left_out}{unit_zh}"));
            let times = if n == 1 { "once".to_owned() } else { format!("{n} times") };
            en.push_str(&format!(", less {left_out} {unit_en} paused for testing or appraisal ({times})"));
        }
        if self.extension > 0 {
            zh.push_str(&format!("，延长{}{unit_zh}", self.extension));
            en.push_str(&format!(", plus an extension of {} {unit_en}", self.extension));
        }
        match (self.due, self.left_when_resumed, self.pauses.last()) {
            (Some(due), _, _) => {
                zh.push_str(&format!("：{}前。", format_date(due)));
                en.push_str(&format!(": due {}.", format_date(due)));
            }
            (None, Some(left), Some(p)) => {
                let since = format_date(p.from);
                zh.push_str(&format!("；自{since}起暂停计时，恢复后还有{left}{unit_zh}。"));
                en.push_str(&format!("; paused since {since}, {left} {unit_en} remain once it resumes."));
            }
            _ => {}
        }
        Text { zh, en }
    }
}

#[cfg(test)]
mod tests;
