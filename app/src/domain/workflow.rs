//! The case lifecycle as a state machine. A transition is a pure function from (case, actor,
//! action, rule set) to the new state, or a typed refusal saying why not.
//!
//! Complaint: received → accepted | refused (ground) | transferred → in mediation →
//! settled | mediation terminated (ground) → closed; withdrawn by the consumer while open.
//! Report: received → under verification → case opened | not opened → closed.
//! Consultation: received → answered (closed).

use super::error::FieldError;
use super::fields::Note;
use super::kind::ItemKind;
use super::money::Fen;
use super::region::{self, CENTRE};
use super::rules::RuleSet;
use serde::{Deserialize, Serialize};

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
});

impl CaseState {
    /// Whether work on the case is still going on (evidence can be added, it can be withdrawn…).
    pub fn is_open(self) -> bool {
        !matches!(self, CaseState::Closed | CaseState::Withdrawn | CaseState::Refused)
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
}

codes!(Role {
    Consumer => "consumer",
    IntakeOperator => "intake_operator",
    Handler => "handler",
    Supervisor => "supervisor",
    Admin => "admin",
    System => "system",
});

/// Who acts: a role and, for staff of a bureau, the bureau's division code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub role: Role,
    pub bureau: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MediationMethod {
    Online,
    Phone,
    OnSite,
}

codes!(MediationMethod { Online => "online", Phone => "phone", OnSite => "on_site" });

/// Time and place of an on-site mediation, which the parties are told in advance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnSite {
    /// `YYYY-MM-DDTHH:MM`, local time.
    pub at: String,
    pub place: Note,
}

/// What someone asks the case to do, with the data the rules require for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Accept,
    Refuse {
        ground: u32,
    },
    Transfer {
        to_bureau: String,
    },
    StartMediation {
        method: MediationMethod,
        on_site: Option<OnSite>,
    },
    PauseClock,
    ResumeClock,
    RecordSettlement {
        recovered: Fen,
        agreement: Note,
    },
    TerminateMediation {
        ground: u32,
    },
    Close,
    Answer {
        answer: Note,
    },
    StartVerification,
    DecideReport {
        opened: bool,
    },
    Withdraw,
    /// The consumer adds text (and evidence files, attached by the service).
    Supplement {
        text: Option<Note>,
    },
    /// The consumer rates the handling (the rating itself is stored beside the event).
    Rate,
    /// The consumer asks for a closed case to be reopened, saying why.
    Contest {
        reason: Note,
    },
    /// Staff answer a contest: reopen the case, or uphold the closure, with the reasons.
    AnswerContest {
        reopen: bool,
        answer: Note,
    },
    /// Staff record the follow-up visit (回访) after handling: what the consumer said.
    FollowUp {
        result: Note,
    },
    /// A supervisor's reassignment (the reason is the step's note, which the form requires).
    Reassign {
        to_bureau: String,
    },
}

/// The name of an action, for tables, events and the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionName {
    Receive,
    Accept,
    Refuse,
    Transfer,
    StartMediation,
    PauseClock,
    ResumeClock,
    RecordSettlement,
    TerminateMediation,
    Close,
    Answer,
    StartVerification,
    DecideReport,
    Withdraw,
    Supplement,
    Rate,
    Contest,
    AnswerContest,
    FollowUp,
    /// A supervisor moves a case to another bureau at any stage, with a reason.
    Reassign,
}

codes!(ActionName {
    Receive => "receive",
    Accept => "accept",
    Refuse => "refuse",
    Transfer => "transfer",
    StartMediation => "start_mediation",
    PauseClock => "pause_clock",
    ResumeClock => "resume_clock",
    RecordSettlement => "record_settlement",
    TerminateMediation => "terminate_mediation",
    Close => "close",
    Answer => "answer",
    StartVerification => "start_verification",
    DecideReport => "decide_report",
    Withdraw => "withdraw",
    Supplement => "supplement",
    Rate => "rate",
    Contest => "contest",
    AnswerContest => "answer_contest",
    FollowUp => "follow_up",
    Reassign => "reassign",
});

