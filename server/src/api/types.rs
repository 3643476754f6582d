//! The open data API's contract: what its operations answer and take, documented for the
//! OpenAPI document by `utoipa`'s derives. Kept apart from the pages' and the domain's types so
//! that either can change without changing the published API.

use app::domain::disclosure::Disclosed;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A refused request: what was wrong, and for a bad parameter which one and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    /// `invalid`, `not_found`, `too_many_requests`, `unavailable`.
    pub error: String,
    pub fields: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The query parameter.
    pub field: String,
    /// What is wrong with it, in English.
    pub problem: String,
}

/// The running totals of a period (or of one row of a breakdown).
#[derive(Debug, Serialize, ToSchema)]
pub struct Measures {
    pub received: i64,
    /// Acceptance decisions on complaints, and of them accepted, and taken within the period.
    pub decided: i64,
    pub accepted: i64,
    pub decided_in_time: i64,
    /// Mediations concluded, and of them settled.
    pub concluded: i64,
    pub settled: i64,
    /// Economic losses recovered for consumers, in fen (0.01 yuan).
    pub recovered_fen: i64,
    pub closed: i64,
    pub rated: i64,
    pub satisfied: i64,
    /// ODR lane: negotiations with the business concluded, and of them settled by the business.
    pub odr_concluded: i64,
    pub odr_settled: i64,
    /// The consumer's verdict: solved, and partly solved.
    pub solved: i64,
    pub partly: i64,
}

impl From<&app::domain::stats::Measures> for Measures {
    fn from(m: &app::domain::stats::Measures) -> Self {
        Measures {
            received: m.received,
            decided: m.decided,
            accepted: m.accepted,
            decided_in_time: m.decided_in_time,
            concluded: m.concluded,
            settled: m.settled,
            recovered_fen: m.recovered_fen,
            closed: m.closed,
            rated: m.rated,
            satisfied: m.satisfied,
            odr_concluded: m.odr_concluded,
            odr_settled: m.odr_settled,
            solved: m.solved,
            partly: m.partly,
        }
    }
}

/// The rates the centre reports, as fractions (none when there is nothing to divide by).
#[derive(Debug, Serialize, ToSchema)]
pub struct Rates {
    pub acceptance: Option<f64>,
    pub settlement: Option<f64>,
    pub satisfaction: Option<f64>,
    pub in_time: Option<f64>,
    pub odr_settlement: Option<f64>,
}

impl From<&app::domain::stats::Measures> for Rates {
    fn from(m: &app::domain::stats::Measures) -> Self {
        Rates {
            acceptance: m.acceptance_rate(),
            settlement: m.settlement_rate(),
            satisfaction: m.satisfaction_rate(),
            in_time: m.in_time_rate(),
            odr_settlement: m.odr_settlement_rate(),
        }
    }
}

/// One value of the breakdown asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsRow {
    /// The code: a channel, a category or a prefecture (`none`: no business location in Qinghai).
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub measures: Measures,
}

/// A month of the period: items received then and a year earlier.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub received: i64,
    pub received_year_before: i64,
}

/// The public statistics of a period, as `/stats` shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    /// `2026`, `2026-Q3` or `2026-07`.
    pub period: String,
    pub totals: Measures,
    pub rates: Rates,
    /// The same months a year earlier.
    pub year_before: Measures,
    /// `category`, `channel` or `prefecture`.
    pub breakdown: String,
    pub rows: Vec<StatsRow>,
    pub monthly: Vec<MonthCount>,
    /// Complaints: median natural days from receipt to the acceptance decision, to closure.
    pub median_decision_days: Option<f64>,
    pub median_closure_days: Option<f64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// `2026`, `2026-Q3` or `2026-07`; the current year if absent.
    pub period: Option<String>,
    /// `category` (default), `channel` or `prefecture`.
    pub breakdown: Option<String>,
}

