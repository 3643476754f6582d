//! Disclosure of complaint information: each business's complaint record in public, as the
//! 2023 rules on publishing consumer complaints ask (data: `app/data/disclosure.json`, a reading
//! from secondary sources, `"verified": false`). Which items are disclosed, what of them is
//! shown, how businesses named without a credit code are grouped, and a business's figures
//! over the rules' window.

use super::case::CaseForCreate;
use super::error::{FieldError, Invalid};
#[cfg(feature = "ssr")]
use super::redact::{redact, Known};
use super::stats::{growth, median, BusinessDim, Measures, Span, StatDelta};
use super::workflow::ActionName;
use serde::{Deserialize, Serialize};
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
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

/// In the browser, set by `shipped::install` before hydration.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
pub(crate) static RULES: std::sync::OnceLock<DisclosureRules> = std::sync::OnceLock::new();
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
static RULES: LazyLock<DisclosureRules> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../data/disclosure.json")).expect("disclosure.json is valid (unit test)")
});

pub fn rules() -> &'static DisclosureRules {
    #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
    return &RULES;
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    return RULES.get().expect("the data is installed before hydration");
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

/// The business a case counts for in the public record: a complaint's, if it names one.
pub fn record_of(case: &CaseForCreate) -> Option<BusinessDim> {
    if !rules().kinds.iter().any(|k| k == case.kind.code()) {
        return None;
    }
    let b = case.business.as_ref()?;
    let credit_code = b.credit_code.as_ref().map(|c| c.as_str().to_owned());
    Some(BusinessDim {
        key: business_key(b.name.as_str(), credit_code.as_deref(), &b.county),
        name: b.name.as_str().to_owned(),
        credit_code,
        county: b.county.clone(),
    })
}

/// One row of a business's running totals as written: its key, a month, a category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessAggRow {
    pub key: String,
    pub month: String,
    pub category: String,
    pub m: Measures,
}

/// What steps add to the businesses' records (complaints with a business only), merged to one
/// row per business, month and category, and the histogram of days to closure per business and
/// month (`key`, `month`, `days`, `n`); the businesses first received (to be named).
pub fn merge_business(
    deltas: &[StatDelta],
) -> (Vec<BusinessAggRow>, Vec<(String, String, i64, i64)>, Vec<BusinessDim>) {
    use std::collections::BTreeMap;
    let mut agg: BTreeMap<(String, String, String), Measures> = BTreeMap::new();
    let mut days: BTreeMap<(String, String, i64), i64> = BTreeMap::new();
    let mut named: BTreeMap<String, BusinessDim> = BTreeMap::new();
    for d in deltas {
        let Some(b) = &d.dims.business else { continue };
        agg.entry((b.key.clone(), d.month.clone(), d.dims.category.clone())).or_default().add(&d.m);
        if let Some((Span::Closure, n)) = d.span {
            *days.entry((b.key.clone(), d.month.clone(), n)).or_default() += 1;
        }
        if d.m.received > 0 {
            named.entry(b.key.clone()).or_insert_with(|| b.clone());
        }
    }
    (
        agg.into_iter()
            .filter(|(_, m)| !m.is_zero())
            .map(|((key, month, category), m)| BusinessAggRow { key, month, category, m })
            .collect(),
        days.into_iter().map(|((key, month, d), n)| (key, month, d, n)).collect(),
        named.into_values().collect(),
    )
}

/// Whether a key names a business by its name (no credit code given).
pub fn is_named(key: &str) -> bool {
    key.starts_with(NAMED)
}

/// A search of the record, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The text, normalised like the names it is compared with.
    pub norm: String,
    /// The text as a credit code (upper case), to find a business by its code.
    pub code: String,
    pub county: Option<String>,
    pub category: Option<String>,
}

/// The longest text searched for.
pub const SEARCH_MAX: u32 = 100;

/// Checks a search: a text of at most [`SEARCH_MAX`] characters, a county of the province and a
/// category of goods or services, each optional.
pub fn parse_search(q: &str, county: &str, category: &str) -> Result<Search, Vec<FieldError>> {
    let mut errors = Vec::new();
    let q = q.trim();
    if q.chars().count() > SEARCH_MAX as usize {
        errors.push(FieldError::new("q", Invalid::TooLong { max: SEARCH_MAX }));
    } else if q.chars().any(char::is_control) {
        errors.push(FieldError::new("q", Invalid::ControlChars));
    }
    let county = county.trim();
    if !county.is_empty() && super::region::county(county).is_none() {
        errors.push(FieldError::new("county", Invalid::Choice));
    }
    let category = category.trim();
    if !category.is_empty() && super::category::parse(category, super::kind::ItemKind::Complaint).is_err() {
        errors.push(FieldError::new("category", Invalid::Choice));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Search {
        norm: normalise_name(q),
        code: q.to_ascii_uppercase(),
        county: (!county.is_empty()).then(|| county.to_owned()),
        category: (!category.is_empty()).then(|| category.to_owned()),
    })
}

