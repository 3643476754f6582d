//! Telling people: which steps the consumer is told of, when a message may go out (quiet hours),
//! how often a failed sending is tried again, and how long a text message is. Pure: the store
//! writes the notices a step owes in the step's own transaction (a transactional outbox) and a
//! sender in each server delivers them.

use crate::domain::workflow::{ActionName, CaseState};
use serde::{Deserialize, Serialize};

/// What a message tells the consumer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoticeKind {
    /// The item was received: its number, and (online, once) its query code.
    Receipt,
    Accepted,
    /// Not accepted, with the numbered ground.
    Refused,
    /// Sent to another bureau (its name).
    Transferred,
    /// Sent to another province's regulator.
    TransferredOut,
    Mediation,
    Settled,
    /// Mediation ended without agreement, with the numbered ground.
    Terminated,
    /// Closed: with the invitation to rate the handling.
    Closed,
    /// A consultation answered.
    Answered,
    /// The decision on a report.
    ReportDecided,
    ContestAnswered,
    Extended,
    Paused,
    /// To staff, each morning: the cases of their remit overdue, due today and due soon.
    Digest,
    /// A one-time code to a consumer who lost a query code (no case: it proves the number).
    Code,
    /// The business of the ODR lane made an offer: the consumer says yes or no on the case page.
    OdrOffer,
    /// The business declined, or its time ran out: the complaint went on to the bureau.
    OdrPassed,
    /// To the business, by e-mail: a new complaint in its lane, with the day its time ends.
    BusinessNew,
    /// To the business, by e-mail: the time of a complaint in its lane ends soon.
    BusinessDue,
    /// To the consumer, some time after closing: did the handling solve the problem?
    VerdictAsk,
    /// To an address subscribing to the alerts of a business or a county: confirm it.
    AlertConfirm,
    /// To a confirmed subscriber, at most weekly: the complaints newly disclosed.
    AlertDigest,
}

/// Who a message of a case goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The case's consumer, on every contact they gave.
    Consumer,
    /// The business of the ODR lane the complaint went to, at the register's e-mail address.
    Business,
    /// An address subscribed to alerts (no case).
    Subscriber,
}

codes!(NoticeKind {
    Receipt => "receipt",
    Accepted => "accepted",
    Refused => "refused",
    Transferred => "transferred",
    TransferredOut => "transferred_out",
    Mediation => "mediation",
    Settled => "settled",
    Terminated => "terminated",
    Closed => "closed",
    Answered => "answered",
    ReportDecided => "report_decided",
    ContestAnswered => "contest_answered",
    Extended => "extended",
    Paused => "paused",
    Digest => "digest",
    Code => "code",
    OdrOffer => "odr_offer",
    OdrPassed => "odr_passed",
    BusinessNew => "business_new",
    BusinessDue => "business_due",
    VerdictAsk => "verdict_ask",
    AlertConfirm => "alert_confirm",
    AlertDigest => "alert_digest",
});

impl NoticeKind {
    /// The message a step owes the consumer, if any: staff steps that change what the consumer
    /// waits for. The consumer's own steps (supplement, withdraw, rate, contest) owe none.
    pub fn of_step(action: ActionName, to: CaseState) -> Option<Self> {
        use ActionName as A;
        Some(match action {
            A::Receive => NoticeKind::Receipt,
            A::Accept => NoticeKind::Accepted,
            A::Refuse => NoticeKind::Refused,
            A::Transfer | A::Reassign => NoticeKind::Transferred,
            A::TransferOut => NoticeKind::TransferredOut,
            A::StartMediation => NoticeKind::Mediation,
            A::RecordSettlement => NoticeKind::Settled,
            A::TerminateMediation => NoticeKind::Terminated,
            A::Close if to == CaseState::Closed => NoticeKind::Closed,
            A::Answer => NoticeKind::Answered,
            A::DecideReport => NoticeKind::ReportDecided,
            A::AnswerContest => NoticeKind::ContestAnswered,
            A::Extend => NoticeKind::Extended,
            A::PauseClock => NoticeKind::Paused,
            A::OdrOffer => NoticeKind::OdrOffer,
            A::OdrDecline | A::PassOn => NoticeKind::OdrPassed,
            _ => return None,
        })
    }

    /// Who the message goes to.
    pub fn audience(self) -> Audience {
        match self {
            NoticeKind::BusinessNew | NoticeKind::BusinessDue => Audience::Business,
            NoticeKind::AlertConfirm | NoticeKind::AlertDigest => Audience::Subscriber,
            _ => Audience::Consumer,
        }
    }

