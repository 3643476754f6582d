//! E-mail alerts of newly disclosed complaints, of one business or of a county: the form, what
//! a subscription follows, and when its digest is due. Double opt-in (a subscription sends
//! nothing but its confirmation until it is confirmed), at most one digest a week, and the
//! address kept only while the subscription lasts (PIPL's minimisation): unsubscribing deletes
//! it, and an unconfirmed one is deleted once its confirmation expires.

use super::error::{Checker, FieldError, Invalid};
use super::party::Email;
use serde::{Deserialize, Serialize};

/// The least time between two digests of a subscription (seconds): a week.
pub const DIGEST_EVERY_SECS: i64 = 7 * 24 * 3600;
/// How long a confirmation link holds (seconds); an unconfirmed subscription is then deleted.
pub const CONFIRM_WITHIN_SECS: i64 = 48 * 3600;
/// Newly disclosed complaints listed in one digest at most (the rest: the page's link).
pub const DIGEST_ITEMS: i64 = 20;

/// What a subscription follows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    /// A business's record (its key, `domain::disclosure::business_key`).
    Business(String),
    /// A county (its 6-digit code): every business there.
    County(String),
}

impl Target {
    /// `b:<key>` or `c:<county>`, as stored and posted.
    pub fn code(&self) -> String {
        match self {
            Target::Business(k) => format!("b:{k}"),
            Target::County(c) => format!("c:{c}"),
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input.trim().split_once(':') {
            None if input.trim().is_empty() => Err(Invalid::Required),
            Some(("b", key)) if super::disclosure::valid_key(key) => Ok(Target::Business(key.to_owned())),
            Some(("c", county)) if super::region::county(county).is_some() => Ok(Target::County(county.to_owned())),
            _ => Err(Invalid::Choice),
        }
    }

    /// The page the alerts are about (relative to the portal's address).
    pub fn page(&self) -> String {
        match self {
            Target::Business(k) => format!("/businesses/{k}"),
            Target::County(c) => format!("/businesses?county={c}"),
        }
    }
}

/// The subscription form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubscribeForm {
    pub email: String,
    pub target: String,
}

/// A checked subscription request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribe {
    pub email: String,
    pub target: Target,
}

impl SubscribeForm {
    pub fn parse(&self) -> Result<Subscribe, Vec<FieldError>> {
        let mut c = Checker::new();
        let email = c.check(
            "email",
            Email::parse_optional(&self.email)
                .and_then(|e| e.ok_or(Invalid::Required))
                .map(|e| normalise_email(e.as_str())),
        );
        let target = c.check("target", Target::parse(&self.target));
        c.finish(|| Some(Subscribe { email: email?, target: target? }))
    }
}

/// An address as kept: the domain in lower case (the local part is the mail server's to read).
pub fn normalise_email(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", domain.to_ascii_lowercase()),
        None => email.to_owned(),
    }
}

/// Whether a confirmed subscription may be sent a digest at `now` (Unix ms): never sent one, or
/// its last a week or more ago.
pub fn digest_due(sent_at: Option<i64>, now: i64, every_secs: i64) -> bool {
    sent_at.is_none_or(|s| now - s >= every_secs * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_a_business_key_or_a_county() {
        let code = crate::domain::credit_code::CreditCode::with_check("91630100MA752XXXX").unwrap();
        let b = Target::parse(&format!("b:{}", code.as_str())).unwrap();
        assert_eq!(b, Target::Business(code.as_str().to_owned()));
        assert_eq!(Target::parse(&b.code()).unwrap(), b);
        assert_eq!(Target::parse("c:630102").unwrap().page(), "/businesses?county=630102");
        assert_eq!(Target::parse("c:999999"), Err(Invalid::Choice));
        assert_eq!(Target::parse("b:not a key"), Err(Invalid::Choice));
        assert_eq!(Target::parse("x:630102"), Err(Invalid::Choice));
        assert_eq!(Target::parse(" "), Err(Invalid::Required));
    }

    #[test]
    fn the_form_reports_both_fields_and_keeps_the_address_with_its_domain_lowered() {
        let errors = SubscribeForm { email: "no-at-sign".into(), target: String::new() }.parse().unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError::new("email", Invalid::Email), FieldError::new("target", Invalid::Required)]
        );
        let empty = SubscribeForm { email: " ".into(), target: "c:630102".into() }.parse().unwrap_err();
        assert_eq!(empty, vec![FieldError::new("email", Invalid::Required)]);
        let ok = SubscribeForm { email: " Li.Ming@Example.CN ".into(), target: "c:630102".into() }.parse().unwrap();
        assert_eq!(ok.email, "Li.Ming@example.cn");
    }

    #[test]
    fn a_digest_is_sent_at_most_once_a_week() {
        let week = DIGEST_EVERY_SECS * 1000;
        assert!(digest_due(None, 0, DIGEST_EVERY_SECS));
        assert!(!digest_due(Some(1_000), 1_000 + week - 1, DIGEST_EVERY_SECS));
        assert!(digest_due(Some(1_000), 1_000 + week, DIGEST_EVERY_SECS));
    }
}
