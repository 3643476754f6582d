//! What the business console and the register pages show.

use serde::{Deserialize, Serialize};

/// One complaint of a business's lane, in its queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OdrLine {
    pub case_no: String,
    pub state: String,
    pub category: String,
    pub received_on: String,
    /// The last day of the business's period (`YYYY-MM-DD`), if running.
    pub due_on: Option<String>,
    /// Working days left until then (negative: overdue).
    pub days_left: Option<i64>,
}

/// The business's console: its name and its complaints, earliest deadline first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OdrQueueView {
    pub business: String,
    pub credit_code: String,
    pub lines: Vec<OdrLine>,
}

/// One step of the case as the business sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OdrEvent {
    pub at: String,
    pub action: String,
    pub detail: Option<String>,
}

/// A complaint of the lane, for the business it was made about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OdrCaseView {
    pub case_no: String,
    pub version: i64,
    pub state: String,
    pub received_on: String,
    pub due_on: Option<String>,
    pub days_left: Option<i64>,
    /// The period's rule, article and whether it was checked against the official text.
    pub rule_zh: String,
    pub rule_en: String,
    pub rule_verified: bool,
    pub category: String,
    pub facts: String,
    pub demand: Option<String>,
    pub demand_text: Option<String>,
    pub amount_paid: Option<String>,
    pub order_no: Option<String>,
    pub incident_on: Option<String>,
    /// The consumer's name masked; the phone in full only while the negotiation is open.
    pub consumer_name: String,
    pub consumer_phone: String,
    /// Whether the business may answer now.
    pub can_answer: bool,
    pub evidence: usize,
    pub events: Vec<OdrEvent>,
}

/// An entry of the register, as a bureau's page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterLine {
    pub credit_code: String,
    pub name: String,
    pub county: String,
    pub odr: String,
    /// The membership decisions the viewer may take now (`join`, `suspend`, …).
    pub changes: Vec<String>,
    pub pledges: Vec<String>,
    /// Its record in the lane: complaints, answered in time, settlement rate, solved.
    #[serde(default)]
    pub complaints: i64,
    #[serde(default)]
    pub in_time: String,
    #[serde(default)]
    pub settlement: String,
    #[serde(default)]
    pub solved: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterView {
    pub lines: Vec<RegisterLine>,
    /// The counties the viewer may add a business in (division code, Chinese and English name).
    pub counties: Vec<(String, String, String)>,
}

/// A member business a consumer may send the complaint to first, as the filing form explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OdrMember {
    pub name: String,
    pub days: u32,
    pub source: String,
    pub verified: bool,
}
