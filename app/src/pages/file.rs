//! `/file` — filing online in steps: the scope check, the kind of item, the business, what
//! happened, the contact details, review and submit. Without JavaScript each step posts the whole
//! form to `/file` and the server renders the next one (nothing is stored before submission);
//! with JavaScript the steps change in the browser, checked by the same domain code, and the
//! draft is kept in this browser's local storage.

use crate::components::form::{aria_invalid, described_by, error_summary, field_error, focus, Errors};
use crate::domain::case::DemandKind;
use crate::domain::category;
use crate::domain::filing::{all_fields, fields_of, get_field, step_of, FilingForm, Step, SCOPE_QUESTIONS};
use crate::domain::kind::ItemKind;
use crate::domain::party::{mask_phone, Phone};
use crate::domain::region::{bureau_for_county, prefectures};
use crate::domain::rules;
use crate::i18n::fill;
use crate::i18n::{self, Lang};
use crate::pages::home::today_in_china;
use crate::prefs::use_prefs;
use crate::views::forms::FilingState;
use leptos::prelude::*;
use leptos_meta::Title;

mod browser;
mod controls;
mod odr;
mod pick;
mod upload;

use browser::{clear_draft, navigate_to, new_key, online, set_queued};
#[cfg(feature = "hydrate")]
use browser::{draft_storage, queued, DRAFT_KEY};
pub(crate) use controls::label;
use controls::{checkbox, hint, option, radios, select, text_input, textarea};

fn step_title(lang: Lang, step: Step) -> &'static str {
    lang.msgs().term("step", step.code())
}

fn scope_route(lang: Lang, question: &str) -> &'static str {
    lang.msgs().term("scope_route", question)
}

pub(crate) fn demand_label(lang: Lang, d: DemandKind) -> &'static str {
    lang.msgs().term("demand", d.code())
}

