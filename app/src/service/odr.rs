//! The ODR lane: a business's console (its queue, a complaint, its answer), the consumer's
//! yes or no to an offer, and the sweep that passes a complaint on to the bureau when the
//! business's period ends without agreement (every server runs it; a case passes once).

use crate::domain::actions::ActionForm;
use crate::domain::calendar::{format_date, WorkCalendar};
use crate::domain::case::CaseNo;
use crate::domain::clock::{china_date, china_time, unix_ms};
use crate::domain::queue::{QueueQuery, StateFilter, Urgency};
use crate::domain::staff::Staff;
use crate::domain::workflow::{Action, ActionName, Actor, CaseState, Role};
use crate::error::AppError;
use crate::ports::{AuditEntry, QueueFilter, StoredCase};
use crate::service::state::Services;
use crate::views::odr::{OdrCaseView, OdrEvent, OdrLine, OdrMember, OdrQueueView};

/// The credit code of the business `staff` answers for, or `Forbidden` for anyone else.
pub fn business_of(staff: &Staff) -> Result<&str, AppError> {
    match (staff.role, staff.business.as_deref()) {
        (Role::Business, Some(code)) => Ok(code),
        _ => Err(AppError::Forbidden),
    }
}

/// The case if it is in `staff`'s own lane (never another business's, never one outside it).
async fn own_case(services: &Services, staff: &Staff, no: &CaseNo) -> Result<StoredCase, AppError> {
    let code = business_of(staff)?;
    let case = services.cases.get(no).await?.ok_or(AppError::NotFound)?;
    if case.odr_business.as_deref() != Some(code) {
        // The same answer as for a case that does not exist: nothing is learnt of others.
        return Err(AppError::NotFound);
    }
    Ok(case)
}

fn days_left(due: Option<time::Date>, today: time::Date) -> Option<i64> {
    due.map(|d| WorkCalendar::china().working_days_left(today, d))
}

/// The business's queue: its complaints still open in the lane, earliest deadline first.
pub async fn queue(services: &Services, staff: &Staff, now: time::OffsetDateTime) -> Result<OdrQueueView, AppError> {
    let code = business_of(staff)?;
    let entry = services.cases.business_get(code).await?.ok_or(AppError::Forbidden)?;
    let today = china_date(now);
    let mut lines = Vec::new();
    for state in [CaseState::WithBusiness, CaseState::BusinessOffered] {
        let filter = QueueFilter {
            scope: None,
            business: Some(code.to_owned()),
            query: QueueQuery { state: StateFilter::One(state), ..Default::default() },
            due_range: None,
        };
        let (rows, _) = services.cases.queue(&filter, 200).await?;
        lines.extend(rows.into_iter().map(|r| {
            let due = match r.urgency {
                Urgency::Due(d) => Some(d),
                _ => None,
            };
            OdrLine {
                case_no: r.case_no.to_string(),
                state: r.state.code().into(),
                category: r.category,
                received_on: format_date(r.received_on),
                due_on: due.map(format_date),
                days_left: days_left(due, today),
            }
        }));
    }
    lines.sort_by(|a, b| (&a.due_on, &a.case_no).cmp(&(&b.due_on, &b.case_no)));
    Ok(OdrQueueView { business: entry.name.as_str().to_owned(), credit_code: code.to_owned(), lines })
}

