//! `/staff/objections` (handlers and supervisors) and `/staff/business/record` (a business's
//! account): objections to disclosed complaints. A business objects to an item of its own
//! record; a handler files one on a business's behalf by the item's number; a supervisor
//! decides (hide, correct, keep). Plain forms (`POST /staff/objections`,
//! `POST /staff/business/objections`, `POST /staff/objections/{id}`), handled by the server, so
//! both pages work without JavaScript.

use crate::domain::disclosure::objection::{item_label, Decision};
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::views::disclosure::ObjectionLine;
use crate::views::forms::ObjectionState;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn error_of(lang: Lang, state: &ObjectionState, field: &str) -> Option<String> {
    state.errors.iter().find(|e| e.field == field).map(|e| i18n::invalid(lang, &e.invalid))
}

/// A labelled multi-line field with its error, for the forms of this page.
fn text_area(id: String, name: &'static str, label: &'static str, value: String, err: Option<String>) -> impl IntoView {
    let err_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {err.clone().map(|e| view! { <p class="field-error" id=err_id.clone()>{e}</p> })}
            <textarea id=id name=name rows="3" aria-invalid=err.is_some().then_some("true")
                aria-describedby=err.is_some().then_some(err_id.clone())>{value}</textarea>
        </div>
    }
}

/// The form objecting to `item` (or, with `None`, to an item whose number is typed), posted to
/// `action` (a business's account reaches only its own console's paths).
fn objection_form(lang: Lang, action: &'static str, item: Option<i64>, state: &ObjectionState) -> impl IntoView {
    let m = lang.msgs();
    let ours = match item {
        Some(i) => state.objection.item.trim().trim_start_matches('D') == i.to_string(),
        None => true,
    };
    let (reason, item_err, reason_err) = match ours {
        true => (state.objection.reason.clone(), error_of(lang, state, "item"), error_of(lang, state, "reason")),
        false => (String::new(), None, None),
    };
    let suffix = item.map(|i| i.to_string()).unwrap_or_else(|| "new".into());
    view! {
        <form method="post" action=action data-testid="objection-form" novalidate>
            {match item {
                Some(i) => view! { <input type="hidden" name="item" value=item_label(i) /> }.into_any(),
                None => {
                    let err_id = "obj-item-error";
                    view! {
                        <div class="field">
                            <label for="obj-item">{m.staff_obj_item}</label>
                            {item_err.clone().map(|e| view! { <p class="field-error" id=err_id>{e}</p> })}
                            <input id="obj-item" name="item" value=state.objection.item.clone()
                                aria-invalid=item_err.is_some().then_some("true")
                                aria-describedby=item_err.is_some().then_some(err_id) />
                        </div>
                    }.into_any()
                }
            }}
            {text_area(format!("obj-reason-{suffix}"), "reason", m.staff_obj_reason, reason, reason_err)}
            <button type="submit">{m.staff_obj_file}</button>
        </form>
    }
}

fn decision_form(lang: Lang, l: &ObjectionLine, state: &ObjectionState) -> impl IntoView {
    let m = lang.msgs();
    let ours = state.id == Some(l.id);
    let f = if ours { state.decision.clone() } else { Default::default() };
    let err = |field: &str| if ours { error_of(lang, state, field) } else { None };
    let (decision_err, note_err, correction_err) = (err("decision"), err("note"), err("correction"));
    let id = l.id;
    view! {
        <form method="post" action=format!("/staff/objections/{id}") data-testid="decision-form" novalidate>
            <fieldset>
                <legend>{m.staff_obj_decide}</legend>
                {decision_err.map(|e| view! { <p class="field-error">{e}</p> })}
                {Decision::ALL.iter().map(|d| view! {
                    <label><input type="radio" name="decision" value=d.code() checked=f.decision == d.code() />
                        " "{m.term("objection", d.code())}</label>
                }).collect_view()}
            </fieldset>
            {text_area(format!("dec-note-{id}"), "note", m.staff_obj_note, f.note.clone(), note_err)}
            {text_area(format!("dec-correction-{id}"), "correction", m.staff_obj_correction, f.correction.clone(), correction_err)}
            <button type="submit">{m.staff_obj_save}</button>
        </form>
    }
}

fn line_view(lang: Lang, l: &ObjectionLine) -> impl IntoView {
    let m = lang.msgs();
    let what = l.disclosed.as_ref().map(|d| {
        format!(
            "{} · {} · {} · {}",
            d.business_name,
            i18n::category_name(lang, &d.category),
            d.handled,
            d.issue.clone().unwrap_or_else(|| m.businesses_words_withheld.to_owned())
        )
    });
    view! {
        <p><strong>{item_label(l.item)}</strong>" · "{what.unwrap_or_default()}
            {l.hidden.then(|| view! { " · "<span class="hint">{m.staff_obj_hidden}</span> })}</p>
        <p class="hint">{m.term("objection_via", &l.via)}" · "{l.by.clone()}" · "{l.filed.clone()}</p>
        <p data-testid="objection-reason">{m.staff_obj_reason}"："{l.reason.clone()}</p>
        {l.decision.clone().map(|d| view! {
            <p data-testid="objection-decision">{m.term("objection", &d)}" · "{l.decided.clone().unwrap_or_default()}
                " · "{l.note.clone().unwrap_or_default()}</p>
        })}
    }
}

