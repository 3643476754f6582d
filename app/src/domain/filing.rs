//! The online filing form as steps. Each step checks only its own fields, with the same
//! `CaseForCreate::parse` that the final submission runs, so the rules exist once.

use super::case::{CaseForCreate, CaseInput};
use super::error::{FieldError, Invalid};
use super::kind::{Channel, ItemKind};
use super::party::BusinessInput;
use super::rules::RuleSet;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Kind,
    Scope,
    Business,
    Incident,
    Contact,
    Evidence,
    Review,
}

codes!(Step {
    Kind => "kind",
    Scope => "scope",
    Business => "business",
    Incident => "incident",
    Contact => "contact",
    Evidence => "evidence",
    Review => "review",
});

/// The four scope questions of a complaint, in the order asked (a report and a consultation are
/// not a consumer's own dispute with a business: they are not asked).
pub const SCOPE_QUESTIONS: [&str; 4] = ["personal_use", "business_dispute", "other_body", "within_limitation"];

/// Everything the form holds, as the strings a browser posts (so it travels as a plain form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FilingForm {
    pub step: String,
    /// Idempotency key: one per draft, so a double tap or a retry files one case.
    pub key: String,
    /// The upload token the server issued with this draft's first evidence file: the server
    /// counts the draft's files under it.
    pub draft: String,
    pub personal_use: String,
    pub business_dispute: String,
    pub other_body: String,
    pub within_limitation: String,
    pub kind: String,
    /// A checkbox: the complaint also reports a violation (filed as a second, linked item).
    pub also_report: String,
    pub category: String,
    /// The report topic of that second item.
    pub report_category: String,
    pub business_name: String,
    pub business_credit_code: String,
    pub business_address: String,
    pub business_county: String,
    pub business_platform: String,
    pub business_shop: String,
    pub incident_on: String,
    pub amount_paid: String,
    pub order_no: String,
    pub demand: String,
    pub demand_text: String,
    pub facts: String,
    pub consumer_name: String,
    pub consumer_phone: String,
    pub consumer_address: String,
    pub consumer_email: String,
    /// A checkbox (reports only): report without giving name or contact.
    pub anonymous: String,
    /// Complaints only: `self` (or empty), `agent` (for someone else, under a power of attorney)
    /// or `representative` (of several consumers with the same complaint).
    pub filing_as: String,
    pub agent_name: String,
    pub agent_phone: String,
    /// How many consumers a representative files for (themselves included).
    pub consumers: String,
    /// A checkbox: present (`on`) when ticked.
    pub consent_publish: String,
    /// Ids of the evidence files uploaded for this draft, comma-separated.
    pub evidence: String,
    /// A complaint about a member of the ODR lane: `yes` to send it to the business first.
    pub odr: String,
}

/// A scope answer that rules a complaint out, with the refusal ground it falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeStop {
    pub question: &'static str,
    pub ground: u32,
}

impl FilingForm {
    /// The step the form is at: the kind comes first; an unknown step, or the scope check of
    /// an item that is not a complaint, is the kind.
    pub fn step(&self) -> Step {
        match Step::from_code(&self.step) {
            Some(Step::Scope) if !self.is_complaint() => Step::Kind,
            Some(s) => s,
            None => Step::Kind,
        }
    }

    fn is_complaint(&self) -> bool {
        self.kind() == Some(ItemKind::Complaint)
    }

    /// The steps this form goes through: the scope check only for a complaint (or while no kind
    /// is chosen yet, since the consumer may still choose one).
    pub fn steps(&self) -> Vec<Step> {
        let asks_scope = self.is_complaint() || self.kind().is_none();
        Step::ALL.iter().copied().filter(|s| *s != Step::Scope || asks_scope).collect()
    }

    pub fn kind(&self) -> Option<ItemKind> {
        ItemKind::from_code(&self.kind)
    }

    /// A report whose reporter chose to stay anonymous.
    pub fn is_anonymous(&self) -> bool {
        self.kind() == Some(ItemKind::Report) && matches!(self.anonymous.as_str(), "on" | "true" | "yes")
    }

    pub fn answer(&self, question: &str) -> &str {
        match question {
            "personal_use" => &self.personal_use,
            "business_dispute" => &self.business_dispute,
            "other_body" => &self.other_body,
            "within_limitation" => &self.within_limitation,
            _ => "",
        }
    }

