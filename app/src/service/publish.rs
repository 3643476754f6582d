//! Typical cases: closed items whose consumer consented are redacted automatically, read and
//! approved (or rejected) by a supervisor, then shown on `/cases`; their words feed the keyword
//! cloud of `/stats`.

use crate::domain::case::CaseNo;
use crate::domain::kind::ItemKind;
use crate::domain::redact::{redact, Known};
use crate::domain::staff::Staff;
use crate::domain::workflow::{ActionName, CaseState, Role};
use crate::error::AppError;
use crate::ports::{AuditEntry, PublishedCase, PublishedFilter, StoredCase};
use crate::service::state::Services;
use std::sync::LazyLock;

use crate::views::publish::{CasesParams, Draft, ReviewForm};

/// What a case's parties gave, removed verbatim from its text.
pub fn known_of(case: &StoredCase) -> Known {
    let c = &case.content;
    let mut known = Known {
        names: c.consumer.iter().map(|p| p.name.as_str().to_owned()).collect(),
        phones: c.consumer.iter().map(|p| p.phone.as_str().to_owned()).collect(),
        addresses: c.consumer.iter().map(|p| p.address.as_str().to_owned()).collect(),
        numbers: c.order_no.iter().map(|o| o.as_str().to_owned()).collect(),
    };
    if let Some(b) = &c.business {
        known.addresses.push(b.address.as_str().to_owned());
    }
    known
}

/// The outcome in plain words, from the steps (never from a staff note).
pub fn result_text(case: &StoredCase, events: &[crate::ports::CaseEvent]) -> String {
    let did = |a: ActionName| events.iter().any(|e| e.action == a);
    match case.kind {
        ItemKind::Consultation => "已答复消费者咨询，告知相关权利和办理途径。".into(),
        ItemKind::Report => {
            if events.iter().any(|e| e.to_state == CaseState::CaseOpened) {
                "经核查，市场监管部门已依法立案调查。".into()
            } else {
                "经核查，决定不予立案，并告知举报人。".into()
            }
        }
        ItemKind::Complaint if did(ActionName::RecordSettlement) => match case.amount_recovered {
            Some(f) if f.0 > 0 => format!("经调解，双方达成协议，经营者退赔消费者{}元。", f.to_yuan_string()),
            _ => "经调解，双方达成协议。".into(),
        },
        ItemKind::Complaint if did(ActionName::TerminateMediation) => {
            "经组织调解，双方未能达成协议，已终止调解并告知消费者可通过其他途径解决。".into()
        }
        ItemKind::Complaint if did(ActionName::Refuse) => {
            "不符合受理条件，依法不予受理，并告知了理由和其他途径。".into()
        }
        ItemKind::Complaint => "已办结。".into(),
    }
}

