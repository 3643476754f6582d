//! The staff work queue: what a case waits on next (its urgency), and the queue's filters as
//! typed in the address bar, checked once here for the browser and the server.

use super::calendar::{format_date, parse_date, WorkCalendar};
use super::kind::{Channel, ItemKind};
use super::rules::{DeadlineKind, RuleSet};
use super::tracking::next_deadline;
use super::workflow::{CaseState, Step};
use super::{category, region, FieldError, Invalid};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// What a case waits on from staff, as the queue sorts it: a dated statutory deadline first
/// (earliest first), then open work without one, then finished cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    Due(Date),
    /// Open, with no running statutory deadline (a consultation, a paused clock, a contest,
    /// a refusal or settlement waiting to be closed).
    Undated,
    Finished,
}

/// Stored key of [`Urgency::Undated`]: sorts after every real date.
pub const UNDATED_KEY: &str = "9999-01-01";
/// Stored key of [`Urgency::Finished`]: sorts last.
pub const FINISHED_KEY: &str = "9999-12-31";

impl Urgency {
    /// The sortable text key stored with the case (`YYYY-MM-DD`, or the two sentinels).
    pub fn key(self) -> String {
        match self {
            Urgency::Due(d) => format_date(d),
            Urgency::Undated => UNDATED_KEY.into(),
            Urgency::Finished => FINISHED_KEY.into(),
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            UNDATED_KEY => Some(Urgency::Undated),
            FINISHED_KEY => Some(Urgency::Finished),
            k => parse_date(k).map(Urgency::Due),
        }
    }
}

/// The staff deadline a case in `state` runs against. The consumer's own period (contesting a
/// closure) is not staff work, and a paused clock (testing, appraisal) has no date until it
/// resumes.
pub fn urgency(
    kind: ItemKind,
    anonymous: bool,
    state: CaseState,
    received_on: Date,
    steps: &[Step],
    rules: &RuleSet,
    cal: &WorkCalendar,
) -> Urgency {
    // A case sent to another province leaves this portal's clock.
    if matches!(state, CaseState::Closed | CaseState::Withdrawn | CaseState::TransferredOut) {
        return Urgency::Finished;
    }
    // A paused clock (a pause among the steps since the period began) has no date.
    match next_deadline(kind, anonymous, state, received_on, steps, rules, cal) {
        Some(due) if due.kind != DeadlineKind::ContestWindow => Urgency::Due(due.date),
        _ => Urgency::Undated,
    }
}

/// The deadline filters of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueFilter {
    Overdue,
    Today,
    /// Due within the next 2 working days (after today).
    Soon,
}

codes!(DueFilter { Overdue => "overdue", Today => "today", Soon => "soon" });

/// How many working days ahead [`DueFilter::Soon`] looks.
pub const SOON_WORKING_DAYS: u32 = 2;

impl DueFilter {
    /// The inclusive range of urgency keys the filter selects on `today`.
    pub fn range(self, today: Date, cal: &WorkCalendar) -> (String, String) {
        match self {
            DueFilter::Overdue => ("0000-01-01".into(), format_date(today - Duration::days(1))),
            DueFilter::Today => (format_date(today), format_date(today)),
            DueFilter::Soon => (
                format_date(today + Duration::days(1)),
                format_date(cal.add_working_days(today, SOON_WORKING_DAYS).date),
            ),
        }
    }
}

/// How the queue is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum QueueSort {
    /// Earliest deadline first (the default: the work that cannot wait).
    #[default]
    Urgency,
    Newest,
}

codes!(QueueSort { Urgency => "urgency", Newest => "newest" });

/// Which states the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum StateFilter {
    /// Everything not yet finished (the default).
    #[default]
    Open,
    All,
    One(CaseState),
}

/// Where a page of the queue starts: after this case, in the queue's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cursor {
    Urgency { key: String, id: i64 },
    Newest { id: i64 },
}

impl Cursor {
    /// `key~id` (urgency) or `id` (newest): short enough for a link.
    pub fn encode(&self) -> String {
        match self {
            Cursor::Urgency { key, id } => format!("{key}~{id}"),
            Cursor::Newest { id } => id.to_string(),
        }
    }

    pub fn decode(s: &str, sort: QueueSort) -> Option<Cursor> {
        match sort {
            QueueSort::Urgency => {
                let (key, id) = s.split_once('~')?;
                Urgency::from_key(key)?;
                Some(Cursor::Urgency { key: key.into(), id: id.parse().ok()? })
            }
            QueueSort::Newest => Some(Cursor::Newest { id: s.parse().ok()? }),
        }
    }
}

/// The queue's filters as they come from the address bar (every field may be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueParams {
    pub state: String,
    pub kind: String,
    pub bureau: String,
    pub category: String,
    pub channel: String,
    /// Received on or after (`YYYY-MM-DD`).
    pub from: String,
    /// Received on or before.
    pub to: String,
    pub due: String,
    pub sort: String,
    /// Where the page starts ([`Cursor::encode`]).
    pub after: String,
    /// `odr`: only complaints of the ODR lane (with a business now, or once).
    #[serde(default)]
    pub lane: String,
}

