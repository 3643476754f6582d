//! The staff console's case page and workflow steps: who may see a case, what they may do to it
//! now, and taking a step on the version they saw (a stale version is refused, nothing lost).

use crate::domain::actions::{ActionForm, STAFF_ACTIONS};
use crate::domain::calendar::{format_date, WorkCalendar};
use crate::domain::case::CaseNo;
use crate::domain::clock::china_time;
use crate::domain::clock::{china_date, unix_ms};
use crate::domain::region::{self, CENTRE};
use crate::domain::rules;
use crate::domain::staff::Staff;
use crate::domain::workflow::{extendable, roles_for, target, ActionName, Role, Step};
use crate::error::AppError;
use crate::ports::{AuditEntry, StoredCase};
use crate::service::state::Services;
use crate::views::staff::{GroundChoice, SimilarLine, StaffCaseView, StaffEvent};

/// Whether `staff` may see and work on `case`: a handler those of their bureau, an intake
/// operator those at the centre, a supervisor every case; an admin none.
pub fn may_see(staff: &Staff, case: &StoredCase) -> bool {
    match staff.role {
        Role::Handler => staff.bureau.as_deref() == Some(case.bureau.as_str()),
        Role::IntakeOperator => case.bureau == CENTRE,
        Role::Supervisor => true,
        _ => false,
    }
}

/// The staff actions the workflow allows `staff` on `case` (with its `steps` so far) now.
pub fn actions_now(staff: &Staff, case: &StoredCase, steps: &[Step], rules: &rules::RuleSet) -> Vec<ActionName> {
    STAFF_ACTIONS
        .iter()
        .copied()
        .filter(|a| roles_for(*a).contains(&staff.role) && target(case.kind, case.state, *a).is_some())
        .filter(|a| match a {
            ActionName::PauseClock => !case.clock_paused,
            ActionName::ResumeClock => case.clock_paused,
            ActionName::Extend => extendable(case.kind, case.state, steps, rules),
            _ => true,
        })
        .collect()
}

async fn visible_case(services: &Services, staff: &Staff, no: &CaseNo) -> Result<StoredCase, AppError> {
    let case = services.cases.get(no).await?.ok_or(AppError::NotFound)?;
    if !may_see(staff, &case) {
        return Err(AppError::Forbidden);
    }
    Ok(case)
}

fn grounds(list: &[rules::Ground]) -> Vec<GroundChoice> {
    list.iter()
        .map(|g| GroundChoice { no: g.no, article: g.article.clone(), zh: g.zh.clone(), en: g.en.clone() })
        .collect()
}

