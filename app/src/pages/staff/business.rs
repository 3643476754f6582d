//! `/staff/business` and `/staff/business/cases/{case_no}` — the console of a business of the
//! ODR lane: its complaints with their countdown, a complaint (facts, demand, the consumer's
//! phone while the negotiation is open) and the answer form, a plain form handled by the server
//! (`POST /staff/business/cases/{case_no}`), so it works without JavaScript.

use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::views::forms::ConsoleState;
use crate::views::odr::OdrCaseView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn refused(lang: Lang) -> AnyView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <h1>{lang.msgs().staff_case_not_available}</h1>
        <p><a href="/staff/business">{lang.msgs().biz_back}</a></p>
    }
    .into_any()
}

fn countdown(lang: Lang, days: Option<i64>) -> String {
    match days {
        Some(d) if d < 0 => lang.msgs().biz_overdue.to_owned(),
        Some(d) => i18n::fill(lang.msgs().biz_days_left, &[("days", &d)]),
        None => String::new(),
    }
}

#[component]
pub fn BusinessQueuePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let m = lang.msgs();
    let data = crate::wire::blocking(|| (), |_| async move { crate::server_fns::odr::get_odr_queue().await });
    view! {
        <Title text=m.biz_title />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(q) => view! {
                        <h1>{m.biz_heading}</h1>
                        <p>{q.business.clone()}" · "{q.credit_code.clone()}</p>
                        {q.lines.is_empty().then(|| view! { <p data-testid="biz-none">{m.biz_none}</p> })}
                        <ul class="cards" data-testid="biz-queue">
                            {q.lines.into_iter().map(|l| view! {
                                <li>
                                    <a href=format!("/staff/business/cases/{}", l.case_no)>{l.case_no.clone()}</a>
                                    " · "{lang.msgs().term("state", &l.state)}
                                    <br />{m.biz_received}" "{l.received_on.clone()}
                                    {l.due_on.clone().map(|d| view! { " · "{m.biz_due}" "{d}" · "{countdown(lang, l.days_left)} })}
                                </li>
                            }).collect_view()}
                        </ul>
                        <p><a href="/staff/business/record">{m.biz_obj_heading}</a></p>
                        <form method="post" action="/staff/logout"><button type="submit">{m.staff_queue_sign_out}</button></form>
                    }.into_any(),
                    Err(_) => refused(lang),
                }
            })}
        </Suspense>
    }
}