/// A complaint of the business's lane: the facts, the demand, the evidence and, while the
/// negotiation is open, the consumer's phone in full (every view recorded in the audit log).
pub async fn case_view(
    services: &Services,
    staff: &Staff,
    no: &CaseNo,
    now: time::OffsetDateTime,
) -> Result<OdrCaseView, AppError> {
    let case = own_case(services, staff, no).await?;
    let open = crate::domain::odr::with_business(case.state);
    let entry = AuditEntry {
        at: unix_ms(now),
        actor: Some(staff.username.to_string()),
        action: if open { "business_view_case" } else { "business_view_case_masked" }.into(),
        subject: Some(no.to_string()),
        client: None,
    };
    services.staff.audit(&entry).await?;
    let events = services.cases.events(no).await?;
    let steps = crate::service::step::steps_of(&events);
    let rules = case.rules()?;
    let countdown = case.countdown(&steps, rules, WorkCalendar::china()).filter(|_| open);
    let today = china_date(now);
    let c = &case.content;
    let (name, phone) = match &c.consumer {
        Some(p) if open => (crate::domain::party::mask_name(p.name.as_str()), p.phone.as_str().to_owned()),
        Some(p) => (crate::domain::party::mask_name(p.name.as_str()), p.phone.masked()),
        None => (String::new(), String::new()),
    };
    let evidence = services.cases.evidence_of(no).await?.len();
    Ok(OdrCaseView {
        case_no: no.to_string(),
        version: case.version,
        state: case.state.code().into(),
        received_on: format_date(case.received_on),
        due_on: countdown.as_ref().and_then(|c| c.due).map(format_date),
        days_left: days_left(countdown.as_ref().and_then(|c| c.due), today),
        rule_zh: countdown.as_ref().map(|c| format!("{}（{}）", c.rule.zh, c.rule.article)).unwrap_or_default(),
        rule_en: countdown.as_ref().map(|c| format!("{} ({})", c.rule.en, c.rule.article)).unwrap_or_default(),
        rule_verified: countdown.as_ref().is_some_and(|c| c.rule.verified),
        category: c.category.clone(),
        facts: c.facts.as_str().to_owned(),
        demand: c.demand.map(|d| d.code().to_owned()),
        demand_text: c.demand_text.as_ref().map(|d| d.as_str().to_owned()),
        amount_paid: c.amount_paid.map(|f| f.to_yuan_string()),
        order_no: c.order_no.as_ref().map(|o| o.as_str().to_owned()),
        incident_on: c.incident_on.map(format_date),
        consumer_name: name,
        consumer_phone: phone,
        can_answer: open,
        evidence,
        events: events
            .iter()
            .map(|e| OdrEvent { at: china_time(e.at), action: e.action.code().into(), detail: e.detail.clone() })
            .collect(),
    })
}

/// The business's answer (an offer, or its refusal to settle) on the version it saw.
pub async fn answer(
    services: &Services,
    staff: &Staff,
    no: &CaseNo,
    form: &ActionForm,
    now: time::OffsetDateTime,
) -> Result<StoredCase, AppError> {
    own_case(services, staff, no).await?;
    let (action, _, version) = form.parse().map_err(AppError::Invalid)?;
    if !matches!(action.name(), ActionName::OdrOffer | ActionName::OdrDecline) {
        return Err(AppError::Forbidden);
    }
    crate::service::step::act_by(services, staff, no, version, &action, None, now).await
}

/// The consumer's yes (settled by the business) or no (to the bureau) to the offer standing
/// now; a step taken meanwhile is read again, up to three times.
pub async fn decide(
    services: &Services,
    no: &CaseNo,
    accept: bool,
    reason: &str,
    now: time::OffsetDateTime,
) -> Result<StoredCase, AppError> {
    let action = if accept {
        Action::AcceptOffer
    } else {
        let reason = crate::domain::fields::optional(reason, crate::domain::fields::Note::parse)
            .map_err(|e| AppError::Invalid(vec![crate::domain::FieldError::new("reason", e)]))?;
        Action::RejectOffer { reason }
    };
    let actor = crate::service::filing::consumer();
    let mut tries = 0;
    loop {
        tries += 1;
        let case = services.cases.get(no).await?.ok_or(AppError::NotFound)?;
        match crate::service::step::act(services.cases.as_ref(), no, case.version, &actor, None, &action, None, now)
            .await
        {
            Err(AppError::Conflict) if tries < 3 => continue,
            other => return other,
        }
    }
}

/// After a settlement by the business that did not solve the problem (the consumer's verdict
/// with the rating says so), the consumer takes the complaint to the bureau; its acceptance
/// period runs from that day, as after a pass-on.
pub async fn to_bureau(services: &Services, no: &CaseNo, now: time::OffsetDateTime) -> Result<StoredCase, AppError> {
    let case = services.cases.get(no).await?.ok_or(AppError::NotFound)?;
    let events = services.cases.events(no).await?;
    let verdict = services.cases.rating(no).await?.map(|r| r.rating.outcome);
    let history = crate::service::step::steps_of(&events);
    if !crate::domain::odr::may_go_to_bureau(case.state, &history, verdict) {
        return Err(AppError::Workflow(crate::domain::workflow::Refusal::NotInThisState {
            kind: case.kind,
            state: case.state,
            action: crate::domain::workflow::ActionName::ToBureau,
        }));
    }
    let actor = crate::service::filing::consumer();
    crate::service::step::act(services.cases.as_ref(), no, case.version, &actor, None, &Action::ToBureau, None, now)
        .await
}

