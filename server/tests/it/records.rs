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
