//! `/track` — look a case up by case number (or mobile phone) and query code; and
//! `/track/{case_no}` — its timeline, next statutory deadline and the consumer's own steps.
//! Every form is a plain HTML form handled by the server (so it works without JavaScript);
//! with JavaScript, the same domain checks run before anything is sent.

use crate::components::form::{check_before_send, described_by, error_summary, field_error, text_field, Errors};
use crate::domain::case::DemandKind;
use crate::domain::category;
use crate::domain::kind::ItemKind;
use crate::domain::tracking::{parse_reason, parse_supplement_text, LookupForm, RatingForm, RatingOutcome};
use crate::domain::workflow::{ActionName, CaseState};
use crate::i18n::fill;
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::server_fns::track::get_track;
use crate::views::forms::{Problem, TrackState};
use crate::views::track::{DeadlineView, FiledView, RatingView, TimelineEntry, TrackView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

mod notices;
use notices::{messages_section, offer_section, stop_notices_section, to_bureau_section};

fn label(lang: Lang, field: &str) -> &'static str {
    lang.msgs().term("track", field)
}

fn problem_text(lang: Lang, p: &Problem) -> String {
    match p {
        Problem::NoMatch => lang.msgs().track_the_case_number_or.into(),
        Problem::Locked { until } => fill(lang.msgs().track_paused_until, &[("time", until)]),
        Problem::Expired => lang.msgs().track_to_protect_you_a.into(),
        Problem::NotNow => lang.msgs().track_the_case_s_current.into(),
        Problem::TooLate => lang.msgs().track_the_period_for_this.into(),
        Problem::AlreadyRated => lang.msgs().track_you_have_already_rated.into(),
    }
}

fn problem_view(lang: Lang, p: Option<Problem>) -> impl IntoView {
    p.map(|p| crate::components::form::alert(problem_text(lang, &p), None))
}

fn lookup_form(lang: Lang, state: &TrackState, case_no: String) -> impl IntoView {
    let errors = RwSignal::new(state.errors.clone());
    let case_no = RwSignal::new(if case_no.is_empty() { state.lookup.case_no.clone() } else { case_no });
    let phone = RwSignal::new(state.lookup.phone.clone());
    let code = RwSignal::new(String::new());
    let check = move || {
        LookupForm { case_no: case_no.get_untracked(), phone: phone.get_untracked(), code: code.get_untracked() }
            .parse()
            .err()
            .unwrap_or_default()
    };
    view! {
        {problem_view(lang, state.problem.clone())}
        {error_summary(lang, errors, label, Some("lookup-errors"))}
        <form method="post" action="/track" novalidate class="lookup"
            on:submit=check_before_send(errors, "lookup-errors", check)>
            {text_field(lang, errors, "case_no", label(lang, "case_no"), case_no, false,
                Some(lang.msgs().track_the_number_on_your),
                ("text", "off", "text"))}
            <p class="hint">{lang.msgs().track_or_instead_of_the}</p>
            {text_field(lang, errors, "phone", label(lang, "phone"), phone, false, None, ("tel", "tel", "tel"))}
            {text_field(lang, errors, "code", label(lang, "code"), code, false,
                Some(lang.msgs().track_the_8_character_code),
                ("text", "off", "text"))}
            <button type="submit" class="primary">{lang.msgs().track_look_up}</button>
        </form>
        <p><a href="/track/recover" data-testid="lost-code">{lang.msgs().track_lost_the_code}</a></p>
    }
}

#[component]
pub fn TrackLookupPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let state: TrackState = crate::components::form_state::read("track-state");
    let query = use_query_map();
    let case_no = query.read_untracked().get("case_no").unwrap_or_default();
    view! {
        <Title text=lang.msgs().track_track_your_case_qinghai />
        {crate::components::form_state::script("track-state", &state)}
        <section class="panel">
            <h1>{lang.msgs().track_track_your_case}</h1>
            <p>{lang.msgs().track_enter_the_case_number}</p>
            {lookup_form(lang, &state, case_no)}
        </section>
    }
}