    /// Whether a case is owed this message at most once on each channel (the store keeps a
    /// second one from being written).
    pub fn once(self) -> bool {
        matches!(self, NoticeKind::BusinessNew | NoticeKind::BusinessDue | NoticeKind::VerdictAsk)
    }

    /// A decision the consumer must be told of whatever they asked (the receipt, the acceptance
    /// decision, a refusal, a transfer and the decision on a report): sent even to a consumer
    /// who asked for no more messages. A reporter who asked not to be told of the decision on
    /// the report is not sent that one (the workflow's `stop_notices`).
    pub fn required(self) -> bool {
        matches!(
            self,
            NoticeKind::Receipt
                | NoticeKind::Accepted
                | NoticeKind::Refused
                | NoticeKind::Transferred
                | NoticeKind::TransferredOut
                | NoticeKind::ReportDecided
                | NoticeKind::OdrPassed
        )
    }
}

/// The message a staff step `action` (leading to `to`) owes the consumer, with what it says
/// besides the case number: the ground's number, the bureau or province it went to. A reporter
/// who asked not to be told (`notices_stopped`) is not sent the decision on the report.
pub fn notice_for(
    action: &crate::domain::workflow::Action,
    to: CaseState,
    notices_stopped: bool,
) -> Option<(NoticeKind, Vec<(String, String)>)> {
    use crate::domain::workflow::Action as A;
    let kind = NoticeKind::of_step(action.name(), to)?;
    if kind == NoticeKind::ReportDecided && notices_stopped {
        return None;
    }
    let param = |k: &str, v: String| vec![(k.to_owned(), v)];
    let params = match action {
        A::Refuse { ground } | A::TerminateMediation { ground } => param("ground", ground.to_string()),
        A::Transfer { to_bureau } | A::Reassign { to_bureau } => param("bureau", to_bureau.clone()),
        A::TransferOut { province } => param("province", province.clone()),
        // On site: when and where, which the parties are told in advance.
        A::StartMediation { on_site: Some(s), .. } => {
            vec![("when".to_owned(), s.at.replace('T', " ")), ("place".to_owned(), s.place.as_str().to_owned())]
        }
        _ => Vec::new(),
    };
    Some((kind, params))
}

/// How a message goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoticeChannel {
    Sms,
    Email,
}

codes!(NoticeChannel { Sms => "sms", Email => "email" });

/// Which channels a server can send through (the others' messages wait in the outbox).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Channels {
    pub sms: bool,
    pub email: bool,
}

/// Where a message stands in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoticeState {
    /// Waiting to be sent (or to be tried again).
    Pending,
    Sent,
    /// Given up after [`MAX_ATTEMPTS`]; staff may send it again.
    Failed,
}

codes!(NoticeState { Pending => "pending", Sent => "sent", Failed => "failed" });

const HOUR_MS: i64 = 3_600_000;
const CHINA_MS: i64 = 8 * HOUR_MS;

/// When a message of `kind` written at `now_ms` may go out by text message: at once, except
/// between 22:00 and 08:00 China time, when it waits for 08:00 (the receipt goes at once, since
/// the consumer has just filed and waits for it).
pub fn sms_due_at(kind: NoticeKind, now_ms: i64) -> i64 {
    // A receipt, or a code the consumer waits for on the page: at once, whatever the hour.
    if matches!(kind, NoticeKind::Receipt | NoticeKind::Code) {
        return now_ms;
    }
    let day_ms = 24 * HOUR_MS;
    let local = now_ms + CHINA_MS;
    let into_day = local.rem_euclid(day_ms);
    let (quiet_from, quiet_to) = (22 * HOUR_MS, 8 * HOUR_MS);
    if into_day >= quiet_from {
        now_ms - into_day + day_ms + quiet_to
    } else if into_day < quiet_to {
        now_ms - into_day + quiet_to
    } else {
        now_ms
    }
}

/// The first minute of China time each day at which the morning digest goes to staff (08:00).
pub fn digest_due(now_ms: i64) -> Option<time::Date> {
    let local = now_ms + CHINA_MS;
    (local.rem_euclid(24 * HOUR_MS) >= 8 * HOUR_MS).then(|| crate::domain::clock::day_of(now_ms))
}

/// Working days after a closure that a consumer who has not rated the handling is asked
/// whether it solved their problem (CFPB's review, Order 121's follow-up after handling).
pub const VERDICT_ASK_WORKING_DAYS: u32 = 20;

