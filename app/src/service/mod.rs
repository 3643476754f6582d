//! Application services: the steps that combine the domain with the storage port. Server
//! functions and the CLI call these; they hold no HTTP and no SQL.

use crate::domain::case::{CaseForCreate, CaseNo, QueryCode};
use crate::domain::region::{self, CENTRE};
use crate::domain::rules;
use crate::domain::workflow::{transition, Action, Actor, CaseSnapshot, Role};
use crate::error::AppError;
use crate::ports::{CaseStore, EventForCreate, NewCase, StoredCase};
use sha2::{Digest, Sha256};

pub mod console;
pub mod publish;
pub mod queue;
pub mod screen;
pub mod staff;
pub mod stats;
pub mod track;
use time::{Date, OffsetDateTime, UtcOffset};

/// China Standard Time: deadlines and case-number years follow the local date.
pub fn china_date(at: OffsetDateTime) -> Date {
    at.to_offset(UtcOffset::from_hms(8, 0, 0).expect("valid offset")).date()
}

/// A Unix time in milliseconds as China Standard Time.
pub fn china_time_of(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(ms / 1000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(UtcOffset::from_hms(8, 0, 0).expect("valid offset"))
}

/// The day in China of a Unix time in milliseconds.
pub fn day_of(ms: i64) -> Date {
    china_date(OffsetDateTime::from_unix_timestamp(ms / 1000).unwrap_or(OffsetDateTime::UNIX_EPOCH))
}

/// The steps of a case as (action, day in China), which deadlines count from.
pub fn steps_of(events: &[crate::ports::CaseEvent]) -> Vec<(crate::domain::workflow::ActionName, Date)> {
    events.iter().map(|e| (e.action, day_of(e.at))).collect()
}

/// What `case` will wait on once `outcome` of `action` is taken `now` (the work queue's order).
pub async fn urgency_after(
    store: &dyn CaseStore,
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
    crate::domain::stats::Dims::new(
        case.kind,
        case.channel,
        &case.category,
        case.business.as_ref().map(|b| b.county.as_str()),
    )
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
    use crate::domain::queue::urgency;
    let rules = rules::get(&case.rule_set).ok_or_else(|| AppError::internal("rule set", &case.rule_set))?;
    let cal = WorkCalendar::china();
    let today = china_date(now);
    let mut steps = steps_of(events);
    let before = urgency(case.kind, case.state, case.clock_paused, case.received_on, &steps, rules, cal);
    steps.push((action, today));
    let after = urgency(case.kind, outcome.to, outcome.clock_paused, case.received_on, &steps, rules, cal);
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

pub fn unix_ms(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

/// SHA-256 of `text`, in hex (session tokens are stored only so).
pub fn sha2_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Hashes a query code with a random salt: `sha256$<salt hex>$<hash hex>`.
pub fn hash_query_code(code: &QueryCode, salt: [u8; 16]) -> String {
    let digest = Sha256::new().chain_update(salt).chain_update(code.as_str().as_bytes()).finalize();
    format!("sha256${}${}", hex::encode(salt), hex::encode(digest))
}

/// Compares a typed code with a stored hash in constant time.
pub fn query_code_matches(code: &QueryCode, stored: &str) -> bool {
    use subtle::ConstantTimeEq;
    let mut parts = stored.split('$');
    let (Some("sha256"), Some(salt), Some(hash), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Ok(salt), Ok(hash)) = (hex::decode(salt), hex::decode(hash)) else {
        return false;
    };
    let digest = Sha256::new().chain_update(&salt).chain_update(code.as_str().as_bytes()).finalize();
    digest[..].ct_eq(&hash[..]).into()
}

/// The server's secret, from which the query code of an online filing is derived.
#[derive(Clone)]
pub struct Secret(pub [u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The query code of an online filing, derived from its idempotency key: a retry of the same
/// submission gets the same code back, although only the code's hash is stored.
pub fn derived_query_code(secret: &Secret, key: &str) -> QueryCode {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&secret.0).expect("any key length");
    mac.update(b"query-code:");
    mac.update(key.as_bytes());
    let out = mac.finalize().into_bytes();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&out[..8]);
    QueryCode::from_random(bytes)
}

/// An online filing's idempotency key and the secret its query code is derived from.
pub struct Filing<'a> {
    pub key: &'a str,
    pub secret: &'a Secret,
    /// The key the query code is derived from (the complaint's, for the report filed with it,
    /// so that one code follows both).
    pub code_from: &'a str,
}

/// An item about a known business goes to the bureau with jurisdiction; otherwise the centre.
pub fn starting_bureau(case: &CaseForCreate) -> String {
    case.business
        .as_ref()
        .and_then(|b| region::bureau_for_county(&b.county))
        .map(|b| b.code)
        .unwrap_or_else(|| CENTRE.to_owned())
}

/// Receives a new item: picks the rule set in force today and the starting bureau, makes a query
/// code, stores the case. Returns the stored case and the code, which is shown once. With a
/// `filing` key, a repeated call returns the first case and the same code.
pub async fn receive(
    store: &dyn CaseStore,
    case: CaseForCreate,
    actor: &Actor,
    now: OffsetDateTime,
    filing: Option<Filing<'_>>,
) -> Result<(StoredCase, QueryCode), AppError> {
    receive_as(store, case, actor, None, now, filing).await
}

/// [`receive`], recording who registered the item (a staff member's user name).
pub async fn receive_as(
    store: &dyn CaseStore,
    case: CaseForCreate,
    actor: &Actor,
    actor_id: Option<String>,
    now: OffsetDateTime,
    filing: Option<Filing<'_>>,
) -> Result<(StoredCase, QueryCode), AppError> {
    if !crate::domain::workflow::roles_for(crate::domain::workflow::ActionName::Receive).contains(&actor.role) {
        return Err(AppError::Forbidden);
    }
    let today = china_date(now);
    let rule_set = rules::in_force_on(today);
    let bureau = starting_bureau(&case);
    let code = match &filing {
        Some(f) => derived_query_code(f.secret, f.code_from),
        None => QueryCode::from_random(rand::random()),
    };
    let first_urgency = crate::domain::queue::urgency(
        case.kind,
        crate::domain::workflow::CaseState::Received,
        false,
        today,
        &[],
        rule_set,
        crate::domain::calendar::WorkCalendar::china(),
    );
    let stats = crate::domain::stats::on_receipt(&dims_of(&case), today);
    let new = NewCase {
        stats,
        case,
        rule_set: rule_set.id.clone(),
        bureau,
        received_at: unix_ms(now),
        received_on: today,
        urgency: first_urgency,
        query_hash: hash_query_code(&code, rand::random()),
        idempotency_key: filing.as_ref().map(|f| f.key.to_owned()),
        actor_role: actor.role,
        actor_id,
    };
    let stored = store.create(new).await?;
    Ok((stored, code))
}

/// Takes a workflow step on a case the caller read at `expected_version`.
pub async fn act(
    store: &dyn CaseStore,
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
    let rules = rules::get(&case.rule_set).ok_or_else(|| AppError::internal("rule set", &case.rule_set))?;
    let snapshot = CaseSnapshot {
        kind: case.kind,
        state: case.state,
        bureau: case.bureau.clone(),
        clock_paused: case.clock_paused,
    };
    let outcome = transition(&snapshot, actor, action, rules)?;
    let events = store.events(no).await?;
    let (urgency, stats) = step_effects(&case, &events, &outcome, action.name(), now)?;
    let event = EventForCreate {
        at: unix_ms(now),
        actor_role: actor.role,
        actor_id,
        action: action.name(),
        note,
        detail: action.public_detail(),
        stats,
    };
    store.apply(no, expected_version, case.state, &outcome, event, urgency).await
}

/// The cookie that carries a new case's query code to its receipt page (15 minutes, this site
/// only, invisible to scripts).
pub const RECEIPT_COOKIE: &str = "receipt";
pub const RECEIPT_COOKIE_CLEAR: &str = "receipt=; Path=/file/done; Max-Age=0; HttpOnly; SameSite=Strict";

/// An idempotency key as the browser sends it: 16–64 letters, digits or dashes.
pub fn check_key(key: &str) -> Result<(), AppError> {
    let ok = (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![crate::domain::FieldError::new("key", crate::domain::Invalid::Choice)]))
    }
}

