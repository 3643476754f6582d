//! Tracking: the look-up (throttled against guessing), the signed cookie that remembers one
//! case for a while, the tracking view, and the consumer's own steps on the case.

use crate::domain::calendar::{format_date, WorkCalendar};
use crate::domain::case::CaseNo;
use crate::domain::clock::{china_date, china_time, day_of, unix_ms};
use crate::domain::evidence;
use crate::domain::region;
use crate::domain::rules;
use crate::domain::tracking::{
    contest_open, parse_reason, parse_supplement_text, rating_editable, Counter, LookupBy, LookupForm, Policy,
    RatingForm, RatingOutcome, CLIENT_POLICY, RATING_EDIT_DAYS, TARGET_POLICY,
};
use crate::domain::workflow::{target, transition, Action, ActionName, CaseState, Refusal, Role};
use crate::error::AppError;
use crate::ports::{Beside, CaseEvent, EventForCreate, StoredCase};
use crate::service::codes::{cookie_values, query_code_matches, sign_for, verify_signed, Secret};
use crate::service::state::Services;
use crate::service::step::steps_of;
use crate::views::track::{Allowed, DeadlineView, EvidenceView, FiledView, RatingView, TimelineEntry, TrackView};
use time::OffsetDateTime;

/// The cookie that remembers the one case this browser looked up.
pub const TRACK_COOKIE: &str = "track";
/// How long the cookie lasts: long enough to follow a case and act on it, short enough that a
/// shared or borrowed phone does not keep it.
pub const TRACK_COOKIE_SECONDS: i64 = 30 * 60;

/// The cookie's value for `no`: `<case no>.<expiry, Unix s>.<HMAC-SHA256>`.
pub fn sign(secret: &Secret, no: &CaseNo, now: OffsetDateTime) -> String {
    sign_for(secret, "track", no.as_str(), now.unix_timestamp(), TRACK_COOKIE_SECONDS)
}

/// The `Set-Cookie` header for a tracking cookie.
pub fn cookie_header(value: &str, secure: bool) -> String {
    crate::service::codes::set_cookie(TRACK_COOKIE, value, "/", TRACK_COOKIE_SECONDS, secure)
}

/// The case a cookie value stands for, if its signature holds and it has not expired.
pub fn verify(secret: &Secret, value: &str, now: OffsetDateTime) -> Option<CaseNo> {
    CaseNo::parse(verify_signed(secret, "track", value, now.unix_timestamp())?).ok()
}

/// The case of `case_no` if the `Cookie` header carries a valid tracking cookie for exactly it.
pub fn tracked_case(secret: &Secret, cookie_header: &str, case_no: &str, now: OffsetDateTime) -> Option<CaseNo> {
    let wanted = CaseNo::parse(case_no).ok()?;
    cookie_values(cookie_header, TRACK_COOKIE).filter_map(|v| verify(secret, v, now)).find(|no| *no == wanted)
}

/// What a look-up found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(CaseNo),
    /// No such case, or a wrong code: the same answer for both.
    NoMatch,
    /// Too many wrong codes: wait until this time (Unix ms).
    Locked {
        until: i64,
    },
}

/// The key a phone number's failures are counted under: a keyed hash, so that the throttle
/// table holds no phone numbers.
fn phone_key(secret: &Secret, phone: &str) -> String {
    format!("phone:{}", crate::service::codes::keyed_hex(secret, b"phone:", phone))
}

/// Counts one failure for `key`; returns the counter after it. Several servers may count at
/// once: the store swaps only the counter this call read, so no failure is lost.
pub(crate) async fn count_failure(services: &Services, key: &str, now: i64, p: Policy) -> Result<Counter, AppError> {
    for _ in 0..64 {
        let old = services.cases.throttle_get(key).await?;
        let new = old.after_failure(now, p);
        if services.cases.throttle_swap(key, old, new).await? {
            return Ok(new);
        }
    }
    Err(AppError::internal("throttle", "counter kept changing"))
}

