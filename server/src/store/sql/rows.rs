//! Rows read back from either backend, turned into domain values.

use super::common::{code, corrupt, date};
use app::domain::case::{CaseForCreate, CaseNo, DemandKind};
use app::domain::credit_code::CreditCode;
use app::domain::evidence::EvidenceKind;
use app::domain::fields::{Address, BusinessName, DemandText, Facts, OrderNo, PersonName, PlatformName, ShopName};
use app::domain::kind::{Channel, ItemKind};
use app::domain::money::Fen;
use app::domain::party::{Business, Consumer, Phone, Representation};
use app::domain::workflow::{ActionName, CaseState, Role};
use app::error::AppError;
use app::ports::{CaseEvent, EvidenceRecord, StoredCase};

/// The columns of [`SELECT_CASE`](super::cases::SELECT_CASE), read from either backend.
#[derive(sqlx::FromRow)]
pub struct CaseRow {
    pub case_no: String,
    pub kind: String,
    pub channel: String,
    pub state: String,
    pub rule_set: String,
    pub bureau: String,
    pub clock_paused: bool,
    pub category: String,
    pub received_at: i64,
    pub received_on: String,
    pub incident_on: Option<String>,
    pub amount_paid_fen: Option<i64>,
    pub amount_recovered_fen: Option<i64>,
    pub odr_business: Option<String>,
    pub odr_offer_fen: Option<i64>,
    pub order_no: Option<String>,
    pub demand: Option<String>,
    pub demand_text: Option<String>,
    pub facts: String,
    pub consent_publish: bool,
    pub version: i64,
    pub linked_case_no: Option<String>,
    /// None for an anonymous report (no consumer party).
    pub consumer_name: Option<String>,
    pub consumer_phone: Option<String>,
    pub consumer_address: Option<String>,
    pub business_name: Option<String>,
    pub business_credit_code: Option<String>,
    pub business_address: Option<String>,
    pub business_county: Option<String>,
    pub business_platform: Option<String>,
    pub business_shop: Option<String>,
    /// `agent` (name, phone) or `representative` (consumers); none when the consumer filed.
    pub rep_kind: Option<String>,
    pub rep_name: Option<String>,
    pub rep_phone: Option<String>,
    pub rep_consumers: Option<i32>,
}

impl CaseRow {
    /// Rebuilds the domain values. Stored text was validated on the way in, so it is taken as is.
    pub fn into_case(self) -> Result<StoredCase, AppError> {
        let business = match self.business_name {
            Some(name) => Some(Business {
                name: BusinessName::from_stored(name),
                credit_code: self
                    .business_credit_code
                    .map(|c| CreditCode::parse(&c))
                    .transpose()
                    .map_err(|_| corrupt("credit code", ""))?,
                address: Address::from_stored(self.business_address.unwrap_or_default()),
                county: self.business_county.unwrap_or_default(),
                platform: self.business_platform.map(PlatformName::from_stored),
                shop: self.business_shop.map(ShopName::from_stored),
            }),
            None => None,
        };
        let representation = match self.rep_kind.as_deref() {
            None => None,
            Some("agent") => Some(Representation::Agent {
                name: PersonName::from_stored(self.rep_name.unwrap_or_default()),
                phone: Phone::from_stored(self.rep_phone.unwrap_or_default()),
            }),
            Some("representative") => Some(Representation::Representative {
                consumers: self
                    .rep_consumers
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| corrupt("consumers", ""))?,
            }),
            Some(other) => return Err(corrupt("representation", other)),
        };
        let kind = code("kind", &self.kind, ItemKind::from_code)?;
        let content = CaseForCreate {
            kind,
            channel: code("channel", &self.channel, Channel::from_code)?,
            category: self.category,
            business,
            consumer: self.consumer_name.map(|name| Consumer {
                name: PersonName::from_stored(name),
                phone: Phone::from_stored(self.consumer_phone.unwrap_or_default()),
                address: Address::from_stored(self.consumer_address.unwrap_or_default()),
            }),
            representation,
            // Kept with the contacts for messages (`notice_contacts`), not read back here.
            email: None,
            incident_on: self.incident_on.as_deref().map(date).transpose()?,
            amount_paid: self.amount_paid_fen.map(Fen),
            order_no: self.order_no.map(|o| OrderNo::parse(&o)).transpose().map_err(|_| corrupt("order no", ""))?,
            demand: self.demand.as_deref().map(|d| code("demand", d, DemandKind::from_code)).transpose()?,
            demand_text: self.demand_text.map(DemandText::from_stored),
            facts: Facts::from_stored(self.facts),
            consent_publish: self.consent_publish,
        };
        Ok(StoredCase {
            case_no: CaseNo::parse(&self.case_no).map_err(|_| corrupt("case no", &self.case_no))?,
            kind,
            channel: content.channel,
            state: code("state", &self.state, CaseState::from_code)?,
            rule_set: self.rule_set,
            bureau: self.bureau,
            clock_paused: self.clock_paused,
            received_at: self.received_at,
            received_on: date(&self.received_on)?,
            amount_recovered: self.amount_recovered_fen.map(Fen),
            linked_case_no: self
                .linked_case_no
                .as_deref()
                .map(CaseNo::parse)
                .transpose()
                .map_err(|_| corrupt("linked case", ""))?,
            odr_business: self.odr_business,
            odr_offer: self.odr_offer_fen.map(Fen),
            version: self.version,
            content,
        })
    }
}

/// The columns of [`SELECT_EVENTS`](super::cases::SELECT_EVENTS).
#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub seq: i64,
    pub at: i64,
    pub actor_role: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub ground: Option<i64>,
    pub note: Option<String>,
    pub detail: Option<String>,
}

impl EventRow {
    pub fn into_event(self) -> Result<CaseEvent, AppError> {
        Ok(CaseEvent {
            seq: self.seq,
            at: self.at,
            actor_role: code("role", &self.actor_role, Role::from_code)?,
            actor_id: self.actor_id,
            action: code("action", &self.action, ActionName::from_code)?,
            from_state: self.from_state.as_deref().map(|s| code("state", s, CaseState::from_code)).transpose()?,
            to_state: code("state", &self.to_state, CaseState::from_code)?,
            ground: self.ground.map(|g| g as u32),
            note: self.note,
            detail: self.detail,
        })
    }
}

/// The columns of an evidence file's record.
#[derive(sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: String,
    pub kind: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: i64,
}

impl EvidenceRow {
    pub fn into_record(self) -> Result<EvidenceRecord, AppError> {
        Ok(EvidenceRecord {
            id: self.id,
            kind: code("evidence kind", &self.kind, EvidenceKind::from_code)?,
            size: self.size,
            sha256: self.sha256,
            uploaded_at: self.uploaded_at,
        })
    }
}

/// What a new case row holds beyond the filing itself: where its history has brought it.
pub struct NewRow<'a> {
    pub state: CaseState,
    pub bureau: &'a str,
    pub clock_paused: bool,
    pub recovered: Option<i64>,
    pub version: i64,
    pub updated_at: i64,
    /// The work queue's order key.
    pub urgency: String,
}
