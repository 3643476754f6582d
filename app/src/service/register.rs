//! Keeping the register of businesses: entries added by the bureau of their county (or a
//! supervisor), a bureau's list imported at once, the decisions about a membership of the ODR
//! lane, and accounts for member businesses. Every change is recorded in the audit log.

use crate::domain::business::{may_keep, BusinessForm, MembershipChange, OdrStatus, PublicEntry};
use crate::domain::clock::{china_date, unix_ms};
use crate::domain::region::{self, CENTRE};
use crate::domain::staff::{Staff, Username};
use crate::domain::{FieldError, Invalid};
use crate::error::AppError;
use crate::ports::{AuditEntry, MembershipRecord};
use crate::service::state::Services;
use crate::views::odr::{RegisterLine, RegisterView};

async fn audit(
    services: &Services,
    staff: Option<&Staff>,
    action: &str,
    subject: &str,
    now: time::OffsetDateTime,
) -> Result<(), AppError> {
    let entry = AuditEntry {
        at: unix_ms(now),
        actor: staff.map(|s| s.username.to_string()),
        action: action.into(),
        subject: Some(subject.into()),
        client: None,
    };
    services.staff.audit(&entry).await
}

/// Only handlers and supervisors keep the register (each within its counties: `may_keep`).
fn keeper(staff: &Staff) -> Result<(), AppError> {
    match staff.role {
        crate::domain::workflow::Role::Handler | crate::domain::workflow::Role::Supervisor => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// The bureau a decision is recorded under: the handler's own, the centre for a supervisor.
fn deciding_bureau(staff: &Staff) -> String {
    staff.bureau.clone().unwrap_or_else(|| CENTRE.to_owned())
}

/// Adds or updates an entry from the bureau's form (joining the lane at once if asked).
pub async fn add(
    services: &Services,
    staff: &Staff,
    form: &BusinessForm,
    now: time::OffsetDateTime,
) -> Result<(), AppError> {
    keeper(staff)?;
    let (entry, join) = form.parse().map_err(AppError::Invalid)?;
    if !may_keep(&staff.actor(), &entry.county) {
        return Err(AppError::Forbidden);
    }
    let code = entry.credit_code.as_str().to_owned();
    let before = services.cases.business_get(&code).await?;
    if let Some(b) = &before {
        // Moving an entry to another county is for the bureaus of both: a supervisor.
        if !may_keep(&staff.actor(), &b.county) {
            return Err(AppError::Forbidden);
        }
    }
    services.cases.business_put(&entry, unix_ms(now)).await?;
    audit(services, Some(staff), "business_put", &code, now).await?;
    if join && before.is_none_or(|b| matches!(b.odr, OdrStatus::Outside | OdrStatus::Left)) {
        decide(services, staff, &code, MembershipChange::Join, now).await?;
    }
    Ok(())
}

/// A decision about a membership (join, suspend, reinstate, end), if the entry stands where
/// the change starts from; `Conflict` if another decision came first.
pub async fn decide(
    services: &Services,
    staff: &Staff,
    credit_code: &str,
    change: MembershipChange,
    now: time::OffsetDateTime,
) -> Result<(), AppError> {
    keeper(staff)?;
    let entry = services.cases.business_get(credit_code).await?.ok_or(AppError::NotFound)?;
    if !may_keep(&staff.actor(), &entry.county) {
        return Err(AppError::Forbidden);
    }
    let to =
        change.apply(entry.odr).ok_or_else(|| AppError::Invalid(vec![FieldError::new("change", Invalid::Choice)]))?;
    let record = MembershipRecord {
        change,
        status: to,
        on: crate::domain::calendar::format_date(china_date(now)),
        bureau: deciding_bureau(staff),
        actor: Some(staff.username.to_string()),
        at: unix_ms(now),
    };
    if !services.cases.business_decide(credit_code, entry.odr, &record).await? {
        return Err(AppError::Conflict);
    }
    audit(services, Some(staff), &format!("business_{}", change.code()), credit_code, now).await
}

/// A bureau's list (each line's number and its fields): every line checked first, the errors
/// of all the bad ones returned with their line numbers and nothing written; else all written
/// in one transaction, members entered in the lane under `bureau`. Returns (entries, joined).
pub async fn import(
    services: &Services,
    lines: &[(usize, BusinessForm)],
    bureau: &str,
    now: time::OffsetDateTime,
) -> Result<(u64, u64), Result<Vec<(usize, Vec<FieldError>)>, AppError>> {
    if region::bureau(bureau).is_none() {
        return Err(Ok(vec![(0, vec![FieldError::new("bureau", Invalid::Choice)])]));
    }
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    for (no, form) in lines {
        match form.parse() {
            Ok(e) => entries.push(e),
            Err(errs) => bad.push((*no, errs)),
        }
    }
    if !bad.is_empty() {
        return Err(Ok(bad));
    }
    let record = MembershipRecord {
        change: MembershipChange::Join,
        status: OdrStatus::Joined,
        on: crate::domain::calendar::format_date(china_date(now)),
        bureau: bureau.to_owned(),
        actor: None,
        at: unix_ms(now),
    };
    let done = services.cases.business_import(&entries, &record).await.map_err(Err)?;
    audit(services, None, "business_import", &format!("{bureau}: {} entries, {} joined", done.0, done.1), now)
        .await
        .map_err(Err)?;
    Ok(done)
}

/// Creates (or resets) the account of a registered business, with a new random password
/// returned once; `by` is the staff member who keeps the business's county, or none for the
/// server's shell.
pub async fn set_account(
    services: &Services,
    by: Option<&Staff>,
    username: &str,
    credit_code: &str,
    now: time::OffsetDateTime,
) -> Result<String, AppError> {
    let invalid = |field: &str, e| AppError::Invalid(vec![FieldError::new(field, e)]);
    let username = Username::parse(username).map_err(|e| invalid("username", e))?;
    let code = crate::domain::credit_code::CreditCode::parse(credit_code).map_err(|e| invalid("credit_code", e))?;
    let entry =
        services.cases.business_get(code.as_str()).await?.ok_or_else(|| invalid("credit_code", Invalid::Choice))?;
    if by.is_some_and(|s| !may_keep(&s.actor(), &entry.county)) {
        return Err(AppError::Forbidden);
    }
    let password = crate::service::staff::random_password();
    let password_hash = services.hashing.hash(password.clone()).await?;
    let staff = Staff::for_business(username, &code);
    let account = crate::ports::StaffAccount { staff: staff.clone(), password_hash, disabled: false };
    services.staff.staff_set(&account).await?;
    services.staff.sessions_end(staff.username.as_str()).await?;
    audit(services, by, "business_account_set", staff.username.as_str(), now).await?;
    Ok(password)
}

/// The register as a bureau's page lists it: entries matching `text` (name or credit code) in
/// the viewer's counties, with the decisions the viewer may take on each.
pub async fn view(services: &Services, staff: &Staff, text: &str) -> Result<RegisterView, AppError> {
    keeper(staff)?;
    let counties: Vec<_> = region::prefectures()
        .iter()
        .flat_map(|p| &p.counties)
        .filter(|c| may_keep(&staff.actor(), &c.code))
        .map(|c| (c.code.clone(), c.zh.clone(), c.en.clone()))
        .collect();
    let found = services.cases.business_search(text.trim(), None, 100).await?;
    let records: std::collections::HashMap<String, crate::domain::business::LaneRecord> =
        services.cases.business_lane_records().await?.into_iter().collect();
    let pct = crate::views::stats::pct;
    let lines = found
        .into_iter()
        .filter(|b| may_keep(&staff.actor(), &b.county))
        .map(|b| {
            let r = records.get(b.credit_code.as_str()).copied().unwrap_or_default();
            RegisterLine {
                complaints: r.complaints,
                in_time: pct(r.in_time_rate()),
                settlement: pct(r.settlement_rate()),
                solved: r.solved,
                credit_code: b.credit_code.as_str().to_owned(),
                name: b.name.as_str().to_owned(),
                county: b.county.clone(),
                odr: b.odr.code().into(),
                changes: MembershipChange::ALL
                    .iter()
                    .filter(|c| c.apply(b.odr).is_some())
                    .map(|c| c.code().to_owned())
                    .collect(),
                pledges: [
                    (b.pledges.advance_compensation, "advance_compensation"),
                    (b.pledges.returns_without_reason, "returns_without_reason"),
                    (b.pledges.service_station, "service_station"),
                ]
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, p)| p.to_owned())
                .collect(),
            }
        })
        .collect();
    Ok(RegisterView { lines, counties })
}

