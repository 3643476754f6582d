//! Telling people: the text of a message from the outbox, in the consumer's language, and the
//! outbox as supervisors and admins see it (recipients masked; a failed message sent again,
//! audited).

use crate::domain::notify::{mask_recipient, NoticeState};
use crate::error::AppError;
use crate::i18n::{fill, Lang};
use crate::ports::Notice;
use crate::service::state::Services;
use time::OffsetDateTime;

/// The link a message gives: the case's page on the portal, at the public address `base`
/// (`https://12315.example.cn`).
pub fn track_link(base: &str, notice: &Notice) -> String {
    format!("{}/track?case_no={}", base.trim_end_matches('/'), notice.case_no)
}

/// What the message says, besides the case number and the link: names for the codes it
/// carries (a bureau's, a province's), in the message's language.
pub fn words(notice: &Notice, link: &str) -> Vec<(&'static str, String)> {
    let lang = Lang::from_tag(&notice.lang).unwrap_or_default();
    let zh = lang == Lang::Zh || lang == Lang::Bo;
    let mut out = vec![("case", notice.case_no.to_string()), ("link", link.to_owned())];
    if let Some(code) = notice.param("code") {
        out.push(("code", code.to_owned()));
    } else if notice.kind == crate::domain::notify::NoticeKind::Receipt {
        // Erased once sent: staff never see it again.
        out.push(("code", "********".into()));
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

/// A message as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NoticeView {
    pub id: i64,
    pub case_no: String,
    pub kind: String,
    pub channel: String,
    /// Masked.
    pub recipient: String,
    pub text: String,
    pub state: String,
    pub attempts: u32,
    /// `YYYY-MM-DD HH:MM`, China time.
    pub created: String,
    pub due: String,
    pub sent: Option<String>,
    pub last_error: Option<String>,
}

/// The console's view of `notice`; the link is shown by its path.
pub fn view(notice: &Notice) -> NoticeView {
    use crate::domain::clock::china_time;
    NoticeView {
        id: notice.id,
        case_no: notice.case_no.to_string(),
        kind: notice.kind.code().into(),
        channel: notice.channel.code().into(),
        recipient: mask_recipient(notice.channel, &notice.recipient),
        text: text(notice, ""),
        state: notice.state.code().into(),
        attempts: notice.attempts,
        created: china_time(notice.created_at),
        due: china_time(notice.due_at),
        sent: notice.sent_at.map(china_time),
        last_error: notice.last_error.clone(),
    }
}

/// A page of the outbox: messages in `state` (all with `None`), newest first, and the counts.
pub async fn outbox_page(
    services: &Services,
    state: Option<NoticeState>,
    page: i64,
) -> Result<(Vec<NoticeView>, crate::ports::OutboxCounts), AppError> {
    const PAGE: i64 = 50;
    let rows = services.cases.notices(state, PAGE, page.max(0) * PAGE).await?;
    let counts = services.cases.outbox_counts().await?;
    Ok((rows.iter().map(view).collect(), counts))
}

/// Sends a failed message again (by `actor`, audited). `NotFound` when no failed message has
/// that id.
pub async fn resend(
    services: &Services,
    actor: &str,
    id: i64,
    client: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    if !services.cases.resend_notice(id, crate::domain::clock::unix_ms(now)).await? {
        return Err(AppError::NotFound);
    }
    crate::service::audit::audit(services, now, Some(actor), "notice_resent", Some(&id.to_string()), client).await
}
