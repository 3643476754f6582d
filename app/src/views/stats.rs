//! The open day: the figures of /stats and of the wall, and how they are written.

use crate::domain::stats::Figures;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// What `/stats` shows: the figures and the charts (SVG text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsData {
    pub figures: Figures,
    pub trend_svg: String,
    pub channel_svg: String,
    pub map_svg: String,
    pub category_svg: String,
    /// The keyword cloud of the published typical cases (none before any is published).
    pub cloud_svg: Option<String>,
    /// The businesses complained of most this month (their public records).
    #[serde(default)]
    pub top_businesses: Vec<crate::views::disclosure::BusinessHit>,
}

/// What the open-day screen shows when it opens (the live feed keeps it current).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenData {
    pub figures: ScreenFigures,
    pub map_svg: String,
    pub ticker: Vec<TickView>,
    pub walk_html: Option<String>,
    /// The businesses complained of most this month (name, complaints), from their records.
    #[serde(default)]
    pub top_businesses: Vec<(String, i64)>,
    /// Hot issues: the most frequent words of the typical cases (as `/stats`' cloud).
    #[serde(default)]
    pub hot_issues: Vec<String>,
}

/// One line of the ticker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickView {
    pub id: i64,
    /// `HH:MM`, China time.
    pub at: String,
    pub kind: String,
    pub category: String,
    pub prefecture: String,
    pub state: String,
}

/// The figures the screen shows, formatted (they are sent again after every step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenFigures {
    pub year_received: String,
    pub today_received: String,
    pub acceptance: String,
    pub settlement: String,
    pub satisfaction: String,
    pub recovered: String,
    pub in_time: String,
    /// The ODR early-settlement rate.
    #[serde(default)]
    pub odr: String,
}

/// "2026年", "2026年第3季度", "2026年7月" / "2026", "Q3 2026", "July 2026".
pub fn period_label(lang: crate::i18n::Lang, p: &crate::domain::stats::Period) -> String {
    use crate::domain::stats::Period;
    use crate::i18n::fill;
    let msgs = lang.msgs();
    match *p {
        Period::Year(y) => fill(msgs.stats_period_year, &[("year", &y)]),
        Period::Quarter(y, q) => fill(msgs.stats_period_quarter, &[("year", &y), ("quarter", &q)]),
        Period::Month(y, m) => {
            let month =
                msgs.stats_month_names.split_whitespace().nth(usize::from(m).saturating_sub(1)).unwrap_or_default();
            fill(msgs.stats_period_month, &[("year", &y), ("month", &month)])
        }
    }
}

/// A prefecture's short name for a small tile: "海西蒙古族藏族自治州" → "海西州".
pub fn short_zh(name: &str) -> String {
    match [name.find("蒙古族"), name.find("藏族")].into_iter().flatten().min() {
        Some(i) => format!("{}州", &name[..i]),
        None => name.to_owned(),
    }
}

pub fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_else(|| "—".into())
}

pub fn growth_text(v: Option<f64>) -> String {
    match v {
        Some(x) if x >= 0.0 => format!("+{:.1}%", x * 100.0),
        Some(x) => format!("{:.1}%", x * 100.0),
        None => "—".into(),
    }
}

/// Whole yuan with thousands separators: 1234567 fen → "12,346".
pub fn yuan(fen: i64) -> String {
    let y = (fen + 50) / 100;
    let digits = y.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if y < 0 {
        format!("-{out}")
    } else {
        out
    }
}

pub fn days_text(lang: Lang, d: Option<f64>) -> String {
    match d {
        Some(d) if d.fract() == 0.0 => format!("{d:.0}{}", lang.msgs().stats_days),
        Some(d) => format!("{d:.1}{}", lang.msgs().stats_days),
        None => "—".into(),
    }
}

#[cfg(feature = "ssr")]
/// The charts of `/stats` for `figures` in `lang`; the keyword cloud when `words` (word, count)
/// has any.
pub fn draw(figures: Figures, lang: crate::i18n::Lang, words: &[(String, usize)]) -> StatsData {
    use crate::i18n::channel;
    use crate::views::charts;
    let now_label = period_label(lang, &figures.period);
    let before_label = period_label(lang, &figures.period.year_before());
    let legend = (now_label.as_str(), before_label.as_str());
    let trend = charts::trend(
        "chart-trend",
        lang.msgs().stats_items_received_per_month,
        &figures.monthly.iter().map(|(m, p)| (m.clone(), p.now, p.before)).collect::<Vec<_>>(),
        legend,
    );
    let channels = charts::bars(
        "chart-channel",
        lang.msgs().stats_items_by_channel,
        &figures
            .by_channel
            .iter()
            .map(|(c, p)| (channel(lang, *c).to_owned(), p.now, Some(p.before)))
            .collect::<Vec<_>>(),
        legend,
    );
    let map = map_svg(&figures, lang);
    let cats: Vec<(String, i64, Option<i64>)> = figures
        .by_category
        .iter()
        .take(10)
        .map(|(code, m)| (crate::i18n::category_name(lang, code), m.received, None))
        .collect();
    let categories =
        charts::bars("chart-category", lang.msgs().stats_the_10_categories_with, &cats, (now_label.as_str(), ""));
    StatsData {
        figures,
        trend_svg: trend,
        channel_svg: channels,
        map_svg: map,
        category_svg: categories,
        cloud_svg: (!words.is_empty())
            .then(|| charts::cloud("chart-cloud", lang.msgs().stats_frequent_words_in_the, words)),
        top_businesses: Vec::new(),
    }
}

/// The map of the 8 prefectures, shaded by the items received in `figures`' period.
#[cfg(feature = "ssr")]
pub fn map_svg(figures: &Figures, lang: crate::i18n::Lang) -> String {
    use crate::i18n::Lang;
    use crate::views::charts;
    let map_rows: Vec<(String, String, i64)> = crate::domain::region::prefectures()
        .iter()
        .map(|p| {
            let n = figures.by_prefecture.iter().find(|(c, _)| *c == p.code).map(|(_, m)| m.received).unwrap_or(0);
            let name = if lang == Lang::En { p.en.clone() } else { short_zh(&p.zh) };
            (p.code.clone(), name, n)
        })
        .collect();
    charts::prefecture_map(
        "chart-map",
        lang.msgs().stats_items_in_qinghai_s,
        lang.msgs().stats_schematic_tiles_placed_roughly,
        &map_rows,
    )
}
