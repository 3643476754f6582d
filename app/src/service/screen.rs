//! The open-day screen: the ticker of the latest steps (what kind of item, which category and
//! prefecture, which state — never who), the year's headline figures, and the walk-through of one
//! demonstration case chosen by the centre (`server screen follow <case no>`).

use crate::domain::kind::ItemKind;
use crate::domain::workflow::{ActionName, CaseState};
use crate::error::AppError;
use crate::i18n::{self, Lang};
use crate::ports::{CaseStore, FeedItem};
pub use crate::server_fns::stats::{ScreenFigures, TickView};

/// The site setting naming the case the walk-through panel follows.
pub const WALKTHROUGH_KEY: &str = "walkthrough";

pub fn tick(lang: Lang, item: &FeedItem) -> TickView {
    let prefecture = item
        .county
        .as_deref()
        .and_then(crate::domain::region::prefecture_of)
        .map(|p| lang.pick(&p.zh, &p.en).to_owned())
        .unwrap_or_else(|| lang.pick("省内", "Qinghai").to_owned());
    let t = super::china_time_of(item.at);
    TickView {
        id: item.id,
        at: format!("{:02}:{:02}", t.hour(), t.minute()),
        kind: i18n::kind(lang, item.kind).to_owned(),
        category: i18n::category_name(lang, &item.category),
        prefecture,
        state: i18n::state(lang, item.to_state).to_owned(),
    }
}

/// The stages of an item's path shown on the walk-through panel, and where a state sits.
pub fn stages(lang: Lang, kind: ItemKind) -> Vec<&'static str> {
    match kind {
        ItemKind::Complaint => vec![
            lang.pick("登记", "Received"),
            lang.pick("受理决定", "Decision"),
            lang.pick("调解", "Mediation"),
            lang.pick("调解结果", "Outcome"),
            lang.pick("办结", "Closed"),
        ],
        ItemKind::Report => vec![
            lang.pick("登记", "Received"),
            lang.pick("核查", "Check"),
            lang.pick("立案决定", "Decision"),
            lang.pick("办结", "Closed"),
        ],
        ItemKind::Consultation => vec![lang.pick("登记", "Received"), lang.pick("答复办结", "Answered")],
    }
}

pub fn stage_of(kind: ItemKind, state: CaseState) -> usize {
    use CaseState::*;
    match (kind, state) {
        (_, Received | Transferred) => 0,
        (ItemKind::Complaint, Accepted | Refused) => 1,
        (ItemKind::Complaint, InMediation) => 2,
        (ItemKind::Complaint, Settled | MediationTerminated) => 3,
        (ItemKind::Complaint, _) => 4,
        (ItemKind::Report, UnderVerification) => 1,
        (ItemKind::Report, CaseOpened | NotOpened) => 2,
        (ItemKind::Report, _) => 3,
        (ItemKind::Consultation, _) => 1,
    }
}

fn step_label(lang: Lang, a: ActionName) -> &'static str {
    match a {
        ActionName::Withdraw => lang.pick("消费者撤回", "Withdrawn by the consumer"),
        ActionName::Supplement => lang.pick("消费者补充材料", "The consumer added material"),
        ActionName::Rate => lang.pick("消费者评价", "The consumer rated it"),
        ActionName::Contest => lang.pick("消费者提出异议", "The consumer contested"),
        other => i18n::action(lang, other),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The walk-through panel as HTML (the page renders it, and the live feed sends it again when
/// the case moves): the item's stages with the current one marked, and its steps so far.
pub async fn walkthrough_html(store: &dyn CaseStore, lang: Lang) -> Result<Option<(String, String)>, AppError> {
    let Some(no) = store.meta_get(WALKTHROUGH_KEY).await? else { return Ok(None) };
    let Ok(no) = crate::domain::case::CaseNo::parse(&no) else { return Ok(None) };
    let Some(case) = store.get(&no).await? else { return Ok(None) };
    let events = store.events(&no).await?;
    let current = stage_of(case.kind, case.state);
    let mut html = format!(
        r#"<p class="walk-what">{} · {}</p><ol class="walk-stages">"#,
        esc(i18n::kind(lang, case.kind)),
        esc(&i18n::category_name(lang, &case.content.category)),
    );
    for (i, name) in stages(lang, case.kind).into_iter().enumerate() {
        let (class, mark) = match i.cmp(&current) {
            std::cmp::Ordering::Less => ("done", ""),
            std::cmp::Ordering::Equal => ("current", r#" aria-current="step""#),
            std::cmp::Ordering::Greater => ("todo", ""),
        };
        html.push_str(&format!(r#"<li class="{class}"{mark}>{}</li>"#, esc(name)));
    }
    html.push_str(r#"</ol><ol class="walk-steps">"#);
    // The last six steps, in the order they happened.
    for e in events.iter().skip(events.len().saturating_sub(6)) {
        let t = super::china_time_of(e.at);
        html.push_str(&format!(
            "<li><span class=\"walk-at\">{:02}-{:02} {:02}:{:02}</span> {}</li>",
            t.month() as u8,
            t.day(),
            t.hour(),
            t.minute(),
            esc(step_label(lang, e.action))
        ));
    }
    html.push_str("</ol>");
    Ok(Some((no.as_str().to_owned(), html)))
}

pub fn screen_figures(f: &crate::domain::stats::Figures, today: i64) -> ScreenFigures {
    use crate::pages::stats::{pct, yuan};
    let t = &f.totals;
    ScreenFigures {
        year_received: t.received.to_string(),
        today_received: today.to_string(),
        acceptance: pct(t.acceptance_rate()),
        settlement: pct(t.settlement_rate()),
        satisfaction: pct(t.satisfaction_rate()),
        recovered: yuan(t.recovered_fen),
        in_time: pct(t.in_time_rate()),
    }
}

/// This year's figures and the items received today, now.
pub async fn current_figures(
    store: &dyn CaseStore,
    cache: &super::stats::FiguresCache,
    now: time::OffsetDateTime,
) -> Result<ScreenFigures, AppError> {
    let year = super::china_date(now).year();
    let figures = super::stats::figures(store, cache, crate::domain::stats::Period::Year(year)).await?;
    Ok(screen_figures(&figures, received_today(store, now).await?))
}

/// The items received since midnight in China, `now`.
pub async fn received_today(store: &dyn CaseStore, now: time::OffsetDateTime) -> Result<i64, AppError> {
    let midnight = super::china_date(now).midnight().assume_offset(time::UtcOffset::from_hms(8, 0, 0).expect("offset"));
    store.received_since(super::unix_ms(midnight)).await
}