/// What a consumer's page says when the server cannot answer now.
pub(crate) fn unavailable(lang: Lang) -> AnyView {
    view! {
        <section class="panel" role="alert">
            <h1>{lang.msgs().track_cannot_show_this_now}</h1>
            <p>{lang.msgs().track_please_try_again_later}</p>
        </section>
    }
    .into_any()
}

#[component]
pub fn TrackCasePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let params = use_params_map();
    let case_no = move || params.read().get("case_no").unwrap_or_default();
    let data = crate::wire::blocking(case_no, |no| async move { get_track(no).await });
    let state: TrackState = crate::components::form_state::read("track-state");
    let query = use_query_map();
    let done = query.read_untracked().get("done").unwrap_or_default();
    let confirm = query.read_untracked().get("confirm").is_some_and(|c| c == "withdraw");
    view! {
        <Title text=lang.msgs().track_case_progress_qinghai_12315 />
        {crate::components::form_state::script("track-state", &state)}
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || {
                let state = state.clone();
                let done = done.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(Some(v)) => case_view(lang, v, state, done, confirm).into_any(),
                        Ok(None) => view! {
                            <section class="panel">
                                <h1>{lang.msgs().track_enter_your_query_code}</h1>
                                {lookup_form(lang, &state, case_no())}
                            </section>
                        }.into_any(),
                        Err(_) => unavailable(lang),
                    }
                })
            }}
        </Suspense>
    }
}

fn done_text(lang: Lang, done: &str) -> Option<&'static str> {
    Some(match done {
        "supplement" => lang.msgs().track_we_have_received_what,
        "withdraw" => lang.msgs().track_you_have_withdrawn_it,
        "rate" => lang.msgs().track_thank_you_for_your,
        "contest" => lang.msgs().track_we_have_received_your,
        "stop_notices" => lang.msgs().track_notices_stopped,
        "odr_accept" => lang.msgs().action__accept_offer,
        "odr_reject" => lang.msgs().action__reject_offer,
        "opt_out" => lang.msgs().track_messages_stopped,
        _ => return None,
    })
}

fn countdown(lang: Lang, d: &DeadlineView) -> Option<String> {
    let m = lang.msgs();
    Some(match d.working_days_left? {
        0 => m.track_due_today.into(),
        n if n > 0 => fill(m.track_days_left, &[("days", &n)]),
        n => fill(m.track_days_overdue, &[("days", &-n)]),
    })
}

fn deadline_view(lang: Lang, d: DeadlineView) -> impl IntoView {
    let rule = lang.pick(&d.zh, &d.en).to_owned();
    let source = fill(
        lang.msgs().track_under_rules,
        &[
            ("rules", &lang.pick(&d.rule_set_zh, &d.rule_set_en)),
            ("article", &i18n::article(lang, &d.article, d.verified)),
        ],
    );
    let date = d.date.clone().unwrap_or_else(|| lang.msgs().track_clock_paused.to_owned());
    view! {
        <section class="panel deadline" aria-labelledby="deadline-title">
            <h2 id="deadline-title">{lang.msgs().track_next_deadline}</h2>
            <p class="big" data-testid="deadline-date">{date}</p>
            {countdown(lang, &d).map(|c| view! { <p data-testid="countdown"><strong>{c}</strong></p> })}
            <p data-testid="deadline-explain">{lang.pick(&d.explain_zh, &d.explain_en).to_owned()}</p>
            <p>{rule}</p>
            <p class="hint">{source}</p>
            {d.assumed.then(|| view! { <p class="hint">{lang.msgs().track_date_provisional}</p> })}
            {d.paused.then(|| view! { <p class="notice">{lang.msgs().track_testing_or_appraisal_is}</p> })}
        </section>
    }
}

