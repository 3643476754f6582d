//! The public statistics against a real SQLite file and a real PostgreSQL server: on random data
//! sets moved along the workflow through the services, the running totals the database keeps
//! (written with each step) equal the totals recomputed here from the raw cases, events and
//! ratings, and the figures of every period follow.

use crate::common;

use app::domain::calendar::WorkCalendar;
use app::domain::case::CaseNo;
use app::domain::clock::day_of;
use app::domain::kind::{Channel, ItemKind};
use app::domain::money::Fen;
use app::domain::queue::urgency;
use app::domain::rules;
use app::domain::stats::{month_of, Dim, Figures, Measures, Period, NO_PREFECTURE};
use app::domain::tracking::RatingForm;
use app::domain::workflow::{target, Action, ActionName, Actor, CaseState, MediationMethod, Role};
use app::ports::Store;
use app::service::{self, track};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// One random item: what it is, when it came, the staff steps tried on it and its rating.
#[derive(Debug, Clone)]
struct Spec {
    kind: usize,
    channel: usize,
    category: usize,
    county: Option<usize>,
    received_day: i64,
    steps: Vec<(u8, i64)>,
    rating: Option<(u8, Option<u8>)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..3usize,
        0..5usize,
        0..4usize,
        proptest::option::of(0..5usize),
        0..560i64,
        proptest::collection::vec((0..12u8, 0..12i64), 0..6),
        proptest::option::of((1..=5u8, proptest::option::of(1..=5u8))),
    )
        .prop_map(|(kind, channel, category, county, received_day, steps, rating)| Spec {
            kind,
            channel,
            category,
            county,
            received_day,
            steps,
            rating,
        })
}

/// From 1 March 2025 (rule sets change on 15 April 2026, inside the range), at 10:00 in China.
const START: OffsetDateTime = datetime!(2025-03-01 02:00 UTC);

fn candidates(recovered: i64) -> Vec<Action> {
    vec![
        Action::Accept,
        Action::Refuse { ground: 3 },
        Action::StartMediation { method: MediationMethod::Phone, on_site: None },
        Action::RecordSettlement {
            recovered: Fen(recovered),
            agreement: app::domain::fields::Note::parse("退款").unwrap(),
        },
        Action::TerminateMediation { ground: 4 },
        Action::Close,
        Action::Answer { answer: app::domain::fields::Note::parse("已答复").unwrap() },
        Action::StartVerification,
        Action::DecideReport { opened: true },
        Action::PauseClock,
        Action::ResumeClock,
        Action::Transfer { to_bureau: "632800".into() },
    ]
}

/// Files the items and moves them along through the services; returns their numbers.
async fn load(store: &Arc<dyn Store>, specs: &[Spec]) -> Vec<CaseNo> {
    let services = common::app_state(store.clone(), false).services;
    let supervisor = Actor { role: Role::Supervisor, bureau: None, business: None };
    let counties = ["630102", "630121", "632321", "632801", "632701"];
    let mut out = Vec::new();
    for (i, s) in specs.iter().enumerate() {
        let mut at = START + Duration::days(s.received_day) + Duration::minutes(i as i64);
        let mut case = common::complaint(app::domain::clock::china_date(at));
        case.kind = ItemKind::ALL[s.kind];
        case.channel = Channel::ALL[s.channel];
        case.category = match case.kind {
            ItemKind::Report => ["R01", "R02", "R03", "R04"][s.category],
            _ => ["G01", "G05", "S01", "S08"][s.category],
        }
        .into();
        // Some businesses named without a credit code: their records go by name and county.
        if i % 3 == 0 {
            if let Some(b) = case.business.as_mut() {
                b.credit_code = None;
            }
        }
        match s.county {
            Some(c) => case.business.as_mut().unwrap().county = counties[c].into(),
            None if case.kind == ItemKind::Consultation => case.business = None,
            None => {}
        }
        let (stored, code) =
            service::filing::receive(store.as_ref(), case, &service::filing::consumer(), at, None).await.unwrap();
        let no = stored.case_no.clone();
        for (pick, gap) in &s.steps {
            let c = store.get(&no).await.unwrap().unwrap();
            let possible: Vec<Action> = candidates(1_000 + 37 * i as i64)
                .into_iter()
                .filter(|a| target(c.kind, c.state, a.name()).is_some())
                .filter(|a| match a {
                    Action::PauseClock => !c.clock_paused,
                    Action::ResumeClock => c.clock_paused,
                    Action::Transfer { to_bureau } => *to_bureau != c.bureau,
                    _ => true,
                })
                .collect();
            if possible.is_empty() {
                break;
            }
            at += Duration::days(*gap) + Duration::hours(1);
            let action = &possible[*pick as usize % possible.len()];
            service::step::act(store.as_ref(), &no, c.version, &supervisor, None, action, None, at).await.unwrap();
        }
        if let Some((first, change)) = s.rating {
            let c = store.get(&no).await.unwrap().unwrap();
            if c.state.is_ratable() {
                let _ = code;
                let form = |p: u8| {
                    track::ConsumerStep::Rate(RatingForm {
                        process: p.to_string(),
                        outcome: "resolved".into(),
                        comment: String::new(),
                    })
                };
                at += Duration::days(2);
                track::consumer_act(&services, &no, &form(first), at).await.unwrap();
                if let Some(p) = change {
                    at += Duration::days(1);
                    track::consumer_act(&services, &no, &form(p), at).await.unwrap();
                }
            }
        }
        out.push(no);
    }
    out
}

