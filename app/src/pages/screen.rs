//! `/stats/screen` — the open day's wall: this year's figures in large type, the map, a ticker of
//! the latest steps (anonymised) and the walk-through of one demonstration case. Dark, high
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
        ("year_received", lang.pick("本年登记", "Received this year"), f.year_received),
        ("today_received", lang.pick("今日登记", "Received today"), f.today_received),
        ("acceptance", lang.pick("投诉受理率", "Acceptance rate"), f.acceptance),
        ("settlement", lang.pick("调解成功率", "Settlement rate"), f.settlement),
        ("satisfaction", lang.pick("满意率", "Satisfaction"), f.satisfaction),
        ("recovered", lang.pick("挽回损失（元）", "Recovered (yuan)"), f.recovered),
        ("in_time", lang.pick("按期受理决定", "Decided in time"), f.in_time),
    ];
    view! {
        <div class="screen" data-testid="screen">
            <header class="screen-head">
                <h1>{lang.pick("青海12315 · 开放日", "Qinghai 12315 · Open day")}</h1>
                <p class="screen-live" data-testid="live-status" data-state="connecting">
                    <span class="dot" aria-hidden="true"></span>
                    <span>{lang.pick("实时", "Live")}</span>
                </p>
            </header>
            <ul class="screen-figures">
                {tiles.into_iter().map(|(key, name, value)| view! {
                    <li><span class="sf-name">{name}</span><span class="sf-value" data-fig=key data-testid=format!("screen-{key}")>{value}</span></li>
                }).collect_view()}
            </ul>
            <section class="screen-map" aria-label=lang.pick("各市州本年登记量", "This year by prefecture")>
                <div inner_html=d.map_svg></div>
            </section>
            <section class="screen-ticker" aria-label=lang.pick("最新动态", "Latest steps")>
                <h2>{lang.pick("最新动态", "Latest steps")}</h2>
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
            <section class="screen-walk" aria-label=lang.pick("办理流程演示", "Walk-through")>
                <h2>{lang.pick("办理流程演示", "Walk-through")}</h2>
                <div id="walk" data-testid="walk" aria-live="polite" inner_html=d.walk_html.unwrap_or_else(|| {
                    format!("<p>{}</p>", lang.pick("尚未选择演示案件。", "No demonstration case chosen yet."))
                })></div>
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
    let data = Resource::new_blocking(|| (), move |_| async move { get_screen(lang.tag().to_owned()).await });
    view! {
        <Title text=lang.pick("开放日大屏 - 青海12315", "Open-day screen - Qinghai 12315") />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => screen_view(lang, demo, d).into_any(),
                    Err(_) => view! {
                        <p role="alert">{lang.pick("数据暂时无法读取，请稍后再试。", "The figures cannot be read just now.")}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
