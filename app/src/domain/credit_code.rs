//! The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a
//! 31-character alphabet (digits and capitals without I, O, Z, S, V); the 18th is a check
//! character computed from the first 17 with weights 3^(i) mod 31.

use super::error::Invalid;
use serde::{Deserialize, Serialize};

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditCode(String);

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, or `None` if one is outside the alphabet.
pub fn check_char(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(ALPHABET[check as usize] as char)
}

impl CreditCode {
    /// Accepts lower case and surrounding spaces; refuses a wrong length or alphabet
    /// (`CreditCodeFormat`) and a wrong check character (`CreditCodeCheck`).
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let code: String = input.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(Invalid::Required);
        }
        let bytes = code.as_bytes();
        if bytes.len() != 18 || !bytes.iter().all(|b| value_of(*b).is_some()) {
            return Err(Invalid::CreditCodeFormat);
        }
        match check_char(&bytes[..17]) {
            Some(c) if c as u8 == bytes[17] => Ok(Self(code)),
            _ => Err(Invalid::CreditCodeCheck),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code of these 17 characters with its check character (for generated registers).
    pub fn with_check(first17: &str) -> Option<Self> {
        let c = check_char(first17.as_bytes())?;
        Some(Self(format!("{first17}{c}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_standards_own_example() {
        // The example printed in GB 32100-2015, Annex: 91350100M000100Y43.
        assert_eq!(CreditCode::parse("91350100M000100Y43").unwrap().as_str(), "91350100M000100Y43");
    }

    #[test]
    fn accepts_lower_case_and_spaces() {
        assert!(CreditCode::parse(" 91350100m000100y43 ").is_ok());
    }

    #[test]
    fn a_check_value_of_zero_is_the_digit_zero() {
        // Build a code whose weighted sum is a multiple of 31 and check that '0' is expected.
        let mut body = *b"91630100MA7XXXXX1";
        for last in ALPHABET {
            body[16] = *last;
            if check_char(&body) == Some('0') {
                let code = format!("{}0", std::str::from_utf8(&body).unwrap());
                assert!(CreditCode::parse(&code).is_ok());
                return;
            }
        }
        // Some character of the alphabet must yield a zero check value.
        panic!("no body with check value 0 found");
    }

    #[test]
    fn refuses_a_wrong_check_character() {
        assert_eq!(CreditCode::parse("91350100M000100Y44"), Err(Invalid::CreditCodeCheck));
    }

    #[test]
    fn refuses_wrong_length_and_letters_outside_the_alphabet() {
        assert_eq!(CreditCode::parse("91350100M000100Y4"), Err(Invalid::CreditCodeFormat));
        assert_eq!(CreditCode::parse("91350100M000100Y433"), Err(Invalid::CreditCodeFormat));
        // I, O, Z, S and V are not in the alphabet.
        assert_eq!(CreditCode::parse("9135010OM000100Y43"), Err(Invalid::CreditCodeFormat));
        assert_eq!(CreditCode::parse("91350100M000100Y4S"), Err(Invalid::CreditCodeFormat));
        assert_eq!(CreditCode::parse("９１350100M000100Y43"), Err(Invalid::CreditCodeFormat));
        assert_eq!(CreditCode::parse(""), Err(Invalid::Required));
    }

    #[test]
    fn every_single_character_change_is_detected() {
        let good = b"91350100M000100Y43";
        for i in 0..18 {
            for &c in ALPHABET {
                if c == good[i] {
                    continue;
                }
                let mut bad = *good;
                bad[i] = c;
                let s = std::str::from_utf8(&bad).unwrap();
                assert!(CreditCode::parse(s).is_err(), "{s} accepted");
            }
        }
    }
}
