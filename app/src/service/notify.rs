//! Telling people: the text of a message from the outbox, in the consumer's language, and the
//! outbox as supervisors and admins see it (recipients masked; a failed message sent again,
//! audited).

use crate::domain::notify::{mask_recipient, NoticeChannel, NoticeKind, NoticeState};
use crate::domain::staff::Staff;
use crate::domain::workflow::Role;
use crate::error::AppError;
use crate::i18n::{fill, Lang};
use crate::ports::Notice;
use crate::service::state::Services;
use crate::views::staff::{NoticeLine, OutboxPage};
use time::OffsetDateTime;

/// The link a message gives: the case's page on the portal, at the public address `base`
/// (`https://12315.example.cn`).
pub fn track_link(base: &str, notice: &Notice) -> String {
    let base = base.trim_end_matches('/');
    match (&notice.case_no, notice.kind) {
        // To a business of the ODR lane: the complaint in its console.
        (Some(no), k) if k.audience() == crate::domain::notify::Audience::Business => {
            format!("{base}/staff/business/cases/{no}")
        }
        (Some(no), _) => format!("{base}/track?case_no={no}"),
        // An alert: its confirmation link, or the page it follows.
        (None, k) if k.audience() == crate::domain::notify::Audience::Subscriber => {
            format!("{base}{}", alert_path(notice))
        }
        // A one-time code: the page it is typed into.
        (None, crate::domain::notify::NoticeKind::Code) => format!("{base}/track/recover"),
        // A staff digest: the console.
        (None, _) => format!("{base}/staff"),
    }
}

/// An alert's link: its confirmation, or the page it follows.
fn alert_path(notice: &Notice) -> &str {
    notice.param("confirm").or(notice.param("page")).unwrap_or("/businesses")
}

/// The one-click unsubscribe address of an alert (RFC 8058), at the public address `base`.
pub fn unsubscribe_link(base: &str, notice: &Notice) -> Option<String> {
    let path = notice.param("unsubscribe")?;
    Some(format!("{}{path}", base.trim_end_matches('/')))
}

/// What the message says, besides the case number and the link: names for the codes it
/// carries (a bureau's, a province's), in the message's language.
pub fn words(notice: &Notice, link: &str) -> Vec<(&'static str, String)> {
    let lang = Lang::from_tag(&notice.lang).unwrap_or_default();
    let zh = lang == Lang::Zh || lang == Lang::Bo;
    let case = notice.case_no.as_ref().map(|n| n.to_string()).unwrap_or_default();
    let mut out = vec![("case", case), ("link", link.to_owned())];
    if notice.kind == crate::domain::notify::NoticeKind::Digest {
        // Each case of the digest on a line of its own, with its page in the console.
        let console = link.trim_end_matches("/staff");
        for key in ["overdue", "today", "soon"] {
            let cases: Vec<&str> = notice.param(key).unwrap_or_default().split(',').filter(|c| !c.is_empty()).collect();
            let lines: String = cases.iter().map(|c| format!("\n  {c}  {console}/staff/cases/{c}")).collect();
            out.push((key, if lines.is_empty() { "—".to_owned() } else { lines }));
            let n = match key {
                "overdue" => "overdue_n",
                "today" => "today_n",
                _ => "soon_n",
            };
            out.push((n, notice.param(n).unwrap_or("0").to_owned()));
        }
        out.push(("date", notice.param("date").unwrap_or_default().to_owned()));
        // A line break, for the template (Fluent text has none of its own).
        out.push(("nl", "\n".to_owned()));
        return out;
    }
    if notice.kind.audience() == crate::domain::notify::Audience::Subscriber {
        // The link is the portal's address and the alert's path (`track_link`).
        let base = link.strip_suffix(alert_path(notice)).unwrap_or(link);
        out.push(("name", notice.param("name").unwrap_or_default().to_owned()));
        out.push(("items", notice.param("items").unwrap_or_default().to_owned()));
        out.push(("n", notice.param("n").unwrap_or("0").to_owned()));
        out.push(("unsubscribe", format!("{base}{}", notice.param("unsubscribe").unwrap_or_default())));
        out.push(("nl", "\n".to_owned()));
        return out;
    }
    if let Some(code) = notice.param("code") {
        out.push(("code", code.to_owned()));
    } else if notice.kind == crate::domain::notify::NoticeKind::Receipt {
        // Erased once sent: staff never see it again.
        out.push(("code", "********".into()));
    }
    // An on-site mediation's time and place, or nothing.
    let onsite = match (notice.param("when"), notice.param("place")) {
        (Some(w), Some(p)) if zh => format!("（现场调解：{w}，{p}）"),
        (Some(w), Some(p)) => format!(" (on site: {w}, {p})"),
        _ => String::new(),
    };
    out.push(("onsite", onsite));
    if let Some(d) = notice.param("due") {
        out.push(("due", d.to_owned()));
    }
    if let Some(g) = notice.param("ground") {
        out.push(("ground", g.to_owned()));
    }
    if let Some(b) = notice.param("bureau") {
        let name =
            crate::domain::region::bureau(b).map(|b| if zh { b.zh } else { b.en }).unwrap_or_else(|| b.to_owned());
        out.push(("bureau", name));
    }
    if let Some(p) = notice.param("province") {
        let name = crate::domain::region::province(p)
            .map(|p| if zh { p.zh.clone() } else { p.en.clone() })
            .unwrap_or_else(|| p.to_owned());
        out.push(("province", name));
    }
    out
}