/// What the consumer filed, as they filed it.
fn filed_view(lang: Lang, f: FiledView) -> impl IntoView {
    let label = |field: &str| lang.msgs().term("track_filed", field);
    let demand = match (f.demand.as_deref().and_then(DemandKind::from_code), f.demand_text) {
        (Some(d), Some(t)) => Some(format!("{}：{t}", i18n::demand(lang, d))),
        (Some(d), None) => Some(i18n::demand(lang, d).to_owned()),
        (None, t) => t,
    };
    let rows = [
        ("business_address", f.business_address),
        ("incident_on", f.incident_on),
        ("amount_paid", f.amount_paid_yuan),
        ("order_no", f.order_no),
        ("demand", demand),
    ];
    view! {
        <section class="panel" aria-labelledby="filed-title" data-testid="filed">
            <h2 id="filed-title">{lang.msgs().track_filed_title}</h2>
            <dl class="facts">
                {rows.into_iter().filter_map(|(k, v)| v.map(|v| view! { <dt>{label(k)}</dt><dd>{v}</dd> })).collect_view()}
                <dt>{label("facts")}</dt>
                <dd class="prewrap">{f.facts}</dd>
            </dl>
            {f.consent_publish.then(|| view! { <p class="hint">{lang.msgs().track_filed_consent_publish}</p> })}
        </section>
    }
}

fn detail_view(lang: Lang, e: &TimelineEntry) -> Option<impl IntoView> {
    let text = i18n::step_detail(lang, &e.action, e.detail.as_deref()?)?;
    Some(view! { <p class="detail">{text}</p> })
}

