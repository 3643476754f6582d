//! Back in with the phone: a consumer who lost the query code proves the mobile number given on
//! their cases with a one-time code sent to it by text message, then chooses one of its cases.
//! The forms, the code, and the limits that keep the text messages from being pumped.

use super::error::{Checker, FieldError, Invalid};
use super::party::Phone;
use serde::{Deserialize, Serialize};

/// How long a code holds after it is sent.
pub const CODE_VALID_MS: i64 = 10 * 60 * 1000;
/// Wrong codes a code takes before it holds no more (a new one must be asked for).
pub const CODE_TRIES: u32 = 5;
/// How long the list of the number's cases stays open after the code was right.
pub const CASES_VALID_SECONDS: i64 = 10 * 60;

/// The number a code is asked for, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecoverForm {
    pub phone: String,
}

impl RecoverForm {
    /// A mobile number: a fixed line takes no text message, so no code is sent to one.
    pub fn parse(&self) -> Result<Phone, Vec<FieldError>> {
        let mut c = Checker::new();
        let phone = c.check("phone", mobile(&self.phone));
        c.finish(|| phone)
    }
}

fn mobile(input: &str) -> Result<Phone, Invalid> {
    let phone = Phone::parse(input)?;
    if phone.is_mobile() {
        Ok(phone)
    } else {
        Err(Invalid::NotMobile)
    }
}

/// The six digits of a code sent by text message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneCode(String);

impl PhoneCode {
    /// Six digits; spaces are allowed and removed (a code read out in two groups).
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err(Invalid::Required);
        }
        if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(Invalid::PhoneCode)
        }
    }

    /// The code of a random number (any `u32`: the caller's random source).
    pub fn from_random(n: u32) -> Self {
        Self(format!("{:06}", n % 1_000_000))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The code as typed, with the number it was sent to (carried in the form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    pub phone: String,
    pub code: String,
}

impl CodeForm {
    pub fn parse(&self) -> Result<(Phone, PhoneCode), Vec<FieldError>> {
        let mut c = Checker::new();
        let phone = c.check("phone", mobile(&self.phone));
        let code = c.check("code", PhoneCode::parse(&self.code));
        c.finish(|| Some((phone?, code?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_goes_only_to_a_mobile_number() {
        assert_eq!(
            RecoverForm { phone: "138 1234 1234".into() }.parse().map(|p| p.as_str().to_owned()),
            Ok("13812341234".into())
        );
        let fixed = RecoverForm { phone: "0971-6123456".into() }.parse();
        assert_eq!(fixed, Err(vec![FieldError::new("phone", Invalid::NotMobile)]));
        assert_eq!(RecoverForm::default().parse(), Err(vec![FieldError::new("phone", Invalid::Required)]));
        assert_eq!(RecoverForm { phone: "12345".into() }.parse(), Err(vec![FieldError::new("phone", Invalid::Phone)]));
    }

    #[test]
    fn a_code_is_six_digits() {
        assert_eq!(PhoneCode::parse("123 456").map(|c| c.0), Ok("123456".into()));
        assert_eq!(PhoneCode::parse(""), Err(Invalid::Required));
        for bad in ["12345", "1234567", "12a456", "１２３４５６"] {
            assert_eq!(PhoneCode::parse(bad), Err(Invalid::PhoneCode), "{bad}");
        }
        assert_eq!(PhoneCode::from_random(42).as_str(), "000042");
        assert_eq!(PhoneCode::from_random(u32::MAX).as_str(), "967295");
        let form = CodeForm { phone: "13812341234".into(), code: "x".into() };
        assert_eq!(form.parse().unwrap_err(), vec![FieldError::new("code", Invalid::PhoneCode)]);
    }
}
