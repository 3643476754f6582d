//! Disclosure of complaint information: each business's complaint record in public, as the
//! 2023 rules on publishing consumer complaints ask (data: `app/data/disclosure.json`, a reading
//! from secondary sources, `"verified": false`). Which items are disclosed, what of them is
//! shown, how businesses named without a credit code are grouped, and a business's figures
//! over the rules' window.

use super::case::CaseForCreate;
use super::redact::{redact, Known};
use super::stats::{growth, median, month_of, Measures};
use super::workflow::ActionName;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use time::Date;

/// The rules of disclosure, with their source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureRules {
    pub instrument: String,
    pub in_force_from: String,
    pub source: String,
    pub verified: bool,
    /// How many months a business's figures cover (and the months before, for the growth).
    pub window_months: u32,
    /// The kinds of item disclosed, once closed (`complaint`; never a report).
    pub kinds: Vec<String>,
    /// This portal's reading of the rules, in Chinese and English.
    pub zh: String,
    pub en: String,
}

static RULES: LazyLock<DisclosureRules> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../data/disclosure.json")).expect("disclosure.json is valid (unit test)")
});

pub fn rules() -> &'static DisclosureRules {
    &RULES
}

/// The prefix of the key of a business named without a credit code.
pub const NAMED: &str = "n:";

/// A business's name as typed, made comparable: full-width forms folded to half-width, white
/// space removed, Latin letters in lower case, and 有限责任公司 read as 有限公司.
pub fn normalise_name(name: &str) -> String {
    let folded: String = name
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    folded.replace("有限责任公司", "有限公司")
}

/// The key a business's complaints are counted and shown under: its credit code, or (without
/// one) its county and its normalised name.
pub fn business_key(name: &str, credit_code: Option<&str>, county: &str) -> String {
    match credit_code {
        Some(code) => code.to_owned(),
        None => format!("{NAMED}{county}:{}", normalise_name(name)),
    }
}

/// Whether a key names a business by its name (no credit code given).
pub fn is_named(key: &str) -> bool {
    key.starts_with(NAMED)
}

/// How a disclosed complaint was handled, from its last concluding step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Handling {
    /// Settled in the bureau's mediation.
    Mediated,
    /// Settled by the business itself (the consumer accepted its offer in the ODR lane).
    SettledByBusiness,
    /// Mediation ended without agreement.
    MediationEnded,
    /// Not accepted (outside the rules' scope, with the ground told to the consumer).
    Refused,
    /// Closed otherwise (withdrawn, or closed after a transfer).
    Closed,
}

codes!(Handling {
    Mediated => "mediated",
    SettledByBusiness => "settled_by_business",
    MediationEnded => "mediation_ended",
    Refused => "refused",
    Closed => "closed",
});

impl Handling {
    /// From the steps of a closed case, oldest first: the last that concluded it.
    pub fn of(actions: &[ActionName]) -> Handling {
        actions
            .iter()
            .rev()
            .find_map(|a| match a {
                ActionName::RecordSettlement => Some(Handling::Mediated),
                ActionName::AcceptOffer => Some(Handling::SettledByBusiness),
                ActionName::TerminateMediation => Some(Handling::MediationEnded),
                ActionName::Refuse => Some(Handling::Refused),
                _ => None,
            })
            .unwrap_or(Handling::Closed)
    }

    /// Whether the dispute was settled (by mediation or by the business).
    pub fn settled(self) -> bool {
        matches!(self, Handling::Mediated | Handling::SettledByBusiness)
    }
}

/// What the public sees of a closed complaint: no personal data, the county and months only,
/// the consumer's words only with their consent and redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosed {
    pub business_key: String,
    /// The business's name as typed (redacted like the rest).
    pub business_name: String,
    pub credit_code: Option<String>,
    /// The business's county (6-digit code).
    pub county: String,
    pub category: String,
    /// The complainant's surname followed by asterisks (`*` for an anonymous one).
    pub complainant: String,
    /// `YYYY-MM` when complained of, when the dispute arose, when it was handled.
    pub complained: String,
    pub arose: Option<String>,
    pub handled: String,
    /// The consumer's account of the problem and their request, redacted, only with consent.
    pub issue: Option<String>,
    /// The kind of request (refund, repair, …).
    pub demand: Option<String>,
    pub request: Option<String>,
    pub handling: Handling,
    /// What the consumer recovered, in fen.
    pub recovered_fen: Option<i64>,
}

/// The complainant as disclosed: the first character of the name and two asterisks.
pub fn mask_complainant(name: Option<&str>) -> String {
    match name.and_then(|n| n.trim().chars().next()) {
        Some(first) => format!("{first}**"),
        None => "*".into(),
    }
}

