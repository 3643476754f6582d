//! Public statistics: what each step adds to the counts (the deltas, written with the step in the
//! same transaction), and the figures of a period computed from those running totals. Pure: the
//! adapters only add up what this module says.
//!
//! Every figure belongs to the month (China time) of the step that makes it: an item counts as
//! received in the month it was received, a decision in the month it was taken, a rating in the
//! month it was first given.

use super::kind::{Channel, ItemKind};
use super::queue::Urgency;
use super::tracking::RatingOutcome;
use super::workflow::{ActionName, CaseState};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;

/// The running totals kept per month and dimension value. All counts; money in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measures {
    /// Items received.
    pub received: i64,
    /// Acceptance decisions on complaints (each accept or refuse step).
    pub decided: i64,
    pub accepted: i64,
    /// Decisions taken on or before the statutory date (or while no deadline ran).
    pub decided_in_time: i64,
    /// Mediations concluded: settled or terminated.
    pub concluded: i64,
    pub settled: i64,
    /// Economic losses recovered for consumers, in fen.
    pub recovered_fen: i64,
    /// Items closed for the first time.
    pub closed: i64,
    /// Ratings given (first time).
    pub rated: i64,
    /// Ratings of 4 or 5 for the handling.
    pub satisfied: i64,
    /// Complaints of the ODR lane whose negotiation with the business ended: settled by the
    /// business, declined by it, refused by the consumer or passed on when its time ran out.
    pub odr_concluded: i64,
    /// Of those, settled by the business (the consumer accepted its offer).
    pub odr_settled: i64,
    /// The consumer's verdict with the rating, "did this solve your problem?": yes, and partly
    /// (no is the rest of `rated`).
    pub solved: i64,
    pub partly: i64,
}

impl Measures {
    pub const COLUMNS: [&'static str; 14] = [
        "received",
        "decided",
        "accepted",
        "decided_in_time",
        "concluded",
        "settled",
        "recovered_fen",
        "closed",
        "rated",
        "satisfied",
        "odr_concluded",
        "odr_settled",
        "solved",
        "partly",
    ];

    pub fn values(&self) -> [i64; 14] {
        [
            self.received,
            self.decided,
            self.accepted,
            self.decided_in_time,
            self.concluded,
            self.settled,
            self.recovered_fen,
            self.closed,
            self.rated,
            self.satisfied,
            self.odr_concluded,
            self.odr_settled,
            self.solved,
            self.partly,
        ]
    }

    pub fn from_values(v: [i64; 14]) -> Self {
        Measures {
            received: v[0],
            decided: v[1],
            accepted: v[2],
            decided_in_time: v[3],
            concluded: v[4],
            settled: v[5],
            recovered_fen: v[6],
            closed: v[7],
            rated: v[8],
            satisfied: v[9],
            odr_concluded: v[10],
            odr_settled: v[11],
            solved: v[12],
            partly: v[13],
        }
    }

    pub fn add(&mut self, other: &Measures) {
        let (a, b) = (self.values(), other.values());
        *self = Measures::from_values(std::array::from_fn(|i| a[i] + b[i]));
    }

    pub fn is_zero(&self) -> bool {
        self.values().iter().all(|v| *v == 0)
    }

    /// Accepted ÷ decided.
    pub fn acceptance_rate(&self) -> Option<f64> {
        ratio(self.accepted, self.decided)
    }

    /// Settled ÷ mediations concluded.
    pub fn settlement_rate(&self) -> Option<f64> {
        ratio(self.settled, self.concluded)
    }

    /// Satisfied ÷ rated.
    pub fn satisfaction_rate(&self) -> Option<f64> {
        ratio(self.satisfied, self.rated)
    }

    /// The ODR early-settlement rate (先行和解率): settled by the business ÷ negotiations ended.
    pub fn odr_settlement_rate(&self) -> Option<f64> {
        ratio(self.odr_settled, self.odr_concluded)
    }

    /// The share of settled complaints that the business settled itself, before any mediation.
    pub fn business_share(&self) -> Option<f64> {
        ratio(self.odr_settled, self.odr_settled + self.settled)
    }

    /// Consumers who said their problem was solved ÷ verdicts given (with the rating).
    pub fn solved_rate(&self) -> Option<f64> {
        ratio(self.solved, self.rated)
    }

    /// Consumers who said it was partly solved ÷ verdicts given.
    pub fn partly_rate(&self) -> Option<f64> {
        ratio(self.partly, self.rated)
    }

    /// Decided within the statutory period ÷ decided.
    pub fn in_time_rate(&self) -> Option<f64> {
        ratio(self.decided_in_time, self.decided)
    }
}

fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Growth of `now` over `before` (None when there was nothing before).
pub fn growth(now: i64, before: i64) -> Option<f64> {
    (before > 0).then(|| (now - before) as f64 / before as f64)
}

/// The prefecture key of items without a business location in Qinghai (consultations, items
/// about a business elsewhere).
pub const NO_PREFECTURE: &str = "none";

/// What a case is counted under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dims {
    pub kind: ItemKind,
    pub channel: Channel,
    pub category: String,
    /// Prefecture code of the business's county, or [`NO_PREFECTURE`].
    pub prefecture: String,
    /// The business of a complaint, for its public record (`domain::disclosure`).
    #[serde(default)]
    pub business: Option<BusinessDim>,
}

/// A complaint's business as its record counts it: the key (credit code, or county and
/// normalised name), the name as typed and the county.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BusinessDim {
    pub key: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub county: String,
}

impl Dims {
    pub fn new(kind: ItemKind, channel: Channel, category: &str, county: Option<&str>) -> Self {
        let prefecture = county
            .and_then(super::region::prefecture_of)
            .map(|p| p.code.clone())
            .unwrap_or_else(|| NO_PREFECTURE.to_owned());
        Dims { kind, channel, category: category.to_owned(), prefecture, business: None }
    }
}

/// What the medians are of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Span {
    /// Natural days from receipt to a complaint's acceptance decision.
    Decision,
    /// Natural days from receipt to an item's first closure.
    Closure,
    /// Natural days from receipt to the consumer's yes to the business's offer (ODR lane).
    OdrSettlement,
}

codes!(Span { Decision => "decision", Closure => "closure", OdrSettlement => "odr_settlement" });

/// What one step adds: measures in a month under the case's dimensions, and a duration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatDelta {
    /// `YYYY-MM`.
    pub month: String,
    pub dims: Dims,
    pub m: Measures,
    pub span: Option<(Span, i64)>,
}

pub fn month_of(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month() as u8)
}

/// What receiving an item adds.
pub fn on_receipt(dims: &Dims, received_on: Date) -> Vec<StatDelta> {
    vec![StatDelta {
        month: month_of(received_on),
        dims: dims.clone(),
        m: Measures { received: 1, ..Default::default() },
        span: None,
    }]
}

/// A workflow step as the statistics see it.
#[derive(Debug, Clone)]
pub struct StepFact {
    pub action: ActionName,
    pub to: CaseState,
    /// Amount recovered, for a settlement (fen).
    pub recovered: Option<i64>,
    /// What the case waited on before the step (for "decided in time").
    pub urgency_before: Urgency,
    /// Whether the case had been closed before (a reopened case closed again counts once).
    pub closed_before: bool,
    pub received_on: Date,
    pub on: Date,
}

/// What a workflow step adds (nothing for most steps).
pub fn on_step(dims: &Dims, step: &StepFact) -> Vec<StatDelta> {
    let mut m = Measures::default();
    let mut span = None;
    let days = (step.on - step.received_on).whole_days();
    match step.action {
        ActionName::Accept | ActionName::Refuse if dims.kind == ItemKind::Complaint => {
            m.decided = 1;
            m.accepted = (step.action == ActionName::Accept) as i64;
            m.decided_in_time = match step.urgency_before {
                Urgency::Due(d) => (step.on <= d) as i64,
                _ => 1,
            };
            span = Some((Span::Decision, days));
        }
        ActionName::RecordSettlement => {
            m.concluded = 1;
            m.settled = 1;
            m.recovered_fen = step.recovered.unwrap_or(0);
        }
        ActionName::TerminateMediation => m.concluded = 1,
        // The ODR lane: what the business recovered counts with the mediators'.
        ActionName::AcceptOffer => {
            m.odr_concluded = 1;
            m.odr_settled = 1;
            m.recovered_fen = step.recovered.unwrap_or(0);
            span = Some((Span::OdrSettlement, days));
        }
        ActionName::OdrDecline | ActionName::RejectOffer | ActionName::PassOn => m.odr_concluded = 1,
        _ => {}
    }
    let mut out = Vec::new();
    if !m.is_zero() {
        out.push(StatDelta { month: month_of(step.on), dims: dims.clone(), m, span });
    }
    if step.to == CaseState::Closed && !step.closed_before {
        out.push(StatDelta {
            month: month_of(step.on),
            dims: dims.clone(),
            m: Measures { closed: 1, ..Default::default() },
            span: Some((Span::Closure, days)),
        });
    }
    out
}