/// Counts a try of `key` as it begins, as if it failed (a success clears the counter): `Err`
/// with the time the key must wait until, when it must (that try is not counted), else the
/// counter before and with this try. The check and the count are one compare-and-swap, so tries that
/// arrive together cannot all pass a check made before any of them was counted.
pub(crate) async fn begin_try(
    services: &Services,
    key: &str,
    now: i64,
    p: Policy,
) -> Result<Result<(Counter, Counter), i64>, AppError> {
    for _ in 0..64 {
        let old = services.cases.throttle_get(key).await?;
        if let Some(until) = old.locked(now) {
            return Ok(Err(until));
        }
        let new = old.after_failure(now, p);
        if services.cases.throttle_swap(key, old, new).await? {
            return Ok(Ok((old, new)));
        }
    }
    // So many tries of one key at once that the counter never settled: they wait a moment.
    Ok(Err(now + 1000))
}

/// Looks a case up by number (or phone) and query code, refusing to check anything while the
/// client address, or this case (or phone) from this address, must wait after wrong codes.
pub async fn lookup(
    services: &Services,
    form: &LookupForm,
    client: &str,
    now: OffsetDateTime,
) -> Result<Lookup, AppError> {
    let (by, code) = form.parse().map_err(AppError::Invalid)?;
    let now_ms = unix_ms(now);
    let client_key = format!("client:{client}");
    // The case (or phone) from this address: a stranger's wrong codes elsewhere never make its
    // consumer wait.
    let target_key = match &by {
        LookupBy::Case(no) => format!("case:{no}@{client}"),
        LookupBy::Phone(phone) => format!("{}@{client}", phone_key(&services.secret, phone.as_str())),
    };
    if let Some(until) = services.cases.throttle_get(&client_key).await?.locked(now_ms) {
        return Ok(Lookup::Locked { until });
    }
    let target = match begin_try(services, &target_key, now_ms, TARGET_POLICY).await? {
        Ok((_, counter)) => counter,
        Err(until) => return Ok(Lookup::Locked { until }),
    };
    let candidates = match &by {
        LookupBy::Case(no) => services.cases.query_hash(no).await?.map(|h| vec![(no.clone(), h)]).unwrap_or_default(),
        LookupBy::Phone(phone) => services.cases.cases_by_phone(phone.as_str()).await?,
    };
    // An unknown case costs the same hash as a known one: no timing difference to learn from.
    let found = if candidates.is_empty() {
        let _ = query_code_matches(&code, DUMMY_HASH);
        None
    } else {
        candidates.into_iter().find(|(_, hash)| query_code_matches(&code, hash)).map(|(no, _)| no)
    };
    if let Some(no) = found {
        services.cases.throttle_clear(&target_key).await?;
        return Ok(Lookup::Found(no));
    }
    let client = count_failure(services, &client_key, now_ms, CLIENT_POLICY).await?;
    match [target.locked(now_ms), client.locked(now_ms)].into_iter().flatten().max() {
        Some(until) => Ok(Lookup::Locked { until }),
        None => Ok(Lookup::NoMatch),
    }
}

const DUMMY_HASH: &str =
    "sha256$00000000000000000000000000000000$0000000000000000000000000000000000000000000000000000000000000000";

fn closed_on(events: &[CaseEvent]) -> Option<time::Date> {
    events
        .iter()
        .rev()
        .find(|e| e.to_state == CaseState::Closed && e.from_state != Some(CaseState::Closed))
        .map(|e| day_of(e.at))
}

/// What the consumer may do on `case` now.
fn allowed(case: &StoredCase, events: &[CaseEvent], today: time::Date, rules: &rules::RuleSet) -> Allowed {
    let can = |a| target(case.kind, case.state, a).is_some();
    Allowed {
        supplement: can(ActionName::Supplement),
        withdraw: can(ActionName::Withdraw),
        rate: can(ActionName::Rate),
        contest: can(ActionName::Contest)
            && closed_on(events).is_some_and(|d| contest_open(d, today, rules, WorkCalendar::china())),
        // Only a real-name reporter is told anything, and asks once.
        stop_notices: can(ActionName::StopNotices)
            && !case.content.anonymous()
            && !events.iter().any(|e| e.action == ActionName::StopNotices),
        messages_off: None,
        decide_offer: can(ActionName::AcceptOffer),
        to_bureau: false,
    }
}

