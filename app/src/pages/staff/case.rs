//! `/staff/cases/{case_no}` — a case for staff: everything about it and the steps the workflow allows now, each a plain form handled by the server.

use crate::domain::kind::ItemKind;
use crate::domain::workflow::{ActionName, CaseState, Role};
use crate::i18n::role_label;
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::views::forms::ConsoleState;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn field_label(lang: Lang, field: &str) -> &'static str {
    lang.msgs().term("staff_case", field)
}

fn action_fields(
    lang: Lang,
    v: &crate::views::staff::StaffCaseView,
    action: ActionName,
    state: &ConsoleState,
) -> impl IntoView {
    let code = action.code();
    let mine = state.form.action == code;
    let value = move |f: &str| -> String {
        if !mine {
            return String::new();
        }
        let s = &state.form;
        match f {
            "ground" => s.ground.clone(),
            "to_bureau" => s.to_bureau.clone(),
            "province" => s.province.clone(),
            "method" => s.method.clone(),
            "at" => s.at.clone(),
            "place" => s.place.clone(),
            "recovered" => s.recovered.clone(),
            "agreement" => s.agreement.clone(),
            "text" => s.text.clone(),
            "decision" => s.decision.clone(),
            "note" => s.note.clone(),
            _ => String::new(),
        }
    };
    let error = move |f: &str| -> Option<String> {
        mine.then(|| state.errors.iter().find(|e| e.field == f).map(|e| i18n::invalid(lang, &e.invalid))).flatten()
    };
    let reason = v.reason_required || action == ActionName::Reassign;
    let field = move |f: &'static str, control: AnyView| {
        let id = format!("{code}-{f}");
        let err = error(f);
        let err_id = format!("{id}-error");
        let label = if f == "note" && reason { field_label(lang, "reason") } else { field_label(lang, f) };
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                {err.map(|e| view! { <p class="field-error" id=err_id.clone()>{e}</p> })}
                {control}
            </div>
        }
    };
    let select = move |f: &'static str, options: Vec<(String, String)>| {
        crate::components::form::select(lang, format!("{code}-{f}"), f, options, value(f))
    };
    let textarea = move |f: &'static str| {
        let id = format!("{code}-{f}");
        view! { <textarea id=id name=f rows="3">{value(f)}</textarea> }.into_any()
    };
    let input = move |f: &'static str, t: &'static str| {
        let id = format!("{code}-{f}");
        view! { <input id=id name=f type=t value=value(f) /> }.into_any()
    };
    // Which bureau has jurisdiction (platform merchants included), from the case's rule set.
    let rule_text = lang.pick(&v.jurisdiction_zh, &v.jurisdiction_en).to_owned();
    let jurisdiction = move || view! { <p class="hint" data-testid="jurisdiction-rule">{rule_text.clone()}</p> };
    let ground_options = |list: &[crate::views::staff::GroundChoice]| {
        list.iter()
            .map(|g| (g.no.to_string(), format!("{}. {}（{}）", g.no, lang.pick(&g.zh, &g.en), g.article)))
            .collect::<Vec<_>>()
    };
    let specific: Vec<AnyView> = match action {
        ActionName::Refuse => vec![field("ground", select("ground", ground_options(&v.refusal_grounds))).into_any()],
        ActionName::TerminateMediation => {
            vec![field("ground", select("ground", ground_options(&v.termination_grounds))).into_any()]
        }
        ActionName::Transfer | ActionName::Reassign => {
            let options = v
                .bureaus
                .iter()
                .filter(|(c, _, _)| *c != v.bureau)
                .map(|(c, zh, en)| (c.clone(), lang.pick(zh, en).to_owned()))
                .collect();
            let rule = (action == ActionName::Transfer).then(jurisdiction);
            vec![rule.into_any(), field("to_bureau", select("to_bureau", options)).into_any()]
        }
        ActionName::TransferOut => {
            let options = crate::domain::region::provinces()
                .iter()
                .map(|p| (p.code.clone(), lang.pick(&p.zh, &p.en).to_owned()))
                .collect();
            vec![jurisdiction().into_any(), field("province", select("province", options)).into_any()]
        }
        ActionName::StartMediation => {
            let methods = crate::domain::workflow::MediationMethod::ALL
                .iter()
                .map(|m| (m.code().to_owned(), i18n::mediation_method(lang, *m).to_owned()))
                .collect();
            vec![
                field("method", select("method", methods)).into_any(),
                field("at", input("at", "datetime-local")).into_any(),
                field("place", input("place", "text")).into_any(),
            ]
        }
        ActionName::RecordSettlement => vec![
            field("recovered", input("recovered", "text")).into_any(),
            field("agreement", textarea("agreement")).into_any(),
        ],
        ActionName::Answer | ActionName::FollowUp | ActionName::Extend => {
            vec![field("text", textarea("text")).into_any()]
        }
        ActionName::DecideReport => {
            let options = vec![
                ("yes".into(), lang.msgs().staff_case_open_a_case.into()),
                ("no".into(), lang.msgs().staff_case_no_case.into()),
            ];
            vec![field("decision", select("decision", options)).into_any()]
        }
        ActionName::AnswerContest => {
            let options = vec![
                ("yes".into(), lang.msgs().staff_case_reopen.into()),
                ("no".into(), lang.msgs().staff_case_uphold_the_closure.into()),
            ];
            vec![field("decision", select("decision", options)).into_any(), field("text", textarea("text")).into_any()]
        }
        _ => vec![],
    };
    view! {
        {specific}
        {field("note", textarea("note"))}
    }
}