type AggMap = BTreeMap<(String, Dim, String, &'static str), Measures>;
type DaysMap = BTreeMap<(String, &'static str, &'static str, i64), i64>;

/// The totals recomputed from the raw data: each case, its events and its rating, read back.
async fn recompute(store: &Arc<dyn Store>, cases: &[CaseNo]) -> (AggMap, DaysMap) {
    let mut agg = AggMap::new();
    let mut days = DaysMap::new();
    for no in cases {
        let c = store.get(no).await.unwrap().unwrap();
        let events = store.events(no).await.unwrap();
        let rules = rules::get(&c.rule_set).unwrap();
        let prefecture = c
            .content
            .business
            .as_ref()
            .and_then(|b| app::domain::region::prefecture_of(&b.county))
            .map(|p| p.code.clone())
            .unwrap_or_else(|| NO_PREFECTURE.to_owned());
        let mut add = |month: String, f: &dyn Fn(&mut Measures)| {
            for (dim, key) in [
                (Dim::Channel, c.channel.code().to_owned()),
                (Dim::Category, c.content.category.clone()),
                (Dim::Prefecture, prefecture.clone()),
            ] {
                f(agg.entry((month.clone(), dim, key, c.kind.code())).or_default());
            }
        };
        add(month_of(c.received_on), &|m| m.received += 1);
        let mut closed_seen = false;
        for (i, e) in events.iter().enumerate() {
            let on = day_of(e.at);
            let month = month_of(on);
            let elapsed = (on - c.received_on).whole_days();
            match e.action {
                ActionName::Accept | ActionName::Refuse if c.kind == ItemKind::Complaint => {
                    let steps = app::service::step::steps_of(&events[..i]);
                    let before = urgency(
                        c.kind,
                        c.content.anonymous(),
                        e.from_state.unwrap(),
                        c.received_on,
                        &steps,
                        rules,
                        WorkCalendar::china(),
                    );
                    let in_time = match before {
                        app::domain::queue::Urgency::Due(d) => on <= d,
                        _ => true,
                    };
                    let accepted = e.action == ActionName::Accept;
                    add(month.clone(), &|m| {
                        m.decided += 1;
                        m.accepted += accepted as i64;
                        m.decided_in_time += in_time as i64;
                    });
                    *days.entry((month.clone(), c.kind.code(), "decision", elapsed)).or_default() += 1;
                }
                ActionName::RecordSettlement => {
                    let fen = c.amount_recovered.unwrap().0;
                    add(month.clone(), &|m| {
                        m.concluded += 1;
                        m.settled += 1;
                        m.recovered_fen += fen;
                    });
                }
                ActionName::TerminateMediation => add(month.clone(), &|m| m.concluded += 1),
                ActionName::AcceptOffer => {
                    let fen = c.amount_recovered.unwrap().0;
                    add(month.clone(), &|m| {
                        m.odr_concluded += 1;
                        m.odr_settled += 1;
                        m.recovered_fen += fen;
                    });
                    *days.entry((month.clone(), c.kind.code(), "odr_settlement", elapsed)).or_default() += 1;
                }
                ActionName::OdrDecline | ActionName::RejectOffer | ActionName::PassOn => {
                    add(month.clone(), &|m| m.odr_concluded += 1)
                }
                _ => {}
            }
            if e.to_state == CaseState::Closed && !closed_seen {
                closed_seen = true;
                add(month.clone(), &|m| m.closed += 1);
                *days.entry((month, c.kind.code(), "closure", elapsed)).or_default() += 1;
            }
        }
        if let Some(r) = store.rating(no).await.unwrap() {
            use app::domain::tracking::RatingOutcome;
            let satisfied = r.rating.process >= 4;
            let outcome = r.rating.outcome;
            add(month_of(day_of(r.rated_at)), &|m| {
                m.rated += 1;
                m.satisfied += satisfied as i64;
                m.solved += (outcome == RatingOutcome::Resolved) as i64;
                m.partly += (outcome == RatingOutcome::Partly) as i64;
            });
        }
    }
    agg.retain(|_, m| !m.is_zero());
    (agg, days)
}

async fn check(store: Arc<dyn Store>, specs: Vec<Spec>) {
    let cases = load(&store, &specs).await;
    compare(&store, &cases).await;
}

/// The store's running totals equal a recount of `cases`, and the figures of every period of
/// 2025 and 2026 follow.
async fn compare(store: &Arc<dyn Store>, cases: &[CaseNo]) {
    crate::records::compare_records(store, cases).await;
    let cases = cases.to_vec();
    let (want_agg, want_days) = recompute(store, &cases).await;
    let (rows, days) = store.stats_rows("2000-01", "2100-12").await.unwrap();
    let got_agg: AggMap = rows.iter().map(|r| ((r.month.clone(), r.dim, r.key.clone(), r.kind.code()), r.m)).collect();
    assert_eq!(got_agg.len(), rows.len(), "one row per month, dimension value and kind");
    let got_agg: AggMap = got_agg.into_iter().filter(|(_, m)| !m.is_zero()).collect();
    assert_eq!(got_agg, want_agg);
    let got_days: DaysMap = days
        .iter()
        .filter(|d| d.n != 0)
        .map(|d| ((d.month.clone(), d.kind.code(), d.span.code(), d.days), d.n))
        .collect();
    assert_eq!(got_days, want_days);
    // The figures of every year, quarter and month read through the store's range query equal
    // those of the recomputed totals, and the received counts equal a plain count of cases.
    let want_rows: Vec<app::domain::stats::AggRow> = want_agg
        .iter()
        .map(|((month, dim, key, kind), m)| app::domain::stats::AggRow {
            month: month.clone(),
            dim: *dim,
            key: key.clone(),
            kind: ItemKind::from_code(kind).unwrap(),
            m: *m,
        })
        .collect();
    let want_days_rows: Vec<app::domain::stats::DaysRow> = want_days
        .iter()
        .map(|((month, kind, span, d), n)| app::domain::stats::DaysRow {
            month: month.clone(),
            kind: ItemKind::from_code(kind).unwrap(),
            span: app::domain::stats::Span::from_code(span).unwrap(),
            days: *d,
            n: *n,
        })
        .collect();
    let mut periods = vec![Period::Year(2025), Period::Year(2026)];
    for y in [2025, 2026] {
        periods.extend((1..=4).map(|q| Period::Quarter(y, q)));
        periods.extend((1..=12).map(|m| Period::Month(y, m)));
    }
    for p in periods {
        let (from, to) = Figures::month_range(p);
        let (rows, days) = store.stats_rows(&from, &to).await.unwrap();
        let got = Figures::compute(p, &rows, &days);
        assert_eq!(got, Figures::compute(p, &want_rows, &want_days_rows), "{p:?}");
        let mut received = 0;
        for no in &cases {
            let c = store.get(no).await.unwrap().unwrap();
            received += p.months().contains(&month_of(c.received_on)) as i64;
        }
        assert_eq!(got.totals.received, received, "{p:?}");
    }
}

/// The demonstration year: its steps follow one another (each from the state the one before led
/// to), and the totals written in bulk equal a recount, like those written step by step.
async fn demo_data_totals_equal_a_recount(store: Arc<dyn Store>) {
    let now = datetime!(2026-11-28 02:00 UTC);
    assert_eq!(server::demo::load(store.as_ref(), 400, now).await.unwrap(), 400);
    // The register: 300 businesses with valid credit codes, 50 of them in the ODR lane.
    let register = store.business_search("合成数据", None, 1_000).await.unwrap();
    assert_eq!(register.len(), 300);
    assert_eq!(register.iter().filter(|b| b.odr == app::domain::business::OdrStatus::Joined).count(), 50);
    let mut lane = 0;
    let mut cases = Vec::new();
    for year in [2025, 2026] {
        for n in 1.. {
            let no = CaseNo::new(year, n);
            let Some(c) = store.get(&no).await.unwrap() else { break };
            let events = store.events(&no).await.unwrap();
            for pair in events.windows(2) {
                assert_eq!(pair[1].from_state, Some(pair[0].to_state), "{no:?}: {pair:?}");
                let to = target(c.kind, pair[0].to_state, pair[1].action);
                let decided = pair[1].action == ActionName::DecideReport;
                assert!(to == Some(pair[1].to_state) || decided, "{no:?}: a step the workflow allows");
            }
            assert_eq!(events.last().unwrap().to_state, c.state);
            assert!(c.content.facts.as_str().starts_with("合成演示数据"));
            if let Some(code) = &c.odr_business {
                // Sent to a member, named as registered, and its first step the business's state.
                assert!(register
                    .iter()
                    .any(|b| b.credit_code.as_str() == code && b.odr == app::domain::business::OdrStatus::Joined));
                assert_eq!(
                    c.content.business.as_ref().and_then(|b| b.credit_code.as_ref()).map(|x| x.as_str()),
                    Some(code.as_str())
                );
                assert_eq!(events[0].to_state, app::domain::workflow::CaseState::WithBusiness);
                lane += 1;
            }
            cases.push(no);
        }
    }
    assert_eq!(cases.len(), 400);
    assert!(lane > 0, "complaints of the lane among them");
    compare(&store, &cases).await;
}

/// A burst of requests that find the figures expired reads the totals once (single flight), and
/// every request gets the same figures; a step recorded later is read afresh.
async fn a_burst_of_requests_reads_the_totals_once(store: Arc<dyn Store>) {
    use app::domain::stats::Period;
    use app::service::stats::{figures, FiguresCache};
    let now = datetime!(2026-11-28 02:00 UTC);
    server::demo::load(store.as_ref(), 300, now).await.unwrap();
    let cache = Arc::new(FiguresCache::default());
    let burst: Vec<_> = (0..32)
        .map(|_| {
            let (store, cache) = (store.clone(), cache.clone());
            tokio::spawn(async move { figures(store.as_ref(), &cache, Period::Year(2026)).await.unwrap() })
        })
        .collect();
    let mut all = Vec::new();
    for h in burst {
        all.push(h.await.unwrap());
    }
    assert_eq!(cache.reads(), 1, "one read for 32 requests");
    assert!(all.windows(2).all(|w| w[0] == w[1]), "the same figures for all");
    assert_eq!(all[0].totals.received, 300 - all[0].before.received, "this year's items, beside last year's");
    // Once the figures are too old, the next request reads them again.
    tokio::time::sleep(FiguresCache::MAX_AGE).await;
    figures(store.as_ref(), &cache, Period::Year(2026)).await.unwrap();
    assert_eq!(cache.reads(), 2);
}

on_both_databases!(demo_data_totals_equal_a_recount, a_burst_of_requests_reads_the_totals_once);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn totals_equal_a_recount_of_the_raw_events_on_sqlite(specs in proptest::collection::vec(spec(), 1..40)) {
        runtime().block_on(async {
            let (store, _dir) = common::sqlite().await;
            check(Arc::new(store), specs).await;
        });
    }

    #[test]
    fn totals_equal_a_recount_of_the_raw_events_on_postgres(specs in proptest::collection::vec(spec(), 1..40)) {
        runtime().block_on(async {
            let (store, db) = common::postgres().await;
            check(Arc::new(store), specs).await;
            db.drop_db().await;
        });
    }
}
