//! The bulk import of cases with their whole histories (the demonstration year): one transaction
//! per batch, the same rows and statistics as cases filed and worked one step at a time. The rows
//! are built here once; SQLite writes them with multi-row `INSERT`s (`store::sqlite_import`),
//! PostgreSQL streams them with `COPY` (`store::pg_copy`).

use app::domain::calendar::format_date;
use app::domain::case::{CaseForCreate, CaseNo};
use app::domain::workflow::ActionName;
use app::ports::ImportCase;
use std::collections::HashMap;

/// Reserves `$2` case numbers of year `$1` at once; returns the last.
pub const RESERVE_NUMBERS: &str = "INSERT INTO case_counters (year, last) VALUES ($1, $2) \
     ON CONFLICT (year) DO UPDATE SET last = case_counters.last + excluded.last RETURNING last";

/// How many of `cases` were received in each year, in order.
pub fn per_year(cases: &[ImportCase]) -> Vec<(i32, i64)> {
    let mut out: Vec<(i32, i64)> = Vec::new();
    for ic in cases {
        let year = ic.new.received_on.year();
        match out.iter_mut().find(|(y, _)| *y == year) {
            Some((_, n)) => *n += 1,
            None => out.push((year, 1)),
        }
    }
    out
}

/// Numbers `cases` in order, each year's from the first number reserved for it.
pub fn number(cases: &[ImportCase], mut first: HashMap<i32, i64>) -> Vec<CaseNo> {
    cases
        .iter()
        .map(|ic| {
            let year = ic.new.received_on.year();
            let seq = first.get_mut(&year).expect("every year was reserved");
            *seq += 1;
            CaseNo::new(year, *seq - 1)
        })
        .collect()
}

/// When the case last changed (its row's `updated_at`).
fn last_at(ic: &ImportCase) -> i64 {
    ic.steps.last().map(|s| s.event.at).unwrap_or(ic.new.received_at)
}

/// A case's row (the columns of `cases`, in order) as its history left it.
pub struct CaseValues<'a> {
    pub case_no: &'a str,
    pub kind: &'static str,
    pub channel: &'static str,
    pub state: &'static str,
    pub rule_set: &'a str,
    pub bureau: &'a str,
    pub clock_paused: bool,
    pub category: &'a str,
    pub received_at: i64,
    pub received_on: String,
    pub incident_on: Option<String>,
    pub amount_paid_fen: Option<i64>,
    pub amount_recovered_fen: Option<i64>,
    pub order_no: Option<&'a str>,
    pub demand: Option<&'static str>,
    pub demand_text: Option<&'a str>,
    pub facts: &'a str,
    pub consent_publish: bool,
    pub query_hash: &'a str,
    pub version: i64,
    pub updated_at: i64,
    pub due_on: String,
    pub odr_business: Option<&'a str>,
    pub odr_offer_fen: Option<i64>,
}

/// The columns of [`CaseValues`].
pub const CASE_COLUMNS: &str = "case_no, kind, channel, state, rule_set, bureau, clock_paused, category, received_at, \
     received_on, incident_on, amount_paid_fen, amount_recovered_fen, order_no, demand, demand_text, facts, \
     consent_publish, query_hash, version, updated_at, due_on, odr_business, odr_offer_fen";

pub fn case_values<'a>(ic: &'a ImportCase, no: &'a CaseNo) -> CaseValues<'a> {
    let (new, c) = (&ic.new, &ic.new.case);
    CaseValues {
        case_no: no.as_str(),
        kind: c.kind.code(),
        channel: c.channel.code(),
        state: ic.state.code(),
        rule_set: &new.rule_set,
        bureau: &ic.bureau,
        clock_paused: ic.clock_paused,
        category: &c.category,
        received_at: new.received_at,
        received_on: format_date(new.received_on),
        incident_on: c.incident_on.map(format_date),
        amount_paid_fen: c.amount_paid.map(|f| f.0),
        amount_recovered_fen: ic.recovered.map(|f| f.0),
        order_no: c.order_no.as_ref().map(|o| o.as_str()),
        demand: c.demand.map(|d| d.code()),
        demand_text: c.demand_text.as_ref().map(|d| d.as_str()),
        facts: c.facts.as_str(),
        consent_publish: c.consent_publish,
        query_hash: &new.query_hash,
        version: ic.version,
        updated_at: last_at(ic),
        due_on: ic.urgency.key(),
        odr_business: new.odr_business.as_deref(),
        odr_offer_fen: ic.odr_offer.map(|f| f.0),
    }
}

/// A row of `parties` (its case's id aside).
pub struct PartyValues<'a> {
    pub role: &'static str,
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub address: &'a str,
    pub credit_code: Option<&'a str>,
    pub county: Option<&'a str>,
    pub platform: Option<&'a str>,
    pub shop: Option<&'a str>,
}

