//! `/track/recover` — a lost query code: the mobile number on the case, a 6-digit code by text
//! message, then `/track/recover/cases` — the number's cases, one of which the consumer opens.
//! Plain forms handled by the server (they work without JavaScript); with JavaScript the same
//! domain checks run before anything is sent.

use crate::components::form::{check_before_send, error_summary, text_field, Errors};
use crate::domain::kind::ItemKind;
use crate::domain::recover::{CodeForm, RecoverForm};
use crate::domain::workflow::CaseState;
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::server_fns::track::get_recovered;
use crate::views::forms::RecoverState;
use crate::views::track::RecoveredCase;
use leptos::prelude::*;
use leptos_meta::Title;

fn label(lang: Lang, field: &str) -> &'static str {
    lang.msgs().term("recover", field)
}

/// The number's form: where the code is to be sent.
fn phone_form(lang: Lang, state: &RecoverState) -> impl IntoView {
    let errors: Errors = RwSignal::new(state.errors.clone());
    let phone = RwSignal::new(state.phone.clone());
    let check = move || RecoverForm { phone: phone.get_untracked() }.parse().err().unwrap_or_default();
    view! {
        {error_summary(lang, errors, label, Some("recover-errors"))}
        <form method="post" action="/track/recover" novalidate class="lookup"
            on:submit=check_before_send(errors, "recover-errors", check)>
            <input type="hidden" name="step" value="send" />
            {text_field(lang, errors, "phone", label(lang, "phone"), phone, false,
                Some(lang.msgs().recover_phone_hint), ("tel", "tel", "tel"))}
            <button type="submit" class="primary">{lang.msgs().recover_send}</button>
        </form>
    }
}

/// The code's form, after a code was asked for: the same words whether or not the number has a case.
fn code_form(lang: Lang, state: &RecoverState) -> impl IntoView {
    let errors: Errors = RwSignal::new(state.errors.clone());
    let phone = state.phone.clone();
    let code = RwSignal::new(String::new());
    let typed = phone.clone();
    let check = move || CodeForm { phone: typed.clone(), code: code.get_untracked() }.parse().err().unwrap_or_default();
    let masked = crate::domain::party::mask_phone(&phone);
    view! {
        <p role="status" data-testid="code-sent">{i18n::fill(lang.msgs().recover_sent, &[("phone", &masked)])}</p>
        {error_summary(lang, errors, label, Some("recover-errors"))}
        <form method="post" action="/track/recover" novalidate class="lookup"
            on:submit=check_before_send(errors, "recover-errors", check)>
            <input type="hidden" name="step" value="code" />
            <input type="hidden" name="phone" value=phone.clone() />
            {text_field(lang, errors, "code", label(lang, "code"), code, false,
                Some(lang.msgs().recover_code_hint), ("text", "one-time-code", "numeric"))}
            <button type="submit" class="primary">{lang.msgs().recover_check}</button>
        </form>
        <form method="post" action="/track/recover" class="lookup">
            <input type="hidden" name="step" value="send" />
            <input type="hidden" name="phone" value=phone />
            <button type="submit" class="secondary">{lang.msgs().recover_send_again}</button>
        </form>
    }
}

#[component]
pub fn RecoverPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let state: RecoverState = crate::components::form_state::read("recover-state");
    let body = if state.sent { code_form(lang, &state).into_any() } else { phone_form(lang, &state).into_any() };
    view! {
        <Title text=lang.msgs().recover_page_title />
        {crate::components::form_state::script("recover-state", &state)}
        <section class="panel">
            <h1>{lang.msgs().recover_title}</h1>
            {state.expired.then(|| crate::components::form::alert(lang.msgs().recover_expired.into(), None))}
            <p>{lang.msgs().recover_lead}</p>
            {body}
            <p class="hint">{lang.msgs().recover_no_mobile}</p>
        </section>
    }
}

fn case_line(lang: Lang, c: RecoveredCase) -> impl IntoView {
    let kind = ItemKind::from_code(&c.kind).map(|k| i18n::kind(lang, k)).unwrap_or_default();
    let state = CaseState::from_code(&c.state).map(|s| i18n::state(lang, s)).unwrap_or_default();
    let open = format!("{} {}", lang.msgs().recover_open, c.case_no);
    view! {
        <li class="panel" data-testid="recovered-case">
            <h2>{c.case_no.clone()}</h2>
            <dl class="facts">
                <dt>{lang.msgs().recover_kind}</dt><dd>{kind}</dd>
                <dt>{lang.msgs().recover_state}</dt><dd>{state}</dd>
                <dt>{lang.msgs().recover_received}</dt><dd>{c.received_on}</dd>
                {(!c.business.is_empty()).then(|| view! { <dt>{lang.msgs().recover_business}</dt><dd>{c.business}</dd> })}
            </dl>
            <form method="post" action="/track/recover/cases">
                <input type="hidden" name="case_no" value=c.case_no />
                <button type="submit" class="primary" aria-label=open>{lang.msgs().recover_open}</button>
            </form>
        </li>
    }
}

#[component]
pub fn RecoverCasesPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let data = crate::wire::blocking(|| (), |_| async move { get_recovered().await });
    view! {
        <Title text=lang.msgs().recover_cases_page_title />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(cases) if !cases.is_empty() => view! {
                        <section class="panel">
                            <h1>{lang.msgs().recover_cases_title}</h1>
                            <p>{lang.msgs().recover_cases_lead}</p>
                        </section>
                        <ul class="recovered" data-testid="recovered">
                            {cases.into_iter().map(|c| case_line(lang, c)).collect_view()}
                        </ul>
                    }.into_any(),
                    Ok(_) => view! {
                        <section class="panel">
                            <h1>{lang.msgs().recover_cases_title}</h1>
                            {crate::components::form::alert(lang.msgs().recover_expired.into(), None)}
                            <p><a href="/track/recover">{lang.msgs().recover_start_again}</a></p>
                        </section>
                    }.into_any(),
                    Err(_) => super::track::unavailable(lang),
                }
            })}
        </Suspense>
    }
}