/// Which disclosed complaints a listing asks for, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    pub county: Option<String>,
    pub category: Option<String>,
    pub business: Option<String>,
    /// `YYYY-MM` of handling, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Go on below this item (the cursor of the page before).
    pub before: Option<i64>,
    pub limit: i64,
}

/// The most complaints a listing returns at once, and the number when none is asked.
pub const LIST_MAX: i64 = 100;
pub const LIST_DEFAULT: i64 = 20;

fn month(text: &str) -> Option<String> {
    let (y, m) = text.split_once('-')?;
    let (y, m): (u16, u8) = (y.parse().ok()?, m.parse().ok()?);
    (text.len() == 7 && (2000..=2100).contains(&y) && (1..=12).contains(&m)).then(|| text.to_owned())
}

/// Checks a listing's filters (each optional): a county of the province, a category of goods or
/// services, a business's key, months as `YYYY-MM`, a cursor, a limit of 1 to [`LIST_MAX`].
pub fn parse_listing(
    county: &str,
    category: &str,
    business: &str,
    from: &str,
    to: &str,
    cursor: &str,
    limit: &str,
) -> Result<Listing, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut field = |name: &str, text: &str, ok: &dyn Fn(&str) -> bool| -> Option<String> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if !ok(text) {
            errors.push(FieldError::new(name, Invalid::Choice));
            return None;
        }
        Some(text.to_owned())
    };
    let county = field("county", county, &|c| super::region::county(c).is_some());
    let category =
        field("category", category, &|c| super::category::parse(c, super::kind::ItemKind::Complaint).is_ok());
    let business = field("business", business, &valid_key);
    let from = field("from", from, &|m| month(m).is_some());
    let to = field("to", to, &|m| month(m).is_some());
    let before = field("cursor", cursor, &|c| c.parse::<i64>().is_ok_and(|n| n > 0)).and_then(|c| c.parse().ok());
    let limit = match limit.trim() {
        "" => LIST_DEFAULT,
        l => match l.parse::<i64>() {
            Ok(n) if (1..=LIST_MAX).contains(&n) => n,
            Ok(n) if n > LIST_MAX => {
                errors.push(FieldError::new("limit", Invalid::TooMany { max: LIST_MAX as u32 }));
                LIST_DEFAULT
            }
            _ => {
                errors.push(FieldError::new("limit", Invalid::Number));
                LIST_DEFAULT
            }
        },
    };
    if errors.is_empty() {
        Ok(Listing { county, category, business, from, to, before, limit })
    } else {
        Err(errors)
    }
}

/// Whether `key` can be a business's key: a well-formed credit code, or a named key.
pub fn valid_key(key: &str) -> bool {
    if let Some(rest) = key.strip_prefix(NAMED) {
        return rest.len() > 7 && rest.chars().count() <= 220 && !rest.chars().any(char::is_control);
    }
    super::credit_code::CreditCode::parse(key).is_ok_and(|c| c.as_str() == key)
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

#[cfg(feature = "ssr")]
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
        complained: super::stats::month_of(received_on),
        arose: case.incident_on.map(super::stats::month_of),
        handled: super::stats::month_of(closed_on),
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

/// The categories complained of most in each prefecture (at most `top` each, most first), in the
/// divisions' order, from (`county`, `category`, `complaints`); counties outside the province
/// are left out.
pub fn hot_by_prefecture(rows: &[(String, String, i64)], top: usize) -> Vec<(String, Vec<(String, i64)>)> {
    use std::collections::BTreeMap;
    let mut by: BTreeMap<&str, BTreeMap<&str, i64>> = BTreeMap::new();
    for (county, category, n) in rows {
        if let Some(p) = super::region::prefecture_of(county) {
            *by.entry(p.code.as_str()).or_default().entry(category.as_str()).or_default() += n;
        }
    }
    super::region::prefectures()
        .iter()
        .filter_map(|p| {
            let cats = by.get(p.code.as_str())?;
            let mut cats: Vec<(String, i64)> =
                cats.iter().filter(|(_, n)| **n > 0).map(|(c, n)| ((*c).to_owned(), *n)).collect();
            cats.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            cats.truncate(top);
            (!cats.is_empty()).then(|| (p.code.clone(), cats))
        })
        .collect()
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

pub mod objection;

#[cfg(test)]
mod tests;