fn stored_rating_outcome(rating: Option<&crate::views::track::RatingView>) -> Option<RatingOutcome> {
    rating.and_then(|r| RatingOutcome::from_code(&r.outcome))
}

/// What the consumer filed, as stored.
fn filed_view(c: &crate::domain::case::CaseForCreate) -> FiledView {
    FiledView {
        business_name: c.business.as_ref().map(|b| b.name.as_str().to_owned()),
        business_address: c.business.as_ref().map(|b| b.address.as_str().to_owned()),
        incident_on: c.incident_on.map(format_date),
        amount_paid_yuan: c.amount_paid.map(|f| f.to_yuan_string()),
        order_no: c.order_no.as_ref().map(|o| o.as_str().to_owned()),
        demand: c.demand.map(|d| d.code().to_owned()),
        demand_text: c.demand_text.as_ref().map(|d| d.as_str().to_owned()),
        facts: c.facts.as_str().to_owned(),
        consent_publish: c.consent_publish,
    }
}

/// The tracking page's data: public steps only (never a staff note or a staff member's id).
pub async fn view(services: &Services, no: &CaseNo, now: OffsetDateTime) -> Result<Option<TrackView>, AppError> {
    let Some(case) = services.cases.get(no).await? else { return Ok(None) };
    let events = services.cases.events(no).await?;
    let rules = case.rules()?;
    let today = china_date(now);
    let cal = WorkCalendar::china();
    let timeline = events
        .iter()
        .map(|e| {
            let ground = e.ground.and_then(|g| match e.action {
                ActionName::Refuse => rules.refusal_ground(g),
                ActionName::TerminateMediation | ActionName::Withdraw => rules.termination_ground(g),
                _ => None,
            });
            TimelineEntry {
                at: china_time(e.at),
                action: e.action.code().into(),
                to_state: e.to_state.code().into(),
                ground: ground.cloned(),
                detail: e.detail.clone(),
            }
        })
        .collect();
    let steps = steps_of(&events);
    let deadline = case.countdown(&steps, rules, cal).map(|c| {
        let explain = c.explain();
        DeadlineView {
            kind: format!("{:?}", c.kind),
            date: c.due.map(format_date),
            working_days_left: c.due.map(|d| cal.working_days_left(today, d)),
            article: c.rule.article.clone(),
            verified: c.rule.verified,
            rule_set_zh: rules.short.zh.clone(),
            rule_set_en: rules.short.en.clone(),
            zh: c.rule.zh.clone(),
            en: c.rule.en.clone(),
            explain_zh: explain.zh,
            explain_en: explain.en,
            assumed: !c.provisional_years.is_empty(),
            paused: c.paused(),
        }
    });
    let bureau = region::bureau(&case.bureau).ok_or_else(|| AppError::internal("bureau", &case.bureau))?;
    let now_ms = unix_ms(now);
    // A rating exists only after a `rate` step: no query for the cases never rated.
    let rated = events.iter().any(|e| e.action == ActionName::Rate);
    let stored_rating = if rated { services.cases.rating(no).await? } else { None };
    let rating = stored_rating.map(|r| RatingView {
        process: r.rating.process,
        outcome: r.rating.outcome.code().into(),
        comment: r.rating.comment.map(|c| c.as_str().to_owned()),
        editable_until: rating_editable(r.rated_at, now_ms)
            .then(|| china_time(r.rated_at + RATING_EDIT_DAYS * 24 * 3600 * 1000)),
    });
    let evidence = services
        .cases
        .evidence_of(no)
        .await?
        .into_iter()
        .map(|e| EvidenceView { kind: e.kind.code().into(), size: e.size, uploaded: china_time(e.uploaded_at) })
        .collect();
    let contest_until = (case.state == CaseState::Closed)
        .then(|| closed_on(&events))
        .flatten()
        .and_then(|d| rules.due(rules::DeadlineKind::ContestWindow, d, cal))
        .map(|d| format_date(d.date));
    let mut allowed = allowed(&case, &events, today, rules);
    allowed.messages_off = services.cases.messages_opted_out(no).await?;
    // A rating may be given once, then changed only within its window.
    allowed.rate &= rating.as_ref().is_none_or(|r| r.editable_until.is_some());
    let verdict = stored_rating_outcome(rating.as_ref());
    allowed.to_bureau =
        crate::domain::odr::may_go_to_bureau(case.state, &crate::service::step::steps_of(&events), verdict);
    let masked = case.content.consumer.as_ref().map(|c| c.masked());
    Ok(Some(TrackView {
        case_no: no.to_string(),
        kind: case.kind.code().into(),
        state: case.state.code().into(),
        received_on: format_date(case.received_on),
        category: case.content.category.clone(),
        bureau_zh: bureau.zh,
        bureau_en: bureau.en,
        business: case.content.business.as_ref().map(|b| b.name.as_str().to_owned()),
        consumer: masked.map(|m| format!("{} {}", m.name, m.phone)),
        representation: case.content.representation.as_ref().map(|r| r.masked()),
        filed: filed_view(&case.content),
        amount_recovered_yuan: case.amount_recovered.map(|f| f.to_yuan_string()),
        linked_case_no: case.linked_case_no.as_ref().map(|n| n.to_string()),
        timeline,
        deadline,
        evidence,
        rating,
        contest_until,
        allowed,
    }))
}

