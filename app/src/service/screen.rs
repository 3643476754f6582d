//! The open-day screen: the ticker of the latest steps (what kind of item, which category and
//! prefecture, which state — never who), the year's headline figures, and the walk-through of one
//! case: chosen by a supervisor in the console (or `server screen follow <case no>`), or, when
//! none is chosen, the case of the latest step of a kind (complaints unless a supervisor picks
//! another kind).

use crate::error::AppError;
use crate::i18n::{self, Lang};
use crate::ports::{CaseStore, FeedItem};
use crate::views::stats::{ScreenData, ScreenFigures, TickView};

/// The site setting naming the case the walk-through panel follows.
pub const WALKTHROUGH_KEY: &str = "walkthrough";

pub fn tick(lang: Lang, item: &FeedItem) -> TickView {
    let prefecture = item
        .county
        .as_deref()
        .and_then(crate::domain::region::prefecture_of)
        .map(|p| lang.pick(&p.zh, &p.en).to_owned())
        .unwrap_or_else(|| lang.msgs().screen_qinghai.to_owned());
    let t = crate::domain::clock::china_time_of(item.at);
    TickView {
        id: item.id,
        at: format!("{:02}:{:02}", t.hour(), t.minute()),
        kind: i18n::kind(lang, item.kind).to_owned(),
        category: i18n::category_name(lang, &item.category),
        prefecture,
        state: i18n::state(lang, item.to_state).to_owned(),
    }
}

/// The walk-through panel of the case the wall follows, if one is chosen: its case number and HTML.
pub async fn walkthrough_html(store: &dyn CaseStore, lang: Lang) -> Result<Option<(String, String)>, AppError> {
    Ok(walkthrough_in(store, &[lang], |_| true).await?.map(|(no, mut html)| (no, html.remove(0).1)))
}

/// The walk-through panel and its case number, read once and drawn in each of `langs`; the
/// case is read only if `wanted` says so of its number (the live feed wants it when it moved).
pub async fn walkthrough_in(
    store: &dyn CaseStore,
    langs: &[Lang],
    wanted: impl Fn(&crate::domain::case::CaseNo) -> bool,
) -> Result<Option<(String, Vec<(Lang, String)>)>, AppError> {
    let Some(no) = followed(store).await? else { return Ok(None) };
    if !wanted(&no) {
        return Ok(None);
    }
    let Some(case) = store.get(&no).await? else { return Ok(None) };
    let steps: Vec<_> = store.events(&no).await?.iter().map(|e| (e.action, e.at)).collect();
    let html = langs
        .iter()
        .map(|&lang| {
            (lang, crate::views::screen::walkthrough_html(lang, case.kind, &case.content.category, case.state, &steps))
        })
        .collect();
    Ok(Some((no.as_str().to_owned(), html)))
}

/// What the walk-through panel follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Follow {
    /// This case, chosen by a supervisor.
    Case(crate::domain::case::CaseNo),
    /// The case of the latest step of an item of this kind, whichever it is now.
    Latest(crate::domain::kind::ItemKind),
}

impl Follow {
    /// A choice as posted or kept: a case number, or `latest:<kind>`; `None` if it is neither.
    pub fn from_code(v: &str) -> Option<Self> {
        match v.strip_prefix("latest:") {
            Some(k) => crate::domain::kind::ItemKind::from_code(k).map(Follow::Latest),
            None => crate::domain::case::CaseNo::parse(v).ok().map(Follow::Case),
        }
    }

    /// As kept in the site settings; nothing kept (or anything unreadable) follows the latest
    /// complaint.
    pub fn parse(kept: Option<&str>) -> Self {
        kept.and_then(Self::from_code).unwrap_or(Follow::Latest(crate::domain::kind::ItemKind::Complaint))
    }

    pub fn kept(&self) -> String {
        match self {
            Follow::Case(no) => no.as_str().to_owned(),
            Follow::Latest(kind) => format!("latest:{}", kind.code()),
        }
    }
}

/// The case the panel follows now: the one chosen, or the case of the latest step of the kind
/// (none while no item of that kind has a step among the latest hundred).
pub async fn followed(store: &dyn CaseStore) -> Result<Option<crate::domain::case::CaseNo>, AppError> {
    match Follow::parse(store.meta_get(WALKTHROUGH_KEY).await?.as_deref()) {
        Follow::Case(no) => Ok(Some(no)),
        // The feed of the latest steps comes oldest first.
        Follow::Latest(kind) => {
            Ok(store.feed(None, 100).await?.into_iter().rev().find(|i| i.kind == kind).map(|i| i.case_no))
        }
    }
}

