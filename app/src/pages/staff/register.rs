//! `/staff/register` — the register of businesses as a county's bureau keeps it (its handlers
//! and the supervisors): search, each entry's standing in the ODR lane with its record there
//! (complaints, answered in time, settled, solved), the decisions on its membership, and a form
//! to add an entry. Plain forms (`POST /staff/register`, `POST /staff/register/add`), handled by
//! the server, so the page works without JavaScript.

use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::views::forms::RegisterState;
use crate::views::odr::RegisterView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn lines(lang: Lang, v: &RegisterView) -> impl IntoView {
    let m = lang.msgs();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=m.reg_heading>
            <table data-testid="register">
                <thead>
                    <tr>
                        <th scope="col">{m.reg_business}</th>
                        <th scope="col">{m.reg_odr}</th>
                        <th scope="col">{m.reg_record}</th>
                        <th scope="col">{m.reg_decide}</th>
                    </tr>
                </thead>
                <tbody>
                    {v.lines.iter().map(|l| {
                        let pledges = l.pledges.iter().map(|p| m.term("pledge", p)).collect::<Vec<_>>().join("、");
                        let record = i18n::fill(m.reg_record_line, &[
                            ("n", &l.complaints), ("in_time", &l.in_time), ("settled", &l.settlement), ("solved", &l.solved),
                        ]);
                        view! {
                            <tr data-code=l.credit_code.clone()>
                                <td>{l.name.clone()}<br /><span class="hint">{l.credit_code.clone()}" · "{l.county.clone()}</span>
                                    {(!pledges.is_empty()).then(|| view! { <br /><span class="hint">{pledges}</span> })}</td>
                                <td data-testid="reg-odr">{m.term("odr_status", &l.odr)}</td>
                                <td>{record}</td>
                                <td>{l.changes.iter().map(|c| view! {
                                    <form method="post" action="/staff/register">
                                        <input type="hidden" name="credit_code" value=l.credit_code.clone() />
                                        <input type="hidden" name="change" value=c.clone() />
                                        <button type="submit">{m.term("membership", c)}</button>
                                    </form>
                                }).collect_view()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn add_form(lang: Lang, v: &RegisterView, state: &RegisterState) -> impl IntoView {
    let m = lang.msgs();
    let f = state.form.clone();
    let error = |field: &str| state.errors.iter().find(|e| e.field == field).map(|e| i18n::invalid(lang, &e.invalid));
    let text = move |id: &'static str, label: &'static str, value: String, err: Option<String>| {
        let err_id = format!("reg-{id}-error");
        view! {
            <div class="field">
                <label for=format!("reg-{id}")>{label}</label>
                {err.clone().map(|e| view! { <p class="field-error" id=err_id.clone()>{e}</p> })}
                <input id=format!("reg-{id}") name=id value=value aria-invalid=err.is_some().then_some("true")
                    aria-describedby=err.is_some().then_some(err_id.clone()) />
            </div>
        }
    };
    let box_ = move |id: &'static str, label: &'static str, on: bool| {
        view! { <label><input type="checkbox" name=id value="on" checked=on />" "{label}</label> }
    };
    let county_err = error("county");
    view! {
        <h2 id="reg-add">{m.reg_add}</h2>
        <form method="post" action="/staff/register/add" data-testid="reg-add" novalidate>
            {text("credit_code", m.reg_credit_code, f.credit_code.clone(), error("credit_code"))}
            {text("name", m.reg_name, f.name.clone(), error("name"))}
            {text("address", m.reg_address, f.address.clone(), error("address"))}
            <div class="field">
                <label for="reg-county">{m.reg_county}</label>
                {county_err.clone().map(|e| view! { <p class="field-error" id="reg-county-error">{e}</p> })}
                <select id="reg-county" name="county" aria-invalid=county_err.is_some().then_some("true")
                    aria-describedby=county_err.is_some().then_some("reg-county-error")>
                    <option value="">"—"</option>
                    {v.counties.iter().map(|(code, zh, en)| view! {
                        <option value=code.clone() selected=f.county == *code>{if lang == Lang::Zh { zh.clone() } else { en.clone() }}</option>
                    }).collect_view()}
                </select>
            </div>
            {text("email", m.reg_email, f.email.clone(), error("email"))}
            <fieldset>
                <legend>{m.reg_pledges}</legend>
                {box_("advance_compensation", m.term("pledge", "advance_compensation"), !f.advance_compensation.is_empty())}
                {box_("returns_without_reason", m.term("pledge", "returns_without_reason"), !f.returns_without_reason.is_empty())}
                {box_("service_station", m.term("pledge", "service_station"), !f.service_station.is_empty())}
            </fieldset>
            <label><input type="checkbox" name="odr" value="join" checked=f.odr == "join" />" "{m.reg_join}</label>
            <p><button type="submit">{m.reg_save}</button></p>
        </form>
    }
}

#[component]
pub fn StaffRegisterPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let m = lang.msgs();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let data = crate::wire::blocking(q, |q| async move { crate::server_fns::odr::get_register(q).await });
    let state = crate::components::form_state::read::<RegisterState>("register-state");
    let done = query.read_untracked().get("done");
    view! {
        <Title text=m.reg_title />
        {crate::components::form_state::script("register-state", &state)}
        <p><a href="/staff">{m.staff_audit_back_to_the_queue}</a></p>
        <h1>{m.reg_heading}</h1>
        {done.map(|d| view! { <p role="status" data-testid="reg-done">{m.term("reg_done", &d)}</p> })}
        {state.problem.clone().map(|_| view! { <p role="alert">{m.reg_changed}</p> })}
        <form method="get" action="/staff/register" role="search">
            <div class="field">
                <label for="reg-q">{m.reg_search}</label>
                <input id="reg-q" name="q" type="search" value=q />
            </div>
            <button type="submit">{m.reg_find}</button>
        </form>
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! { {lines(lang, &v)} {add_form(lang, &v, &state)} }.into_any(),
                        Err(_) => {
                            #[cfg(feature = "ssr")]
                            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                                res.set_status(http::StatusCode::FORBIDDEN);
                            }
                            view! { <p role="alert">{m.reg_only_bureaus}</p> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