/// The words of a text for the keyword cloud: jieba's segmentation, two characters or more,
/// Chinese only, without function words and the redaction marks.
pub fn words(text: &str) -> Vec<String> {
    static JIEBA: LazyLock<jieba_rs::Jieba> = LazyLock::new(jieba_rs::Jieba::new);
    const STOP: &[&str] = &[
        "合成",
        "演示",
        "数据",
        "消费者",
        "经营者",
        "商家",
        "要求",
        "没有",
        "已经",
        "但是",
        "因为",
        "所以",
        "我们",
        "他们",
        "自己",
        "这个",
        "那个",
        "什么",
        "可以",
        "进行",
        "使用",
        "一直",
        "之后",
        "以后",
        "时候",
        "表示",
        "反映",
        "相关",
        "姓名",
        "电话",
        "地址",
        "编号",
        "证件号",
        "联系方式",
        "购买",
        "后来",
        "现在",
        "一个",
        "还是",
        "不予",
    ];
    JIEBA
        .cut(text, true)
        .into_iter()
        .filter(|w| w.chars().count() >= 2 && w.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        .filter(|w| !STOP.contains(w))
        .map(str::to_owned)
        .collect()
}

async fn draft_of(
    store: &dyn crate::ports::CaseStore,
    no: &CaseNo,
) -> Result<Option<(StoredCase, PublishedCase)>, AppError> {
    let Some(case) = store.get(no).await? else { return Ok(None) };
    if case.state != CaseState::Closed || !case.content.consent_publish {
        return Ok(None);
    }
    let events = store.events(no).await?;
    let closed_on = events
        .iter()
        .rev()
        .find(|e| e.to_state == CaseState::Closed && e.from_state != Some(CaseState::Closed))
        .map(|e| crate::domain::clock::day_of(e.at))
        .unwrap_or(case.received_on);
    let dims = crate::service::step::dims_of(&case.content);
    let published = PublishedCase {
        case_no: no.clone(),
        kind: case.kind,
        category: case.content.category.clone(),
        prefecture: dims.prefecture,
        closed_on,
        facts: redact(case.content.facts.as_str(), &known_of(&case)),
        result: result_text(&case, &events),
    };
    Ok(Some((case, published)))
}

/// A typical case as a page shows it; with its number only for the reviewing supervisor.
fn draft_view(p: PublishedCase, with_number: bool) -> Draft {
    Draft {
        case_no: if with_number { p.case_no.as_str().to_owned() } else { String::new() },
        kind: p.kind.code().into(),
        category: p.category,
        prefecture: p.prefecture,
        closed_on: crate::domain::calendar::format_date(p.closed_on),
        facts: p.facts,
        result: p.result,
    }
}

fn supervisor_only(staff: &Staff) -> Result<(), AppError> {
    if matches!(staff.role, Role::Supervisor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The items waiting for a supervisor's review, as drafts.
pub async fn candidates(services: &Services, staff: &Staff, limit: i64) -> Result<Vec<Draft>, AppError> {
    supervisor_only(staff)?;
    let mut out = Vec::new();
    for no in services.cases.publish_candidates(limit).await? {
        if let Some((_, p)) = draft_of(services.cases.as_ref(), &no).await? {
            out.push(draft_view(p, true));
        }
    }
    Ok(out)
}

/// Approves (publishes) or rejects a draft. The facts as submitted are checked and redacted
/// again, so an edit cannot bring back what was removed.
pub async fn review(
    services: &Services,
    staff: &Staff,
    form: &ReviewForm,
    now: time::OffsetDateTime,
) -> Result<bool, AppError> {
    use crate::domain::{FieldError, Invalid};
    supervisor_only(staff)?;
    let approve = match form.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::Invalid(vec![FieldError::new("decision", Invalid::Choice)])),
    };
    let no = CaseNo::parse(&form.case_no).map_err(|_| AppError::NotFound)?;
    let facts = crate::domain::fields::Facts::parse(&form.facts)
        .map_err(|e| AppError::Invalid(vec![FieldError::new("facts", e)]))?;
    let Some((case, mut published)) = draft_of(services.cases.as_ref(), &no).await? else {
        return Err(AppError::NotFound);
    };
    published.facts = redact(facts.as_str(), &known_of(&case));
    let words = if approve { words(&published.facts) } else { Vec::new() };
    let at = crate::domain::clock::unix_ms(now);
    let stored = services.cases.review_published(&published, approve, staff.username.as_str(), at, &words).await?;
    if !stored {
        return Err(AppError::Conflict);
    }
    services
        .staff
        .audit(&AuditEntry {
            at,
            actor: Some(staff.username.to_string()),
            action: if approve { "publish_case".into() } else { "reject_publication".into() },
            subject: Some(no.to_string()),
            client: None,
        })
        .await?;
    Ok(approve)
}

/// The filter of the public list; unknown values are refused with the field named.
pub fn parse_params(p: &CasesParams) -> Result<PublishedFilter, AppError> {
    use crate::domain::{FieldError, Invalid};
    let mut errors = Vec::new();
    let category = (!p.category.is_empty()).then(|| p.category.clone());
    if category.as_deref().is_some_and(|c| crate::domain::category::get(c).is_none()) {
        errors.push(FieldError::new("category", Invalid::Choice));
    }
    let prefecture = (!p.prefecture.is_empty()).then(|| p.prefecture.clone());
    if prefecture
        .as_deref()
        .is_some_and(|c| crate::domain::region::prefecture(c).is_none() && c != crate::domain::stats::NO_PREFECTURE)
    {
        errors.push(FieldError::new("prefecture", Invalid::Choice));
    }
    let before = match p.before.split_once('~') {
        None if p.before.is_empty() => None,
        Some((d, no)) if crate::domain::calendar::parse_date(d).is_some() && CaseNo::parse(no).is_ok() => {
            Some((d.to_owned(), no.to_owned()))
        }
        _ => {
            errors.push(FieldError::new("before", Invalid::Choice));
            None
        }
    };
    if errors.is_empty() {
        Ok(PublishedFilter { category, prefecture, before })
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// How many typical cases a page shows.
pub const PAGE: i64 = 20;

/// A page of approved typical cases, and the `before` of the next page.
pub async fn list(services: &Services, params: &CasesParams) -> Result<(Vec<Draft>, Option<String>), AppError> {
    let filter = parse_params(params)?;
    let filter = &filter;
    let rows = services.read_lagging(|store| async move { store.published(filter, PAGE + 1).await }).await?;
    let next = (rows.len() as i64 > PAGE)
        .then(|| rows.get(PAGE as usize - 1))
        .flatten()
        .map(|r| format!("{}~{}", crate::domain::calendar::format_date(r.closed_on), r.case_no.as_str()));
    let drafts = rows
        .into_iter()
        .take(PAGE as usize)
        // The case number leads to nobody without the query code, but is kept off the public page.
        .map(|p| draft_view(p, false))
        .collect();
    Ok((drafts, next))
}

/// Publishes up to `limit` of the waiting drafts as they were redacted, recorded as reviewed by
/// `by` (the demonstration data set: its texts are synthetic). Returns how many.
pub async fn publish_waiting(
    store: &dyn crate::ports::CaseStore,
    by: &str,
    limit: i64,
    now: time::OffsetDateTime,
) -> Result<usize, AppError> {
    let mut n = 0;
    for no in store.publish_candidates(limit).await? {
        if let Some((_, p)) = draft_of(store, &no).await? {
            let words = words(&p.facts);
            n += store.review_published(&p, true, by, crate::domain::clock::unix_ms(now), &words).await? as usize;
        }
    }
    Ok(n)
}
