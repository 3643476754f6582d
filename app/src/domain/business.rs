//! The register of businesses: each identified by its unified social credit code, with the
//! county where it operates (which decides the bureau that keeps its entry), its pledges to
//! consumers, and its membership of the ODR lane (joined, suspended, left: each change dated and
//! decided by a bureau). Kept by the handlers of that county's bureau and by supervisors.

use super::credit_code::CreditCode;
use super::error::{Checker, FieldError, Invalid};
use super::fields::{optional, Address, BusinessName};
use super::party::{parse_county, Email};
use super::region;
use super::workflow::{Actor, Role};
use serde::{Deserialize, Serialize};

/// A business's standing in the ODR lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OdrStatus {
    /// Never joined.
    Outside,
    Joined,
    /// Suspended by its bureau: new complaints go to the bureau.
    Suspended,
    Left,
}

codes!(OdrStatus { Outside => "outside", Joined => "joined", Suspended => "suspended", Left => "left" });

/// What a bureau decides about a membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MembershipChange {
    Join,
    Suspend,
    /// A suspension lifted.
    Reinstate,
    End,
}

codes!(MembershipChange { Join => "join", Suspend => "suspend", Reinstate => "reinstate", End => "end" });

impl MembershipChange {
    /// The standing after this change from `now`, if the change is possible from there.
    pub fn apply(self, now: OdrStatus) -> Option<OdrStatus> {
        use OdrStatus::*;
        Some(match (self, now) {
            (MembershipChange::Join, Outside | Left) => Joined,
            (MembershipChange::Suspend, Joined) => Suspended,
            (MembershipChange::Reinstate, Suspended) => Joined,
            (MembershipChange::End, Joined | Suspended) => Left,
            _ => return None,
        })
    }
}

/// Promises a business made to consumers, shown beside its entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pledges {
    /// 先行赔付: it compensates first and settles with its supplier afterwards.
    pub advance_compensation: bool,
    /// 线下无理由退货: returns without giving a reason, in its shops.
    pub returns_without_reason: bool,
    /// 消费维权服务站: a consumer-rights service station on its premises.
    pub service_station: bool,
}

/// An entry of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredBusiness {
    pub credit_code: CreditCode,
    pub name: BusinessName,
    pub address: Address,
    /// The county-level division (6-digit code) where it operates.
    pub county: String,
    /// Where notices of new complaints go (its complaint desk).
    pub email: Option<Email>,
    pub pledges: Pledges,
    pub odr: OdrStatus,
}

/// What anyone may see of an entry while naming the business in the filing form: who it is,
/// where it operates and whether it is in the ODR lane now (never its complaint desk's e-mail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicEntry {
    pub credit_code: String,
    pub name: String,
    pub address: String,
    pub county: String,
    pub member: bool,
}

impl From<&RegisteredBusiness> for PublicEntry {
    fn from(b: &RegisteredBusiness) -> Self {
        PublicEntry {
            credit_code: b.credit_code.as_str().to_owned(),
            name: b.name.as_str().to_owned(),
            address: b.address.as_str().to_owned(),
            county: b.county.clone(),
            member: b.odr == OdrStatus::Joined,
        }
    }
}

/// The fewest characters of a name the register is searched for (one character matches too much
/// of it to help), and the most entries offered.
pub const LOOKUP_MIN_CHARS: usize = 2;
pub const LOOKUP_LIMIT: i64 = 8;

/// Whether the filing form offers entries of the register for the name typed: a name long enough
/// to narrow it, and no credit code yet (once there is one, the business is named).
pub fn worth_looking_up(name: &str, credit_code: &str) -> bool {
    name.trim().chars().count() >= LOOKUP_MIN_CHARS && credit_code.trim().is_empty()
}

/// An entry as typed in the bureau's form or read from a line of an import file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BusinessForm {
    pub credit_code: String,
    pub name: String,
    pub address: String,
    pub county: String,
    pub email: String,
    /// Checkboxes: `on` (or `1`, `yes`, `true`) when ticked.
    pub advance_compensation: String,
    pub returns_without_reason: String,
    pub service_station: String,
    /// `join` to enter it as a member of the lane at once.
    pub odr: String,
}

fn ticked(s: &str) -> Result<bool, Invalid> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "no" | "false" | "off" => Ok(false),
        "on" | "1" | "yes" | "true" => Ok(true),
        _ => Err(Invalid::Choice),
    }
}