/// Files an online form: checks every field, receives the case under its idempotency key.
/// Returns the case number and the `Set-Cookie` value that carries the code to the receipt.
pub async fn file_online(
    services: &crate::Services,
    form: &crate::domain::filing::FilingForm,
    now: OffsetDateTime,
) -> Result<(String, String), AppError> {
    let today = china_date(now);
    let case = form.parse_all(today, rules::in_force_on(today)).map_err(AppError::Invalid)?;
    check_key(&form.key)?;
    let report = form.linked_report(today, rules::in_force_on(today)).map_err(AppError::Invalid)?;
    let evidence = crate::domain::evidence::parse_ids(&form.evidence)
        .map_err(|e| AppError::Invalid(vec![crate::domain::FieldError::new("evidence", e)]))?;
    let filing = Filing { key: &form.key, secret: &services.secret, code_from: &form.key };
    let (stored, code) = receive(services.cases.as_ref(), case, &consumer(), now, Some(filing)).await?;
    services.cases.attach_evidence(&stored.case_no, &evidence).await?;
    if let Some(report) = report {
        // The violation is reported as an item of its own (Art. 7), under the same query code.
        let key = format!("{}-report", form.key);
        let filing = Filing { key: &key, secret: &services.secret, code_from: &form.key };
        let (linked, _) = receive(services.cases.as_ref(), report, &consumer(), now, Some(filing)).await?;
        services.cases.link(&stored.case_no, &linked.case_no).await?;
    }
    let cookie = format!(
        "{RECEIPT_COOKIE}={}:{}; Path=/file/done; Max-Age=900; HttpOnly; SameSite=Strict",
        stored.case_no,
        code.as_str()
    );
    Ok((stored.case_no.to_string(), cookie))
}

