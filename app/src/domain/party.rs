//! The parties of an item: the consumer who files it and the business it is about, and the
//! masked forms shown wherever the full value is not needed.

use super::credit_code::CreditCode;
use super::error::{Checker, FieldError, Invalid};
use super::fields::{optional, Address, BusinessName, PersonName, PlatformName, ShopName};
use super::region::{county, County};
use serde::{Deserialize, Serialize};

/// A phone number: a mainland mobile number (11 digits, starting 1 and then 3–9; `+86`, spaces
/// and dashes are accepted on input and removed), or a fixed line with its area code (`0` and two
/// or three digits, then a local number of seven or eight digits not starting 0 or 1), kept as
/// `0971-6123456`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let compact: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if compact.is_empty() {
            return Err(Invalid::Required);
        }
        let digits = compact.strip_prefix("+86").or_else(|| compact.strip_prefix("0086")).unwrap_or(&compact);
        let b = digits.as_bytes();
        if !b.iter().all(u8::is_ascii_digit) {
            return Err(Invalid::Phone);
        }
        let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
        if mobile {
            return Ok(Self(digits.to_owned()));
        }
        // Fixed line: 010 and 020–029 have three digits, the other area codes four.
        let area = match b {
            [b'0', b'1' | b'2', ..] => 3,
            [b'0', b'3'..=b'9', ..] => 4,
            _ => return Err(Invalid::Phone),
        };
        let local = &digits[area.min(digits.len())..];
        let local_ok = matches!(local.len(), 7 | 8) && !local.starts_with(['0', '1']);
        if local_ok {
            Ok(Self(format!("{}-{local}", &digits[..area])))
        } else {
            Err(Invalid::Phone)
        }
    }

    /// Whether it is a mobile number (which can take a text message).
    pub fn is_mobile(&self) -> bool {
        !self.0.starts_with('0')
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****1234`: what every view shows unless it needs the full number.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }

    pub fn from_stored(s: String) -> Self {
        Self(s)
    }
}

/// Masks the middle four digits of an 11-digit number, all but the last four digits of a fixed
/// line's local number (keeping its area code); anything else is masked but its last two.
pub fn mask_phone(phone: &str) -> String {
    if let Some((area, local)) = phone.split_once('-') {
        let keep = local.len().saturating_sub(4);
        return format!("{area}-{}{}", "*".repeat(keep), &local[keep..]);
    }
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() == 11 {
        format!("{}****{}", chars[..3].iter().collect::<String>(), chars[7..].iter().collect::<String>())
    } else {
        let keep = chars.len().min(2);
        let hidden = chars.len() - keep;
        format!("{}{}", "*".repeat(hidden), chars[hidden..].iter().collect::<String>())
    }
}

/// Masks a name to its first character: 张三 → 张*, 欧阳娜娜 → 欧***.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

/// Keeps the first six characters of an address (usually the city and district) and masks the rest.
pub fn mask_address(address: &str) -> String {
    let n = address.chars().count();
    let keep = n.min(6);
    format!("{}{}", address.chars().take(keep).collect::<String>(), if n > keep { "****" } else { "" })
}

/// The person who files: name, mobile phone, address (all required by the rules for a complaint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consumer {
    pub name: PersonName,
    pub phone: Phone,
    pub address: Address,
}

impl Consumer {
    pub fn parse(name: &str, phone: &str, address: &str) -> Result<Self, Vec<FieldError>> {
        let mut c = Checker::new();
        let name = c.check("consumer_name", PersonName::parse(name));
        let phone = c.check("consumer_phone", Phone::parse(phone));
        let address = c.check("consumer_address", Address::parse(address));
        c.finish(|| Some(Self { name: name?, phone: phone?, address: address? }))
    }

    pub fn masked(&self) -> MaskedConsumer {
        MaskedConsumer {
            name: mask_name(self.name.as_str()),
            phone: self.phone.masked(),
            address: mask_address(self.address.as_str()),
        }
    }
}

/// Someone filing a complaint for others: an agent under a signed power of attorney (Interim
/// Measures Art. 10), or the representative whom several consumers with the same complaint
/// against one business chose in writing (Art. 11; the consumer party is then the
/// representative). The articles and the least number of consumers are the rule set's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Representation {
    Agent { name: PersonName, phone: Phone },
    Representative { consumers: u32 },
}

/// The most consumers one collective complaint names (a bound on input, not a legal limit).
pub const MAX_CONSUMERS: u32 = 10_000;

impl Representation {
    pub fn code(&self) -> &'static str {
        match self {
            Representation::Agent { .. } => "agent",
            Representation::Representative { .. } => "representative",
        }
    }

    /// `filing_as` is `self` (or empty), `agent` or `representative`; only a complaint is filed
    /// for others. Errors name the form's fields.
    pub fn parse(
        filing_as: &str,
        agent_name: &str,
        agent_phone: &str,
        consumers: &str,
        complaint: bool,
        min_consumers: u32,
    ) -> Result<Option<Self>, Vec<FieldError>> {
        let mut c = Checker::new();
        match filing_as.trim() {
            // Only a complaint is filed for others (a choice left over from another kind is moot).
            _ if !complaint => Ok(None),
            "" | "self" => Ok(None),
            "agent" if complaint => {
                let name = c.check("agent_name", PersonName::parse(agent_name));
                let phone = c.check("agent_phone", Phone::parse(agent_phone));
                c.finish(|| Some(Some(Representation::Agent { name: name?, phone: phone? })))
            }
            "representative" if complaint => {
                let n = consumers.trim();
                let count = c.check(
                    "consumers",
                    match n.parse::<u32>() {
                        _ if n.is_empty() => Err(Invalid::Required),
                        Ok(v) if v < min_consumers => Err(Invalid::TooFew { min: min_consumers }),
                        Ok(v) if v <= MAX_CONSUMERS => Ok(v),
                        Ok(_) => Err(Invalid::TooMany { max: MAX_CONSUMERS }),
                        Err(_) => Err(Invalid::Number),
                    },
                );
                c.finish(|| Some(Some(Representation::Representative { consumers: count? })))
            }
            _ => Err(vec![FieldError::new("filing_as", Invalid::Choice)]),
        }
    }

    /// As a view that does not need personal data shows it: the agent's name and phone masked.
    pub fn masked(&self) -> RepresentationText {
        match self {
            Representation::Agent { name, phone } => {
                RepresentationText::Agent { name: mask_name(name.as_str()), phone: phone.masked() }
            }
            Representation::Representative { consumers } => {
                RepresentationText::Representative { consumers: *consumers }
            }
        }
    }

    /// For staff, who need to reach the agent.
    pub fn in_full(&self) -> RepresentationText {
        match self {
            Representation::Agent { name, phone } => {
                RepresentationText::Agent { name: name.as_str().to_owned(), phone: phone.as_str().to_owned() }
            }
            Representation::Representative { consumers } => {
                RepresentationText::Representative { consumers: *consumers }
            }
        }
    }
}

/// [`Representation`] as a page shows it (masked, or in full for staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RepresentationText {
    Agent { name: String, phone: String },
    Representative { consumers: u32 },
}

/// What a view that does not need personal data shows of the consumer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskedConsumer {
    pub name: String,
    pub phone: String,
    pub address: String,
}

/// The business complained about or reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Business {
    pub name: BusinessName,
    pub credit_code: Option<CreditCode>,
    pub address: Address,
    /// The county-level division (6-digit code) where it operates; it decides jurisdiction.
    pub county: String,
    /// For online purchases: the platform and the shop on it.
    pub platform: Option<PlatformName>,
    pub shop: Option<ShopName>,
}

/// The raw strings of a business as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessInput {
    pub name: String,
    pub credit_code: String,
    pub address: String,
    pub county: String,
    pub platform: String,
    pub shop: String,
}

/// Looks a county code up among Qinghai's divisions.
pub fn parse_county(code: &str) -> Result<&'static County, Invalid> {
    if code.trim().is_empty() {
        return Err(Invalid::Required);
    }
    county(code.trim()).ok_or(Invalid::Choice)
}

impl Business {
    pub fn parse(input: &BusinessInput) -> Result<Self, Vec<FieldError>> {
        let mut c = Checker::new();
        let name = c.check("business_name", BusinessName::parse(&input.name));
        let credit_code = c.check("business_credit_code", optional(&input.credit_code, CreditCode::parse));
        let address = c.check("business_address", Address::parse(&input.address));
        let county = c.check("business_county", parse_county(&input.county));
        let platform = c.check("business_platform", optional(&input.platform, PlatformName::parse));
        let shop = c.check("business_shop", optional(&input.shop, ShopName::parse));
        c.finish(|| {
            Some(Self {
                name: name?,
                credit_code: credit_code?,
                address: address?,
                county: county?.code.clone(),
                platform: platform?,
                shop: shop?,
            })
        })
    }
}

/// An e-mail address for messages about the case (optional): one `@`, a local part of 1–64 and
/// a domain of 3–253 printable characters with a dot, no spaces; at most 254 in all (RFC 5321).
/// Kept as typed, without the surrounding spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// `None` for an empty field.
    pub fn parse_optional(input: &str) -> Result<Option<Self>, Invalid> {
        let s = input.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let ok = s.len() <= 254
            && s.split_once('@').is_some_and(|(local, domain)| {
                (1..=64).contains(&local.len())
                    && (3..=253).contains(&domain.len())
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            })
            && s.chars().all(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '<' | '>' | ',' | ';' | '"'));
        if ok {
            Ok(Some(Self(s.to_owned())))
        } else {
            Err(Invalid::Email)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `z***@example.cn`: what every view shows unless it needs the address.
    pub fn masked(&self) -> String {
        mask_email(&self.0)
    }
}

/// An e-mail address with its local part cut to its first character: `z***@example.cn`.
pub fn mask_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => "***".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_accepts_common_ways_of_typing() {
        for s in ["13812341234", "138 1234 1234", "138-1234-1234", "+8613812341234", "008613812341234"] {
            assert_eq!(Phone::parse(s).unwrap().as_str(), "13812341234", "{s}");
        }
    }

    #[test]
    fn a_fixed_line_with_its_area_code_is_a_phone_too() {
        for (s, kept) in [
            ("0971-6123456", "0971-6123456"),
            ("0971 612 3456", "0971-6123456"),
            ("09716123456", "0971-6123456"),
            ("010-87654321", "010-87654321"),
        ] {
            assert_eq!(Phone::parse(s).unwrap().as_str(), kept, "{s}");
        }
        // Only a number written with its leading 0 is a fixed line.
        assert_eq!(Phone::parse("+86 10 87654321"), Err(Invalid::Phone));
        let p = Phone::parse("0971-6123456").unwrap();
        assert!(!p.is_mobile() && Phone::parse("13812341234").unwrap().is_mobile());
        assert_eq!(p.masked(), "0971-***3456");
        assert_eq!(Phone::parse("010-87654321").unwrap().masked(), "010-****4321");
    }

    #[test]
    fn phone_refuses_other_numbers() {
        assert_eq!(Phone::parse(""), Err(Invalid::Required));
        let bad = ["1381234123", "138123412345", "12812341234", "23812341234", "1381234123a", "0971-0234567"];
        for s in bad.into_iter().chain(["0971-123456", "971-6123456", "0971-612345678"]) {
            assert_eq!(Phone::parse(s), Err(Invalid::Phone), "{s}");
        }
    }

    #[test]
    fn masks_hide_the_middle_of_a_phone_and_the_rest_of_a_name() {
        assert_eq!(Phone::parse("13812341234").unwrap().masked(), "138****1234");
        assert_eq!(mask_phone("12345"), "***45");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("王"), "王*");
        assert_eq!(mask_address("青海省西宁市城东区八一路1号"), "青海省西宁市****");
    }

    #[test]
    fn consumer_reports_every_bad_field() {
        let errs = Consumer::parse("", "123", "x").unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["consumer_name", "consumer_phone", "consumer_address"]);
    }

    #[test]
    fn consumer_masked_view_contains_no_full_value() {
        let c = Consumer::parse("李四", "13912345678", "青海省西宁市城西区胜利路8号").unwrap();
        let m = c.masked();
        assert!(!m.phone.contains("2345"));
        assert_eq!(m.name, "李*");
        assert!(!m.address.contains("胜利路"));
    }

    #[test]
    fn business_checks_credit_code_only_when_given() {
        let mut input = BusinessInput {
            name: "西宁某某商贸有限公司".into(),
            credit_code: "".into(),
            address: "西宁市城中区西大街1号".into(),
            county: "630103".into(),
            platform: "".into(),
            shop: "".into(),
        };
        let b = Business::parse(&input).unwrap();
        assert_eq!(b.credit_code, None);
        assert_eq!(b.county, "630103");
        input.credit_code = "91350100M000100Y44".into();
        let errs = Business::parse(&input).unwrap_err();
        assert_eq!(errs, vec![FieldError::new("business_credit_code", Invalid::CreditCodeCheck)]);
    }

    #[test]
    fn business_county_must_be_in_qinghai() {
        let input = BusinessInput {
            name: "某某店".into(),
            address: "某地某路".into(),
            county: "110101".into(),
            ..Default::default()
        };
        let errs = Business::parse(&input).unwrap_err();
        assert_eq!(errs, vec![FieldError::new("business_county", Invalid::Choice)]);
    }

    #[test]
    fn an_email_address_is_optional_and_checked_when_given() {
        assert_eq!(Email::parse_optional("  "), Ok(None));
        let e = Email::parse_optional(" zhang.san@example.cn ").unwrap().unwrap();
        assert_eq!((e.as_str(), e.masked().as_str()), ("zhang.san@example.cn", "z***@example.cn"));
        assert!(Email::parse_optional("李四@例子.中国").unwrap().is_some(), "international addresses");
        for bad in ["zhang", "zhang@", "@example.cn", "a@b", "a@@b.cn", "a b@c.cn", "a@c..cn", "a@.cn", "x<y>@c.cn"] {
            assert_eq!(Email::parse_optional(bad), Err(Invalid::Email), "{bad}");
        }
        assert_eq!(Email::parse_optional(&format!("{}@example.cn", "a".repeat(65))), Err(Invalid::Email));
    }
}
