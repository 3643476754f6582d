//! `/guide` — the workflow explained: what 12315 accepts and does not, the steps and their
//! deadlines (from the rule set in force, never written into the page), how to prepare evidence,
//! the consumer's basic rights and an FAQ (markdown in `app/content/`, rendered on the server).

use crate::domain::rules::{self, Unit};
use crate::i18n::Lang;
use crate::prefs::use_prefs;
use crate::server_fns::guide::get_guide;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn GuidePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let rs = rules::in_force_on(crate::pages::home::today_in_china());
    let code = if lang == Lang::En { "en" } else { "zh-CN" };
    let prose = Resource::new_blocking(move || code.to_owned(), |l| async move { get_guide(l).await });
    let period = move |days: u32, unit: Unit| match (lang, unit) {
        (Lang::Zh, Unit::Working) => format!("{days}个工作日"),
        (Lang::Zh, Unit::Calendar) => format!("{days}日"),
        (Lang::En, Unit::Working) => format!("{days} working days"),
        (Lang::En, Unit::Calendar) => format!("{days} days"),
    };
    let steps = [
        (lang.pick("登记", "Received"), lang.pick("网上、电话、信件、留言或窗口提交后登记，给出案件编号和查询码。", "Registered when you file online, by phone, letter, voice message or in person; you get a case number and a query code.")),
        (lang.pick("受理决定", "Acceptance decision"), lang.pick("决定受理或不予受理，不予受理的说明依据。", "Accepted, or not accepted with the numbered ground.")),
        (lang.pick("调解", "Mediation"), lang.pick("在线、电话或现场调解；检测鉴定期间不计入期限。", "Online, by phone or on site; time for testing or appraisal does not count.")),
        (lang.pick("结果", "Outcome"), lang.pick("达成调解协议，或终止调解并告知双方。", "An agreement, or mediation ended and both sides told.")),
        (lang.pick("办结与评价", "Closed and rated"), lang.pick("办结后可以评价；对办结有异议的可以提出。", "After closure you may rate the handling, or contest the closure.")),
    ];
    let deadlines: Vec<_> = rs.deadlines.values().cloned().collect();
    let grounds = rs.refusal_grounds.clone();
    let title = lang.pick(&rs.title.zh, &rs.title.en).to_owned();
    view! {
        <Title text=lang.pick("办事指南 - 青海12315", "Guide - Qinghai 12315") />
        <h1>{lang.pick("办事指南", "How 12315 works")}</h1>
        <p class="hint" data-testid="rule-set">{lang.pick("依据：", "Rules in force: ")}{title}</p>
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                let html = prose.await.unwrap_or_default();
                view! { <article class="prose" data-testid="guide-text" inner_html=html></article> }
            })}
        </Suspense>
        <h2 id="steps">{lang.pick("办理流程和期限", "Steps and deadlines")}</h2>
        <ol class="flow" data-testid="flow">
            {steps.into_iter().map(|(name, text)| view! { <li><strong>{name}</strong>" "{text}</li> }).collect_view()}
        </ol>
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.pick("法定期限（可横向滚动）", "Deadlines (scrolls sideways)")>
            <table data-testid="deadlines">
                <caption>{lang.pick("法定期限", "Deadlines")}</caption>
                <thead><tr>
                    <th scope="col">{lang.pick("规定", "Rule")}</th>
                    <th scope="col">{lang.pick("期限", "Period")}</th>
                    <th scope="col">{lang.pick("依据", "Article")}</th>
                </tr></thead>
                <tbody>
                    {deadlines.into_iter().map(|d| view! {
                        <tr>
                            <td>{lang.pick(&d.zh, &d.en).to_owned()}</td>
                            <td>{period(d.days, d.unit)}</td>
                            <td>{d.article.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="hint">{lang.pick(&rs.counting.note.zh, &rs.counting.note.en).to_owned()}</p>
        <h2 id="not-accepted">{lang.pick("不予受理的情形", "When a complaint is not accepted")}</h2>
        <ol data-testid="grounds">
            {grounds.into_iter().map(|g| view! {
                <li>{lang.pick(&g.zh, &g.en).to_owned()}<span class="hint">{format!("（{}）", g.article)}</span></li>
            }).collect_view()}
        </ol>
        <p><a href="/file" class="button primary">{lang.pick("在线投诉、举报或咨询", "File a complaint, report or question")}</a></p>
    }
}
