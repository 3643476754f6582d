//! The case lifecycle as a state machine. A transition is a pure function from (case, actor,
//! action, rule set) to the new state, or a typed refusal saying why not.
//!
//! Complaint: received → accepted | refused (ground) | transferred → in mediation →
//! settled | mediation terminated (ground) → closed; withdrawn by the consumer before the
//! acceptance decision, or, after it, mediation terminated on the ground of withdrawal.
//! Report: received → under verification → case opened | not opened → closed (never withdrawn).
//! Consultation: received → answered (closed).

use super::error::FieldError;
use super::kind::ItemKind;
use super::money::Fen;
use super::region::{self, CENTRE};
use super::rules::{DeadlineKind, RuleSet};
use serde::{Deserialize, Serialize};
use time::Date;

mod action;
pub use action::{Action, ActionName, MediationMethod, OdrRemedy, OnSite};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseState {
    Received,
    Transferred,
    Accepted,
    InMediation,
    Settled,
    MediationTerminated,
    Refused,
    UnderVerification,
    CaseOpened,
    NotOpened,
    Closed,
    Withdrawn,
    /// The consumer contested the closure; staff must answer (reopen or uphold).
    Contested,
    /// Sent to the market regulator of another province (where the business is): it leaves this
    /// portal's clock and stays trackable here.
    TransferredOut,
    /// ODR lane: with the business, which negotiates with the consumer within its period.
    WithBusiness,
    /// ODR lane: the business made an offer; the consumer says yes or no.
    BusinessOffered,
}

codes!(CaseState {
    Received => "received",
    Transferred => "transferred",
    Accepted => "accepted",
    InMediation => "in_mediation",
    Settled => "settled",
    MediationTerminated => "mediation_terminated",
    Refused => "refused",
    UnderVerification => "under_verification",
    CaseOpened => "case_opened",
    NotOpened => "not_opened",
    Closed => "closed",
    Withdrawn => "withdrawn",
    Contested => "contested",
    TransferredOut => "transferred_out",
    WithBusiness => "with_business",
    BusinessOffered => "business_offered",
});

impl CaseState {
    /// Whether work on the case is still going on (evidence can be added, it can be withdrawn…).
    pub fn is_open(self) -> bool {
        !matches!(self, CaseState::Closed | CaseState::Withdrawn | CaseState::Refused | CaseState::TransferredOut)
    }

    /// Whether the consumer may rate the handling (once the work has ended with a result).
    pub fn is_ratable(self) -> bool {
        matches!(self, CaseState::Closed | CaseState::MediationTerminated)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Consumer,
    IntakeOperator,
    Handler,
    Supervisor,
    Admin,
    /// The portal itself (e.g. demonstration data, scheduled reminders).
    System,
    /// A registered business answering the complaints of the ODR lane made about it.
    Business,
}

codes!(Role {
    Consumer => "consumer",
    IntakeOperator => "intake_operator",
    Handler => "handler",
    Supervisor => "supervisor",
    Admin => "admin",
    System => "system",
    Business => "business",
});

/// Who acts: a role and, for staff of a bureau, the bureau's division code; for a business, its
/// credit code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub role: Role,
    pub bureau: Option<String>,
    #[serde(default)]
    pub business: Option<String>,
}

/// One step a case went through, as the workflow and the statutory clock read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub action: ActionName,
    /// The day in China the step was taken.
    pub on: Date,
    pub from: Option<CaseState>,
    pub to: CaseState,
}

impl Step {
    /// A step taken on `on` that led the case from `from` to `to`.
    pub fn taken(action: ActionName, on: Date, from: CaseState, to: CaseState) -> Step {
        Step { action, on, from: Some(from), to }
    }
}

