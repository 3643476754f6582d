//! The outbox and its sender against a small HTTP text-message gateway on a real socket, which
//! records what it is sent, takes the message id as its idempotency key (as providers do) and can
//! be told to fail: both databases.

use crate::common;
use crate::mail::{mail_server, mails_to};
use app::domain::case::CaseNo;
use app::domain::notify::{NoticeChannel, NoticeKind, NoticeState};
use app::domain::workflow::Action;
use app::ports::{CaseStore, Store};
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use server::notify::{Channel, Mailer, Sender, SmsGateway, LEASE_MS};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// What the gateway took: one entry per message id (a repeated id is answered 200 and counted).
#[derive(Clone, Default)]
struct Gateway {
    got: Arc<Mutex<Vec<Value>>>,
    repeats: Arc<Mutex<u32>>,
    down: Arc<AtomicBool>,
}

impl Gateway {
    async fn start() -> (Self, String) {
        let g = Gateway::default();
        let router = axum::Router::new().route("/send", axum::routing::post(receive)).with_state(g.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/send", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        (g, url)
    }

    fn got(&self) -> Vec<Value> {
        self.got.lock().unwrap().clone()
    }

    fn templates(&self) -> Vec<String> {
        self.got().iter().map(|v| v["template"].as_str().unwrap().to_owned()).collect()
    }
}

async fn receive(
    axum::extract::State(g): axum::extract::State<Gateway>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> StatusCode {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer test-key") {
        return StatusCode::UNAUTHORIZED;
    }
    if g.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let id = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(body["id"], id.as_str(), "the message id is the idempotency key");
    let mut got = g.got.lock().unwrap();
    if got.iter().any(|v| v["id"] == body["id"]) {
        *g.repeats.lock().unwrap() += 1;
    } else {
        got.push(body);
    }
    StatusCode::OK
}

fn sender(store: Arc<dyn CaseStore>, url: &str) -> Sender {
    Sender {
        store,
        channels: vec![Channel::Sms(SmsGateway::new(
            url,
            "test-key",
            "青海12315",
            vec![(NoticeKind::Receipt, "SMS_100".into())],
        ))],
        public_url: "https://12315.example.cn".into(),
    }
}

fn services(store: &Arc<dyn Store>) -> app::Services {
    let mut services = common::app_state(store.clone(), false).services;
    // One phone files every case here.
    services.budgets.filings_per_phone = 1000;
    services
}

/// Files the sample complaint online from the phone 13912341234, changed by `edit`, in `lang`.
async fn file_form(
    services: &app::Services,
    key: &str,
    lang: app::i18n::Lang,
    edit: impl FnOnce(&mut app::domain::filing::FilingForm),
) -> Result<CaseNo, app::error::AppError> {
    let today = app::domain::calendar::format_date(app::domain::clock::china_date(time::OffsetDateTime::now_utc()));
    let mut form = app::domain::filing::FilingForm {
        consumer_phone: "13912341234".into(),
        ..app::domain::filing::sample_complaint(&today, key)
    };
    edit(&mut form);
    let now = time::OffsetDateTime::now_utc();
    let (no, _) = app::service::filing::file_online(services, &form, "203.0.113.7", lang, now).await?;
    Ok(CaseNo::parse(&no).unwrap())
}

/// Files a complaint online from the phone 13912341234, as a consumer reading Chinese.
async fn file(services: &app::Services, key: &str) -> CaseNo {
    file_form(services, key, app::i18n::Lang::Zh, |_| {}).await.expect("filed")
}

fn now_ms() -> i64 {
    app::domain::clock::unix_ms(time::OffsetDateTime::now_utc())
}

/// 10:00 China time tomorrow: outside the quiet hours.
fn daytime() -> i64 {
    let day = 24 * 3_600_000;
    let china = now_ms() + 8 * 3_600_000;
    china - china.rem_euclid(day) + day + 10 * 3_600_000 - 8 * 3_600_000
}

async fn filing_sends_the_receipt_and_accepting_sends_the_acceptance(store: Arc<dyn Store>) {
    let (gateway, url) = Gateway::start().await;
    let services = services(&store);
    let no = file(&services, "notify-key-000000001").await;
    let cases: Arc<dyn CaseStore> = store.clone();
    let pending = store.notices_of(&no).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].kind, pending[0].state), (NoticeKind::Receipt, NoticeState::Pending));
    assert_eq!(sender(cases.clone(), &url).round(now_ms()).await.unwrap(), 1);
    let got = gateway.got();
    assert_eq!(got.len(), 1);
    let sms = &got[0];
    assert_eq!((sms["phone"].as_str(), sms["template"].as_str()), (Some("13912341234"), Some("SMS_100")));
    assert_eq!(sms["params"]["case"], no.as_str());
    assert_eq!(sms["params"]["link"], format!("https://12315.example.cn/track?case_no={no}"));
    let code = sms["params"]["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 8, "the query code, once: {code}");
    assert!(sms["text"].as_str().unwrap().contains(no.as_str()));
    assert!(!sms["text"].as_str().unwrap().contains("张"), "no names");
    // Sent, the row keeps no query code.
    let sent = &store.notices_of(&no).await.unwrap()[0];
    assert_eq!(sent.state, NoticeState::Sent);
    assert!(sent.param("code").is_none());
    // A staff decision is told too, in its own template.
    crate::track::staff(store.as_ref(), &no, Action::Accept, None).await;
    assert_eq!(sender(cases, &url).round(daytime()).await.unwrap(), 1);
    assert_eq!(gateway.templates(), ["SMS_100", "12315_accepted"]);
    // The consumer's own steps tell them nothing.
    assert_eq!(store.outbox_counts().await.unwrap().sent, 2);
}