/// What one sweep of the ODR lane did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Complaints passed on to the bureau, their business's time having ended without agreement.
    pub passed: usize,
    /// Businesses reminded by e-mail that a complaint's time runs out.
    pub reminded: usize,
}

/// Passes on every complaint whose business's period ended before today without agreement, and
/// reminds the business of each complaint whose period ends within the rule set's reminder days.
/// Several servers may sweep at once: each step names the version it read, so a case passes
/// once and the others' tries are refused and skipped; a reminder is written once per case
/// (the outbox's `outbox_once` index).
pub async fn pass_on_due(services: &Services, now: time::OffsetDateTime) -> Result<Swept, AppError> {
    let today = china_date(now);
    let cal = crate::domain::calendar::WorkCalendar::china();
    // No reminder falls more than three weeks before its day, whatever the holidays.
    let horizon = format_date(today + time::Duration::days(21));
    let system = Actor { role: Role::System, bureau: None, business: None };
    let mut swept = Swept::default();
    for state in [CaseState::WithBusiness, CaseState::BusinessOffered] {
        let mut query = QueueQuery { state: StateFilter::One(state), ..Default::default() };
        loop {
            let filter = QueueFilter {
                scope: None,
                business: Some(String::new()),
                query: query.clone(),
                due_range: Some(("0000-01-01".into(), horizon.clone())),
            };
            let (rows, next) = services.cases.queue(&filter, 500).await?;
            for row in &rows {
                let Urgency::Due(due) = row.urgency else { continue };
                let Some(case) = services.cases.get(&row.case_no).await? else { continue };
                if crate::domain::odr::passes_on(case.state, due, today) {
                    let (no, version) = (&row.case_no, case.version);
                    let step = crate::service::step::act(
                        services.cases.as_ref(),
                        no,
                        version,
                        &system,
                        None,
                        &Action::PassOn,
                        None,
                        now,
                    );
                    match step.await {
                        Ok(_) => swept.passed += 1,
                        // Another server passed it, or a step was taken meanwhile: not ours to do.
                        Err(AppError::Conflict | AppError::Workflow(_)) => {}
                        Err(e) => return Err(e),
                    }
                    continue;
                }
                let before = case.rules()?.odr.as_ref().map_or(0, |o| o.reminder_working_days);
                if before > 0 && today >= crate::domain::odr::reminder_day(due, before, cal) {
                    let notice = crate::ports::NoticeForCreate {
                        kind: crate::domain::notify::NoticeKind::BusinessDue,
                        params: vec![("due".into(), format_date(due))],
                    };
                    let at = crate::domain::clock::unix_ms(now);
                    if services.cases.queue_once(&row.case_no, &notice, at).await? {
                        swept.reminded += 1;
                    }
                }
            }
            match next {
                Some(cursor) => query.after = Some(cursor),
                None => break,
            }
        }
    }
    Ok(swept)
}

/// The member of the lane a consumer names by its credit code, as the filing form explains it;
/// none if the business is not a member now, or the item is not a complaint.
pub async fn member_for_filing(
    services: &Services,
    credit_code: &str,
    kind: &str,
    now: time::OffsetDateTime,
) -> Result<Option<OdrMember>, AppError> {
    let Ok(code) = crate::domain::credit_code::CreditCode::parse(credit_code) else { return Ok(None) };
    let Some(kind) = crate::domain::kind::ItemKind::from_code(kind) else { return Ok(None) };
    let Some(entry) = services.cases.business_get(code.as_str()).await? else { return Ok(None) };
    let rules = crate::domain::rules::in_force_on(china_date(now));
    if !crate::domain::odr::eligible(kind, Some(entry.odr), rules) {
        return Ok(None);
    }
    let rule = rules.deadlines.get(&crate::domain::rules::DeadlineKind::OdrNegotiation);
    let source = rules.odr.as_ref().map(|o| o.source.clone()).unwrap_or_default();
    Ok(Some(OdrMember {
        name: entry.name.as_str().to_owned(),
        days: rule.map_or(0, |r| r.days),
        source,
        verified: rule.is_some_and(|r| r.verified),
    }))
}
