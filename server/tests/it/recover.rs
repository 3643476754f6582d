//! Back in with the phone: a one-time code by text message to the number on a case, its budgets
//! against text-message pumping, the same answer for an unknown number, none to a fixed line
//! (both databases); and the whole journey through the router's plain forms.

use crate::common::{self, send_from, App};
use app::domain::case::CaseNo;
use app::domain::kind::ItemKind;
use app::domain::notify::{NoticeChannel, NoticeKind};
use app::domain::recover::{CodeForm, RecoverForm};
use app::domain::{FieldError, Invalid};
use app::i18n::Lang;
use app::ports::prelude::*;
use app::service::recover;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::sync::Arc;
use time::OffsetDateTime;

/// The mobile number of the sample complaint.
const PHONE: &str = "13812341234";

fn services(store: &Arc<dyn Store>) -> app::Services {
    common::app_state(store.clone(), false).services
}

/// The codes the outbox holds for `phone`, oldest first.
async fn codes_to(store: &dyn CaseStore, phone: &str) -> Vec<String> {
    let mut codes: Vec<(i64, String)> = store
        .notices(None, 100, 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.kind == NoticeKind::Code && n.recipient == phone)
        .map(|n| {
            assert_eq!((n.channel, n.case_no.clone()), (NoticeChannel::Sms, None));
            assert!(n.due_at <= n.created_at, "sent at once, whatever the hour");
            (n.id, n.param("code").unwrap_or_default().to_owned())
        })
        .collect();
    codes.sort();
    codes.into_iter().map(|(_, c)| c).collect()
}

fn ask(phone: &str) -> RecoverForm {
    RecoverForm { phone: phone.into() }
}

fn code(phone: &str, code: &str) -> CodeForm {
    CodeForm { phone: phone.into(), code: code.into() }
}

fn wrong() -> Vec<FieldError> {
    vec![FieldError::new("code", Invalid::PhoneCodeWrong)]
}

fn errors(r: Result<impl std::fmt::Debug, app::error::AppError>) -> Vec<FieldError> {
    match r {
        Err(app::error::AppError::Invalid(e)) => e,
        other => panic!("a field error, not {other:?}"),
    }
}

async fn a_right_code_gives_the_numbers_cases_newest_first_once(store: Arc<dyn Store>) {
    let services = services(&store);
    let now = OffsetDateTime::now_utc();
    let (first, _) = crate::track::receive(store.as_ref(), ItemKind::Complaint).await;
    let (second, _) = crate::track::receive(store.as_ref(), ItemKind::Consultation).await;
    recover::send_code(&services, &ask("138 1234 1234"), "10.1.0.1", Lang::En, now).await.unwrap();
    let codes = codes_to(store.as_ref(), PHONE).await;
    assert_eq!(codes.len(), 1);
    assert!(codes[0].len() == 6 && codes[0].bytes().all(|b| b.is_ascii_digit()), "{codes:?}");
    let n = &store.notices(None, 10, 0).await.unwrap()[0];
    assert_eq!(n.lang, "en", "in the reader's language");
    assert!(app::service::notify::text(n, "L").contains(&codes[0]));
    // The console never shows it.
    assert!(!app::service::notify::line(n).text.contains(&codes[0]));

    let cases = recover::check_code(&services, &code(PHONE, &codes[0]), now).await.unwrap();
    assert_eq!(cases, [second.clone(), first.clone()], "newest first");
    // Used: it holds no more.
    assert_eq!(errors(recover::check_code(&services, &code(PHONE, &codes[0]), now).await), wrong());

    // The list cookie opens exactly those cases, for ten minutes.
    let cookie = format!("{}={}", recover::RECOVER_COOKIE, recover::sign_cases(&services, &cases, now));
    assert_eq!(recover::chosen(&services, &cookie, first.as_str(), now), Some(first.clone()));
    assert_eq!(recover::chosen(&services, &cookie, "QH-2026-999999", now), None);
    let later = now + time::Duration::minutes(11);
    assert_eq!(recover::chosen(&services, &cookie, first.as_str(), later), None);
    let view = recover::cases_view(&services, &cookie, now).await.unwrap();
    assert_eq!(view.iter().map(|c| c.case_no.as_str()).collect::<Vec<_>>(), [second.as_str(), first.as_str()]);
    assert_eq!((view[1].kind.as_str(), view[1].state.as_str()), ("complaint", "received"));
    // A tampered list is no list.
    let tampered = cookie.replacen(first.as_str(), "QH-2026-999998", 1);
    assert!(recover::proven_cases(&services, &tampered, now).is_empty());

    // Sent: the code does not stay in the outbox.
    let id = store.notices(None, 10, 0).await.unwrap()[0].id;
    store.notice_sent(id, app::domain::clock::unix_ms(now)).await.unwrap();
    assert_eq!(codes_to(store.as_ref(), PHONE).await, [""]);
}

