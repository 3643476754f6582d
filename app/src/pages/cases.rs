//! `/cases` — typical cases: closed items published with the consumer's consent, redacted and
//! approved by a supervisor; searchable by category and prefecture. `/staff/publish` — the
//! supervisors' review of the drafts.

use crate::domain::FieldError;
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::server_fns::publish::{get_cases, get_publish_queue};
use crate::views::forms::PublishState;
use crate::views::publish::{CasesParams, CasesView, Draft};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn kind_name(lang: Lang, code: &str) -> &'static str {
    crate::domain::kind::ItemKind::from_code(code).map(|k| i18n::kind(lang, k)).unwrap_or("")
}

fn case_card(lang: Lang, d: Draft) -> impl IntoView {
    view! {
        <article class="typical" data-testid="typical-case">
            <h2>{i18n::category_name(lang, &d.category)}" · "{i18n::prefecture_name(lang, &d.prefecture)}</h2>
            <p class="hint">{kind_name(lang, &d.kind)}" · "{lang.msgs().cases_closed_on}{d.closed_on}</p>
            <h3>{lang.msgs().cases_what_happened}</h3>
            <p class="facts">{d.facts}</p>
            <h3>{lang.msgs().cases_outcome}</h3>
            <p>{d.result}</p>
        </article>
    }
}

fn filter_form(lang: Lang, p: &CasesParams, errors: &[FieldError]) -> impl IntoView {
    let err = |f: &str| errors.iter().any(|e| e.field == f);
    let cats = crate::domain::category::all();
    view! {
        <form method="get" action="/cases" class="filters" data-testid="cases-filter">
            <div class="field">
                <label for="category">{lang.msgs().cases_category}</label>
                <select id="category" name="category" aria-invalid=err("category").then_some("true")>
                    <option value="">{lang.msgs().cases_all}</option>
                    {cats.iter().map(|c| view! {
                        <option value=c.code.clone() selected=p.category == c.code>{lang.pick(&c.zh, &c.en).to_owned()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="prefecture">{lang.msgs().cases_prefecture}</label>
                <select id="prefecture" name="prefecture" aria-invalid=err("prefecture").then_some("true")>
                    <option value="">{lang.msgs().cases_all}</option>
                    {crate::domain::region::prefectures().iter().map(|x| view! {
                        <option value=x.code.clone() selected=p.prefecture == x.code>{lang.pick(&x.zh, &x.en).to_owned()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">{lang.msgs().cases_search}</button>
        </form>
    }
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        CasesParams { category: get("category"), prefecture: get("prefecture"), before: get("before") }
    };
    let data = crate::wire::blocking(params, |p| async move { get_cases(p).await });
    view! {
        <Title text=lang.msgs().cases_typical_cases_qinghai_12315 />
        <h1>{lang.msgs().cases_typical_cases}</h1>
        <p class="hint">{lang.msgs().cases_closed_cases_published_with}</p>
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                let p = params();
                match data.await {
                    Ok(CasesView { cases, next }) => {
                        let empty = cases.is_empty();
                        let next_href = next.map(|n| {
                            // Checked codes and a keyset of a date and a case number: nothing to escape.
                            format!("/cases?category={}&prefecture={}&before={n}", p.category, p.prefecture)
                        });
                        view! {
                            {filter_form(lang, &p, &[])}
                            {empty.then(|| view! { <p data-testid="no-cases">{lang.msgs().cases_no_typical_case_matches}</p> })}
                            {cases.into_iter().map(|d| case_card(lang, d)).collect_view()}
                            {next_href.map(|h| view! { <p><a href=h rel="external">{lang.msgs().cases_more_cases}</a></p> })}
                        }.into_any()
                    }
                    Err(e) => {
                        #[cfg(feature = "ssr")]
                        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                            if let Ok(s) = http::StatusCode::from_u16(e.status()) {
                                res.set_status(s);
                            }
                        }
                        let errors = match e { crate::error::AppError::Invalid(errs) => errs, _ => Vec::new() };
                        view! {
                            <div class="error-summary" role="alert" data-testid="cases-error">
                                <p>{lang.msgs().cases_please_choose_the_category}</p>
                            </div>
                            {filter_form(lang, &p, &errors)}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn StaffPublishPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let data = crate::wire::blocking(|| (), |_| async move { get_publish_queue().await });
    let state = crate::components::form_state::read::<PublishState>("publish-state");
    let done = use_query_map().read_untracked().get("done").unwrap_or_default();
    view! {
        <Title text=lang.msgs().cases_review_typical_cases_qinghai />
        {crate::components::form_state::script("publish-state", &state)}
        <p><a href="/staff">{lang.msgs().cases_back_to_the_queue}</a></p>
        <h1>{lang.msgs().cases_review_typical_cases}</h1>
        <p class="hint">{lang.msgs().cases_closed_cases_whose_consumer}</p>
        {match done.as_str() {
            "approve" => Some(view! { <p class="notice" role="status" data-testid="done">{lang.msgs().cases_published}</p> }),
            "reject" => Some(view! { <p class="notice" role="status" data-testid="done">{lang.msgs().cases_not_published}</p> }),
            _ => None,
        }}
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(drafts) if drafts.is_empty() => view! { <p data-testid="no-drafts">{lang.msgs().cases_nothing_to_review}</p> }.into_any(),
                        Ok(drafts) => drafts.into_iter().enumerate().map(|(i, d)| {
                            let mine = state.form.case_no == d.case_no;
                            let facts = if mine { state.form.facts.clone() } else { d.facts.clone() };
                            let error = if mine {
                                state.errors.iter().find(|e| e.field == "facts").map(|e| i18n::invalid(lang, &e.invalid))
                            } else {
                                None
                            };
                            let id = format!("facts-{i}");
                            let err_id = format!("facts-err-{i}");
                            view! {
                                <form method="post" action="/staff/publish" class="typical" data-testid="draft">
                                    <h2>{i18n::category_name(lang, &d.category)}" · "{i18n::prefecture_name(lang, &d.prefecture)}" · "{d.case_no.clone()}</h2>
                                    <input type="hidden" name="case_no" value=d.case_no.clone() />
                                    <label for=id.clone()>{lang.msgs().cases_facts_to_publish_personal}</label>
                                    <textarea id=id name="facts" rows="5" aria-invalid=error.is_some().then_some("true")
                                        aria-describedby=error.is_some().then(|| err_id.clone())>{facts}</textarea>
                                    {error.map(|m| view! { <p class="field-error" id=err_id>{m}</p> })}
                                    <p><strong>{lang.msgs().cases_outcome_2}</strong>{d.result}</p>
                                    <button type="submit" name="decision" value="approve" class="primary">{lang.msgs().cases_publish}</button>" "
                                    <button type="submit" name="decision" value="reject">{lang.msgs().cases_do_not_publish}</button>
                                </form>
                            }
                        }).collect_view().into_any(),
                        Err(crate::error::AppError::Forbidden) => {
                            #[cfg(feature = "ssr")]
                            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                                res.set_status(http::StatusCode::FORBIDDEN);
                            }
                            view! { <p role="alert">{lang.msgs().cases_only_supervisors_review_typical}</p> }.into_any()
                        }
                        Err(_) => view! { <p role="alert">{lang.msgs().cases_cannot_be_read_just}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