    /// Names the business as the register has it (picked from the entries offered while typing
    /// its name): its name, credit code, address and county.
    pub fn take_business(&mut self, entry: &super::business::PublicEntry) {
        self.business_name = entry.name.clone();
        self.business_credit_code = entry.credit_code.clone();
        self.business_address = entry.address.clone();
        self.business_county = entry.county.clone();
    }

    pub fn to_case_input(&self) -> CaseInput {
        CaseInput {
            kind: self.kind.clone(),
            channel: "web".into(),
            category: self.category.clone(),
            business: BusinessInput {
                name: self.business_name.clone(),
                credit_code: self.business_credit_code.clone(),
                address: self.business_address.clone(),
                county: self.business_county.clone(),
                platform: self.business_platform.clone(),
                shop: self.business_shop.clone(),
            },
            consumer_name: self.consumer_name.clone(),
            consumer_phone: self.consumer_phone.clone(),
            consumer_address: self.consumer_address.clone(),
            consumer_email: self.consumer_email.clone(),
            anonymous: self.is_anonymous(),
            filing_as: self.filing_as.clone(),
            agent_name: self.agent_name.clone(),
            agent_phone: self.agent_phone.clone(),
            consumers: self.consumers.clone(),
            incident_on: self.incident_on.clone(),
            amount_paid: self.amount_paid.clone(),
            order_no: self.order_no.clone(),
            demand: self.demand.clone(),
            demand_text: self.demand_text.clone(),
            facts: self.facts.clone(),
            consent_publish: matches!(self.consent_publish.as_str(), "on" | "true" | "yes"),
        }
    }

    /// An item registered by staff from a phone call, letter, voice message or visit: the same
    /// checks as online (the scope questions are the staff member's judgement, made with the
    /// refusal grounds later), under the channel it came by.
    pub fn parse_intake(&self, channel: &str, today: Date) -> Result<CaseForCreate, Vec<FieldError>> {
        let mut input = self.to_case_input();
        input.channel = channel.to_owned();
        let staff_channel = matches!(
            Channel::from_code(channel),
            Some(Channel::Phone | Channel::Letter | Channel::VoiceMessage | Channel::WalkIn)
        );
        match (CaseForCreate::parse(&input, today), staff_channel) {
            (Ok(case), true) => Ok(case),
            (Ok(_), false) => Err(vec![FieldError::new("channel", Invalid::Choice)]),
            (Err(mut errs), ok) => {
                errs.retain(|e| e.field != "channel");
                if !ok {
                    errs.insert(
                        0,
                        FieldError::new(
                            "channel",
                            if channel.is_empty() { Invalid::Required } else { Invalid::Choice },
                        ),
                    );
                }
                Err(errs)
            }
        }
    }

    /// Whether a complaint is to be filed with a linked report.
    pub fn wants_report(&self) -> bool {
        self.kind() == Some(ItemKind::Complaint) && matches!(self.also_report.as_str(), "on" | "true" | "yes")
    }

    /// The report to file with the complaint, when the consumer asked for one: the same facts and
    /// parties, as a report of the chosen topic.
    pub fn linked_report(&self, today: Date) -> Result<Option<CaseForCreate>, Vec<FieldError>> {
        if !self.wants_report() {
            return Ok(None);
        }
        let mut input = self.to_case_input();
        input.kind = ItemKind::Report.code().into();
        input.category = self.report_category.clone();
        input.demand = String::new();
        input.demand_text = String::new();
        CaseForCreate::parse(&input, today).map(Some).map_err(|errs| {
            errs.into_iter()
                .map(|e| if e.field == "category" { FieldError::new("report_category", e.invalid) } else { e })
                .collect()
        })
    }

    /// For a complaint whose incident lies beyond the limitation period on `today`: the refusal
    /// ground it is likely to be refused on (it may still be filed; the bureau decides).
    pub fn limitation_passed(&self, today: Date, rules: &RuleSet) -> Option<u32> {
        let incident = crate::domain::case::parse_incident_date(&self.incident_on, today).ok()?;
        let complaint = self.kind() == Some(ItemKind::Complaint);
        (complaint && crate::domain::case::beyond_limitation(incident, today, rules))
            .then_some(rules.scope_checks.within_limitation)
    }