/// A closed complaint as disclosed: no personal data, the county and months only.
#[derive(Debug, Serialize, ToSchema)]
pub struct Complaint {
    pub id: i64,
    /// The business's key: its credit code, or `n:<county>:<normalised name>`.
    pub business_key: String,
    pub business_name: String,
    pub credit_code: Option<String>,
    /// The business's county (6-digit division code).
    pub county: String,
    /// The category of goods or services.
    pub category: String,
    /// The complainant's surname and two asterisks.
    pub complainant: String,
    /// `YYYY-MM`: when complained of, when the dispute arose, when handled.
    pub complained: String,
    pub arose: Option<String>,
    pub handled: String,
    /// The consumer's account and request in their words, redacted; only with their consent.
    pub issue: Option<String>,
    /// `refund`, `replacement`, `repair`, `compensation`, `apology`, `other`.
    pub demand: Option<String>,
    pub request: Option<String>,
    /// `mediated`, `settled_by_business`, `mediation_ended`, `refused`, `closed`.
    pub handling: String,
    pub recovered_fen: Option<i64>,
    /// `YYYY-MM-DD` when a supervisor corrected the account after the business objected (the
    /// `issue` is then the correction); none if it stands as first disclosed.
    pub corrected_on: Option<String>,
}

pub(super) fn complaint(id: i64, d: Disclosed, corrected_on: Option<String>) -> Complaint {
    Complaint {
        id,
        business_key: d.business_key,
        business_name: d.business_name,
        credit_code: d.credit_code,
        county: d.county,
        category: d.category,
        complainant: d.complainant,
        complained: d.complained,
        arose: d.arose,
        handled: d.handled,
        issue: d.issue,
        demand: d.demand,
        request: d.request,
        handling: d.handling.code().to_owned(),
        recovered_fen: d.recovered_fen,
        corrected_on,
    }
}

/// A page of disclosed complaints, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintsPage {
    pub items: Vec<Complaint>,
    /// The `cursor` of the next page; none on the last.
    pub next: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplaintsQuery {
    /// A county's 6-digit code.
    pub county: Option<String>,
    /// A category of goods or services.
    pub category: Option<String>,
    /// A business's key (as in `business_key`).
    pub business: Option<String>,
    /// Handled in or after this month (`YYYY-MM`).
    pub from: Option<String>,
    /// Handled in or before this month (`YYYY-MM`).
    pub to: Option<String>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
    /// 1 to 100; 20 if absent.
    pub limit: Option<String>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

/// A business with its complaints over the last 12 months.
#[derive(Debug, Serialize, ToSchema)]
pub struct Business {
    pub key: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub county: String,
    pub complaints: i64,
}

pub(super) fn business(h: app::views::disclosure::BusinessHit) -> Business {
    Business { key: h.key, name: h.name, credit_code: h.credit_code, county: h.county, complaints: h.complaints }
}

/// Businesses found, most complained of first (at most 20).
#[derive(Debug, Serialize, ToSchema)]
pub struct BusinessesPage {
    /// The window's first and last month (`YYYY-MM`).
    pub from: String,
    pub to: String,
    pub items: Vec<Business>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BusinessesQuery {
    /// Part of a name, or a credit code.
    pub q: Option<String>,
    pub county: Option<String>,
    pub category: Option<String>,
}

/// A month's complaints, or a category's.
#[derive(Debug, Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub complaints: i64,
}

/// A business's record over the last 12 months.
#[derive(Debug, Serialize, ToSchema)]
pub struct BusinessRecord {
    pub business: Business,
    /// Grouped by the name as typed and the county (no credit code was given).
    pub named: bool,
    /// Its standing in the ODR lane, if it is in the register.
    pub odr: Option<String>,
    pub from: String,
    pub to: String,
    pub complaints: i64,
    /// Complaints in the 12 months before.
    pub before: i64,
    pub growth: Option<f64>,
    pub accepted: i64,
    pub settled: i64,
    pub mediation_rate: Option<f64>,
    pub odr_rate: Option<f64>,
    pub median_days_to_close: Option<f64>,
    pub recovered_fen: i64,
    pub monthly: Vec<Count>,
    pub top_categories: Vec<Count>,
}

/// A typical case: closed, published with the consumer's consent after a supervisor's review.
#[derive(Debug, Serialize, ToSchema)]
pub struct TypicalCase {
    pub kind: String,
    pub category: String,
    pub prefecture: String,
    /// `YYYY-MM-DD`.
    pub closed_on: String,
    pub facts: String,
    pub result: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TypicalCasesPage {
    pub items: Vec<TypicalCase>,
    /// The `before` of the next page.
    pub next: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TypicalQuery {
    pub category: Option<String>,
    /// A prefecture's 6-digit code.
    pub prefecture: Option<String>,
    /// The `next` of the page before.
    pub before: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct County {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// A prefecture-level division and its counties.
#[derive(Debug, Serialize, ToSchema)]
pub struct Division {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub counties: Vec<County>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    pub code: String,
    /// `goods`, `services` or `report`.
    pub group: String,
    pub zh: String,
    pub en: String,
}