async fn a_gateway_down_for_a_while_gets_every_message_afterwards_in_order(store: Arc<dyn Store>) {
    let (gateway, url) = Gateway::start().await;
    let services = services(&store);
    let cases: Arc<dyn CaseStore> = store.clone();
    let no = file(&services, "notify-key-000000002").await;
    crate::track::staff(store.as_ref(), &no, Action::Refuse { ground: 2 }, None).await;
    gateway.down.store(true, Ordering::SeqCst);
    let t0 = daytime();
    let s = sender(cases.clone(), &url);
    assert_eq!(s.round(t0).await.unwrap(), 0);
    let rows = store.notices_of(&no).await.unwrap();
    assert_eq!(rows[0].attempts, 1, "the receipt was tried once");
    assert!(rows[0].due_at > t0, "and waits before the next try");
    assert_eq!(rows[0].last_error.as_deref(), Some("gateway answered 503"));
    assert_eq!(rows[1].attempts, 0, "the refusal waits behind the receipt of its case");
    // Still down: tried again with a growing wait.
    let t1 = rows[0].due_at;
    assert_eq!(s.round(t1).await.unwrap(), 0);
    let wait2 = store.notices_of(&no).await.unwrap()[0].due_at - t1;
    assert!(wait2 >= 10_000, "{wait2}");
    // Back up: both go, the receipt first.
    gateway.down.store(false, Ordering::SeqCst);
    let mut at = t1 + 3_600_000;
    while store.outbox_counts().await.unwrap().pending > 0 {
        s.round(at).await.unwrap();
        at += 3_600_000;
    }
    assert_eq!(gateway.templates(), ["SMS_100", "12315_refused"]);
    assert_eq!(gateway.got()[1]["params"]["ground"], "2");
}