/// A step the consumer takes on their case.
#[derive(Debug, Clone)]
pub enum ConsumerStep {
    /// Text and the ids of files already uploaded (pending) for it.
    Supplement {
        text: String,
        files: Vec<String>,
    },
    Withdraw,
    Rate(RatingForm),
    Contest {
        reason: String,
    },
    /// A reporter asks not to be told of the case any more.
    StopNotices,
}

impl ConsumerStep {
    pub fn name(&self) -> ActionName {
        match self {
            ConsumerStep::Supplement { .. } => ActionName::Supplement,
            ConsumerStep::Withdraw => ActionName::Withdraw,
            ConsumerStep::Rate(_) => ActionName::Rate,
            ConsumerStep::Contest { .. } => ActionName::Contest,
            ConsumerStep::StopNotices => ActionName::StopNotices,
        }
    }
}

/// Takes a consumer's step on a case they hold the tracking cookie for. The state is read
/// afresh and checked by the workflow; if staff change the case at the same moment, the step
/// The consumer of `no` asks for no more messages than the law requires (the acceptance
/// decision, a refusal, a transfer, the decision on a report still go out).
pub async fn opt_out_of_messages(services: &Services, no: &CaseNo) -> Result<(), AppError> {
    services.cases.opt_out_of_messages(no).await
}

