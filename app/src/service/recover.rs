//! Back in with the phone (`/track/recover`): a one-time code by text message to the mobile
//! number on a case, checked, then the list of that number's cases, one of which the consumer
//! opens with the tracking cookie.
//!
//! Guarded against text-message pumping: per number, per client address and global hourly
//! budgets (the shared `budgets` table), a code only to a mobile number that has a case, and the
//! same answer whether or not it has one. The code is kept only as a keyed hash and erased from
//! the outbox once sent; it holds 10 minutes and 5 tries.

use crate::domain::case::CaseNo;
use crate::domain::clock::unix_ms;
use crate::domain::notify::{NoticeChannel, NoticeKind};
use crate::domain::recover::{CodeForm, PhoneCode, RecoverForm, CASES_VALID_SECONDS, CODE_TRIES, CODE_VALID_MS};
use crate::domain::{FieldError, Invalid};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::service::codes::{cookie_values, keyed_hex, sign_for, verify_signed};
use crate::service::state::Services;
use crate::views::track::RecoveredCase;
use time::OffsetDateTime;

/// The cookie that holds, signed, the case numbers a proven phone may open, for a few minutes.
pub const RECOVER_COOKIE: &str = "recover";

fn code_key(services: &Services, phone: &str) -> String {
    keyed_hex(&services.secret, b"phone-code:", phone)
}

fn code_hash(services: &Services, phone: &str, code: &PhoneCode) -> String {
    keyed_hex(&services.secret, b"phone-code-value:", &format!("{phone}:{}", code.as_str()))
}

/// Asks for a code to the number of `form`. Ok means only that the request was taken: a code is
/// sent (through the outbox, at once) only when the number has a case, and the answer is the
/// same either way. A fixed line, a malformed number or a spent budget is a field error.
pub async fn send_code(
    services: &Services,
    form: &RecoverForm,
    client: &str,
    lang: Lang,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let phone = form.parse().map_err(AppError::Invalid)?;
    let phone = phone.as_str();
    crate::service::budget::spend_code(
        services.cases.as_ref(),
        &services.budgets,
        &services.secret,
        client,
        phone,
        now,
    )
    .await?;
    let code = PhoneCode::from_random(rand::random());
    let now_ms = unix_ms(now);
    let key = code_key(services, phone);
    if services.cases.cases_by_phone(phone).await?.is_empty() {
        // A number with no case is sent nothing, but keeps a code no one can type (a random hash),
        // so that its answer costs the same write of a code as a known number's.
        let never = hex::encode(rand::random::<[u8; 16]>());
        services.cases.put_phone_code(&key, &never, now_ms + CODE_VALID_MS).await?;
        return Ok(());
    }
    services.cases.put_phone_code(&key, &code_hash(services, phone, &code), now_ms + CODE_VALID_MS).await?;
    let params = [("code".to_owned(), code.as_str().to_owned())];
    services.cases.queue_loose(NoticeKind::Code, NoticeChannel::Sms, phone, lang.tag(), &params, now_ms).await
}

/// Checks a code: the number's cases (newest first) when it is right, else a field error on the
/// code (one answer for a wrong, expired, used or exhausted code, or a number sent none). Each
/// try is spent before the code is compared, so parallel tries get 5 in all.
pub async fn check_code(services: &Services, form: &CodeForm, now: OffsetDateTime) -> Result<Vec<CaseNo>, AppError> {
    use subtle::ConstantTimeEq;
    let (phone, code) = form.parse().map_err(AppError::Invalid)?;
    let key = code_key(services, phone.as_str());
    let wrong = || AppError::Invalid(vec![FieldError::new("code", Invalid::PhoneCodeWrong)]);
    let Some(stored) = services.cases.try_phone_code(&key, unix_ms(now), CODE_TRIES).await? else {
        return Err(wrong());
    };
    let typed = code_hash(services, phone.as_str(), &code);
    if !bool::from(typed.as_bytes().ct_eq(stored.as_bytes())) {
        return Err(wrong());
    }
    services.cases.delete_phone_code(&key).await?;
    let cases: Vec<CaseNo> =
        services.cases.cases_by_phone(phone.as_str()).await?.into_iter().map(|(no, _)| no).collect();
    if cases.is_empty() {
        return Err(wrong());
    }
    Ok(cases)
}

/// The cookie's value for `cases`: their numbers, signed for [`CASES_VALID_SECONDS`].
pub fn sign_cases(services: &Services, cases: &[CaseNo], now: OffsetDateTime) -> String {
    let list: Vec<&str> = cases.iter().map(CaseNo::as_str).collect();
    sign_for(&services.secret, "recover", &list.join("~"), now.unix_timestamp(), CASES_VALID_SECONDS)
}

/// The `Set-Cookie` header of the list (only the tracking pages read it).
pub fn cookie_header(value: &str, secure: bool) -> String {
    crate::service::codes::set_cookie(RECOVER_COOKIE, value, "/track", CASES_VALID_SECONDS, secure)
}

/// The case numbers a valid list cookie in the `Cookie` header names (none if it has expired or
/// was not signed here).
pub fn proven_cases(services: &Services, cookie_header: &str, now: OffsetDateTime) -> Vec<CaseNo> {
    cookie_values(cookie_header, RECOVER_COOKIE)
        .filter_map(|v| verify_signed(&services.secret, "recover", v, now.unix_timestamp()))
        .next()
        .map(|list| list.split('~').filter_map(|no| CaseNo::parse(no).ok()).collect())
        .unwrap_or_default()
}

/// What the list shows of each proven case, newest first: nothing personal (the number, the
/// kind, the state, the day of receipt and the business).
pub async fn cases_view(
    services: &Services,
    cookie_header: &str,
    now: OffsetDateTime,
) -> Result<Vec<RecoveredCase>, AppError> {
    let mut out = Vec::new();
    for no in proven_cases(services, cookie_header, now) {
        if let Some(c) = services.cases.get(&no).await? {
            out.push(RecoveredCase {
                case_no: c.case_no.to_string(),
                kind: c.kind.code().into(),
                state: c.state.code().into(),
                received_on: crate::domain::calendar::format_date(c.received_on),
                business: c.content.business.as_ref().map(|b| b.name.as_str().to_owned()).unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

/// The case `case_no`, if the list cookie names it: the consumer proved its phone.
pub fn chosen(services: &Services, cookie_header: &str, case_no: &str, now: OffsetDateTime) -> Option<CaseNo> {
    let wanted = CaseNo::parse(case_no).ok()?;
    proven_cases(services, cookie_header, now).into_iter().find(|no| *no == wanted)
}