async fn a_message_that_keeps_failing_is_parked_and_can_be_sent_again(store: Arc<dyn Store>) {
    let (gateway, url) = Gateway::start().await;
    let services = services(&store);
    let cases: Arc<dyn CaseStore> = store.clone();
    let no = file(&services, "notify-key-000000003").await;
    gateway.down.store(true, Ordering::SeqCst);
    let s = sender(cases, &url);
    let mut at = daytime();
    for _ in 0..app::domain::notify::MAX_ATTEMPTS {
        s.round(at).await.unwrap();
        at += 2 * 3_600_000;
    }
    let row = store.notices_of(&no).await.unwrap().remove(0);
    assert_eq!((row.state, row.attempts), (NoticeState::Failed, app::domain::notify::MAX_ATTEMPTS));
    assert_eq!(store.outbox_counts().await.unwrap().failed, 1);
    // A supervisor sends it again (audited); the gateway is back.
    gateway.down.store(false, Ordering::SeqCst);
    let now = time::OffsetDateTime::now_utc();
    let supervisor = app::domain::staff::Staff {
        username: app::domain::staff::Username::parse("super1").unwrap(),
        role: app::domain::workflow::Role::Supervisor,
        bureau: None,
        business: None,
    };
    let handler = app::domain::staff::Staff { role: app::domain::workflow::Role::Handler, ..supervisor.clone() };
    assert_eq!(
        app::service::notify::resend(&services, &handler, row.id, None, now).await,
        Err(app::error::AppError::Forbidden),
        "a handler cannot"
    );
    app::service::notify::resend(&services, &supervisor, row.id, Some("10.0.0.1"), now).await.unwrap();
    assert_eq!(
        app::service::notify::resend(&services, &supervisor, row.id, None, now).await,
        Err(app::error::AppError::NotFound),
        "only a failed message is sent again"
    );
    assert_eq!(s.round(at).await.unwrap(), 1);
    assert_eq!(gateway.got().len(), 1);
    let audit = store.audit_recent(10).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "notice_resent" && e.subject.as_deref() == Some(&*row.id.to_string())));
}

async fn a_sender_that_stops_mid_send_leaves_the_message_to_another_without_a_duplicate(store: Arc<dyn Store>) {
    let (gateway, url) = Gateway::start().await;
    let services = services(&store);
    let cases: Arc<dyn CaseStore> = store.clone();
    let no = file(&services, "notify-key-000000004").await;
    let t0 = daytime();
    // A sender claims the receipt, sends it, and is killed before it marks it sent.
    let claimed = store.claim_notices(NoticeChannel::Sms, t0, 10, LEASE_MS).await.unwrap();
    assert_eq!(claimed.len(), 1);
    SmsGateway::new(&url, "test-key", "青海12315", vec![]).send(&claimed[0], "https://x").await.unwrap();
    // While its lease runs, nobody else takes it; after, another sender does, under the same id.
    let other = sender(cases, &url);
    assert_eq!(other.round(t0 + 1_000).await.unwrap(), 0);
    assert_eq!(other.round(t0 + LEASE_MS + 1).await.unwrap(), 1);
    assert_eq!(gateway.got().len(), 1, "the consumer got it once");
    assert_eq!(*gateway.repeats.lock().unwrap(), 1, "the gateway saw the id twice");
    assert_eq!(store.notices_of(&no).await.unwrap()[0].state, NoticeState::Sent);
}

async fn text_messages_wait_out_the_quiet_hours_but_the_receipt_does_not(store: Arc<dyn Store>) {
    let services = services(&store);
    let no = file(&services, "notify-key-000000005").await;
    // A decision at 23:30 China time goes at 08:00.
    let day = 24 * 3_600_000;
    let late = daytime() - 10 * 3_600_000 + 23 * 3_600_000 + 30 * 60_000;
    let case = store.get(&no).await.unwrap().unwrap();
    let at = time::OffsetDateTime::from_unix_timestamp(late / 1000).unwrap();
    let supervisor =
        app::domain::workflow::Actor { role: app::domain::workflow::Role::Supervisor, bureau: None, business: None };
    app::service::step::act(store.as_ref(), &no, case.version, &supervisor, None, &Action::Accept, None, at)
        .await
        .unwrap();
    let rows = store.notices_of(&no).await.unwrap();
    assert_eq!(rows[1].kind, NoticeKind::Accepted);
    assert_eq!(rows[1].due_at, late - 23 * 3_600_000 - 30 * 60_000 + day + 8 * 3_600_000);
    assert!(rows[0].due_at <= now_ms(), "the receipt goes at once");
}

async fn an_anonymous_report_or_a_fixed_line_gets_no_text_message(store: Arc<dyn Store>) {
    let services = services(&store);
    let fixed_line = |f: &mut app::domain::filing::FilingForm| f.consumer_phone = "0971-6123456".into();
    let no = file_form(&services, "notify-key-000000006", app::i18n::Lang::En, fixed_line).await.unwrap();
    assert!(store.notices_of(&no).await.unwrap().is_empty());
}

