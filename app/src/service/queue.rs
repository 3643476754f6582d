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
    let filter =
        QueueFilter { scope: scope.clone(), due_range: query.due.map(|d| d.range(today, cal)), query: query.clone() };
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