#[component]
pub fn FilePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let initial: FilingState = crate::components::form_state::read("filing-state");
    let form = RwSignal::new(initial.form.clone());
    let errors = RwSignal::new(initial.errors.clone());
    let pending = RwSignal::new(false);
    let failed = RwSignal::new(false);
    // Submitted without a connection: kept in this browser, sent when the connection returns.
    let waiting = RwSignal::new(false);
    // Waiting although the browser says it is online (a weak line, the server out of reach): sent
    // again after a pause that doubles (3 s, 6 s, … 30 s), `resend` firing each time.
    let retrying = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let resend = Trigger::new();
    let attempts = StoredValue::new(0u32);
    let step = Memo::new(move |_| form.with(|f| f.step()));
    let today = today_in_china();
    let rules = rules::in_force_on(today);

    #[cfg(feature = "ssr")]
    if !initial.errors.is_empty() {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
        }
    }

    // With JavaScript: restore a draft kept in this browser, then keep it up to date.
    #[cfg(feature = "hydrate")]
    {
        // Not over what was typed while the page was loading (the fields took it on hydration).
        Effect::new(move |first: Option<()>| {
            if first.is_none() && form.with_untracked(|f| *f == FilingForm::default()) {
                if let Some(draft) = draft_storage()
                    .and_then(|s| s.get_item(DRAFT_KEY).ok().flatten())
                    .and_then(|t| serde_json::from_str::<FilingForm>(&t).ok())
                {
                    form.set(draft);
                }
            }
        });
        Effect::new(move |_| {
            let f = form.get();
            if f != FilingForm::default() {
                if let (Some(s), Ok(t)) = (draft_storage(), serde_json::to_string(&f)) {
                    let _ = s.set_item(DRAFT_KEY, &t);
                }
            }
        });
    }

    let go = move |to: Step| {
        form.update(|f| f.step = to.code().into());
        errors.set(Vec::new());
        focus("step-title");
    };
    let next = move || {
        let f = form.get_untracked();
        let current = f.step();
        let errs = f.check_step(current, today);
        if errs.is_empty() {
            go(f.next(current));
        } else {
            let first = errs[0].field.clone();
            errors.set(errs);
            focus(&first);
        }
    };
    let submit = move || {
        if pending.get_untracked() {
            return; // a double tap files once
        }
        let mut f = form.get_untracked();
        if f.key.is_empty() {
            f.key = new_key();
            form.update(|x| x.key = f.key.clone());
        }
        if let Err(errs) = f.parse_all(today) {
            let to = step_of(&errs[0].field);
            form.update(|x| x.step = to.code().into());
            errors.set(errs);
            return;
        }
        pending.set(true);
        failed.set(false);
        leptos::task::spawn_local(async move {
            match crate::server_fns::filing::file_case(f).await {
                Ok(no) => {
                    attempts.set_value(0);
                    clear_draft();
                    navigate_to(&format!("/file/done/{no}"));
                }
                Err(crate::error::AppError::Invalid(errs)) if !errs.is_empty() => {
                    pending.set(false);
                    set_queued(false);
                    let to = step_of(&errs[0].field);
                    // Filed before under this key: sent again, it is a new filing, under a new key.
                    let resent = errs.iter().any(|e| e.invalid == crate::domain::Invalid::FormResent);
                    form.update(|x| {
                        x.step = to.code().into();
                        if resent {
                            x.key = new_key();
                        }
                    });
                    errors.set(errs);
                }
                Err(crate::error::AppError::Transport(_)) => {
                    // Sent again, with the same key, when the connection returns (or after a pause,
                    // if the browser thinks it has one): never twice.
                    pending.set(false);
                    waiting.set(true);
                    set_queued(true);
                    retrying.set(online());
                    #[cfg(feature = "hydrate")]
                    if online() {
                        let n = attempts.get_value();
                        attempts.set_value(n + 1);
                        let pause = std::time::Duration::from_secs((3u64 << n.min(4)).min(30));
                        set_timeout(move || resend.notify(), pause);
                    }
                }
                Err(_) => {
                    pending.set(false);
                    failed.set(true);
                }
            }
        });
    };
    // With JavaScript: a filing left waiting (here or before a reload) goes out once online.
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::online, move |_| {
            if waiting.get_untracked() {
                waiting.set(false);
                submit();
            }
        });
        on_cleanup(move || handle.remove());
        Effect::new(move |first: Option<()>| {
            resend.track();
            if first.is_some() && waiting.get_untracked() {
                waiting.set(false);
                submit();
            }
        });
        Effect::new(move |first: Option<()>| {
            if first.is_none() && queued() && !form.with_untracked(|f| f.key.is_empty()) {
                if online() {
                    submit();
                } else {
                    waiting.set(true);
                }
            }
        });
    }

    // A complaint has the scope check; a report and a consultation go without it.
    let progress = move || {
        let (at, of) = form.with(|f| f.progress(step.get()));
        fill(lang.msgs().file_step_of, &[("step", &at), ("steps", &of)])
    };
    let hidden = move || {
        let f = form.get();
        let current = f.step();
        all_fields()
            .filter(|name| !fields_of(current).contains(name))
            .map(|name| view! { <input type="hidden" name=name value=get_field(&f, name).to_owned() /> })
            .collect_view()
    };

    view! {
        <Title text=lang.msgs().file_file_a_complaint_qinghai />
        {crate::components::form_state::script("filing-state", &initial)}
        <h1>{lang.msgs().file_file_a_complaint_report}</h1>
        <p class="progress" aria-live="polite">{progress}</p>
        <form method="post" action="/file" enctype="multipart/form-data" novalidate class="filing">
            <input type="hidden" name="step" value=move || step.get().code() />
            <input type="hidden" name="key" value=move || form.with(|f| f.key.clone()) />
            <input type="hidden" name="draft" value=move || form.with(|f| f.draft.clone()) />
            {hidden}
            <h2 id="step-title" tabindex="-1">{move || step_title(lang, step.get())}</h2>
            {error_summary(lang, errors, label, None)}
            {move || match step.get() {
                Step::Scope => scope_step(lang, form, errors).into_any(),
                Step::Kind => kind_step(lang, form, errors).into_any(),
                Step::Business => business_step(lang, form, errors, rules).into_any(),
                Step::Incident => incident_step(lang, form, errors).into_any(),
                Step::Contact => contact_step(lang, form, errors).into_any(),
                Step::Evidence => evidence_step(lang, form, errors).into_any(),
                Step::Review => view! { {review_step(lang, form, go)}{odr::odr_question(lang, form, errors)} }.into_any(),
            }}
            <div class="actions">
                {move || if step.get() == Step::Review {
                    view! {
                        <button type="submit" name="go" value="submit" disabled=move || pending.get()
                            on:click=move |ev| { ev.prevent_default(); submit(); }>
                            {move || if pending.get() { lang.msgs().file_submitting } else { lang.msgs().file_submit }}
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <button type="submit" name="go" value="next" on:click=move |ev| { ev.prevent_default(); next(); }>
                            {lang.msgs().file_next}
                        </button>
                    }.into_any()
                }}
                {move || (step.get() != Step::Kind).then(|| view! {
                    <button type="submit" name="go" value="back" class="secondary"
                        on:click=move |ev| { ev.prevent_default(); let f = form.get_untracked(); go(f.prev(f.step())); }>
                        {lang.msgs().file_back}
                    </button>
                })}
            </div>
            <p class="field-error" role="alert">
                {move || failed.get().then(|| lang.msgs().file_the_submission_did_not)}
            </p>
            <p class="notice" role="status" data-testid="filing-waiting">
                {move || {
                    let m = lang.msgs();
                    waiting.get().then(|| if retrying.get() { m.file_waiting_to_retry } else { m.file_waiting_for_connection })
                }}
            </p>
        </form>
    }
}