async fn two_senders_sharing_the_outbox_send_each_message_once(store: Arc<dyn Store>) {
    let (gateway, url) = Gateway::start().await;
    let services = services(&store);
    for i in 0..12 {
        file(&services, &format!("notify-key-1000000{i:02}")).await;
    }
    let cases: Arc<dyn CaseStore> = store.clone();
    let (a, b) = (sender(cases.clone(), &url), sender(cases, &url));
    let t = daytime();
    let (x, y) = tokio::join!(a.round(t), b.round(t));
    assert_eq!(x.unwrap() + y.unwrap(), 12);
    assert_eq!(gateway.got().len(), 12);
    assert_eq!(*gateway.repeats.lock().unwrap(), 0, "no message was sent twice");
}

async fn a_consumer_who_gives_an_email_address_is_also_told_by_email(store: Arc<dyn Store>) {
    let (url, maildir) = mail_server();
    let (gateway, sms_url) = Gateway::start().await;
    let services = services(&store);
    let to = format!("consumer-{}@example.cn", rand::random::<u32>());
    let key = format!("notify-mail-{}", rand::random::<u32>());
    let no = file_form(&services, &key, app::i18n::Lang::En, |f| f.consumer_email = format!(" {to} ")).await.unwrap();
    crate::track::staff(store.as_ref(), &no, Action::Accept, None).await;
    let mut s = sender(store.clone(), &sms_url);
    s.channels.push(Channel::Email(Mailer::new(&url, "Qinghai 12315 <noreply@12315.example.cn>").unwrap()));
    let mut at = daytime();
    while store.outbox_counts().await.unwrap().pending > 0 {
        s.round(at).await.unwrap();
        at += 1_000;
    }
    // Both messages by text and by e-mail, in the language the consumer filed in.
    assert_eq!(gateway.templates(), ["SMS_100", "12315_accepted"]);
    let uids: Vec<String> = store
        .notices_of(&no)
        .await
        .unwrap()
        .iter()
        .filter(|n| n.channel == NoticeChannel::Email)
        .map(|n| n.uid.clone())
        .collect();
    // In the outbox's order, each mail found by its Message-ID: the message's UUID, not its row.
    let all = mails_to(&maildir, &to);
    assert_eq!(all.len(), 2, "{all:?}");
    let mails: Vec<(String, String)> = uids
        .iter()
        .map(|uid| {
            assert_eq!(uuid::Uuid::parse_str(uid).map(|u| u.get_version_num()), Ok(7), "{uid}");
            let header = format!("Message-ID: <{uid}@12315.example.cn>");
            all.iter().find(|(head, _)| head.contains(&header)).cloned().unwrap_or_else(|| panic!("{header}"))
        })
        .collect();
    for (_, body) in &mails {
        assert!(
            body.contains(no.as_str()) && body.contains(&format!("https://12315.example.cn/track?case_no={no}")),
            "{body}"
        );
    }
    assert!(mails[0].1.starts_with("We received your item"), "{}", mails[0].1);
    assert!(mails[1].1.contains("was accepted"), "{}", mails[1].1);
    // The console masks the address.
    let lines = app::service::notify::told(&services, &no).await.unwrap();
    assert!(lines.iter().any(|l| l.recipient.starts_with("c***@")) && !lines.iter().any(|l| l.recipient == to));
}

async fn a_wrong_email_address_is_a_field_error_of_the_form(store: Arc<dyn Store>) {
    let services = services(&store);
    let wrong = |f: &mut app::domain::filing::FilingForm| f.consumer_email = "zhang@".into();
    let err = file_form(&services, "notify-key-000000007", app::i18n::Lang::Zh, wrong).await;
    assert_eq!(
        err.unwrap_err(),
        app::error::AppError::Invalid(vec![app::domain::FieldError::new(
            "consumer_email",
            app::domain::Invalid::Email
        )])
    );
    assert_eq!(store.outbox_counts().await.unwrap(), Default::default(), "nothing stored");
}