fn timeline_view(lang: Lang, entries: Vec<TimelineEntry>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{lang.msgs().track_what_has_happened}</h2>
            <ol class="timeline" data-testid="timeline">
                {entries.into_iter().map(|e| {
                    let action = ActionName::from_code(&e.action).map(|a| i18n::action(lang, a)).unwrap_or_default();
                    let state = CaseState::from_code(&e.to_state).map(|s| i18n::state(lang, s)).unwrap_or_default();
                    let ground = e.ground.clone().map(|g| {
                        let art = i18n::article(lang, &g.article, g.verified);
                        let values: [(&str, &dyn std::fmt::Display); 3] = [("no", &g.no), ("ground", &lang.pick(&g.zh, &g.en)), ("article", &art)];
                        let text = fill(lang.msgs().track_ground, &values);
                        view! { <p class="ground">{text}</p> }
                    });
                    let detail = detail_view(lang, &e);
                    view! {
                        <li>
                            <p><time>{e.at.clone()}</time>" "<strong>{action}</strong>" · "{state}</p>
                            {ground}
                            {detail}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

fn supplement_form(lang: Lang, no: &str, state: &TrackState) -> impl IntoView {
    let errors = RwSignal::new(if state.step == "supplement" { state.errors.clone() } else { Vec::new() });
    let text = RwSignal::new(if state.step == "supplement" { state.text.clone() } else { String::new() });
    let files = RwSignal::new(crate::components::form_state::files_before_hydration("evidence").unwrap_or(0));
    let check = move || parse_supplement_text(&text.get_untracked(), files.get_untracked()).err().unwrap_or_default();
    view! {
        <section class="panel" aria-labelledby="supplement-title">
            <h2 id="supplement-title">{lang.msgs().track_add_material}</h2>
            {error_summary(lang, errors, label, Some("supplement-errors"))}
            <form method="post" action=format!("/track/{no}") enctype="multipart/form-data" novalidate
                on:submit=check_before_send(errors, "supplement-errors", check)>
                <input type="hidden" name="do" value="supplement" />
                {text_field(lang, errors, "text", label(lang, "text"), text, true, None, ("", "", ""))}
                <div class="field">
                    <label for="evidence">{label(lang, "evidence")}</label>
                    <p class="hint" id="evidence-hint">{lang.msgs().track_photos_jpeg_png_webp}</p>
                    {field_error(lang, errors, "evidence")}
                    <input type="file" id="evidence" name="files" multiple
                        accept="image/jpeg,image/png,image/webp,image/heic,application/pdf"
                        aria-describedby=described_by(errors, "evidence", true)
                        on:change=move |ev| {
                            #[cfg(feature = "hydrate")]
                            {
                                use wasm_bindgen::JsCast;
                                let n = ev.target()
                                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                    .and_then(|i| i.files())
                                    .map(|f| f.length() as usize)
                                    .unwrap_or(0);
                                files.set(n);
                            }
                            #[cfg(not(feature = "hydrate"))]
                            let _ = ev;
                        } />
                </div>
                <button type="submit" class="primary">{lang.msgs().track_send}</button>
            </form>
        </section>
    }
}

fn withdraw_section(lang: Lang, no: &str, state: &TrackState, confirm: bool, accepted: bool) -> impl IntoView {
    let errors = RwSignal::new(if state.step == "withdraw" { state.errors.clone() } else { Vec::new() });
    let confirm = confirm || state.step == "withdraw";
    let body = if confirm {
        view! {
            <form method="post" action=format!("/track/{no}") novalidate>
                <input type="hidden" name="do" value="withdraw" />
                <p>{lang.msgs().track_once_withdrawn_the_case}</p>
                {accepted.then(|| view! { <p class="notice">{lang.msgs().track_withdraw_after_acceptance}</p> })}
                {field_error(lang, errors, "confirm")}
                <div class="choice">
                    <input type="checkbox" id="confirm" name="confirm" value="yes"
                        aria-describedby=described_by(errors, "confirm", false) />
                    <label for="confirm">{lang.msgs().track_yes_withdraw_it}</label>
                </div>
                <div class="actions">
                    <button type="submit" class="danger">{lang.msgs().track_withdraw}</button>
                    <a rel="external" href=format!("/track/{no}")>{lang.msgs().track_keep_it_go_back}</a>
                </div>
            </form>
        }
        .into_any()
    } else {
        view! {
            <p><a rel="external" href=format!("/track/{no}?confirm=withdraw#withdraw-title")>{lang.msgs().track_withdraw_it}</a></p>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="withdraw-title">
            <h2 id="withdraw-title">{lang.msgs().track_withdraw_2}</h2>
            {body}
        </section>
    }
}

fn outcome_label(lang: Lang, o: RatingOutcome) -> &'static str {
    lang.msgs().term("outcome", o.code())
}

fn process_label(lang: Lang, n: u8) -> &'static str {
    lang.msgs().term("process", &n.clamp(1, 5).to_string())
}

fn radio_group(
    lang: Lang,
    errors: Errors,
    name: &'static str,
    value: RwSignal<String>,
    options: Vec<(String, &'static str)>,
) -> impl IntoView {
    view! {
        <fieldset class="field" id=name aria-describedby=described_by(errors, name, false)>
            <legend>{label(lang, name)}</legend>
            {field_error(lang, errors, name)}
            {options.into_iter().map(|(v, text)| {
                let id = format!("{name}-{v}");
                if crate::components::form_state::checked_before_hydration(&id) == Some(true) {
                    value.set(v.clone());
                }
                let checked = value.get_untracked() == v;
                let v2 = v.clone();
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name=name value=v.clone() checked=checked
                            on:change=move |_| {
                                value.set(v2.clone());
                                errors.update(|es| es.retain(|e| e.field != name));
                            } />
                        <label for=id>{text}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

fn next_routes(lang: Lang) -> impl IntoView {
    view! {
        <div class="notice" data-testid="next-routes">
            <p><strong>{lang.msgs().track_if_it_is_not}</strong></p>
            <ul>
                <li>{lang.msgs().track_go_to_court_free}</li>
                <li>{lang.msgs().track_apply_for_arbitration_if}</li>
                <li>{lang.msgs().track_ask_the_consumer_association}</li>
                <li>{lang.msgs().track_contest_the_closure_within}</li>
            </ul>
        </div>
    }
}

fn rating_section(
    lang: Lang,
    no: &str,
    rating: Option<RatingView>,
    can_rate: bool,
    state: &TrackState,
) -> impl IntoView {
    let shown = rating.clone().map(|r| {
        let outcome = RatingOutcome::from_code(&r.outcome);
        let not_resolved = outcome == Some(RatingOutcome::NotResolved);
        let until = r.editable_until.clone().map(|u| fill(lang.msgs().track_change_until, &[("time", &u)]));
        view! {
            <dl class="receipt-facts" data-testid="rating">
                <dt>{label(lang, "process")}</dt><dd>{process_label(lang, r.process)}</dd>
                <dt>{label(lang, "outcome")}</dt><dd>{outcome.map(|o| outcome_label(lang, o)).unwrap_or_default()}</dd>
                {r.comment.clone().map(|c| view! { <dt>{lang.msgs().track_comment}</dt><dd>{c}</dd> })}
            </dl>
            {until.map(|u| view! { <p class="hint">{u}</p> })}
            {not_resolved.then(|| next_routes(lang))}
        }
    });
    let form = can_rate.then(|| {
        let posted = state.rating.clone().filter(|_| state.step == "rate");
        let start = posted.unwrap_or_else(|| rating.as_ref().map(|r| RatingForm {
            process: r.process.to_string(),
            outcome: r.outcome.clone(),
            comment: r.comment.clone().unwrap_or_default(),
        }).unwrap_or_default());
        let errors = RwSignal::new(if state.step == "rate" { state.errors.clone() } else { Vec::new() });
        let process = RwSignal::new(start.process);
        let outcome = RwSignal::new(start.outcome);
        let comment = RwSignal::new(start.comment);
        let check = move || {
            RatingForm { process: process.get_untracked(), outcome: outcome.get_untracked(), comment: comment.get_untracked() }
                .parse()
                .err()
                .unwrap_or_default()
        };
        let processes = (1..=5u8).map(|n| (n.to_string(), process_label(lang, n))).collect();
        let outcomes = RatingOutcome::ALL.iter().map(|o| (o.code().to_owned(), outcome_label(lang, *o))).collect();
        view! {
            {error_summary(lang, errors, label, Some("rate-errors"))}
            <form method="post" action=format!("/track/{no}") novalidate
                on:submit=check_before_send(errors, "rate-errors", check)>
                <input type="hidden" name="do" value="rate" />
                {radio_group(lang, errors, "process", process, processes)}
                {radio_group(lang, errors, "outcome", outcome, outcomes)}
                {text_field(lang, errors, "comment", label(lang, "comment"), comment, true, None, ("", "", ""))}
                <button type="submit" class="primary">{if rating.is_some() { lang.msgs().track_change_my_rating } else { lang.msgs().track_send_my_rating }}</button>
            </form>
        }
    });
    view! {
        <section class="panel" aria-labelledby="rate-title">
            <h2 id="rate-title">{lang.msgs().track_rate_the_handling}</h2>
            {shown}
            {form}
        </section>
    }
}

fn contest_section(lang: Lang, no: &str, until: Option<String>, state: &TrackState) -> impl IntoView {
    let errors = RwSignal::new(if state.step == "contest" { state.errors.clone() } else { Vec::new() });
    let reason = RwSignal::new(if state.step == "contest" { state.reason.clone() } else { String::new() });
    let check = move || parse_reason(&reason.get_untracked()).err().unwrap_or_default();
    let until = until.map(|u| fill(lang.msgs().track_contest_until, &[("time", &u)]));
    view! {
        <section class="panel" aria-labelledby="contest-title">
            <h2 id="contest-title">{lang.msgs().track_contest_the_closure}</h2>
            {until.map(|u| view! { <p>{u}</p> })}
            {error_summary(lang, errors, label, Some("contest-errors"))}
            <form method="post" action=format!("/track/{no}") novalidate
                on:submit=check_before_send(errors, "contest-errors", check)>
                <input type="hidden" name="do" value="contest" />
                {text_field(lang, errors, "reason", label(lang, "reason"), reason, true, None, ("", "", ""))}
                <button type="submit" class="primary">{lang.msgs().track_contest}</button>
            </form>
        </section>
    }
}

fn case_view(lang: Lang, v: TrackView, state: TrackState, done: String, confirm: bool) -> impl IntoView {
    let kind = ItemKind::from_code(&v.kind).map(|k| i18n::kind(lang, k)).unwrap_or_default();
    let case_state = CaseState::from_code(&v.state);
    let state_label = case_state.map(|s| i18n::state(lang, s)).unwrap_or_default();
    let category = category::get(&v.category).map(|c| lang.pick(&c.zh, &c.en).to_owned()).unwrap_or_default();
    let bureau = lang.pick(&v.bureau_zh, &v.bureau_en).to_owned();
    let no = v.case_no.clone();
    let flash = done_text(lang, &done).map(|t| view! { <p class="flash" role="status">{t}</p> });
    let problem = problem_view(lang, state.problem.clone());
    let recovered = v.amount_recovered_yuan.clone().map(|y| {
        view! {
            <dt>{lang.msgs().track_recovered_for_you}</dt><dd>{format!("¥{y}")}</dd>
        }
    });
    let linked = v.linked_case_no.clone().map(|l| {
        view! {
            <dt>{lang.msgs().track_linked_item}</dt><dd>{l}</dd>
        }
    });
    let business = v.business.clone().map(|b| {
        view! {
            <dt>{lang.msgs().track_business}</dt><dd>{b}</dd>
        }
    });
    let evidence = (!v.evidence.is_empty()).then(|| {
        let items = v
            .evidence
            .iter()
            .map(|e| {
                let text = format!("{} · {} KB · {}", e.kind.to_uppercase(), (e.size + 1023) / 1024, e.uploaded);
                view! { <li>{text}</li> }
            })
            .collect_view();
        view! {
            <section class="panel" aria-labelledby="evidence-title">
                <h2 id="evidence-title">{lang.msgs().track_evidence_you_sent}</h2>
                <ul data-testid="evidence-list">{items}</ul>
            </section>
        }
    });
    // Sent to another province: where it went, and that this portal's clock no longer runs.
    let sent_out = (case_state == Some(CaseState::TransferredOut))
        .then(|| v.timeline.iter().rev().find(|e| e.action == ActionName::TransferOut.code()))
        .flatten()
        .and_then(|e| crate::domain::region::province(e.detail.as_deref()?))
        .map(|p| {
            let name = lang.pick(&p.zh, &p.en);
            let text = fill(lang.msgs().track_transferred_out, &[("province", &name)]);
            view! { <p class="notice" role="note" data-testid="transferred-out">{text}</p> }
        });
    let allowed = v.allowed;
    let accepted = matches!(case_state, Some(CaseState::Accepted | CaseState::InMediation));
    let show_rating = allowed.rate || v.rating.is_some();
    view! {
        {flash}
        {problem}
        <section class="panel">
            <h1>{kind}" "<span data-testid="case-no">{no.clone()}</span></h1>
            <p class="state" data-testid="state">{state_label}</p>
            {sent_out}
            <dl class="receipt-facts">
                <dt>{lang.msgs().track_received}</dt><dd>{v.received_on.clone()}</dd>
                <dt>{lang.msgs().track_handled_by}</dt><dd data-testid="bureau">{bureau}</dd>
                <dt>{lang.msgs().track_category}</dt><dd>{category}</dd>
                {business}
                <dt>{lang.msgs().track_filed_by}</dt><dd>{v.consumer.clone().unwrap_or_else(|| lang.msgs().track_anonymous.to_owned())}</dd>
                {v.representation.as_ref().map(|r| view! {
                    <dt>{lang.msgs().track_filed_for}</dt><dd data-testid="representation">{i18n::representation(lang, r)}</dd>
                })}
                {recovered}
                {linked}
            </dl>
        </section>
        {v.deadline.clone().map(|d| deadline_view(lang, d))}
        {timeline_view(lang, v.timeline.clone())}
        {filed_view(lang, v.filed.clone())}
        {evidence}
        {allowed.supplement.then(|| supplement_form(lang, &no, &state))}
        {show_rating.then(|| rating_section(lang, &no, v.rating.clone(), allowed.rate, &state))}
        {allowed.contest.then(|| contest_section(lang, &no, v.contest_until.clone(), &state))}
        {allowed.withdraw.then(|| withdraw_section(lang, &no, &state, confirm, accepted))}
        {allowed.stop_notices.then(|| stop_notices_section(lang, &no))}
        {allowed.decide_offer.then(|| offer_section(lang, &no, &v.timeline))}
        {allowed.to_bureau.then(|| to_bureau_section(lang, &no))}
        {allowed.messages_off.map(|off| messages_section(lang, &no, off))}
    }
}