/// Whether a rating of the handling (1–5) counts as satisfied.
pub fn is_satisfied(process: u8) -> bool {
    process >= 4
}

/// What a rating adds (the handling's 1–5 and the verdict on the outcome): a first rating
/// counts in the month it is given; a changed one only moves "satisfied" and the verdicts in the
/// month of the first.
pub fn on_rating(
    dims: &Dims,
    first_rated_on: Date,
    old: Option<(u8, RatingOutcome)>,
    new: (u8, RatingOutcome),
) -> Vec<StatDelta> {
    let counts = |(process, outcome): (u8, RatingOutcome)| Measures {
        rated: 1,
        satisfied: is_satisfied(process) as i64,
        solved: (outcome == RatingOutcome::Resolved) as i64,
        partly: (outcome == RatingOutcome::Partly) as i64,
        ..Default::default()
    };
    let mut m = counts(new);
    if let Some(o) = old {
        let (a, b) = (m.values(), counts(o).values());
        m = Measures::from_values(std::array::from_fn(|i| a[i] - b[i]));
    }
    if m.is_zero() {
        return Vec::new();
    }
    vec![StatDelta { month: month_of(first_rated_on), dims: dims.clone(), m, span: None }]
}

/// The dimensions each delta is kept under; a figure per kind comes from the channel rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Dim {
    Channel,
    Category,
    Prefecture,
}

codes!(Dim { Channel => "channel", Category => "category", Prefecture => "prefecture" });

/// One row of running totals: a month, a dimension's value, a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggRow {
    pub month: String,
    pub dim: Dim,
    pub key: String,
    pub kind: ItemKind,
    pub m: Measures,
}

/// One bucket of a duration histogram: how many items took `days` days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaysRow {
    pub month: String,
    pub kind: ItemKind,
    pub span: Span,
    pub days: i64,
    pub n: i64,
}

/// Merges deltas into the rows to add (one per month, dimension value and kind) and the
/// histogram buckets to add, so that a batch of steps makes one write per row.
pub fn merge(deltas: &[StatDelta]) -> (Vec<AggRow>, Vec<DaysRow>) {
    let mut agg: BTreeMap<(String, Dim, String, &'static str), (ItemKind, Measures)> = BTreeMap::new();
    let mut days: BTreeMap<(String, &'static str, Span, i64), (ItemKind, i64)> = BTreeMap::new();
    for d in deltas {
        for (dim, key) in [
            (Dim::Channel, d.dims.channel.code().to_owned()),
            (Dim::Category, d.dims.category.clone()),
            (Dim::Prefecture, d.dims.prefecture.clone()),
        ] {
            agg.entry((d.month.clone(), dim, key, d.dims.kind.code()))
                .or_insert((d.dims.kind, Measures::default()))
                .1
                .add(&d.m);
        }
        if let Some((span, n)) = d.span {
            days.entry((d.month.clone(), d.dims.kind.code(), span, n)).or_insert((d.dims.kind, 0)).1 += 1;
        }
    }
    (
        agg.into_iter()
            .filter(|(_, (_, m))| !m.is_zero())
            .map(|((month, dim, key, _), (kind, m))| AggRow { month, dim, key, kind, m })
            .collect(),
        days.into_iter().map(|((month, _, span, d), (kind, n))| DaysRow { month, kind, span, days: d, n }).collect(),
    )
}

mod period;
pub use period::Period;

/// A figure now and a year earlier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    pub now: i64,
    pub before: i64,
}

impl Pair {
    pub fn growth(&self) -> Option<f64> {
        growth(self.now, self.before)
    }
}

/// Everything `/stats` shows for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub period: Period,
    pub totals: Measures,
    pub before: Measures,
    pub by_kind: Vec<(ItemKind, Pair)>,
    pub by_channel: Vec<(Channel, Pair)>,
    /// Category code and its totals (received, rates…), most items first.
    pub by_category: Vec<(String, Measures)>,
    /// Prefecture code (or [`NO_PREFECTURE`]) and its totals, in the divisions' order.
    pub by_prefecture: Vec<(String, Measures)>,
    /// Each month of the period (`YYYY-MM`) with items received then and a year earlier.
    pub monthly: Vec<(String, Pair)>,
    /// Complaints: median natural days from receipt to the acceptance decision, to closure.
    pub median_decision_days: Option<f64>,
    pub median_closure_days: Option<f64>,
    /// Complaints settled by the business: median natural days from receipt to the consumer's yes.
    pub median_odr_days: Option<f64>,
}