async fn a_consumer_who_stops_the_messages_still_gets_the_decisions_the_law_requires(store: Arc<dyn Store>) {
    let services = services(&store);
    let no = file(&services, "notify-key-000000008").await;
    assert_eq!(store.messages_opted_out(&no).await.unwrap(), Some(false));
    app::service::track::opt_out_of_messages(&services, &no).await.unwrap();
    assert_eq!(store.messages_opted_out(&no).await.unwrap(), Some(true));
    // Acceptance is a decision the consumer must be told of; the start of mediation is not.
    crate::track::staff(store.as_ref(), &no, Action::Accept, None).await;
    let method = app::domain::workflow::MediationMethod::Phone;
    crate::track::staff(store.as_ref(), &no, Action::StartMediation { method, on_site: None }, None).await;
    let kinds: Vec<NoticeKind> = store.notices_of(&no).await.unwrap().iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [NoticeKind::Receipt, NoticeKind::Accepted]);
    // A case without contacts offers nothing to stop.
    let fixed_line = |f: &mut app::domain::filing::FilingForm| f.consumer_phone = "0971-6123456".into();
    let fixed = file_form(&services, "notify-key-000000009", app::i18n::Lang::Zh, fixed_line).await.unwrap();
    assert_eq!(store.messages_opted_out(&fixed).await.unwrap(), None);
}

/// Two databases loaded with the same filings (a second deployment, a restored backup, a fresh
/// demonstration): the same row numbers, but no message id in common, each a version-7 UUID.
#[tokio::test]
async fn message_ids_are_unique_across_two_databases_loaded_with_the_same_data() {
    let (sqlite, _dir) = common::sqlite().await;
    let (pg, db) = common::postgres().await;
    let (second, _dir2) = common::sqlite().await;
    let stores: Vec<Arc<dyn Store>> = vec![Arc::new(sqlite), Arc::new(pg), Arc::new(second)];
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for store in &stores {
        let services = services(store);
        for key in ["notify-key-000000101", "notify-key-000000102"] {
            let no = file(&services, key).await;
            crate::track::staff(store.as_ref(), &no, Action::Accept, None).await;
        }
        let notices = store.notices(None, 100, 0).await.unwrap();
        assert_eq!(notices.len(), 4);
        rows.push(notices.iter().map(|n| n.id).collect::<Vec<_>>());
        for n in notices {
            let uid = uuid::Uuid::parse_str(&n.uid).unwrap_or_else(|_| panic!("a UUID: {}", n.uid));
            assert_eq!(uid.get_version_num(), 7, "{uid}");
            assert!(seen.insert(n.uid.clone()), "{} came twice", n.uid);
        }
    }
    assert_eq!(rows[0], rows[2], "the same row numbers in both SQLite files");
    db.drop_db().await;
}

on_both_databases!(
    filing_sends_the_receipt_and_accepting_sends_the_acceptance,
    a_gateway_down_for_a_while_gets_every_message_afterwards_in_order,
    a_message_that_keeps_failing_is_parked_and_can_be_sent_again,
    a_sender_that_stops_mid_send_leaves_the_message_to_another_without_a_duplicate,
    text_messages_wait_out_the_quiet_hours_but_the_receipt_does_not,
    an_anonymous_report_or_a_fixed_line_gets_no_text_message,
    two_senders_sharing_the_outbox_send_each_message_once,
    a_consumer_who_gives_an_email_address_is_also_told_by_email,
    a_wrong_email_address_is_a_field_error_of_the_form,
    a_consumer_who_stops_the_messages_still_gets_the_decisions_the_law_requires,
    handlers_and_supervisors_get_a_morning_digest_of_their_remit_once_a_day,
);

