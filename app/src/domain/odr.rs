//! The ODR lane (在线消费纠纷解决): a complaint about a business that joined it goes to the
//! business first, which has a period of the rule set (10 working days on the national
//! platform's rules, unverified) to settle with the consumer; what the business may offer,
//! whether a filing may take the lane, and when the period's end passes it on to the bureau.

use super::business::OdrStatus;
use super::calendar::WorkCalendar;
use super::kind::ItemKind;
use super::money::Fen;
use super::rules::{DeadlineKind, RuleSet};
use super::tracking::RatingOutcome;
pub use super::workflow::OdrRemedy;
use super::workflow::{CaseState, Step};
use serde::{Deserialize, Serialize};
use time::Date;

/// An offer as the event log keeps it (`remedy\tamount in fen\ttext`), read back for the pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub remedy: OdrRemedy,
    pub amount: Fen,
    pub text: String,
}

impl Offer {
    pub fn from_detail(detail: &str) -> Option<Offer> {
        let mut parts = detail.splitn(3, '\t');
        let remedy = OdrRemedy::from_code(parts.next()?)?;
        let amount = Fen(parts.next()?.parse().ok()?);
        Some(Offer { remedy, amount, text: parts.next().unwrap_or_default().to_owned() })
    }
}

/// Whether a new item may go to its business first: a complaint (never a report or a
/// consultation) about a business that is a member of the lane now, when the rule set has the
/// lane.
pub fn eligible(kind: ItemKind, member: Option<OdrStatus>, rules: &RuleSet) -> bool {
    kind == ItemKind::Complaint
        && member == Some(OdrStatus::Joined)
        && rules.deadlines.contains_key(&DeadlineKind::OdrNegotiation)
}

/// Whether the register is worth asking about a filing at all: a complaint with a well-formed
/// credit code (the page asks nothing, and the browser calls nothing, otherwise).
pub fn worth_asking(kind: &str, credit_code: &str) -> bool {
    ItemKind::from_code(kind) == Some(ItemKind::Complaint) && super::credit_code::CreditCode::parse(credit_code).is_ok()
}

/// The consumer's answer to "send it to the business first?": asked only when the filing is
/// [`eligible`]; required then.
pub fn choice(answer: &str, eligible: bool) -> Result<bool, super::error::Invalid> {
    use super::error::Invalid;
    match (answer, eligible) {
        (_, false) => Ok(false),
        ("yes", true) => Ok(true),
        ("no", true) => Ok(false),
        ("", true) => Err(Invalid::Required),
        _ => Err(Invalid::Choice),
    }
}

/// Whether the case is with the business (the negotiation runs).
pub fn with_business(state: CaseState) -> bool {
    matches!(state, CaseState::WithBusiness | CaseState::BusinessOffered)
}

/// Whether the negotiation period due on `due` has ended on `today` without agreement: the
/// complaint then passes to the bureau (the day after the last day of the period).
pub fn passes_on(state: CaseState, due: Date, today: Date) -> bool {
    with_business(state) && today > due
}

/// Whether the consumer may take the case to the bureau after a settlement by the business: the
/// case is closed that way and their verdict on it is "not solved".
pub fn may_go_to_bureau(state: CaseState, history: &[Step], verdict: Option<RatingOutcome>) -> bool {
    state == CaseState::Closed
        && super::workflow::settled_by_business(history)
        && verdict == Some(RatingOutcome::NotResolved)
}

/// The day the business is reminded that its time runs out: `before` working days ahead of the
/// last day of its period (the rule set's `odr.reminder_working_days`).
pub fn reminder_day(due: Date, before: u32, cal: &WorkCalendar) -> Date {
    let mut day = due;
    let mut counted = 0;
    while counted < before {
        day = day.previous_day().unwrap_or(day);
        if cal.is_working_day(day) {
            counted += 1;
        }
    }
    day
}

#[cfg(test)]
mod tests;
