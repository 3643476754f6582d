//! The storage port's contract, run against a real SQLite file and a real PostgreSQL server.

use crate::common;

use app::domain::case::{CaseNo, QueryCode};
use app::domain::fields::Note;
use app::domain::kind::ItemKind;
use app::domain::money::Fen;
use app::domain::workflow::{Action, ActionName, Actor, CaseState, MediationMethod, Refusal, Role};
use app::error::AppError;
use app::ports::prelude::*;
use app::service;
use std::sync::Arc;
use time::macros::datetime;
use time::OffsetDateTime;

type Store = Arc<dyn CaseStore>;

const NOW: OffsetDateTime = datetime!(2026-11-28 02:00 UTC);

fn handler() -> Actor {
    Actor { role: Role::Handler, bureau: Some("630102".into()), business: None }
}

async fn file(store: &Store, at: OffsetDateTime) -> (app::ports::StoredCase, QueryCode) {
    service::filing::receive(
        store.as_ref(),
        common::complaint(app::domain::clock::china_date(at)),
        &service::filing::consumer(),
        at,
        None,
    )
    .await
    .expect("receive")
}

async fn round_trip(store: Store) {
    let (stored, code) = file(&store, NOW).await;
    assert_eq!(stored.case_no.as_str(), "QH-2026-000001");
    assert_eq!(stored.state, CaseState::Received);
    assert_eq!(stored.version, 1);
    assert_eq!(stored.bureau, "630102", "a complaint goes to the bureau of the business's county");
    assert_eq!(stored.rule_set, "samr-order-121");
    assert_eq!(stored.content, common::complaint(app::domain::clock::china_date(NOW)));
    assert_eq!(stored.content.amount_paid, Some(Fen(299_950)));

    let again = store.get(&stored.case_no).await.unwrap().unwrap();
    assert_eq!(again, stored);

    let hash = store.query_hash(&stored.case_no).await.unwrap().unwrap();
    assert!(service::codes::query_code_matches(&code, &hash));
    assert!(!hash.contains(code.as_str()), "the code itself is never stored");

    let events = store.events(&stored.case_no).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].seq, events[0].action, events[0].to_state), (1, ActionName::Receive, CaseState::Received));
    assert_eq!(events[0].from_state, None);
    assert_eq!(events[0].actor_role, Role::Consumer);

    let (second, _) = file(&store, NOW).await;
    assert_eq!(second.case_no.as_str(), "QH-2026-000002");
}

async fn numbers_restart_each_year(store: Store) {
    let (a, _) = file(&store, datetime!(2025-12-31 15:59 UTC)).await; // 23:59 in China
    let (b, _) = file(&store, datetime!(2025-12-31 16:00 UTC)).await; // 00:00 on 1 January in China
    let (c, _) = file(&store, datetime!(2026-01-05 01:00 UTC)).await;
    assert_eq!(a.case_no.as_str(), "QH-2025-000001");
    assert_eq!(b.case_no.as_str(), "QH-2026-000001");
    assert_eq!(c.case_no.as_str(), "QH-2026-000002");
    assert_eq!(a.rule_set, "samr-interim-2022", "received before 2026-04-15");
}

async fn event_log_keeps_every_step_in_order(store: Store) {
    let (case, _) = file(&store, NOW).await;
    let no = case.case_no.clone();
    let steps = [
        Action::Accept,
        Action::StartMediation { method: MediationMethod::Phone, on_site: None },
        Action::PauseClock,
        Action::ResumeClock,
        Action::RecordSettlement { recovered: Fen(150_000), agreement: Note::parse("商家退款1500元").unwrap() },
        Action::Close,
    ];
    let mut version = case.version;
    for (i, step) in steps.iter().enumerate() {
        let at = NOW + time::Duration::hours(i as i64 + 1);
        let note = Some(format!("第{}步", i + 1));
        let c = service::step::act(store.as_ref(), &no, version, &handler(), Some("h1".into()), step, note, at)
            .await
            .unwrap();
        assert_eq!(c.version, version + 1);
        version = c.version;
    }
    let c = store.get(&no).await.unwrap().unwrap();
    assert_eq!(c.state, CaseState::Closed);
    assert_eq!(c.amount_recovered, Some(Fen(150_000)));
    assert!(!c.clock_paused);
    let events = store.events(&no).await.unwrap();
    let actions: Vec<_> = events.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            ActionName::Receive,
            ActionName::Accept,
            ActionName::StartMediation,
            ActionName::PauseClock,
            ActionName::ResumeClock,
            ActionName::RecordSettlement,
            ActionName::Close
        ]
    );
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7]);
    assert!(events.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(events[1].from_state, Some(CaseState::Received));
    assert_eq!(events[5].to_state, CaseState::Settled);
    assert_eq!(events[2].note.as_deref(), Some("第2步"));
    assert_eq!(events[2].actor_id.as_deref(), Some("h1"));
}