/// Checked filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueQuery {
    pub state: StateFilter,
    pub kind: Option<ItemKind>,
    pub bureau: Option<String>,
    pub category: Option<String>,
    pub channel: Option<Channel>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub due: Option<DueFilter>,
    pub sort: QueueSort,
    pub after: Option<Cursor>,
    /// Only complaints of the ODR lane.
    pub odr_lane: bool,
}

impl QueueParams {
    /// The filters, or one error per field that holds something unknown.
    pub fn parse(&self) -> Result<QueueQuery, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut pick = |field: &str, value: &str, ok: bool| {
            if !value.trim().is_empty() && !ok {
                errors.push(FieldError::new(field, Invalid::Choice));
            }
        };
        let t = |s: &String| s.trim().to_owned();
        let state = match t(&self.state).as_str() {
            "" | "open" => Some(StateFilter::Open),
            "all" => Some(StateFilter::All),
            s => CaseState::from_code(s).map(StateFilter::One),
        };
        pick("state", &self.state, state.is_some());
        let kind = ItemKind::from_code(&t(&self.kind));
        pick("kind", &self.kind, kind.is_some());
        let bureau = region::bureau(&t(&self.bureau)).map(|b| b.code);
        pick("bureau", &self.bureau, bureau.is_some());
        let category = category::get(&t(&self.category)).map(|c| c.code.clone());
        pick("category", &self.category, category.is_some());
        let channel = Channel::from_code(&t(&self.channel));
        pick("channel", &self.channel, channel.is_some());
        let from = parse_date(&self.from);
        pick("from", &self.from, from.is_some());
        let to = parse_date(&self.to);
        pick("to", &self.to, to.is_some());
        pick("to", "backwards", !matches!((from, to), (Some(f), Some(t)) if t < f));
        let due = DueFilter::from_code(&t(&self.due));
        pick("due", &self.due, due.is_some());
        let sort = match t(&self.sort).as_str() {
            "" => Some(QueueSort::Urgency),
            s => QueueSort::from_code(s),
        };
        pick("sort", &self.sort, sort.is_some());
        let sort = sort.unwrap_or_default();
        let after = Cursor::decode(self.after.trim(), sort);
        pick("after", &self.after, after.is_some());
        let odr_lane = t(&self.lane) == "odr";
        pick("lane", &self.lane, odr_lane);
        if !errors.is_empty() {
            return Err(errors);
        }
        let state = state.unwrap_or_default();
        Ok(QueueQuery { state, kind, bureau, category, channel, from, to, due, sort, after, odr_lane })
    }

    /// The same filters starting at `after` (the next page's address).
    pub fn with_after(&self, after: &str) -> QueueParams {
        QueueParams { after: after.into(), ..self.clone() }
    }

    /// The query string (without `?`), leaving out empty fields.
    pub fn to_query(&self) -> String {
        let pairs = [
            ("state", &self.state),
            ("kind", &self.kind),
            ("bureau", &self.bureau),
            ("category", &self.category),
            ("channel", &self.channel),
            ("from", &self.from),
            ("to", &self.to),
            ("due", &self.due),
            ("sort", &self.sort),
            ("after", &self.after),
            ("lane", &self.lane),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", urlencode(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes everything but unreserved characters (the values are codes and dates).
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules;
    use crate::domain::workflow::ActionName;
    use time::macros::date;

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::china()
    }

    fn order121() -> &'static RuleSet {
        rules::in_force_on(date!(2026 - 06 - 01))
    }

    #[test]
    fn urgency_keys_sort_deadlines_first_then_open_then_finished() {
        let keys = [
            Urgency::Finished.key(),
            Urgency::Undated.key(),
            Urgency::Due(date!(2027 - 01 - 05)).key(),
            Urgency::Due(date!(2026 - 12 - 01)).key(),
        ];
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(sorted, ["2026-12-01", "2027-01-05", UNDATED_KEY, FINISHED_KEY]);
        for k in keys {
            assert_eq!(Urgency::from_key(&k).unwrap().key(), k);
        }
        assert_eq!(Urgency::from_key("soon"), None);
    }

    /// The urgency of a case with a named consumer under Order 121.
    fn named(kind: ItemKind, state: CaseState, received: Date, steps: &[Step]) -> Urgency {
        urgency(kind, false, state, received, steps, order121(), cal())
    }

    #[test]
    fn a_new_complaint_waits_on_the_acceptance_decision_and_a_paused_clock_on_nothing() {
        let received = date!(2026 - 09 - 30);
        let u = named(ItemKind::Complaint, CaseState::Received, received, &[]);
        // 7 working days after Wed 30 September 2026 (National Day holiday): Thu 15 October.
        assert_eq!(u, Urgency::Due(date!(2026 - 10 - 15)));
        let accepted = Step::taken(ActionName::Accept, date!(2026 - 10 - 09), CaseState::Received, CaseState::Accepted);
        let pause =
            Step::taken(ActionName::PauseClock, date!(2026 - 10 - 20), CaseState::InMediation, CaseState::InMediation);
        let paused = named(ItemKind::Complaint, CaseState::InMediation, received, &[accepted, pause]);
        assert_eq!(paused, Urgency::Undated);
        let running = named(ItemKind::Complaint, CaseState::InMediation, received, &[accepted]);
        assert!(matches!(running, Urgency::Due(d) if d > date!(2026 - 11 - 30)), "{running:?}");
    }

    #[test]
    fn finished_and_consumer_periods_are_not_staff_deadlines() {
        let r = date!(2026 - 06 - 01);
        let closed = [Step::taken(ActionName::Close, date!(2026 - 06 - 10), CaseState::Settled, CaseState::Closed)];
        assert_eq!(named(ItemKind::Complaint, CaseState::Closed, r, &closed), Urgency::Finished);
        assert_eq!(named(ItemKind::Report, CaseState::Withdrawn, r, &[]), Urgency::Finished);
        // Sent to another province: off this portal's clock, though not closed here.
        let out = [Step::taken(
            ActionName::TransferOut,
            date!(2026 - 06 - 03),
            CaseState::Received,
            CaseState::TransferredOut,
        )];
        assert_eq!(named(ItemKind::Complaint, CaseState::TransferredOut, r, &out), Urgency::Finished);
        assert_eq!(named(ItemKind::Consultation, CaseState::Received, r, &[]), Urgency::Undated);
        // A refusal is told within the acceptance period (Mon Jun 1: Jun 2–5, 8, 9, 10).
        assert_eq!(named(ItemKind::Complaint, CaseState::Refused, r, &[]), Urgency::Due(date!(2026 - 06 - 10)));
        assert_eq!(named(ItemKind::Complaint, CaseState::Contested, r, &[]), Urgency::Undated);
    }

    #[test]
    fn deadline_filters_cover_yesterday_today_and_the_next_two_working_days() {
        // Friday 2026-10-09; Saturday 10 October is a swapped workday.
        let today = date!(2026 - 10 - 09);
        assert_eq!(DueFilter::Overdue.range(today, cal()), ("0000-01-01".into(), "2026-10-08".into()));
        assert_eq!(DueFilter::Today.range(today, cal()), ("2026-10-09".into(), "2026-10-09".into()));
        assert_eq!(DueFilter::Soon.range(today, cal()), ("2026-10-10".into(), "2026-10-12".into()));
        // Friday 2026-11-27: the next two working days are Monday and Tuesday.
        assert_eq!(DueFilter::Soon.range(date!(2026 - 11 - 27), cal()).1, "2026-12-01");
    }

    #[test]
    fn params_parse_to_filters_and_unknown_values_are_field_errors() {
        let q = QueueParams::default().parse().unwrap();
        assert_eq!(q.state, StateFilter::Open);
        assert_eq!(q.sort, QueueSort::Urgency);
        let p = QueueParams {
            state: "in_mediation".into(),
            kind: "complaint".into(),
            bureau: "630100".into(),
            category: "G01".into(),
            channel: "phone".into(),
            from: "2026-01-01".into(),
            to: "2026-12-31".into(),
            due: "overdue".into(),
            sort: "urgency".into(),
            after: "2026-12-01~42".into(),
            lane: String::new(),
        };
        let q = p.parse().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(q.state, StateFilter::One(CaseState::InMediation));
        assert_eq!(q.channel, Some(Channel::Phone));
        assert_eq!(q.due, Some(DueFilter::Overdue));
        assert_eq!(q.after, Some(Cursor::Urgency { key: "2026-12-01".into(), id: 42 }));
        let bad = QueueParams {
            state: "lost".into(),
            bureau: "999999".into(),
            from: "2026-13-01".into(),
            due: "'; DROP TABLE cases".into(),
            after: "x".into(),
            ..Default::default()
        };
        let fields: Vec<String> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["state", "bureau", "from", "due", "after"]);
        let backwards = QueueParams { from: "2026-05-02".into(), to: "2026-05-01".into(), ..Default::default() };
        assert_eq!(backwards.parse().unwrap_err()[0].field, "to");
        // The ODR lane, or nothing else.
        let lane = QueueParams { lane: "odr".into(), due: "overdue".into(), ..Default::default() };
        assert!(lane.parse().unwrap().odr_lane);
        assert!(lane.to_query().contains("lane=odr"));
        assert_eq!(QueueParams { lane: "x".into(), ..Default::default() }.parse().unwrap_err()[0].field, "lane");
    }

    #[test]
    fn the_next_page_link_keeps_the_filters() {
        let p = QueueParams { kind: "report".into(), due: "soon".into(), ..Default::default() };
        assert_eq!(p.with_after("2026-12-01~42").to_query(), "kind=report&due=soon&after=2026-12-01~42");
        let n = QueueParams { sort: "newest".into(), after: "17".into(), ..Default::default() };
        assert_eq!(n.parse().unwrap().after, Some(Cursor::Newest { id: 17 }));
    }
}
