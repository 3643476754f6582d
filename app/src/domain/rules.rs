//! Legal rule sets as data (`app/data/rules/*.json`): deadlines, refusal and termination grounds,
//! and the limitation period, each with its article and whether it has been verified against the
//! official text. A case keeps the rule set in force on the day it was received.

use super::calendar::{parse_date, Counted, WorkCalendar};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
use std::sync::LazyLock;
use time::Date;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    AcceptanceDecision,
    MediationLimit,
    TerminationNotice,
    ViolationCheck,
    ReportCaseDecision,
    ReporterNotice,
    /// How long after closure the consumer may contest it (a service rule of the centre).
    ContestWindow,
    /// How long a business of the ODR lane has to settle a complaint made to it first.
    OdrNegotiation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Working,
    Calendar,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRule {
    pub days: u32,
    pub unit: Unit,
    /// The event the period runs from (receipt, acceptance, …); documentation for people.
    pub from: String,
    #[serde(default)]
    pub extension_days: Option<u32>,
    pub article: String,
    pub verified: bool,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ground {
    pub no: u32,
    pub article: String,
    pub verified: bool,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counting {
    /// Only `next_day` is used: the day of receipt is not counted.
    pub start: String,
    pub calendar_days_roll_to_working_day: bool,
    pub note: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limitation {
    pub years: u32,
    pub article: String,
    pub verified: bool,
}

/// The scope questions asked before anything else, each with the refusal ground a wrong answer
/// falls under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeChecks {
    pub personal_use: u32,
    pub business_dispute: u32,
    pub other_body: u32,
    pub within_limitation: u32,
}

/// Time left out of a period (testing, inspection, appraisal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseRule {
    pub article: String,
    pub verified: bool,
    pub zh: String,
    pub en: String,
}

/// Where the acceptance period of a transferred complaint runs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptanceFrom {
    /// Receipt at the centre, whatever bureau decides.
    FirstReceipt,
    /// Receipt by the bureau the complaint was transferred to.
    Transfer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRule {
    pub acceptance_from: AcceptanceFrom,
    pub zh: String,
    pub en: String,
}

/// Where the bureau's acceptance period runs from once a complaint comes back from the ODR lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OdrAcceptanceFrom {
    /// The day it passed to the bureau (the business declined, the consumer said no, or the
    /// period ended): the bureau's time starts then.
    PassOn,
    /// The day the complaint was first received, as if the attempt had not happened.
    Receipt,
}

/// The ODR lane of the rule set: the reading of the acceptance period after an attempt, and the
/// reminder to the business before its time runs out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OdrRule {
    pub article: String,
    pub source: String,
    pub verified: bool,
    pub acceptance_from: OdrAcceptanceFrom,
    /// Working days before the last day of its period that the business is reminded.
    pub reminder_working_days: u32,
    pub zh: String,
    pub en: String,
}

/// Which bureau handles a complaint (the business's place, a platform's registration place).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JurisdictionRule {
    pub article: String,
    pub verified: bool,
    pub zh: String,
    pub en: String,
}

/// Filing for someone else under a power of attorney.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRule {
    pub article: String,
    pub verified: bool,
    pub zh: String,
    pub en: String,
}

/// A collective complaint of several consumers through representatives chosen in writing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectiveRule {
    pub article: String,
    pub verified: bool,
    pub min_consumers: u32,
    pub max_representatives: u32,
    pub zh: String,
    pub en: String,
}

/// The follow-up visit (回访) after handling: whether the rule set requires it. It has no
/// period of its own: staff record it on the closed case whenever it takes place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpRule {
    pub required: bool,
    /// The article, where it is known.
    pub article: Option<String>,
    pub verified: bool,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    pub id: String,
    pub title: Text,
    pub short: Text,
    pub instrument: String,
    pub in_force_from: String,
    pub in_force_until: Option<String>,
    pub source: String,
    pub verified: bool,
    pub counting: Counting,
    pub limitation: Limitation,
    pub deadlines: BTreeMap<DeadlineKind, DeadlineRule>,
    pub pause: PauseRule,
    /// The termination ground a withdrawal after acceptance rests on.
    pub withdrawal_ground: u32,
    pub transfer: TransferRule,
    pub jurisdiction: JurisdictionRule,
    pub agents: AgentRule,
    pub collective: CollectiveRule,
    /// None where the rule set says nothing of a follow-up visit.
    #[serde(default)]
    pub follow_up: Option<FollowUpRule>,
    /// None where the rule set has no ODR lane.
    #[serde(default)]
    pub odr: Option<OdrRule>,
    pub scope_checks: ScopeChecks,
    pub refusal_grounds: Vec<Ground>,
    pub termination_grounds: Vec<Ground>,
}

