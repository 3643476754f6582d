//! `/staff` — the work queue: filters in the address bar, counts per state and deadline, pages by keyset.

use crate::domain::category;
use crate::domain::kind::{Channel, ItemKind};
use crate::domain::queue::QueueParams;
use crate::domain::workflow::{CaseState, Role};
use crate::i18n::fill;
use crate::i18n::role_label;
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::server_fns::staff::get_queue;
use crate::views::staff::QueueView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn countdown(lang: Lang, left: i64) -> String {
    let m = lang.msgs();
    match left {
        0 => m.staff_queue_countdown_today.into(),
        n if n > 0 => fill(m.staff_queue_days_left, &[("days", &n)]),
        n => fill(m.staff_queue_days_overdue, &[("days", &-n)]),
    }
}

fn due_label(lang: Lang, code: &str) -> &'static str {
    lang.msgs().term("staff_due", code)
}

fn filter_label(lang: Lang, field: &str) -> &'static str {
    lang.msgs().term("staff_queue", field)
}

fn queue_filters(lang: Lang, p: &QueueParams, bureaus: &[(String, String, String)]) -> impl IntoView {
    let select = move |name: &'static str, current: String, options: Vec<(String, String)>, any: &'static str| {
        view! {
            <div class="field">
                <label for=format!("q-{name}")>{filter_label(lang, name)}</label>
                <select id=format!("q-{name}") name=name>
                    {(!any.is_empty()).then(|| view! { <option value="" selected=current.is_empty()>{any}</option> })}
                    {options.into_iter().map(|(v, t)| {
                        let sel = v == current;
                        view! { <option value=v selected=sel>{t}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let all = lang.msgs().staff_queue_all;
    let mut states = vec![
        ("open".to_owned(), lang.msgs().staff_queue_open.to_owned()),
        ("all".to_owned(), lang.msgs().staff_queue_all.to_owned()),
    ];
    states.extend(CaseState::ALL.iter().map(|s| (s.code().to_owned(), i18n::state(lang, *s).to_owned())));
    let kinds = ItemKind::ALL.iter().map(|k| (k.code().to_owned(), i18n::kind(lang, *k).to_owned())).collect();
    let channels = Channel::ALL.iter().map(|c| (c.code().to_owned(), i18n::channel(lang, *c).to_owned())).collect();
    let categories = category::all().iter().map(|c| (c.code.clone(), lang.pick(&c.zh, &c.en).to_owned())).collect();
    let dues = ["overdue", "today", "soon"].iter().map(|d| (d.to_string(), due_label(lang, d).to_owned())).collect();
    let sorts = vec![
        ("urgency".to_owned(), lang.msgs().staff_queue_most_urgent_first.to_owned()),
        ("newest".to_owned(), lang.msgs().staff_queue_newest_first.to_owned()),
    ];
    let bureau = (!bureaus.is_empty()).then(|| {
        let options = bureaus.iter().map(|(c, zh, en)| (c.clone(), lang.pick(zh, en).to_owned())).collect();
        select("bureau", p.bureau.clone(), options, all)
    });
    let date = move |name: &'static str, value: String| {
        view! {
            <div class="field">
                <label for=format!("q-{name}")>{filter_label(lang, name)}</label>
                <input id=format!("q-{name}") name=name type="date" value=value />
            </div>
        }
    };
    view! {
        <form method="get" action="/staff" class="filters" aria-label=lang.msgs().staff_queue_filter_cases>
            {select("state", if p.state.is_empty() { "open".into() } else { p.state.clone() }, states, "")}
            {select("kind", p.kind.clone(), kinds, all)}
            {bureau}
            {select("category", p.category.clone(), categories, all)}
            {select("channel", p.channel.clone(), channels, all)}
            {date("from", p.from.clone())}
            {date("to", p.to.clone())}
            {select("due", p.due.clone(), dues, all)}
            {select("lane", p.lane.clone(), vec![("odr".to_owned(), lang.msgs().staff_queue_odr_lane.to_owned())], all)}
            {select("sort", if p.sort.is_empty() { "urgency".into() } else { p.sort.clone() }, sorts, "")}
            <button type="submit">{lang.msgs().staff_queue_filter}</button>
        </form>
    }
}

/// A list of filter values with their counts, each a link to the queue so filtered.
fn count_links(
    lang: Lang,
    p: &QueueParams,
    counts: &[crate::views::staff::QueueCount],
    field: &'static str,
) -> impl IntoView {
    counts
        .iter()
        .map(|c| {
            let mut target = p.with_after("");
            let (current, name) = if field == "due" {
                target.due = c.code.clone();
                (p.due == c.code, due_label(lang, &c.code))
            } else {
                target.state = c.code.clone();
                (p.state == c.code, CaseState::from_code(&c.code).map(|s| i18n::state(lang, s)).unwrap_or_default())
            };
            view! {
                <li><a rel="external" href=format!("/staff?{}", target.to_query())
                    aria-current=current.then_some("true") data-code=c.code.clone()>
                    {name}" "<strong>{c.n}</strong>
                </a></li>
            }
        })
        .collect_view()
}

fn queue_view(lang: Lang, q: QueueView, p: QueueParams) -> impl IntoView {
    let role = Role::from_code(&q.role).map(|r| role_label(lang, r)).unwrap_or_default();
    let who = match q.bureau_zh.as_deref().zip(q.bureau_en.as_deref()) {
        Some((zh, en)) => fill(
            lang.msgs().staff_queue_who_bureau,
            &[("user", &q.username), ("role", &role), ("bureau", &lang.pick(zh, en))],
        ),
        None => format!("{} ({})", q.username, role),
    };
    let next = q.next.clone().map(|n| {
        view! { <p><a rel="external" href=format!("/staff?{n}")>{lang.msgs().staff_queue_next_page}</a></p> }
    });
    let first = (!p.after.is_empty()).then(|| {
        let href = format!("/staff?{}", p.with_after("").to_query());
        view! { <p><a rel="external" href=href>{lang.msgs().staff_queue_first_page}</a></p> }
    });
    let empty = q.lines.is_empty().then(|| view! { <p>{lang.msgs().staff_queue_no_cases_match}</p> });
    let rows = q
        .lines
        .iter()
        .map(|l| {
            let kind = ItemKind::from_code(&l.kind).map(|k| i18n::kind(lang, k)).unwrap_or_default();
            let channel = Channel::from_code(&l.channel).map(|c| i18n::channel(lang, c)).unwrap_or_default();
            let st = CaseState::from_code(&l.state).map(|s| i18n::state(lang, s)).unwrap_or_default();
            let cat = category::get(&l.category).map(|c| lang.pick(&c.zh, &c.en).to_owned()).unwrap_or_default();
            let overdue = l.working_days_left.is_some_and(|n| n < 0);
            let due = match (l.due_on.clone(), l.working_days_left) {
                (Some(d), Some(n)) if l.provisional => {
                    format!("{d}（{}）{}", countdown(lang, n), lang.msgs().staff_queue_provisional)
                }
                (Some(d), Some(n)) => format!("{d}（{}）", countdown(lang, n)),
                _ if l.paused => lang.msgs().track_clock_paused.to_owned(),
                _ => "—".into(),
            };
            view! {
                <tr class:overdue=overdue>
                    <th scope="row"><a href=format!("/staff/cases/{}", l.case_no)>{l.case_no.clone()}</a></th>
                    <td>{kind}</td>
                    <td>{st}</td>
                    <td>{cat}</td>
                    <td>{channel}</td>
                    <td>{lang.pick(&l.bureau_zh, &l.bureau_en).to_owned()}</td>
                    <td>{l.received_on.clone()}</td>
                    <td>{due}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="hint" data-testid="signed-in">{lang.msgs().staff_queue_signed_in}{who}</p>
        <form method="post" action="/staff/logout">
            <button type="submit">{lang.msgs().staff_queue_sign_out}</button>
        </form>
        {matches!(Role::from_code(&q.role), Some(Role::Handler | Role::Supervisor)).then(|| view! {
            <p><a href="/staff/register">{lang.msgs().reg_heading}</a></p>
            <p><a href="/staff/objections">{lang.msgs().staff_obj_heading}</a></p>
        })}
        {(Role::from_code(&q.role) == Some(Role::Supervisor)).then(|| view! {
            <p><a href="/staff/audit">{lang.msgs().staff_queue_audit_log}</a></p>
            <p><a href="/staff/outbox">{lang.msgs().staff_queue_outbox}</a></p>
        })}
        {matches!(Role::from_code(&q.role), Some(Role::IntakeOperator | Role::Supervisor)).then(|| view! {
            <p><a href="/staff/intake">{lang.msgs().staff_queue_register_a_call_letter}</a></p>
        })}
        <h1>{lang.msgs().staff_queue_work_queue}</h1>
        <nav aria-label=lang.msgs().staff_queue_by_deadline>
            <ul class="chips" data-testid="due-counts">{count_links(lang, &p, &q.by_due, "due")}</ul>
        </nav>
        <nav aria-label=lang.msgs().staff_queue_by_state>
            <ul class="chips" data-testid="state-counts">{count_links(lang, &p, &q.by_state, "state")}</ul>
        </nav>
        {queue_filters(lang, &p, &q.bureaus)}
        {empty}
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.msgs().staff_queue_cases_scrolls_sideways>
            <table data-testid="queue">
                <caption class="visually-hidden">{lang.msgs().staff_queue_cases}</caption>
                <thead>
                    <tr>
                        <th scope="col">{lang.msgs().staff_queue_case}</th>
                        <th scope="col">{lang.msgs().staff_queue__kind}</th>
                        <th scope="col">{lang.msgs().staff_queue__state}</th>
                        <th scope="col">{lang.msgs().staff_queue__category}</th>
                        <th scope="col">{lang.msgs().staff_queue__channel}</th>
                        <th scope="col">{lang.msgs().staff_queue__bureau}</th>
                        <th scope="col">{lang.msgs().staff_queue_received}</th>
                        <th scope="col">{lang.msgs().staff_queue_due}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {first}
        {next}
    }
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        QueueParams {
            state: get("state"),
            kind: get("kind"),
            bureau: get("bureau"),
            category: get("category"),
            channel: get("channel"),
            from: get("from"),
            to: get("to"),
            due: get("due"),
            sort: get("sort"),
            after: get("after"),
            lane: get("lane"),
        }
    };
    let data = crate::wire::blocking(params, |p| async move { get_queue(p).await });
    view! {
        <Title text=lang.msgs().staff_queue_work_queue_qinghai_12315 />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                let p = params();
                match data.await {
                    Ok(q) => queue_view(lang, q, p).into_any(),
                    Err(crate::error::AppError::Invalid(errors)) => {
                        #[cfg(feature = "ssr")]
                        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                            res.set_status(http::StatusCode::BAD_REQUEST);
                        }
                        view! {
                        <h1>{lang.msgs().staff_queue_work_queue}</h1>
                        <div class="error-summary" role="alert">
                            <p>{lang.msgs().staff_queue_some_filters_are_not}</p>
                            <ul>{errors.into_iter().map(|e| view! {
                                <li>{filter_label(lang, &e.field)}"："{i18n::invalid(lang, &e.invalid)}</li>
                            }).collect_view()}</ul>
                        </div>
                        <p><a rel="external" href="/staff">{lang.msgs().staff_queue_clear_the_filters}</a></p>
                    }.into_any()
                    }
                    Err(crate::error::AppError::Forbidden) => view! {
                        <h1>{lang.msgs().staff_queue_console}</h1>
                        <p>{lang.msgs().staff_queue_administrator_accounts_do_not}</p>
                        <p><a href="/staff/audit">{lang.msgs().staff_queue_audit_log}</a></p>
                        <p><a href="/staff/outbox">{lang.msgs().staff_queue_outbox}</a></p>
                        <form method="post" action="/staff/logout">
                            <button type="submit">{lang.msgs().staff_queue_sign_out}</button>
                        </form>
                    }.into_any(),
                    Err(_) => view! {
                        <p role="alert"><a href="/staff/login">{lang.msgs().staff_queue_please_sign_in_again}</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