/// What the state machine needs to know of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSnapshot {
    pub kind: ItemKind,
    pub state: CaseState,
    /// The division code of the bureau handling the case ([`CENTRE`] while at the centre).
    pub bureau: String,
    /// The deadline clock is paused for testing or appraisal (Art. 20).
    pub clock_paused: bool,
    /// The credit code of the business a complaint of the ODR lane went to first.
    #[serde(default)]
    pub odr_business: Option<String>,
    /// The amount of the business's latest offer.
    #[serde(default)]
    pub odr_offer: Option<Fen>,
    /// The steps so far, oldest first (a reopening goes back to the decision it contests; a
    /// period is extended once).
    #[serde(default)]
    pub history: Vec<Step>,
}

/// The statutory period a case in `state` runs against, if any (the consumer's own window to
/// contest a closure included).
pub fn phase(kind: ItemKind, state: CaseState) -> Option<DeadlineKind> {
    use CaseState::*;
    Some(match (kind, state) {
        // A refusal is a decision the complainant must be told of (the written notice, which
        // closes the case) within the same period from receipt.
        (ItemKind::Complaint, Received | Transferred | Refused) => DeadlineKind::AcceptanceDecision,
        (ItemKind::Complaint, Accepted | InMediation) => DeadlineKind::MediationLimit,
        (ItemKind::Complaint, MediationTerminated) => DeadlineKind::TerminationNotice,
        (ItemKind::Report, Received | Transferred | UnderVerification) => DeadlineKind::ReportCaseDecision,
        (ItemKind::Report, CaseOpened | NotOpened) => DeadlineKind::ReporterNotice,
        (ItemKind::Complaint, WithBusiness | BusinessOffered) => DeadlineKind::OdrNegotiation,
        (_, Closed) => DeadlineKind::ContestWindow,
        _ => return None,
    })
}

/// Where the current period began in `history`: the last step that moved the case into another
/// period (or reopened it), `None` for the receipt itself.
pub fn period_start(kind: ItemKind, history: &[Step]) -> Option<usize> {
    history.iter().rposition(|s| {
        let reopened = s.action == ActionName::AnswerContest && s.to != CaseState::Closed;
        let moved = s.from.is_some_and(|f| phase(kind, f) != phase(kind, s.to));
        reopened || moved
    })
}

/// Whether the running period may be extended now: its rule has an extension and it has not
/// been extended since it began.
pub fn extendable(kind: ItemKind, state: CaseState, history: &[Step], rules: &RuleSet) -> bool {
    let rule = phase(kind, state).filter(|p| *p != DeadlineKind::ContestWindow).and_then(|p| rules.deadlines.get(&p));
    let since = period_start(kind, history).map_or(0, |i| i + 1);
    let extended = history.get(since..).unwrap_or_default().iter().any(|s| s.action == ActionName::Extend);
    rule.and_then(|r| r.extension_days).is_some() && !extended
}

/// Whether the reporter asked not to be told of the case any more.
pub fn notices_stopped(history: &[Step]) -> bool {
    history.iter().any(|s| s.action == ActionName::StopNotices)
}

/// The decision a reopened case goes back to: the one its closure followed.
fn reopened_state(kind: ItemKind, history: &[Step]) -> CaseState {
    let closed_from = history.iter().rev().find(|s| s.to == CaseState::Closed && s.action == ActionName::Close);
    match (kind, closed_from.and_then(|s| s.from)) {
        // A refusal contested: the acceptance decision is taken again.
        (ItemKind::Complaint, Some(CaseState::Refused)) => CaseState::Received,
        (ItemKind::Complaint, _) => CaseState::Accepted,
        (ItemKind::Report, _) => CaseState::UnderVerification,
        (ItemKind::Consultation, _) => CaseState::Received,
    }
}

