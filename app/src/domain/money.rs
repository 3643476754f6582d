//! Money in integer fen (1 yuan = 100 fen), never floating point.

use super::error::Invalid;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct Fen(pub i64);

impl Fen {
    /// The largest amount accepted from a form: 100 million yuan.
    pub const MAX_YUAN: i64 = 100_000_000;

    /// Parses a yuan amount as people type it: `12`, `12.5`, `12.50`, `1,234.56`, `¥12`.
    /// At most two decimals; not negative; at most [`Fen::MAX_YUAN`].
    pub fn parse_yuan(input: &str) -> Result<Self, Invalid> {
        let s: String =
            input.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| *c != ',' && *c != '，').collect();
        if s.is_empty() {
            return Err(Invalid::Required);
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s.as_str(), ""),
        };
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) || frac.len() > 2 {
            return Err(Invalid::Amount);
        }
        if int.len() > 12 {
            return Err(Invalid::AmountTooLarge { max_yuan: Self::MAX_YUAN });
        }
        let yuan: i64 = int.parse().map_err(|_| Invalid::Amount)?;
        let fen_part: i64 = format!("{frac:0<2}").parse().map_err(|_| Invalid::Amount)?;
        if yuan > Self::MAX_YUAN || (yuan == Self::MAX_YUAN && fen_part > 0) {
            return Err(Invalid::AmountTooLarge { max_yuan: Self::MAX_YUAN });
        }
        Ok(Fen(yuan * 100 + fen_part))
    }

    /// `1234.50` — two decimals, no separators, for forms and CSV.
    pub fn to_yuan_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl std::fmt::Display for Fen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "¥{}", self.to_yuan_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yuan_into_fen() {
        assert_eq!(Fen::parse_yuan("12"), Ok(Fen(1200)));
        assert_eq!(Fen::parse_yuan("12.5"), Ok(Fen(1250)));
        assert_eq!(Fen::parse_yuan("0.05"), Ok(Fen(5)));
        assert_eq!(Fen::parse_yuan(" ¥1,234.56 "), Ok(Fen(123456)));
        assert_eq!(Fen::parse_yuan("0"), Ok(Fen(0)));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert_eq!(Fen::parse_yuan(""), Err(Invalid::Required));
        for s in ["-1", "1.234", "abc", "1e5", ".5", "1.2.3", "12元"] {
            assert_eq!(Fen::parse_yuan(s), Err(Invalid::Amount), "{s}");
        }
    }

    #[test]
    fn caps_the_amount() {
        assert_eq!(Fen::parse_yuan("100000000"), Ok(Fen(10_000_000_000)));
        let too_large = Err(Invalid::AmountTooLarge { max_yuan: Fen::MAX_YUAN });
        assert_eq!(Fen::parse_yuan("100000000.01"), too_large);
        assert_eq!(Fen::parse_yuan("99999999999999999999"), too_large);
    }

    #[test]
    fn formats_two_decimals() {
        assert_eq!(Fen(123456).to_string(), "¥1234.56");
        assert_eq!(Fen(5).to_yuan_string(), "0.05");
    }
}