/// The message's text in its language.
pub fn text(notice: &Notice, link: &str) -> String {
    let lang = Lang::from_tag(&notice.lang).unwrap_or_default();
    let template = lang.msgs().term("notice", notice.kind.code());
    let words = words(notice, link);
    let values: Vec<(&str, &dyn std::fmt::Display)> = words.iter().map(|(k, v)| (*k, v as _)).collect();
    fill(template, &values)
}

/// An e-mail's subject line, in the message's language.
pub fn subject(notice: &Notice) -> String {
    let lang = Lang::from_tag(&notice.lang).unwrap_or_default();
    match &notice.case_no {
        Some(no) if notice.kind.audience() == crate::domain::notify::Audience::Business => {
            fill(lang.msgs().notice_subject_business, &[("case", no)])
        }
        Some(no) => fill(lang.msgs().notice_subject, &[("case", no)]),
        None if notice.kind.audience() == crate::domain::notify::Audience::Subscriber => fill(
            lang.msgs().term("notice_subject", notice.kind.code()),
            &[("name", &notice.param("name").unwrap_or_default())],
        ),
        None => fill(lang.msgs().notice_subject_digest, &[("date", &notice.param("date").unwrap_or_default())]),
    }
}

/// What the console shows of `notice`; the link is left out, and so is any code it carries (a
/// receipt's query code, a one-time code): staff never read one.
pub fn line(notice: &Notice) -> NoticeLine {
    use crate::domain::clock::china_time;
    let mut shown = notice.clone();
    for (k, v) in shown.params.iter_mut() {
        if matches!(k.as_str(), "code" | "confirm" | "unsubscribe") {
            *v = "********".into();
        }
    }
    let notice = &shown;
    NoticeLine {
        id: notice.id,
        case_no: notice.case_no.as_ref().map(|n| n.to_string()).unwrap_or_default(),
        channel: notice.channel.code().into(),
        recipient: mask_recipient(notice.channel, &notice.recipient),
        text: text(notice, "…"),
        state: notice.state.code().into(),
        attempts: notice.attempts,
        created: china_time(notice.created_at),
        due: china_time(notice.due_at),
        sent: notice.sent_at.map(china_time),
        last_error: notice.last_error.clone(),
    }
}