impl Action {
    pub fn name(&self) -> ActionName {
        match self {
            Action::Accept => ActionName::Accept,
            Action::Refuse { .. } => ActionName::Refuse,
            Action::Transfer { .. } => ActionName::Transfer,
            Action::StartMediation { .. } => ActionName::StartMediation,
            Action::PauseClock => ActionName::PauseClock,
            Action::ResumeClock => ActionName::ResumeClock,
            Action::RecordSettlement { .. } => ActionName::RecordSettlement,
            Action::TerminateMediation { .. } => ActionName::TerminateMediation,
            Action::Close => ActionName::Close,
            Action::Answer { .. } => ActionName::Answer,
            Action::StartVerification => ActionName::StartVerification,
            Action::DecideReport { .. } => ActionName::DecideReport,
            Action::Withdraw => ActionName::Withdraw,
            Action::Reassign { .. } => ActionName::Reassign,
            Action::Supplement { .. } => ActionName::Supplement,
            Action::Rate => ActionName::Rate,
            Action::Contest { .. } => ActionName::Contest,
            Action::AnswerContest { .. } => ActionName::AnswerContest,
            Action::FollowUp { .. } => ActionName::FollowUp,
        }
    }

    /// What the consumer may read of this step on the tracking page (never a staff note): an
    /// answer, a mediation's method and time and place, an agreement, their own words.
    /// Mediation is stored as `method` or `on_site\tYYYY-MM-DDTHH:MM\tplace`, a transfer as the
    /// new bureau's division code.
    pub fn public_detail(&self) -> Option<String> {
        match self {
            Action::Answer { answer } => Some(answer.as_str().to_owned()),
            // The bureau's division code; the page shows its name.
            Action::Transfer { to_bureau } | Action::Reassign { to_bureau } => Some(to_bureau.clone()),
            Action::StartMediation { method, on_site: Some(s) } if *method == MediationMethod::OnSite => {
                Some(format!("{}\t{}\t{}", method.code(), s.at, s.place.as_str()))
            }
            Action::StartMediation { method, .. } => Some(method.code().to_owned()),
            Action::RecordSettlement { agreement, .. } => Some(agreement.as_str().to_owned()),
            Action::Supplement { text } => text.as_ref().map(|t| t.as_str().to_owned()),
            Action::Contest { reason } => Some(reason.as_str().to_owned()),
            Action::AnswerContest { answer, .. } => Some(answer.as_str().to_owned()),
            Action::FollowUp { result } => Some(result.as_str().to_owned()),
            _ => None,
        }
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
}

/// The roles that may take an action. Bureau scope is checked separately.
pub fn roles_for(action: ActionName) -> &'static [Role] {
    use ActionName::*;
    use Role::*;
    match action {
        Receive => &[Consumer, IntakeOperator, Supervisor, System],
        Transfer | Answer => &[IntakeOperator, Handler, Supervisor],
        Withdraw | Supplement | Rate | Contest => &[Consumer],
        AnswerContest | FollowUp => &[Handler, Supervisor],
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
    let to = match (kind, action) {
        (_, A::Transfer) if waiting => Transferred,
        (_, A::Withdraw) if waiting => Withdrawn,
        (Complaint, A::Withdraw) if matches!(state, Accepted | InMediation) => Withdrawn,
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
        (_, A::Reassign) if !matches!(state, Closed | Withdrawn) => state,
        _ => return None,
    };
    Some(to)
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
        _ => true,
    };
    if !in_scope {
        return Err(Refusal::OtherBureau);
    }
    let Some(mut to) = target(case.kind, case.state, name) else {
        return Err(Refusal::NotInThisState { kind: case.kind, state: case.state, action: name });
    };
    let mut out =
        Outcome { to, bureau: case.bureau.clone(), clock_paused: case.clock_paused, ground: None, recovered: None };
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
        Action::Withdraw => out.clock_paused = false,
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
        Action::AnswerContest { reopen: true, .. } => {
            out.to = match case.kind {
                ItemKind::Complaint => CaseState::Accepted,
                ItemKind::Report => CaseState::UnderVerification,
                ItemKind::Consultation => CaseState::Received,
            };
        }
        _ => {}
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules;
    use ActionName as A;
    use CaseState::*;
    use ItemKind::*;