/// The entries a consumer naming a business is offered: names containing what was typed, in
/// the county chosen if one is, at most [`LOOKUP_LIMIT`] (the register is public; e-mails stay
/// out of it). None until [`worth_looking_up`].
///
/// [`LOOKUP_LIMIT`]: crate::domain::business::LOOKUP_LIMIT
/// [`worth_looking_up`]: crate::domain::business::worth_looking_up
pub async fn find_for_filing(
    services: &Services,
    name: &str,
    credit_code: &str,
    county: &str,
) -> Result<Vec<PublicEntry>, AppError> {
    if !crate::domain::business::worth_looking_up(name, credit_code) {
        return Ok(Vec::new());
    }
    let county = region::county(county).map(|c| c.code.as_str());
    let found = services.cases.business_search(name.trim(), county, crate::domain::business::LOOKUP_LIMIT).await?;
    Ok(found.iter().map(PublicEntry::from).collect())
}

/// The entry of `credit_code` as the filing form takes it when the consumer picks it.
pub async fn entry_for_filing(services: &Services, credit_code: &str) -> Result<Option<PublicEntry>, AppError> {
    let Ok(code) = crate::domain::credit_code::CreditCode::parse(credit_code) else { return Ok(None) };
    Ok(services.cases.business_get(code.as_str()).await?.as_ref().map(PublicEntry::from))
}