/// Takes one evidence upload: checks type (from the bytes) and size, removes location data from
/// photos, stores the bytes and records the file as pending until a filing attaches it.
pub async fn upload_evidence(
    services: &crate::Services,
    bytes: Vec<u8>,
    already: usize,
    now: OffsetDateTime,
) -> Result<crate::ports::EvidenceRecord, AppError> {
    use crate::domain::evidence::check_upload;
    let kind = check_upload(&bytes, already)
        .map_err(|e| AppError::Invalid(vec![crate::domain::FieldError::new("evidence", e)]))?;
    let bytes = crate::metadata::strip_location(kind, bytes);
    let id = hex::encode(rand::random::<[u8; 16]>());
    let record = crate::ports::EvidenceRecord {
        id: id.clone(),
        kind,
        size: bytes.len() as i64,
        sha256: hex::encode(Sha256::digest(&bytes)),
        uploaded_at: unix_ms(now),
    };
    services.blobs.put(&id, bytes).await?;
    services.cases.add_evidence(&record).await?;
    Ok(record)
}

/// How long an uploaded file may wait for a filing to attach it.
pub const PENDING_EVIDENCE_MS: i64 = 24 * 3600 * 1000;

/// Deletes evidence that was uploaded more than a day ago and never filed (an abandoned draft).
/// Returns how many files went.
pub async fn purge_abandoned_evidence(services: &crate::Services, now: OffsetDateTime) -> Result<usize, AppError> {
    let ids = services.cases.purge_pending_evidence(unix_ms(now) - PENDING_EVIDENCE_MS).await?;
    for id in &ids {
        services.blobs.delete(id).await?;
    }
    Ok(ids.len())
}

