//! `/track` — look a case up by case number (or mobile phone) and query code; and
//! `/track/{case_no}` — its timeline, next statutory deadline and the consumer's own steps.
//! Every form is a plain HTML form handled by the server (so it works without JavaScript);
//! with JavaScript, the same domain checks run before anything is sent.

use crate::components::form::{
    aria_invalid, check_before_send, described_by, error_summary, field, field_error, Errors,
};
use crate::domain::category;
use crate::domain::kind::ItemKind;
use crate::domain::tracking::{parse_reason, parse_supplement_text, LookupForm, RatingForm, RatingOutcome};
use crate::domain::workflow::{ActionName, CaseState, MediationMethod};
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::server_fns::track::get_track;
use crate::views::forms::{Problem, TrackState};
use crate::views::track::{DeadlineView, RatingView, TimelineEntry, TrackView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn label(lang: Lang, field: &str) -> &'static str {
    match field {
        "case_no" => lang.pick("案件编号", "Case number"),
        "phone" => lang.pick("手机号码", "Mobile phone"),
        "code" => lang.pick("查询码", "Query code"),
        "text" => lang.pick("补充说明", "What you want to add"),
        "evidence" => lang.pick("证据文件", "Evidence files"),
        "confirm" => lang.pick("确认撤回", "Confirm the withdrawal"),
        "process" => lang.pick("对办理过程的评价", "How was the handling?"),
        "outcome" => lang.pick("问题解决了吗", "Was it resolved?"),
        "comment" => lang.pick("意见（选填）", "Comment (optional)"),
        "reason" => lang.pick("异议理由", "Why you contest the closure"),
        _ => "",
    }
}

/// A text input or a textarea with its label, hint and error, bound to `value`.
fn text_field(
    lang: Lang,
    errors: Errors,
    name: &'static str,
    value: RwSignal<String>,
    multiline: bool,
    hint: Option<&'static str>,
    attrs: (&'static str, &'static str, &'static str),
) -> impl IntoView {
    if let Some(typed) = crate::components::form_state::typed_before_hydration(name) {
        value.set(typed);
    }
    let described = described_by(errors, name, hint.is_some());
    let invalid = aria_invalid(errors, name);
    let on_input = move |ev| {
        value.set(event_target_value(&ev));
        errors.update(|es| es.retain(|e| e.field != name));
    };
    let (input_type, autocomplete, inputmode) = attrs;
    let control = if multiline {
        view! {
            <textarea id=name name=name rows="5" prop:value=move || value.get()
                aria-invalid=invalid aria-describedby=described on:input=on_input>{value.get_untracked()}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=name name=name type=input_type autocomplete=autocomplete inputmode=inputmode
                value=value.get_untracked() prop:value=move || value.get()
                aria-invalid=invalid aria-describedby=described on:input=on_input />
        }
        .into_any()
    };
    field(lang, errors, name, label(lang, name), hint, control)
}

fn problem_text(lang: Lang, p: &Problem) -> String {
    match p {
        Problem::NoMatch => lang
            .pick(
                "案件编号（或手机号码）与查询码不匹配。请核对后重试；连续输错5次，该案件的查询将暂停15分钟。",
                "The case number (or phone) and the query code do not match. Check them and try again; after 5 wrong codes, look-ups of the case pause for 15 minutes.",
            )
            .into(),
        Problem::Locked { until } => match lang {
            Lang::Zh => format!("尝试次数过多，查询已暂停。请在 {until}（北京时间）之后再试。"),
            Lang::En => format!("Too many attempts: look-ups are paused. Please try again after {until} (Beijing time)."),
        },
        Problem::Expired => lang
            .pick(
                "为保护您的信息，查询在30分钟后失效。请重新输入查询码。",
                "To protect you, a look-up lasts 30 minutes. Please enter the query code again.",
            )
            .into(),
        Problem::NotNow => lang
            .pick(
                "案件当前的状态不允许这一操作（可能刚刚有了新进展）。请查看下面的最新进度。",
                "The case's current state does not allow this step (it may just have moved on). See the latest progress below.",
            )
            .into(),
        Problem::TooLate => lang.pick("办理期限已过，不能再进行这一操作。", "The period for this step has passed.").into(),
        Problem::AlreadyRated => lang.pick("您已经评价过这件案件。", "You have already rated this case.").into(),
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
            {text_field(lang, errors, "case_no", case_no, false,
                Some(lang.pick("回执上的编号，例如 QH-2026-000123。", "The number on your receipt, e.g. QH-2026-000123.")),
                ("text", "off", "text"))}
            <p class="hint">{lang.pick("或者不填案件编号，填写提交时留下的手机号码：", "Or, instead of the case number, the mobile phone you gave:")}</p>
            {text_field(lang, errors, "phone", phone, false, None, ("tel", "tel", "tel"))}
            {text_field(lang, errors, "code", code, false,
                Some(lang.pick("回执上的8位查询码，例如 ABCD-EFGH。", "The 8-character code on your receipt, e.g. ABCD-EFGH.")),
                ("text", "off", "text"))}
            <button type="submit" class="primary">{lang.pick("查询", "Look up")}</button>
        </form>
    }
}

#[component]
pub fn TrackLookupPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let state: TrackState = crate::components::form_state::read("track-state");
    let query = use_query_map();
    let case_no = query.read_untracked().get("case_no").unwrap_or_default();
    view! {
        <Title text=lang.pick("查询进度 - 青海12315", "Track your case - Qinghai 12315") />
        {crate::components::form_state::script("track-state", &state)}
        <section class="panel">
            <h1>{lang.pick("查询办理进度", "Track your case")}</h1>
            <p>{lang.pick(
                "输入回执上的案件编号和查询码，查看办理进度、补充材料或评价。",
                "Enter the case number and the query code from your receipt to see the progress, add material or rate the handling.",
            )}</p>
            {lookup_form(lang, &state, case_no)}
        </section>
    }
}