async fn five_wrong_codes_or_ten_minutes_and_the_code_holds_no_more(store: Arc<dyn Store>) {
    let services = services(&store);
    let now = OffsetDateTime::now_utc();
    crate::track::receive(store.as_ref(), ItemKind::Complaint).await;
    recover::send_code(&services, &ask(PHONE), "10.1.0.2", Lang::Zh, now).await.unwrap();
    let right = codes_to(store.as_ref(), PHONE).await.remove(0);
    let other = if right == "000000" { "000001" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(errors(recover::check_code(&services, &code(PHONE, other), now).await), wrong());
    }
    assert_eq!(errors(recover::check_code(&services, &code(PHONE, &right), now).await), wrong(), "5 tries spent");
    // A new code counts its tries anew, and expires after ten minutes.
    recover::send_code(&services, &ask(PHONE), "10.1.0.2", Lang::Zh, now).await.unwrap();
    let right = codes_to(store.as_ref(), PHONE).await.remove(1);
    let late = now + time::Duration::minutes(10) + time::Duration::seconds(1);
    assert_eq!(errors(recover::check_code(&services, &code(PHONE, &right), late).await), wrong());
    // Malformed input is a field error of its own.
    let bad = errors(recover::check_code(&services, &code(PHONE, "12a"), now).await);
    assert_eq!(bad, vec![FieldError::new("code", Invalid::PhoneCode)]);
}

async fn an_unknown_number_gets_the_same_answer_and_no_text_a_fixed_line_none(store: Arc<dyn Store>) {
    let services = services(&store);
    let now = OffsetDateTime::now_utc();
    crate::track::receive(store.as_ref(), ItemKind::Complaint).await;
    // A number that filed nothing: the same answer, and nothing sent.
    recover::send_code(&services, &ask("13900001111"), "10.1.0.3", Lang::Zh, now).await.unwrap();
    assert!(codes_to(store.as_ref(), "13900001111").await.is_empty());
    assert_eq!(store.outbox_counts().await.unwrap().pending, 1, "only the receipt of the case");
    // Any code for it is simply wrong.
    assert_eq!(errors(recover::check_code(&services, &code("13900001111", "123456"), now).await), wrong());
    // A fixed line takes no text message.
    let fixed = errors(recover::send_code(&services, &ask("0971-6123456"), "10.1.0.3", Lang::Zh, now).await);
    assert_eq!(fixed, vec![FieldError::new("phone", Invalid::NotMobile)]);
    assert_eq!(store.outbox_counts().await.unwrap().pending, 1);
}

async fn the_budgets_per_number_per_address_and_in_all_stop_pumping(store: Arc<dyn Store>) {
    let mut services = services(&store);
    services.budgets.codes_per_phone = 2;
    services.budgets.codes_per_address = 4;
    services.budgets.codes_per_hour = 8;
    let now = OffsetDateTime::now_utc();
    crate::track::receive(store.as_ref(), ItemKind::Complaint).await;
    let spent = vec![FieldError::new("phone", Invalid::TooManyCodes)];
    // Per number, known or not: the same answers.
    for phone in [PHONE, "13900002222"] {
        for _ in 0..2 {
            recover::send_code(&services, &ask(phone), &format!("10.2.0.{}", phone.len()), Lang::Zh, now)
                .await
                .unwrap();
        }
    }
    let third = |phone: &'static str, client: &'static str| {
        let services = services.clone();
        async move { errors(recover::send_code(&services, &ask(phone), client, Lang::Zh, now).await) }
    };
    assert_eq!(third(PHONE, "10.2.0.50").await, spent);
    assert_eq!(third("13900002222", "10.2.0.51").await, spent);
    assert_eq!(codes_to(store.as_ref(), PHONE).await.len(), 2);
    // Per address: four numbers from one address, then no more.
    for i in 0..4 {
        recover::send_code(&services, &ask(&format!("1370000000{i}")), "10.2.0.9", Lang::Zh, now).await.unwrap();
    }
    assert_eq!(third("13600000000", "10.2.0.9").await, spent);
    // In all: the hour's eight were spent by the numbers above (2 + 2 + the address's four).
    assert_eq!(third("13500000000", "10.2.0.77").await, spent);
    // An hour later the budgets are whole again.
    let later = now + time::Duration::minutes(61);
    let budgets = app::service::budget::Budgets { spent: Default::default(), ..services.budgets.clone() };
    let services = app::Services { budgets, ..services };
    recover::send_code(&services, &ask(PHONE), "10.2.0.50", Lang::Zh, later).await.unwrap();
    assert_eq!(codes_to(store.as_ref(), PHONE).await.len(), 3);
}

