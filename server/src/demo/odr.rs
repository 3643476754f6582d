//! The demonstration year's register of businesses and its ODR lane: [`REGISTERED`] synthetic
//! businesses with valid credit codes across the province's counties, the first [`MEMBERS`] of
//! them members of the lane since the year began (entered by their county's bureau, as an
//! import is). Some complaints name one of them; a complaint about a member, received under a
//! rule set with the negotiation period, goes to the business first when the consumer agrees,
//! and takes the lane's path through the workflow: an offer the consumer accepts (settled by the
//! business) or not, a refusal, or no answer and the pass-on the day after the period ends —
//! after which the bureau's path follows.
//!
//! Drawn from a generator of its own, so that the items' other draws stay as they were.

use crate::demo::pick::weighted;
use app::domain::business::{OdrStatus, Pledges, RegisteredBusiness};
use app::domain::calendar::format_date;
use app::domain::clock::{china_date, unix_ms};
use app::domain::credit_code::CreditCode;
use app::domain::fields::{Address, BusinessName, Note};
use app::domain::money::Fen;
use app::domain::party::BusinessInput;
use app::domain::region::{bureau_for_county, prefectures};
use app::domain::workflow::{Action, Actor, OdrRemedy, Role};
use app::error::AppError;
use app::ports::{BusinessStore, MembershipRecord};
use rand::rngs::StdRng;
use rand::Rng;
use time::{Date, OffsetDateTime};

/// Businesses in the demonstration register, and how many of them are members of the lane.
pub const REGISTERED: usize = 300;
pub const MEMBERS: usize = 50;
/// The share of complaints and reports that name a registered business (members, larger and
/// better known, three times as often as the others).
const NAMED_SHARE: f64 = 0.1;
/// The share of consumers who send their complaint to a member first when asked.
const CONSENT_SHARE: f64 = 0.7;

const TRADES: [&str; 10] =
    ["商贸", "电器", "超市", "餐饮", "通信服务", "教育培训", "汽车销售", "旅行社", "家居", "美容美发"];

fn invalid(what: &str) -> AppError {
    AppError::internal("demo data", what)
}

/// The register, members first; the same for the same generator.
pub fn register(rng: &mut StdRng) -> Result<Vec<RegisteredBusiness>, AppError> {
    let counties: Vec<_> = prefectures().iter().flat_map(|p| &p.counties).collect();
    (0..REGISTERED)
        .map(|k| {
            let county = counties[rng.random_range(0..counties.len())];
            let code = CreditCode::with_check(&format!("91{}MA{:07}", county.code, 1_000_000 + k))
                .ok_or_else(|| invalid("credit code"))?;
            let name = format!("{}演示{}{:03}有限公司（合成数据）", county.zh, TRADES[k % TRADES.len()], k + 1);
            let address = format!("{}演示大道{}号（合成数据）", county.zh, rng.random_range(1..400));
            Ok(RegisteredBusiness {
                credit_code: code,
                name: BusinessName::parse(&name).map_err(|_| invalid(&name))?,
                address: Address::parse(&address).map_err(|_| invalid(&address))?,
                county: county.code.clone(),
                // No complaint desk to write to: synthetic businesses are never sent a message.
                email: None,
                pledges: Pledges {
                    advance_compensation: rng.random_bool(0.4),
                    returns_without_reason: rng.random_bool(0.3),
                    service_station: rng.random_bool(0.2),
                },
                odr: OdrStatus::Outside,
            })
        })
        .collect()
}

/// Writes the register, the members entered in the lane on `start` by their county's bureau.
pub async fn store_register(
    store: &dyn BusinessStore,
    entries: &[RegisteredBusiness],
    start: OffsetDateTime,
) -> Result<(), AppError> {
    let mut by_bureau: std::collections::BTreeMap<String, Vec<(RegisteredBusiness, bool)>> = Default::default();
    for (k, e) in entries.iter().enumerate() {
        let bureau = bureau_for_county(&e.county).ok_or_else(|| invalid("county"))?.code;
        by_bureau.entry(bureau).or_default().push((e.clone(), k < MEMBERS));
    }
    for (bureau, list) in by_bureau {
        let record = MembershipRecord {
            change: app::domain::business::MembershipChange::Join,
            status: OdrStatus::Joined,
            on: format_date(china_date(start)),
            bureau,
            actor: None,
            at: unix_ms(start),
        };
        store.business_import(&list, &record).await?;
    }
    Ok(())
}

/// The registered business an item names, if it names one: its index in the register.
pub fn named(lane: &mut StdRng) -> Option<usize> {
    if !lane.random_bool(NAMED_SHARE) {
        return None;
    }
    let members = (MEMBERS as u32) * 3;
    let others = (REGISTERED - MEMBERS) as u32;
    Some(if lane.random_range(0..members + others) < members {
        lane.random_range(0..MEMBERS)
    } else {
        lane.random_range(MEMBERS..REGISTERED)
    })
}

pub fn business_input(e: &RegisteredBusiness) -> BusinessInput {
    BusinessInput {
        name: e.name.as_str().to_owned(),
        credit_code: e.credit_code.as_str().to_owned(),
        address: e.address.as_str().to_owned(),
        county: e.county.clone(),
        ..Default::default()
    }
}

/// Whether the consumer sends the complaint about a member to it first.
pub fn consents(lane: &mut StdRng) -> bool {
    lane.random_bool(CONSENT_SHARE)
}

/// What the lane does before the bureau: its steps, each by whom and so many days after the
/// one before, and whether the business settled it (then nothing else follows). `due` is the
/// last day of the negotiation period, from `today`, the day of receipt.
pub fn path(
    lane: &mut StdRng,
    code: &str,
    paid: i64,
    today: Date,
    due: Date,
) -> Result<(Vec<(Actor, Action, i64)>, bool), AppError> {
    let note = |t: &str| Note::parse(t).map_err(|_| invalid(t));
    let business = Actor { role: Role::Business, bureau: None, business: Some(code.to_owned()) };
    let consumer = Actor { role: Role::Consumer, bureau: None, business: None };
    let system = Actor { role: Role::System, bureau: None, business: None };
    let answer = lane.random_range(0..100);
    Ok(if answer < 72 {
        let remedy = weighted(
            lane,
            &[
                (50, OdrRemedy::Refund),
                (15, OdrRemedy::Repair),
                (15, OdrRemedy::Replacement),
                (12, OdrRemedy::Compensation),
                (8, OdrRemedy::Explanation),
            ],
        );
        let amount = match remedy {
            OdrRemedy::Refund | OdrRemedy::Compensation => Fen(paid * lane.random_range(50..=100) / 100),
            _ => Fen(0),
        };
        let offer = Action::OdrOffer {
            remedy, amount, text: note("经与消费者协商，企业提出处理方案（合成数据）")?
        };
        // Within the period (a week of calendar days is within its 10 working days).
        let mut steps = vec![(business, offer, lane.random_range(1..7))];
        let accepted = lane.random_bool(0.8);
        steps.push(if accepted {
            (consumer, Action::AcceptOffer, lane.random_range(0..3))
        } else {
            (
                consumer,
                Action::RejectOffer { reason: Some(note("方案不能弥补损失（合成数据）")?) },
                lane.random_range(0..3),
            )
        });
        (steps, accepted)
    } else if answer < 82 {
        let reason = note("企业认为责任不在本方（合成数据）")?;
        (vec![(business, Action::OdrDecline { reason }, lane.random_range(1..8))], false)
    } else {
        // No answer: passed on by the sweep the day after the period's last day.
        (vec![(system, Action::PassOn, (due - today).whole_days() + 1)], false)
    })
}