pub const PARTY_COLUMNS: &str = "case_id, role, name, phone, address, credit_code, county, platform, shop";

/// The consumer (unless the report is anonymous) and the business (when known) of a case.
pub fn parties_of(c: &CaseForCreate) -> Vec<PartyValues<'_>> {
    let mut out = Vec::with_capacity(2);
    if let Some(p) = &c.consumer {
        out.push(PartyValues {
            role: "consumer",
            name: p.name.as_str(),
            phone: Some(p.phone.as_str()),
            address: p.address.as_str(),
            credit_code: None,
            county: None,
            platform: None,
            shop: None,
        });
    }
    if let Some(b) = &c.business {
        out.push(PartyValues {
            role: "business",
            name: b.name.as_str(),
            phone: None,
            address: b.address.as_str(),
            credit_code: b.credit_code.as_ref().map(|x| x.as_str()),
            county: Some(&b.county),
            platform: b.platform.as_ref().map(|x| x.as_str()),
            shop: b.shop.as_ref().map(|x| x.as_str()),
        });
    }
    out
}

/// A row of `case_representation` (its case's id aside): who filed for the consumer.
pub struct RepresentationValues<'a> {
    pub kind: &'static str,
    pub name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub consumers: Option<i32>,
}

pub const REPRESENTATION_COLUMNS: &str = "case_id, kind, name, phone, consumers";

pub fn representation_of(c: &CaseForCreate) -> Option<RepresentationValues<'_>> {
    use app::domain::party::Representation;
    c.representation.as_ref().map(|r| match r {
        Representation::Agent { name, phone } => RepresentationValues {
            kind: r.code(),
            name: Some(name.as_str()),
            phone: Some(phone.as_str()),
            consumers: None,
        },
        Representation::Representative { consumers } => {
            RepresentationValues { kind: r.code(), name: None, phone: None, consumers: Some(*consumers as i32) }
        }
    })
}

/// A row of `case_events` (its case's id aside).
pub struct EventValues<'a> {
    pub seq: i64,
    pub at: i64,
    pub actor_role: &'static str,
    pub actor_id: Option<&'a str>,
    pub action: &'static str,
    pub from_state: Option<&'static str>,
    pub to_state: &'static str,
    pub ground: Option<i64>,
    pub note: Option<&'a str>,
    pub detail: Option<&'a str>,
}

pub const EVENT_COLUMNS: &str =
    "case_id, seq, at, actor_role, actor_id, action, from_state, to_state, ground, note, detail";

/// A case's events: its receipt, then its steps.
pub fn events_of(ic: &ImportCase) -> Vec<EventValues<'_>> {
    let receipt = EventValues {
        seq: 1,
        at: ic.new.received_at,
        actor_role: ic.new.actor_role.code(),
        actor_id: ic.new.actor_id.as_deref(),
        action: ActionName::Receive.code(),
        from_state: None,
        to_state: ic.new.first_state().code(),
        ground: None,
        note: None,
        detail: None,
    };
    std::iter::once(receipt)
        .chain(ic.steps.iter().enumerate().map(|(i, s)| EventValues {
            seq: i as i64 + 2,
            at: s.event.at,
            actor_role: s.event.actor_role.code(),
            actor_id: s.event.actor_id.as_deref(),
            action: s.event.action.code(),
            from_state: Some(s.from.code()),
            to_state: s.to.code(),
            ground: s.ground.map(|g| g as i64),
            note: s.event.note.as_deref(),
            detail: s.event.detail.as_deref(),
        }))
        .collect()
}

/// A row of `ratings`.
pub struct RatingValues<'a> {
    pub case_no: &'a str,
    pub process: i64,
    pub outcome: &'static str,
    pub comment: Option<&'a str>,
    /// Both `rated_at` and `updated_at`.
    pub at: i64,
}

pub const RATING_COLUMNS: &str = "case_no, process, outcome, comment, rated_at, updated_at";

/// The case's rating, if any, given when its step says (else at the case's last change).
pub fn rating_of<'a>(ic: &'a ImportCase, no: &'a CaseNo) -> Option<RatingValues<'a>> {
    ic.rating.as_ref().map(|r| RatingValues {
        case_no: no.as_str(),
        process: r.process as i64,
        outcome: r.outcome.code(),
        comment: r.comment.as_ref().map(|c| c.as_str()),
        at: ic
            .steps
            .iter()
            .rev()
            .find(|s| s.event.action == ActionName::Rate)
            .map(|s| s.event.at)
            .unwrap_or(last_at(ic)),
    })
}

/// What the cases' receipts and steps add to the statistics.
pub fn stats_of(cases: &[ImportCase]) -> Vec<app::domain::stats::StatDelta> {
    cases
        .iter()
        .flat_map(|ic| ic.new.stats.iter().chain(ic.steps.iter().flat_map(|s| s.event.stats.iter())))
        .cloned()
        .collect()
}