on_both_databases!(
    a_right_code_gives_the_numbers_cases_newest_first_once,
    five_wrong_codes_or_ten_minutes_and_the_code_holds_no_more,
    an_unknown_number_gets_the_same_answer_and_no_text_a_fixed_line_none,
    the_budgets_per_number_per_address_and_in_all_stop_pumping,
);

fn post(path: &str, pairs: &[(&str, &str)], cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(serde_urlencoded::to_string(pairs).unwrap())).unwrap()
}

fn set_cookie(r: &common::Reply) -> String {
    r.headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned()
}

/// The plain forms, as a browser without JavaScript posts them: the number, the code from the
/// text message, the list, the case.
#[tokio::test]
async fn a_consumer_who_lost_the_code_gets_back_to_the_case_through_the_plain_forms() {
    let app: App = common::app().await;
    let (no, _) = crate::track::receive(app.store.as_ref(), ItemKind::Complaint).await;
    let from = "10.3.0.1";
    let known = send_from(&app, post("/track/recover", &[("step", "send"), ("phone", PHONE)], None), from).await;
    let unknown =
        send_from(&app, post("/track/recover", &[("step", "send"), ("phone", "13900003333")], None), from).await;
    assert_eq!((known.status, unknown.status), (StatusCode::OK, StatusCode::OK));
    // The same page either way, but for the masked number it repeats (and the page's nonce).
    let masked = |body: &str, phone: &str| {
        let body = body.replace(phone, "N").replace(&app::domain::party::mask_phone(phone), "M");
        let mut parts = body.split("nonce=\"");
        let head = parts.next().unwrap_or_default().to_owned();
        parts.fold(head, |out, p| out + "nonce=\"" + p.split_once('"').map_or(p, |(_, rest)| rest))
    };
    assert_eq!(masked(&known.body, PHONE), masked(&unknown.body, "13900003333"));
    assert!(known.body.contains(r#"data-testid="code-sent""#) && !known.body.contains(no.as_str()));

    let sms = codes_to(app.store.as_ref(), PHONE).await.remove(0);
    let wrong =
        send_from(&app, post("/track/recover", &[("step", "code"), ("phone", PHONE), ("code", "12")], None), from)
            .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("请输入短信里的6位数字验证码"), "a translated field error");
    let right =
        send_from(&app, post("/track/recover", &[("step", "code"), ("phone", PHONE), ("code", &sms)], None), from)
            .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.headers[header::LOCATION], "/track/recover/cases");
    let list_cookie = set_cookie(&right);

    let list = crate::track::get_page(&app, "/track/recover/cases", Some(&list_cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(no.as_str()) && !list.body.contains(PHONE) && !list.body.contains("张三"), "masked");
    let none = crate::track::get_page(&app, "/track/recover/cases", None).await;
    assert!(!none.body.contains(no.as_str()) && none.body.contains("验证已失效"));

    let other = CaseNo::parse("QH-2026-999999").unwrap();
    let refused =
        send_from(&app, post("/track/recover/cases", &[("case_no", other.as_str())], Some(&list_cookie)), from).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let pick =
        send_from(&app, post("/track/recover/cases", &[("case_no", no.as_str())], Some(&list_cookie)), from).await;
    assert_eq!(pick.status, StatusCode::SEE_OTHER);
    assert_eq!(pick.headers[header::LOCATION], format!("/track/{no}").as_str());
    let page = crate::track::get_page(&app, &format!("/track/{no}"), Some(&set_cookie(&pick))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"data-testid="timeline""#), "the case's own page");

    // A fixed line: a field error, no text.
    let fixed =
        send_from(&app, post("/track/recover", &[("step", "send"), ("phone", "0971-6123456")], None), from).await;
    assert_eq!(fixed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(fixed.body.contains("固定电话收不到短信"));
}
