//! The businesses' public records against a real SQLite file and a real PostgreSQL server: the
//! running totals kept with each step equal a recount of the stored complaints and their steps
//! (called by the statistics' property test on its random data), and the disclosure sweep writes
//! closed complaints only, never a report, with no personal data, once whatever the servers.

use crate::common;

use app::domain::case::CaseNo;
use app::domain::clock::day_of;
use app::domain::disclosure::business_key;
use app::domain::kind::ItemKind;
use app::domain::stats::month_of;
use app::domain::workflow::ActionName;
use app::ports::Store;
use std::collections::BTreeMap;
use std::sync::Arc;

/// (received, accepted, concluded, settled) per business key and month.
type Recount = BTreeMap<(String, String), [i64; 4]>;

/// The records of the businesses of `cases` equal a recount of the raw cases and events.
pub async fn compare_records(store: &Arc<dyn Store>, cases: &[CaseNo]) {
    let mut want = Recount::new();
    for no in cases {
        let c = store.get(no).await.unwrap().unwrap();
        let Some(b) = c.content.business.as_ref().filter(|_| c.kind == ItemKind::Complaint) else { continue };
        let key = business_key(b.name.as_str(), b.credit_code.as_ref().map(|c| c.as_str()), &b.county);
        want.entry((key.clone(), month_of(c.received_on))).or_default()[0] += 1;
        for e in store.events(no).await.unwrap() {
            let add = match e.action {
                ActionName::Accept => [0, 1, 0, 0],
                ActionName::RecordSettlement => [0, 0, 1, 1],
                ActionName::TerminateMediation => [0, 0, 1, 0],
                _ => continue,
            };
            let slot = want.entry((key.clone(), month_of(day_of(e.at)))).or_default();
            for (s, a) in slot.iter_mut().zip(add) {
                *s += a;
            }
        }
    }
    let keys: std::collections::BTreeSet<String> = want.keys().map(|(k, _)| k.clone()).collect();
    let mut got = Recount::new();
    for key in &keys {
        let (rows, _) = store.record_rows(key, "2000-01").await.unwrap();
        for r in rows {
            let slot = got.entry((key.clone(), r.month)).or_default();
            for (s, a) in slot.iter_mut().zip([r.m.received, r.m.accepted, r.m.concluded, r.m.settled]) {
                *s += a;
            }
        }
    }
    want.retain(|_, v| v.iter().any(|n| *n != 0));
    got.retain(|_, v| v.iter().any(|n| *n != 0));
    assert_eq!(got, want, "the businesses' records equal a recount");
}

pub async fn file(store: &Arc<dyn Store>, case: app::domain::case::CaseForCreate, at: time::OffsetDateTime) -> CaseNo {
    let consumer = app::service::filing::consumer();
    app::service::filing::receive(store.as_ref(), case, &consumer, at, None).await.unwrap().0.case_no
}

pub async fn steps(
    store: &Arc<dyn Store>,
    no: &CaseNo,
    actions: &[app::domain::workflow::Action],
    at: time::OffsetDateTime,
) {
    use app::domain::workflow::{Actor, Role};
    let supervisor = Actor { role: Role::Supervisor, bureau: None, business: None };
    for a in actions {
        let c = store.get(no).await.unwrap().unwrap();
        app::service::step::act(store.as_ref(), no, c.version, &supervisor, None, a, None, at).await.unwrap();
    }
}