pub async fn case_view(
    services: &Services,
    staff: &Staff,
    no: &CaseNo,
    now: time::OffsetDateTime,
) -> Result<StaffCaseView, AppError> {
    let case = visible_case(services, staff, no).await?;
    // Personal data is about to be shown in full: the view is recorded.
    services
        .staff
        .audit(&AuditEntry {
            at: unix_ms(now),
            actor: Some(staff.username.to_string()),
            action: "view_case".into(),
            subject: Some(no.to_string()),
            client: None,
        })
        .await?;
    let events = services.cases.events(no).await?;
    let rules = case.rules()?;
    let cal = WorkCalendar::china();
    let steps = crate::service::step::steps_of(&events);
    let countdown = case.countdown(&steps, rules, cal);
    let deadline = countdown.map(|c| {
        let explain = c.explain();
        let (mark_zh, mark_en) =
            if c.rule.verified { ("", "") } else { ("（条号待核实）", " (article number to be confirmed)") };
        let (prov_zh, prov_en) = if c.provisional_years.is_empty() {
            ("", "")
        } else {
            ("（暂定：当年节假日安排尚未公布）", " (provisional: the year's holidays are not published yet)")
        };
        let date = c.due.map(format_date).unwrap_or_else(|| "—".into());
        (
            format!("{date}{prov_zh} · {} · {} · {}{mark_zh}", c.rule.zh, explain.zh, c.rule.article),
            format!("{date}{prov_en} · {} · {} · {}{mark_en}", c.rule.en, explain.en, c.rule.article),
        )
    });
    let bureau = region::bureau(&case.bureau).ok_or_else(|| AppError::internal("bureau", &case.bureau))?;
    let c = &case.content;
    // The same person's other items about the same business (an anonymous report has none).
    let phone = c.consumer.as_ref().map_or("", |p| p.phone.as_str());
    let similar = match &c.business {
        Some(b) => services
            .cases
            .similar(no, phone, b.name.as_str(), b.credit_code.as_ref().map(|x| x.as_str()))
            .await?
            .into_iter()
            .filter(|s| Some(&s.case_no) != case.linked_case_no.as_ref())
            .map(|s| SimilarLine {
                case_no: s.case_no.to_string(),
                kind: s.kind.code().into(),
                state: s.state.code().into(),
                received_on: format_date(s.received_on),
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(StaffCaseView {
        case_no: no.to_string(),
        version: case.version,
        kind: case.kind.code().into(),
        channel: case.channel.code().into(),
        state: case.state.code().into(),
        bureau: case.bureau.clone(),
        bureau_zh: bureau.zh,
        bureau_en: bureau.en,
        clock_paused: case.clock_paused,
        received_on: format_date(case.received_on),
        category: c.category.clone(),
        limitation_ground: c
            .incident_on
            .filter(|_| case.kind == crate::domain::kind::ItemKind::Complaint)
            .filter(|d| crate::domain::case::beyond_limitation(*d, case.received_on, rules))
            .and_then(|_| rules.refusal_ground(rules.scope_checks.within_limitation))
            .map(|g| (g.no, g.article.clone())),
        consumer: c
            .consumer
            .as_ref()
            .map(|p| (p.name.as_str().to_owned(), p.phone.as_str().to_owned(), p.address.as_str().to_owned())),
        representation: c.representation.as_ref().map(|r| r.in_full()),
        business: c.business.as_ref().map(|b| b.name.as_str().to_owned()),
        business_address: c.business.as_ref().map(|b| b.address.as_str().to_owned()),
        facts: c.facts.as_str().to_owned(),
        demand_kind: c.demand.map(|d| d.code().to_owned()),
        demand: c.demand_text.as_ref().map(|d| d.as_str().to_owned()),
        amount_paid_yuan: c.amount_paid.map(|f| f.to_yuan_string()),
        order_no: c.order_no.as_ref().map(|o| o.as_str().to_owned()),
        linked_case_no: case.linked_case_no.as_ref().map(|n| n.to_string()),
        deadline_zh: deadline.as_ref().map(|d| d.0.clone()),
        deadline_en: deadline.map(|d| d.1),
        events: events
            .iter()
            .map(|e| StaffEvent {
                at: china_time(e.at),
                action: e.action.code().into(),
                to_state: e.to_state.code().into(),
                actor_role: e.actor_role.code().into(),
                actor_id: e.actor_id.clone(),
                ground: e
                    .ground
                    .and_then(|g| match e.action {
                        ActionName::Refuse => rules.refusal_ground(g),
                        ActionName::TerminateMediation | ActionName::Withdraw => rules.termination_ground(g),
                        _ => None,
                    })
                    .map(|g| format!("{}{}：{}", g.article, if g.verified { "" } else { "（条号待核实）" }, g.zh)),
                detail: e.detail.clone(),
                note: e.note.clone(),
            })
            .collect(),
        evidence: services
            .cases
            .evidence_of(no)
            .await?
            .into_iter()
            .map(|e| (e.id, e.kind.code().to_owned(), e.size, china_time(e.uploaded_at)))
            .collect(),
        actions: actions_now(staff, &case, &steps, rules).into_iter().map(|a| a.code().to_owned()).collect(),
        told: crate::service::notify::told(services, no).await?,
        on_screen: match staff.role {
            Role::Supervisor | Role::Admin => {
                Some(crate::service::screen::followed(services.cases.as_ref()).await?.as_ref() == Some(no))
            }
            _ => None,
        },
        refusal_grounds: grounds(&rules.refusal_grounds),
        termination_grounds: grounds(&rules.termination_grounds),
        jurisdiction_zh: format!(
            "{}{}{}：{}",
            rules.short.zh,
            rules.jurisdiction.article,
            if rules.jurisdiction.verified { "" } else { "（条号待核实）" },
            rules.jurisdiction.zh
        ),
        jurisdiction_en: format!(
            "{} {}{}: {}",
            rules.short.en,
            rules.jurisdiction.article,
            if rules.jurisdiction.verified { "" } else { " (article number to be confirmed)" },
            rules.jurisdiction.en
        ),
        bureaus: super::queue::bureau_choices(),
        reason_required: staff.role == Role::Supervisor,
        similar,
    })
}

/// Takes the step of `form` on the case, as `staff`, if the case is still at the form's version.
pub async fn act(
    services: &Services,
    staff: &Staff,
    no: &CaseNo,
    form: &ActionForm,
    now: time::OffsetDateTime,
) -> Result<StoredCase, AppError> {
    // Who may act comes first: someone outside the case's remit learns nothing from the form.
    visible_case(services, staff, no).await?;
    let (action, note, version) = form.parse_for(staff.role).map_err(AppError::Invalid)?;
    crate::service::step::act_by(services, staff, no, version, &action, note, now).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::staff::Username;

    fn staff(role: Role, bureau: Option<&str>) -> Staff {
        Staff::new(Username::parse("someone").unwrap(), role, bureau.map(str::to_owned)).unwrap()
    }

    #[test]
    fn an_admin_sees_no_case_and_a_handler_only_their_bureaus() {
        assert!(!may_see(&staff(Role::Admin, None), &sample("630102")));
        assert!(may_see(&staff(Role::Handler, Some("630102")), &sample("630102")));
        assert!(!may_see(&staff(Role::Handler, Some("630103")), &sample("630102")));
        assert!(may_see(&staff(Role::IntakeOperator, None), &sample(CENTRE)));
        assert!(!may_see(&staff(Role::IntakeOperator, None), &sample("630102")));
        assert!(may_see(&staff(Role::Supervisor, None), &sample("632801")));
    }

    fn sample(bureau: &str) -> StoredCase {
        use crate::domain::case::{CaseForCreate, CaseInput};
        let today = time::macros::date!(2026 - 11 - 20);
        let input = CaseInput {
            kind: "consultation".into(),
            channel: "phone".into(),
            category: "G05".into(),
            consumer_name: "张三".into(),
            consumer_phone: "13812341234".into(),
            consumer_address: "西宁市城西区胜利路8号".into(),
            facts: "请问洗衣机坏了能否退货？".into(),
            ..Default::default()
        };
        let content = CaseForCreate::parse(&input, today).unwrap();
        StoredCase {
            case_no: CaseNo::new(2026, 1),
            kind: content.kind,
            channel: content.channel,
            state: crate::domain::workflow::CaseState::Received,
            rule_set: "samr-order-121".into(),
            bureau: bureau.into(),
            clock_paused: false,
            received_at: 0,
            received_on: today,
            amount_recovered: None,
            linked_case_no: None,
            odr_business: None,
            odr_offer: None,
            version: 1,
            content,
        }
    }
}

/// Registers an item taken by phone, letter, voice message or at the counter, with the same
/// checks as the online form. The form's key makes a repeated submission return the first item
/// (and the same query code, which the operator tells the consumer).
pub async fn intake(
    services: &Services,
    staff: &Staff,
    channel: &str,
    form: &crate::domain::filing::FilingForm,
    now: time::OffsetDateTime,
) -> Result<(StoredCase, crate::domain::case::QueryCode), AppError> {
    if !matches!(staff.role, Role::IntakeOperator | Role::Supervisor) {
        return Err(AppError::Forbidden);
    }
    let today = china_date(now);
    let case = form.parse_intake(channel, today).map_err(AppError::Invalid)?;
    crate::service::filing::check_key(&form.key)?;
    let key = format!("intake-{}", form.key);
    let filing = crate::service::filing::Filing { key: &key, secret: &services.secret, code_from: &key, content: "" };
    crate::service::filing::receive_as(
        services.cases.as_ref(),
        case,
        &staff.actor(),
        Some(staff.username.to_string()),
        now,
        Some(filing),
    )
    .await
}

/// An evidence file's bytes and type, for staff who may see its case; the viewing is audited.
pub async fn evidence_file(
    services: &Services,
    staff: &Staff,
    id: &str,
    now: time::OffsetDateTime,
) -> Result<(crate::domain::evidence::EvidenceKind, Vec<u8>), AppError> {
    let (Some(no), record) = services.cases.evidence_get(id).await?.ok_or(AppError::NotFound)? else {
        return Err(AppError::NotFound);
    };
    visible_case(services, staff, &no).await?;
    let bytes = services.blobs.get(id).await?.ok_or(AppError::NotFound)?;
    services
        .staff
        .audit(&AuditEntry {
            at: unix_ms(now),
            actor: Some(staff.username.to_string()),
            action: "view_evidence".into(),
            subject: Some(format!("{no} {id}")),
            client: None,
        })
        .await?;
    Ok((record.kind, bytes))
}