fn scope_step(lang: Lang, form: RwSignal<FilingForm>, errors: Errors) -> impl IntoView {
    let yes = lang.msgs().file_yes;
    let no = lang.msgs().file_no;
    view! {
        <p>{lang.msgs().file_four_questions_tell_you}</p>
        {SCOPE_QUESTIONS.iter().map(|q| radios(lang, form, errors, q, vec![("yes", yes, false), ("no", no, false)])).collect_view()}
    }
}

fn kind_step(lang: Lang, form: RwSignal<FilingForm>, errors: Errors) -> impl IntoView {
    view! {
        {radios(lang, form, errors, "kind", vec![
            ("complaint", lang.msgs().file_complaint_a_dispute_with, false),
            ("report", lang.msgs().file_report_a_business_s, false),
            ("consultation", lang.msgs().file_question_ask_about_your, false),
        ])}
        {checkbox(lang, form, errors, "also_report")}
    }
}

/// After a complaint's scope check: the ground it is likely to be refused on, if an answer
/// points to one (it may still be filed, or reported instead).
fn scope_stop_notice(lang: Lang, form: RwSignal<FilingForm>, rules: &'static rules::RuleSet) -> impl IntoView {
    let stop = form.with_untracked(|f| f.scope_stop(rules));
    let notice = stop.map(|s| {
        let ground = rules.refusal_ground(s.ground);
        let (text, article) =
            ground.map(|g| (lang.pick(&g.zh, &g.en).to_owned(), g.article.clone())).unwrap_or_default();
        view! {
            <div class="notice" role="note" id="scope-stop">
                <p><strong>{lang.msgs().file_from_your_answers_this}</strong></p>
                <p>{text} " (" {lang.pick(&rules.short.zh, &rules.short.en).to_owned()} {article} ")"</p>
                <p>{scope_route(lang, s.question)}</p>
                <p>{lang.msgs().file_you_can_still_report}</p>
            </div>
        }
    });
    notice
}

