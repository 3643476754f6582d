//! What the tracking page shows: the timeline, the deadline, the rating, the evidence and the
//! steps the consumer may take now.

use serde::{Deserialize, Serialize};

/// One step of the public timeline. Staff notes are not part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// `YYYY-MM-DD HH:MM`, China time.
    pub at: String,
    pub action: String,
    pub to_state: String,
    /// A refusal or termination ground as the rule set states it: number, article (and whether
    /// it has been checked against the official text) and the plain-language text.
    pub ground: Option<crate::domain::rules::Ground>,
    /// What the consumer may read of the step (an answer, their own words, …).
    pub detail: Option<String>,
}

/// The statutory deadline the case is waiting on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineView {
    pub kind: String,
    /// `None` while the clock is paused.
    pub date: Option<String>,
    /// Working days left (0: due today; negative: overdue), when there is a date.
    pub working_days_left: Option<i64>,
    pub article: String,
    /// The article number has been checked against the official text.
    pub verified: bool,
    pub rule_set_zh: String,
    pub rule_set_en: String,
    pub zh: String,
    pub en: String,
    /// How the date was found: the start, the days left out, an extension.
    pub explain_zh: String,
    pub explain_en: String,
    /// Counted in a year whose holiday schedule is not published yet.
    pub assumed: bool,
    /// The clock is paused for testing or appraisal.
    pub paused: bool,
}

/// What the consumer filed, as they filed it (never a staff note).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledView {
    pub business_name: Option<String>,
    pub business_address: Option<String>,
    /// `YYYY-MM-DD`.
    pub incident_on: Option<String>,
    pub amount_paid_yuan: Option<String>,
    pub order_no: Option<String>,
    /// The demand's code (`refund`, …), named by the page.
    pub demand: Option<String>,
    pub demand_text: Option<String>,
    pub facts: String,
    pub consent_publish: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingView {
    pub process: u8,
    pub outcome: String,
    pub comment: Option<String>,
    /// Until when it may be changed (`YYYY-MM-DD HH:MM`), if it still may.
    pub editable_until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub kind: String,
    pub size: i64,
    pub uploaded: String,
}

/// What the consumer may do now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowed {
    pub supplement: bool,
    pub withdraw: bool,
    pub rate: bool,
    pub contest: bool,
    /// A real-name reporter may ask not to be told of the case any more.
    #[serde(default)]
    pub stop_notices: bool,
    /// Messages about the case go to the consumer's phone or e-mail: `Some(false)` while they
    /// may ask for no more than the law requires, `Some(true)` once they did.
    #[serde(default)]
    pub messages_off: Option<bool>,
    /// ODR lane: the business made an offer; the consumer says yes or no.
    #[serde(default)]
    pub decide_offer: bool,
    /// Settled by the business, and the consumer's verdict is "not solved": they may take the
    /// complaint to the bureau after all.
    #[serde(default)]
    pub to_bureau: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackView {
    pub case_no: String,
    pub kind: String,
    pub state: String,
    pub received_on: String,
    pub category: String,
    pub bureau_zh: String,
    pub bureau_en: String,
    pub business: Option<String>,
    /// The consumer's name and phone, masked; none for an anonymous report.
    pub consumer: Option<String>,
    /// Who filed for the consumer (an agent, masked, or a representative of several consumers).
    pub representation: Option<crate::domain::party::RepresentationText>,
    pub filed: FiledView,
    pub amount_recovered_yuan: Option<String>,
    pub linked_case_no: Option<String>,
    pub timeline: Vec<TimelineEntry>,
    pub deadline: Option<DeadlineView>,
    pub evidence: Vec<EvidenceView>,
    pub rating: Option<RatingView>,
    /// The last day on which the closure may be contested.
    pub contest_until: Option<String>,
    pub allowed: Allowed,
}

/// One case of a proven phone number, as the list after a one-time code shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveredCase {
    pub case_no: String,
    /// The kind's code (`complaint`, `report`, `consultation`).
    pub kind: String,
    /// The state's code.
    pub state: String,
    /// `YYYY-MM-DD`.
    pub received_on: String,
    /// The business as the consumer named it (empty for a general consultation).
    pub business: String,
}
