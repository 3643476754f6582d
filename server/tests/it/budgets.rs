//! Filing budgets: per client address and per phone number per hour, in the database (shared by
//! every server), spent and checked in one statement; on SQLite and PostgreSQL.

use crate::common;
use app::domain::filing::FilingForm;
use app::domain::{FieldError, Invalid};
use app::error::AppError;
use app::service::budget::Budgets;
use std::sync::Arc;

fn form(key: &str, phone: &str) -> FilingForm {
    let today = app::domain::calendar::format_date(app::domain::clock::china_date(time::OffsetDateTime::now_utc()));
    FilingForm { consumer_phone: phone.into(), ..app::domain::filing::sample_complaint(&today, key) }
}

/// Fifty requests spending one budget at once each see a different count: none is lost to a
/// race, and a window that has ended starts again from one.
async fn spending_is_counted_once_per_request_even_in_parallel(store: Arc<dyn app::ports::Store>) {
    let now = 1_800_000_000_000i64;
    let spends = (0..50).map(|_| {
        let store = store.clone();
        async move { store.budget_spend("file:addr:203.0.113.9", now, 3_600_000).await.unwrap().0 }
    });
    let mut counts = futures_util::future::join_all(spends).await;
    counts.sort();
    assert_eq!(counts, (1..=50).collect::<Vec<i64>>());
    // Another key has its own budget; an hour later the window starts again.
    assert_eq!(store.budget_spend("file:addr:203.0.113.10", now, 3_600_000).await.unwrap(), (1, now));
    let later = now + 3_600_000;
    assert_eq!(store.budget_spend("file:addr:203.0.113.9", later, 3_600_000).await.unwrap(), (1, later));
    assert_eq!(store.budget_spend("file:addr:203.0.113.9", later + 5, 3_600_000).await.unwrap(), (2, later));
    // Old windows are forgotten.
    assert_eq!(store.budget_purge(later).await.unwrap(), 1);
    assert_eq!(store.budget_spend("file:addr:203.0.113.10", later, 3_600_000).await.unwrap(), (1, later));
}

/// Past the budget of one address, a filing is refused with a field error and nothing is stored;
/// another address still files; one phone number has its own budget across addresses.
async fn filings_beyond_the_hourly_budgets_are_refused_and_nothing_is_stored(store: Arc<dyn app::ports::Store>) {
    let mut state = common::app_state(store.clone(), false);
    state.services.budgets = Budgets { filings_per_address: 3, filings_per_phone: 4, ..Default::default() };
    let services = &state.services;
    let now = time::OffsetDateTime::now_utc();
    let file = |key: String, phone: &'static str, client: &'static str| async move {
        app::service::filing::file_online(services, &form(&key, phone), client, app::i18n::Lang::Zh, now).await
    };
    for i in 0..3 {
        file(format!("budget-key-a-{i:08}"), "13800000001", "198.51.100.1").await.expect("within the budget");
    }
    let refused = file("budget-key-a-99999999".into(), "13800000002", "198.51.100.1").await.unwrap_err();
    assert_eq!(refused, AppError::Invalid(vec![FieldError::new("key", Invalid::TooManyFilings { per_hour: 3 })]));
    // The same phone from another address: its fourth filing passes, its fifth is refused.
    file("budget-key-b-00000000".into(), "13800000001", "198.51.100.2").await.expect("another address");
    let refused = file("budget-key-b-00000001".into(), "13800000001", "198.51.100.3").await.unwrap_err();
    assert_eq!(
        refused,
        AppError::Invalid(vec![FieldError::new("consumer_phone", Invalid::TooManyFilings { per_hour: 4 })])
    );
    let year = now.year();
    assert!(store.get(&app::domain::case::CaseNo::new(year, 4)).await.unwrap().is_some());
    assert_eq!(store.get(&app::domain::case::CaseNo::new(year, 5)).await.unwrap(), None, "a refusal stores nothing");
}