/// The days (China time, both included) on which a closure is owed the question today: those
/// whose 20th working day after them is today (a working day and the days off after it, which
/// count from the next working day; on a day off, those of the last working day again), and the
/// week before, so that a server stopped for some days still asks (a case is asked once, however
/// often the question is written).
pub fn verdict_ask_closed_between(today: time::Date, cal: &super::calendar::WorkCalendar) -> (time::Date, time::Date) {
    // `counted`: the working days after `to` up to today.
    let (mut to, mut counted) = (today, 0);
    while counted < VERDICT_ASK_WORKING_DAYS {
        counted += cal.is_working_day(to) as u32;
        to = to.previous_day().unwrap_or(to);
    }
    // Back over the days off before `to`: their count is the same, up to a working day.
    let mut from = to;
    while !cal.is_working_day(from) {
        from = from.previous_day().unwrap_or(from);
    }
    (from - time::Duration::days(7), to)
}

/// Tries before a message is parked as failed.
pub const MAX_ATTEMPTS: u32 = 8;

/// How long after failed attempt number `attempt` (from 1) the next is made: doubling from 10 s
/// up to an hour, scaled by `jitter` (0.0–1.0, random) to between half and all of it, so that
/// servers that failed together do not try again together.
pub fn retry_delay_ms(attempt: u32, jitter: f64) -> i64 {
    let base = 10_000i64.saturating_mul(1i64 << attempt.saturating_sub(1).min(20)).min(HOUR_MS);
    let jitter = jitter.clamp(0.0, 1.0);
    (base as f64 * (0.5 + 0.5 * jitter)) as i64
}

/// Segments a text message takes: one of up to 70 characters in UCS-2 (the encoding of any
/// text with Chinese), or 67 per segment when longer (the rest carries the joining header).
pub fn sms_segments(text: &str) -> usize {
    let n = text.chars().count();
    if n <= 70 {
        1
    } else {
        n.div_ceil(67)
    }
}

/// A recipient as staff screens show it: a phone number masked (`139****1234`), an e-mail
/// address with its local part cut to its first letter (`z***@example.cn`).
pub fn mask_recipient(channel: NoticeChannel, to: &str) -> String {
    match channel {
        NoticeChannel::Sms => crate::domain::party::mask_phone(to),
        NoticeChannel::Email => crate::domain::party::mask_email(to),
    }
}

#[cfg(test)]
mod tests {

    /// Every closure, on a working day or a day off (weekends, the National Day holiday, the
    /// make-up working days), is owed the question on its 20th working day after it and not the
    /// day before; a closure on a day off counts from the next working day.
    #[test]
    fn a_closure_is_asked_on_its_twentieth_working_day_whatever_day_it_was() {
        let cal = crate::domain::calendar::WorkCalendar::china();
        let mut closed = time::macros::date!(2026 - 09 - 01);
        while closed < time::macros::date!(2026 - 12 - 31) {
            let (mut due, mut n) = (closed, 0);
            while n < VERDICT_ASK_WORKING_DAYS {
                due = due.next_day().unwrap();
                n += cal.is_working_day(due) as u32;
            }
            let (from, to) = verdict_ask_closed_between(due, cal);
            assert!(from <= closed && closed <= to, "{closed} asked on {due}: window {from}..{to}");
            let (_, to_before) = verdict_ask_closed_between(due.previous_day().unwrap(), cal);
            assert!(closed > to_before, "{closed} asked before {due} (window up to {to_before})");
            closed = closed.next_day().unwrap();
        }
    }
    use super::*;

    fn china(h: i64, m: i64) -> i64 {
        // 2026-12-03 in China, at h:m.
        let midnight_utc_of_china_day = 1_796_256_000_000 - CHINA_MS;
        midnight_utc_of_china_day + h * HOUR_MS + m * 60_000
    }

    #[test]
    fn texts_wait_for_eight_in_the_morning_in_quiet_hours_except_the_receipt() {
        assert_eq!(sms_due_at(NoticeKind::Accepted, china(9, 30)), china(9, 30));
        assert_eq!(sms_due_at(NoticeKind::Accepted, china(21, 59)), china(21, 59));
        assert_eq!(sms_due_at(NoticeKind::Accepted, china(22, 0)), china(24 + 8, 0));
        assert_eq!(sms_due_at(NoticeKind::Closed, china(23, 45)), china(24 + 8, 0));
        assert_eq!(sms_due_at(NoticeKind::Refused, china(3, 10)), china(8, 0));
        assert_eq!(sms_due_at(NoticeKind::Refused, china(8, 0)), china(8, 0));
        assert_eq!(sms_due_at(NoticeKind::Receipt, china(23, 45)), china(23, 45));
    }

