//! The staff action form: what a workflow step needs, as typed, parsed into an [`Action`] with
//! field errors. The console, the no-JavaScript form handler and the `case` command share it.

use super::error::{Checker, FieldError, Invalid};
use super::fields::{optional, Note};
use super::money::Fen;
use super::workflow::{Action, ActionName, MediationMethod, OnSite, Role};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    /// The action's code (`accept`, `refuse`, …).
    pub action: String,
    pub ground: String,
    pub to_bureau: String,
    /// The receiving province of a transfer out of the province (its division code).
    pub province: String,
    pub method: String,
    /// On-site mediation: `YYYY-MM-DDTHH:MM`.
    pub at: String,
    pub place: String,
    /// Amount recovered, in yuan (`199.50`); a business's offer: the amount offered.
    pub recovered: String,
    /// A business's offer: refund, repair, replacement, compensation or an explanation.
    pub remedy: String,
    pub agreement: String,
    /// An answer (consultation, contest).
    pub text: String,
    /// `yes` / `no` for a report's decision or a contest's answer.
    pub decision: String,
    /// The staff note, never shown to the consumer.
    pub note: String,
    /// The case version the form was made from.
    pub version: String,
}

fn yes_no(s: &str) -> Result<bool, Invalid> {
    match s {
        "yes" => Ok(true),
        "no" => Ok(false),
        "" => Err(Invalid::Required),
        _ => Err(Invalid::Choice),
    }
}

fn ground(s: &str) -> Result<u32, Invalid> {
    match s.trim() {
        "" => Err(Invalid::Required),
        g => g.parse().map_err(|_| Invalid::Choice),
    }
}

/// A choice that must be made (a bureau, a province).
fn chosen(s: &str) -> Result<(), Invalid> {
    if s.is_empty() {
        Err(Invalid::Required)
    } else {
        Ok(())
    }
}

fn required_note(s: &str) -> Result<Note, Invalid> {
    let n = Note::parse(s)?;
    match n.as_str().chars().count() {
        0 => Err(Invalid::Required),
        1 => Err(Invalid::TooShort { min: 2 }),
        _ => Ok(n),
    }
}