/// The receipt of `case_no` if `cookie_header` carries that case's query code.
pub async fn read_receipt(
    services: &crate::Services,
    case_no: &str,
    cookie_header: &str,
) -> Result<Option<crate::server_fns::filing::Receipt>, AppError> {
    use crate::domain::calendar::{format_date, WorkCalendar};
    use crate::domain::rules::DeadlineKind;
    let Ok(no) = CaseNo::parse(case_no) else { return Ok(None) };
    let Some(value) = cookie_header
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == RECEIPT_COOKIE)
        .map(|(_, v)| v)
    else {
        return Ok(None);
    };
    let Some((cookie_no, code)) = value.split_once(':') else { return Ok(None) };
    let (Ok(code), true) = (QueryCode::parse(code), cookie_no == no.as_str()) else { return Ok(None) };
    let Some(hash) = services.cases.query_hash(&no).await? else { return Ok(None) };
    if !query_code_matches(&code, &hash) {
        return Ok(None);
    }
    let case = services.cases.get(&no).await?.ok_or(AppError::NotFound)?;
    let rules = rules::get(&case.rule_set).ok_or_else(|| AppError::internal("rule set", &case.rule_set))?;
    let due = rules.due(DeadlineKind::AcceptanceDecision, case.received_on, WorkCalendar::china());
    let bureau = region::bureau(&case.bureau).ok_or_else(|| AppError::internal("bureau", &case.bureau))?;
    let track = format!("/track?case_no={}", no);
    let qr_svg = qrcode::QrCode::new(track.as_bytes())
        .map(|q| q.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build())
        .map_err(|e| AppError::internal("qr code", e))?;
    Ok(Some(crate::server_fns::filing::Receipt {
        case_no: no.to_string(),
        code: code.display(),
        kind: case.kind.code().into(),
        received_on: format_date(case.received_on),
        due_on: due.as_ref().map(|d| format_date(d.date)),
        due_days: due.as_ref().map(|d| d.rule.days).unwrap_or_default(),
        due_article: due.as_ref().map(|d| d.rule.article.clone()).unwrap_or_default(),
        rule_set_zh: rules.short.zh.clone(),
        rule_set_en: rules.short.en.clone(),
        bureau_zh: bureau.zh,
        bureau_en: bureau.en,
        due_assumed: due.is_some_and(|d| !d.weekends_only_years.is_empty()),
        linked_case_no: case.linked_case_no.map(|n| n.to_string()),
        qr_svg,
    }))
}

/// The actor of an online filing.
pub fn consumer() -> Actor {
    Actor { role: Role::Consumer, bureau: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_code_matches_only_its_own_hash() {
        let code = QueryCode::from_random([7; 8]);
        let other = QueryCode::from_random([8; 8]);
        let stored = hash_query_code(&code, [1; 16]);
        assert!(query_code_matches(&code, &stored));
        assert!(!query_code_matches(&other, &stored));
        assert!(!stored.contains(code.as_str()));
        // The same code under another salt hashes differently.
        assert_ne!(stored, hash_query_code(&code, [2; 16]));
        assert!(!query_code_matches(&code, "garbage"));
        assert!(!query_code_matches(&code, "sha256$zz$zz"));
    }

    #[test]
    fn derived_codes_depend_on_key_and_secret() {
        let s1 = Secret([1; 32]);
        let s2 = Secret([2; 32]);
        assert_eq!(derived_query_code(&s1, "k"), derived_query_code(&s1, "k"));
        assert_ne!(derived_query_code(&s1, "k"), derived_query_code(&s1, "k2"));
        assert_ne!(derived_query_code(&s1, "k"), derived_query_code(&s2, "k"));
        assert!(!format!("{s1:?}").contains('1'));
    }

    #[test]
    fn the_china_date_turns_at_sixteen_hundred_utc() {
        let before = time::macros::datetime!(2026-09-30 15:59 UTC);
        let after = time::macros::datetime!(2026-09-30 16:00 UTC);
        assert_eq!(china_date(before), time::macros::date!(2026 - 09 - 30));
        assert_eq!(china_date(after), time::macros::date!(2026 - 10 - 01));
    }
}