    #[test]
    fn the_china_day_of_the_test_clock_is_the_one_named() {
        assert_eq!(crate::domain::clock::china_time(china(22, 5)), "2026-12-03 22:05");
    }

    #[test]
    fn the_digest_goes_from_eight_in_the_morning() {
        assert_eq!(digest_due(china(7, 59)), None);
        assert_eq!(digest_due(china(8, 0)), Some(time::macros::date!(2026 - 12 - 03)));
        assert_eq!(digest_due(china(23, 59)), Some(time::macros::date!(2026 - 12 - 03)));
    }

    #[test]
    fn retries_back_off_doubling_with_jitter_up_to_an_hour() {
        assert_eq!(retry_delay_ms(1, 1.0), 10_000);
        assert_eq!(retry_delay_ms(1, 0.0), 5_000);
        assert_eq!(retry_delay_ms(2, 1.0), 20_000);
        assert_eq!(retry_delay_ms(4, 1.0), 80_000);
        assert_eq!(retry_delay_ms(30, 1.0), HOUR_MS);
        assert!((retry_delay_ms(3, 0.5) - 30_000).abs() <= 1);
    }

    #[test]
    fn every_staff_decision_tells_the_consumer_and_their_own_steps_do_not() {
        use ActionName as A;
        assert_eq!(NoticeKind::of_step(A::Accept, CaseState::Accepted), Some(NoticeKind::Accepted));
        assert_eq!(NoticeKind::of_step(A::Close, CaseState::Closed), Some(NoticeKind::Closed));
        for own in [A::Supplement, A::Withdraw, A::Rate, A::Contest, A::StopNotices] {
            assert_eq!(NoticeKind::of_step(own, CaseState::Accepted), None, "{own:?}");
        }
        assert!(NoticeKind::Refused.required() && !NoticeKind::Mediation.required());
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::from_code(k.code()), Some(*k));
        }
    }

    #[test]
    fn a_refusal_says_its_ground_and_a_stopped_reporter_is_not_told_the_decision() {
        use crate::domain::workflow::Action;
        let (kind, params) = notice_for(&Action::Refuse { ground: 3 }, CaseState::Refused, false).unwrap();
        assert_eq!((kind, params), (NoticeKind::Refused, vec![("ground".to_owned(), "3".to_owned())]));
        let to = Action::Transfer { to_bureau: "630100".into() };
        assert_eq!(notice_for(&to, CaseState::Received, false).unwrap().1[0].1, "630100");
        let on_site = crate::domain::workflow::OnSite {
            at: "2026-12-05T09:30".into(),
            place: crate::domain::fields::Note::parse("城东区市场监管局调解室").unwrap(),
        };
        let mediation =
            Action::StartMediation { method: crate::domain::workflow::MediationMethod::OnSite, on_site: Some(on_site) };
        let (_, params) = notice_for(&mediation, CaseState::InMediation, false).unwrap();
        assert_eq!(params[0], ("when".to_owned(), "2026-12-05 09:30".to_owned()));
        assert_eq!(params[1].1, "城东区市场监管局调解室");
        let decide = Action::DecideReport { opened: true };
        assert!(notice_for(&decide, CaseState::Closed, false).is_some());
        assert_eq!(notice_for(&decide, CaseState::Closed, true), None);
        assert_eq!(notice_for(&Action::Withdraw, CaseState::Withdrawn, false), None);
    }

    #[test]
    fn a_text_counts_its_segments_as_phones_do() {
        assert_eq!(sms_segments(&"字".repeat(70)), 1);
        assert_eq!(sms_segments(&"字".repeat(71)), 2);
        assert_eq!(sms_segments(&"字".repeat(134)), 2);
        assert_eq!(sms_segments(&"字".repeat(135)), 3);
    }

    #[test]
    fn recipients_are_masked_on_staff_screens() {
        assert_eq!(mask_recipient(NoticeChannel::Sms, "13912341234"), "139****1234");
        assert_eq!(mask_recipient(NoticeChannel::Email, "zhang.san@example.cn"), "z***@example.cn");
        assert_eq!(mask_recipient(NoticeChannel::Email, "nonsense"), "***");
    }
}
