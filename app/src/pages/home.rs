//! `/` — what 12315 does, the rules in force today, and a check of a business's credit code
//! (the domain's own validation, live in the browser and on the server without JavaScript).

use crate::domain::calendar::{format_date, WorkCalendar};
use crate::domain::credit_code::CreditCode;
use crate::domain::rules::{self, DeadlineKind, Unit};
use crate::i18n::fill;
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use time::{Date, OffsetDateTime, UtcOffset};

/// Today in China Standard Time (UTC+8, no daylight saving).
pub fn today_in_china() -> Date {
    let cst = UtcOffset::from_hms(8, 0, 0).expect("valid offset");
    OffsetDateTime::now_utc().to_offset(cst).date()
}

#[component]
pub fn Home() -> impl IntoView {
    let lang = use_prefs().lang;
    let m = lang.msgs();
    view! {
        <section class="hero">
            <h1>{m.home_title}</h1>
            <p class="lead">{m.home_lead}</p>
            <p>{m.hotline}</p>
        </section>
        <section class="panel" aria-labelledby="card-file">
            <h2 id="card-file">{m.card_file_title}</h2>
            <p>{m.card_file_text}</p>
            <p><a class="button" href="/file">{m.card_file_title}</a></p>
        </section>
        <section class="panel" aria-labelledby="card-track">
            <h2 id="card-track">{m.card_track_title}</h2>
            <p>{m.card_track_text}</p>
            <p><a class="button" href="/track">{m.card_track_title}</a></p>
        </section>
        <CodeCheck lang />
        <RulesInForce lang />
    }
}

#[component]
fn CodeCheck(lang: Lang) -> impl IntoView {
    let m = lang.msgs();
    let query = use_query_map();
    let submitted = move || query.read().get("code").unwrap_or_default();
    let (typed, set_typed) = signal(None::<String>);
    let current = move || typed.get().unwrap_or_else(submitted);
    let verdict = move || {
        let code = current();
        (!code.trim().is_empty()).then(|| CreditCode::parse(&code))
    };
    let message = move || match verdict() {
        None => String::new(),
        Some(Ok(_)) => m.code_check_ok.to_owned(),
        Some(Err(e)) => i18n::invalid(lang, &e),
    };
    let state = move || match verdict() {
        None => "verdict",
        Some(Ok(_)) => "verdict ok",
        Some(Err(_)) => "verdict error",
    };
    view! {
        <section class="panel" aria-labelledby="code-check-title">
            <h2 id="code-check-title">{m.code_check_title}</h2>
            <Form method="GET" action="">
                <label for="code">{m.code_check_label}</label>
                <p id="code-hint" class="hint">{m.code_check_hint}</p>
                <div class="row">
                    <input
                        id="code"
                        name="code"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        maxlength="30"
                        aria-describedby="code-hint code-verdict"
                        aria-invalid=move || if matches!(verdict(), Some(Err(_))) { "true" } else { "false" }
                        value=submitted
                        on:input=move |ev| set_typed.set(Some(event_target_value(&ev)))
                    />
                    <button type="submit">{m.code_check_button}</button>
                </div>
            </Form>
            <p id="code-verdict" class=state role="status">{message}</p>
            // A well-formed code leads to the business's complaint record.
            {move || match verdict() {
                Some(Ok(c)) => Some(view! {
                    <p><a href=crate::views::disclosure::record_href(c.as_str()) rel="external" data-testid="code-record">{m.code_check_record}</a></p>
                }),
                _ => None,
            }}
        </section>
    }
}

#[component]
fn RulesInForce(lang: Lang) -> impl IntoView {
    let m = lang.msgs();
    let today = today_in_china();
    let rs = rules::in_force_on(today);
    let due = rs.due(DeadlineKind::AcceptanceDecision, today, WorkCalendar::china());
    let line = due.map(|d| {
        let unit = match d.rule.unit {
            Unit::Working => m.working_days,
            Unit::Calendar => m.calendar_days,
        };
        let by = format_date(d.date);
        let period = format!("{}{unit}", d.rule.days);
        let text = fill(
            m.home_decided_by,
            &[("limit", &m.rules_acceptance), ("period", &period), ("article", &d.rule.article), ("date", &by)],
        );
        view! { <p data-testid="acceptance-due">{text}</p> }
    });
    view! {
        <section class="panel" aria-labelledby="rules-title">
            <h2 id="rules-title">{m.rules_title}</h2>
            <p>
                {m.rules_in_force} " " <strong>{lang.pick(&rs.title.zh, &rs.title.en).to_owned()}</strong>
                {(!rs.verified).then(|| view! { <span class="hint">" " {m.rules_unverified}</span> })}
            </p>
            {line}
        </section>
    }
}