    /// The first scope answer under which a complaint is likely to be refused (it may still be
    /// filed: the bureau decides, on the numbered ground). The "right" answers are: yes, yes,
    /// no (no other body has the dispute), yes (within the limitation period).
    pub fn scope_stop(&self, rules: &RuleSet) -> Option<ScopeStop> {
        if !self.is_complaint() {
            return None;
        }
        let sc = &rules.scope_checks;
        let checks = [
            ("personal_use", "no", sc.personal_use),
            ("business_dispute", "no", sc.business_dispute),
            ("other_body", "yes", sc.other_body),
            ("within_limitation", "no", sc.within_limitation),
        ];
        checks
            .iter()
            .find(|(q, bad, _)| self.answer(q) == *bad)
            .map(|&(question, _, ground)| ScopeStop { question, ground })
    }

    /// The errors of one step. Later steps' fields are not checked yet. The scope questions are
    /// a complaint's alone: for any other kind they have no errors.
    pub fn check_step(&self, step: Step, today: Date) -> Vec<FieldError> {
        if step == Step::Scope {
            if !self.is_complaint() {
                return Vec::new();
            }
            return SCOPE_QUESTIONS
                .iter()
                .filter(|q| !matches!(self.answer(q), "yes" | "no"))
                .map(|q| {
                    FieldError::new(q, if self.answer(q).is_empty() { Invalid::Required } else { Invalid::Choice })
                })
                .collect();
        }
        let mut errors = match CaseForCreate::parse(&self.to_case_input(), today) {
            Ok(_) => Vec::new(),
            Err(errs) => errs,
        };
        if !matches!(self.odr.as_str(), "" | "yes" | "no") {
            errors.push(FieldError::new("odr", Invalid::Choice));
        }
        if let Err(e) = crate::domain::evidence::parse_ids(&self.evidence) {
            errors.push(FieldError::new("evidence", e));
        }
        if self.wants_report() {
            let topic = crate::domain::category::parse(&self.report_category, ItemKind::Report);
            if let Err(e) = topic {
                errors.push(FieldError::new("report_category", e));
            }
        }
        errors.retain(|e| fields_of(step).contains(&e.field.as_str()) || step == Step::Review);
        errors
    }

    /// The whole form, checked for submission.
    pub fn parse_all(&self, today: Date) -> Result<CaseForCreate, Vec<FieldError>> {
        let mut errors = self.check_step(Step::Scope, today);
        errors.extend(self.check_step(Step::Review, today));
        if !errors.is_empty() {
            return Err(errors);
        }
        CaseForCreate::parse(&self.to_case_input(), today)
    }

    /// The step after `step` among this form's [`steps`](Self::steps) (a complaint's scope
    /// check comes after the kind; the other kinds go from the kind to the business).
    pub fn next(&self, step: Step) -> Step {
        let steps = self.steps();
        let at = steps.iter().position(|s| *s == step).unwrap_or(0);
        steps.get(at + 1).copied().unwrap_or(Step::Review)
    }

    pub fn prev(&self, step: Step) -> Step {
        let steps = self.steps();
        let at = steps.iter().position(|s| *s == step).unwrap_or(0);
        steps[at.saturating_sub(1)]
    }

    /// Where `step` stands among this form's steps (from 1), and how many there are.
    pub fn progress(&self, step: Step) -> (usize, usize) {
        let steps = self.steps();
        (steps.iter().position(|s| *s == step).map_or(1, |i| i + 1), steps.len())
    }
}

/// The form fields that belong to a step.
pub fn fields_of(step: Step) -> &'static [&'static str] {
    match step {
        Step::Scope => &SCOPE_QUESTIONS,
        Step::Kind => &["kind", "also_report"],
        Step::Business => &[
            "business_name",
            "business_credit_code",
            "business_address",
            "business_county",
            "business_platform",
            "business_shop",
        ],
        Step::Incident => {
            &["category", "report_category", "incident_on", "amount_paid", "order_no", "demand", "demand_text", "facts"]
        }
        Step::Contact => &[
            "anonymous",
            "filing_as",
            "agent_name",
            "agent_phone",
            "consumers",
            "consumer_name",
            "consumer_phone",
            "consumer_address",
            "consumer_email",
            "consent_publish",
        ],
        Step::Evidence => &["evidence"],
        Step::Review => &["odr"],
    }
}

/// The step a field is entered on (to send the consumer back to it).
pub fn step_of(field: &str) -> Step {
    Step::ALL.iter().copied().find(|s| fields_of(*s).contains(&field)).unwrap_or(Step::Review)
}