fn supervising(staff: &Staff) -> Result<(), AppError> {
    if matches!(staff.role, Role::Supervisor | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Messages a page of the outbox holds.
pub const PAGE: i64 = 50;

/// A page of the outbox for a supervisor or an admin: messages in `state` (all with `None`),
/// newest first, with the counts.
pub async fn outbox_page(
    services: &Services,
    staff: &Staff,
    state: Option<NoticeState>,
    page: i64,
) -> Result<OutboxPage, AppError> {
    supervising(staff)?;
    let page = page.max(0);
    let mut rows = services.cases.notices(state, PAGE + 1, page * PAGE).await?;
    let next = (rows.len() as i64 > PAGE).then_some(page + 1);
    rows.truncate(PAGE as usize);
    let counts = services.cases.outbox_counts().await?;
    Ok(OutboxPage {
        lines: rows.iter().map(line).collect(),
        pending: counts.pending,
        sent: counts.sent,
        failed: counts.failed,
        sms_ready: services.channels.sms,
        email_ready: services.channels.email,
        next,
    })
}

/// What the consumer of case `no` was told, and when (for staff working on it).
pub async fn told(services: &Services, no: &crate::domain::case::CaseNo) -> Result<Vec<NoticeLine>, AppError> {
    Ok(services.cases.notices_of(no).await?.iter().map(line).collect())
}

/// Sends a failed message again (by a supervisor or an admin, audited). `NotFound` when no
/// failed message has that id.
pub async fn resend(
    services: &Services,
    staff: &Staff,
    id: i64,
    client: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    supervising(staff)?;
    if !services.cases.resend_notice(id, crate::domain::clock::unix_ms(now)).await? {
        return Err(AppError::NotFound);
    }
    let actor = Some(staff.username.as_str());
    crate::service::audit::audit(services, now, actor, "notice_resent", Some(&id.to_string()), client).await
}

/// Writes each morning's digest to every handler and supervisor with a digest address: the cases
/// of their remit overdue, due today and due within 2 working days (case numbers and dates only,
/// nothing personal). Once a day for all servers together (a daily key in the shared budgets),
/// from 08:00 China time. Returns how many digests were written.
pub async fn morning_digests(services: &Services, now: OffsetDateTime) -> Result<usize, AppError> {
    use crate::domain::queue::QueueParams;
    let now_ms = crate::domain::clock::unix_ms(now);
    let Some(day) = crate::domain::notify::digest_due(now_ms) else { return Ok(0) };
    let day = crate::domain::calendar::format_date(day);
    let (first, _) = services.cases.budget_spend(&format!("digest:{day}"), now_ms, 2 * 24 * 3_600_000).await?;
    if first != 1 {
        return Ok(0);
    }
    let mut written = 0;
    for (staff, email) in services.cases.digest_recipients().await? {
        let mut params = vec![("date".to_owned(), day.clone())];
        let mut any = false;
        for due in ["overdue", "today", "soon"] {
            let query = QueueParams { due: due.into(), ..Default::default() };
            let view = crate::service::queue::page(services, &staff, &query, now).await?;
            let n = view.by_due.iter().find(|c| c.code == due).map(|c| c.n).unwrap_or(0);
            any |= n > 0;
            params.push((format!("{due}_n"), n.to_string()));
            let cases: Vec<String> = view.lines.iter().map(|l| l.case_no.clone()).collect();
            params.push((due.to_owned(), cases.join(",")));
        }
        if any {
            services
                .cases
                .queue_loose(NoticeKind::Digest, NoticeChannel::Email, &email, Lang::Zh.tag(), &params, now_ms)
                .await?;
            written += 1;
        }
    }
    Ok(written)
}

/// Asks each consumer whose case closed 20 working days ago, and who has not rated it, whether
/// the handling solved the problem (a link to the rating and its question). Once a day for all
/// servers together (a daily key in the shared budgets), from 08:00 China time; each case once.
/// Returns how many questions were written.
pub async fn verdict_questions(services: &Services, now: OffsetDateTime) -> Result<usize, AppError> {
    use crate::domain::clock::{china_date, unix_ms};
    let now_ms = unix_ms(now);
    let Some(day) = crate::domain::notify::digest_due(now_ms) else { return Ok(0) };
    let key = format!("verdict-ask:{}", crate::domain::calendar::format_date(day));
    let (first, _) = services.cases.budget_spend(&key, now_ms, 2 * 24 * 3_600_000).await?;
    if first != 1 {
        return Ok(0);
    }
    let cal = crate::domain::calendar::WorkCalendar::china();
    let (from, to) = crate::domain::notify::verdict_ask_closed_between(china_date(now), cal);
    let start = |d: time::Date| crate::domain::clock::start_of_china_day(d);
    let notice = crate::ports::NoticeForCreate { kind: NoticeKind::VerdictAsk, params: Vec::new() };
    let mut written = 0;
    for no in services.cases.closed_unrated(start(from), start(to.next_day().unwrap_or(to)), 10_000).await? {
        if services.cases.queue_once(&no, &notice, now_ms).await? {
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::notify::{sms_segments, NoticeChannel, NoticeKind, NoticeState};

    fn notice(kind: NoticeKind, lang: &str, params: &[(&str, &str)]) -> Notice {
        Notice {
            id: 1,
            uid: "0192f0c1-0000-7000-8000-000000000001".into(),
            case_no: crate::domain::case::CaseNo::parse("QH-2026-123456").ok(),
            kind,
            channel: NoticeChannel::Sms,
            recipient: "13912341234".into(),
            lang: lang.into(),
            params: params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            created_at: 0,
            due_at: 0,
            state: NoticeState::Pending,
            attempts: 0,
            sent_at: None,
            last_error: None,
        }
    }

    /// Every text message, with the longest values it carries, fits in two segments of a phone
    /// (and names no one: only the case number and what the template says).
    #[test]
    fn every_text_message_fits_two_segments() {
        let params = [
            ("code", "ABCD2345"),
            ("ground", "12"),
            ("bureau", "632801"),
            ("province", "330000"),
            ("when", "2026-12-05 09:30"),
            ("place", "城东区市场监管局调解室"),
            ("due", "2026-12-18"),
        ];
        let link = track_link("https://12315.qh.gov.cn", &notice(NoticeKind::Receipt, "zh-CN", &[]));
        // A staff digest and alerts go by e-mail only.
        let sms =
            |k: &NoticeKind| *k != NoticeKind::Digest && k.audience() != crate::domain::notify::Audience::Subscriber;
        for kind in NoticeKind::ALL.iter().filter(|k| sms(k)) {
            let n = notice(*kind, "zh-CN", &params);
            let t = text(&n, &link);
            if *kind == NoticeKind::Code {
                // A one-time code names no case: it says what the code is for and how long it holds.
                assert!(t.contains("ABCD2345") && t.contains("10"), "{t}");
            } else {
                assert!(t.contains("QH-2026-123456") && t.contains(&link), "{kind:?}: {t}");
            }
            assert!(!t.contains("{$"), "{kind:?}: every placeholder filled: {t}");
            assert!(sms_segments(&t) <= 2, "{kind:?}: {} characters: {t}", t.chars().count());
        }
    }

    #[test]
    fn an_on_site_mediation_says_when_and_where_in_the_consumers_language() {
        let params = [("when", "2026-12-05 09:30"), ("place", "城东区市场监管局调解室")];
        let zh = text(&notice(NoticeKind::Mediation, "zh-CN", &params), "L");
        assert!(zh.contains("现场调解：2026-12-05 09:30，城东区市场监管局调解室"), "{zh}");
        let en = text(&notice(NoticeKind::Mediation, "en", &params), "L");
        assert!(en.contains("on site: 2026-12-05 09:30"), "{en}");
        assert!(!text(&notice(NoticeKind::Mediation, "zh-CN", &[]), "L").contains("现场"));
    }
}
