//! Objections to a disclosed complaint: a business (from its account, or through the bureau of
//! its county) says why an item should not stand as published; a supervisor decides to hide it,
//! to correct its account, or to keep it. The forms and their checks; who may do what.

use crate::domain::error::{Checker, FieldError, Invalid};
use crate::domain::fields::clean_text;
use serde::{Deserialize, Serialize};

/// A supervisor's decision on an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decision {
    /// The item leaves the pages, the API and the feeds.
    Hide,
    /// The item stays, its account replaced by the supervisor's corrected text, marked corrected.
    Correct,
    /// The item stays as it is.
    Keep,
}

codes!(Decision {
    Hide => "hide",
    Correct => "correct",
    Keep => "keep",
});

/// The reason an objection gives: 10–1,000 characters.
pub const REASON: (u32, u32) = (10, 1000);
/// A decision's note (why; shown to the business): 2–1,000 characters.
pub const NOTE: (u32, u32) = (2, 1000);
/// The corrected account of a complaint: 2–2,000 characters.
pub const CORRECTION: (u32, u32) = (2, 2000);

/// The objection form as posted: the item (its number on the page) and the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObjectionForm {
    pub item: String,
    pub reason: String,
}

/// A checked objection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objection {
    pub item: i64,
    pub reason: String,
}

impl ObjectionForm {
    pub fn parse(&self) -> Result<Objection, Vec<FieldError>> {
        let mut c = Checker::new();
        let item = c.check("item", parse_item(&self.item));
        let reason = c.check("reason", clean_text(&self.reason, REASON.0, REASON.1, true));
        c.finish(|| Some(Objection { item: item?, reason: reason? }))
    }
}

/// An item's number as the pages show it (`D123` or `123`).
pub fn parse_item(input: &str) -> Result<i64, Invalid> {
    let t = input.trim();
    if t.is_empty() {
        return Err(Invalid::Required);
    }
    let digits = t.strip_prefix(['D', 'd']).unwrap_or(t);
    match digits.parse::<i64>() {
        Ok(n) if n > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(Invalid::Number),
    }
}

/// The label of an item on the pages and in the API.
pub fn item_label(id: i64) -> String {
    format!("D{id}")
}

/// The decision form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub decision: String,
    pub note: String,
    /// Only for `correct`.
    pub correction: String,
}

/// A checked decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub decision: Decision,
    pub note: String,
    pub correction: Option<String>,
}

impl DecisionForm {
    pub fn parse(&self) -> Result<Decided, Vec<FieldError>> {
        let mut c = Checker::new();
        let decision = c.check(
            "decision",
            match self.decision.trim() {
                "" => Err(Invalid::Required),
                d => Decision::from_code(d).ok_or(Invalid::Choice),
            },
        );
        let note = c.check("note", clean_text(&self.note, NOTE.0, NOTE.1, true));
        let correction = match decision {
            Some(Decision::Correct) => {
                c.check("correction", clean_text(&self.correction, CORRECTION.0, CORRECTION.1, true)).map(Some)
            }
            _ => Some(None),
        };
        c.finish(|| Some(Decided { decision: decision?, note: note?, correction: correction? }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_objection_needs_an_item_and_a_reason_of_ten_characters() {
        let ok = ObjectionForm {
            item: " D42 ".into(), reason: "该投诉并非本店经营的商品，系他人冒用店名。".into()
        };
        assert_eq!(ok.parse().unwrap().item, 42);
        assert_eq!(ObjectionForm { item: "42".into(), ..ok.clone() }.parse().unwrap().item, 42);
        let bad = ObjectionForm { item: "D4x".into(), reason: "不对".into() }.parse().unwrap_err();
        assert_eq!(
            bad,
            vec![FieldError::new("item", Invalid::Number), FieldError::new("reason", Invalid::TooShort { min: 10 })]
        );
        let empty = ObjectionForm::default().parse().unwrap_err();
        assert_eq!(
            empty,
            vec![FieldError::new("item", Invalid::Required), FieldError::new("reason", Invalid::Required)]
        );
        assert_eq!(parse_item("0"), Err(Invalid::Number));
        assert_eq!(parse_item("-3"), Err(Invalid::Number));
        assert_eq!(item_label(7), "D7");
    }

    #[test]
    fn a_correction_needs_its_text_and_other_decisions_ignore_it() {
        let f = DecisionForm { decision: "correct".into(), note: "核实后更正".into(), correction: String::new() };
        assert_eq!(f.parse().unwrap_err(), vec![FieldError::new("correction", Invalid::Required)]);
        let f = DecisionForm { correction: "商品为充电宝，非手机。".into(), ..f };
        assert_eq!(f.parse().unwrap().correction.as_deref(), Some("商品为充电宝，非手机。"));
        let hide = DecisionForm { decision: "hide".into(), note: "不属实".into(), correction: "x".into() };
        assert_eq!(
            hide.parse().unwrap(),
            Decided { decision: Decision::Hide, note: "不属实".into(), correction: None }
        );
        let bad = DecisionForm { decision: "delete".into(), ..Default::default() }.parse().unwrap_err();
        assert_eq!(bad, vec![FieldError::new("decision", Invalid::Choice), FieldError::new("note", Invalid::Required)]);
    }
}
