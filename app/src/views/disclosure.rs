//! Businesses' complaint records in public: what `/businesses` and `/businesses/{key}` show.

use crate::domain::disclosure::{BusinessFigures, Disclosed};
use serde::{Deserialize, Serialize};

/// What the search is asked for in the address bar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BusinessesParams {
    /// A name (or part of one) or a credit code.
    pub q: String,
    pub county: String,
    pub category: String,
}

/// A business found, with its complaints over the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHit {
    pub key: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub county: String,
    pub complaints: i64,
}

/// A page of businesses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessesView {
    pub hits: Vec<BusinessHit>,
    /// The goods and services complained of most in each prefecture over the window (the
    /// landing view only): prefecture code, then (category, complaints).
    #[serde(default)]
    pub hot: Vec<(String, Vec<(String, i64)>)>,
    /// The window's first and last month.
    pub from: String,
    pub to: String,
}

/// A business's record: its figures, their chart, its disclosed complaints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordView {
    pub business: BusinessHit,
    /// Grouped by the name as typed and the county (no credit code was given).
    pub named: bool,
    /// The register's entry: its ODR standing and pledges, if the business is registered.
    pub odr: Option<String>,
    pub pledges: Vec<String>,
    pub figures: BusinessFigures,
    /// The monthly complaints drawn on the server (SVG).
    pub chart: String,
    /// Each complaint with its number and the day its account was corrected, if it was.
    pub items: Vec<(i64, Disclosed, Option<String>)>,
    /// The `before` of the next page of complaints.
    pub next: Option<i64>,
}

/// The path of a business's record (the key percent-encoded: a name may be in it).
pub fn record_href(key: &str) -> String {
    let mut out = String::from("/businesses/");
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The key from the path's segment, percent-decoded if it still is.
pub fn key_of_segment(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| segment.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_key_goes_through_the_path_and_back() {
        let key = "n:630102:西宁某某电器(abc)有限公司";
        let href = record_href(key);
        assert!(href.is_ascii() && !href[12..].contains('/') && !href.contains(':'));
        assert_eq!(key_of_segment(href.trim_start_matches("/businesses/")), key);
        assert_eq!(key_of_segment("91630100MA752XXXXX"), "91630100MA752XXXXX");
    }
}

/// An objection as the consoles show it, with the item it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionLine {
    pub id: i64,
    pub item: i64,
    /// What is disclosed of the item (as shown now), if it is still on record.
    pub disclosed: Option<Disclosed>,
    pub hidden: bool,
    /// `business` or `bureau`.
    pub via: String,
    pub by: String,
    pub reason: String,
    pub filed: String,
    pub decision: Option<String>,
    pub note: Option<String>,
    pub decided: Option<String>,
}

/// `/staff/objections`: the objections awaiting a decision; who may file one for a business and
/// who may decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionsView {
    pub lines: Vec<ObjectionLine>,
    pub can_decide: bool,
}

/// `/staff/business/record`: a business's own disclosed complaints and its objections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnRecordView {
    pub business: String,
    pub credit_code: String,
    pub items: Vec<(i64, Disclosed, Option<String>)>,
    pub objections: Vec<ObjectionLine>,
}