/// A complete, valid complaint about a washing machine (for demonstrations, benchmarks and tests);
/// `today` is the day it is filed, `key` its idempotency key.
pub fn sample_complaint(today: &str, key: &str) -> FilingForm {
    FilingForm {
        step: Step::Review.code().into(),
        key: key.into(),
        personal_use: "yes".into(),
        business_dispute: "yes".into(),
        other_body: "no".into(),
        within_limitation: "yes".into(),
        kind: ItemKind::Complaint.code().into(),
        category: "G05".into(),
        business_name: "西宁某某电器有限公司".into(),
        business_address: "西宁市城东区八一路1号".into(),
        business_county: "630102".into(),
        incident_on: today.into(),
        amount_paid: "2999".into(),
        demand: "refund".into(),
        facts: "购买的洗衣机第二天就无法脱水，商家拒绝退货。".into(),
        consumer_name: "张三".into(),
        consumer_phone: "13812341234".into(),
        consumer_address: "西宁市城西区胜利路8号".into(),
        ..Default::default()
    }
}

/// Reads a form field by its name.
pub fn get_field<'a>(f: &'a FilingForm, name: &str) -> &'a str {
    match name {
        "kind" => &f.kind,
        "also_report" => &f.also_report,
        "category" => &f.category,
        "report_category" => &f.report_category,
        "business_name" => &f.business_name,
        "business_credit_code" => &f.business_credit_code,
        "business_address" => &f.business_address,
        "business_county" => &f.business_county,
        "business_platform" => &f.business_platform,
        "business_shop" => &f.business_shop,
        "incident_on" => &f.incident_on,
        "amount_paid" => &f.amount_paid,
        "order_no" => &f.order_no,
        "demand" => &f.demand,
        "demand_text" => &f.demand_text,
        "facts" => &f.facts,
        "consumer_name" => &f.consumer_name,
        "consumer_phone" => &f.consumer_phone,
        "consumer_address" => &f.consumer_address,
        "consumer_email" => &f.consumer_email,
        "anonymous" => &f.anonymous,
        "filing_as" => &f.filing_as,
        "agent_name" => &f.agent_name,
        "agent_phone" => &f.agent_phone,
        "consumers" => &f.consumers,
        "consent_publish" => &f.consent_publish,
        "evidence" => &f.evidence,
        "odr" => &f.odr,
        other => f.answer(other),
    }
}

/// Sets a form field by its name; unknown names are ignored.
pub fn set_field(f: &mut FilingForm, name: &str, value: String) {
    let slot = match name {
        "personal_use" => &mut f.personal_use,
        "business_dispute" => &mut f.business_dispute,
        "other_body" => &mut f.other_body,
        "within_limitation" => &mut f.within_limitation,
        "kind" => &mut f.kind,
        "also_report" => &mut f.also_report,
        "category" => &mut f.category,
        "report_category" => &mut f.report_category,
        "business_name" => &mut f.business_name,
        "business_credit_code" => &mut f.business_credit_code,
        "business_address" => &mut f.business_address,
        "business_county" => &mut f.business_county,
        "business_platform" => &mut f.business_platform,
        "business_shop" => &mut f.business_shop,
        "incident_on" => &mut f.incident_on,
        "amount_paid" => &mut f.amount_paid,
        "order_no" => &mut f.order_no,
        "demand" => &mut f.demand,
        "demand_text" => &mut f.demand_text,
        "facts" => &mut f.facts,
        "consumer_name" => &mut f.consumer_name,
        "consumer_phone" => &mut f.consumer_phone,
        "consumer_address" => &mut f.consumer_address,
        "consumer_email" => &mut f.consumer_email,
        "anonymous" => &mut f.anonymous,
        "filing_as" => &mut f.filing_as,
        "agent_name" => &mut f.agent_name,
        "agent_phone" => &mut f.agent_phone,
        "consumers" => &mut f.consumers,
        "consent_publish" => &mut f.consent_publish,
        "evidence" => &mut f.evidence,
        "odr" => &mut f.odr,
        _ => return,
    };
    *slot = value;
}

/// Every field name of the form except `step` and `key`.
pub fn all_fields() -> impl Iterator<Item = &'static str> {
    Step::ALL.iter().flat_map(|s| fields_of(*s).iter().copied())
}

#[cfg(test)]
mod tests;
