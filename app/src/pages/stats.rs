//! `/stats` — public statistics of a year, quarter or month beside the same period a year
//! earlier: items by kind and channel, the rates the centre reports, money recovered, times
//! taken, by category and by prefecture, the monthly trend. Every figure says how it is computed
//! (on hover or focus, and in the table of definitions). Charts are SVG drawn on the server.

use crate::domain::stats::{Figures, Measures, Period};
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::server_fns::stats::get_stats;
use crate::views::stats::{days_text, growth_text, pct, yuan};
use crate::views::stats::{period_label, StatsData};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// One headline figure: its name, value now and a year earlier, and how it is computed.
pub struct Headline {
    pub id: &'static str,
    pub name: &'static str,
    pub now: String,
    pub before: String,
    pub growth: Option<String>,
    pub definition: &'static str,
}

pub fn headlines(lang: Lang, f: &Figures) -> Vec<Headline> {
    let (t, b) = (&f.totals, &f.before);
    let m = lang.msgs();
    // A headline's name and definition are the catalogue's `headline__<id>` and `headline_def__<id>`.
    let row = |id, now: String, before: String, growth| Headline {
        id,
        name: m.term("headline", id),
        now,
        before,
        growth,
        definition: m.term("headline_def", id),
    };
    vec![
        row(
            "received",
            t.received.to_string(),
            b.received.to_string(),
            Some(growth_text(crate::domain::stats::growth(t.received, b.received))),
        ),
        row("acceptance", pct(t.acceptance_rate()), pct(b.acceptance_rate()), None),
        row(
            "recovered",
            yuan(t.recovered_fen),
            yuan(b.recovered_fen),
            Some(growth_text(crate::domain::stats::growth(t.recovered_fen, b.recovered_fen))),
        ),
        row("settlement", pct(t.settlement_rate()), pct(b.settlement_rate()), None),
        row("satisfaction", pct(t.satisfaction_rate()), pct(b.satisfaction_rate()), None),
        row("in-time", pct(t.in_time_rate()), pct(b.in_time_rate()), None),
        row("decision-days", days_text(lang, f.median_decision_days), "—".into(), None),
        row("closure-days", days_text(lang, f.median_closure_days), "—".into(), None),
        row("odr-settlement", pct(t.odr_settlement_rate()), pct(b.odr_settlement_rate()), None),
        row("business-share", pct(t.business_share()), pct(b.business_share()), None),
        row("odr-days", days_text(lang, f.median_odr_days), "—".into(), None),
        row("solved", pct(t.solved_rate()), pct(b.solved_rate()), None),
        row("partly", pct(t.partly_rate()), pct(b.partly_rate()), None),
    ]
}

fn period_links(lang: Lang, p: Period) -> impl IntoView {
    let today = crate::pages::home::today_in_china();
    let link = |label: String, to: Period, current: bool| {
        view! {
            <li><a href=format!("/stats?period={}", to.code()) rel="external"
                aria-current=current.then_some("page")>{label}</a></li>
        }
    };
    view! {
        <nav class="period-nav" aria-label=lang.msgs().stats_period>
            <ul class="chips">
                {link(lang.msgs().stats_previous.to_owned(), p.prev(), false)}
                {link(lang.msgs().stats_next.to_owned(), p.next(), false)}
                {[("year", lang.msgs().stats_this_year), ("quarter", lang.msgs().stats_this_quarter), ("month", lang.msgs().stats_this_month)]
                    .into_iter()
                    .map(|(k, label)| { let to = Period::containing(k, today); link(label.to_owned(), to, to == p) })
                    .collect_view()}
            </ul>
        </nav>
    }
}

fn kind_rows(lang: Lang, f: &Figures) -> Vec<(String, i64, i64, String)> {
    let mut rows: Vec<(String, i64, i64, String)> = f
        .by_kind
        .iter()
        .map(|(k, p)| (i18n::kind(lang, *k).to_owned(), p.now, p.before, growth_text(p.growth())))
        .collect();
    rows.extend(
        f.by_channel
            .iter()
            .map(|(c, p)| (i18n::channel(lang, *c).to_owned(), p.now, p.before, growth_text(p.growth()))),
    );
    rows
}

fn measure_row(name: String, m: &Measures) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{name}</th>
            <td>{m.received}</td>
            <td>{pct(m.acceptance_rate())}</td>
            <td>{pct(m.settlement_rate())}</td>
            <td>{yuan(m.recovered_fen)}</td>
            <td>{pct(m.satisfaction_rate())}</td>
        </tr>
    }
}

