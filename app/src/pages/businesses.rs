//! `/businesses` — each business's complaint record before you buy: search by name or credit
//! code, county and category. `/businesses/{key}` — one business: its figures over the last 12
//! months, the monthly chart, and its closed complaints as disclosed (no personal data). Plain
//! links and `GET` forms: the pages are sent without WebAssembly.

use crate::domain::disclosure::{rules, Disclosed, Handling};
use crate::domain::FieldError;
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::server_fns::disclosure::{get_businesses, get_record};
use crate::views::disclosure::{record_href, BusinessHit, BusinessesParams, RecordView};
use crate::views::stats::{days_text, growth_text, pct, yuan};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn county_name(lang: Lang, code: &str) -> String {
    crate::domain::region::county(code).map(|c| lang.pick(&c.zh, &c.en).to_owned()).unwrap_or_else(|| code.to_owned())
}

fn set_status(e: &crate::error::AppError) {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(s) = http::StatusCode::from_u16(e.status()) {
            res.set_status(s);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = e;
}

fn search_form(lang: Lang, p: &BusinessesParams, errors: &[FieldError]) -> impl IntoView {
    let m = lang.msgs();
    let error = |f: &str| errors.iter().find(|e| e.field == f).map(|e| i18n::invalid(lang, &e.invalid));
    let field_error =
        |f: &'static str| error(f).map(|text| view! { <p class="error" id=format!("{f}-error")>{text}</p> });
    let described = |f: &str| error(f).map(|_| format!("{f}-error"));
    let counties = crate::domain::region::prefectures().iter().flat_map(|p| p.counties.iter());
    view! {
        <form method="get" action="/businesses" class="filters" role="search" data-testid="businesses-search">
            <div class="field">
                <label for="q">{m.businesses_q}</label>
                <input id="q" name="q" type="search" value=p.q.clone() autocomplete="organization"
                    aria-invalid=error("q").map(|_| "true") aria-describedby=described("q") />
                {field_error("q")}
            </div>
            <div class="field">
                <label for="county">{m.businesses_county}</label>
                <select id="county" name="county" aria-invalid=error("county").map(|_| "true") aria-describedby=described("county")>
                    <option value="">{m.businesses_all}</option>
                    {counties.map(|c| view! {
                        <option value=c.code.clone() selected=p.county == c.code>{lang.pick(&c.zh, &c.en).to_owned()}</option>
                    }).collect_view()}
                </select>
                {field_error("county")}
            </div>
            <div class="field">
                <label for="category">{m.businesses_category}</label>
                <select id="category" name="category" aria-invalid=error("category").map(|_| "true") aria-describedby=described("category")>
                    <option value="">{m.businesses_all}</option>
                    {crate::domain::category::for_kind(crate::domain::kind::ItemKind::Complaint).map(|c| view! {
                        <option value=c.code.clone() selected=p.category == c.code>{lang.pick(&c.zh, &c.en).to_owned()}</option>
                    }).collect_view()}
                </select>
                {field_error("category")}
            </div>
            <button type="submit">{m.businesses_search}</button>
        </form>
    }
}

fn hits_table(lang: Lang, hits: Vec<BusinessHit>) -> impl IntoView {
    let m = lang.msgs();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=m.businesses_found>
            <table data-testid="businesses">
                <thead><tr>
                    <th scope="col">{m.businesses_name}</th>
                    <th scope="col">{m.businesses_credit_code}</th>
                    <th scope="col">{m.businesses_county}</th>
                    <th scope="col">{m.businesses_complaints}</th>
                </tr></thead>
                <tbody>
                    {hits.into_iter().map(|h| view! {
                        <tr>
                            <th scope="row"><a href=record_href(&h.key) rel="external">{h.name}</a></th>
                            <td>{h.credit_code.unwrap_or_else(|| m.businesses_no_code.to_owned())}</td>
                            <td>{county_name(lang, &h.county)}</td>
                            <td>{h.complaints}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn hot_table(lang: Lang, hot: Vec<(String, Vec<(String, i64)>)>) -> impl IntoView {
    let m = lang.msgs();
    view! {
        <h2>{m.businesses_hot}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label=m.businesses_hot>
            <table data-testid="hot-goods">
                <thead><tr><th scope="col">{m.businesses_prefecture}</th><th scope="col">{m.businesses_category}</th></tr></thead>
                <tbody>
                    {hot.into_iter().map(|(p, cats)| view! {
                        <tr>
                            <th scope="row">{i18n::prefecture_name(lang, &p)}</th>
                            <td>{cats.into_iter().map(|(c, n)| format!("{} {n}", i18n::category_name(lang, &c))).collect::<Vec<_>>().join("、")}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn rules_note(lang: Lang) -> impl IntoView {
    let r = rules();
    let m = lang.msgs();
    view! {
        <details class="rules" data-testid="disclosure-rules">
            <summary>{m.businesses_rules}</summary>
            <p>{r.instrument.clone()}</p>
            <p>{lang.pick(&r.zh, &r.en).to_owned()}</p>
            {(!r.verified).then(|| view! { <p class="hint" data-testid="unverified">{m.businesses_unverified}" "{r.source.clone()}</p> })}
        </details>
    }
}

#[component]
pub fn BusinessesPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        BusinessesParams { q: get("q"), county: get("county"), category: get("category") }
    };
    let data = crate::wire::blocking(params, |p| async move { get_businesses(p).await });
    let m = lang.msgs();
    view! {
        <Title text=m.businesses_title />
        <h1>{m.businesses_heading}</h1>
        <p class="hint">{m.businesses_intro}</p>
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                let p = params();
                let searched = !(p.q.trim().is_empty() && p.county.is_empty() && p.category.is_empty());
                match data.await {
                    Ok(v) => {
                        let window = i18n::fill(m.businesses_window, &[("from", &v.from), ("to", &v.to)]);
                        view! {
                            {search_form(lang, &p, &[])}
                            <h2>{if searched { m.businesses_found } else { m.businesses_most }}</h2>
                            {(!p.county.is_empty()).then(|| view! {
                                <p><a href=format!("/businesses/county/{}/feed.atom", p.county) rel="external" type="application/atom+xml" data-testid="county-feed">{m.businesses_county_feed}</a>
                                    " · "<a href=format!("/alerts?target=c:{}", p.county) rel="external" data-testid="county-alerts">{m.alerts_by_email}</a></p>
                            })}
                            <p class="hint">{window}</p>
                            {if v.hits.is_empty() {
                                view! { <p data-testid="no-businesses">{m.businesses_none}</p> }.into_any()
                            } else {
                                hits_table(lang, v.hits).into_any()
                            }}
                            {(!v.hot.is_empty()).then(|| hot_table(lang, v.hot))}
                            {rules_note(lang)}
                            <p><a href="/api" rel="external">{m.businesses_api}</a></p>
                        }.into_any()
                    }
                    Err(e) => {
                        set_status(&e);
                        let errors = match e { crate::error::AppError::Invalid(errs) => errs, _ => Vec::new() };
                        view! {
                            <div class="error-summary" role="alert" data-testid="businesses-error">
                                <p>{m.businesses_error}</p>
                            </div>
                            {search_form(lang, &p, &errors)}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn figure(name: &'static str, id: &'static str, value: String) -> impl IntoView {
    view! {
        <li class="figure">
            <span class="fig-name">{name}</span>
            <span class="fig-value" data-testid=format!("fig-{id}")>{value}</span>
        </li>
    }
}

/// A disclosed complaint as the public reads it (also in the business's console).
pub(crate) fn disclosed_item(lang: Lang, id: i64, d: Disclosed, corrected_on: Option<String>) -> impl IntoView {
    let m = lang.msgs();
    let withheld = || view! { <span class="hint">{m.businesses_words_withheld}</span> };
    let request = match (&d.demand, d.request.clone()) {
        (Some(k), Some(t)) => Some(format!("{}：{t}", m.term("demand", k))),
        (Some(k), None) => Some(m.term("demand", k).to_owned()),
        (None, t) => t,
    };
    let handling = Handling::code(d.handling);
    let outcome = match d.recovered_fen {
        Some(f) => format!("{} · {} 元", m.term("handling", handling), crate::domain::money::Fen(f).to_yuan_string()),
        None => m.term("handling", handling).to_owned(),
    };
    view! {
        <article class="disclosed" id=format!("complaint-{id}") data-testid="disclosed" data-id=id>
            <h3>{i18n::category_name(lang, &d.category)}" · "{d.handled.clone()}
                " "<span class="hint">{crate::domain::disclosure::objection::item_label(id)}</span></h3>
            {corrected_on.map(|on| view! {
                <p class="hint" data-testid="corrected">{i18n::fill(m.businesses_corrected, &[("on", &on)])}</p>
            })}
            <dl class="facts-list">
                <dt>{m.businesses_complainant}</dt><dd data-testid="complainant">{d.complainant}</dd>
                <dt>{m.businesses_place}</dt><dd>{county_name(lang, &d.county)}</dd>
                <dt>{m.businesses_goods}</dt><dd>{i18n::category_name(lang, &d.category)}</dd>
                <dt>{m.businesses_complained}</dt><dd>{d.complained}</dd>
                <dt>{m.businesses_arose}</dt><dd>{d.arose.unwrap_or_else(|| "—".into())}</dd>
                <dt>{m.businesses_issue}</dt>
                <dd data-testid="issue">{match d.issue { Some(t) => view! { <span>{t}</span> }.into_any(), None => withheld().into_any() }}</dd>
                <dt>{m.businesses_request}</dt><dd>{request.unwrap_or_else(|| "—".into())}</dd>
                <dt>{m.businesses_handled}</dt><dd>{d.handled}</dd>
                <dt>{m.businesses_handling}</dt><dd data-testid="handling">{outcome}</dd>
            </dl>
        </article>
    }
}

fn record_view(lang: Lang, v: RecordView, segment: String) -> impl IntoView {
    let m = lang.msgs();
    let f = v.figures;
    let b = v.business;
    let key = b.key.clone();
    let window = i18n::fill(m.businesses_window, &[("from", &f.from), ("to", &f.to)]);
    let next = v.next.map(|n| format!("/businesses/{segment}?before={n}"));
    let feed = format!("/businesses/{segment}/feed.atom");
    view! {
        <p><a href="/businesses" rel="external">{m.businesses_back}</a></p>
        <h1 data-testid="business-name">{b.name.clone()}</h1>
        <p class="hint">
            {m.businesses_credit_code}"："{b.credit_code.clone().unwrap_or_else(|| m.businesses_no_code.to_owned())}
            " · "{m.businesses_county}"："{county_name(lang, &b.county)}
        </p>
        {v.named.then(|| view! { <p class="notice" role="note" data-testid="named-note">{m.businesses_named_note}</p> })}
        {v.odr.map(|s| view! { <p>{m.businesses_odr}"："<span data-testid="odr">{m.term("odr_status", &s)}</span></p> })}
        {(!v.pledges.is_empty()).then(|| view! {
            <p>{m.businesses_pledges}"："{v.pledges.iter().map(|p| m.term("pledge", p)).collect::<Vec<_>>().join("、")}</p>
        })}
        <h2>{m.businesses_figures}</h2>
        <p class="hint">{window}</p>
        <ul class="figures" data-testid="business-figures">
            {figure(m.businesses_complaints, "complaints", f.complaints.to_string())}
            {figure(m.businesses_growth, "growth", growth_text(f.growth))}
            {figure(m.businesses_accepted, "accepted", f.accepted.to_string())}
            {figure(m.businesses_settled, "settled", f.settled.to_string())}
            {figure(m.businesses_mediation_rate, "mediation", pct(f.mediation_rate))}
            {figure(m.businesses_odr_rate, "odr", pct(f.odr_rate))}
            {figure(m.businesses_median_days, "days", days_text(lang, f.median_days))}
            {figure(m.businesses_recovered, "recovered", yuan(f.recovered_fen))}
        </ul>
        <div class="chart-wrap" inner_html=v.chart></div>
        {(!f.top_categories.is_empty()).then(|| view! {
            <h3>{m.businesses_top_categories}</h3>
            <ul>
                {f.top_categories.into_iter().map(|(c, n)| view! { <li>{i18n::category_name(lang, &c)}" · "{n}</li> }).collect_view()}
            </ul>
        })}
        <h2>{m.businesses_disclosed}</h2>
        <leptos_meta::Link rel="alternate" type_="application/atom+xml" href=feed.clone() />
        <p><a href=feed rel="external" type="application/atom+xml" data-testid="feed">{m.businesses_feed}</a></p>
        <details class="alerts">
            <summary>{m.alerts_by_email}</summary>
            {crate::pages::alerts::subscribe_form(lang, &format!("b:{key}"), "", &[])}
        </details>
        {v.items.is_empty().then(|| view! { <p data-testid="no-disclosed">{m.businesses_no_disclosed}</p> })}
        {v.items.into_iter().map(|(id, d, c)| disclosed_item(lang, id, d, c)).collect_view()}
        {next.map(|h| view! { <p><a href=h rel="external" data-testid="more">{m.businesses_more}</a></p> })}
        {rules_note(lang)}
    }
}

#[component]
pub fn BusinessRecordPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let params = use_params_map();
    let query = use_query_map();
    let segment = move || params.read().get("key").unwrap_or_default();
    let args = move || (segment(), query.read().get("before").unwrap_or_default());
    let data = crate::wire::blocking(args, move |(key, before)| async move {
        let key = crate::views::disclosure::key_of_segment(&key);
        get_record(key, before, lang.tag().to_owned()).await
    });
    let m = lang.msgs();
    view! {
        <Title text=m.businesses_record_title />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => record_view(lang, v, crate::views::disclosure::record_href(&crate::views::disclosure::key_of_segment(&segment()))
                        .trim_start_matches("/businesses/").to_owned()).into_any(),
                    Err(e) => {
                        set_status(&e);
                        view! {
                            <p><a href="/businesses" rel="external">{m.businesses_back}</a></p>
                            <h1>{m.businesses_heading}</h1>
                            <p data-testid="record-missing">{m.businesses_not_found}</p>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
