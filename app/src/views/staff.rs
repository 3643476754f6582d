//! What the staff console shows: the work queue, a case, the audit log, the outbox.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueLine {
    pub case_no: String,
    pub kind: String,
    pub channel: String,
    pub state: String,
    pub bureau_zh: String,
    pub bureau_en: String,
    pub category: String,
    pub received_on: String,
    /// The next staff deadline, while one runs.
    pub due_on: Option<String>,
    pub working_days_left: Option<i64>,
    /// The due date falls in a year whose holiday schedule is not published yet.
    pub provisional: bool,
    /// The clock is paused for testing or appraisal (no date until it resumes).
    #[serde(default)]
    pub paused: bool,
}

/// How many cases a filter value selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCount {
    pub code: String,
    pub n: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub username: String,
    pub role: String,
    pub bureau_zh: Option<String>,
    pub bureau_en: Option<String>,
    pub lines: Vec<QueueLine>,
    /// The query string of the next page.
    pub next: Option<String>,
    /// Cases per state within the staff member's scope.
    pub by_state: Vec<QueueCount>,
    /// Cases overdue, due today, due soon.
    pub by_due: Vec<QueueCount>,
    /// The bureaus a supervisor may filter by: (code, zh, en).
    pub bureaus: Vec<(String, String, String)>,
}

/// One step of a case as staff see it: with the acting role and staff member, and the note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEvent {
    pub at: String,
    pub action: String,
    pub to_state: String,
    pub actor_role: String,
    pub actor_id: Option<String>,
    pub ground: Option<String>,
    pub detail: Option<String>,
    pub note: Option<String>,
}

/// A numbered ground offered for a refusal or a termination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroundChoice {
    pub no: u32,
    pub article: String,
    pub zh: String,
    pub en: String,
}

/// Everything about a case for staff who may see it (personal data in full: each view is
/// recorded in the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCaseView {
    pub case_no: String,
    pub version: i64,
    pub kind: String,
    pub channel: String,
    pub state: String,
    pub bureau: String,
    pub bureau_zh: String,
    pub bureau_en: String,
    pub clock_paused: bool,
    pub received_on: String,
    pub category: String,
    /// Name, phone and address in full (this view needs them); none for an anonymous report.
    pub consumer: Option<(String, String, String)>,
    /// Who filed for the consumer, in full (an agent's name and phone, or how many consumers a
    /// representative speaks for).
    pub representation: Option<crate::domain::party::RepresentationText>,
    /// A complaint received more than the limitation period after the incident: the refusal
    /// ground (number and article) staff are likely to decide on.
    pub limitation_ground: Option<(u32, String)>,
    pub business: Option<String>,
    pub business_address: Option<String>,
    pub facts: String,
    /// The demand's code (`refund`, …), named by the page, and the consumer's own words.
    pub demand_kind: Option<String>,
    pub demand: Option<String>,
    pub amount_paid_yuan: Option<String>,
    pub order_no: Option<String>,
    pub linked_case_no: Option<String>,
    /// The running period in words (date, how it was counted, the article), in Chinese and English.
    pub deadline_zh: Option<String>,
    pub deadline_en: Option<String>,
    pub events: Vec<StaffEvent>,
    /// Evidence files: (id, kind, size in bytes, uploaded at).
    pub evidence: Vec<(String, String, i64, String)>,
    /// The staff actions the workflow allows this staff member now (codes).
    pub actions: Vec<String>,
    pub refusal_grounds: Vec<GroundChoice>,
    pub termination_grounds: Vec<GroundChoice>,
    /// The jurisdiction rule of the case's rule set, with its article (shown where staff route it).
    pub jurisdiction_zh: String,
    pub jurisdiction_en: String,
    /// Bureaus a case may be transferred to: (code, zh, en).
    pub bureaus: Vec<(String, String, String)>,
    /// Every step of this staff member needs a reason (a supervisor's override).
    pub reason_required: bool,
    /// Possible duplicates: other items of the same consumer about the same business.
    pub similar: Vec<SimilarLine>,
    /// What the consumer was told, and when (the outbox's messages of the case).
    #[serde(default)]
    pub told: Vec<NoticeLine>,
    /// For a supervisor or an admin, who choose what the open-day screen's walk-through panel
    /// follows: whether it follows this case now (`None` for the other roles).
    #[serde(default)]
    pub on_screen: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimilarLine {
    pub case_no: String,
    pub kind: String,
    pub state: String,
    pub received_on: String,
}

/// One line of the audit log as supervisors read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub client: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub lines: Vec<AuditLine>,
    /// The `before` of the next (older) page.
    pub next: Option<i64>,
}

/// A message to a consumer, as the console shows it (the recipient masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeLine {
    pub id: i64,
    pub case_no: String,
    pub channel: String,
    pub recipient: String,
    /// What it says, in the consumer's language (a receipt's query code shown as asterisks once
    /// sent).
    pub text: String,
    pub state: String,
    pub attempts: u32,
    /// `YYYY-MM-DD HH:MM`, China time.
    pub created: String,
    pub due: String,
    pub sent: Option<String>,
    pub last_error: Option<String>,
}

/// A page of the outbox, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub lines: Vec<NoticeLine>,
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    /// A text-message gateway is configured on this server.
    pub sms_ready: bool,
    /// A mail server is configured on this server.
    pub email_ready: bool,
    /// The number of the next (older) page, if any.
    pub next: Option<i64>,
}
