//! The reporting periods of the statistics: a year, a quarter or a month, as typed in the address
//! bar, with their months and neighbours.

use crate::domain::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use time::Date;

/// A reporting period: a year, a quarter or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    Year(i32),
    Quarter(i32, u8),
    Month(i32, u8),
}

impl Period {
    /// `2026`, `2026-Q3` or `2026-07`.
    pub fn parse(text: &str) -> Result<Period, FieldError> {
        let bad = || FieldError::new("period", Invalid::Choice);
        let text = text.trim();
        let year = |s: &str| s.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y) && s.len() == 4);
        if let Some(y) = year(text) {
            return Ok(Period::Year(y));
        }
        let (y, rest) = text.split_once('-').ok_or_else(bad)?;
        let y = year(y).ok_or_else(bad)?;
        if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
            return match q.parse::<u8>() {
                Ok(n @ 1..=4) if q.len() == 1 => Ok(Period::Quarter(y, n)),
                _ => Err(bad()),
            };
        }
        match rest.parse::<u8>() {
            Ok(m @ 1..=12) if rest.len() == 2 => Ok(Period::Month(y, m)),
            _ => Err(bad()),
        }
    }

    /// The period that contains `day`, of the same length as `self`.
    pub fn containing(like: &str, day: Date) -> Period {
        let (y, m) = (day.year(), day.month() as u8);
        match like {
            "quarter" => Period::Quarter(y, (m - 1) / 3 + 1),
            "month" => Period::Month(y, m),
            _ => Period::Year(y),
        }
    }

    pub fn code(&self) -> String {
        match *self {
            Period::Year(y) => format!("{y:04}"),
            Period::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Period::Month(y, m) => format!("{y:04}-{m:02}"),
        }
    }

    /// The months it covers, in order (`YYYY-MM`).
    pub fn months(&self) -> Vec<String> {
        let (y, from, to) = match *self {
            Period::Year(y) => (y, 1, 12),
            Period::Quarter(y, q) => (y, (q - 1) * 3 + 1, q * 3),
            Period::Month(y, m) => (y, m, m),
        };
        (from..=to).map(|m| format!("{y:04}-{m:02}")).collect()
    }

    /// The same period a year earlier.
    pub fn year_before(&self) -> Period {
        match *self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, q) => Period::Quarter(y - 1, q),
            Period::Month(y, m) => Period::Month(y - 1, m),
        }
    }

    /// The period before this one (for the "previous" link).
    pub fn prev(&self) -> Period {
        match *self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
        }
    }

    pub fn next(&self) -> Period {
        match *self {
            Period::Year(y) => Period::Year(y + 1),
            Period::Quarter(y, 4) => Period::Quarter(y + 1, 1),
            Period::Quarter(y, q) => Period::Quarter(y, q + 1),
            Period::Month(y, 12) => Period::Month(y + 1, 1),
            Period::Month(y, m) => Period::Month(y, m + 1),
        }
    }
}