/// `YYYY-MM-DDTHH:MM` as a browser's `datetime-local` sends it.
fn local_time(s: &str) -> Result<String, Invalid> {
    let s = s.trim();
    if s.is_empty() {
        return Err(Invalid::Required);
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    time::PrimitiveDateTime::parse(s, fmt).map(|_| s.to_owned()).map_err(|_| Invalid::Date)
}

impl ActionForm {
    /// The action, its staff note and the version it was made from.
    pub fn parse(&self) -> Result<(Action, Option<String>, i64), Vec<FieldError>> {
        let mut c = Checker::new();
        let name = c.check("action", ActionName::from_code(&self.action).ok_or(Invalid::Choice));
        let version = c.check("version", self.version.parse::<i64>().map_err(|_| Invalid::Choice));
        let note = c.check("note", optional(&self.note, Note::parse));
        let action = match name {
            None => None,
            Some(ActionName::Accept) => Some(Action::Accept),
            Some(ActionName::Refuse) => c.check("ground", ground(&self.ground)).map(|g| Action::Refuse { ground: g }),
            Some(ActionName::Transfer) => c
                .check("to_bureau", chosen(&self.to_bureau))
                .map(|_| Action::Transfer { to_bureau: self.to_bureau.clone() }),
            Some(ActionName::TransferOut) => c
                .check("province", chosen(&self.province))
                .map(|_| Action::TransferOut { province: self.province.clone() }),
            Some(ActionName::StartMediation) => {
                let method = c.check(
                    "method",
                    if self.method.is_empty() {
                        Err(Invalid::Required)
                    } else {
                        MediationMethod::from_code(&self.method).ok_or(Invalid::Choice)
                    },
                );
                match method {
                    Some(MediationMethod::OnSite) => {
                        let at = c.check("at", local_time(&self.at));
                        let place = c.check("place", required_note(&self.place));
                        at.zip(place).map(|(at, place)| Action::StartMediation {
                            method: MediationMethod::OnSite,
                            on_site: Some(OnSite { at, place }),
                        })
                    }
                    Some(m) => Some(Action::StartMediation { method: m, on_site: None }),
                    None => None,
                }
            }
            Some(ActionName::PauseClock) => Some(Action::PauseClock),
            Some(ActionName::ResumeClock) => Some(Action::ResumeClock),
            Some(ActionName::RecordSettlement) => {
                let recovered = c.check(
                    "recovered",
                    if self.recovered.trim().is_empty() {
                        Err(Invalid::Required)
                    } else {
                        Fen::parse_yuan(&self.recovered)
                    },
                );
                let agreement = c.check("agreement", required_note(&self.agreement));
                recovered.zip(agreement).map(|(recovered, agreement)| Action::RecordSettlement { recovered, agreement })
            }
            Some(ActionName::TerminateMediation) => {
                c.check("ground", ground(&self.ground)).map(|g| Action::TerminateMediation { ground: g })
            }
            Some(ActionName::Close) => Some(Action::Close),
            Some(ActionName::Answer) => {
                c.check("text", required_note(&self.text)).map(|t| Action::Answer { answer: t })
            }
            Some(ActionName::StartVerification) => Some(Action::StartVerification),
            Some(ActionName::DecideReport) => {
                c.check("decision", yes_no(&self.decision)).map(|opened| Action::DecideReport { opened })
            }
            Some(ActionName::AnswerContest) => {
                let reopen = c.check("decision", yes_no(&self.decision));
                let answer = c.check("text", required_note(&self.text));
                reopen.zip(answer).map(|(reopen, answer)| Action::AnswerContest { reopen, answer })
            }
            Some(ActionName::FollowUp) => {
                c.check("text", required_note(&self.text)).map(|t| Action::FollowUp { result: t })
            }
            // An extension's reason is shown to the consumer on the timeline.
            Some(ActionName::Extend) => {
                c.check("text", required_note(&self.text)).map(|t| Action::Extend { reason: t })
            }
            // A reassignment always gives its reason (in the note).
            Some(ActionName::Reassign) => {
                let to = c.check("to_bureau", chosen(&self.to_bureau));
                let reason = c.check("note", required_note(&self.note));
                to.and(reason).map(|_| Action::Reassign { to_bureau: self.to_bureau.clone() })
            }
            // A business's answer: what it offers (an amount, zero for an explanation or a repair
            // at its cost) and in words; or why it will not settle.
            Some(ActionName::OdrOffer) => {
                let remedy = c.check(
                    "remedy",
                    if self.remedy.is_empty() {
                        Err(Invalid::Required)
                    } else {
                        crate::domain::odr::OdrRemedy::from_code(&self.remedy).ok_or(Invalid::Choice)
                    },
                );
                let amount =
                    c.check("recovered", optional(&self.recovered, Fen::parse_yuan).map(|a| a.unwrap_or(Fen(0))));
                let text = c.check("text", required_note(&self.text));
                remedy.zip(amount).zip(text).map(|((remedy, amount), text)| Action::OdrOffer { remedy, amount, text })
            }
            Some(ActionName::OdrDecline) => {
                c.check("text", required_note(&self.text)).map(|t| Action::OdrDecline { reason: t })
            }
            // The consumer's own steps and the portal's are not staff actions.
            Some(
                ActionName::Receive
                | ActionName::AcceptOffer
                | ActionName::RejectOffer
                | ActionName::PassOn
                | ActionName::ToBureau
                | ActionName::Withdraw
                | ActionName::Supplement
                | ActionName::Rate
                | ActionName::Contest
                | ActionName::StopNotices,
            ) => {
                c.check::<()>("action", Err(Invalid::Choice));
                None
            }
        };
        c.finish(|| Some((action?, note?.map(|n| n.as_str().to_owned()).filter(|n| !n.is_empty()), version?)))
    }

    /// [`parse`](Self::parse) for a staff member of `role`. A supervisor steps over the bureau's
    /// handling, so every step of theirs records why (the note is required).
    pub fn parse_for(&self, role: Role) -> Result<(Action, Option<String>, i64), Vec<FieldError>> {
        let parsed = self.parse();
        if role != Role::Supervisor || ActionName::from_code(&self.action) == Some(ActionName::Reassign) {
            return parsed;
        }
        match (parsed, required_note(&self.note)) {
            (Ok(p), Ok(_)) => Ok(p),
            (Ok(_), Err(e)) => Err(vec![FieldError::new("note", e)]),
            (Err(mut errs), Err(e)) if !errs.iter().any(|x| x.field == "note") => {
                errs.push(FieldError::new("note", e));
                Err(errs)
            }
            (Err(errs), _) => Err(errs),
        }
    }
}

/// The staff actions, in the order the console offers them.
pub const STAFF_ACTIONS: &[ActionName] = &[
    ActionName::Accept,
    ActionName::Refuse,
    ActionName::Transfer,
    ActionName::TransferOut,
    ActionName::StartMediation,
    ActionName::PauseClock,
    ActionName::ResumeClock,
    ActionName::Extend,
    ActionName::RecordSettlement,
    ActionName::TerminateMediation,
    ActionName::Close,
    ActionName::Answer,
    ActionName::StartVerification,
    ActionName::DecideReport,
    ActionName::AnswerContest,
    ActionName::FollowUp,
    ActionName::Reassign,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn form(action: &str) -> ActionForm {
        ActionForm { action: action.into(), version: "3".into(), ..Default::default() }
    }

    #[test]
    fn each_staff_action_asks_for_what_the_rules_require() {
        assert_eq!(form("accept").parse(), Ok((Action::Accept, None, 3)));
        let fields = |f: ActionForm| f.parse().unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(form("refuse")), ["ground"]);
        assert_eq!(fields(form("transfer")), ["to_bureau"]);
        assert_eq!(fields(form("transfer_out")), ["province"]);
        assert_eq!(fields(form("start_mediation")), ["method"]);
        assert_eq!(fields(ActionForm { method: "on_site".into(), ..form("start_mediation") }), ["at", "place"]);
        assert_eq!(fields(form("record_settlement")), ["recovered", "agreement"]);
        assert_eq!(fields(form("terminate_mediation")), ["ground"]);
        assert_eq!(fields(form("answer")), ["text"]);
        assert_eq!(fields(form("decide_report")), ["decision"]);
        assert_eq!(fields(form("answer_contest")), ["decision", "text"]);
        assert_eq!(fields(form("follow_up")), ["text"]);
        assert_eq!(fields(form("extend")), ["text"], "an extension gives its reason");
        assert_eq!(fields(form("withdraw")), ["action"], "a consumer's step is not a staff action");
        assert_eq!(fields(form("reassign")), ["to_bureau", "note"], "a reassignment gives its reason");
        assert_eq!(fields(ActionForm { version: "x".into(), ..form("accept") }), ["version"]);
        assert_eq!(fields(form("odr_offer")), ["remedy", "text"], "an offer says what and in words");
        assert_eq!(fields(ActionForm { remedy: "gift".into(), ..form("odr_offer") }), ["remedy", "text"]);
        assert_eq!(fields(form("odr_decline")), ["text"], "a business says why it will not settle");
        assert_eq!(fields(form("accept_offer")), ["action"], "the consumer's yes is not a form of this kind");
        assert_eq!(fields(form("pass_on")), ["action"], "only the portal passes a complaint on");
        let f = ActionForm {
            remedy: "refund".into(),
            recovered: "199".into(),
            text: "全额退款".into(),
            ..form("odr_offer")
        };
        assert!(matches!(f.parse().unwrap().0, Action::OdrOffer { amount: Fen(19900), .. }));
    }

    #[test]
    fn a_supervisors_step_needs_a_reason_and_a_handlers_does_not() {
        assert_eq!(form("accept").parse_for(Role::Handler), Ok((Action::Accept, None, 3)));
        let errs = form("accept").parse_for(Role::Supervisor).unwrap_err();
        assert_eq!(errs, vec![FieldError::new("note", Invalid::Required)]);
        let errs = form("refuse").parse_for(Role::Supervisor).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["ground", "note"]);
        let f = ActionForm { note: "承办局超期未处理，督办代为受理".into(), ..form("accept") };
        assert_eq!(f.parse_for(Role::Supervisor).unwrap().1.as_deref(), Some("承办局超期未处理，督办代为受理"));
        let r = ActionForm { to_bureau: "632801".into(), note: "属地管辖有误".into(), ..form("reassign") };
        assert_eq!(r.parse_for(Role::Supervisor).unwrap().0, Action::Reassign { to_bureau: "632801".into() });
    }

    #[test]
    fn filled_forms_become_actions_with_their_note() {
        let f = ActionForm {
            method: "on_site".into(),
            at: "2026-12-01T10:00".into(),
            place: "城东区市场监管局调解室".into(),
            note: " 已电话通知双方 ".into(),
            ..form("start_mediation")
        };
        let (a, note, v) = f.parse().unwrap();
        assert!(matches!(a, Action::StartMediation { method: MediationMethod::OnSite, on_site: Some(_) }));
        assert_eq!((note.as_deref(), v), (Some("已电话通知双方"), 3));
        let f = ActionForm { recovered: "299.50".into(), agreement: "退款".into(), ..form("record_settlement") };
        assert!(matches!(f.parse().unwrap().0, Action::RecordSettlement { recovered: Fen(29950), .. }));
        let f = ActionForm { recovered: "-1".into(), agreement: "退款".into(), ..form("record_settlement") };
        assert_eq!(f.parse().unwrap_err()[0].field, "recovered");
        let f = ActionForm {
            at: "tomorrow".into(),
            place: "x室".into(),
            method: "on_site".into(),
            ..form("start_mediation")
        };
        assert_eq!(f.parse().unwrap_err(), vec![FieldError::new("at", Invalid::Date)]);
    }
}
