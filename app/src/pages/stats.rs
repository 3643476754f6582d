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
    let h = |id, name, now: String, before: String, growth, definition| Headline {
        id,
        name,
        now,
        before,
        growth,
        definition,
    };
    vec![
        h(
            "received",
            lang.pick("登记总量（件）", "Items received"),
            t.received.to_string(),
            b.received.to_string(),
            Some(growth_text(crate::domain::stats::growth(t.received, b.received))),
            lang.pick(
                "本期收到的咨询、投诉和举报件数，按收到日期计，含电话、信件、互联网、留言和窗口。",
                "Consultations, complaints and reports received in the period (by date of receipt), from every channel.",
            ),
        ),
        h(
            "acceptance",
            lang.pick("投诉受理率", "Acceptance rate"),
            pct(t.acceptance_rate()),
            pct(b.acceptance_rate()),
            None,
            lang.pick(
                "本期作出受理决定的投诉中决定受理的比例：受理 ÷（受理 + 不予受理）。",
                "Of the complaints decided in the period, the share accepted: accepted ÷ (accepted + refused).",
            ),
        ),
        h(
            "recovered",
            lang.pick("挽回经济损失（元）", "Losses recovered (yuan)"),
            yuan(t.recovered_fen),
            yuan(b.recovered_fen),
            Some(growth_text(crate::domain::stats::growth(t.recovered_fen, b.recovered_fen))),
            lang.pick(
                "本期达成调解协议的投诉中，协议约定经营者退赔消费者的金额合计。",
                "The money businesses agreed to pay back to consumers in the mediation agreements of the period.",
            ),
        ),
        h(
            "settlement",
            lang.pick("调解成功率", "Dispute-settlement rate"),
            pct(t.settlement_rate()),
            pct(b.settlement_rate()),
            None,
            lang.pick(
                "本期结束调解的投诉中达成调解协议的比例：达成协议 ÷（达成协议 + 终止调解）。",
                "Of the mediations concluded in the period, the share settled: settled ÷ (settled + ended without agreement).",
            ),
        ),
        h(
            "satisfaction",
            lang.pick("满意率", "Satisfaction rate"),
            pct(t.satisfaction_rate()),
            pct(b.satisfaction_rate()),
            None,
            lang.pick(
                "本期消费者首次作出的评价中，对办理过程评4星或5星的比例（改评后按最新评价计）。",
                "Of the ratings first given in the period, the share giving the handling 4 or 5 stars (a changed rating counts as changed).",
            ),
        ),
        h(
            "in-time",
            lang.pick("按期作出受理决定", "Decided within the deadline"),
            pct(t.in_time_rate()),
            pct(b.in_time_rate()),
            None,
            lang.pick(
                "本期受理决定中，在规则规定的期限内（按工作日，节假日和调休按日历）作出的比例；检测鉴定期间不计。",
                "Of the acceptance decisions in the period, the share taken within the statutory period (working days, by the holiday calendar; testing time not counted).",
            ),
        ),
        h(
            "decision-days",
            lang.pick("受理决定用时（中位数）", "Time to decision (median)"),
            days_text(lang, f.median_decision_days),
            "—".into(),
            None,
            lang.pick(
                "本期作出受理决定的投诉，自收到之日到决定之日的自然日数的中位数。",
                "For complaints decided in the period: the median number of calendar days from receipt to the decision.",
            ),
        ),
        h(
            "closure-days",
            lang.pick("办结用时（中位数）", "Time to closure (median)"),
            days_text(lang, f.median_closure_days),
            "—".into(),
            None,
            lang.pick(
                "本期首次办结的投诉，自收到之日到办结之日的自然日数的中位数。",
                "For complaints first closed in the period: the median number of calendar days from receipt to closure.",
            ),
        ),
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
        <nav class="period-nav" aria-label=lang.pick("统计期间", "Period")>
            <ul class="chips">
                {link(lang.pick("← 上一期", "← Previous").to_owned(), p.prev(), false)}
                {link(lang.pick("下一期 →", "Next →").to_owned(), p.next(), false)}
                {[("year", lang.pick("本年", "This year")), ("quarter", lang.pick("本季度", "This quarter")), ("month", lang.pick("本月", "This month"))]
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

fn measure_head(lang: Lang, first: &'static str) -> impl IntoView {
    view! {
        <thead><tr>
            <th scope="col">{first}</th>
            <th scope="col">{lang.pick("登记量", "Received")}</th>
            <th scope="col">{lang.pick("受理率", "Accepted")}</th>
            <th scope="col">{lang.pick("调解成功率", "Settled")}</th>
            <th scope="col">{lang.pick("挽回损失（元）", "Recovered (yuan)")}</th>
            <th scope="col">{lang.pick("满意率", "Satisfied")}</th>
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
        <h1>{lang.pick("统计数据", "Statistics")}" · "<span data-testid="period">{now_label.clone()}</span></h1>
        <p class="hint">{lang.pick("数据随每一步办理实时更新；与上年同期（", "Updated with every step taken; compared with the same period a year earlier (")}{before_label.clone()}{lang.pick("）比较。", ").")}</p>
        {period_links(lang, p)}
        <form method="get" action="/stats" class="period-form">
            <label for="period">{lang.pick("统计期间（如 2026、2026-Q3、2026-07）", "Period (e.g. 2026, 2026-Q3, 2026-07)")}</label>
            <input id="period" name="period" value=p.code() inputmode="numeric" autocomplete="off" />
            <button type="submit">{lang.pick("查看", "Show")}</button>
        </form>
        <ul class="figures" data-testid="figures">
            {heads.into_iter().map(|h| view! {
                <li class="figure" tabindex="0" data-figure=h.id aria-describedby=format!("def-{}", h.id)>
                    <span class="fig-name">{h.name}</span>
                    <span class="fig-value" data-testid=format!("fig-{}", h.id)>{h.now}</span>
                    <span class="fig-before">{lang.pick("上年同期 ", "Year before ")}{h.before}{h.growth.map(|g| format!(" · {g}"))}</span>
                    <span class="fig-def" id=format!("def-{}", h.id) role="tooltip">{h.definition}</span>
                </li>
            }).collect_view()}
        </ul>
        <p><a href=format!("/stats.csv?period={}", p.code()) rel="external" download="" data-testid="csv">{lang.pick("下载统计表（CSV）", "Download the tables (CSV)")}</a></p>

        <h2 id="by-kind">{lang.pick("按类型和渠道", "By kind and channel")}</h2>
        <div class="chart-wrap" inner_html=d.channel_svg></div>
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.pick("按类型和渠道（表格）", "By kind and channel (table)")>
            <table data-testid="by-kind">
                <thead><tr>
                    <th scope="col">{lang.pick("类型/渠道", "Kind / channel")}</th>
                    <th scope="col">{now_label.clone()}</th>
                    <th scope="col">{before_label.clone()}</th>
                    <th scope="col">{lang.pick("同比", "Change")}</th>
                </tr></thead>
                <tbody>
                    {kinds.into_iter().map(|(name, now, before, g)| view! {
                        <tr><th scope="row">{name}</th><td>{now}</td><td>{before}</td><td>{g}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2 id="trend">{lang.pick("月度趋势", "Monthly trend")}</h2>
        <div class="chart-wrap" inner_html=d.trend_svg></div>
        <details>
            <summary>{lang.pick("月度数据表", "Monthly table")}</summary>
            <div class="table-wrap" tabindex="0" role="region" aria-label=lang.pick("月度数据表", "Monthly table")>
                <table data-testid="monthly">
                    <thead><tr><th scope="col">{lang.pick("月份", "Month")}</th><th scope="col">{now_label.clone()}</th><th scope="col">{before_label.clone()}</th></tr></thead>
                    <tbody>{monthly.into_iter().map(|(m, pair)| view! { <tr><th scope="row">{m}</th><td>{pair.now}</td><td>{pair.before}</td></tr> }).collect_view()}</tbody>
                </table>
            </div>
        </details>

        <h2 id="by-prefecture">{lang.pick("按市州", "By prefecture")}</h2>
        <div class="chart-wrap" data-testid="map" inner_html=d.map_svg></div>
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.pick("按市州（表格）", "By prefecture (table)")>
            <table data-testid="by-prefecture">
                {measure_head(lang, lang.pick("市州", "Prefecture"))}
                <tbody>{prefs.into_iter().map(|(code, m)| measure_row(i18n::prefecture_name(lang, &code), &m)).collect_view()}</tbody>
            </table>
        </div>

        <h2 id="by-category">{lang.pick("按商品和服务类别", "By goods or service category")}</h2>
        <div class="chart-wrap" inner_html=d.category_svg></div>
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.pick("按类别（表格）", "By category (table)")>
            <table data-testid="by-category">
                {measure_head(lang, lang.pick("类别", "Category"))}
                <tbody>{cats.into_iter().map(|(code, m)| measure_row(i18n::category_name(lang, &code), &m)).collect_view()}</tbody>
            </table>
        </div>

        <h2 id="keywords">{lang.pick("消费者关注的问题", "What consumers complain about")}</h2>
        {match d.cloud_svg {
            Some(svg) => view! {
                <div class="chart-wrap" data-testid="cloud" inner_html=svg></div>
                <p class="hint">{lang.pick("取自已公开的典型案例（消费者同意公开、经去除个人信息并经审核）的事实描述，用 jieba 分词后统计词频。", "From the facts of the published typical cases (published with the consumer's consent, personal data removed, approved by a supervisor), segmented into words with jieba and counted.")}" "<a href="/cases">{lang.pick("查看典型案例", "Read the typical cases")}</a></p>
            }.into_any(),
            None => view! { <p class="hint">{lang.pick("尚无公开的典型案例。", "No typical case has been published yet.")}</p> }.into_any(),
        }}

        <h2 id="definitions">{lang.pick("指标说明", "How each figure is computed")}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.pick("指标说明（表格）", "Definitions (table)")>
            <table data-testid="definitions">
                <thead><tr>
                    <th scope="col">{lang.pick("指标", "Figure")}</th>
                    <th scope="col">{now_label}</th>
                    <th scope="col">{before_label}</th>
                    <th scope="col">{lang.pick("计算方法", "How it is computed")}</th>
                </tr></thead>
                <tbody>{defs.into_iter().map(|(n, a, b, def)| view! { <tr><th scope="row">{n}</th><td>{a}</td><td>{b}</td><td>{def}</td></tr> }).collect_view()}</tbody>
            </table>
        </div>
        <p class="hint">{lang.pick("每件按其办理步骤发生的月份计入：收到计入收到当月，受理决定计入决定当月，评价计入首次评价当月。", "Each figure counts in the month its step happened: an item in the month it was received, a decision in the month it was taken, a rating in the month it was first given.")}</p>
    }
}

#[component]
pub fn StatsPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let query = use_query_map();
    let period = move || query.read().get("period").unwrap_or_default();
    let data = Resource::new_blocking(period, move |p| async move { get_stats(p, lang.tag().to_owned()).await });
    view! {
        <Title text=lang.pick("统计数据 - 青海12315", "Statistics - Qinghai 12315") />
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
                            crate::error::AppError::Invalid(_) => lang.pick(
                                "统计期间格式不对：请写年份（2026）、季度（2026-Q3）或月份（2026-07）。",
                                "That period is not valid: write a year (2026), a quarter (2026-Q3) or a month (2026-07).",
                            ),
                            _ => lang.pick("统计数据暂时无法读取，请稍后再试。", "The statistics cannot be read just now; please try again later."),
                        };
                        view! {
                            <h1>{lang.pick("统计数据", "Statistics")}</h1>
                            <div class="error-summary" role="alert" data-testid="period-error">
                                <p>{msg}</p>
                            </div>
                            <form method="get" action="/stats" class="period-form">
                                <label for="period">{lang.pick("统计期间（如 2026、2026-Q3、2026-07）", "Period (e.g. 2026, 2026-Q3, 2026-07)")}</label>
                                <input id="period" name="period" aria-invalid="true" aria-describedby="period-err" />
                                <span id="period-err" class="field-error">{msg}</span>
                                <button type="submit">{lang.pick("查看", "Show")}</button>
                            </form>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