fn status_line(lang: Lang, done: Option<String>, state: &ObjectionState) -> impl IntoView {
    let m = lang.msgs();
    view! {
        {done.map(|d| view! { <p role="status" data-testid="obj-done">{m.term("objection_done", &d)}</p> })}
        {state.problem.clone().map(|p| view! { <p role="alert" data-testid="obj-problem">{m.term("objection_problem", &p)}</p> })}
        {(!state.errors.is_empty()).then(|| view! { <p role="alert">{m.staff_obj_errors}</p> })}
    }
}

fn refused(lang: Lang) -> AnyView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::FORBIDDEN);
    }
    view! { <p role="alert">{lang.msgs().staff_obj_only}</p> }.into_any()
}

/// What both pages say: title, the way back, heading.
struct Frame {
    title: &'static str,
    back: &'static str,
    back_label: &'static str,
    heading: &'static str,
}

/// The frame both pages share: the title, the refused form's state, the way back, the heading,
/// what was done, and the body drawn from the data (or the refusal).
fn framed<T, Fut>(
    lang: Lang,
    f: Frame,
    load: fn() -> Fut,
    body: fn(Lang, T, &ObjectionState) -> AnyView,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, crate::error::AppError>> + Send + 'static,
{
    let data = crate::wire::blocking(|| (), move |_| load());
    let state = crate::components::form_state::read::<ObjectionState>("objection-state");
    let done = use_query_map().read_untracked().get("done");
    view! {
        <Title text=f.title />
        {crate::components::form_state::script("objection-state", &state)}
        <p><a href=f.back>{f.back_label}</a></p>
        <h1>{f.heading}</h1>
        {status_line(lang, done, &state)}
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(v) => body(lang, v, &state),
                        Err(_) => refused(lang),
                    }
                })
            }}
        </Suspense>
    }
}

fn objections_body(lang: Lang, v: crate::views::disclosure::ObjectionsView, state: &ObjectionState) -> AnyView {
    let m = lang.msgs();
    view! {
        <h2>{m.staff_obj_pending}</h2>
        {v.lines.is_empty().then(|| view! { <p data-testid="obj-none">{m.staff_obj_none}</p> })}
        <ul class="cards" data-testid="objections">
            {v.lines.iter().map(|l| view! {
                <li data-item=l.item>
                    {line_view(lang, l)}
                    {v.can_decide.then(|| decision_form(lang, l, state))}
                </li>
            }).collect_view()}
        </ul>
        <h2>{m.staff_obj_for_business}</h2>
        <p class="hint">{m.staff_obj_for_business_hint}</p>
        {objection_form(lang, "/staff/objections", None, state)}
    }
    .into_any()
}

fn own_record_body(lang: Lang, v: crate::views::disclosure::OwnRecordView, state: &ObjectionState) -> AnyView {
    let m = lang.msgs();
    view! {
        <p>{v.business.clone()}" · "<a href=crate::views::disclosure::record_href(&v.credit_code)>{m.biz_obj_public}</a></p>
        <p class="hint">{m.biz_obj_intro}</p>
        {(!v.objections.is_empty()).then(|| view! {
            <h2>{m.biz_obj_yours}</h2>
            <ul class="cards" data-testid="objections">
                {v.objections.iter().map(|l| view! { <li>{line_view(lang, l)}</li> }).collect_view()}
            </ul>
        })}
        <h2>{m.businesses_disclosed}</h2>
        {v.items.is_empty().then(|| view! { <p>{m.businesses_no_disclosed}</p> })}
        {v.items.into_iter().map(|(id, d, c)| view! {
            {crate::pages::businesses::disclosed_item(lang, id, d, c)}
            <details open=state.objection.item.trim().trim_start_matches('D') == id.to_string()>
                <summary>{m.biz_obj_object}</summary>
                {objection_form(lang, "/staff/business/objections", Some(id), state)}
            </details>
        }).collect_view()}
    }
    .into_any()
}

#[component]
pub fn StaffObjectionsPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let m = lang.msgs();
    let f = Frame {
        title: m.staff_obj_title,
        back: "/staff",
        back_label: m.staff_audit_back_to_the_queue,
        heading: m.staff_obj_heading,
    };
    framed(lang, f, crate::server_fns::disclosure::get_objections, objections_body)
}

#[component]
pub fn BusinessRecordConsolePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let m = lang.msgs();
    let f =
        Frame { title: m.biz_obj_title, back: "/staff/business", back_label: m.biz_back, heading: m.biz_obj_heading };
    framed(lang, f, crate::server_fns::disclosure::get_own_record, own_record_body)
}
