//! Receiving an item: online filing (with its idempotency key and derived query code), intake by
//! staff, and the receipt shown once.

use crate::domain::case::{CaseForCreate, CaseNo, QueryCode};
use crate::domain::clock::{china_date, unix_ms};
use crate::domain::region::{self, CENTRE};
use crate::domain::rules;
use crate::domain::workflow::{Actor, Role};
use crate::error::AppError;
use crate::ports::{CaseRecords, NewCase, StoredCase};
use crate::service::codes::{derived_query_code, hash_query_code, query_code_matches, Secret};
use crate::service::step::dims_of;
use time::OffsetDateTime;

/// An online filing's idempotency key and the secret its query code is derived from.
pub struct Filing<'a> {
    pub key: &'a str,
    pub secret: &'a Secret,
    /// The key the query code is derived from (the complaint's, for the report filed with it,
    /// so that one code follows both).
    pub code_from: &'a str,
    /// A hash of what is filed (empty: a replay is not compared).
    pub content: &'a str,
}

/// How long a filing's idempotency key is honoured: a replay within it gets the first receipt.
pub const KEY_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

/// A hash of an online form's content (its step and key left out): a replay carries the same.
pub fn content_hash(form: &crate::domain::filing::FilingForm) -> String {
    use sha2::Digest;
    let content = crate::domain::filing::FilingForm {
        step: String::new(),
        key: String::new(),
        draft: String::new(),
        ..form.clone()
    };
    let json = serde_json::to_vec(&content).unwrap_or_default();
    hex::encode(sha2::Sha256::digest(&json))
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
    store: &dyn CaseRecords,
    case: CaseForCreate,
    actor: &Actor,
    now: OffsetDateTime,
    filing: Option<Filing<'_>>,
) -> Result<(StoredCase, QueryCode), AppError> {
    receive_as(store, case, actor, None, now, filing).await
}

/// Receives a complaint straight into the ODR lane of the member `business` (the consumer's
/// consent taken elsewhere: a demonstration, a test).
pub async fn receive_in_lane(
    store: &dyn CaseRecords,
    case: CaseForCreate,
    business: &str,
    now: OffsetDateTime,
) -> Result<(StoredCase, QueryCode), AppError> {
    let (new, code) = prepare(case, &consumer(), None, now, None, crate::i18n::Lang::Zh, Some(business.to_owned()))?;
    Ok((store.create(new).await?, code))
}

/// How the consumer of `case` is told of its steps, in `lang`: by text message to a mobile
/// number (a fixed line takes none; an anonymous reporter gave no number), and by e-mail to the
/// address they gave, if any.
pub fn contacts_of(case: &CaseForCreate, lang: crate::i18n::Lang) -> Vec<crate::ports::NoticeContact> {
    use crate::domain::notify::NoticeChannel;
    let contact = |channel, recipient: &str| crate::ports::NoticeContact {
        channel,
        recipient: recipient.to_owned(),
        lang: lang.tag().to_owned(),
    };
    let sms =
        case.consumer.as_ref().filter(|c| c.phone.is_mobile()).map(|c| contact(NoticeChannel::Sms, c.phone.as_str()));
    let email = case.email.as_ref().map(|e| contact(NoticeChannel::Email, e.as_str()));
    sms.into_iter().chain(email).collect()
}

/// [`receive`], recording who registered the item (a staff member's user name).
pub async fn receive_as(
    store: &dyn CaseRecords,
    case: CaseForCreate,
    actor: &Actor,
    actor_id: Option<String>,
    now: OffsetDateTime,
    filing: Option<Filing<'_>>,
) -> Result<(StoredCase, QueryCode), AppError> {
    let (new, code) = prepare(case, actor, actor_id, now, filing, crate::i18n::Lang::Zh, None)?;
    let stored = store.create(new).await?;
    Ok((stored, code))
}