/// Closed complaints are written as disclosed by the sweep, with no personal data, once however
/// often it runs; an open complaint and a report are not; names typed two ways are one business;
/// the pages show the record and refuse a bad search field by field.
async fn closed_complaints_are_disclosed_without_personal_data(store: Arc<dyn Store>) {
    use app::domain::money::Fen;
    use app::domain::workflow::{Action, MediationMethod};
    let at = time::OffsetDateTime::now_utc() - time::Duration::hours(2);
    let today = app::domain::clock::china_date(at);
    let mut case = common::complaint(today);
    case.facts =
        app::domain::fields::Facts::parse("我叫张三，电话13812341234，洗衣机第二天就坏了，订单A-2026-1120。").unwrap();
    let code = case.business.as_ref().unwrap().credit_code.clone().unwrap();
    let settled = file(&store, case.clone(), at).await;
    let mediation = vec![
        Action::Accept,
        Action::StartMediation { method: MediationMethod::Phone, on_site: None },
        Action::RecordSettlement {
            recovered: Fen(29_950),
            agreement: app::domain::fields::Note::parse("退款").unwrap(),
        },
        Action::Close,
    ];
    steps(&store, &settled, &mediation, at).await;
    let open = file(&store, case.clone(), at).await;
    let mut report = case.clone();
    report.kind = ItemKind::Report;
    report.category = "R01".into();
    let report = file(&store, report, at).await;
    steps(&store, &report, &[Action::StartVerification, Action::DecideReport { opened: false }, Action::Close], at)
        .await;
    // The same shop typed two ways, without a credit code, and refused.
    let mut named = case.clone();
    named.consent_publish = false;
    let b = named.business.as_mut().unwrap();
    b.credit_code = None;
    b.name = app::domain::fields::BusinessName::parse("西宁 某某电器有限责任公司").unwrap();
    let first = file(&store, named.clone(), at).await;
    named.business.as_mut().unwrap().name = app::domain::fields::BusinessName::parse("西宁某某电器有限公司").unwrap();
    let second = file(&store, named, at).await;
    for no in [&first, &second] {
        steps(&store, no, &[Action::Refuse { ground: 3 }, Action::Close], at).await;
    }

    let now = time::OffsetDateTime::now_utc();
    assert_eq!(
        app::service::disclosure::sweep(store.as_ref(), now, app::service::disclosure::SETTLE).await.unwrap(),
        3
    );
    assert_eq!(
        app::service::disclosure::sweep(store.as_ref(), now, app::service::disclosure::SETTLE).await.unwrap(),
        0,
        "each once"
    );
    let all = store.disclosed(&Default::default(), None, 100).await.unwrap();
    assert_eq!(all.len(), 3, "the two refused and the settled complaint; not the open one, not the report");
    let shown = format!("{:?}", all.iter().map(|i| &i.item).collect::<Vec<_>>());
    for secret in ["张三", "13812341234", "A-2026-1120", "胜利路8号", open.as_str(), report.as_str()] {
        assert!(!shown.contains(secret), "{secret} disclosed: {shown}");
    }
    let by_code: Vec<_> = all.iter().filter(|i| i.item.credit_code.as_deref() == Some(code.as_str())).collect();
    assert_eq!(by_code.len(), 1);
    assert_eq!(by_code[0].item.handling, app::domain::disclosure::Handling::Mediated);
    assert_eq!(by_code[0].item.recovered_fen, Some(29_950));
    assert!(by_code[0].item.issue.as_deref().unwrap().contains("洗衣机第二天就坏了"), "consented: the words, redacted");
    let named: Vec<_> = all.iter().filter(|i| i.item.credit_code.is_none()).collect();
    assert_eq!(named.len(), 2);
    assert_eq!(named[0].item.business_key, named[1].item.business_key, "one business however typed");
    assert!(named.iter().all(|i| i.item.issue.is_none()), "no consent: no words");

    // The pages: the search finds both businesses; the record shows the figures and the items.
    let app = common::App::new(common::app_state(store.clone(), false), store.clone(), tempfile::tempdir().unwrap());
    let get = |uri: String| axum::http::Request::get(uri).body(axum::body::Body::empty()).unwrap();
    let r = common::send(&app, get("/businesses?q=%E6%9F%90%E6%9F%90%E7%94%B5%E5%99%A8".into())).await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(code.as_str()) && r.body.contains("西宁 某某电器有限责任公司"), "{}", r.body);
    // The landing view: the goods complained of most in each prefecture (Xining: appliances, the 4 complaints).
    let r = common::send(&app, get("/businesses".into())).await;
    assert!(r.body.contains(r#"data-testid="hot-goods""#) && r.body.contains("家用电器 4"), "{}", r.body);
    let r = common::send(&app, get(format!("/businesses/{}", code.as_str()))).await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains(r#"data-testid="fig-complaints" class="fig-value">2<"#),
        "two complaints on record: {}",
        r.body
    );
    assert!(r.body.contains("经调解达成协议 · 299.50 元") && r.body.contains("张**"));
    for secret in ["张三", "13812341234", "A-2026-1120"] {
        assert!(!r.body.contains(secret), "{secret} on the page");
    }
    let key = app::views::disclosure::record_href(&named[0].item.business_key);
    let r = common::send(&app, get(key)).await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.body);
    assert!(r.body.contains(r#"data-testid="named-note""#) && r.body.contains("不予受理"));
    let r = common::send(&app, get("/businesses?county=999999&category=R01".into())).await;
    assert_eq!(r.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="county-error""#) && r.body.contains(r#"id="category-error""#));
    let r = common::send(&app, get("/businesses/91350100M000100Y44".into())).await;
    assert_eq!(r.status, axum::http::StatusCode::NOT_FOUND);

    // /stats names the businesses complained of most this month.
    let this_month = |t: time::OffsetDateTime| app::domain::stats::month_of(app::domain::clock::china_date(t));
    if this_month(at) == this_month(time::OffsetDateTime::now_utc()) {
        let r = common::send(&app, get("/stats".into())).await;
        assert!(r.body.contains(r#"data-testid="top-businesses""#), "{}", r.body);
        assert!(r.body.contains(&app::views::disclosure::record_href(code.as_str())));
    }

    // The feeds: the business's one complaint, the county's three, nothing personal.
    let r = common::send(&app, get(format!("/businesses/{}/feed.atom", code.as_str()))).await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.body);
    assert!(r.headers[axum::http::header::CONTENT_TYPE].to_str().unwrap().starts_with("application/atom+xml"));
    let feed: atom_syndication::Feed = r.body.parse().expect("an Atom feed");
    assert_eq!(feed.entries().len(), 1);
    assert!(feed.entries()[0].id().ends_with(&format!("#complaint-{}", by_code[0].id)));
    assert!(r.body.contains("经调解达成协议") && r.body.contains("洗衣机第二天就坏了"));
    let r = common::send(&app, get("/businesses/county/630102/feed.atom?lang=en".into())).await;
    let feed: atom_syndication::Feed = r.body.parse().expect("an Atom feed");
    assert_eq!(feed.entries().len(), 3);
    assert_eq!(feed.lang(), Some("en"));
    for secret in ["张三", "13812341234", "A-2026-1120", "胜利路8号"] {
        assert!(!r.body.contains(secret), "{secret} in the feed");
    }
    assert_eq!(common::send(&app, get("/businesses/county/999999/feed.atom".into())).await.status, 404);
    assert_eq!(common::send(&app, get("/businesses/not-a-key/feed.atom".into())).await.status, 404);
}

/// The rankings (the businesses complained of most, the goods per county) are read once for a
/// burst of requests and served from memory while fresh; once old, the old answer is still
/// served while it is read again in the background, and the new one follows.
async fn rankings_are_read_once_then_again_in_the_background(store: Arc<dyn Store>) {
    use app::service::rankings::{self, Rankings};
    let at = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    let month = month_of(app::domain::clock::china_date(at));
    let case = common::complaint(app::domain::clock::china_date(at));
    let code = case.business.as_ref().unwrap().credit_code.clone().unwrap();
    file(&store, case.clone(), at).await;
    let cases: Arc<dyn app::ports::CaseStore> = store.clone();
    let age = std::time::Duration::from_millis(400);
    let r = Arc::new(Rankings::new(age));
    let burst: Vec<_> = (0..16)
        .map(|_| {
            let (cases, r, month) = (cases.clone(), r.clone(), month.clone());
            tokio::spawn(async move { rankings::top(&cases, &r, &month, 5).await.unwrap() })
        })
        .collect();
    let mut all = Vec::new();
    for h in burst {
        all.push(h.await.unwrap());
    }
    assert_eq!(r.reads(), 1, "one read for 16 requests");
    assert!(all.windows(2).all(|w| w[0] == w[1]));
    assert_eq!((all[0].len(), all[0][0].key.as_str(), all[0][0].complaints), (1, code.as_str(), 1));

    file(&store, case.clone(), at).await;
    let top = |r: Arc<Rankings>| {
        let (cases, month) = (cases.clone(), month.clone());
        async move { rankings::top(&cases, &r, &month, 5).await.unwrap()[0].complaints }
    };
    assert_eq!(top(r.clone()).await, 1, "fresh: from memory");
    assert_eq!(r.reads(), 1);
    tokio::time::sleep(age).await;
    assert_eq!(top(r.clone()).await, 1, "old: the last answer while it is read again");
    for _ in 0..100 {
        if r.reads() == 2 && top(r.clone()).await == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!((r.reads(), top(r.clone()).await), (2, 2), "read again in the background");
    assert_eq!(rankings::top(&cases, &r, &month, 0).await.unwrap(), vec![], "at most the limit");

    let hot = rankings::hot(&cases, &r, &month).await.unwrap();
    assert_eq!(hot.iter().map(|(_, cat, n)| (cat.as_str(), *n)).collect::<Vec<_>>(), vec![(case.category.as_str(), 2)]);
    assert_eq!(r.reads(), 3);
}

on_both_databases!(
    closed_complaints_are_disclosed_without_personal_data,
    rankings_are_read_once_then_again_in_the_background
);