/// A computed deadline: the due date and the rule it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub kind: DeadlineKind,
    pub date: Date,
    pub rule: DeadlineRule,
    /// Years in which the calendar knew only weekends (the date may move when holidays are published).
    pub provisional_years: Vec<i32>,
}

impl RuleSet {
    pub fn from_json(json: &str) -> Result<Self, String> {
        let rs: RuleSet = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if parse_date(&rs.in_force_from).is_none() {
            return Err(format!("{}: bad in_force_from", rs.id));
        }
        if rs.counting.start != "next_day" {
            return Err(format!("{}: unknown counting start {}", rs.id, rs.counting.start));
        }
        for (name, grounds) in [("refusal", &rs.refusal_grounds), ("termination", &rs.termination_grounds)] {
            if grounds.iter().enumerate().any(|(i, g)| g.no != i as u32 + 1) {
                return Err(format!("{}: {name} grounds must be numbered 1, 2, 3, …", rs.id));
            }
        }
        if rs.termination_ground(rs.withdrawal_ground).is_none() {
            return Err(format!("{}: withdrawal names unknown termination ground {}", rs.id, rs.withdrawal_ground));
        }
        let sc = &rs.scope_checks;
        for no in [sc.personal_use, sc.business_dispute, sc.other_body, sc.within_limitation] {
            if rs.refusal_grounds.iter().all(|g| g.no != no) {
                return Err(format!("{}: scope check names unknown ground {no}", rs.id));
            }
        }
        Ok(rs)
    }

    pub fn refusal_ground(&self, no: u32) -> Option<&Ground> {
        self.refusal_grounds.iter().find(|g| g.no == no)
    }

    pub fn termination_ground(&self, no: u32) -> Option<&Ground> {
        self.termination_grounds.iter().find(|g| g.no == no)
    }

    /// The deadline of `kind` for a period that starts on `start`, counted on `cal`.
    pub fn due(&self, kind: DeadlineKind, start: Date, cal: &WorkCalendar) -> Option<Due> {
        let rule = self.deadlines.get(&kind)?;
        let Counted { date, provisional_years } = match rule.unit {
            Unit::Working => cal.add_working_days(start, rule.days),
            Unit::Calendar => cal.add_calendar_days(start, rule.days, self.counting.calendar_days_roll_to_working_day),
        };
        Some(Due { kind, date, rule: rule.clone(), provisional_years })
    }

    fn in_force_on(&self, day: Date) -> bool {
        let from = parse_date(&self.in_force_from).expect("checked in from_json");
        let until_ok = match self.in_force_until.as_deref().and_then(parse_date) {
            Some(until) => day <= until,
            None => true,
        };
        day >= from && until_ok
    }
}

/// The rule set data as shipped with the portal, oldest first.
pub const RULE_SET_JSON: [&str; 2] =
    [include_str!("../../data/rules/samr-interim-2022.json"), include_str!("../../data/rules/samr-order-121.json")];

/// In the browser, set by `shipped::install` before hydration.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub(crate) static RULE_SETS: std::sync::OnceLock<Vec<RuleSet>> = std::sync::OnceLock::new();
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
static RULE_SETS: LazyLock<Vec<RuleSet>> = LazyLock::new(|| {
    RULE_SET_JSON
        .iter()
        .map(|j| RuleSet::from_json(j).expect("rule set data is valid (checked by a unit test)"))
        .collect()
});

/// Every rule set the portal knows, oldest first.
pub fn all() -> &'static [RuleSet] {
    #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
    return &RULE_SETS;
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    return RULE_SETS.get().expect("the data is installed before hydration");
}