/// is checked again against the new state (up to three times), so neither side's step is lost.
pub async fn consumer_act(
    services: &Services,
    no: &CaseNo,
    step: &ConsumerStep,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let actor = crate::service::filing::consumer();
    // Check the input before anything else: bad input is the same error in every state.
    let action = match step {
        ConsumerStep::Supplement { text, files } => {
            if files.len() > evidence::MAX_FILES {
                let max = evidence::MAX_FILES as u32;
                return Err(AppError::Invalid(vec![crate::domain::FieldError::new(
                    "evidence",
                    crate::domain::Invalid::TooManyFiles { max },
                )]));
            }
            Action::Supplement { text: parse_supplement_text(text, files.len()).map_err(AppError::Invalid)? }
        }
        ConsumerStep::Withdraw => Action::Withdraw,
        ConsumerStep::StopNotices => Action::StopNotices,
        ConsumerStep::Rate(form) => {
            form.parse().map_err(AppError::Invalid)?;
            Action::Rate
        }
        ConsumerStep::Contest { reason } => {
            Action::Contest { reason: parse_reason(reason).map_err(AppError::Invalid)? }
        }
    };
    let today = china_date(now);
    let mut tries = 0;
    loop {
        tries += 1;
        let case = services.cases.get(no).await?.ok_or(AppError::NotFound)?;
        let rules = case.rules()?;
        // The steps that move the case's clock read its events (once); only stopping the notices
        // depends on them in the workflow (it is asked once).
        let events = match step {
            ConsumerStep::Contest { .. } | ConsumerStep::Withdraw | ConsumerStep::StopNotices => {
                services.cases.events(no).await?
            }
            _ => Vec::new(),
        };
        let history = match step {
            ConsumerStep::StopNotices => crate::service::step::steps_of(&events),
            _ => Vec::new(),
        };
        let snapshot = case.snapshot(history);
        let outcome = transition(&snapshot, &actor, &action, rules)?;
        let event = EventForCreate {
            at: unix_ms(now),
            actor_role: Role::Consumer,
            actor_id: None,
            action: action.name(),
            note: None,
            detail: action.public_detail(),
            stats: Vec::new(),
            // The consumer's own steps owe them no message.
            notices: Vec::new(),
        };
        let result = match step {
            ConsumerStep::Supplement { files, .. } => {
                services.cases.record(no, case.state, event, Beside::Evidence(files.clone())).await
            }
            ConsumerStep::Rate(form) => {
                let rating = form.parse().map_err(AppError::Invalid)?;
                let dims = crate::service::step::dims_of(&case.content);
                let (beside, stats) = match services.cases.rating(no).await? {
                    None => {
                        let stats =
                            crate::domain::stats::on_rating(&dims, today, None, (rating.process, rating.outcome));
                        (Beside::NewRating(rating), stats)
                    }
                    Some(r) if rating_editable(r.rated_at, unix_ms(now)) => {
                        let first = crate::domain::clock::day_of(r.rated_at);
                        let old = (r.rating.process, r.rating.outcome);
                        let new = (rating.process, rating.outcome);
                        let stats = crate::domain::stats::on_rating(&dims, first, Some(old), new);
                        let rated_since = unix_ms(now) - RATING_EDIT_DAYS * 24 * 3600 * 1000 + 1;
                        (Beside::EditRating { rating, rated_since, old }, stats)
                    }
                    Some(_) => return Err(AppError::Workflow(Refusal::TooLate)),
                };
                services.cases.record(no, case.state, EventForCreate { stats, ..event }, beside).await
            }
            ConsumerStep::Contest { .. } => {
                let open = closed_on(&events).is_some_and(|d| contest_open(d, today, rules, WorkCalendar::china()));
                if !open {
                    return Err(AppError::Workflow(Refusal::TooLate));
                }
                let (urgency, stats) =
                    crate::service::step::step_effects(&case, &events, &outcome, action.name(), now)?;
                let event = EventForCreate { stats, ..event };
                services.cases.apply(no, case.version, case.state, &outcome, event, urgency).await.map(|_| ())
            }
            // Both move what the case waits on (the notice to the reporter is no longer owed).
            ConsumerStep::Withdraw | ConsumerStep::StopNotices => {
                let (urgency, stats) =
                    crate::service::step::step_effects(&case, &events, &outcome, action.name(), now)?;
                let event = EventForCreate { stats, ..event };
                services.cases.apply(no, case.version, case.state, &outcome, event, urgency).await.map(|_| ())
            }
        };
        match result {
            // A rating given twice at once: the second is refused as a conflict, not retried.
            Err(AppError::Conflict) if tries < 3 && !matches!(step, ConsumerStep::Rate(_)) => continue,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tracking_cookie_is_bound_to_its_case_its_secret_and_its_time() {
        let secret = Secret([3; 32]);
        let now = OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap();
        let a = CaseNo::parse("QH-2026-000001").unwrap();
        let value = sign(&secret, &a, now);
        assert_eq!(verify(&secret, &value, now), Some(a.clone()));
        // Another secret, a later time, or a value edited to name another case: nothing.
        assert_eq!(verify(&Secret([4; 32]), &value, now), None);
        assert_eq!(verify(&secret, &value, now + time::Duration::seconds(TRACK_COOKIE_SECONDS)), None);
        let moved = value.replacen("000001", "000002", 1);
        assert_eq!(verify(&secret, &moved, now), None);
        let header = format!("lang=en; {TRACK_COOKIE}={value}");
        assert_eq!(tracked_case(&secret, &header, "QH-2026-000001", now), Some(a));
        assert_eq!(tracked_case(&secret, &header, "QH-2026-000002", now), None);
        assert_eq!(verify(&secret, "garbage", now), None);
        assert_eq!(verify(&secret, "QH-2026-000001.99999999999.zz", now), None);
    }

    #[test]
    fn times_are_shown_in_china_time() {
        assert_eq!(china_time(1_790_000_000_000), "2026-09-21 22:13");
    }
}