fn answer_form(lang: Lang, v: &OdrCaseView, state: &ConsoleState) -> impl IntoView {
    let m = lang.msgs();
    let error = |f: &str| state.errors.iter().find(|e| e.field == f).map(|e| i18n::invalid(lang, &e.invalid));
    let (remedy_err, amount_err, text_err) = (error("remedy"), error("recovered"), error("text"));
    let action = format!("/staff/business/cases/{}", v.case_no);
    let f = &state.form;
    let chosen = |a: &str| f.action == a || (f.action.is_empty() && a == "odr_offer");
    view! {
        <h2 id="answer">{m.biz_answer}</h2>
        {state.problem.clone().map(|_| view! { <p role="alert">{m.staff_case_not_available}</p> })}
        <form method="post" action=action data-testid="biz-answer">
            <input type="hidden" name="version" value=v.version.to_string() />
            <fieldset>
                <legend>{m.biz_answer}</legend>
                <label><input type="radio" name="action" value="odr_offer" checked=chosen("odr_offer") />" "{m.biz_offer}</label>
                <label><input type="radio" name="action" value="odr_decline" checked=chosen("odr_decline") />" "{m.biz_decline}</label>
            </fieldset>
            <div class="field">
                <label for="remedy">{m.biz_remedy}</label>
                {remedy_err.clone().map(|e| view! { <p class="field-error" id="remedy-error">{e}</p> })}
                <select id="remedy" name="remedy" aria-invalid=remedy_err.is_some().then_some("true")
                    aria-describedby=remedy_err.is_some().then_some("remedy-error")>
                    <option value="">"—"</option>
                    {crate::domain::odr::OdrRemedy::ALL.iter().map(|r| view! {
                        <option value=r.code() selected=f.remedy == r.code()>{lang.msgs().term("remedy", r.code())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="recovered">{m.biz_amount}</label>
                {amount_err.clone().map(|e| view! { <p class="field-error" id="recovered-error">{e}</p> })}
                <input id="recovered" name="recovered" inputmode="decimal" value=f.recovered.clone()
                    aria-invalid=amount_err.is_some().then_some("true")
                    aria-describedby=amount_err.is_some().then_some("recovered-error") />
            </div>
            <div class="field">
                <label for="text">{m.biz_text}</label>
                {text_err.clone().map(|e| view! { <p class="field-error" id="text-error">{e}</p> })}
                <textarea id="text" name="text" rows="4" aria-invalid=text_err.is_some().then_some("true")
                    aria-describedby=text_err.is_some().then_some("text-error")>{f.text.clone()}</textarea>
            </div>
            <button type="submit">{m.biz_send}</button>
        </form>
    }
}

#[component]
pub fn BusinessCasePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let m = lang.msgs();
    let params = leptos_router::hooks::use_params_map();
    let case_no = move || params.read().get("case_no").unwrap_or_default();
    let data = crate::wire::blocking(case_no, |no| async move { crate::server_fns::odr::get_odr_case(no).await });
    let state = crate::components::form_state::read::<ConsoleState>("console-state");
    let done = use_query_map().read_untracked().get("done").is_some();
    view! {
        <Title text=m.biz_title />
        {crate::components::form_state::script("console-state", &state)}
        <p><a href="/staff/business">{m.biz_back}</a></p>
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! {
                            <h1>{m.biz_case}" "{v.case_no.clone()}</h1>
                            {done.then(|| view! { <p role="status" data-testid="biz-done">{m.biz_done}</p> })}
                            <p data-testid="biz-state">{lang.msgs().term("state", &v.state)}</p>
                            {v.due_on.clone().map(|d| view! {
                                <p>{m.biz_due}" "{d}" · "{countdown(lang, v.days_left)}</p>
                                <p class="hint">{if lang == Lang::Zh { v.rule_zh.clone() } else { v.rule_en.clone() }}
                                    {(!v.rule_verified).then(|| view! { " "{m.track_article_unverified} })}</p>
                            })}
                            <dl>
                                <dt>{m.biz_received}</dt><dd>{v.received_on.clone()}</dd>
                                <dt>{m.biz_consumer}</dt><dd>{v.consumer_name.clone()}</dd>
                                <dt>{m.biz_phone}</dt><dd data-testid="biz-phone">{v.consumer_phone.clone()}</dd>
                                <dt>{m.biz_facts}</dt><dd>{v.facts.clone()}</dd>
                                {v.demand.clone().map(|d| view! {
                                    <dt>{m.biz_demand}</dt>
                                    <dd>{lang.msgs().term("demand", &d)}{v.demand_text.clone().map(|t| format!(" · {t}"))}</dd>
                                })}
                            </dl>
                            <p>{i18n::fill(m.biz_evidence, &[("n", &v.evidence)])}</p>
                            {if v.can_answer { answer_form(lang, &v, &state).into_any() } else {
                                view! { <p data-testid="biz-closed">{m.biz_closed}</p> }.into_any()
                            }}
                            <h2>{m.biz_history}</h2>
                            <ol>
                                {v.events.iter().map(|e| view! {
                                    <li>{e.at.clone()}" · "{lang.msgs().term("action", &e.action)}
                                        {e.detail.as_deref().and_then(|d| i18n::step_detail(lang, &e.action, d)).map(|t| format!(" · {t}"))}</li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(_) => refused(lang),
                    }
                })
            }}
        </Suspense>
    }
}