#[component]
pub fn TrackCasePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let params = use_params_map();
    let case_no = move || params.read().get("case_no").unwrap_or_default();
    let data = Resource::new_blocking(case_no, |no| async move { get_track(no).await });
    let state: TrackState = crate::components::form_state::read("track-state");
    let query = use_query_map();
    let done = query.read_untracked().get("done").unwrap_or_default();
    let confirm = query.read_untracked().get("confirm").is_some_and(|c| c == "withdraw");
    view! {
        <Title text=lang.pick("办理进度 - 青海12315", "Case progress - Qinghai 12315") />
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
                                <h1>{lang.pick("请输入查询码", "Enter your query code")}</h1>
                                {lookup_form(lang, &state, case_no())}
                            </section>
                        }.into_any(),
                        Err(_) => view! {
                            <section class="panel" role="alert">
                                <h1>{lang.pick("暂时无法显示", "Cannot show this now")}</h1>
                                <p>{lang.pick("请稍后再试，或拨打12315。", "Please try again later, or call 12315.")}</p>
                            </section>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn done_text(lang: Lang, done: &str) -> Option<&'static str> {
    Some(match done {
        "supplement" => lang.pick("已收到您补充的材料。", "We have received what you added."),
        "withdraw" => lang.pick("您已撤回。", "You have withdrawn it."),
        "rate" => lang.pick("感谢您的评价。", "Thank you for your rating."),
        "contest" => lang.pick(
            "已收到您的异议，办理部门将作出答复。",
            "We have received your objection; the bureau will answer it.",
        ),
        _ => return None,
    })
}

fn countdown(lang: Lang, d: &DeadlineView) -> String {
    match (lang, d.working_days_left) {
        (Lang::Zh, 0) => "今天到期".into(),
        (Lang::En, 0) => "Due today".into(),
        (Lang::Zh, n) if n > 0 => format!("还有 {n} 个工作日"),
        (Lang::En, n) if n > 0 => format!("{n} working days left"),
        (Lang::Zh, n) => format!("已超过 {} 个工作日", -n),
        (Lang::En, n) => format!("Overdue by {} working days", -n),
    }
}

