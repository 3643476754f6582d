//! The filing's idempotency key: a replay within a day with the same form gets the first
//! receipt; with other content, or a day later, it is refused (and nothing is stored), and sent
//! again the form is filed as a new item under a new key; a staff step tried again after a lost
//! answer is recognised as its own. On SQLite and PostgreSQL.

use crate::common;
use app::domain::filing::FilingForm;
use app::domain::{FieldError, Invalid};
use app::error::AppError;
use std::sync::Arc;

fn form(today: &str) -> FilingForm {
    app::domain::filing::sample_complaint(today, "replay-key-0123456789")
}

async fn a_replay_gets_the_first_receipt_only_within_a_day_and_with_the_same_form(store: Arc<dyn app::ports::Store>) {
    let state = common::app_state(store.clone(), false);
    let services = &state.services;
    let now = time::OffsetDateTime::now_utc();
    let today = app::domain::calendar::format_date(app::domain::clock::china_date(now));
    let file = |f: FilingForm, at: time::OffsetDateTime| async move {
        app::service::filing::file_online(services, &f, "192.0.2.50", app::i18n::Lang::Zh, at).await
    };
    let (first, cookie) = file(form(&today), now).await.unwrap();
    // The same form again (a double tap, a retry after a lost answer): the same case and code.
    let (again, again_cookie) = file(form(&today), now + time::Duration::minutes(5)).await.unwrap();
    assert_eq!((&again, &again_cookie), (&first, &cookie));
    // The same key with other content: refused, nothing stored.
    let resent = AppError::Invalid(vec![FieldError::new("key", Invalid::FormResent)]);
    let changed = FilingForm { facts: "洗衣机不能脱水，商家至今没有答复。".into(), ..form(&today) };
    assert_eq!(file(changed, now + time::Duration::minutes(6)).await.unwrap_err(), resent);
    // The same form a day later: refused too.
    assert_eq!(file(form(&today), now + time::Duration::hours(25)).await.unwrap_err(), resent);
    let year = app::domain::clock::china_date(now).year();
    assert_eq!(store.get(&app::domain::case::CaseNo::new(year, 2)).await.unwrap(), None, "nothing more was stored");
    // Sent again under a new key (as the form does after that answer), it is a new filing.
    let renewed = FilingForm { key: "replay-key-renewed-0123".into(), ..form(&today) };
    let (second, _) = file(renewed, now + time::Duration::minutes(7)).await.unwrap();
    assert_ne!(second, first);
}

on_both_databases!(a_replay_gets_the_first_receipt_only_within_a_day_and_with_the_same_form);

/// Without JavaScript, the refused form comes back with a new key: pressing Submit again files it.
#[tokio::test]
async fn without_javascript_a_resent_form_comes_back_with_a_new_key() {
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    let app = common::app().await;
    let today = app::domain::calendar::format_date(app::domain::clock::china_date(time::OffsetDateTime::now_utc()));
    let post = |f: FilingForm| {
        let mut pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(&serde_urlencoded::to_string(f).unwrap()).unwrap();
        pairs.push(("go".into(), "submit".into()));
        Request::post("/file")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(&pairs).unwrap()))
            .unwrap()
    };
    assert_eq!(common::send(&app, post(form(&today))).await.status, StatusCode::SEE_OTHER);
    let changed = FilingForm { facts: "洗衣机不能脱水，商家至今没有答复。".into(), ..form(&today) };
    let page = common::send(&app, post(changed)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("这份表单之前已经提交过"), "the reason is shown");
    assert!(!page.body.contains("replay-key-0123456789"), "the page carries a new key");
    assert!(page.body.contains("name=\"key\" value=\"n-"), "a server-made key");
}

/// A step tried again after the database went away during a try (`service::step::act_by`): the
/// try that committed before its answer was lost is recognised by the retry as its own step (the
/// next version, the same account, action and instant), and anything else stays a conflict.
async fn a_retried_step_recognises_its_own_commit_and_nothing_else(store: Arc<dyn app::ports::Store>) {
    use app::domain::workflow::{Action, Actor, Role};
    use app::service::step;
    let no = common::new_complaint(store.as_ref()).await;
    let handler = Actor { role: Role::Handler, bureau: Some("630102".into()), business: None };
    let by = Some("handler1".to_owned());
    let now = time::OffsetDateTime::now_utc();
    let taken = step::act(store.as_ref(), &no, 1, &handler, by.clone(), &Action::Accept, None, now).await.unwrap();
    assert_eq!(taken.version, 2);
    // The retry made on version 1 finds the step taken: its own, so the case as it is.
    let again = step::own_step(store.as_ref(), &no, 1, &by, &Action::Accept, now).await.unwrap();
    assert_eq!(again, taken);
    assert_eq!(store.events(&no).await.unwrap().len(), 2, "taken once");
    // Not its own: another account, another instant, another action, another version.
    let conflict = |r: Result<_, AppError>| assert_eq!(r.unwrap_err(), AppError::Conflict);
    let other = Some("handler2".to_owned());
    conflict(step::own_step(store.as_ref(), &no, 1, &other, &Action::Accept, now).await);
    let later = now + time::Duration::milliseconds(1);
    conflict(step::own_step(store.as_ref(), &no, 1, &by, &Action::Accept, later).await);
    conflict(step::own_step(store.as_ref(), &no, 1, &by, &Action::Refuse { ground: 1 }, now).await);
    conflict(step::own_step(store.as_ref(), &no, 2, &by, &Action::Accept, now).await);
    // A step made from the old page afresh (its own instant) is refused as before.
    conflict(step::act(store.as_ref(), &no, 1, &handler, by.clone(), &Action::Accept, None, later).await);
}

on_both_databases!(a_retried_step_recognises_its_own_commit_and_nothing_else);
