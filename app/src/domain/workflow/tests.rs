//! Unit tests of `domain::workflow`.

use super::*;
use crate::domain::fields::Note;
use crate::domain::rules;
use ActionName as A;
use CaseState::*;
use ItemKind::*;

fn rs() -> &'static RuleSet {
    rules::get("samr-order-121").unwrap()
}

fn case(kind: ItemKind, state: CaseState) -> CaseSnapshot {
    CaseSnapshot {
        kind,
        state,
        bureau: "630102".into(),
        clock_paused: false,
        odr_business: Some(SHOP.into()),
        odr_offer: None,
        history: Vec::new(),
    }
}

/// The credit code of the business the sample complaints went to first.
const SHOP: &str = "91630100MA752XXXXY";

fn shop() -> Actor {
    Actor { role: Role::Business, bureau: None, business: Some(SHOP.into()) }
}

fn handler() -> Actor {
    Actor { role: Role::Handler, bureau: Some("630102".into()), business: None }
}

fn consumer() -> Actor {
    Actor { role: Role::Consumer, bureau: None, business: None }
}

fn sample(name: ActionName) -> Action {
    match name {
        A::Receive | A::Accept => Action::Accept,
        A::Refuse => Action::Refuse { ground: 1 },
        A::Transfer => Action::Transfer { to_bureau: "630103".into() },
        A::TransferOut => Action::TransferOut { province: "330000".into() },
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
        A::AnswerContest => Action::AnswerContest { reopen: false, answer: Note::parse("经核实已退款").unwrap() },
        A::FollowUp => Action::FollowUp { result: Note::parse("电话回访：消费者表示满意").unwrap() },
        A::Reassign => Action::Reassign { to_bureau: "632801".into() },
        A::Extend => Action::Extend { reason: Note::parse("需调取外省物流记录").unwrap() },
        A::StopNotices => Action::StopNotices,
        A::OdrOffer => Action::OdrOffer {
            remedy: crate::domain::odr::OdrRemedy::Refund,
            amount: Fen(19900),
            text: Note::parse("同意全额退款，三日内到账").unwrap(),
        },
        A::OdrDecline => Action::OdrDecline { reason: Note::parse("商品已超过退货期").unwrap() },
        A::AcceptOffer => Action::AcceptOffer,
        A::RejectOffer => Action::RejectOffer { reason: None },
        A::PassOn => Action::PassOn,
        A::ToBureau => Action::ToBureau,
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
    (Complaint, Received, A::TransferOut, TransferredOut),
    (Complaint, Transferred, A::TransferOut, TransferredOut),
    (Complaint, Received, A::Withdraw, Withdrawn),
    (Complaint, Transferred, A::Withdraw, Withdrawn),
    (Complaint, Accepted, A::Withdraw, MediationTerminated),
    (Complaint, InMediation, A::Withdraw, MediationTerminated),
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
    (Report, Received, A::TransferOut, TransferredOut),
    (Report, Transferred, A::TransferOut, TransferredOut),
    (Report, UnderVerification, A::DecideReport, CaseOpened),
    (Report, CaseOpened, A::Close, Closed),
    (Report, NotOpened, A::Close, Closed),
    (Report, Received, A::StopNotices, Received),
    (Report, Transferred, A::StopNotices, Transferred),
    (Report, UnderVerification, A::StopNotices, UnderVerification),
    (Report, CaseOpened, A::StopNotices, CaseOpened),
    (Report, NotOpened, A::StopNotices, NotOpened),
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
    (Complaint, WithBusiness, A::OdrOffer, BusinessOffered),
    (Complaint, BusinessOffered, A::OdrOffer, BusinessOffered),
    (Complaint, WithBusiness, A::OdrDecline, Received),
    (Complaint, BusinessOffered, A::OdrDecline, Received),
    (Complaint, WithBusiness, A::PassOn, Received),
    (Complaint, BusinessOffered, A::PassOn, Received),
    (Complaint, BusinessOffered, A::AcceptOffer, Closed),
    (Complaint, BusinessOffered, A::RejectOffer, Received),
    (Complaint, WithBusiness, A::Withdraw, Withdrawn),
    (Complaint, BusinessOffered, A::Withdraw, Withdrawn),
    (Report, Closed, A::FollowUp, Closed),
    (Consultation, Closed, A::FollowUp, Closed),
];

/// Where an extension is possible under Order 121: only the report's period has one; other
/// periods (complaints, the notice to the reporter) are refused as not extendable.
fn extension(kind: ItemKind, state: CaseState) -> Option<Result<CaseState, Refusal>> {
    match (kind, state) {
        (Report, Received | Transferred | UnderVerification) => Some(Ok(state)),
        (
            Complaint,
            Received | Transferred | Refused | Accepted | InMediation | MediationTerminated | WithBusiness
            | BusinessOffered,
        )
        | (Report, CaseOpened | NotOpened) => Some(Err(Refusal::NotExtendable)),
        _ => None,
    }
}

/// A supplement is possible in every open state and changes nothing.
fn supplement_allowed(state: CaseState) -> Option<CaseState> {
    state.is_open().then_some(state)
}

/// A supervisor may reassign every case not yet closed, withdrawn or sent to another province;
/// its stage stays.
fn reassignable(state: CaseState) -> bool {
    !matches!(state, Closed | Withdrawn | TransferredOut)
}

fn actor_for(name: ActionName) -> Actor {
    match name {
        A::Withdraw
        | A::Supplement
        | A::Rate
        | A::Contest
        | A::StopNotices
        | A::AcceptOffer
        | A::RejectOffer
        | A::ToBureau => consumer(),
        A::OdrOffer | A::OdrDecline => shop(),
        A::PassOn => Actor { role: Role::System, bureau: None, business: None },
        A::Reassign => Actor { role: Role::Supervisor, bureau: None, business: None },
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
                    supplement_allowed(state).map(Ok)
                } else if name == A::Reassign {
                    reassignable(state).then_some(Ok(state))
                } else if name == A::Extend {
                    extension(kind, state)
                } else {
                    ALLOWED.iter().find(|r| r.0 == kind && r.1 == state && r.2 == name).map(|r| Ok(r.3))
                };
                let got = transition(&c, &actor_for(name), &sample(name), rs()).map(|o| o.to);
                match expected {
                    Some(to) => assert_eq!(got, to, "{kind:?} {state:?} {name:?}"),
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
    assert_eq!(checked, 3 * 16 * 28);
}

#[test]
fn closed_withdrawn_refused_and_transferred_out_cases_are_not_open() {
    for s in CaseState::ALL {
        assert_eq!(s.is_open(), !matches!(s, Closed | Withdrawn | Refused | TransferredOut), "{s:?}");
    }
}

#[test]
fn only_the_listed_roles_may_act() {
    let c = case(Complaint, Received);
    for role in [Role::Consumer, Role::Admin, Role::System] {
        let a = Actor { role, bureau: Some("630102".into()), business: None };
        assert_eq!(transition(&c, &a, &Action::Accept, rs()), Err(Refusal::Role { role, action: A::Accept }));
    }
    let staff = Actor { role: Role::Supervisor, bureau: None, business: None };
    assert_eq!(
        transition(&c, &staff, &Action::Withdraw, rs()),
        Err(Refusal::Role { role: Role::Supervisor, action: A::Withdraw })
    );
    assert!(transition(&c, &staff, &Action::Accept, rs()).is_ok());
}

#[test]
fn a_handler_acts_only_on_cases_of_their_own_bureau() {
    let c = case(Complaint, Received);
    let other = Actor { role: Role::Handler, bureau: Some("632801".into()), business: None };
    assert_eq!(transition(&c, &other, &Action::Accept, rs()), Err(Refusal::OtherBureau));
    let none = Actor { role: Role::Handler, bureau: None, business: None };
    assert_eq!(transition(&c, &none, &Action::Accept, rs()), Err(Refusal::OtherBureau));
}

#[test]
fn a_business_answers_only_the_complaints_of_the_lane_made_about_it() {
    let c = case(Complaint, WithBusiness);
    let offer = sample(A::OdrOffer);
    assert_eq!(transition(&c, &shop(), &offer, rs()).unwrap().offer, Some(Fen(19900)));
    let other = Actor { business: Some("91630100MA752YYYY0".into()), ..shop() };
    assert_eq!(transition(&c, &other, &offer, rs()), Err(Refusal::OtherBureau));
    let unbound = Actor { business: None, ..shop() };
    assert_eq!(transition(&c, &unbound, &offer, rs()), Err(Refusal::OtherBureau));
    // A complaint outside the lane has no business to match, whatever the account.
    let outside = CaseSnapshot { odr_business: None, ..c.clone() };
    assert_eq!(transition(&outside, &unbound, &offer, rs()), Err(Refusal::OtherBureau));
    // A business takes no step of the bureau's, and the bureau none of the business's.
    assert_eq!(
        transition(&case(Complaint, Received), &shop(), &Action::Accept, rs()),
        Err(Refusal::Role { role: Role::Business, action: A::Accept })
    );
    assert_eq!(
        transition(&c, &handler(), &offer, rs()),
        Err(Refusal::Role { role: Role::Handler, action: A::OdrOffer })
    );
}

#[test]
fn an_accepted_offer_is_what_the_consumer_recovers_and_an_empty_answer_is_refused() {
    let mut c = case(Complaint, BusinessOffered);
    c.odr_offer = Some(Fen(19900));
    let out = transition(&c, &consumer(), &Action::AcceptOffer, rs()).unwrap();
    assert_eq!((out.to, out.recovered), (Closed, Some(Fen(19900))));
    let thin = Action::OdrDecline { reason: Note::parse("不").unwrap() };
    assert!(matches!(transition(&c, &shop(), &thin, rs()), Err(Refusal::Invalid(_))));
    let negative = Action::OdrOffer {
        remedy: crate::domain::odr::OdrRemedy::Compensation,
        amount: Fen(-1),
        text: Note::parse("赔偿").unwrap(),
    };
    assert!(matches!(transition(&c, &shop(), &negative, rs()), Err(Refusal::Invalid(_))));
}

#[test]
fn an_intake_operator_routes_only_what_is_at_the_centre() {
    let op = Actor { role: Role::IntakeOperator, bureau: Some(CENTRE.into()), business: None };
    let mut c = case(Complaint, Received);
    c.bureau = CENTRE.into();
    let out = transition(&c, &op, &Action::Transfer { to_bureau: "630102".into() }, rs()).unwrap();
    assert_eq!((out.to, out.bureau.as_str()), (Transferred, "630102"));
    c.bureau = "630102".into();
    assert_eq!(transition(&c, &op, &Action::Transfer { to_bureau: "630103".into() }, rs()), Err(Refusal::OtherBureau));
}

#[test]
fn grounds_must_exist_in_the_cases_rule_set() {
    let c = case(Complaint, Received);
    let old = rules::get("samr-interim-2022").unwrap();
    // Ground 7 exists under Order 121 but not under the Interim Measures.
    assert!(transition(&c, &handler(), &Action::Refuse { ground: 7 }, rs()).is_ok());
    assert_eq!(transition(&c, &handler(), &Action::Refuse { ground: 7 }, old), Err(Refusal::UnknownGround { no: 7 }));
    assert_eq!(transition(&c, &handler(), &Action::Refuse { ground: 0 }, rs()), Err(Refusal::UnknownGround { no: 0 }));
    let m = case(Complaint, InMediation);
    assert_eq!(
        transition(&m, &handler(), &Action::TerminateMediation { ground: 8 }, old),
        Err(Refusal::UnknownGround { no: 8 })
    );
    assert_eq!(transition(&m, &handler(), &Action::TerminateMediation { ground: 8 }, rs()).unwrap().ground, Some(8));
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
fn a_transfer_out_of_the_province_names_another_province_and_ends_the_clock_here() {
    let c = case(Complaint, Received);
    for bad in ["", "630000", "330100", "999999"] {
        assert_eq!(
            transition(&c, &handler(), &Action::TransferOut { province: bad.into() }, rs()),
            Err(Refusal::Invalid(vec![FieldError::new("province", crate::domain::Invalid::Choice)])),
            "{bad:?}"
        );
    }
    let out = transition(&c, &handler(), &Action::TransferOut { province: "330000".into() }, rs()).unwrap();
    assert_eq!((out.to, out.bureau.as_str()), (TransferredOut, "630102"), "the bureau that sent it stays on record");
    assert_eq!(phase(Complaint, TransferredOut), None, "no period of this portal runs");
    assert_eq!(
        Action::TransferOut { province: "330000".into() }.public_detail().as_deref(),
        Some("330000"),
        "the consumer reads where it went"
    );
    let op = Actor { role: Role::IntakeOperator, bureau: Some(CENTRE.into()), business: None };
    let mut at_centre = case(Report, Received);
    at_centre.bureau = CENTRE.into();
    assert!(transition(&at_centre, &op, &Action::TransferOut { province: "510000".into() }, rs()).is_ok());
}

#[test]
fn on_site_mediation_needs_time_and_place() {
    let c = case(Complaint, Accepted);
    let bare = Action::StartMediation { method: MediationMethod::OnSite, on_site: None };
    assert!(matches!(transition(&c, &handler(), &bare, rs()), Err(Refusal::Invalid(_))));
    let full = Action::StartMediation {
        method: MediationMethod::OnSite,
        on_site: Some(OnSite {
            at: "2026-12-01T10:00".into(), place: Note::parse("城东区市场监管局调解室").unwrap()
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

fn step(action: ActionName, from: CaseState, to: CaseState) -> Step {
    Step { action, on: time::macros::date!(2026 - 11 - 02), from: Some(from), to }
}

#[test]
fn a_contest_answer_reopens_the_decision_that_is_contested() {
    let reopen = Action::AnswerContest { reopen: true, answer: Note::parse("重新调解").unwrap() };
    let closed_from = |kind, from| {
        let mut c = case(kind, Contested);
        c.history = vec![step(A::Close, from, Closed), step(A::Contest, Closed, Contested)];
        c
    };
    for (c, to) in [
        // A contested refusal: the acceptance decision is taken again.
        (closed_from(Complaint, Refused), Received),
        (closed_from(Complaint, Settled), Accepted),
        (closed_from(Complaint, MediationTerminated), Accepted),
        (closed_from(Report, NotOpened), UnderVerification),
        (closed_from(Report, CaseOpened), UnderVerification),
        (case(Consultation, Contested), Received),
        (case(Complaint, Contested), Accepted),
    ] {
        assert_eq!(transition(&c, &handler(), &reopen, rs()).unwrap().to, to, "{:?}", c.history);
    }
    let short = Action::Contest { reason: Note::parse("不").unwrap() };
    assert!(matches!(transition(&case(Complaint, Closed), &consumer(), &short, rs()), Err(Refusal::Invalid(_))));
    // Only staff answer a contest, only the consumer contests.
    assert!(matches!(transition(&case(Complaint, Contested), &consumer(), &reopen, rs()), Err(Refusal::Role { .. })));
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

#[test]
fn a_withdrawal_after_acceptance_ends_the_mediation_on_the_rule_sets_ground() {
    for state in [Accepted, InMediation] {
        let mut c = case(Complaint, state);
        c.clock_paused = state == InMediation;
        let out = transition(&c, &consumer(), &Action::Withdraw, rs()).unwrap();
        assert_eq!((out.to, out.ground, out.clock_paused), (MediationTerminated, Some(rs().withdrawal_ground), false));
        assert!(rs().termination_ground(rs().withdrawal_ground).unwrap().zh.contains("撤回"));
    }
    let before = transition(&case(Complaint, Received), &consumer(), &Action::Withdraw, rs()).unwrap();
    assert_eq!((before.to, before.ground), (Withdrawn, None));
    let report = transition(&case(Report, Received), &consumer(), &Action::Withdraw, rs());
    assert!(matches!(report, Err(Refusal::NotInThisState { .. })), "a report is not withdrawn");
}

#[test]
fn a_period_is_extended_once_with_a_reason() {
    let mut c = case(Report, UnderVerification);
    let ext = sample(A::Extend);
    assert_eq!(transition(&c, &handler(), &ext, rs()).unwrap().to, UnderVerification);
    let short = Action::Extend { reason: Note::parse("久").unwrap() };
    assert!(matches!(transition(&c, &handler(), &short, rs()), Err(Refusal::Invalid(_))));
    c.history = vec![
        step(A::StartVerification, Received, UnderVerification),
        step(A::Extend, UnderVerification, UnderVerification),
    ];
    assert_eq!(transition(&c, &handler(), &ext, rs()), Err(Refusal::NotExtendable));
    // Reopened after a contest: a new period, which may be extended again.
    c.history.extend([
        step(A::DecideReport, UnderVerification, NotOpened),
        step(A::Close, NotOpened, Closed),
        step(A::Contest, Closed, Contested),
        step(A::AnswerContest, Contested, UnderVerification),
    ]);
    assert!(transition(&c, &handler(), &ext, rs()).is_ok());
    assert!(matches!(transition(&c, &consumer(), &ext, rs()), Err(Refusal::Role { .. })));
}

#[test]
fn a_consumer_not_helped_by_the_business_settlement_takes_it_to_the_bureau() {
    use crate::domain::tracking::RatingOutcome;
    let on = time::macros::date!(2026 - 03 - 02);
    let settled = vec![
        Step::taken(A::Receive, on, WithBusiness, WithBusiness),
        Step::taken(A::OdrOffer, on, WithBusiness, BusinessOffered),
        Step::taken(A::AcceptOffer, on, BusinessOffered, Closed),
        Step::taken(A::Rate, on, Closed, Closed),
    ];
    let mut c = case(Complaint, Closed);
    c.history = settled.clone();
    let out = transition(&c, &consumer(), &Action::ToBureau, rs()).unwrap();
    assert_eq!(out.to, Received);
    assert!(transition(&c, &handler(), &Action::ToBureau, rs()).is_err(), "the consumer's own step");
    // Only after "not solved" (the service asks the domain with the verdict).
    assert!(crate::domain::odr::may_go_to_bureau(Closed, &settled, Some(RatingOutcome::NotResolved)));
    assert!(!crate::domain::odr::may_go_to_bureau(Closed, &settled, Some(RatingOutcome::Partly)));
    assert!(!crate::domain::odr::may_go_to_bureau(Closed, &settled, None));
    // A case closed by the bureau, or reopened and closed again, has no such way.
    c.history.push(Step::taken(A::Contest, on, Closed, Contested));
    c.history.push(Step::taken(A::AnswerContest, on, Contested, Closed));
    assert!(!settled_by_business(&c.history));
    assert_eq!(
        transition(&c, &consumer(), &Action::ToBureau, rs()),
        Err(Refusal::NotInThisState { kind: Complaint, state: Closed, action: A::ToBureau })
    );
    // The bureau's acceptance period then runs from that day, as after a pass-on.
    let mut after = settled;
    after.push(Step::taken(A::ToBureau, on, Closed, Received));
    let cal = crate::domain::calendar::WorkCalendar::china();
    let cd = crate::domain::period::countdown(Complaint, false, Received, on, &after, rs(), cal);
    assert_eq!(cd.map(|c| (c.start, c.start_on)), Some((crate::domain::period::Start::PassOn, on)));
}