fn deadline_view(lang: Lang, d: DeadlineView) -> impl IntoView {
    let rule = lang.pick(&d.zh, &d.en).to_owned();
    let source = match lang {
        Lang::Zh => format!("依据：{}{}", d.rule_set_zh, d.article),
        Lang::En => format!("Under: {}, {}", d.rule_set_en, d.article),
    };
    view! {
        <section class="panel deadline" aria-labelledby="deadline-title">
            <h2 id="deadline-title">{lang.pick("下一个期限", "Next deadline")}</h2>
            <p class="big" data-testid="deadline-date">{d.date.clone()}</p>
            <p data-testid="countdown"><strong>{countdown(lang, &d)}</strong></p>
            <p>{rule}</p>
            <p class="hint">{source}</p>
            {d.assumed.then(|| view! { <p class="hint">{lang.pick("该日期按周末计算，国务院公布节假日安排后可能顺延。", "Counted with weekends only: it may move once the year's holidays are published.")}</p> })}
            {d.paused.then(|| view! { <p class="notice">{lang.pick("正在检测或鉴定，这段时间不计入期限。", "Testing or appraisal is under way; that time does not count towards the deadline.")}</p> })}
        </section>
    }
}

fn detail_view(lang: Lang, e: &TimelineEntry) -> Option<impl IntoView> {
    let detail = e.detail.clone()?;
    let text = if e.action == ActionName::Transfer.code() || e.action == ActionName::Reassign.code() {
        let bureau = crate::domain::region::bureau(&detail)?;
        lang.pick(&bureau.zh, &bureau.en).to_owned()
    } else if e.action == ActionName::StartMediation.code() {
        let mut parts = detail.split('\t');
        let method = parts.next().and_then(MediationMethod::from_code).map(|m| i18n::mediation_method(lang, m));
        let rest: Vec<_> = parts.map(|p| p.replace('T', " ")).collect();
        format!(
            "{}{}",
            method.unwrap_or_default(),
            if rest.is_empty() { String::new() } else { format!("：{}", rest.join("，")) }
        )
    } else {
        detail
    };
    Some(view! { <p class="detail">{text}</p> })
}

