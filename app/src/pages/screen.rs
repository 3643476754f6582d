//! `/stats/screen` — the open day's wall: this year's figures in large type, the map, a ticker of
//! the latest steps (anonymised), the walk-through of one demonstration case, and the businesses
//! complained of most this month with the hot issues (as the wall opened). Dark, high
//! contrast, no scrolling at 1920×1080 and 3840×2160. Kept live by `/screen.js`, which listens to
//! the server-sent events of `/stats/live` (the browser reconnects on its own).

use crate::i18n::Lang;
use crate::prefs::use_prefs;
use crate::server_fns::stats::get_screen;
use crate::views::stats::ScreenData;
use leptos::prelude::*;
use leptos_meta::{Script, Title};

fn screen_view(lang: Lang, demo: bool, d: ScreenData) -> impl IntoView {
    let f = d.figures;
    let tiles = [
        ("year_received", lang.msgs().screen_received_this_year, f.year_received),
        ("today_received", lang.msgs().screen_received_today, f.today_received),
        ("acceptance", lang.msgs().screen_acceptance_rate, f.acceptance),
        ("settlement", lang.msgs().screen_settlement_rate, f.settlement),
        ("satisfaction", lang.msgs().screen_satisfaction, f.satisfaction),
        ("recovered", lang.msgs().screen_recovered_yuan, f.recovered),
        ("in_time", lang.msgs().screen_decided_in_time, f.in_time),
        ("odr", lang.msgs().screen_odr_settlement, f.odr),
    ];
    view! {
        <div class="screen" data-testid="screen">
            <header class="screen-head">
                <h1>{lang.msgs().screen_qinghai_12315_open_day}</h1>
                <p class="screen-live" data-testid="live-status" data-state="connecting">
                    <span class="dot" aria-hidden="true"></span>
                    <span>{lang.msgs().screen_live}</span>
                </p>
            </header>
            <ul class="screen-figures">
                {tiles.into_iter().map(|(key, name, value)| view! {
                    <li><span class="sf-name">{name}</span><span class="sf-value" data-fig=key data-testid=format!("screen-{key}")>{value}</span></li>
                }).collect_view()}
            </ul>
            <section class="screen-map" aria-label=lang.msgs().screen_this_year_by_prefecture>
                <div inner_html=d.map_svg></div>
            </section>
            <section class="screen-ticker" aria-label=lang.msgs().screen_latest_steps>
                <h2>{lang.msgs().screen_latest_steps}</h2>
                <ol id="ticker" data-testid="ticker" aria-live="polite">
                    {d.ticker.into_iter().map(|t| view! {
                        <li data-id=t.id.to_string()>
                            <span class="t-at">{t.at}</span>
                            <span class="t-what">{t.kind}" · "{t.category}" · "{t.prefecture}</span>
                            <span class="t-state">{t.state}</span>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
            <section class="screen-walk" aria-label=lang.msgs().screen_walk_through>
                <h2>{lang.msgs().screen_walk_through}</h2>
                <div id="walk" data-testid="walk" aria-live="polite" inner_html=d.walk_html.unwrap_or_else(|| {
                    format!("<p>{}</p>", lang.msgs().screen_no_demonstration_case_chosen)
                })></div>
            </section>
            <section class="screen-rank" aria-label=lang.msgs().screen_most_complained>
                <h2>{lang.msgs().screen_most_complained}</h2>
                {d.top_businesses.is_empty().then(|| view! { <p>{lang.msgs().stats_no_business_this_month}</p> })}
                <ol data-testid="screen-businesses">
                    {d.top_businesses.into_iter().map(|(name, n)| view! {
                        <li><span class="r-name">{name}</span><span class="r-n">{n}</span></li>
                    }).collect_view()}
                </ol>
                <h2>{lang.msgs().screen_hot_issues}</h2>
                <ul class="screen-hot" data-testid="screen-hot">
                    {d.hot_issues.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                </ul>
            </section>
            {demo.then(|| view! { <p class="demo-note" role="note">{lang.msgs().demo_banner}</p> })}
        </div>
        <Script src="/screen.js" defer="" />
    }
}

#[component]
pub fn StatsScreenPage() -> impl IntoView {
    let prefs = use_prefs();
    let (lang, demo) = (prefs.lang, prefs.demo);
    let data = crate::wire::blocking(|| (), move |_| async move { get_screen(lang.tag().to_owned()).await });
    view! {
        <Title text=lang.msgs().screen_open_day_screen_qinghai />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => screen_view(lang, demo, d).into_any(),
                    Err(_) => view! {
                        <p role="alert">{lang.msgs().screen_the_figures_cannot_be}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
