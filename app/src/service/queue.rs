//! The staff work queue: which cases a staff member may see, a page at a time.

use super::china_date;
use crate::domain::calendar::{format_date, WorkCalendar};
use crate::domain::kind::ItemKind;
use crate::domain::region::{self, CENTRE};
use crate::domain::rules::{self, DeadlineKind};
use crate::domain::staff::Staff;
use crate::domain::workflow::{CaseState, Role};
use crate::domain::{FieldError, Invalid};
use crate::error::AppError;
use crate::ports::QueueFilter;
use crate::server_fns::staff::{QueueLine, QueueView};
use crate::Services;

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
    state: &str,
    kind: &str,
    before: Option<i64>,
    now: time::OffsetDateTime,
) -> Result<QueueView, AppError> {
    let invalid = |f: &str| AppError::Invalid(vec![FieldError::new(f, Invalid::Choice)]);
    let filter = QueueFilter {
        bureau: scope(staff)?,
        state: match state {
            "" => None,
            s => Some(CaseState::from_code(s).ok_or_else(|| invalid("state"))?),
        },
        kind: match kind {
            "" => None,
            k => Some(ItemKind::from_code(k).ok_or_else(|| invalid("kind"))?),
        },
    };
    let (rows, next) = services.cases.queue(&filter, before, PAGE).await?;
    let today = china_date(now);
    let cal = WorkCalendar::china();
    let lines = rows
        .into_iter()
        .map(|r| {
            let waiting =
                matches!(r.state, CaseState::Received | CaseState::Transferred) && r.kind == ItemKind::Complaint;
            let due = rules::get(&r.rule_set)
                .filter(|_| waiting)
                .and_then(|rs| rs.due(DeadlineKind::AcceptanceDecision, r.received_on, cal));
            let bureau = region::bureau(&r.bureau);
            QueueLine {
                case_no: r.case_no.to_string(),
                kind: r.kind.code().into(),
                state: r.state.code().into(),
                bureau_zh: bureau.as_ref().map(|b| b.zh.clone()).unwrap_or_default(),
                bureau_en: bureau.as_ref().map(|b| b.en.clone()).unwrap_or_default(),
                category: r.category,
                received_on: format_date(r.received_on),
                due_on: due.as_ref().map(|d| format_date(d.date)),
                working_days_left: due.as_ref().map(|d| cal.working_days_left(today, d.date)),
            }
        })
        .collect();
    let bureau = staff.bureau.as_deref().and_then(region::bureau);
    Ok(QueueView {
        username: staff.username.to_string(),
        role: staff.role.code().into(),
        bureau_zh: bureau.as_ref().map(|b| b.zh.clone()),
        bureau_en: bureau.as_ref().map(|b| b.en.clone()),
        lines,
        next,
    })
}