/// Over HTTP the budget follows the client's address, for the server function and for the form
/// posted without JavaScript alike.
#[tokio::test]
async fn the_budget_follows_the_clients_address_over_http() {
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use leptos::server_fn::ServerFn;
    let (store, dir) = common::sqlite().await;
    let store: Arc<dyn app::ports::Store> = Arc::new(store);
    let mut state = common::app_state(store.clone(), false);
    state.services.budgets = Budgets { filings_per_address: 1, filings_per_phone: 10, ..Default::default() };
    let app = common::App::new(state, store, dir);
    let call = |key: &str| {
        let body = serde_json::json!({ "form": form(key, "13800000003") }).to_string();
        Request::post(<app::server_fns::filing::FileCase as ServerFn>::PATH)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    assert_eq!(common::send_from(&app, call("http-budget-key-0001"), "192.0.2.1").await.status, StatusCode::OK);
    let refused = common::send_from(&app, call("http-budget-key-0002"), "192.0.2.1").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("TooManyFilings"), "{}", refused.body);
    assert_eq!(common::send_from(&app, call("http-budget-key-0003"), "192.0.2.2").await.status, StatusCode::OK);
    // The plain form post from the first address: the review step again, with the reason.
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&serde_urlencoded::to_string(form("http-budget-key-0004", "13800000003")).unwrap())
            .unwrap();
    pairs.push(("go".into(), "submit".into()));
    let post = Request::post("/file")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(&pairs).unwrap()))
        .unwrap();
    let page = common::send_from(&app, post, "192.0.2.1").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("一小时内的提交已超过1件"), "the reason is shown");
}

on_both_databases!(
    spending_is_counted_once_per_request_even_in_parallel,
    filings_beyond_the_hourly_budgets_are_refused_and_nothing_is_stored
);

/// Staff sign-ins: one address's attempts per hour and everyone's per minute are budgeted before
/// any password is hashed; a refused attempt is not held against the account.
async fn sign_in_attempts_are_budgeted_per_address_and_in_all(store: Arc<dyn app::ports::Store>) {
    use app::domain::staff::LoginForm;
    use app::service::staff as svc;
    let mut state = common::app_state(store.clone(), false);
    state.services.budgets = Budgets { sign_ins_per_address: 3, sign_ins_per_minute: 5, ..Default::default() };
    let services = &state.services;
    let now = time::OffsetDateTime::now_utc();
    svc::set_account(services, "sun", "handler", Some("630102".into()), Some("a long staff password".into()), now)
        .await
        .unwrap();
    let form = |password: &str| LoginForm { username: "sun".into(), password: password.into() };
    for _ in 0..3 {
        let e = svc::sign_in(services, &form("a wrong password!"), "198.51.100.7", now).await.unwrap_err();
        assert_eq!(e, AppError::Unauthorized);
    }
    // The fourth try from that address is refused, even with the right password…
    let e = svc::sign_in(services, &form("a long staff password"), "198.51.100.7", now).await.unwrap_err();
    assert_eq!(e, AppError::TooManyRequests);
    // …and another address signs in (the account is not locked by the stranger's tries).
    svc::sign_in(services, &form("a long staff password"), "198.51.100.8", now).await.expect("signed in");
    // Five attempts a minute in all (the one refused per address did not count): the fifth
    // passes, the sixth, from a fresh address, waits for the next minute.
    svc::sign_in(services, &form("a long staff password"), "198.51.100.9", now).await.expect("the fifth");
    let e = svc::sign_in(services, &form("a long staff password"), "198.51.100.10", now).await.unwrap_err();
    assert_eq!(e, AppError::TooManyRequests);
    let next_minute = now + time::Duration::seconds(61);
    svc::sign_in(services, &form("a long staff password"), "198.51.100.10", next_minute).await.expect("signed in");
}

on_both_databases!(sign_in_attempts_are_budgeted_per_address_and_in_all);
