//! `/staff` — the work queue: filters in the address bar, counts per state and deadline, pages by keyset.

use crate::domain::category;
use crate::domain::kind::{Channel, ItemKind};
use crate::domain::queue::QueueParams;
use crate::domain::workflow::{CaseState, Role};
use crate::i18n::role_label;
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::server_fns::staff::get_queue;
use crate::views::staff::QueueView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn countdown(lang: Lang, left: i64) -> String {
    match (lang, left) {
        (Lang::Zh, 0) => "今天到期".into(),
        (Lang::En, 0) => "due today".into(),
        (Lang::Zh, n) if n > 0 => format!("剩{n}个工作日"),
        (Lang::En, n) if n > 0 => format!("{n} working days left"),
        (Lang::Zh, n) => format!("已超期{}个工作日", -n),
        (Lang::En, n) => format!("overdue by {} working days", -n),
    }
}

fn due_label(lang: Lang, code: &str) -> &'static str {
    match code {
        "overdue" => lang.pick("已超期", "Overdue"),
        "today" => lang.pick("今天到期", "Due today"),
        "soon" => lang.pick("2个工作日内到期", "Due within 2 working days"),
        _ => "",
    }
}

fn filter_label(lang: Lang, field: &str) -> &'static str {
    match field {
        "state" => lang.pick("状态", "State"),
        "kind" => lang.pick("类型", "Kind"),
        "bureau" => lang.pick("办理部门", "Bureau"),
        "category" => lang.pick("类别", "Category"),
        "channel" => lang.pick("渠道", "Channel"),
        "from" => lang.pick("收到日期自", "Received from"),
        "to" => lang.pick("收到日期至", "Received to"),
        "due" => lang.pick("期限", "Deadline"),
        "sort" => lang.pick("排序", "Order"),
        "after" => lang.pick("页码", "Page"),
        _ => "",
    }
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
    let all = lang.pick("全部", "All");
    let mut states = vec![
        ("open".to_owned(), lang.pick("未办结", "Open").to_owned()),
        ("all".to_owned(), lang.pick("全部", "All").to_owned()),
    ];
    states.extend(CaseState::ALL.iter().map(|s| (s.code().to_owned(), i18n::state(lang, *s).to_owned())));
    let kinds = ItemKind::ALL.iter().map(|k| (k.code().to_owned(), i18n::kind(lang, *k).to_owned())).collect();
    let channels = Channel::ALL.iter().map(|c| (c.code().to_owned(), i18n::channel(lang, *c).to_owned())).collect();
    let categories = category::all().iter().map(|c| (c.code.clone(), lang.pick(&c.zh, &c.en).to_owned())).collect();
    let dues = ["overdue", "today", "soon"].iter().map(|d| (d.to_string(), due_label(lang, d).to_owned())).collect();
    let sorts = vec![
        ("urgency".to_owned(), lang.pick("最紧急在前", "Most urgent first").to_owned()),
        ("newest".to_owned(), lang.pick("最新在前", "Newest first").to_owned()),
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
        <form method="get" action="/staff" class="filters" aria-label=lang.pick("筛选案件", "Filter cases")>
            {select("state", if p.state.is_empty() { "open".into() } else { p.state.clone() }, states, "")}
            {select("kind", p.kind.clone(), kinds, all)}
            {bureau}
            {select("category", p.category.clone(), categories, all)}
            {select("channel", p.channel.clone(), channels, all)}
            {date("from", p.from.clone())}
            {date("to", p.to.clone())}
            {select("due", p.due.clone(), dues, all)}
            {select("sort", if p.sort.is_empty() { "urgency".into() } else { p.sort.clone() }, sorts, "")}
            <button type="submit">{lang.pick("筛选", "Filter")}</button>
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
    let who = match (lang, q.bureau_zh.clone(), q.bureau_en.clone()) {
        (Lang::Zh, Some(b), _) => format!("{}（{}，{}）", q.username, role, b),
        (Lang::En, _, Some(b)) => format!("{} ({}, {})", q.username, role, b),
        _ => format!("{} ({})", q.username, role),
    };
    let next = q.next.clone().map(|n| {
        view! { <p><a rel="external" href=format!("/staff?{n}")>{lang.pick("下一页", "Next page")}</a></p> }
    });
    let first = (!p.after.is_empty()).then(|| {
        let href = format!("/staff?{}", p.with_after("").to_query());
        view! { <p><a rel="external" href=href>{lang.pick("回到第一页", "First page")}</a></p> }
    });
    let empty = q.lines.is_empty().then(|| view! { <p>{lang.pick("没有符合条件的案件。", "No cases match.")}</p> });
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
                (Some(d), Some(n)) => format!("{d}（{}）", countdown(lang, n)),
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
        <p class="hint" data-testid="signed-in">{lang.pick("已登录：", "Signed in: ")}{who}</p>
        <form method="post" action="/staff/logout">
            <button type="submit">{lang.pick("退出登录", "Sign out")}</button>
        </form>
        {(Role::from_code(&q.role) == Some(Role::Supervisor)).then(|| view! {
            <p><a href="/staff/audit">{lang.pick("审计日志", "Audit log")}</a></p>
        })}
        {matches!(Role::from_code(&q.role), Some(Role::IntakeOperator | Role::Supervisor)).then(|| view! {
            <p><a href="/staff/intake">{lang.pick("登记电话、信件、留言、窗口来访", "Register a call, letter, voice message or visit")}</a></p>
        })}
        <h1>{lang.pick("工作队列", "Work queue")}</h1>
        <nav aria-label=lang.pick("按期限筛选", "By deadline")>
            <ul class="chips" data-testid="due-counts">{count_links(lang, &p, &q.by_due, "due")}</ul>
        </nav>
        <nav aria-label=lang.pick("按状态筛选", "By state")>
            <ul class="chips" data-testid="state-counts">{count_links(lang, &p, &q.by_state, "state")}</ul>
        </nav>
        {queue_filters(lang, &p, &q.bureaus)}
        {empty}
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.pick("案件列表（可横向滚动）", "Cases (scrolls sideways)")>
            <table data-testid="queue">
                <caption class="visually-hidden">{lang.pick("案件列表", "Cases")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{lang.pick("案件编号", "Case")}</th>
                        <th scope="col">{lang.pick("类型", "Kind")}</th>
                        <th scope="col">{lang.pick("状态", "State")}</th>
                        <th scope="col">{lang.pick("类别", "Category")}</th>
                        <th scope="col">{lang.pick("渠道", "Channel")}</th>
                        <th scope="col">{lang.pick("办理部门", "Bureau")}</th>
                        <th scope="col">{lang.pick("收到", "Received")}</th>
                        <th scope="col">{lang.pick("办理期限", "Due")}</th>
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
        }
    };
    let data = Resource::new_blocking(params, |p| async move { get_queue(p).await });
    view! {
        <Title text=lang.pick("工作队列 - 青海12315", "Work queue - Qinghai 12315") />
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
                        <h1>{lang.pick("工作队列", "Work queue")}</h1>
                        <div class="error-summary" role="alert">
                            <p>{lang.pick("筛选条件有误：", "Some filters are not valid:")}</p>
                            <ul>{errors.into_iter().map(|e| view! {
                                <li>{filter_label(lang, &e.field)}"："{i18n::invalid(lang, &e.invalid)}</li>
                            }).collect_view()}</ul>
                        </div>
                        <p><a rel="external" href="/staff">{lang.pick("清除筛选", "Clear the filters")}</a></p>
                    }.into_any()
                    }
                    Err(crate::error::AppError::Forbidden) => view! {
                        <h1>{lang.pick("工作台", "Console")}</h1>
                        <p>{lang.pick(
                            "管理员账号不办理案件。请用服务器命令 server staff set 为工作人员开设账号。",
                            "Administrator accounts do not handle cases. Create staff accounts with the server command `server staff set`.",
                        )}</p>
                        <p><a href="/staff/audit">{lang.pick("审计日志", "Audit log")}</a></p>
                        <form method="post" action="/staff/logout">
                            <button type="submit">{lang.pick("退出登录", "Sign out")}</button>
                        </form>
                    }.into_any(),
                    Err(_) => view! {
                        <p role="alert"><a href="/staff/login">{lang.pick("请重新登录。", "Please sign in again.")}</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
