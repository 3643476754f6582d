//! Validated text fields that people type. Each has a `parse()` that trims, refuses control
//! characters and enforces the length limits (counted in Unicode scalar values, so a Chinese
//! character counts as one).

use super::error::Invalid;
use serde::{Deserialize, Serialize};

/// Trims `input`, refuses control characters (line breaks allowed when `multiline`) and
/// enforces `min..=max` characters. `min == 0` makes the field optional (empty allowed).
pub fn clean_text(input: &str, min: u32, max: u32, multiline: bool) -> Result<String, Invalid> {
    let trimmed = input.trim();
    // Normalise Windows line breaks so that length and storage do not depend on the browser.
    let text = trimmed.replace("\r\n", "\n");
    if text.chars().any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t'))) {
        return Err(Invalid::ControlChars);
    }
    let len = text.chars().count() as u32;
    if len == 0 && min > 0 {
        return Err(Invalid::Required);
    }
    if len < min {
        return Err(Invalid::TooShort { min });
    }
    if len > max {
        return Err(Invalid::TooLong { max });
    }
    Ok(text)
}

/// An optional field: blank is `None`, anything else must parse.
pub fn optional<T>(input: &str, parse: impl FnOnce(&str) -> Result<T, Invalid>) -> Result<Option<T>, Invalid> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse(input).map(Some)
    }
}

macro_rules! text_field {
    ($(#[$meta:meta])* $name:ident, min = $min:expr, max = $max:expr, multiline = $ml:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name(String);

        impl $name {
            pub const MIN: u32 = $min;
            pub const MAX: u32 = $max;

            pub fn parse(input: &str) -> Result<Self, Invalid> {
                clean_text(input, Self::MIN, Self::MAX, $ml).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Rebuilds a value read back from storage, where it was validated on the way in.
            pub fn from_stored(s: String) -> Self {
                Self(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_field!(
    /// A person's name as they give it (Chinese names are usually 2–4 characters).
    PersonName, min = 1, max = 30, multiline = false
);
text_field!(
    /// A postal address in free text.
    Address, min = 2, max = 200, multiline = false
);
text_field!(
    /// A business's registered or trading name.
    BusinessName, min = 2, max = 100, multiline = false
);
text_field!(
    /// An e-commerce platform's name (e.g. 淘宝, 美团).
    PlatformName, min = 1, max = 50, multiline = false
);
text_field!(
    /// A shop's name on a platform.
    ShopName, min = 1, max = 100, multiline = false
);
text_field!(
    /// What happened, in the consumer's words.
    Facts, min = 10, max = 2000, multiline = true
);
text_field!(
    /// The specific demand in the consumer's words (the rules require one for a complaint).
    DemandText, min = 2, max = 500, multiline = true
);
text_field!(
    /// A note attached to a workflow step (ground details, staff note, answer).
    Note, min = 0, max = 2000, multiline = true
);

text_field!(
    /// A consumer's comment on how the case was handled.
    Comment, min = 0, max = 500, multiline = true
);

/// An order or receipt number: letters, digits and `-_/#.` only, at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderNo(String);

impl OrderNo {
    pub const MAX: u32 = 64;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let text = clean_text(input, 1, Self::MAX, false)?;
        if text.chars().all(|c| c.is_ascii_alphanumeric() || "-_/#.".contains(c)) {
            Ok(Self(text))
        } else {
            Err(Invalid::OrderNo)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_accepts_text_within_limits() {
        assert_eq!(PersonName::parse("  张三 ").unwrap().as_str(), "张三");
        assert_eq!(BusinessName::parse("西宁某某商贸有限公司").unwrap().as_str(), "西宁某某商贸有限公司");
    }

    #[test]
    fn empty_required_field_is_required() {
        assert_eq!(PersonName::parse("   "), Err(Invalid::Required));
        assert_eq!(Facts::parse(""), Err(Invalid::Required));
    }

    #[test]
    fn counts_characters_not_bytes() {
        // 30 Chinese characters are 90 bytes but within the 30-character limit.
        let thirty = "张".repeat(30);
        assert!(PersonName::parse(&thirty).is_ok());
        assert_eq!(PersonName::parse(&"张".repeat(31)), Err(Invalid::TooLong { max: 30 }));
    }

    #[test]
    fn every_text_field_enforces_its_bounds() {
        assert_eq!(Address::parse("a"), Err(Invalid::TooShort { min: 2 }));
        assert_eq!(Address::parse(&"路".repeat(201)), Err(Invalid::TooLong { max: 200 }));
        assert_eq!(BusinessName::parse("店"), Err(Invalid::TooShort { min: 2 }));
        assert_eq!(BusinessName::parse(&"店".repeat(101)), Err(Invalid::TooLong { max: 100 }));
        assert_eq!(PlatformName::parse(&"x".repeat(51)), Err(Invalid::TooLong { max: 50 }));
        assert_eq!(ShopName::parse(&"x".repeat(101)), Err(Invalid::TooLong { max: 100 }));
        assert_eq!(Facts::parse("太短了"), Err(Invalid::TooShort { min: 10 }));
        assert_eq!(Facts::parse(&"事".repeat(2001)), Err(Invalid::TooLong { max: 2000 }));
        assert!(Facts::parse(&"事".repeat(2000)).is_ok());
        assert_eq!(DemandText::parse("退"), Err(Invalid::TooShort { min: 2 }));
        assert_eq!(DemandText::parse(&"退".repeat(501)), Err(Invalid::TooLong { max: 500 }));
        assert!(Note::parse("").is_ok());
        assert_eq!(Note::parse(&"注".repeat(2001)), Err(Invalid::TooLong { max: 2000 }));
    }

    #[test]
    fn a_megabyte_of_text_is_refused_not_truncated() {
        let big = "a".repeat(1 << 20);
        assert_eq!(Facts::parse(&big), Err(Invalid::TooLong { max: 2000 }));
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_allowed_in_multiline() {
        assert_eq!(PersonName::parse("张\u{0}三"), Err(Invalid::ControlChars));
        assert_eq!(PersonName::parse("张\n三"), Err(Invalid::ControlChars));
        assert!(Facts::parse("第一行事实描述\r\n第二行事实描述").is_ok());
        assert_eq!(Facts::parse("事实描述事实描述\u{7}响铃"), Err(Invalid::ControlChars));
        assert_eq!(Facts::parse("第一行事实描述\r\n第二行").unwrap().as_str(), "第一行事实描述\n第二行");
    }

    #[test]
    fn markup_and_sql_are_kept_as_plain_text() {
        let s = "<script>alert(1)</script>'; DROP TABLE cases; --";
        assert_eq!(Facts::parse(s).unwrap().as_str(), s);
    }

    #[test]
    fn order_numbers_allow_only_safe_characters() {
        assert_eq!(OrderNo::parse(" 2026-0101_AB/3#1. ").unwrap().as_str(), "2026-0101_AB/3#1.");
        assert_eq!(OrderNo::parse("单号123"), Err(Invalid::OrderNo));
        assert_eq!(OrderNo::parse(&"1".repeat(65)), Err(Invalid::TooLong { max: 64 }));
        assert_eq!(OrderNo::parse(""), Err(Invalid::Required));
    }
}
