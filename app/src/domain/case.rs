//! A case as filed: its number, its query code, and the validated content of a new item.

use super::calendar::parse_date;
use super::category;
use super::error::{Checker, FieldError, Invalid};
use super::fields::{optional, DemandText, Facts, OrderNo};
use super::kind::{Channel, ItemKind};
use super::money::Fen;
use super::party::{Business, BusinessInput, Consumer, Representation};
use super::rules::RuleSet;
use serde::{Deserialize, Serialize};
use time::Date;

/// A case number readable on a phone: `QH-2026-000123` (province, year of receipt, sequence).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct CaseNo(String);

impl CaseNo {
    pub fn new(year: i32, seq: i64) -> Self {
        Self(format!("QH-{year:04}-{seq:06}"))
    }

    /// Accepts lower case and surrounding spaces.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(Invalid::Required);
        }
        let mut parts = s.split('-');
        let ok = parts.next() == Some("QH")
            && parts.next().is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            && parts.next().is_some_and(|n| (6..=9).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
            && parts.next().is_none();
        if ok {
            Ok(Self(s))
        } else {
            Err(Invalid::Choice)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CaseNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The secret a consumer uses to follow a case: 8 characters from an alphabet without look-alikes
/// (no 0/O, 1/I/L), about 40 bits. Shown once at filing; only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryCode(String);

const CODE_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

impl QueryCode {
    /// Builds a code from 8 random bytes (the caller supplies the randomness: the domain does no IO).
    pub fn from_random(bytes: [u8; 8]) -> Self {
        let mut n = u64::from_le_bytes(bytes);
        let mut s = String::with_capacity(8);
        for _ in 0..8 {
            s.push(CODE_ALPHABET[(n % 31) as usize] as char);
            n /= 31;
        }
        Self(s)
    }

    /// Accepts the code as typed: lower case, spaces or a dash in the middle.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect::<String>().to_ascii_uppercase();
        if s.is_empty() {
            return Err(Invalid::Required);
        }
        if s.len() == 8 && s.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
            Ok(Self(s))
        } else {
            Err(Invalid::Choice)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `ABCD-EFGH`, easier to read aloud and copy.
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..4], &self.0[4..])
    }
}

/// The consumer's specific demand (the rules require one for a complaint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DemandKind {
    Refund,
    Replacement,
    Repair,
    Compensation,
    Apology,
    Other,
}

codes!(DemandKind {
    Refund => "refund",
    Replacement => "replacement",
    Repair => "repair",
    Compensation => "compensation",
    Apology => "apology",
    Other => "other",
});

/// The raw strings of a new item, as a form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseInput {
    pub kind: String,
    pub channel: String,
    pub category: String,
    pub business: BusinessInput,
    pub consumer_name: String,
    pub consumer_phone: String,
    pub consumer_address: String,
    /// Optional: where messages about the case also go.
    #[serde(default)]
    pub consumer_email: String,
    /// A report made without name or contact (reports only; the person fields are then ignored).
    pub anonymous: bool,
    /// `self` (or empty), `agent` or `representative` (complaints only), with the agent's name and
    /// phone or the number of consumers represented.
    #[serde(default)]
    pub filing_as: String,
    #[serde(default)]
    pub agent_name: String,
    #[serde(default)]
    pub agent_phone: String,
    #[serde(default)]
    pub consumers: String,
    /// The day the consumer learned of the problem (`YYYY-MM-DD`).
    pub incident_on: String,
    pub amount_paid: String,
    pub order_no: String,
    pub demand: String,
    pub demand_text: String,
    pub facts: String,
    pub consent_publish: bool,
}