/// The console's outbox page: counts, masked recipients, the text in the consumer's language,
/// the note that no gateway is configured; a failed message sent again from the plain form.
#[tokio::test]
async fn supervisors_see_the_outbox_masked_and_send_a_failed_message_again() {
    use crate::staff::{account, cookie_of, get, sign_in, PASSWORD};
    let app = common::app().await;
    account(&app, "super1", "supervisor", None).await;
    let cookie = cookie_of(&sign_in(&app, "super1", PASSWORD).await);
    let no = file(&services(&app.store), "notify-key-000000099").await;
    let case_page = get(&app, &format!("/staff/cases/{no}"), Some(&cookie)).await;
    assert!(case_page.body.contains("已告知消费者") && case_page.body.contains("139****1234"), "what was told");
    let page = get(&app, "/staff/outbox", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("139****1234") && !page.body.contains("13912341234"), "masked");
    assert!(page.body.contains(no.as_str()) && page.body.contains("已收到您提交的事项"));
    assert!(page.body.contains("no-channel"), "no gateway on this server: said so");
    assert!(page.body.contains("待发送 1 条"));
    // Parked as failed, then sent again from the form (no JavaScript needed).
    let id = app.store.notices_of(&no).await.unwrap()[0].id;
    for _ in 0..app::domain::notify::MAX_ATTEMPTS {
        let claimed = app.store.claim_notices(NoticeChannel::Sms, daytime() + 10 * 86_400_000, 5, LEASE_MS).await;
        assert_eq!(claimed.unwrap().len(), 1);
        let last = app.store.notices_of(&no).await.unwrap()[0].attempts >= app::domain::notify::MAX_ATTEMPTS;
        app.store.notice_failed(id, "gateway answered 500", (!last).then_some(0)).await.unwrap();
    }
    let failed = get(&app, "/staff/outbox?state=failed", Some(&cookie)).await;
    assert!(failed.body.contains("gateway answered 500") && failed.body.contains("重新发送"));
    let req = axum::http::Request::post("/staff/outbox")
        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(axum::http::header::COOKIE, &cookie)
        .body(axum::body::Body::from(format!("id={id}")))
        .unwrap();
    let r = common::send(&app, req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.notices_of(&no).await.unwrap()[0].state, NoticeState::Pending);
}

