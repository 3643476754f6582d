//! What someone asks a case to do: the actions, their names and what the consumer may read of
//! each.

use crate::domain::fields::Note;
use crate::domain::money::Fen;
use serde::{Deserialize, Serialize};

/// What a business offers the consumer (or, for an explanation, no remedy beyond it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OdrRemedy {
    Refund,
    Repair,
    Replacement,
    Compensation,
    Explanation,
}

codes!(OdrRemedy {
    Refund => "refund",
    Repair => "repair",
    Replacement => "replacement",
    Compensation => "compensation",
    Explanation => "explanation",
});

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
    /// Sends the item to another province's market regulator (its division code), where the
    /// business operates or, for a merchant on a platform that cannot be reached, where the
    /// platform is registered.
    TransferOut {
        province: String,
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
    /// Staff extend the running period by the extension the rule set allows for it, once, with
    /// the reason (shown on the timeline).
    Extend {
        reason: Note,
    },
    /// A real-name reporter asks not to be told of the case any more (a report cannot be
    /// withdrawn; from then on the notice of the decision is no longer owed).
    StopNotices,
    /// The business answers a complaint of the ODR lane with an offer (the consumer decides).
    OdrOffer {
        remedy: OdrRemedy,
        amount: Fen,
        text: Note,
    },
    /// The business declines to settle, with its reason: the complaint goes on to the bureau.
    OdrDecline {
        reason: Note,
    },
    /// The consumer agrees to the business's offer: the dispute is settled by the business.
    AcceptOffer,
    /// The consumer does not agree: the complaint goes on to the bureau.
    RejectOffer {
        reason: Option<Note>,
    },
    /// The negotiation period ended without agreement: the portal passes the complaint on.
    PassOn,
    /// After a settlement by the business, the consumer's verdict was "not solved": they take
    /// the complaint to the bureau after all.
    ToBureau,
}

/// The name of an action, for tables, events and the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionName {
    Receive,
    Accept,
    Refuse,
    Transfer,
    TransferOut,
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
    Extend,
    StopNotices,
    OdrOffer,
    OdrDecline,
    AcceptOffer,
    RejectOffer,
    PassOn,
    ToBureau,
}

codes!(ActionName {
    Receive => "receive",
    Accept => "accept",
    Refuse => "refuse",
    Transfer => "transfer",
    TransferOut => "transfer_out",
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
    Extend => "extend",
    StopNotices => "stop_notices",
    OdrOffer => "odr_offer",
    OdrDecline => "odr_decline",
    AcceptOffer => "accept_offer",
    RejectOffer => "reject_offer",
    PassOn => "pass_on",
    ToBureau => "to_bureau",
});

impl Action {
    pub fn name(&self) -> ActionName {
        match self {
            Action::Accept => ActionName::Accept,
            Action::Refuse { .. } => ActionName::Refuse,
            Action::Transfer { .. } => ActionName::Transfer,
            Action::TransferOut { .. } => ActionName::TransferOut,
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
            Action::Extend { .. } => ActionName::Extend,
            Action::StopNotices => ActionName::StopNotices,
            Action::OdrOffer { .. } => ActionName::OdrOffer,
            Action::OdrDecline { .. } => ActionName::OdrDecline,
            Action::AcceptOffer => ActionName::AcceptOffer,
            Action::RejectOffer { .. } => ActionName::RejectOffer,
            Action::PassOn => ActionName::PassOn,
            Action::ToBureau => ActionName::ToBureau,
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
            // The province's division code; the page shows its name.
            Action::TransferOut { province } => Some(province.clone()),
            Action::StartMediation { method, on_site: Some(s) } if *method == MediationMethod::OnSite => {
                Some(format!("{}\t{}\t{}", method.code(), s.at, s.place.as_str()))
            }
            Action::StartMediation { method, .. } => Some(method.code().to_owned()),
            Action::RecordSettlement { agreement, .. } => Some(agreement.as_str().to_owned()),
            Action::Supplement { text } => text.as_ref().map(|t| t.as_str().to_owned()),
            Action::Contest { reason } => Some(reason.as_str().to_owned()),
            Action::AnswerContest { answer, .. } => Some(answer.as_str().to_owned()),
            Action::FollowUp { result } => Some(result.as_str().to_owned()),
            Action::Extend { reason } | Action::OdrDecline { reason } => Some(reason.as_str().to_owned()),
            Action::RejectOffer { reason } => reason.as_ref().map(|t| t.as_str().to_owned()),
            // Stored as `remedy\tamount in fen\ttext`; the page shows the remedy's name and the amount.
            Action::OdrOffer { remedy, amount, text } => {
                Some(format!("{}\t{}\t{}", remedy.code(), amount.0, text.as_str()))
            }
            _ => None,
        }
    }
}