/// A validated new item, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseForCreate {
    pub kind: ItemKind,
    pub channel: Channel,
    pub category: String,
    pub business: Option<Business>,
    /// The person who filed; none for an anonymous report.
    pub consumer: Option<Consumer>,
    /// Filed by an agent or by the representative of several consumers (complaints only).
    #[serde(default)]
    pub representation: Option<Representation>,
    /// Where messages about the case also go (optional; kept with the case's contacts for
    /// messages, not among its parties).
    #[serde(default)]
    pub email: Option<super::party::Email>,
    pub incident_on: Option<Date>,
    pub amount_paid: Option<Fen>,
    pub order_no: Option<OrderNo>,
    pub demand: Option<DemandKind>,
    pub demand_text: Option<DemandText>,
    pub facts: Facts,
    pub consent_publish: bool,
}

/// The day the consumer learned of the problem: a date, not in the future. An older one than
/// the limitation period is not an input error: the complaint may be filed, and the bureau
/// decides (see [`beyond_limitation`]).
pub fn parse_incident_date(input: &str, today: Date) -> Result<Date, Invalid> {
    if input.trim().is_empty() {
        return Err(Invalid::Required);
    }
    let d = parse_date(input).ok_or(Invalid::Date)?;
    if d > today {
        return Err(Invalid::FutureDate);
    }
    Ok(d)
}

/// The last day of a period of `years` from `from`: the same day `years` later, or the last day
/// of February when there is no 29 February that year.
pub fn years_later(from: Date, years: u32) -> Date {
    let year = from.year() + years as i32;
    from.replace_year(year).unwrap_or_else(|_| {
        from.replace_day(28).and_then(|d| d.replace_year(year)).expect("28 February exists every year")
    })
}

/// Whether, on `today`, more than the rule set's limitation period (three years, a refusal
/// ground for complaints) has passed since `incident`. Reports have no such limit.
pub fn beyond_limitation(incident: Date, today: Date, rules: &RuleSet) -> bool {
    today > years_later(incident, rules.limitation.years)
}

fn required_choice<T>(input: &str, from_code: impl FnOnce(&str) -> Option<T>) -> Result<T, Invalid> {
    if input.trim().is_empty() {
        return Err(Invalid::Required);
    }
    from_code(input.trim()).ok_or(Invalid::Choice)
}

impl CaseForCreate {
    /// An anonymous report: nobody to tell of the decision whether a case was opened.
    pub fn anonymous(&self) -> bool {
        self.consumer.is_none()
    }