/// A scrollable table of the measures by prefecture or by category.
fn measure_table(
    lang: Lang,
    id: &'static str,
    label: &'static str,
    first: &'static str,
    rows: Vec<(String, Measures)>,
) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=label>
            <table data-testid=id>
                {measure_head(lang, first)}
                <tbody>{rows.into_iter().map(|(name, m)| measure_row(name, &m)).collect_view()}</tbody>
            </table>
        </div>
    }
}

fn measure_head(lang: Lang, first: &'static str) -> impl IntoView {
    view! {
        <thead><tr>
            <th scope="col">{first}</th>
            <th scope="col">{lang.msgs().stats_received}</th>
            <th scope="col">{lang.msgs().stats_accepted}</th>
            <th scope="col">{lang.msgs().stats_settled}</th>
            <th scope="col">{lang.msgs().stats_recovered_yuan}</th>
            <th scope="col">{lang.msgs().stats_satisfied}</th>
        </tr></thead>
    }
}

fn stats_view(lang: Lang, d: StatsData) -> impl IntoView {
    let f = d.figures;
    let p = f.period;
    let now_label = period_label(lang, &p);
    let before_label = period_label(lang, &p.year_before());
    let heads = headlines(lang, &f);
    let defs: Vec<(String, String, String, String)> =
        heads.iter().map(|h| (h.name.to_owned(), h.now.clone(), h.before.clone(), h.definition.to_owned())).collect();
    let kinds = kind_rows(lang, &f);
    let cats = f.by_category.clone();
    let prefs = f.by_prefecture.clone();
    let monthly = f.monthly.clone();
    view! {
        <h1>{lang.msgs().stats_statistics}" · "<span data-testid="period">{now_label.clone()}</span></h1>
        <p class="hint">{lang.msgs().stats_updated_with_every_step}{before_label.clone()}{lang.msgs().stats_sym}</p>
        {period_links(lang, p)}
        <form method="get" action="/stats" class="period-form">
            <label for="period">{lang.msgs().stats_period_e_g_2026}</label>
            <input id="period" name="period" value=p.code() inputmode="numeric" autocomplete="off" />
            <button type="submit">{lang.msgs().stats_show}</button>
        </form>
        <ul class="figures" data-testid="figures">
            {heads.into_iter().map(|h| view! {
                <li class="figure" tabindex="0" data-figure=h.id aria-describedby=format!("def-{}", h.id)>
                    <span class="fig-name">{h.name}</span>
                    <span class="fig-value" data-testid=format!("fig-{}", h.id)>{h.now}</span>
                    <span class="fig-before">{lang.msgs().stats_year_before}{h.before}{h.growth.map(|g| format!(" · {g}"))}</span>
                    <span class="fig-def" id=format!("def-{}", h.id) role="tooltip">{h.definition}</span>
                </li>
            }).collect_view()}
        </ul>
        <p><a href=format!("/stats.csv?period={}", p.code()) rel="external" download="" data-testid="csv">{lang.msgs().stats_download_the_tables_csv}</a></p>

        <h2 id="by-kind">{lang.msgs().stats_by_kind_and_channel}</h2>
        <div class="chart-wrap" inner_html=d.channel_svg></div>
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.msgs().stats_by_kind_and_channel_2>
            <table data-testid="by-kind">
                <thead><tr>
                    <th scope="col">{lang.msgs().stats_kind_channel}</th>
                    <th scope="col">{now_label.clone()}</th>
                    <th scope="col">{before_label.clone()}</th>
                    <th scope="col">{lang.msgs().stats_change}</th>
                </tr></thead>
                <tbody>
                    {kinds.into_iter().map(|(name, now, before, g)| view! {
                        <tr><th scope="row">{name}</th><td>{now}</td><td>{before}</td><td>{g}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2 id="trend">{lang.msgs().stats_monthly_trend}</h2>
        <div class="chart-wrap" inner_html=d.trend_svg></div>
        <details>
            <summary>{lang.msgs().stats_monthly_table}</summary>
            <div class="table-wrap" tabindex="0" role="region" aria-label=lang.msgs().stats_monthly_table>
                <table data-testid="monthly">
                    <thead><tr><th scope="col">{lang.msgs().stats_month}</th><th scope="col">{now_label.clone()}</th><th scope="col">{before_label.clone()}</th></tr></thead>
                    <tbody>{monthly.into_iter().map(|(m, pair)| view! { <tr><th scope="row">{m}</th><td>{pair.now}</td><td>{pair.before}</td></tr> }).collect_view()}</tbody>
                </table>
            </div>
        </details>

        <h2 id="by-prefecture">{lang.msgs().stats_by_prefecture}</h2>
        <div class="chart-wrap" data-testid="map" inner_html=d.map_svg></div>
        {measure_table(lang, "by-prefecture", lang.msgs().stats_by_prefecture_table, lang.msgs().stats_prefecture,
            prefs.into_iter().map(|(code, m)| (i18n::prefecture_name(lang, &code), m)).collect())}

        <h2 id="by-category">{lang.msgs().stats_by_goods_or_service}</h2>
        <div class="chart-wrap" inner_html=d.category_svg></div>
        {measure_table(lang, "by-category", lang.msgs().stats_by_category_table, lang.msgs().stats_category,
            cats.into_iter().map(|(code, m)| (i18n::category_name(lang, &code), m)).collect())}

        <h2 id="top-businesses">{lang.msgs().stats_top_businesses}</h2>
        {if d.top_businesses.is_empty() {
            view! { <p class="hint" data-testid="no-top-businesses">{lang.msgs().stats_no_business_this_month}</p> }.into_any()
        } else {
            view! {
                <ol class="top-businesses" data-testid="top-businesses">
                    {d.top_businesses.into_iter().map(|b| view! {
                        <li><a href=crate::views::disclosure::record_href(&b.key) rel="external">{b.name}</a>" · "{b.complaints}</li>
                    }).collect_view()}
                </ol>
                <p class="hint"><a href="/businesses" rel="external">{lang.msgs().stats_all_businesses}</a></p>
            }.into_any()
        }}

        <h2 id="keywords">{lang.msgs().stats_what_consumers_complain_about}</h2>
        {match d.cloud_svg {
            Some(svg) => view! {
                <div class="chart-wrap" data-testid="cloud" inner_html=svg></div>
                <p class="hint">{lang.msgs().stats_from_the_facts_of}" "<a href="/cases">{lang.msgs().stats_read_the_typical_cases}</a></p>
            }.into_any(),
            None => view! { <p class="hint">{lang.msgs().stats_no_typical_case_has}</p> }.into_any(),
        }}

        <h2 id="definitions">{lang.msgs().stats_how_each_figure_is}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.msgs().stats_definitions_table>
            <table data-testid="definitions">
                <thead><tr>
                    <th scope="col">{lang.msgs().stats_figure}</th>
                    <th scope="col">{now_label}</th>
                    <th scope="col">{before_label}</th>
                    <th scope="col">{lang.msgs().stats_how_it_is_computed}</th>
                </tr></thead>
                <tbody>{defs.into_iter().map(|(n, a, b, def)| view! { <tr><th scope="row">{n}</th><td>{a}</td><td>{b}</td><td>{def}</td></tr> }).collect_view()}</tbody>
            </table>
        </div>
        <p class="hint">{lang.msgs().stats_each_figure_counts_in}</p>
    }
}

#[component]
pub fn StatsPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let query = use_query_map();
    let period = move || query.read().get("period").unwrap_or_default();
    let data = crate::wire::blocking(period, move |p| async move { get_stats(p, lang.tag().to_owned()).await });
    view! {
        <Title text=lang.msgs().stats_statistics_qinghai_12315 />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => stats_view(lang, d).into_any(),
                    Err(e) => {
                        #[cfg(feature = "ssr")]
                        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                            if let Ok(s) = http::StatusCode::from_u16(e.status()) {
                                res.set_status(s);
                            }
                        }
                        let msg = match &e {
                            crate::error::AppError::Invalid(_) => lang.msgs().stats_that_period_is_not,
                            _ => lang.msgs().stats_the_statistics_cannot_be,
                        };
                        view! {
                            <h1>{lang.msgs().stats_statistics}</h1>
                            <div class="error-summary" role="alert" data-testid="period-error">
                                <p>{msg}</p>
                            </div>
                            <form method="get" action="/stats" class="period-form">
                                <label for="period">{lang.msgs().stats_period_e_g_2026}</label>
                                <input id="period" name="period" aria-invalid="true" aria-describedby="period-err" />
                                <span id="period-err" class="field-error">{msg}</span>
                                <button type="submit">{lang.msgs().stats_show}</button>
                            </form>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