/// What is disclosed of `case` closed on `closed_on` after being received on `received_on`:
/// nothing for a kind the rules do not disclose or an item without a business.
pub fn disclose(
    case: &CaseForCreate,
    received_on: Date,
    closed_on: Date,
    handling: Handling,
    recovered_fen: Option<i64>,
    known: &Known,
) -> Option<Disclosed> {
    if !rules().kinds.iter().any(|k| k == case.kind.code()) {
        return None;
    }
    let b = case.business.as_ref()?;
    let credit_code = b.credit_code.as_ref().map(|c| c.as_str().to_owned());
    let words = |t: &str| redact(t, known);
    Some(Disclosed {
        business_key: business_key(b.name.as_str(), credit_code.as_deref(), &b.county),
        business_name: words(b.name.as_str()),
        credit_code,
        county: b.county.clone(),
        category: case.category.clone(),
        complainant: mask_complainant(case.consumer.as_ref().map(|c| c.name.as_str())),
        complained: month_of(received_on),
        arose: case.incident_on.map(month_of),
        handled: month_of(closed_on),
        issue: case.consent_publish.then(|| words(case.facts.as_str())),
        demand: case.demand.map(|d| d.code().to_owned()),
        request: case.demand_text.as_ref().filter(|_| case.consent_publish).map(|t| words(t.as_str())),
        handling,
        recovered_fen: recovered_fen.filter(|f| *f > 0 && handling.settled()),
    })
}

/// A month of a business's running totals (complaints only), under one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessMonth {
    pub month: String,
    pub category: String,
    pub m: Measures,
}

/// A business's figures over the rules' window ending with the current month.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BusinessFigures {
    /// The window's first and last month (`YYYY-MM`).
    pub from: String,
    pub to: String,
    pub complaints: i64,
    /// Complaints in the window before.
    pub before: i64,
    pub growth: Option<f64>,
    pub accepted: i64,
    /// Settled in mediation or by the business itself.
    pub settled: i64,
    /// Settled ÷ mediations concluded.
    pub mediation_rate: Option<f64>,
    /// ODR early-settlement rate: settled by the business ÷ negotiations concluded in the lane.
    pub odr_rate: Option<f64>,
    /// Median natural days from receipt to closure.
    pub median_days: Option<f64>,
    pub recovered_fen: i64,
    /// Complaints of each month of the window, oldest first.
    pub monthly: Vec<(String, i64)>,
    /// The categories complained of most, with their counts (at most five).
    pub top_categories: Vec<(String, i64)>,
}

/// The months of the window ending with `today`'s month, oldest first, and those before them.
pub fn window(today: Date, months: u32) -> (Vec<String>, Vec<String>) {
    let n = months as i32;
    let this = today.year() * 12 + today.month() as i32 - 1;
    let month = |k: i32| format!("{:04}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1);
    let now = (0..n).rev().map(|i| month(this - i)).collect();
    let before = (0..n).rev().map(|i| month(this - n - i)).collect();
    (now, before)
}

/// The figures from the business's monthly rows and its histogram of days to closure (`month`,
/// `days`, `n`); rows outside the two windows are ignored.
pub fn figures(rows: &[BusinessMonth], days: &[(String, i64, i64)], today: Date) -> BusinessFigures {
    let (now, before) = window(today, rules().window_months);
    let mut m = Measures::default();
    let mut earlier = 0;
    let mut monthly: Vec<(String, i64)> = now.iter().map(|mo| (mo.clone(), 0)).collect();
    let mut by_category: std::collections::BTreeMap<&str, i64> = Default::default();
    for r in rows {
        if let Some(i) = now.iter().position(|mo| *mo == r.month) {
            m.add(&r.m);
            monthly[i].1 += r.m.received;
            *by_category.entry(&r.category).or_default() += r.m.received;
        } else if before.contains(&r.month) {
            earlier += r.m.received;
        }
    }
    let mut top_categories: Vec<(String, i64)> =
        by_category.into_iter().filter(|(_, n)| *n > 0).map(|(c, n)| (c.to_owned(), n)).collect();
    top_categories.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top_categories.truncate(5);
    let hist: Vec<(i64, i64)> = days.iter().filter(|(mo, _, _)| now.contains(mo)).map(|(_, d, n)| (*d, *n)).collect();
    BusinessFigures {
        from: now.first().cloned().unwrap_or_default(),
        to: now.last().cloned().unwrap_or_default(),
        complaints: m.received,
        before: earlier,
        growth: growth(m.received, earlier),
        accepted: m.accepted,
        settled: m.settled + m.odr_settled,
        mediation_rate: m.settlement_rate(),
        odr_rate: m.odr_settlement_rate(),
        median_days: median(&hist),
        recovered_fen: m.recovered_fen,
        monthly,
        top_categories,
    }
}

#[cfg(test)]
mod tests;