/// On the case's page, the consumer stops the messages with a plain form (no JavaScript needed).
#[tokio::test]
async fn the_consumer_stops_the_messages_from_the_case_page() {
    let app = common::app().await;
    let no = file(&services(&app.store), "notify-key-000000010").await;
    let cookie = crate::track::cookie_for(&app, &no);
    let page = crate::track::get_page(&app, &format!("/track/{no}"), Some(&cookie)).await;
    assert!(page.body.contains("不再接收进度通知") && page.body.contains("name=\"do\" value=\"opt_out\""));
    let r = crate::track::post_step(&app, &no, &cookie, &[("do", "opt_out")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = crate::track::get_page(&app, &format!("/track/{no}?done=opt_out"), Some(&cookie)).await;
    assert!(page.body.contains("您已选择不再接收进度通知"));
    assert!(!page.body.contains("value=\"opt_out\""), "asked once");
    assert_eq!(app.store.messages_opted_out(&no).await.unwrap(), Some(true));
    // Without the case's cookie, nobody else can.
    let other = file(&services(&app.store), "notify-key-000000011").await;
    let r = crate::track::post_step(&app, &other, "track=forged", &[("do", "opt_out")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.messages_opted_out(&other).await.unwrap(), Some(false));
}

async fn handlers_and_supervisors_get_a_morning_digest_of_their_remit_once_a_day(store: Arc<dyn Store>) {
    use app::domain::workflow::{Actor, Role};
    let (url, maildir) = mail_server();
    let services = services(&store);
    let now = time::OffsetDateTime::now_utc();
    let tag = rand::random::<u32>();
    for (user, role, bureau, email) in [
        ("digest-h1", "handler", Some("630102"), true),
        ("digest-h2", "handler", Some("632801"), true),
        ("digest-s1", "supervisor", None, true),
        ("digest-i1", "intake_operator", None, true),
        ("digest-h3", "handler", Some("630102"), false),
    ] {
        let bureau = bureau.map(str::to_owned);
        app::service::staff::set_account(&services, user, role, bureau, Some("a long staff password".into()), now)
            .await
            .unwrap();
        if email {
            assert!(store.set_staff_email(user, Some(&format!("{user}-{tag}@12315.example.cn"))).await.unwrap());
        }
    }
    assert!(!store.set_staff_email("nobody", Some("x@example.cn")).await.unwrap());
    // Two complaints received three weeks ago, one in each handler's bureau: both overdue.
    let past = now - time::Duration::days(21);
    let intake = Actor { role: Role::IntakeOperator, bureau: None, business: None };
    let mut overdue = Vec::new();
    for county in ["630102", "632801"] {
        let mut input = common::complaint_input();
        input.business.county = county.into();
        input.incident_on =
            app::domain::calendar::format_date(app::domain::clock::china_date(past) - time::Duration::days(2));
        let case = app::domain::case::CaseForCreate::parse(&input, app::domain::clock::china_date(past)).unwrap();
        let (stored, _) = app::service::filing::receive(store.as_ref(), case, &intake, past, None).await.unwrap();
        assert_eq!(stored.bureau, county);
        overdue.push(stored.case_no);
    }
    // Before 08:00 China time nothing is written; from 08:00, once a day for every server.
    let day_start = {
        let china = app::domain::clock::unix_ms(now) + 8 * 3_600_000;
        china - china.rem_euclid(86_400_000) - 8 * 3_600_000
    };
    let at = |ms: i64| time::OffsetDateTime::from_unix_timestamp(ms / 1000).unwrap();
    let early = at(day_start + 7 * 3_600_000);
    assert_eq!(app::service::notify::morning_digests(&services, early).await.unwrap(), 0);
    let nine = at(day_start + 9 * 3_600_000);
    assert_eq!(app::service::notify::morning_digests(&services, nine).await.unwrap(), 3, "h1, h2 and s1");
    assert_eq!(app::service::notify::morning_digests(&services, nine).await.unwrap(), 0, "once a day");
    // Sent by e-mail; each names the cases of the remit and links into the console, nothing personal.
    let cases: Arc<dyn CaseStore> = store.clone();
    let s = Sender {
        store: cases,
        channels: vec![Channel::Email(Mailer::new(&url, "Qinghai 12315 <noreply@12315.example.cn>").unwrap())],
        public_url: "https://12315.example.cn".into(),
    };
    assert_eq!(s.round(app::domain::clock::unix_ms(nine)).await.unwrap(), 3);
    let body = |user: &str| {
        let mails = mails_to(&maildir, &format!("{user}-{tag}@12315.example.cn"));
        assert_eq!(mails.len(), 1, "{user}");
        mails[0].1.clone()
    };
    let (h1, h2, s1) = (body("digest-h1"), body("digest-h2"), body("digest-s1"));
    let link = |no: &CaseNo| format!("https://12315.example.cn/staff/cases/{no}");
    assert!(h1.contains(&link(&overdue[0])) && !h1.contains(overdue[1].as_str()), "{h1}");
    assert!(h2.contains(&link(&overdue[1])) && !h2.contains(overdue[0].as_str()), "{h2}");
    assert!(s1.contains(&link(&overdue[0])) && s1.contains(&link(&overdue[1])), "{s1}");
    assert!(h1.contains("逾期") && !h1.contains("13812341234") && !h1.contains("张三"), "{h1}");
    assert!(mails_to(&maildir, &format!("digest-i1-{tag}@12315.example.cn")).is_empty(), "intake gets none");
}

/// `server staff email <user> <address | ->` sets where the digest goes, checked and audited.
#[tokio::test]
async fn the_shell_sets_where_a_staff_members_digest_goes() {
    let (store, _dir) = common::sqlite().await;
    let store: Arc<dyn Store> = Arc::new(store);
    let run = |args: &[&str]| {
        let store = store.clone();
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        async move { server::cli::staff(store, &args, &mut std::io::empty()).await }
    };
    let mut pw = "a long staff password\n".as_bytes();
    let args: Vec<String> = ["set", "lead1", "supervisor", "--password-stdin"].iter().map(|a| a.to_string()).collect();
    server::cli::staff(store.clone(), &args, &mut pw).await.unwrap();
    let out = run(&["email", "lead1", "wang.wu@12315.example.cn"]).await.unwrap();
    assert!(out.contains("w***@12315.example.cn") && !out.contains("wang.wu"), "{out}");
    assert_eq!(store.digest_recipients().await.unwrap()[0].1, "wang.wu@12315.example.cn");
    assert!(run(&["email", "lead1", "not an address"]).await.is_err());
    assert!(run(&["email", "nobody", "x@example.cn"]).await.is_err());
    run(&["email", "lead1", "-"]).await.unwrap();
    assert!(store.digest_recipients().await.unwrap().is_empty());
    let audit = store.audit_recent(10).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "staff_email_set" && e.subject.as_deref() == Some("lead1")));
    assert!(audit.iter().any(|e| e.action == "staff_email_removed"));
}