/// The median of a histogram (`days`, `n`), the mean of the two middle values for an even count.
pub fn median(buckets: &[(i64, i64)]) -> Option<f64> {
    let mut b: Vec<(i64, i64)> = buckets.iter().copied().filter(|(_, n)| *n > 0).collect();
    b.sort();
    let total: i64 = b.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let nth = |k: i64| {
        let mut seen = 0;
        for (d, n) in &b {
            seen += n;
            if seen > k {
                return *d;
            }
        }
        b.last().map(|(d, _)| *d).unwrap_or(0)
    };
    Some(if total % 2 == 1 { nth(total / 2) as f64 } else { (nth(total / 2 - 1) + nth(total / 2)) as f64 / 2.0 })
}

impl Figures {
    /// The figures of `period` from the rows of its months and of the same months a year
    /// earlier (rows of other months are ignored).
    pub fn compute(period: Period, rows: &[AggRow], days: &[DaysRow]) -> Figures {
        let now: Vec<String> = period.months();
        let before: Vec<String> = period.year_before().months();
        let in_now = |m: &str| now.iter().any(|x| x == m);
        let in_before = |m: &str| before.iter().any(|x| x == m);
        let mut totals = Measures::default();
        let mut prev = Measures::default();
        let mut by_kind: BTreeMap<&'static str, (ItemKind, Pair)> =
            ItemKind::ALL.iter().map(|k| (k.code(), (*k, Pair::default()))).collect();
        let mut by_channel: Vec<(Channel, Pair)> = Channel::ALL.iter().map(|c| (*c, Pair::default())).collect();
        let mut monthly: Vec<(String, Pair)> = now.iter().map(|m| (m.clone(), Pair::default())).collect();
        let mut by_category: BTreeMap<String, Measures> = BTreeMap::new();
        let mut by_prefecture: BTreeMap<String, Measures> = BTreeMap::new();
        for r in rows {
            let (cur, old) = (in_now(&r.month), in_before(&r.month));
            if !cur && !old {
                continue;
            }
            match r.dim {
                Dim::Channel => {
                    let pair_add = |p: &mut Pair| {
                        if cur {
                            p.now += r.m.received
                        } else {
                            p.before += r.m.received
                        }
                    };
                    if cur {
                        totals.add(&r.m);
                    } else {
                        prev.add(&r.m);
                    }
                    if let Some(e) = by_kind.get_mut(r.kind.code()) {
                        pair_add(&mut e.1);
                    }
                    if let Some(c) = Channel::from_code(&r.key) {
                        if let Some(e) = by_channel.iter_mut().find(|(x, _)| *x == c) {
                            pair_add(&mut e.1);
                        }
                    }
                    // Same month of the year before sits at the same position.
                    let idx = if cur {
                        now.iter().position(|m| *m == r.month)
                    } else {
                        before.iter().position(|m| *m == r.month)
                    };
                    if let Some(i) = idx {
                        pair_add(&mut monthly[i].1);
                    }
                }
                Dim::Category if cur => by_category.entry(r.key.clone()).or_default().add(&r.m),
                Dim::Prefecture if cur => by_prefecture.entry(r.key.clone()).or_default().add(&r.m),
                _ => {}
            }
        }
        let mut by_category: Vec<(String, Measures)> = by_category.into_iter().collect();
        by_category.sort_by(|a, b| b.1.received.cmp(&a.1.received).then(a.0.cmp(&b.0)));
        let mut pref: Vec<(String, Measures)> = super::region::prefectures()
            .iter()
            .map(|p| (p.code.clone(), by_prefecture.remove(&p.code).unwrap_or_default()))
            .collect();
        pref.push((NO_PREFECTURE.to_owned(), by_prefecture.remove(NO_PREFECTURE).unwrap_or_default()));
        let hist = |span: Span| -> Vec<(i64, i64)> {
            days.iter()
                .filter(|d| d.span == span && d.kind == ItemKind::Complaint && in_now(&d.month))
                .map(|d| (d.days, d.n))
                .collect()
        };
        Figures {
            period,
            totals,
            before: prev,
            by_kind: by_kind.into_values().collect(),
            by_channel,
            by_category,
            by_prefecture: pref,
            monthly,
            median_decision_days: median(&hist(Span::Decision)),
            median_closure_days: median(&hist(Span::Closure)),
            median_odr_days: median(&hist(Span::OdrSettlement)),
        }
    }

    /// The first month needed (a year before the period) and the last, for the store's query.
    pub fn month_range(period: Period) -> (String, String) {
        let before = period.year_before().months();
        let now = period.months();
        (before[0].clone(), now[now.len() - 1].clone())
    }
}

#[cfg(test)]
mod tests;
