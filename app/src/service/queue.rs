//! The staff work queue: which cases a staff member may see, filtered and in order of urgency,
//! a page at a time, with counts beside the filters.

use crate::domain::calendar::{format_date, WorkCalendar};
use crate::domain::clock::china_date;
use crate::domain::queue::{DueFilter, QueueParams, Urgency};
use crate::domain::region::{self, CENTRE};
use crate::domain::staff::Staff;
use crate::domain::workflow::Role;
use crate::domain::FieldError;
use crate::domain::Invalid;
use crate::error::AppError;
use crate::ports::QueueFilter;
use crate::service::state::Services;
use crate::views::staff::{QueueCount, QueueLine, QueueView};

/// Lines per page.
pub const PAGE: i64 = 50;

/// The cases `staff` may see: a handler those of their bureau, an intake operator those still at
/// the centre, a supervisor all. An admin manages accounts and rules, not cases.
pub fn scope(staff: &Staff) -> Result<Option<String>, AppError> {
    match staff.role {
        Role::Handler => Ok(staff.bureau.clone()),
        Role::IntakeOperator => Ok(Some(CENTRE.to_owned())),
        Role::Supervisor => Ok(None),
        _ => Err(AppError::Forbidden),
    }
}

pub async fn page(
    services: &Services,
    staff: &Staff,
    params: &QueueParams,
    now: time::OffsetDateTime,
) -> Result<QueueView, AppError> {
    let scope = scope(staff)?;
    let query = params.parse().map_err(AppError::Invalid)?;
    // Only a supervisor chooses the bureau; everyone else sees their own.
    if scope.is_some() && query.bureau.is_some() && query.bureau != scope {
        return Err(AppError::Invalid(vec![FieldError::new("bureau", Invalid::Choice)]));
    }
    let today = china_date(now);
    let cal = WorkCalendar::china();
    let filter = QueueFilter {
        scope: scope.clone(),
        business: query.odr_lane.then(String::new),
        due_range: query.due.map(|d| d.range(today, cal)),
        query: query.clone(),
    };
    let (rows, next) = services.cases.queue(&filter, PAGE).await?;
    let counted_bureau = scope.clone().or(query.bureau.clone());
    let ranges = [DueFilter::Overdue, DueFilter::Today, DueFilter::Soon].map(|d| d.range(today, cal));
    let counts = services.cases.queue_counts(counted_bureau.as_deref(), ranges).await?;
    let lines = rows
        .into_iter()
        .map(|r| {
            let due = match r.urgency {
                Urgency::Due(d) => Some(d),
                _ => None,
            };
            let bureau = region::bureau(&r.bureau);
            QueueLine {
                case_no: r.case_no.to_string(),
                kind: r.kind.code().into(),
                channel: r.channel.code().into(),
                state: r.state.code().into(),
                bureau_zh: bureau.as_ref().map(|b| b.zh.clone()).unwrap_or_default(),
                bureau_en: bureau.as_ref().map(|b| b.en.clone()).unwrap_or_default(),
                category: r.category,
                received_on: format_date(r.received_on),
                due_on: due.map(format_date),
                working_days_left: due.map(|d| cal.working_days_left(today, d)),
                provisional: due
                    .is_some_and(|d| cal.coverage(d.year()) == crate::domain::calendar::Coverage::Provisional),
                // A mediation has a date unless its clock is paused.
                paused: r.urgency == Urgency::Undated && r.state == crate::domain::workflow::CaseState::InMediation,
            }
        })
        .collect();
    let bureau = staff.bureau.as_deref().and_then(region::bureau);
    let mut by_state: Vec<QueueCount> =
        counts.by_state.iter().map(|(s, n)| QueueCount { code: s.code().into(), n: *n }).collect();
    by_state.sort_by_key(|c| crate::domain::workflow::CaseState::ALL.iter().position(|s| s.code() == c.code));
    Ok(QueueView {
        username: staff.username.to_string(),
        role: staff.role.code().into(),
        bureau_zh: bureau.as_ref().map(|b| b.zh.clone()),
        bureau_en: bureau.as_ref().map(|b| b.en.clone()),
        lines,
        next: next.map(|c| params.with_after(&c.encode()).to_query()),
        by_state,
        by_due: vec![
            QueueCount { code: "overdue".into(), n: counts.overdue },
            QueueCount { code: "today".into(), n: counts.today },
            QueueCount { code: "soon".into(), n: counts.soon },
        ],
        bureaus: if scope.is_none() { bureau_choices() } else { Vec::new() },
    })
}

/// Every bureau a supervisor may pick: the centre, each prefecture and its counties.
pub fn bureau_choices() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut push = |code: &str| {
        if let Some(b) = region::bureau(code) {
            out.push((b.code, b.zh, b.en));
        }
    };
    push(CENTRE);
    for p in region::prefectures() {
        push(&p.code);
        for c in &p.counties {
            push(&c.code);
        }
    }
    out
}

/// Where the fingerprint of the legal data the stored deadlines were computed with is kept.
pub const LEGAL_DATA_KEY: &str = "deadlines_computed_with";

/// A fingerprint of the calendar and the rule sets (SHA-256 of the data as shipped).
pub fn legal_data_fingerprint() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(crate::domain::calendar::CHINA_JSON);
    for r in crate::domain::rules::RULE_SET_JSON {
        h.update(r);
    }
    hex::encode(h.finalize())
}

/// Recomputes the stored deadline of every case with a dated one when the calendar (a year's
/// schedule published) or the rule sets changed since they were computed; returns how many
/// were recomputed. Safe to run on several servers at once: a case that changed meanwhile
/// keeps what its own step wrote.
pub async fn refresh_deadlines(services: &Services) -> Result<usize, AppError> {
    let cases = services.cases.as_ref();
    let fingerprint = legal_data_fingerprint();
    if cases.meta_get(LEGAL_DATA_KEY).await?.as_deref() == Some(fingerprint.as_str()) {
        return Ok(0);
    }
    let mut changed = 0;
    // Every real date (the undated and finished keys sort after it).
    for (no, version, _) in cases.due_between("0000-01-01", "9998-12-31").await? {
        let Some(case) = cases.get(&no).await? else { continue };
        let events = cases.events(&no).await?;
        let steps = crate::service::step::steps_of(&events);
        let urgency = case.urgency(case.state, &steps, case.rules()?, WorkCalendar::china());
        if cases.set_due(&no, version, &urgency.key()).await? {
            changed += 1;
        }
    }
    cases.meta_set(LEGAL_DATA_KEY, &fingerprint).await?;
    Ok(changed)
}