pub fn get(id: &str) -> Option<&'static RuleSet> {
    all().iter().find(|r| r.id == id)
}

/// The rule set in force on `day` (the day an item is received). Before the oldest rule set's
/// start the oldest one applies.
pub fn in_force_on(day: Date) -> &'static RuleSet {
    all().iter().rev().find(|r| r.in_force_on(day)).unwrap_or(&all()[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn both_rule_sets_load() {
        let ids: Vec<_> = all().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["samr-interim-2022", "samr-order-121"]);
    }

    #[test]
    fn order_121_applies_from_15_april_2026() {
        assert_eq!(in_force_on(date!(2026 - 04 - 14)).id, "samr-interim-2022");
        assert_eq!(in_force_on(date!(2026 - 04 - 15)).id, "samr-order-121");
        assert_eq!(in_force_on(date!(2023 - 06 - 01)).id, "samr-interim-2022");
    }

    #[test]
    fn only_order_121_speaks_of_a_follow_up_visit_and_it_has_no_period() {
        assert_eq!(get("samr-interim-2022").unwrap().follow_up, None);
        let f = get("samr-order-121").unwrap().follow_up.as_ref().unwrap();
        assert!(!f.required && !f.verified && f.article.is_none());
        assert!(f.zh.contains("回访"));
    }

    #[test]
    fn grounds_are_numbered_as_the_articles_list_them() {
        let old = get("samr-interim-2022").unwrap();
        let new = get("samr-order-121").unwrap();
        assert_eq!(old.refusal_grounds.len(), 6);
        assert_eq!(old.termination_grounds.len(), 7);
        assert_eq!(new.refusal_grounds.len(), 7);
        assert_eq!(new.termination_grounds.len(), 8);
        assert!(old.refusal_ground(4).unwrap().zh.contains("三年"));
        assert!(new.refusal_ground(8).is_none());
    }

    #[test]
    fn every_deadline_kind_is_in_both_rule_sets() {
        for rs in all() {
            for kind in [
                DeadlineKind::AcceptanceDecision,
                DeadlineKind::MediationLimit,
                DeadlineKind::TerminationNotice,
                DeadlineKind::ViolationCheck,
                DeadlineKind::ReportCaseDecision,
                DeadlineKind::ReporterNotice,
            ] {
                assert!(rs.deadlines.contains_key(&kind), "{} lacks {kind:?}", rs.id);
            }
        }
    }

    #[test]
    fn acceptance_decision_is_due_seven_working_days_after_receipt() {
        let rs = in_force_on(date!(2026 - 09 - 30));
        let due = rs.due(DeadlineKind::AcceptanceDecision, date!(2026 - 09 - 30), WorkCalendar::china()).unwrap();
        assert_eq!(due.date, date!(2026 - 10 - 15));
        assert_eq!(due.rule.days, 7);
    }

    #[test]
    fn mediation_limit_differs_between_the_rule_sets() {
        let cal = WorkCalendar::china();
        // Accepted Mon 2026-03-02 under the Interim Measures: 45 working days → Fri 2026-05-08
        // (Apr 4–6 and May 1–5 are holidays).
        let old = get("samr-interim-2022").unwrap();
        assert_eq!(
            old.due(DeadlineKind::MediationLimit, date!(2026 - 03 - 02), cal).unwrap().date,
            date!(2026 - 05 - 08)
        );
        // Under Order 121, 60 days from Tue 2026-08-04 → Sat 2026-10-03 (holiday) → Thu 2026-10-08.
        let new = get("samr-order-121").unwrap();
        assert_eq!(
            new.due(DeadlineKind::MediationLimit, date!(2026 - 08 - 04), cal).unwrap().date,
            date!(2026 - 10 - 08)
        );
    }

    #[test]
    fn malformed_rule_data_is_refused() {
        let mut rs: serde_json::Value =
            serde_json::from_str(include_str!("../../data/rules/samr-interim-2022.json")).unwrap();
        rs["refusal_grounds"][1]["no"] = 5.into();
        assert!(RuleSet::from_json(&rs.to_string()).unwrap_err().contains("numbered"));
        assert!(RuleSet::from_json("{}").is_err());
    }
}