async fn a_stale_version_is_refused_and_changes_nothing(store: Store) {
    let (case, _) = file(&store, NOW).await;
    let no = case.case_no.clone();
    service::step::act(store.as_ref(), &no, 1, &handler(), None, &Action::Accept, None, NOW).await.unwrap();
    // A second handler still holds version 1 and tries to refuse.
    let stale =
        service::step::act(store.as_ref(), &no, 1, &handler(), None, &Action::Refuse { ground: 1 }, None, NOW).await;
    assert_eq!(stale, Err(AppError::Conflict));
    // Also at the port itself, bypassing the service's early check.
    let outcome = app::domain::workflow::Outcome {
        to: CaseState::Refused,
        bureau: "630102".into(),
        clock_paused: false,
        ground: Some(1),
        recovered: None,
        offer: None,
    };
    let event = app::ports::EventForCreate {
        at: 0,
        actor_role: Role::Handler,
        actor_id: None,
        action: ActionName::Refuse,
        note: None,
        detail: None,
        stats: Vec::new(),
        notices: Vec::new(),
    };
    assert_eq!(
        store.apply(&no, 1, CaseState::Received, &outcome, event, app::domain::queue::Urgency::Undated).await,
        Err(AppError::Conflict)
    );
    let c = store.get(&no).await.unwrap().unwrap();
    assert_eq!((c.state, c.version), (CaseState::Accepted, 2));
    assert_eq!(store.events(&no).await.unwrap().len(), 2);
}

