//! The work queue against a real SQLite file and a real PostgreSQL server: the urgency stored
//! with every step, each filter, keyset pages that neither skip nor repeat a case, and the counts.

use crate::common;

use app::domain::calendar::WorkCalendar;
use app::domain::case::CaseNo;
use app::domain::kind::{Channel, ItemKind};
use app::domain::queue::{DueFilter, QueueParams, QueueSort, StateFilter, Urgency};
use app::domain::region::CENTRE;
use app::domain::rules;
use app::domain::workflow::{Action, Actor, CaseState, MediationMethod, Role};
use app::ports::prelude::*;
use app::ports::QueueFilter;
use app::service;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

type Store = Arc<dyn CaseStore>;

/// "Today" of the tests: Friday 2026-11-27, 10:00 in China.
const NOW: OffsetDateTime = datetime!(2026-11-27 02:00 UTC);

fn supervisor() -> Actor {
    Actor { role: Role::Supervisor, bureau: None, business: None }
}

/// A small deterministic generator (the data set is the same on every run and both databases).
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

async fn step(store: &Store, no: &CaseNo, action: Action, at: OffsetDateTime) {
    let v = store.get(no).await.unwrap().unwrap().version;
    service::step::act(store.as_ref(), no, v, &supervisor(), None, &action, None, at).await.unwrap();
}

/// 80 items received over six weeks, in every kind, several channels and bureaus, moved along
/// the workflow by chance.
async fn data_set(store: &Store) -> Vec<CaseNo> {
    let mut rng = Rng(0x5eed_1234_abcd);
    let counties = ["630102", "630103", "632801", "632221"];
    let mut out = Vec::new();
    for i in 0..80 {
        let received = NOW - Duration::days(rng.next(42) as i64) - Duration::hours(i);
        let mut case = common::complaint(app::domain::clock::china_date(received));
        case.kind =
            [ItemKind::Complaint, ItemKind::Complaint, ItemKind::Report, ItemKind::Consultation][rng.next(4) as usize];
        case.channel = Channel::ALL[rng.next(Channel::ALL.len() as u64) as usize];
        case.category = ["G01", "G05"][rng.next(2) as usize].into();
        if case.kind == ItemKind::Consultation {
            case.business = None;
        } else {
            case.business.as_mut().unwrap().county = counties[rng.next(4) as usize].into();
        }
        let (c, _) = service::filing::receive(store.as_ref(), case, &service::filing::consumer(), received, None)
            .await
            .expect("receive");
        let no = c.case_no.clone();
        let later = received + Duration::days(1);
        match (c.kind, rng.next(6)) {
            (ItemKind::Complaint, 1) => step(store, &no, Action::Accept, later).await,
            (ItemKind::Complaint, 2) => {
                step(store, &no, Action::Accept, later).await;
                let m = Action::StartMediation { method: MediationMethod::Phone, on_site: None };
                step(store, &no, m, later).await;
            }
            (ItemKind::Complaint, 3) => {
                step(store, &no, Action::Accept, later).await;
                let m = Action::StartMediation { method: MediationMethod::Online, on_site: None };
                step(store, &no, m, later).await;
                step(store, &no, Action::PauseClock, later).await;
            }
            (ItemKind::Complaint, 4) => {
                step(store, &no, Action::Refuse { ground: 1 }, later).await;
                step(store, &no, Action::Close, later).await;
            }
            (ItemKind::Report, 1 | 2) => step(store, &no, Action::StartVerification, later).await,
            (ItemKind::Consultation, 1 | 2) => {
                let a = Action::Answer { answer: app::domain::fields::Note::parse("已答复").unwrap() };
                step(store, &no, a, later).await
            }
            (k, 5) if k != ItemKind::Consultation => {
                step(store, &no, Action::Transfer { to_bureau: CENTRE.into() }, later).await
            }
            _ => {}
        }
        out.push(no);
    }
    out
}

/// What the queue should hold for `filter`, worked out case by case from the stored cases
/// and their events, in the queue's order.
async fn expected(store: &Store, all: &[CaseNo], filter: &QueueFilter) -> Vec<String> {
    let q = &filter.query;
    let mut rows = Vec::new();
    for (id, no) in all.iter().enumerate() {
        let c = store.get(no).await.unwrap().unwrap();
        let events = store.events(no).await.unwrap();
        let rules = rules::get(&c.rule_set).unwrap();
        let u = app::domain::queue::urgency(
            c.kind,
            c.content.anonymous(),
            c.state,
            c.received_on,
            &service::step::steps_of(&events),
            rules,
            WorkCalendar::china(),
        );
        let keep = filter.scope.as_ref().is_none_or(|b| *b == c.bureau)
            && q.bureau.as_ref().is_none_or(|b| *b == c.bureau)
            && match q.state {
                StateFilter::Open => u != Urgency::Finished,
                StateFilter::All => true,
                StateFilter::One(s) => s == c.state,
            }
            && q.kind.is_none_or(|k| k == c.kind)
            && q.category.as_ref().is_none_or(|k| *k == c.content.category)
            && q.channel.is_none_or(|k| k == c.channel)
            && q.from.is_none_or(|d| c.received_on >= d)
            && q.to.is_none_or(|d| c.received_on <= d)
            && filter.due_range.as_ref().is_none_or(|(lo, hi)| u.key() >= *lo && u.key() <= *hi);
        if keep {
            rows.push((u.key(), id, no.to_string()));
        }
    }
    match q.sort {
        QueueSort::Urgency => rows.sort(),
        QueueSort::Newest => rows.sort_by(|a, b| b.1.cmp(&a.1)),
    }
    rows.into_iter().map(|r| r.2).collect()
}