    fn rs() -> &'static RuleSet {
        rules::get("samr-order-121").unwrap()
    }

    fn case(kind: ItemKind, state: CaseState) -> CaseSnapshot {
        CaseSnapshot { kind, state, bureau: "630102".into(), clock_paused: false }
    }

    fn handler() -> Actor {
        Actor { role: Role::Handler, bureau: Some("630102".into()) }
    }

    fn consumer() -> Actor {
        Actor { role: Role::Consumer, bureau: None }
    }

    fn sample(name: ActionName) -> Action {
        match name {
            A::Receive | A::Accept => Action::Accept,
            A::Refuse => Action::Refuse { ground: 1 },
            A::Transfer => Action::Transfer { to_bureau: "630103".into() },
            A::StartMediation => Action::StartMediation { method: MediationMethod::Phone, on_site: None },
            A::PauseClock => Action::PauseClock,
            A::ResumeClock => Action::ResumeClock,
            A::RecordSettlement => {
                Action::RecordSettlement { recovered: Fen(5000), agreement: Note::parse("退款50元").unwrap() }
            }
            A::TerminateMediation => Action::TerminateMediation { ground: 3 },
            A::Close => Action::Close,
            A::Answer => Action::Answer { answer: Note::parse("请保留购物凭证。").unwrap() },
            A::StartVerification => Action::StartVerification,
            A::DecideReport => Action::DecideReport { opened: true },
            A::Withdraw => Action::Withdraw,
            A::Supplement => Action::Supplement { text: Some(Note::parse("补充：商家电话打不通").unwrap()) },
            A::Rate => Action::Rate,
            A::Contest => Action::Contest { reason: Note::parse("商家没有按协议退款").unwrap() },
            A::AnswerContest => {
                Action::AnswerContest { reopen: false, answer: Note::parse("经核实已退款").unwrap() }
            }
            A::FollowUp => Action::FollowUp { result: Note::parse("电话回访：消费者表示满意").unwrap() },
            A::Reassign => Action::Reassign { to_bureau: "632801".into() },
        }
    }

    /// The expected workflow, written out as a table: (kind, from, action, to).
    const ALLOWED: &[(ItemKind, CaseState, ActionName, CaseState)] = &[
        (Complaint, Received, A::Accept, Accepted),
        (Complaint, Transferred, A::Accept, Accepted),
        (Complaint, Received, A::Refuse, Refused),
        (Complaint, Transferred, A::Refuse, Refused),
        (Complaint, Received, A::Transfer, Transferred),
        (Complaint, Transferred, A::Transfer, Transferred),
        (Complaint, Received, A::Withdraw, Withdrawn),
        (Complaint, Transferred, A::Withdraw, Withdrawn),
        (Complaint, Accepted, A::Withdraw, Withdrawn),
        (Complaint, InMediation, A::Withdraw, Withdrawn),
        (Complaint, Accepted, A::StartMediation, InMediation),
        (Complaint, Accepted, A::TerminateMediation, MediationTerminated),
        (Complaint, InMediation, A::TerminateMediation, MediationTerminated),
        (Complaint, InMediation, A::RecordSettlement, Settled),
        (Complaint, InMediation, A::PauseClock, InMediation),
        (Complaint, InMediation, A::ResumeClock, InMediation),
        (Complaint, Settled, A::Close, Closed),
        (Complaint, MediationTerminated, A::Close, Closed),
        (Complaint, Refused, A::Close, Closed),
        (Report, Received, A::StartVerification, UnderVerification),
        (Report, Transferred, A::StartVerification, UnderVerification),
        (Report, Received, A::Transfer, Transferred),
        (Report, Transferred, A::Transfer, Transferred),
        (Report, Received, A::Withdraw, Withdrawn),
        (Report, Transferred, A::Withdraw, Withdrawn),
        (Report, UnderVerification, A::DecideReport, CaseOpened),
        (Report, CaseOpened, A::Close, Closed),
        (Report, NotOpened, A::Close, Closed),
        (Consultation, Received, A::Answer, Closed),
        (Consultation, Transferred, A::Answer, Closed),
        (Consultation, Received, A::Transfer, Transferred),
        (Consultation, Transferred, A::Transfer, Transferred),
        (Consultation, Received, A::Withdraw, Withdrawn),
        (Consultation, Transferred, A::Withdraw, Withdrawn),
        (Complaint, Closed, A::Contest, Contested),
        (Report, Closed, A::Contest, Contested),
        (Consultation, Closed, A::Contest, Contested),
        (Complaint, Contested, A::AnswerContest, Closed),
        (Report, Contested, A::AnswerContest, Closed),
        (Consultation, Contested, A::AnswerContest, Closed),
        (Complaint, Closed, A::Rate, Closed),
        (Complaint, MediationTerminated, A::Rate, MediationTerminated),
        (Report, Closed, A::Rate, Closed),
        (Consultation, Closed, A::Rate, Closed),
        (Complaint, Closed, A::FollowUp, Closed),
        (Report, Closed, A::FollowUp, Closed),
        (Consultation, Closed, A::FollowUp, Closed),
    ];

    /// A supplement is possible in every open state and changes nothing.
    fn supplement_allowed(state: CaseState) -> Option<CaseState> {
        state.is_open().then_some(state)
    }

    /// A supervisor may reassign every case not yet closed or withdrawn; its stage stays.
    const REASSIGNABLE: &[CaseState] = &[
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
        Contested,
    ];

    fn actor_for(name: ActionName) -> Actor {
        match name {
            A::Withdraw | A::Supplement | A::Rate | A::Contest => consumer(),
            A::Reassign => Actor { role: Role::Supervisor, bureau: None },
            _ => handler(),
        }
    }

    #[test]
    fn every_kind_state_and_action_is_allowed_exactly_as_the_table_says() {
        let mut checked = 0;
        for &kind in ItemKind::ALL {
            for &state in CaseState::ALL {
                for &name in ActionName::ALL {
                    if name == A::Receive {
                        continue; // receiving creates a case; it is not a transition
                    }
                    let mut c = case(kind, state);
                    c.clock_paused = name == A::ResumeClock;
                    let expected = if name == A::Supplement {
                        supplement_allowed(state)
                    } else if name == A::Reassign {
                        REASSIGNABLE.contains(&state).then_some(state)
                    } else {
                        ALLOWED.iter().find(|r| r.0 == kind && r.1 == state && r.2 == name).map(|r| r.3)
                    };
                    let got = transition(&c, &actor_for(name), &sample(name), rs()).map(|o| o.to);
                    match expected {
                        Some(to) => assert_eq!(got, Ok(to), "{kind:?} {state:?} {name:?}"),
                        None => assert_eq!(
                            got,
                            Err(Refusal::NotInThisState { kind, state, action: name }),
                            "{kind:?} {state:?} {name:?}"
                        ),
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 3 * 13 * 19);
    }

    #[test]
    fn closed_withdrawn_and_refused_cases_are_not_open() {
        for s in CaseState::ALL {
            assert_eq!(s.is_open(), !matches!(s, Closed | Withdrawn | Refused), "{s:?}");
        }
    }

    #[test]
    fn only_the_listed_roles_may_act() {
        let c = case(Complaint, Received);
        for role in [Role::Consumer, Role::Admin, Role::System] {
            let a = Actor { role, bureau: Some("630102".into()) };
            assert_eq!(transition(&c, &a, &Action::Accept, rs()), Err(Refusal::Role { role, action: A::Accept }));
        }
        let staff = Actor { role: Role::Supervisor, bureau: None };
        assert_eq!(
            transition(&c, &staff, &Action::Withdraw, rs()),
            Err(Refusal::Role { role: Role::Supervisor, action: A::Withdraw })
        );
        assert!(transition(&c, &staff, &Action::Accept, rs()).is_ok());
    }

    #[test]
    fn a_handler_acts_only_on_cases_of_their_own_bureau() {
        let c = case(Complaint, Received);
        let other = Actor { role: Role::Handler, bureau: Some("632801".into()) };
        assert_eq!(transition(&c, &other, &Action::Accept, rs()), Err(Refusal::OtherBureau));
        let none = Actor { role: Role::Handler, bureau: None };
        assert_eq!(transition(&c, &none, &Action::Accept, rs()), Err(Refusal::OtherBureau));
    }

    #[test]
    fn an_intake_operator_routes_only_what_is_at_the_centre() {
        let op = Actor { role: Role::IntakeOperator, bureau: Some(CENTRE.into()) };
        let mut c = case(Complaint, Received);
        c.bureau = CENTRE.into();
        let out = transition(&c, &op, &Action::Transfer { to_bureau: "630102".into() }, rs()).unwrap();
        assert_eq!((out.to, out.bureau.as_str()), (Transferred, "630102"));
        c.bureau = "630102".into();
        assert_eq!(
            transition(&c, &op, &Action::Transfer { to_bureau: "630103".into() }, rs()),
            Err(Refusal::OtherBureau)
        );
    }

    #[test]
    fn grounds_must_exist_in_the_cases_rule_set() {
        let c = case(Complaint, Received);
        let old = rules::get("samr-interim-2022").unwrap();
        // Ground 7 exists under Order 121 but not under the Interim Measures.
        assert!(transition(&c, &handler(), &Action::Refuse { ground: 7 }, rs()).is_ok());
        assert_eq!(
            transition(&c, &handler(), &Action::Refuse { ground: 7 }, old),
            Err(Refusal::UnknownGround { no: 7 })
        );
        assert_eq!(
            transition(&c, &handler(), &Action::Refuse { ground: 0 }, rs()),
            Err(Refusal::UnknownGround { no: 0 })
        );
        let m = case(Complaint, InMediation);
        assert_eq!(
            transition(&m, &handler(), &Action::TerminateMediation { ground: 8 }, old),
            Err(Refusal::UnknownGround { no: 8 })
        );
        assert_eq!(
            transition(&m, &handler(), &Action::TerminateMediation { ground: 8 }, rs()).unwrap().ground,
            Some(8)
        );
    }

    #[test]
    fn transfer_needs_a_known_and_different_bureau() {
        let c = case(Complaint, Received);
        assert_eq!(
            transition(&c, &handler(), &Action::Transfer { to_bureau: "999999".into() }, rs()),
            Err(Refusal::UnknownBureau { code: "999999".into() })
        );
        assert_eq!(
            transition(&c, &handler(), &Action::Transfer { to_bureau: "630102".into() }, rs()),
            Err(Refusal::SameBureau)
        );
    }

    #[test]
    fn on_site_mediation_needs_time_and_place() {
        let c = case(Complaint, Accepted);
        let bare = Action::StartMediation { method: MediationMethod::OnSite, on_site: None };
        assert!(matches!(transition(&c, &handler(), &bare, rs()), Err(Refusal::Invalid(_))));
        let full = Action::StartMediation {
            method: MediationMethod::OnSite,
            on_site: Some(OnSite {
                at: "2026-12-01T10:00".into(),
                place: Note::parse("城东区市场监管局调解室").unwrap(),
            }),
        };
        assert_eq!(transition(&c, &handler(), &full, rs()).unwrap().to, InMediation);
    }

    #[test]
    fn the_clock_pauses_and_resumes_once() {
        let mut c = case(Complaint, InMediation);
        assert!(transition(&c, &handler(), &Action::PauseClock, rs()).unwrap().clock_paused);
        assert_eq!(transition(&c, &handler(), &Action::ResumeClock, rs()), Err(Refusal::NotPaused));
        c.clock_paused = true;
        assert_eq!(transition(&c, &handler(), &Action::PauseClock, rs()), Err(Refusal::AlreadyPaused));
        assert!(!transition(&c, &handler(), &Action::ResumeClock, rs()).unwrap().clock_paused);
    }

    #[test]
    fn a_settlement_records_the_amount_and_needs_the_agreement() {
        let c = case(Complaint, InMediation);
        let ok = sample(A::RecordSettlement);
        assert_eq!(transition(&c, &handler(), &ok, rs()).unwrap().recovered, Some(Fen(5000)));
        let empty = Action::RecordSettlement { recovered: Fen(1), agreement: Note::parse("").unwrap() };
        assert!(matches!(transition(&c, &handler(), &empty, rs()), Err(Refusal::Invalid(_))));
        let negative = Action::RecordSettlement { recovered: Fen(-1), agreement: Note::parse("协议").unwrap() };
        assert!(matches!(transition(&c, &handler(), &negative, rs()), Err(Refusal::Invalid(_))));
    }

    #[test]
    fn a_report_decision_opens_a_case_or_not() {
        let c = case(Report, UnderVerification);
        assert_eq!(transition(&c, &handler(), &Action::DecideReport { opened: false }, rs()).unwrap().to, NotOpened);
    }

    #[test]
    fn a_contest_answer_reopens_each_kind_where_its_work_resumes() {
        let reopen = Action::AnswerContest { reopen: true, answer: Note::parse("重新调解").unwrap() };
        for (kind, to) in [(Complaint, Accepted), (Report, UnderVerification), (Consultation, Received)] {
            assert_eq!(transition(&case(kind, Contested), &handler(), &reopen, rs()).unwrap().to, to);
        }
        let short = Action::Contest { reason: Note::parse("不").unwrap() };
        assert!(matches!(transition(&case(Complaint, Closed), &consumer(), &short, rs()), Err(Refusal::Invalid(_))));
        // Only staff answer a contest, only the consumer contests.
        assert!(matches!(
            transition(&case(Complaint, Contested), &consumer(), &reopen, rs()),
            Err(Refusal::Role { .. })
        ));
    }

    #[test]
    fn public_detail_never_carries_anything_but_what_the_consumer_may_read() {
        let m = Action::StartMediation {
            method: MediationMethod::OnSite,
            on_site: Some(OnSite { at: "2026-12-01T10:00".into(), place: Note::parse("调解室").unwrap() }),
        };
        assert_eq!(m.public_detail().as_deref(), Some("on_site\t2026-12-01T10:00\t调解室"));
        assert_eq!(Action::Accept.public_detail(), None);
        assert_eq!(Action::Refuse { ground: 1 }.public_detail(), None);
    }

    #[test]
    fn an_empty_answer_is_refused() {
        let c = case(Consultation, Received);
        let a = Action::Answer { answer: Note::parse(" ").unwrap() };
        assert!(matches!(transition(&c, &handler(), &a, rs()), Err(Refusal::Invalid(_))));
    }
}