fn business_step(
    lang: Lang,
    form: RwSignal<FilingForm>,
    errors: Errors,
    rules: &'static rules::RuleSet,
) -> impl IntoView {
    let counties = prefectures()
        .iter()
        .map(|p| {
            let group = lang.pick(&p.zh, &p.en).to_owned();
            view! {
                <optgroup label=group>
                    {p.counties.iter().map(|c| option(form, "business_county", c.code.clone(), lang.pick(&c.zh, &c.en).to_owned())).collect_view()}
                </optgroup>
            }
        })
        .collect_view();
    let bureau = move || {
        form.with(|f| bureau_for_county(&f.business_county)).map(|b| {
            let name = lang.pick(&b.zh, &b.en).to_owned();
            view! { <p class="hint" aria-live="polite">{lang.msgs().file_it_will_be_handled} <strong>{name}</strong></p> }
        })
    };
    let optional = form.with_untracked(|f| f.kind() == Some(ItemKind::Consultation));
    view! {
        {scope_stop_notice(lang, form, rules)}
        {optional.then(|| view! { <p>{lang.msgs().file_for_a_question_the}</p> })}
        {text_input(lang, form, errors, "business_name", "text", "organization")}
        {pick::register_lookup(lang, form)}
        {text_input(lang, form, errors, "business_credit_code", "text", "off")}
        {text_input(lang, form, errors, "business_address", "text", "off")}
        {select(lang, form, errors, "business_county", counties)}
        {bureau}
        {text_input(lang, form, errors, "business_platform", "text", "off")}
        {text_input(lang, form, errors, "business_shop", "text", "off")}
    }
}

fn incident_step(lang: Lang, form: RwSignal<FilingForm>, errors: Errors) -> impl IntoView {
    let kind = form.with_untracked(|f| f.kind()).unwrap_or(ItemKind::Complaint);
    let cats = category::for_kind(kind)
        .map(|c| option(form, "category", c.code.clone(), lang.pick(&c.zh, &c.en).to_owned()))
        .collect_view();
    let report = move || {
        form.with(|f| f.wants_report()).then(|| {
            let topics = category::for_kind(ItemKind::Report)
                .map(|c| option(form, "report_category", c.code.clone(), lang.pick(&c.zh, &c.en).to_owned()))
                .collect_view();
            select(lang, form, errors, "report_category", topics)
        })
    };
    let demands = DemandKind::ALL
        .iter()
        .map(|d| option(form, "demand", d.code().to_owned(), demand_label(lang, *d).to_owned()))
        .collect_view();
    view! {
        {select(lang, form, errors, "category", cats)}
        {report}
        {text_input(lang, form, errors, "incident_on", "date", "off")}
        {limitation_notice(lang, form)}
        {text_input(lang, form, errors, "amount_paid", "text", "off")}
        {text_input(lang, form, errors, "order_no", "text", "off")}
        {select(lang, form, errors, "demand", demands)}
        {text_input(lang, form, errors, "demand_text", "text", "off")}
        {textarea(lang, form, errors, "facts")}
    }
}

/// Said as soon as the date shows that more than three years have passed (a complaint may still
/// be filed: the bureau decides, on the numbered ground).
fn limitation_notice(lang: Lang, form: RwSignal<FilingForm>) -> impl IntoView {
    let rules = rules::in_force_on(today_in_china());
    move || {
        form.with(|f| f.limitation_passed(today_in_china(), rules)).map(|ground| {
            let article = rules.refusal_ground(ground).map(|g| g.article.clone()).unwrap_or_default();
            let values: [(&str, &dyn std::fmt::Display); 3] = [
                ("years", &rules.limitation.years),
                ("rules", &lang.pick(&rules.short.zh, &rules.short.en)),
                ("article", &crate::i18n::article(lang, &article, rules.limitation.verified)),
            ];
            view! { <p class="notice" role="note" id="limitation-note">{fill(lang.msgs().file_beyond_limitation, &values)}</p> }
        })
    }
}

/// Who a complaint is filed for: (code, label), in the order offered (the filing form, intake).
pub fn filing_as_choices(lang: Lang) -> [(&'static str, &'static str); 3] {
    [
        ("self", lang.msgs().file_filing_as_self),
        ("agent", lang.msgs().file_filing_as_agent),
        ("representative", lang.msgs().file_filing_as_representative),
    ]
}