async fn concurrent_updates_let_exactly_one_win(store: Store) {
    let (case, _) = file(&store, NOW).await;
    let no = case.case_no.clone();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let no = no.clone();
        tasks.push(tokio::spawn(async move {
            let action = if i % 2 == 0 { Action::Accept } else { Action::Refuse { ground: 2 } };
            service::step::act(store.as_ref(), &no, 1, &handler(), None, &action, None, NOW).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(AppError::Conflict) => {}
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(ok, 1);
    let c = store.get(&no).await.unwrap().unwrap();
    assert_eq!(c.version, 2);
    assert_eq!(store.events(&no).await.unwrap().len(), 2);
}

async fn workflow_refusals_store_nothing(store: Store) {
    let (case, _) = file(&store, NOW).await;
    let no = case.case_no.clone();
    let other = Actor { role: Role::Handler, bureau: Some("632801".into()), business: None };
    let r = service::step::act(store.as_ref(), &no, 1, &other, None, &Action::Accept, None, NOW).await;
    assert_eq!(r, Err(AppError::Workflow(Refusal::OtherBureau)));
    let r = service::step::act(store.as_ref(), &no, 1, &handler(), None, &Action::Close, None, NOW).await;
    assert!(matches!(r, Err(AppError::Workflow(Refusal::NotInThisState { .. }))));
    let c = store.get(&no).await.unwrap().unwrap();
    assert_eq!((c.state, c.version), (CaseState::Received, 1));
    assert_eq!(store.events(&no).await.unwrap().len(), 1);
    let missing = CaseNo::parse("QH-2026-999999").unwrap();
    assert_eq!(store.get(&missing).await, Ok(None));
    assert_eq!(
        service::step::act(store.as_ref(), &missing, 1, &handler(), None, &Action::Accept, None, NOW).await,
        Err(AppError::NotFound)
    );
}

async fn hostile_text_is_stored_verbatim(store: Store) {
    let mut input = common::complaint_input();
    input.facts = "<script>alert('x')</script> '; DROP TABLE cases; -- 😀 \"引号\"\n第二行".into();
    input.consumer_name = "O'Brien".into();
    let today = app::domain::clock::china_date(NOW);
    let case = app::domain::case::CaseForCreate::parse(&input, today).unwrap();
    let (stored, _) =
        service::filing::receive(store.as_ref(), case.clone(), &service::filing::consumer(), NOW, None).await.unwrap();
    let back = store.get(&stored.case_no).await.unwrap().unwrap();
    assert_eq!(back.content.facts.as_str(), input.facts);
    assert_eq!(back.content.consumer.as_ref().unwrap().name.as_str(), "O'Brien");
}

async fn a_consultation_without_business_starts_at_the_centre(store: Store) {
    let mut input = common::complaint_input();
    input.kind = "consultation".into();
    input.business = Default::default();
    input.demand = String::new();
    let today = app::domain::clock::china_date(NOW);
    let case = app::domain::case::CaseForCreate::parse(&input, today).unwrap();
    let (stored, _) =
        service::filing::receive(store.as_ref(), case, &service::filing::consumer(), NOW, None).await.unwrap();
    assert_eq!(stored.kind, ItemKind::Consultation);
    assert_eq!(stored.bureau, "630000");
    assert_eq!(stored.content.business, None);
}

async fn site_settings(store: Store) {
    assert_eq!(store.meta_get("demo").await.unwrap(), None);
    store.meta_set("demo", "synthetic").await.unwrap();
    store.meta_set("demo", "synthetic").await.unwrap();
    assert_eq!(store.meta_get("demo").await.unwrap().as_deref(), Some("synthetic"));
    store.ping().await.unwrap();
}

/// The sample complaint received at [`NOW`] from a draft with the idempotency key `key`.
async fn receive_draft(
    store: &dyn CaseStore,
    secret: &service::codes::Secret,
    key: &str,
) -> Result<(app::ports::StoredCase, QueryCode), AppError> {
    let filing = service::filing::Filing { key, secret, code_from: key, content: "" };
    let today = app::domain::clock::china_date(NOW);
    service::filing::receive(store, common::complaint(today), &service::filing::consumer(), NOW, Some(filing)).await
}

async fn a_repeated_filing_returns_the_first_case_and_code(store: Store) {
    let secret = service::codes::Secret([9; 32]);
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let store = store.clone();
        let secret = secret.clone();
        tasks.push(tokio::spawn(async move { receive_draft(store.as_ref(), &secret, "draft-key-1").await }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap().unwrap());
    }
    assert!(results.iter().all(|(c, code)| c.case_no == results[0].0.case_no && *code == results[0].1));
    let (second, code2) = receive_draft(store.as_ref(), &secret, "draft-key-2").await.unwrap();
    assert_ne!(second.case_no, results[0].0.case_no);
    assert_ne!(code2, results[0].1);
    assert_eq!(second.case_no.as_str(), "QH-2026-000002", "exactly one case for the six submissions");
    let hash = store.query_hash(&results[0].0.case_no).await.unwrap().unwrap();
    assert!(service::codes::query_code_matches(&results[0].1, &hash));
}

async fn two_cases_can_be_linked(store: Store) {
    let (a, _) = file(&store, NOW).await;
    let (b, _) = file(&store, NOW).await;
    assert_eq!(a.linked_case_no, None);
    store.link(&a.case_no, &b.case_no).await.unwrap();
    store.link(&a.case_no, &b.case_no).await.unwrap();
    assert_eq!(store.get(&a.case_no).await.unwrap().unwrap().linked_case_no, Some(b.case_no.clone()));
    assert_eq!(store.get(&b.case_no).await.unwrap().unwrap().linked_case_no, Some(a.case_no.clone()));
}

async fn evidence_is_pending_until_attached_once(store: Store) {
    let (a, _) = file(&store, NOW).await;
    let (b, _) = file(&store, NOW).await;
    let rec = |id: &str, at: i64| app::ports::EvidenceRecord {
        id: id.into(),
        kind: app::domain::evidence::EvidenceKind::Png,
        size: 10,
        sha256: "00".into(),
        uploaded_at: at,
    };
    let (x, y) = ("0".repeat(32), "1".repeat(32));
    store.add_evidence(&rec(&x, 1)).await.unwrap();
    store.add_evidence(&rec(&y, 2)).await.unwrap();
    assert_eq!(store.attach_evidence(&a.case_no, &[x.clone(), y.clone(), "f".repeat(32)]).await.unwrap(), 2);
    // Already attached: another case cannot take them.
    assert_eq!(store.attach_evidence(&b.case_no, &[x.clone()]).await.unwrap(), 0);
    let ids: Vec<_> = store.evidence_of(&a.case_no).await.unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(ids, [x, y]);
    assert!(store.evidence_of(&b.case_no).await.unwrap().is_empty());
    // Only unattached files older than the limit are purged.
    let (z, w) = ("2".repeat(32), "3".repeat(32));
    store.add_evidence(&rec(&z, 3)).await.unwrap();
    store.add_evidence(&rec(&w, 500)).await.unwrap();
    assert_eq!(store.purge_pending_evidence(100).await.unwrap(), [z]);
    assert_eq!(store.evidence_of(&a.case_no).await.unwrap().len(), 2);
    assert_eq!(store.attach_evidence(&b.case_no, &[w]).await.unwrap(), 1);
}

async fn an_agent_or_a_representative_is_stored_with_the_complaint(store: Store) {
    use app::domain::party::{Phone, Representation};
    let today = app::domain::clock::china_date(NOW);
    let agent = Representation::Agent {
        name: app::domain::fields::PersonName::parse("赵小明").unwrap(),
        phone: Phone::parse("0971-6123456").unwrap(),
    };
    for representation in [agent, Representation::Representative { consumers: 12 }] {
        let case =
            app::domain::case::CaseForCreate { representation: Some(representation), ..common::complaint(today) };
        let (stored, _) =
            service::filing::receive(store.as_ref(), case.clone(), &service::filing::consumer(), NOW, None)
                .await
                .unwrap();
        assert_eq!(stored.content, case);
        assert_eq!(store.get(&stored.case_no).await.unwrap().unwrap().content, case);
    }
}

on_both_databases!(
    evidence_is_pending_until_attached_once,
    an_agent_or_a_representative_is_stored_with_the_complaint,
    two_cases_can_be_linked,
    a_repeated_filing_returns_the_first_case_and_code,
    round_trip,
    numbers_restart_each_year,
    event_log_keeps_every_step_in_order,
    a_stale_version_is_refused_and_changes_nothing,
    concurrent_updates_let_exactly_one_win,
    workflow_refusals_store_nothing,
    hostile_text_is_stored_verbatim,
    a_consultation_without_business_starts_at_the_centre,
    site_settings,
);

// The event log refuses updates and deletes at the database level, on both backends.
on_both_adapters!(append_only, |store| {
    let pool = store.pool.clone();
    let s: Store = Arc::new(store);
    file(&s, NOW).await;
    assert!(sqlx::query("UPDATE case_events SET note = 'x'").execute(&pool).await.is_err());
    assert!(sqlx::query("DELETE FROM case_events").execute(&pool).await.is_err());
    assert_eq!(s.events(&CaseNo::parse("QH-2026-000001").unwrap()).await.unwrap().len(), 1);
});

/// SQLite runs with WAL, foreign keys and a version that has the WAL-reset fix.
#[tokio::test]
async fn sqlite_is_configured_for_safe_concurrent_use() {
    use sqlx::Row;
    let (store, _dir) = common::sqlite().await;
    let mode: String = sqlx::query("PRAGMA journal_mode").fetch_one(&store.pool).await.unwrap().get(0);
    assert_eq!(mode, "wal");
    let synchronous: i64 = sqlx::query("PRAGMA synchronous").fetch_one(&store.pool).await.unwrap().get(0);
    assert_eq!(synchronous, 2, "FULL: a commit is on the disk before it is acknowledged");
    let fk: i64 = sqlx::query("PRAGMA foreign_keys").fetch_one(&store.pool).await.unwrap().get(0);
    assert_eq!(fk, 1);
    let orphan = sqlx::query("INSERT INTO parties (case_id, role, name, address) VALUES (999, 'consumer', 'x', 'yy')")
        .execute(&store.pool)
        .await;
    assert!(orphan.is_err(), "foreign keys are enforced");
}