fn staff_case_view(
    lang: Lang,
    v: crate::views::staff::StaffCaseView,
    state: ConsoleState,
    done: String,
) -> impl IntoView {
    let kind = ItemKind::from_code(&v.kind).map(|k| i18n::kind(lang, k)).unwrap_or_default();
    let st = CaseState::from_code(&v.state).map(|s| i18n::state(lang, s)).unwrap_or_default();
    let problem = state.problem.as_deref().map(|p| {
        let text = match p {
            "changed" => lang.msgs().staff_case_someone_else_has_just,
            _ => lang.msgs().staff_case_the_case_s_current,
        };
        crate::components::form::alert(text.to_owned(), Some("problem"))
    });
    let flash = match ActionName::from_code(&done) {
        Some(a) => Some(format!("{}{}", lang.msgs().staff_case_done, i18n::action(lang, a))),
        None => (done == "screen").then(|| lang.msgs().staff_screen_done.to_owned()),
    }
    .map(|text| view! { <p class="flash" role="status">{text}</p> });
    let events = v
        .events
        .iter()
        .map(|e| {
            let action = ActionName::from_code(&e.action).map(|a| i18n::action(lang, a)).unwrap_or_default();
            let to = CaseState::from_code(&e.to_state).map(|s| i18n::state(lang, s)).unwrap_or_default();
            let who = match (Role::from_code(&e.actor_role), &e.actor_id) {
                (Some(r), Some(id)) => format!("{} {}", role_label(lang, r), id),
                (Some(r), None) => role_label(lang, r).to_owned(),
                _ => String::new(),
            };
            view! {
                <li>
                    <p><time>{e.at.clone()}</time>" "<strong>{action}</strong>" · "{to}" · "{who}</p>
                    {e.ground.clone().map(|g| view! { <p class="ground">{g}</p> })}
                    {e.detail.as_deref().map(|d| {
                        let text = i18n::step_detail(lang, &e.action, d).unwrap_or_else(|| d.to_owned());
                        view! { <p class="detail">{text}</p> }
                    })}
                    {e.note.clone().map(|n| view! { <p class="note">{lang.msgs().staff_case_internal_note}{n}</p> })}
                </li>
            }
        })
        .collect_view();
    let no = v.case_no.clone();
    let open_action = state.form.action.clone();
    let actions = v
        .actions
        .iter()
        .filter_map(|a| ActionName::from_code(a))
        .map(|a| {
            let label = i18n::action(lang, a);
            let fields = action_fields(lang, &v, a, &state);
            let open = open_action == a.code();
            view! {
                <details open=open>
                    <summary>{label}</summary>
                    <form method="post" action=format!("/staff/cases/{no}") novalidate>
                        <input type="hidden" name="action" value=a.code() />
                        <input type="hidden" name="version" value=v.version.to_string() />
                        {fields}
                        <button type="submit" class="primary">{label}</button>
                    </form>
                </details>
            }
        })
        .collect_view();
    let demand_kind = v.demand_kind.as_deref().and_then(crate::domain::case::DemandKind::from_code);
    let demand = match (demand_kind.map(|d| i18n::demand(lang, d)), v.demand.clone()) {
        (Some(k), Some(t)) => format!("{k}：{t}"),
        (Some(k), None) => k.to_owned(),
        (None, Some(t)) => t,
        (None, None) => "—".into(),
    };
    let limitation = v.limitation_ground.clone().map(|(no, article)| {
        let values: [(&str, &dyn std::fmt::Display); 2] = [("no", &no), ("article", &article)];
        view! { <p class="notice" role="note" data-testid="limitation-hint">{i18n::fill(lang.msgs().staff_case_limitation_hint, &values)}</p> }
    });
    let none = v.actions.is_empty().then(|| view! { <p>{lang.msgs().staff_case_no_step_is_possible}</p> });
    view! {
        {flash}
        {problem}
        <p><a href="/staff">{lang.msgs().staff_case_back_to_the_queue}</a></p>
        <h1>{kind}" "{v.case_no.clone()}</h1>
        <p class="state" data-testid="state">{st}</p>
        <dl class="receipt-facts">
            <dt>{lang.msgs().staff_case_bureau}</dt><dd>{lang.pick(&v.bureau_zh, &v.bureau_en).to_owned()}</dd>
            <dt>{lang.msgs().staff_case_received}</dt><dd>{v.received_on.clone()}</dd>
            <dt>{lang.msgs().staff_case_next_deadline}</dt><dd data-testid="staff-deadline">{lang.pick(v.deadline_zh.as_deref().unwrap_or("—"), v.deadline_en.as_deref().unwrap_or("—")).to_owned()}</dd>
            <dt>{lang.msgs().staff_case_consumer}</dt><dd data-testid="staff-consumer">{match v.consumer.clone() {
                Some((name, phone, address)) => format!("{name} · {phone} · {address}"),
                None => lang.msgs().staff_case_anonymous_report.to_owned(),
            }}</dd>
            {v.representation.as_ref().map(|r| view! {
                <dt>{lang.msgs().track_filed_for}</dt><dd data-testid="staff-representation">{i18n::representation(lang, r)}</dd>
            })}
            <dt>{lang.msgs().staff_case_business}</dt><dd>{v.business.clone().unwrap_or_else(|| "—".into())}{v.business_address.clone().map(|a| format!(" · {a}"))}</dd>
            <dt>{lang.msgs().staff_case_demand}</dt><dd data-testid="staff-demand">{demand}</dd>
            <dt>{lang.msgs().staff_case_amount_paid}</dt><dd>{v.amount_paid_yuan.clone().map(|y| format!("¥{y}")).unwrap_or_else(|| "—".into())}</dd>
            <dt>{lang.msgs().staff_case_order_no}</dt><dd>{v.order_no.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{lang.msgs().staff_case_linked_item}</dt>
            <dd>{match v.linked_case_no.clone() {
                Some(n) => view! { <a href=format!("/staff/cases/{n}")>{n.clone()}</a> }.into_any(),
                None => "—".into_any(),
            }}</dd>
        </dl>
        {(!v.similar.is_empty()).then(|| view! {
            <h2>{lang.msgs().staff_case_possible_duplicates}</h2>
            <p class="hint">{lang.msgs().staff_case_other_items_of_the}</p>
            <ul data-testid="similar">
                {v.similar.iter().map(|d| {
                    let kind = ItemKind::from_code(&d.kind).map(|k| i18n::kind(lang, k)).unwrap_or_default();
                    let st = CaseState::from_code(&d.state).map(|s| i18n::state(lang, s)).unwrap_or_default();
                    view! {
                        <li><a href=format!("/staff/cases/{}", d.case_no)>{d.case_no.clone()}</a>
                            {format!(" · {kind} · {st} · {}", d.received_on)}</li>
                    }
                }).collect_view()}
            </ul>
        })}
        <h2>{lang.msgs().staff_case_facts}</h2>
        <p class="detail">{v.facts.clone()}</p>
        <h2>{lang.msgs().staff_case_evidence}</h2>
        {if v.evidence.is_empty() {
            view! { <p>{lang.msgs().staff_case_no_evidence_files}</p> }.into_any()
        } else {
            view! {
                <ul class="evidence" data-testid="staff-evidence">
                    {v.evidence.iter().enumerate().map(|(i, (id, kind, size, at))| {
                        let href = format!("/staff/evidence/{id}");
                        let text = format!("{} {} · {} KB · {}", lang.msgs().staff_case_file, i + 1, (size + 1023) / 1024, at);
                        let alt = format!("{} {}", lang.msgs().staff_case_evidence_photo, i + 1);
                        let image = kind != "pdf" && kind != "heic";
                        view! {
                            <li>
                                {image.then(|| view! { <img src=href.clone() alt=alt width="160" loading="lazy" /> })}
                                <a href=href.clone() rel="external">{text}{format!(" ({})", kind.to_uppercase())}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>{lang.msgs().staff_case_steps}</h2>
        <ol class="timeline" data-testid="staff-timeline">{events}</ol>
        <h2>{lang.msgs().staff_case_told}</h2>
        {if v.told.is_empty() {
            view! { <p class="hint">{lang.msgs().staff_case_told_nothing}</p> }.into_any()
        } else {
            view! {
                <ul data-testid="told">
                    {v.told.iter().map(|l| {
                        let when = l.sent.clone().unwrap_or_else(|| l.due.clone());
                        let status = lang.msgs().term("outbox_state", &l.state);
                        view! { <li>{when}" · "{l.recipient.clone()}" · "{status}<br />{l.text.clone()}</li> }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {v.on_screen.map(|on| screen_follow(lang, &v.case_no, on))}
        <h2>{lang.msgs().staff_case_steps_possible_now}</h2>
        {limitation}
        {none}
        <div data-testid="actions">{actions}</div>
    }
}

/// For a supervisor: what the open-day screen's walk-through panel follows — this case, or the
/// latest step of a kind of item.
fn screen_follow(lang: Lang, case_no: &str, on: bool) -> impl IntoView {
    let m = lang.msgs();
    let back = format!("/staff/cases/{case_no}");
    let kinds = ItemKind::ALL
        .iter()
        .map(|k| view! { <option value=format!("latest:{}", k.code())>{i18n::kind(lang, *k)}</option> })
        .collect_view();
    view! {
        <section aria-labelledby="screen-follow-title" data-testid="screen-follow">
            <h2 id="screen-follow-title">{m.staff_screen_title}</h2>
            <p data-testid="screen-follow-now">{if on { m.staff_screen_following } else { m.staff_screen_not_following }}</p>
            <form method="post" action="/staff/screen">
                <input type="hidden" name="back" value=back.clone() />
                <button type="submit" name="follow" value=case_no.to_owned() class="secondary">{m.staff_screen_follow_this}</button>
            </form>
            <form method="post" action="/staff/screen" class="inline">
                <input type="hidden" name="back" value=back />
                <label for="screen-latest">{m.staff_screen_latest}</label>
                <select id="screen-latest" name="follow">{kinds}</select>
                <button type="submit" class="secondary">{m.staff_screen_follow_latest}</button>
            </form>
        </section>
    }
}

#[component]
pub fn StaffCasePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let params = leptos_router::hooks::use_params_map();
    let case_no = move || params.read().get("case_no").unwrap_or_default();
    let data = crate::wire::blocking(case_no, |no| async move { crate::server_fns::staff::get_staff_case(no).await });
    let state = crate::components::form_state::read::<ConsoleState>("console-state");
    let done = use_query_map().read_untracked().get("done").unwrap_or_default();
    view! {
        <Title text=lang.msgs().staff_case_case_qinghai_12315 />
        {crate::components::form_state::script("console-state", &state)}
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || {
                let state = state.clone();
                let done = done.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(v) => staff_case_view(lang, v, state, done).into_any(),
                        Err(crate::error::AppError::Forbidden | crate::error::AppError::NotFound) => {
                            #[cfg(feature = "ssr")]
                            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                                res.set_status(http::StatusCode::FORBIDDEN);
                            }
                            view! {
                            <h1>{lang.msgs().staff_case_not_available}</h1>
                            <p>{lang.msgs().staff_case_this_case_does_not}</p>
                            <p><a href="/staff">{lang.msgs().staff_case_back_to_the_queue_2}</a></p>
                        }.into_any()
                        }
                        Err(_) => view! {
                            <p role="alert"><a href="/staff/login">{lang.msgs().staff_case_please_sign_in_again}</a></p>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