/// Every page of the queue, `limit` lines at a time, following the cursors.
async fn pages(store: &Store, filter: &QueueFilter, limit: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut f = filter.clone();
    loop {
        let (rows, next) = store.queue(&f, limit).await.unwrap();
        assert!(rows.len() as i64 <= limit);
        out.extend(rows.iter().map(|r| r.case_no.to_string()));
        match next {
            Some(c) => f.query.after = Some(c),
            None => break,
        }
        assert!(out.len() <= 80, "the cursor went round in circles");
    }
    out
}

fn filter(params: QueueParams, scope: Option<&str>) -> QueueFilter {
    let query = params.parse().unwrap();
    let due_range = query.due.map(|d| d.range(app::domain::clock::china_date(NOW), WorkCalendar::china()));
    QueueFilter { scope: scope.map(str::to_owned), business: None, query, due_range }
}

async fn the_queue_orders_filters_pages_and_counts(store: Store) {
    let all = data_set(&store).await;
    let p = |f: &[(&str, &str)]| {
        let mut q = QueueParams::default();
        for (k, v) in f {
            let v = v.to_string();
            match *k {
                "state" => q.state = v,
                "kind" => q.kind = v,
                "bureau" => q.bureau = v,
                "category" => q.category = v,
                "channel" => q.channel = v,
                "from" => q.from = v,
                "to" => q.to = v,
                "due" => q.due = v,
                "sort" => q.sort = v,
                _ => unreachable!(),
            }
        }
        q
    };
    let cases = [
        (p(&[]), None),
        (p(&[("state", "all")]), None),
        (p(&[("state", "all"), ("sort", "newest")]), None),
        (p(&[]), Some("630102")),
        (p(&[("kind", "complaint"), ("channel", "web")]), None),
        (p(&[("state", "received"), ("category", "G05")]), Some("630102")),
        (p(&[("state", "in_mediation")]), None),
        (p(&[("from", "2026-11-01"), ("to", "2026-11-20")]), None),
        (p(&[("due", "overdue")]), None),
        (p(&[("due", "today")]), None),
        (p(&[("due", "soon"), ("sort", "newest")]), None),
        (p(&[("bureau", "632801"), ("state", "all")]), None),
        (p(&[]), Some(CENTRE)),
    ];
    let mut nonempty = 0;
    for (params, scope) in cases {
        let f = filter(params.clone(), scope);
        let want = expected(&store, &all, &f).await;
        nonempty += usize::from(!want.is_empty());
        for limit in [1, 7, 100] {
            assert_eq!(pages(&store, &f, limit).await, want, "{params:?} {scope:?} by {limit}");
        }
    }
    assert!(nonempty >= 10, "the data set exercises the filters ({nonempty} of 13 non-empty)");

    // A complaint received on Monday 2 November waits on its acceptance decision, due 7 working
    // days later on Wednesday 11 November: overdue now.
    let received = datetime!(2026-11-02 02:00 UTC);
    let (late, _) = service::filing::receive(
        store.as_ref(),
        common::complaint(date!(2026 - 11 - 02)),
        &service::filing::consumer(),
        received,
        None,
    )
    .await
    .unwrap();
    let overdue = filter(p(&[("due", "overdue")]), None);
    let (rows, _) = store.queue(&overdue, 200).await.unwrap();
    let row = rows.iter().find(|r| r.case_no == late.case_no).expect("listed as overdue");
    assert_eq!(row.urgency, Urgency::Due(date!(2026 - 11 - 11)));
    assert_eq!(rows.first().map(|r| r.urgency), rows.iter().map(|r| r.urgency).min(), "most urgent first");
    // Accepting it starts the mediation limit; closing work takes it out of the open queue.
    step(&store, &late.case_no, Action::Accept, NOW).await;
    let (rows, _) = store.queue(&overdue, 200).await.unwrap();
    assert!(rows.iter().all(|r| r.case_no != late.case_no), "no longer overdue once accepted");
    step(&store, &late.case_no, Action::TerminateMediation { ground: 1 }, NOW).await;
    step(&store, &late.case_no, Action::Close, NOW).await;
    let (rows, _) = store.queue(&filter(p(&[]), None), 200).await.unwrap();
    assert!(rows.iter().all(|r| r.case_no != late.case_no), "closed cases leave the open queue");

    // The counts match a recount of the stored cases, for everyone and for one bureau.
    let mut all = all;
    all.push(late.case_no.clone());
    let today = app::domain::clock::china_date(NOW);
    let ranges = [DueFilter::Overdue, DueFilter::Today, DueFilter::Soon].map(|d| d.range(today, WorkCalendar::china()));
    for bureau in [None, Some("630102"), Some(CENTRE)] {
        let counts = store.queue_counts(bureau, ranges.clone()).await.unwrap();
        let mut by_state = BTreeMap::new();
        for no in &all {
            let c = store.get(no).await.unwrap().unwrap();
            if bureau.is_none_or(|b| b == c.bureau) {
                *by_state.entry(c.state.code()).or_insert(0i64) += 1;
            }
        }
        let got: BTreeMap<_, _> = counts.by_state.iter().map(|(s, n)| (s.code(), *n)).collect();
        assert_eq!(got, by_state, "{bureau:?}");
        for (d, n) in [("overdue", counts.overdue), ("today", counts.today), ("soon", counts.soon)] {
            let f = filter(p(&[("due", d)]), bureau);
            assert_eq!(expected(&store, &all, &f).await.len() as i64, n, "{d} in {bureau:?}");
        }
    }
    let closed = store.queue_counts(None, ranges).await.unwrap();
    assert!(closed.by_state.iter().any(|(s, n)| *s == CaseState::Closed && *n > 0));
}

on_both_databases!(the_queue_orders_filters_pages_and_counts);