/// Why a transition was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Refusal {
    #[error("{action:?} is not possible for a {kind:?} in state {state:?}")]
    NotInThisState { kind: ItemKind, state: CaseState, action: ActionName },
    #[error("the role {role:?} may not {action:?}")]
    Role { role: Role, action: ActionName },
    #[error("the case belongs to another bureau")]
    OtherBureau,
    #[error("no such ground {no} in the rule set")]
    UnknownGround { no: u32 },
    #[error("no such bureau {code}")]
    UnknownBureau { code: String },
    #[error("the case is already with this bureau")]
    SameBureau,
    #[error("the deadline clock is already paused")]
    AlreadyPaused,
    #[error("the deadline clock is not paused")]
    NotPaused,
    #[error("invalid data")]
    Invalid(Vec<FieldError>),
    /// The period in which this step was possible has passed (e.g. to contest a closure).
    #[error("too late for this step")]
    TooLate,
    /// The running period has no extension in the rule set, or it was already extended.
    #[error("this period cannot be extended")]
    NotExtendable,
}

/// The result of an allowed transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub to: CaseState,
    pub bureau: String,
    pub clock_paused: bool,
    /// The numbered ground (refusal or termination) the step rests on.
    pub ground: Option<u32>,
    /// Amount recovered for the consumer, for a settlement.
    pub recovered: Option<Fen>,
    /// The amount a business offers (ODR lane).
    pub offer: Option<Fen>,
}

/// The roles that may take an action. Bureau scope is checked separately.
pub fn roles_for(action: ActionName) -> &'static [Role] {
    use ActionName::*;
    use Role::*;
    match action {
        Receive => &[Consumer, IntakeOperator, Supervisor, System],
        Transfer | TransferOut | Answer => &[IntakeOperator, Handler, Supervisor],
        Withdraw | Supplement | Rate | Contest | StopNotices => &[Consumer],
        AnswerContest | FollowUp | Extend => &[Handler, Supervisor],
        OdrOffer | OdrDecline => &[Business],
        AcceptOffer | RejectOffer | ToBureau => &[Consumer],
        PassOn => &[System],
        Reassign => &[Supervisor],
        Accept | Refuse | StartMediation | PauseClock | ResumeClock | RecordSettlement | TerminateMediation | Close
        | StartVerification | DecideReport => &[Handler, Supervisor],
    }
}

/// The state an action leads to from `state` for an item of `kind`, if the workflow allows it.
pub fn target(kind: ItemKind, state: CaseState, action: ActionName) -> Option<CaseState> {
    use ActionName as A;
    use CaseState::*;
    use ItemKind::*;
    let waiting = matches!(state, Received | Transferred);
    let with_business = matches!(state, WithBusiness | BusinessOffered);
    let to = match (kind, action) {
        (_, A::Transfer) if waiting => Transferred,
        // A business in another province: the item goes to that province (a consultation is
        // answered here, wherever the business is).
        (Complaint | Report, A::TransferOut) if waiting => TransferredOut,
        // A report is information for the bureau: the reporter cannot withdraw it.
        (Complaint | Consultation, A::Withdraw) if waiting => Withdrawn,
        (Complaint, A::Withdraw) if with_business => Withdrawn,
        // The ODR lane: the business answers (once more after an offer, to better it), the
        // consumer agrees (settled by the business) or not, or the period ends: to the bureau.
        (Complaint, A::OdrOffer) if with_business => BusinessOffered,
        (Complaint, A::OdrDecline | A::PassOn) if with_business => Received,
        (Complaint, A::AcceptOffer) if state == BusinessOffered => Closed,
        (Complaint, A::RejectOffer) if state == BusinessOffered => Received,
        // Settled by the business, but not solved: the consumer goes to the bureau after all
        // (only after a settlement by the business: see `transition`).
        (Complaint, A::ToBureau) if state == Closed => Received,
        // The reporter may stop being told while the report is handled (once: see `transition`).
        (Report, A::StopNotices)
            if matches!(state, Received | Transferred | UnderVerification | CaseOpened | NotOpened) =>
        {
            state
        }
        // After acceptance a withdrawal ends the mediation on its own ground (both parties told).
        (Complaint, A::Withdraw) if matches!(state, Accepted | InMediation) => MediationTerminated,
        (Complaint, A::Accept) if waiting => Accepted,
        (Complaint, A::Refuse) if waiting => Refused,
        (Complaint, A::StartMediation) if state == Accepted => InMediation,
        (Complaint, A::PauseClock | A::ResumeClock) if state == InMediation => InMediation,
        (Complaint, A::RecordSettlement) if state == InMediation => Settled,
        (Complaint, A::TerminateMediation) if matches!(state, Accepted | InMediation) => MediationTerminated,
        (Complaint, A::Close) if matches!(state, Settled | MediationTerminated | Refused) => Closed,
        (Report, A::StartVerification) if waiting => UnderVerification,
        (Report, A::DecideReport) if state == UnderVerification => CaseOpened,
        (Report, A::Close) if matches!(state, CaseOpened | NotOpened) => Closed,
        (Consultation, A::Answer) if waiting => Closed,
        (_, A::Supplement) if state.is_open() => state,
        (Complaint, A::Rate) if state.is_ratable() => state,
        (_, A::Rate) if state == Closed => state,
        (_, A::Contest) if state == Closed => Contested,
        // The follow-up visit after handling (Order 121) is recorded on the closed case.
        (_, A::FollowUp) if state == Closed => Closed,
        // Upholding keeps it closed; reopening is decided in `transition`.
        (_, A::AnswerContest) if state == Contested => Closed,
        // A supervisor may move any unfinished case to another bureau; its stage stays.
        (_, A::Reassign) if !matches!(state, Closed | Withdrawn | TransferredOut) => state,
        // Only a staff deadline can be extended (which one, and whether, is checked in `transition`).
        (_, A::Extend) if phase(kind, state).is_some_and(|p| p != DeadlineKind::ContestWindow) => state,
        _ => return None,
    };
    Some(to)
}

