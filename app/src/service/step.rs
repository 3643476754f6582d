//! Taking a workflow step: the state machine's outcome, what the case waits on next and what the
//! step adds to the statistics, stored with its event in one transaction by the port.

use crate::domain::case::{CaseForCreate, CaseNo};
use crate::domain::clock::{china_date, day_of, unix_ms};
use crate::domain::workflow::{transition, Action, Actor, Step};
use crate::error::AppError;
use crate::ports::{CaseRecords, EventForCreate, StoredCase};
use time::OffsetDateTime;

/// The steps of a case (with the day in China of each), which deadlines count from.
pub fn steps_of(events: &[crate::ports::CaseEvent]) -> Vec<Step> {
    events.iter().map(|e| Step { action: e.action, on: day_of(e.at), from: e.from_state, to: e.to_state }).collect()
}

/// What `case` will wait on once `outcome` of `action` is taken `now` (the work queue's order).
pub async fn urgency_after(
    store: &dyn CaseRecords,
    case: &StoredCase,
    outcome: &crate::domain::workflow::Outcome,
    action: crate::domain::workflow::ActionName,
    now: OffsetDateTime,
) -> Result<crate::domain::queue::Urgency, AppError> {
    let events = store.events(&case.case_no).await?;
    Ok(step_effects(case, &events, outcome, action, now)?.0)
}

/// What the statistics count a case under.
pub fn dims_of(case: &CaseForCreate) -> crate::domain::stats::Dims {
    let mut dims = crate::domain::stats::Dims::new(
        case.kind,
        case.channel,
        &case.category,
        case.business.as_ref().map(|b| b.county.as_str()),
    );
    dims.business = crate::domain::disclosure::record_of(case);
    dims
}

/// What taking `outcome` of `action` on `case` (with its `events` so far) `now` leads to: what
/// the case waits on next, and what the step adds to the public statistics.
pub fn step_effects(
    case: &StoredCase,
    events: &[crate::ports::CaseEvent],
    outcome: &crate::domain::workflow::Outcome,
    action: crate::domain::workflow::ActionName,
    now: OffsetDateTime,
) -> Result<(crate::domain::queue::Urgency, Vec<crate::domain::stats::StatDelta>), AppError> {
    use crate::domain::calendar::WorkCalendar;
    let rules = case.rules()?;
    let cal = WorkCalendar::china();
    let today = china_date(now);
    let mut steps = steps_of(events);
    let before = case.urgency(case.state, &steps, rules, cal);
    steps.push(Step::taken(action, today, case.state, outcome.to));
    let after = case.urgency(outcome.to, &steps, rules, cal);
    let fact = crate::domain::stats::StepFact {
        action,
        to: outcome.to,
        recovered: outcome.recovered.map(|f| f.0),
        urgency_before: before,
        closed_before: events.iter().any(|e| e.to_state == crate::domain::workflow::CaseState::Closed),
        received_on: case.received_on,
        on: today,
    };
    Ok((after, crate::domain::stats::on_step(&dims_of(&case.content), &fact)))
}

/// A step taken by a signed-in account (staff or business), named in the event as its username.
/// While the database is not there for a moment ([`AppError::Busy`], e.g. during a failover) it
/// is tried again, for about 16 s: safe, since each try is made on the case version the account
/// saw, and a try that committed before its answer was lost is recognised as its own step.
pub async fn act_by(
    services: &crate::service::state::Services,
    staff: &crate::domain::staff::Staff,
    no: &CaseNo,
    version: i64,
    action: &Action,
    note: Option<String>,
    now: OffsetDateTime,
) -> Result<StoredCase, AppError> {
    let (store, actor, by) = (services.cases.as_ref(), &staff.actor(), &Some(staff.username.to_string()));
    let mut first = true;
    crate::service::retrying(|| {
        let again = !std::mem::replace(&mut first, false);
        let note = note.clone();
        async move {
            match act(store, no, version, actor, by.clone(), action, note, now).await {
                Err(AppError::Conflict) if again => own_step(store, no, version, by, action, now).await,
                other => other,
            }
        }
    })
    .await
}

/// After a try that may have committed before its answer was lost (the database went away
/// during it): the case as it is, if its newest event is that try's own step (the next version,
/// the same account, action and instant); otherwise someone else acted first, a conflict.
pub async fn own_step(
    store: &dyn CaseRecords,
    no: &CaseNo,
    version: i64,
    by: &Option<String>,
    action: &Action,
    now: OffsetDateTime,
) -> Result<StoredCase, AppError> {
    let case = store.get(no).await?.ok_or(AppError::NotFound)?;
    if case.version != version + 1 {
        return Err(AppError::Conflict);
    }
    let events = store.events(no).await?;
    let ours = events.last().is_some_and(|e| e.at == unix_ms(now) && e.actor_id == *by && e.action == action.name());
    if ours {
        Ok(case)
    } else {
        Err(AppError::Conflict)
    }
}

/// Takes a workflow step on a case the caller read at `expected_version`.
pub async fn act(
    store: &dyn CaseRecords,
    no: &CaseNo,
    expected_version: i64,
    actor: &Actor,
    actor_id: Option<String>,
    action: &Action,
    note: Option<String>,
    now: OffsetDateTime,
) -> Result<StoredCase, AppError> {
    let case = store.get(no).await?.ok_or(AppError::NotFound)?;
    if case.version != expected_version {
        return Err(AppError::Conflict);
    }
    let rules = case.rules()?;
    let events = store.events(no).await?;
    let snapshot = case.snapshot(steps_of(&events));
    let outcome = transition(&snapshot, actor, action, rules)?;
    let (urgency, stats) = step_effects(&case, &events, &outcome, action.name(), now)?;
    let stopped = events.iter().any(|e| e.action == crate::domain::workflow::ActionName::StopNotices);
    let notices = crate::domain::notify::notice_for(action, outcome.to, stopped)
        .map(|(kind, params)| crate::ports::NoticeForCreate { kind, params })
        .into_iter()
        .collect();
    let event = EventForCreate {
        at: unix_ms(now),
        actor_role: actor.role,
        actor_id,
        action: action.name(),
        note,
        detail: action.public_detail(),
        stats,
        notices,
    };
    store.apply(no, expected_version, case.state, &outcome, event, urgency).await
}