impl BusinessForm {
    /// The entry (standing: [`OdrStatus::Outside`]) and whether it joins the lane now.
    pub fn parse(&self) -> Result<(RegisteredBusiness, bool), Vec<FieldError>> {
        let mut c = Checker::new();
        let code = c.check("credit_code", CreditCode::parse(&self.credit_code));
        let name = c.check("name", BusinessName::parse(&self.name));
        let address = c.check("address", Address::parse(&self.address));
        let county = c.check("county", parse_county(&self.county));
        let email = c.check("email", Email::parse_optional(&self.email));
        let advance = c.check("advance_compensation", ticked(&self.advance_compensation));
        let returns = c.check("returns_without_reason", ticked(&self.returns_without_reason));
        let station = c.check("service_station", ticked(&self.service_station));
        let join = c.check("odr", optional(&self.odr, |s| if s == "join" { Ok(()) } else { Err(Invalid::Choice) }));
        c.finish(|| {
            let entry = RegisteredBusiness {
                credit_code: code?,
                name: name?,
                address: address?,
                county: county?.code.clone(),
                email: email?,
                pledges: Pledges {
                    advance_compensation: advance?,
                    returns_without_reason: returns?,
                    service_station: station?,
                },
                odr: OdrStatus::Outside,
            };
            Some((entry, join?.is_some()))
        })
    }
}

/// Whether `actor` keeps the register's entries of `county`: a supervisor everywhere, a
/// handler of the bureau that county belongs to.
pub fn may_keep(actor: &Actor, county: &str) -> bool {
    match actor.role {
        Role::Supervisor => true,
        Role::Handler => {
            region::bureau_for_county(county).is_some_and(|b| actor.bureau.as_deref() == Some(b.code.as_str()))
        }
        _ => false,
    }
}

/// A member's record in the ODR lane, as its bureau oversees it: complaints sent to it, how many
/// it answered (an offer or a refusal) before its time ran out, how many passed on unanswered,
/// how many negotiations ended and how many it settled, and the consumers' verdicts on those.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaneRecord {
    pub complaints: i64,
    pub answered: i64,
    /// Passed on by the portal at the end of the period without any answer.
    pub unanswered: i64,
    pub ended: i64,
    pub settled: i64,
    /// Of the settled ones, rated "solved" by the consumer.
    pub solved: i64,
}

impl LaneRecord {
    /// Answered in time ÷ (answered + passed on unanswered).
    pub fn in_time_rate(&self) -> Option<f64> {
        let n = self.answered + self.unanswered;
        (n > 0).then(|| self.answered as f64 / n as f64)
    }

    /// Settled ÷ negotiations ended.
    pub fn settlement_rate(&self) -> Option<f64> {
        (self.ended > 0).then(|| self.settled as f64 / self.ended as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> BusinessForm {
        BusinessForm {
            credit_code: "91630100MA752XXXX0".into(),
            name: "西宁示例商贸有限公司".into(),
            address: "西宁市城东区八一路1号".into(),
            county: "630102".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_register_is_looked_up_for_a_name_of_two_characters_and_no_code() {
        assert!(worth_looking_up("西宁", ""));
        assert!(worth_looking_up(" 诚信商贸 ", "  "));
        assert!(!worth_looking_up("西", ""), "one character narrows nothing");
        assert!(!worth_looking_up("  ", ""));
        assert!(!worth_looking_up("西宁诚信", "91630102MA0000000X"), "the business is named by its code");
    }

    #[test]
    fn memberships_change_only_along_their_lifecycle() {
        use MembershipChange::*;
        use OdrStatus::*;
        assert_eq!(Join.apply(Outside), Some(Joined));
        assert_eq!(Join.apply(Left), Some(Joined), "a business may join again");
        assert_eq!(Join.apply(Joined), None);
        assert_eq!(Suspend.apply(Joined), Some(Suspended));
        assert_eq!(Suspend.apply(Outside), None);
        assert_eq!(Reinstate.apply(Suspended), Some(Joined));
        assert_eq!(Reinstate.apply(Joined), None);
        assert_eq!(End.apply(Suspended), Some(Left));
        assert_eq!(End.apply(Left), None);
    }

    #[test]
    fn an_entry_needs_a_valid_credit_code_and_a_county_of_the_province() {
        let valid = CreditCode::with_check("91630100MA752XXXX").unwrap().as_str().to_owned();
        let (entry, join) = BusinessForm { credit_code: valid.clone(), odr: "join".into(), ..form() }.parse().unwrap();
        assert_eq!((entry.credit_code.as_str(), join, entry.odr), (valid.as_str(), true, OdrStatus::Outside));
        let errs = BusinessForm { county: "110101".into(), advance_compensation: "maybe".into(), ..form() }
            .parse()
            .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["credit_code", "county", "advance_compensation"]);
    }

    #[test]
    fn a_handler_keeps_the_entries_of_the_counties_of_their_bureau() {
        let bureau = region::bureau_for_county("630102").unwrap().code;
        let handler = |b: &str| Actor { role: Role::Handler, bureau: Some(b.into()), business: None };
        assert!(may_keep(&handler(&bureau), "630102"));
        assert!(!may_keep(&handler("632801"), "630102"));
        assert!(may_keep(&Actor { role: Role::Supervisor, bureau: None, business: None }, "632801"));
        assert!(!may_keep(&Actor { role: Role::IntakeOperator, bureau: None, business: None }, "630102"));
    }
}