/// Whether the case was last closed by the consumer's yes to the business's offer: the steps
/// after it (a rating, a follow-up visit, a supplement) leave it so; a contest or another
/// closure does not.
pub fn settled_by_business(history: &[Step]) -> bool {
    use ActionName as A;
    history
        .iter()
        .rev()
        .find(|s| !matches!(s.action, A::Rate | A::FollowUp | A::Supplement | A::StopNotices))
        .is_some_and(|s| s.action == A::AcceptOffer)
}

/// Applies `action` by `actor` to `case` under `rules`, or says why not.
pub fn transition(case: &CaseSnapshot, actor: &Actor, action: &Action, rules: &RuleSet) -> Result<Outcome, Refusal> {
    let name = action.name();
    if !roles_for(name).contains(&actor.role) {
        return Err(Refusal::Role { role: actor.role, action: name });
    }
    let in_scope = match actor.role {
        Role::Handler => actor.bureau.as_deref() == Some(case.bureau.as_str()),
        Role::IntakeOperator => case.bureau == CENTRE,
        // A business sees and answers only the complaints of the lane made about it.
        Role::Business => actor.business.is_some() && actor.business == case.odr_business,
        _ => true,
    };
    if !in_scope {
        return Err(Refusal::OtherBureau);
    }
    let Some(mut to) = target(case.kind, case.state, name) else {
        return Err(Refusal::NotInThisState { kind: case.kind, state: case.state, action: name });
    };
    let mut out = Outcome {
        to,
        bureau: case.bureau.clone(),
        clock_paused: case.clock_paused,
        ground: None,
        recovered: None,
        offer: None,
    };
    match action {
        Action::Refuse { ground } => {
            rules.refusal_ground(*ground).ok_or(Refusal::UnknownGround { no: *ground })?;
            out.ground = Some(*ground);
        }
        Action::TerminateMediation { ground } => {
            rules.termination_ground(*ground).ok_or(Refusal::UnknownGround { no: *ground })?;
            out.ground = Some(*ground);
            out.clock_paused = false;
        }
        Action::Transfer { to_bureau } | Action::Reassign { to_bureau } => {
            if region::bureau(to_bureau).is_none() {
                return Err(Refusal::UnknownBureau { code: to_bureau.clone() });
            }
            if *to_bureau == case.bureau {
                return Err(Refusal::SameBureau);
            }
            out.bureau = to_bureau.clone();
        }
        Action::TransferOut { province } => {
            if region::province(province).is_none() {
                return Err(Refusal::Invalid(vec![FieldError::new("province", super::Invalid::Choice)]));
            }
            out.clock_paused = false;
        }
        Action::StartMediation { method, on_site } => {
            // On-site mediation needs its time and place (the parties are told in advance).
            let needs_site = *method == MediationMethod::OnSite;
            let site_ok = on_site.as_ref().is_some_and(|s| !s.at.is_empty() && !s.place.as_str().is_empty());
            if needs_site && !site_ok {
                return Err(Refusal::Invalid(vec![FieldError::new("on_site", super::Invalid::Required)]));
            }
        }
        Action::PauseClock if case.clock_paused => return Err(Refusal::AlreadyPaused),
        Action::PauseClock => out.clock_paused = true,
        Action::ResumeClock if !case.clock_paused => return Err(Refusal::NotPaused),
        Action::ResumeClock => out.clock_paused = false,
        Action::RecordSettlement { recovered, agreement } => {
            if recovered.0 < 0 {
                return Err(Refusal::Invalid(vec![FieldError::new("recovered", super::Invalid::Amount)]));
            }
            if agreement.as_str().chars().count() < 2 {
                return Err(Refusal::Invalid(vec![FieldError::new("agreement", super::Invalid::Required)]));
            }
            out.recovered = Some(*recovered);
            out.clock_paused = false;
        }
        Action::Answer { answer } if answer.as_str().chars().count() < 2 => {
            return Err(Refusal::Invalid(vec![FieldError::new("answer", super::Invalid::Required)]));
        }
        Action::DecideReport { opened: false } => {
            to = CaseState::NotOpened;
            out.to = to;
        }
        Action::Withdraw => {
            out.clock_paused = false;
            if to == CaseState::MediationTerminated {
                out.ground = Some(rules.withdrawal_ground);
            }
        }
        Action::Extend { reason } => {
            if reason.as_str().chars().count() < 2 {
                return Err(Refusal::Invalid(vec![FieldError::new("reason", super::Invalid::TooShort { min: 2 })]));
            }
            if !extendable(case.kind, case.state, &case.history, rules) {
                return Err(Refusal::NotExtendable);
            }
        }
        Action::StopNotices if notices_stopped(&case.history) => {
            return Err(Refusal::NotInThisState { kind: case.kind, state: case.state, action: name });
        }
        Action::Supplement { text: None } => {
            // A supplement with files only is checked by the service, which holds the files.
        }
        Action::Contest { reason }
        | Action::AnswerContest { answer: reason, .. }
        | Action::FollowUp { result: reason }
            if reason.as_str().chars().count() < 2 =>
        {
            let field = match name {
                ActionName::Contest => "reason",
                ActionName::FollowUp => "result",
                _ => "answer",
            };
            return Err(Refusal::Invalid(vec![FieldError::new(field, super::Invalid::TooShort { min: 2 })]));
        }
        Action::AnswerContest { reopen: true, .. } => out.to = reopened_state(case.kind, &case.history),
        Action::OdrOffer { amount, text, .. } => {
            if amount.0 < 0 {
                return Err(Refusal::Invalid(vec![FieldError::new("recovered", super::Invalid::Amount)]));
            }
            if text.as_str().chars().count() < 2 {
                return Err(Refusal::Invalid(vec![FieldError::new("text", super::Invalid::TooShort { min: 2 })]));
            }
            out.offer = Some(*amount);
        }
        Action::OdrDecline { reason } if reason.as_str().chars().count() < 2 => {
            return Err(Refusal::Invalid(vec![FieldError::new("text", super::Invalid::TooShort { min: 2 })]));
        }
        Action::ToBureau if !settled_by_business(&case.history) => {
            return Err(Refusal::NotInThisState { kind: case.kind, state: case.state, action: name });
        }
        // Settled by the business: what it offered is what the consumer recovers.
        Action::AcceptOffer => out.recovered = case.odr_offer,
        _ => {}
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
