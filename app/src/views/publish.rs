//! Typical cases: what the public list and the review queue show, and what they are sent.

use serde::{Deserialize, Serialize};

/// A typical case drafted from a closed, consented item: its facts redacted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    pub case_no: String,
    pub kind: String,
    pub category: String,
    pub prefecture: String,
    pub closed_on: String,
    pub facts: String,
    pub result: String,
}

/// A supervisor's decision on one draft, as the form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReviewForm {
    pub case_no: String,
    /// The facts as the supervisor left them (they may redact more by hand).
    pub facts: String,
    /// `approve` or `reject`.
    pub decision: String,
}

/// What the public list is asked for in the address bar.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CasesParams {
    pub category: String,
    pub prefecture: String,
    pub before: String,
}

/// A page of typical cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasesView {
    pub cases: Vec<Draft>,
    /// The `before` of the next page.
    pub next: Option<String>,
}
