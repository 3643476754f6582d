//! What the receipt page shows, once.

use serde::{Deserialize, Serialize};

/// What the receipt page shows, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub case_no: String,
    /// The query code, formatted `ABCD-EFGH`.
    pub code: String,
    pub kind: String,
    pub received_on: String,
    /// The date by which the acceptance decision is due, and the article it comes from.
    pub due_on: Option<String>,
    pub due_days: u32,
    pub due_article: String,
    pub rule_set_zh: String,
    pub rule_set_en: String,
    pub bureau_zh: String,
    pub bureau_en: String,
    /// Years in which the calendar knew only weekends.
    pub due_assumed: bool,
    /// The report filed together with this complaint, if any.
    pub linked_case_no: Option<String>,
    /// An SVG QR code of the tracking address.
    pub qr_svg: String,
}