fn timeline_view(lang: Lang, entries: Vec<TimelineEntry>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{lang.pick("办理经过", "What has happened")}</h2>
            <ol class="timeline" data-testid="timeline">
                {entries.into_iter().map(|e| {
                    let action = ActionName::from_code(&e.action).map(|a| i18n::action(lang, a)).unwrap_or_default();
                    let state = CaseState::from_code(&e.to_state).map(|s| i18n::state(lang, s)).unwrap_or_default();
                    let ground = e.ground.clone().map(|g| {
                        let text = match lang {
                            Lang::Zh => format!("理由：{}（{}）", g.zh, g.article),
                            Lang::En => format!("Ground {}: {} ({})", g.no, g.en, g.article),
                        };
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
            <h2 id="supplement-title">{lang.pick("补充材料", "Add material")}</h2>
            {error_summary(lang, errors, label, Some("supplement-errors"))}
            <form method="post" action=format!("/track/{no}") enctype="multipart/form-data" novalidate
                on:submit=check_before_send(errors, "supplement-errors", check)>
                <input type="hidden" name="do" value="supplement" />
                {text_field(lang, errors, "text", text, true, None, ("", "", ""))}
                <div class="field">
                    <label for="evidence">{label(lang, "evidence")}</label>
                    <p class="hint" id="evidence-hint">{lang.pick(
                        "照片（JPEG、PNG、WebP、HEIC）或PDF，每次最多5个，每个不超过10MB。照片的位置信息会被删除。",
                        "Photos (JPEG, PNG, WebP, HEIC) or PDF, up to 5 at a time, each at most 10 MB. Location data is removed from photos.",
                    )}</p>
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
                <button type="submit" class="primary">{lang.pick("提交补充材料", "Send")}</button>
            </form>
        </section>
    }
}

fn withdraw_section(lang: Lang, no: &str, state: &TrackState, confirm: bool) -> impl IntoView {
    let errors = RwSignal::new(if state.step == "withdraw" { state.errors.clone() } else { Vec::new() });
    let confirm = confirm || state.step == "withdraw";
    let body = if confirm {
        view! {
            <form method="post" action=format!("/track/{no}") novalidate>
                <input type="hidden" name="do" value="withdraw" />
                <p>{lang.pick("撤回后，本件不再办理。确定要撤回吗？", "Once withdrawn, the case is no longer handled. Are you sure?")}</p>
                {field_error(lang, errors, "confirm")}
                <div class="choice">
                    <input type="checkbox" id="confirm" name="confirm" value="yes"
                        aria-describedby=described_by(errors, "confirm", false) />
                    <label for="confirm">{lang.pick("是的，我要撤回", "Yes, withdraw it")}</label>
                </div>
                <div class="actions">
                    <button type="submit" class="danger">{lang.pick("确认撤回", "Withdraw")}</button>
                    <a rel="external" href=format!("/track/{no}")>{lang.pick("不撤回，返回", "Keep it, go back")}</a>
                </div>
            </form>
        }
        .into_any()
    } else {
        view! {
            <p><a rel="external" href=format!("/track/{no}?confirm=withdraw#withdraw-title")>{lang.pick("撤回投诉/举报/咨询…", "Withdraw it…")}</a></p>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="withdraw-title">
            <h2 id="withdraw-title">{lang.pick("撤回", "Withdraw")}</h2>
            {body}
        </section>
    }
}

fn outcome_label(lang: Lang, o: RatingOutcome) -> &'static str {
    match o {
        RatingOutcome::Resolved => lang.pick("已解决", "Resolved"),
        RatingOutcome::Partly => lang.pick("部分解决", "Partly resolved"),
        RatingOutcome::NotResolved => lang.pick("未解决", "Not resolved"),
    }
}

fn process_label(lang: Lang, n: u8) -> &'static str {
    match n {
        1 => lang.pick("1 很不满意", "1 Very poor"),
        2 => lang.pick("2 不满意", "2 Poor"),
        3 => lang.pick("3 一般", "3 Fair"),
        4 => lang.pick("4 满意", "4 Good"),
        _ => lang.pick("5 很满意", "5 Very good"),
    }
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
            <p><strong>{lang.pick("问题没有解决，您还可以：", "If it is not resolved, you can still:")}</strong></p>
            <ul>
                <li>{lang.pick("向人民法院提起诉讼（可以先咨询法律援助，电话12348）；", "go to court (free legal aid can advise you first: call 12348);")}</li>
                <li>{lang.pick("如果与经营者约定了仲裁，向仲裁机构申请仲裁；", "apply for arbitration, if you agreed on it with the business;")}</li>
                <li>{lang.pick("请求消费者协会调解；", "ask the consumer association to mediate;")}</li>
                <li>{lang.pick("在办结后15个工作日内，对办结提出异议（见下方）。", "contest the closure within 15 working days (below).")}</li>
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
        let until = r.editable_until.clone().map(|u| match lang {
            Lang::Zh => format!("在 {u} 之前可以修改。"),
            Lang::En => format!("You can change it until {u}."),
        });
        view! {
            <dl class="receipt-facts" data-testid="rating">
                <dt>{label(lang, "process")}</dt><dd>{process_label(lang, r.process)}</dd>
                <dt>{label(lang, "outcome")}</dt><dd>{outcome.map(|o| outcome_label(lang, o)).unwrap_or_default()}</dd>
                {r.comment.clone().map(|c| view! { <dt>{lang.pick("意见", "Comment")}</dt><dd>{c}</dd> })}
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
                {text_field(lang, errors, "comment", comment, true, None, ("", "", ""))}
                <button type="submit" class="primary">{if rating.is_some() { lang.pick("修改评价", "Change my rating") } else { lang.pick("提交评价", "Send my rating") }}</button>
            </form>
        }
    });
    view! {
        <section class="panel" aria-labelledby="rate-title">
            <h2 id="rate-title">{lang.pick("评价办理情况", "Rate the handling")}</h2>
            {shown}
            {form}
        </section>
    }
}

fn contest_section(lang: Lang, no: &str, until: Option<String>, state: &TrackState) -> impl IntoView {
    let errors = RwSignal::new(if state.step == "contest" { state.errors.clone() } else { Vec::new() });
    let reason = RwSignal::new(if state.step == "contest" { state.reason.clone() } else { String::new() });
    let check = move || parse_reason(&reason.get_untracked()).err().unwrap_or_default();
    let until = until.map(|u| match lang {
        Lang::Zh => format!("对办结结果有异议的，可以在 {u} 前提出，办理部门应当答复。"),
        Lang::En => {
            format!("If you disagree with how it was closed, you can say so until {u}; the bureau must answer.")
        }
    });
    view! {
        <section class="panel" aria-labelledby="contest-title">
            <h2 id="contest-title">{lang.pick("对办结提出异议", "Contest the closure")}</h2>
            {until.map(|u| view! { <p>{u}</p> })}
            {error_summary(lang, errors, label, Some("contest-errors"))}
            <form method="post" action=format!("/track/{no}") novalidate
                on:submit=check_before_send(errors, "contest-errors", check)>
                <input type="hidden" name="do" value="contest" />
                {text_field(lang, errors, "reason", reason, true, None, ("", "", ""))}
                <button type="submit" class="primary">{lang.pick("提出异议", "Contest")}</button>
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
            <dt>{lang.pick("为您挽回损失", "Recovered for you")}</dt><dd>{format!("¥{y}")}</dd>
        }
    });
    let linked = v.linked_case_no.clone().map(|l| {
        view! {
            <dt>{lang.pick("关联案件", "Linked item")}</dt><dd>{l}</dd>
        }
    });
    let business = v.business.clone().map(|b| {
        view! {
            <dt>{lang.pick("被投诉/举报方", "Business")}</dt><dd>{b}</dd>
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
                <h2 id="evidence-title">{lang.pick("已提交的证据", "Evidence you sent")}</h2>
                <ul data-testid="evidence-list">{items}</ul>
            </section>
        }
    });
    let allowed = v.allowed;
    let show_rating = allowed.rate || v.rating.is_some();
    view! {
        {flash}
        {problem}
        <section class="panel">
            <h1>{kind}" "<span data-testid="case-no">{no.clone()}</span></h1>
            <p class="state" data-testid="state">{state_label}</p>
            <dl class="receipt-facts">
                <dt>{lang.pick("收到日期", "Received")}</dt><dd>{v.received_on.clone()}</dd>
                <dt>{lang.pick("办理部门", "Handled by")}</dt><dd data-testid="bureau">{bureau}</dd>
                <dt>{lang.pick("类别", "Category")}</dt><dd>{category}</dd>
                {business}
                <dt>{lang.pick("诉求人", "Filed by")}</dt><dd>{v.consumer.clone()}</dd>
                {recovered}
                {linked}
            </dl>
        </section>
        {v.deadline.clone().map(|d| deadline_view(lang, d))}
        {timeline_view(lang, v.timeline.clone())}
        {evidence}
        {allowed.supplement.then(|| supplement_form(lang, &no, &state))}
        {show_rating.then(|| rating_section(lang, &no, v.rating.clone(), allowed.rate, &state))}
        {allowed.contest.then(|| contest_section(lang, &no, v.contest_until.clone(), &state))}
        {allowed.withdraw.then(|| withdraw_section(lang, &no, &state, confirm))}
    }
}