/// For a complaint: filed for oneself, by an agent under a power of attorney, or by the
/// representative of several consumers (the rule set's articles and least number).
fn filing_as(lang: Lang, form: RwSignal<FilingForm>, errors: Errors) -> impl IntoView {
    let rules = rules::in_force_on(today_in_china());
    form.update_untracked(|f| {
        if f.filing_as.is_empty() {
            f.filing_as = "self".into();
        }
    });
    let is = move |v: &'static str| move || form.with(|f| f.filing_as != v);
    // The rule's text with its instrument and article (marked when not verified).
    let cite = |zh: &str, en: &str, article: &str, verified: bool| {
        let article = crate::i18n::article(lang, article, verified);
        match lang {
            Lang::En => format!("{en} ({} {article}).", rules.short.en),
            _ => format!("{zh}（{}{article}）。", rules.short.zh),
        }
    };
    let agent_rule = cite(&rules.agents.zh, &rules.agents.en, &rules.agents.article, rules.agents.verified);
    let c = &rules.collective;
    let collective_rule = cite(&c.zh, &c.en, &c.article, c.verified);
    view! {
        {radios(lang, form, errors, "filing_as", filing_as_choices(lang).into_iter().map(|(v, t)| (v, t, false)).collect())}
        <div hidden=is("agent")>
            <p class="hint" id="agent-rule">{agent_rule}</p>
            {text_input(lang, form, errors, "agent_name", "text", "off")}
            {text_input(lang, form, errors, "agent_phone", "tel", "off")}
            <p class="hint">{lang.msgs().file_agent_hint}</p>
        </div>
        <div hidden=is("representative")>
            <p class="hint" id="collective-rule">{collective_rule}</p>
            {text_input(lang, form, errors, "consumers", "text", "off")}
        </div>
    }
}

fn contact_step(lang: Lang, form: RwSignal<FilingForm>, errors: Errors) -> impl IntoView {
    // A report may be anonymous (then the person fields are not asked for, and not kept).
    let report = form.with_untracked(|f| f.kind() == Some(ItemKind::Report));
    let complaint = form.with_untracked(|f| f.kind() == Some(ItemKind::Complaint));
    let anonymous = move || form.with(|f| f.is_anonymous());
    view! {
        {report.then(|| checkbox(lang, form, errors, "anonymous"))}
        {complaint.then(|| filing_as(lang, form, errors))}
        <div hidden=anonymous>
            {text_input(lang, form, errors, "consumer_name", "text", "name")}
            {text_input(lang, form, errors, "consumer_phone", "tel", "tel")}
            {text_input(lang, form, errors, "consumer_address", "text", "street-address")}
            {text_input(lang, form, errors, "consumer_email", "email", "email")}
        </div>
        {checkbox(lang, form, errors, "consent_publish")}
        <p class="hint">{lang.msgs().file_privacy_your_personal_data}</p>
    }
}

fn evidence_step(lang: Lang, form: RwSignal<FilingForm>, errors: Errors) -> impl IntoView {
    let count = move || form.with(|f| crate::domain::evidence::parse_ids(&f.evidence).map(|v| v.len()).unwrap_or(0));
    let uploads = RwSignal::new(Vec::new());
    let original = RwSignal::new(false);
    // Filing for others rests on a signed power of attorney or a written choice of representative.
    let for_others = form.with_untracked(|f| {
        f.kind() == Some(ItemKind::Complaint) && matches!(f.filing_as.as_str(), "agent" | "representative")
    });
    view! {
        {for_others.then(|| view! { <p class="notice" role="note" id="authority-note">{lang.msgs().file_attach_authority}</p> })}
        <input type="hidden" name="evidence" value=move || form.with(|f| f.evidence.clone()) />
        <p data-testid="evidence-count" aria-live="polite">{move || fill(lang.msgs().file_files_uploaded, &[("count", &count()), ("max", &crate::domain::evidence::MAX_FILES)])}</p>
        <div class="field">
            <label for="evidence">{label(lang, "evidence")}</label>
            <p class="hint" id="evidence-hint">{hint(lang, "evidence")}</p>
            {field_error(lang, errors, "evidence")}
            <input type="file" id="evidence" name="evidence_file" multiple
                accept="image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf"
                aria-invalid=aria_invalid(errors, "evidence")
                aria-describedby=described_by(errors, "evidence", true)
                on:change=move |ev| upload::upload_chosen(ev, form, errors, uploads, original) />
        </div>
        {upload::upload_list(lang, uploads, original)}
        <button type="submit" name="go" value="upload" class="secondary" on:click=move |ev| {
            // With JavaScript, files are sent as soon as they are chosen.
            ev.prevent_default();
        }>{lang.msgs().file_upload_the_chosen_files}</button>
    }
}

