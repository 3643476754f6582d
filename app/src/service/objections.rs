//! Objections to disclosed complaints: a business files one from its account, or a handler of
//! the business's county on its behalf; a supervisor decides (hide, correct, keep). Every step
//! is in the audit log. A hidden item leaves the pages, the API and the feeds at once on every
//! server: they read the disclosed items from the primary (`service::disclosure`).

use crate::domain::clock::{china_date, china_time, unix_ms};
use crate::domain::disclosure::objection::{item_label, Decision, DecisionForm, ObjectionForm};
use crate::domain::staff::Staff;
use crate::domain::workflow::Role;
use crate::domain::{FieldError, Invalid};
use crate::error::AppError;
use crate::ports::{NewObjection, ObjectionRecord};
use crate::service::audit::audit;
use crate::service::state::Services;
use crate::views::disclosure::{ObjectionLine, ObjectionsView, OwnRecordView};

/// Objections listed on a page.
const LIST: i64 = 100;

fn no_such_item() -> AppError {
    AppError::Invalid(vec![FieldError::new("item", Invalid::Choice)])
}

/// Files an objection: a business to an item of its own record, a handler to an item of a
/// business of its bureau's counties, a supervisor to any. Returns the objection's id;
/// `Conflict` when the item has one awaiting a decision.
pub async fn file(
    services: &Services,
    staff: &Staff,
    form: &ObjectionForm,
    now: time::OffsetDateTime,
) -> Result<i64, AppError> {
    let via = match staff.role {
        Role::Business => "business",
        Role::Handler | Role::Supervisor => "bureau",
        _ => return Err(AppError::Forbidden),
    };
    let o = form.parse().map_err(AppError::Invalid)?;
    let (item, hidden) = services.cases.disclosed_item(o.item).await?.ok_or_else(no_such_item)?;
    let allowed = match staff.role {
        Role::Business => staff.business.is_some() && staff.business == item.item.credit_code,
        _ => crate::domain::business::may_keep(&staff.actor(), &item.item.county),
    };
    // Another business's item, or one already hidden, is no item this account can object to.
    if !allowed || hidden {
        return Err(no_such_item());
    }
    let new = NewObjection {
        item: o.item,
        business_key: item.item.business_key.clone(),
        via: via.into(),
        by_account: staff.username.to_string(),
        reason: o.reason,
        at: unix_ms(now),
    };
    let id = services.cases.objection_add(&new).await?.ok_or(AppError::Conflict)?;
    let subject = format!("{} objection {id}", item_label(o.item));
    audit(services, now, Some(staff.username.as_str()), "objection_file", Some(&subject), None).await?;
    Ok(id)
}

/// A supervisor's decision on an objection awaiting one; `Conflict` if it was decided already.
pub async fn decide(
    services: &Services,
    staff: &Staff,
    id: i64,
    form: &DecisionForm,
    now: time::OffsetDateTime,
) -> Result<Decision, AppError> {
    if staff.role != Role::Supervisor {
        return Err(AppError::Forbidden);
    }
    let mut decided = form.parse().map_err(AppError::Invalid)?;
    let objection = services.cases.objection_get(id).await?.ok_or(AppError::NotFound)?;
    if objection.decision.is_some() {
        return Err(AppError::Conflict);
    }
    // What the public will read goes through the redaction engine like the consumers' words.
    decided.correction =
        decided.correction.map(|c| crate::domain::redact::redact(&c, &crate::domain::redact::Known::default()));
    let on = crate::domain::calendar::format_date(china_date(now));
    if !services.cases.objection_decide(id, &decided, staff.username.as_str(), &on, unix_ms(now)).await? {
        return Err(AppError::Conflict);
    }
    let subject = format!("{} objection {id}", item_label(objection.new.item));
    let action = format!("objection_{}", decided.decision.code());
    audit(services, now, Some(staff.username.as_str()), &action, Some(&subject), None).await?;
    Ok(decided.decision)
}

async fn line(services: &Services, o: ObjectionRecord) -> Result<ObjectionLine, AppError> {
    let found = services.cases.disclosed_item(o.new.item).await?;
    Ok(ObjectionLine {
        id: o.id,
        item: o.new.item,
        hidden: found.as_ref().is_some_and(|(_, h)| *h),
        disclosed: found.map(|(i, _)| i.item),
        via: o.new.via,
        by: o.new.by_account,
        reason: o.new.reason,
        filed: china_time(o.new.at),
        decision: o.decision.map(|d| d.code().to_owned()),
        note: o.note,
        decided: o.decided_at.map(china_time),
    })
}

/// `/staff/objections`: the objections awaiting a decision (handlers: of their bureau's
/// counties), for handlers and supervisors.
pub async fn view(services: &Services, staff: &Staff) -> Result<ObjectionsView, AppError> {
    if !matches!(staff.role, Role::Handler | Role::Supervisor) {
        return Err(AppError::Forbidden);
    }
    let mut lines = Vec::new();
    for o in services.cases.objections(None, LIST).await? {
        let l = line(services, o).await?;
        let county = l.disclosed.as_ref().map(|d| d.county.clone()).unwrap_or_default();
        if crate::domain::business::may_keep(&staff.actor(), &county) {
            lines.push(l);
        }
    }
    Ok(ObjectionsView { lines, can_decide: staff.role == Role::Supervisor })
}

/// `/staff/business/record`: the signed-in business's disclosed complaints (newest first, the
/// latest 100) and its objections with their decisions.
pub async fn own_record(services: &Services, staff: &Staff) -> Result<OwnRecordView, AppError> {
    let code = match (staff.role, &staff.business) {
        (Role::Business, Some(code)) => code.clone(),
        _ => return Err(AppError::Forbidden),
    };
    let entry = services.cases.business_get(&code).await?;
    let filter = crate::ports::DisclosedFilter { business_key: Some(code.clone()), ..Default::default() };
    let items = services.cases.disclosed(&filter, None, LIST).await?;
    let mut objections = Vec::new();
    for o in services.cases.objections(Some(&code), LIST).await? {
        objections.push(line(services, o).await?);
    }
    Ok(OwnRecordView {
        business: entry.map(|e| e.name.as_str().to_owned()).unwrap_or_default(),
        credit_code: code,
        items: items.into_iter().map(|i| (i.id, i.item, i.corrected_on)).collect(),
        objections,
    })
}