/// A new item as it will be stored (rule set, starting bureau, first place in the queue, the
/// hash of its query code, its statistics) and the code, which is shown once.
fn prepare(
    case: CaseForCreate,
    actor: &Actor,
    actor_id: Option<String>,
    now: OffsetDateTime,
    filing: Option<Filing<'_>>,
    lang: crate::i18n::Lang,
    odr_business: Option<String>,
) -> Result<(NewCase, QueryCode), AppError> {
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
    let first_state = crate::ports::first_state(odr_business.as_deref());
    let first_urgency = crate::domain::queue::urgency(
        case.kind,
        case.anonymous(),
        first_state,
        today,
        &[],
        rule_set,
        crate::domain::calendar::WorkCalendar::china(),
    );
    let stats = crate::domain::stats::on_receipt(&dims_of(&case), today);
    // The receipt carries the query code: the consumer asked for it, and it is erased from the
    // outbox once sent.
    let receipt = crate::ports::NoticeForCreate {
        kind: crate::domain::notify::NoticeKind::Receipt,
        params: vec![("code".into(), code.as_str().to_owned())],
    };
    let mut notices = vec![receipt];
    // A complaint of the ODR lane: its business is told by e-mail, with the day its time ends.
    if let (Some(_), crate::domain::queue::Urgency::Due(due)) = (&odr_business, &first_urgency) {
        notices.push(crate::ports::NoticeForCreate {
            kind: crate::domain::notify::NoticeKind::BusinessNew,
            params: vec![("due".into(), crate::domain::calendar::format_date(*due))],
        });
    }
    let new = NewCase {
        stats,
        contacts: contacts_of(&case, lang),
        notices,
        case,
        rule_set: rule_set.id.clone(),
        bureau,
        received_at: unix_ms(now),
        received_on: today,
        urgency: first_urgency,
        query_hash: hash_query_code(&code, rand::random()),
        idempotency_key: filing.as_ref().map(|f| f.key.to_owned()),
        content_hash: filing.as_ref().map(|f| f.content.to_owned()).unwrap_or_default(),
        odr_business,
        actor_role: actor.role,
        actor_id,
    };
    Ok((new, code))
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

/// The member of the ODR lane a complaint goes to first, if its business is one (by its credit
/// code) and the consumer said yes; the question must be answered when it is asked. A
/// business suspended or gone meanwhile takes nothing: the complaint goes to the bureau.
pub async fn odr_lane(
    store: &dyn crate::ports::BusinessStore,
    case: &CaseForCreate,
    answer: &str,
    today: time::Date,
) -> Result<Option<String>, AppError> {
    let code = case.business.as_ref().and_then(|b| b.credit_code.as_ref());
    let member = match code {
        Some(c) => store.business_get(c.as_str()).await?.map(|b| b.odr),
        None => None,
    };
    let eligible = crate::domain::odr::eligible(case.kind, member, rules::in_force_on(today));
    let yes = crate::domain::odr::choice(answer, eligible)
        .map_err(|e| AppError::Invalid(vec![crate::domain::FieldError::new("odr", e)]))?;
    Ok(code.filter(|_| yes).map(|c| c.as_str().to_owned()))
}

/// Files an online form from the client at `client`: checks every field and the hourly filing
/// budgets, receives the case under its idempotency key. Returns the case number and the
/// `Set-Cookie` value that carries the code to the receipt. While the database is unavailable
/// ([`AppError::Busy`], e.g. during a failover) it is tried again, for about 16 s: safe, since the
/// form's key (checked first) makes a filing that did commit before its answer was lost come
/// back as its receipt. (Each try spends the hourly budgets again, as a resent post does.)
pub async fn file_online(
    services: &crate::service::state::Services,
    form: &crate::domain::filing::FilingForm,
    client: &str,
    lang: crate::i18n::Lang,
    now: OffsetDateTime,
) -> Result<(String, String), AppError> {
    crate::service::retrying(|| file_online_once(services, form, client, lang, now)).await
}

async fn file_online_once(
    services: &crate::service::state::Services,
    form: &crate::domain::filing::FilingForm,
    client: &str,
    lang: crate::i18n::Lang,
    now: OffsetDateTime,
) -> Result<(String, String), AppError> {
    let today = china_date(now);
    let case = form.parse_all(today).map_err(AppError::Invalid)?;
    check_key(&form.key)?;
    let phone = case.consumer.as_ref().map(|c| c.phone.as_str().to_owned());
    crate::service::budget::spend_filing(
        services.cases.as_ref(),
        &services.budgets,
        &services.secret,
        client,
        phone.as_deref(),
        now,
    )
    .await?;
    let report = form.linked_report(today).map_err(AppError::Invalid)?;
    let evidence = crate::domain::evidence::parse_ids(&form.evidence)
        .map_err(|e| AppError::Invalid(vec![crate::domain::FieldError::new("evidence", e)]))?;
    let content = content_hash(form);
    let filing = Filing { key: &form.key, secret: &services.secret, code_from: &form.key, content: &content };
    let odr = odr_lane(services.cases.as_ref(), &case, &form.odr, today).await?;
    let (new, code) = prepare(case, &consumer(), None, now, Some(filing), lang, odr)?;
    // The violation is reported as an item of its own (Art. 7), under the same query code.
    let report = match report {
        Some(r) => {
            let key = format!("{}-report", form.key);
            let filing = Filing { key: &key, secret: &services.secret, code_from: &form.key, content: &content };
            // Its consumer is told of its steps, but the complaint's receipt names both.
            let mut report = prepare(r, &consumer(), None, now, Some(filing), lang, None)?.0;
            report.notices.clear();
            Some(report)
        }
        None => None,
    };
    // One transaction: the case, every file it names and the report, or nothing.
    let (stored, _) = services.cases.create_filing(new, &evidence, report).await?;
    let cookie = format!(
        "{RECEIPT_COOKIE}={}:{}; Path=/file/done; Max-Age=900; HttpOnly; SameSite=Strict",
        stored.case_no,
        code.as_str()
    );
    Ok((stored.case_no.to_string(), cookie))
}

/// The receipt of `case_no` if `cookie_header` carries that case's query code.
pub async fn read_receipt(
    services: &crate::service::state::Services,
    case_no: &str,
    cookie_header: &str,
) -> Result<Option<crate::views::receipt::Receipt>, AppError> {
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
    let rules = case.rules()?;
    let due = rules.due(DeadlineKind::AcceptanceDecision, case.received_on, WorkCalendar::china());
    let bureau = region::bureau(&case.bureau).ok_or_else(|| AppError::internal("bureau", &case.bureau))?;
    let track = format!("/track?case_no={}", no);
    let qr_svg = qrcode::QrCode::new(track.as_bytes())
        .map(|q| q.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build())
        .map_err(|e| AppError::internal("qr code", e))?;
    Ok(Some(crate::views::receipt::Receipt {
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
        due_assumed: due.is_some_and(|d| !d.provisional_years.is_empty()),
        linked_case_no: case.linked_case_no.map(|n| n.to_string()),
        qr_svg,
    }))
}

/// The actor of an online filing.
pub fn consumer() -> Actor {
    Actor { role: Role::Consumer, bureau: None, business: None }
}