fn review_step(lang: Lang, form: RwSignal<FilingForm>, go: impl Fn(Step) + Copy + 'static) -> impl IntoView {
    let f = form.get_untracked();
    let show = |name: &str| -> String {
        let v = get_field(&f, name);
        match name {
            "consumer_phone" | "agent_phone" => Phone::parse(v).map(|p| p.masked()).unwrap_or_else(|_| mask_phone(v)),
            "filing_as" => {
                let choices = filing_as_choices(lang);
                choices.iter().find(|(c, _)| *c == v).unwrap_or(&choices[0]).1.to_owned()
            }
            "kind" => ItemKind::from_code(v).map(|k| i18n::kind(lang, k).to_owned()).unwrap_or_default(),
            "category" | "report_category" => {
                category::get(v).map(|c| lang.pick(&c.zh, &c.en).to_owned()).unwrap_or_default()
            }
            "business_county" => bureau_for_county(v).map(|b| lang.pick(&b.zh, &b.en).to_owned()).unwrap_or_default(),
            "demand" => DemandKind::from_code(v).map(|d| demand_label(lang, d).to_owned()).unwrap_or_default(),
            "evidence" => crate::domain::evidence::parse_ids(v).map(|ids| ids.len()).unwrap_or(0).to_string(),
            "consent_publish" | "also_report" | "anonymous" => {
                if v.is_empty() { lang.msgs().file_no_2 } else { lang.msgs().file_yes_2 }.to_owned()
            }
            _ => v.to_owned(),
        }
    };
    view! {
        <p>{lang.msgs().file_please_check_after_you}</p>
        {limitation_notice(lang, form)}
        {[Step::Kind, Step::Business, Step::Incident, Step::Contact, Step::Evidence].into_iter().map(|s| {
            // An anonymous report keeps none of the person fields: the review does not show them.
            // Who files for others is asked of complaints only, and each choice keeps its own fields.
            let complaint = f.kind() == Some(ItemKind::Complaint);
            let kept = |n: &str| match n {
                _ if f.is_anonymous() && n.starts_with("consumer_") => false,
                "filing_as" => complaint,
                "agent_name" | "agent_phone" => complaint && f.filing_as == "agent",
                "consumers" => complaint && f.filing_as == "representative",
                _ => true,
            };
            let rows = fields_of(s).iter().filter(|n| (!get_field(&f, n).is_empty() || **n == "consent_publish") && kept(n)).map(|n| {
                let n: &'static str = n;
                view! { <dt>{label(lang, n)}</dt><dd>{show(n)}</dd> }
            }).collect_view();
            view! {
                <section class="review" aria-label=step_title(lang, s)>
                    <h3>{step_title(lang, s)}</h3>
                    <dl>{rows}</dl>
                    <button type="submit" name="goto" value=s.code() class="link"
                        on:click=move |ev| { ev.prevent_default(); go(s); }>
                        {lang.msgs().file_change} <span class="visually-hidden">{step_title(lang, s)}</span>
                    </button>
                </section>
            }
        }).collect_view()}
    }
}