    /// Checks every field, reporting all errors at once. `today` is the day of receipt and
    /// `rules` the rule set in force on it.
    pub fn parse(input: &CaseInput, today: Date) -> Result<Self, Vec<FieldError>> {
        let mut c = Checker::new();
        let kind = c.check("kind", required_choice(&input.kind, ItemKind::from_code));
        let channel = c.check("channel", required_choice(&input.channel, Channel::from_code));
        let category = kind.and_then(|k| c.check("category", category::parse(&input.category, k)));
        // A report may be anonymous; whoever else files gives name, phone and address (Art. 9).
        let anonymous = input.anonymous && kind == Some(ItemKind::Report);
        let consumer = match Consumer::parse(&input.consumer_name, &input.consumer_phone, &input.consumer_address) {
            _ if anonymous => Some(None),
            Ok(v) => Some(Some(v)),
            Err(errs) => {
                errs.into_iter().for_each(|e| {
                    c.check::<()>(&e.field, Err(e.invalid.clone()));
                });
                None
            }
        };
        let email = if anonymous {
            Some(None)
        } else {
            c.check("consumer_email", super::party::Email::parse_optional(&input.consumer_email))
        };
        let representation = match Representation::parse(
            &input.filing_as,
            &input.agent_name,
            &input.agent_phone,
            &input.consumers,
            kind == Some(ItemKind::Complaint),
            super::rules::in_force_on(today).collective.min_consumers,
        ) {
            Ok(r) => Some(r),
            Err(errs) => {
                errs.into_iter().for_each(|e| {
                    c.check::<()>(&e.field, Err(e.invalid.clone()));
                });
                None
            }
        };
        // A complaint or report is about a business; a consultation may be general.
        let needs_business = kind.is_some_and(|k| k != ItemKind::Consultation);
        let blank_business = input.business == BusinessInput::default();
        let business = if !needs_business && blank_business {
            Some(None)
        } else {
            match Business::parse(&input.business) {
                Ok(b) => Some(Some(b)),
                Err(errs) => {
                    errs.into_iter().for_each(|e| {
                        c.check::<()>(&e.field, Err(e.invalid.clone()));
                    });
                    None
                }
            }
        };
        let is_complaint = kind == Some(ItemKind::Complaint);
        let incident_on = if is_complaint {
            c.check("incident_on", parse_incident_date(&input.incident_on, today).map(Some))
        } else {
            c.check("incident_on", optional(&input.incident_on, |s| parse_incident_date(s, today)))
        };
        let amount_paid = c.check("amount_paid", optional(&input.amount_paid, Fen::parse_yuan));
        let order_no = c.check("order_no", optional(&input.order_no, OrderNo::parse));
        let demand = if is_complaint {
            c.check("demand", required_choice(&input.demand, DemandKind::from_code).map(Some))
        } else {
            c.check("demand", optional(&input.demand, |s| required_choice(s, DemandKind::from_code)))
        };
        let demand_text = if demand.flatten() == Some(DemandKind::Other) {
            c.check("demand_text", DemandText::parse(&input.demand_text).map(Some))
        } else {
            c.check("demand_text", optional(&input.demand_text, DemandText::parse))
        };
        let facts = c.check("facts", Facts::parse(&input.facts));
        c.finish(|| {
            Some(Self {
                kind: kind?,
                channel: channel?,
                category: category?.code.clone(),
                business: business?,
                consumer: consumer?,
                representation: representation?,
                email: email?,
                incident_on: incident_on?,
                amount_paid: amount_paid?,
                order_no: order_no?,
                demand: demand?,
                demand_text: demand_text?,
                facts: facts?,
                consent_publish: input.consent_publish,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules;
    use time::macros::date;

    fn valid() -> CaseInput {
        CaseInput {
            kind: "complaint".into(),
            channel: "web".into(),
            category: "G05".into(),
            business: BusinessInput {
                name: "西宁某某电器有限公司".into(),
                credit_code: "91350100M000100Y43".into(),
                address: "西宁市城东区八一路1号".into(),
                county: "630102".into(),
                platform: "".into(),
                shop: "".into(),
            },
            consumer_name: "张三".into(),
            consumer_phone: "13812341234".into(),
            consumer_address: "西宁市城西区胜利路8号".into(),
            anonymous: false,
            incident_on: "2026-11-20".into(),
            amount_paid: "2,999.00".into(),
            order_no: "A-2026-1120".into(),
            demand: "refund".into(),
            demand_text: "".into(),
            facts: "购买的洗衣机第二天就无法脱水，商家拒绝退货。".into(),
            consent_publish: false,
            ..Default::default()
        }
    }

    #[test]
    fn a_complaint_may_be_filed_by_an_agent_or_for_several_consumers() {
        let today = date!(2026 - 11 - 28);
        let fields = |i: &CaseInput| {
            CaseForCreate::parse(i, today).unwrap_err().into_iter().map(|e| (e.field, e.invalid)).collect::<Vec<_>>()
        };
        assert_eq!(CaseForCreate::parse(&valid(), today).unwrap().representation, None);
        let agent = CaseInput { filing_as: "agent".into(), ..valid() };
        assert_eq!(
            fields(&agent),
            [("agent_name".into(), Invalid::Required), ("agent_phone".into(), Invalid::Required)]
        );
        let agent = CaseInput { agent_name: "李四".into(), agent_phone: "0971-6123456".into(), ..agent };
        let c = CaseForCreate::parse(&agent, today).unwrap();
        assert!(matches!(&c.representation, Some(Representation::Agent { name, .. }) if name.as_str() == "李四"));
        assert_eq!(
            c.representation.unwrap().masked(),
            crate::domain::party::RepresentationText::Agent { name: "李*".into(), phone: "0971-***3456".into() }
        );
        // Several consumers choose a representative: at least the rule set's number.
        let rep = CaseInput { filing_as: "representative".into(), ..valid() };
        assert_eq!(fields(&rep), [("consumers".into(), Invalid::Required)]);
        let min = rules::in_force_on(today).collective.min_consumers;
        let one = CaseInput { consumers: "1".into(), ..rep.clone() };
        assert_eq!(fields(&one), [("consumers".into(), Invalid::TooFew { min })]);
        for bad in ["五", "2.5", "-3"] {
            assert_eq!(
                fields(&CaseInput { consumers: bad.into(), ..rep.clone() }),
                [("consumers".into(), Invalid::Number)]
            );
        }
        let many = CaseInput { consumers: "10001".into(), ..rep.clone() };
        assert_eq!(fields(&many), [("consumers".into(), Invalid::TooMany { max: 10_000 })]);
        let twelve = CaseInput { consumers: "12".into(), ..rep };
        assert_eq!(
            CaseForCreate::parse(&twelve, today).unwrap().representation,
            Some(Representation::Representative { consumers: 12 })
        );
        assert_eq!(
            fields(&CaseInput { filing_as: "lawyer".into(), ..valid() }),
            [("filing_as".into(), Invalid::Choice)]
        );
        // Only a complaint is filed for others: for a report the choice is moot.
        let report = CaseInput { kind: "report".into(), category: "R01".into(), demand: String::new(), ..agent };
        assert_eq!(CaseForCreate::parse(&report, today).unwrap().representation, None);
    }

    fn today() -> Date {
        date!(2026 - 11 - 28)
    }

    fn rs() -> &'static RuleSet {
        rules::in_force_on(today())
    }

    #[test]
    fn a_report_may_be_anonymous_and_nothing_else_may() {
        let blank = CaseInput {
            consumer_name: String::new(),
            consumer_phone: String::new(),
            consumer_address: String::new(),
            anonymous: true,
            ..valid()
        };
        let report =
            CaseInput { kind: "report".into(), category: "R01".into(), demand: String::new(), ..blank.clone() };
        let c = CaseForCreate::parse(&report, today()).unwrap();
        assert!(c.anonymous() && c.consumer.is_none());
        // Details typed before ticking the box are not kept.
        let typed = CaseInput { consumer_name: "李四".into(), ..report.clone() };
        assert_eq!(CaseForCreate::parse(&typed, today()).unwrap().consumer, None);
        // A complaint names its complainant (Art. 9), whatever the box says.
        let errs = CaseForCreate::parse(&blank, today()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["consumer_name", "consumer_phone", "consumer_address"]);
        // A real-name report gives the details like anyone else.
        let named = CaseInput { anonymous: false, ..report };
        assert_eq!(CaseForCreate::parse(&named, today()).unwrap_err().len(), 3);
    }

    fn fields(errs: &[FieldError]) -> Vec<&str> {
        errs.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_valid_complaint_parses() {
        let c = CaseForCreate::parse(&valid(), today()).unwrap();
        assert_eq!(c.kind, ItemKind::Complaint);
        assert_eq!(c.amount_paid, Some(Fen(299_900)));
        assert_eq!(c.business.unwrap().county, "630102");
        assert_eq!(c.demand, Some(DemandKind::Refund));
    }

    #[test]
    fn a_complaint_needs_business_demand_and_date() {
        let mut i = valid();
        i.business = BusinessInput::default();
        i.demand = "".into();
        i.incident_on = "".into();
        let errs = CaseForCreate::parse(&i, today()).unwrap_err();
        assert_eq!(fields(&errs), ["business_name", "business_address", "business_county", "incident_on", "demand"]);
    }

    #[test]
    fn a_consultation_may_be_general() {
        let mut i = valid();
        i.kind = "consultation".into();
        i.business = BusinessInput::default();
        i.demand = "".into();
        i.incident_on = "".into();
        let c = CaseForCreate::parse(&i, today()).unwrap();
        assert_eq!(c.business, None);
    }

    #[test]
    fn other_demand_needs_words() {
        let mut i = valid();
        i.demand = "other".into();
        let errs = CaseForCreate::parse(&i, today()).unwrap_err();
        assert_eq!(fields(&errs), ["demand_text"]);
    }

    #[test]
    fn unknown_choices_are_refused() {
        let mut i = valid();
        i.kind = "petition".into();
        i.channel = "fax".into();
        i.demand = "revenge".into();
        let errs = CaseForCreate::parse(&i, today()).unwrap_err();
        assert!(errs.contains(&FieldError::new("kind", Invalid::Choice)));
        assert!(errs.contains(&FieldError::new("channel", Invalid::Choice)));
    }

    #[test]
    fn incident_date_not_in_the_future() {
        assert_eq!(parse_incident_date("2026-11-29", today()), Err(Invalid::FutureDate));
        assert_eq!(parse_incident_date("2026-11-28", today()), Ok(today()));
        assert_eq!(parse_incident_date("2020-01-01", today()), Ok(date!(2020 - 01 - 01)), "old is not an input error");
        assert_eq!(parse_incident_date("28/11/2026", today()), Err(Invalid::Date));
        assert_eq!(parse_incident_date("2026-02-30", today()), Err(Invalid::Date));
    }

    #[test]
    fn three_years_end_on_the_same_day_or_at_the_end_of_february() {
        let r = rs();
        assert!(!beyond_limitation(date!(2023 - 11 - 28), today(), r), "the last day of the three years");
        assert!(beyond_limitation(date!(2023 - 11 - 27), today(), r));
        // On 2028-02-29 a date of 2025-02-28 is already past three years (they ended 2028-02-28);
        // 2025-03-01 is not.
        assert!(beyond_limitation(date!(2025 - 02 - 28), date!(2028 - 02 - 29), r));
        assert!(!beyond_limitation(date!(2025 - 03 - 01), date!(2028 - 02 - 29), r));
        // From a leap day, three years end on 28 February.
        assert_eq!(years_later(date!(2024 - 02 - 29), 3), date!(2027 - 02 - 28));
        assert!(beyond_limitation(date!(2024 - 02 - 29), date!(2027 - 03 - 01), r));
        assert!(!beyond_limitation(date!(2024 - 02 - 29), date!(2027 - 02 - 28), r));
    }

    #[test]
    fn an_old_complaint_may_be_filed_and_a_report_has_no_limit() {
        let old = CaseInput { incident_on: "2020-05-01".into(), ..valid() };
        assert!(CaseForCreate::parse(&old, today()).is_ok());
        let report = CaseInput { kind: "report".into(), category: "R01".into(), demand: String::new(), ..old };
        assert!(CaseForCreate::parse(&report, today()).is_ok());
    }

    #[test]
    fn case_numbers_format_and_parse() {
        let n = CaseNo::new(2026, 123);
        assert_eq!(n.as_str(), "QH-2026-000123");
        assert_eq!(CaseNo::parse(" qh-2026-000123 "), Ok(n));
        assert_eq!(CaseNo::parse("QH-2026-1234567").unwrap().as_str(), "QH-2026-1234567");
        for bad in ["QH-26-000123", "XX-2026-000123", "QH-2026-12", "QH-2026-000123-1", "QH-2026-00012a"] {
            assert_eq!(CaseNo::parse(bad), Err(Invalid::Choice), "{bad}");
        }
        assert_eq!(CaseNo::parse(""), Err(Invalid::Required));
    }

    #[test]
    fn query_codes_avoid_look_alikes_and_parse_as_typed() {
        let code = QueryCode::from_random([1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(code.as_str().len(), 8);
        assert!(!code.as_str().contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(QueryCode::parse(&code.display().to_lowercase()), Ok(code.clone()));
        assert_ne!(QueryCode::from_random([0; 8]), QueryCode::from_random([9; 8]));
        assert_eq!(QueryCode::parse("ABCD-EFG0"), Err(Invalid::Choice));
        assert_eq!(QueryCode::parse(""), Err(Invalid::Required));
    }
}