/// A supervisor (or an admin) chooses what the open-day screen follows (audited as
/// `screen_follow`). A case must exist; `NotFound` otherwise.
pub async fn follow(
    services: &crate::service::state::Services,
    staff: &crate::domain::staff::Staff,
    choice: &Follow,
    client: Option<&str>,
    now: time::OffsetDateTime,
) -> Result<(), AppError> {
    use crate::domain::workflow::Role;
    if !matches!(staff.role, Role::Supervisor | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    if let Follow::Case(no) = choice {
        services.cases.get(no).await?.ok_or(AppError::NotFound)?;
    }
    services.cases.meta_set(WALKTHROUGH_KEY, &choice.kept()).await?;
    let actor = Some(staff.username.as_str());
    crate::service::audit::audit(services, now, actor, "screen_follow", Some(&choice.kept()), client).await
}

/// What the console shows of the choice: the case followed, or the kind whose latest step is.
pub async fn following(services: &crate::service::state::Services) -> Result<Follow, AppError> {
    Ok(Follow::parse(services.cases.meta_get(WALKTHROUGH_KEY).await?.as_deref()))
}

pub fn screen_figures(f: &crate::domain::stats::Figures, today: i64) -> ScreenFigures {
    use crate::views::stats::{pct, yuan};
    let t = &f.totals;
    ScreenFigures {
        year_received: t.received.to_string(),
        today_received: today.to_string(),
        acceptance: pct(t.acceptance_rate()),
        settlement: pct(t.settlement_rate()),
        satisfaction: pct(t.satisfaction_rate()),
        recovered: yuan(t.recovered_fen),
        in_time: pct(t.in_time_rate()),
        odr: pct(t.odr_settlement_rate()),
    }
}

/// This year's figures and the items received today, now.
pub async fn current_figures(
    store: &dyn CaseStore,
    cache: &super::stats::FiguresCache,
    now: time::OffsetDateTime,
) -> Result<ScreenFigures, AppError> {
    let year = crate::domain::clock::china_date(now).year();
    let figures = super::stats::figures(store, cache, crate::domain::stats::Period::Year(year)).await?;
    Ok(screen_figures(&figures, received_today(store, now).await?))
}

/// The items received since midnight in China, `now`.
pub async fn received_today(store: &dyn crate::ports::StatsStore, now: time::OffsetDateTime) -> Result<i64, AppError> {
    let midnight = crate::domain::clock::china_date(now)
        .midnight()
        .assume_offset(time::UtcOffset::from_hms(8, 0, 0).expect("offset"));
    store.received_since(crate::domain::clock::unix_ms(midnight)).await
}

/// Businesses and hot issues the wall lists (what fits its column at 1920×1080).
const SCREEN_BUSINESSES: i64 = 5;
const SCREEN_ISSUES: i64 = 8;

/// The wall's first view in `lang`: this year's figures, the map, the latest steps and the
/// walk-through panel.
pub async fn first_view(
    services: &crate::service::state::Services,
    lang: Lang,
    now: time::OffsetDateTime,
) -> Result<ScreenData, AppError> {
    services.read_lagging(|store| async move { first_view_from(&store, &services.figures, lang, now).await }).await
}

async fn first_view_from(
    store: &std::sync::Arc<dyn CaseStore>,
    cache: &super::stats::FiguresCache,
    lang: Lang,
    now: time::OffsetDateTime,
) -> Result<ScreenData, AppError> {
    let year = crate::domain::clock::china_date(now).year();
    let year = super::stats::figures(store.as_ref(), cache, crate::domain::stats::Period::Year(year)).await?;
    let ticker = store.feed(None, 6).await?.iter().rev().map(|i| tick(lang, i)).collect();
    let month = crate::domain::stats::month_of(crate::domain::clock::china_date(now));
    let top = crate::service::rankings::top(store, &cache.rankings, &month, SCREEN_BUSINESSES).await?;
    let hot = store.keywords(SCREEN_ISSUES).await?;
    Ok(ScreenData {
        top_businesses: top.into_iter().map(|b| (b.name, b.complaints)).collect(),
        hot_issues: hot.into_iter().map(|(w, _)| w).collect(),
        figures: screen_figures(&year, received_today(store.as_ref(), now).await?),
        map_svg: crate::views::stats::map_svg(&year, lang),
        ticker,
        walk_html: walkthrough_html(store.as_ref(), lang).await?.map(|(_, html)| html),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kind::ItemKind;

    #[test]
    fn the_choice_is_a_case_or_the_latest_of_a_kind_and_nothing_follows_complaints() {
        let no = crate::domain::case::CaseNo::parse("QH-2026-000123").unwrap();
        assert_eq!(Follow::parse(Some("QH-2026-000123")), Follow::Case(no.clone()));
        assert_eq!(Follow::parse(Some("latest:report")), Follow::Latest(ItemKind::Report));
        assert_eq!(Follow::parse(None), Follow::Latest(ItemKind::Complaint));
        assert_eq!(Follow::parse(Some("latest:nonsense")), Follow::Latest(ItemKind::Complaint));
        for f in [Follow::Case(no), Follow::Latest(ItemKind::Consultation)] {
            assert_eq!(Follow::parse(Some(&f.kept())), f);
        }
    }
}
