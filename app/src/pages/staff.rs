//! `/staff/login` — staff sign-in; `/staff` — the work queue. Plain HTML forms handled by the
//! server (`server/src/staff.rs`), so they work without JavaScript.

use crate::domain::category;
use crate::domain::kind::{Channel, ItemKind};
use crate::domain::queue::QueueParams;
use crate::domain::staff::LoginForm;
use crate::domain::workflow::{ActionName, CaseState, Role};
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::server_fns::staff::get_queue;
use crate::views::forms::{ConsoleState, IntakeState, LoginState};
use crate::views::staff::QueueView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub fn role_label(lang: Lang, r: Role) -> &'static str {
    match r {
        Role::IntakeOperator => lang.pick("登记员", "Intake operator"),
        Role::Handler => lang.pick("承办人", "Handler"),
        Role::Supervisor => lang.pick("督办人", "Supervisor"),
        Role::Admin => lang.pick("管理员", "Administrator"),
        Role::Consumer => lang.pick("消费者", "Consumer"),
        Role::System => lang.pick("系统", "System"),
    }
}

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let state = crate::pages::form_state::read::<LoginState>("login-state");
    let errors = RwSignal::new(state.errors.clone());
    let username = RwSignal::new(state.username.clone());
    let password = RwSignal::new(String::new());
    for (id, signal) in [("username", username), ("password", password)] {
        if let Some(typed) = crate::pages::form_state::typed_before_hydration(id) {
            signal.set(typed);
        }
    }
    let problem = state.problem.map(|p| {
        let text = if p == 429 {
            lang.pick(
                "尝试次数过多，该账号已暂停登录15分钟。",
                "Too many attempts: this account cannot sign in for 15 minutes.",
            )
        } else {
            lang.pick("用户名或密码不正确。", "Wrong user name or password.")
        };
        view! { <div class="error-summary" role="alert"><p>{text}</p></div> }
    });
    let err = move |name: &'static str| {
        move || errors.with(|es| es.iter().find(|e| e.field == name).map(|e| i18n::invalid(lang, &e.invalid)))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let form = LoginForm { username: username.get_untracked(), password: password.get_untracked() };
        if let Err(errs) = form.parse() {
            ev.prevent_default();
            errors.set(errs);
        }
    };
    view! {
        <Title text=lang.pick("工作人员登录 - 青海12315", "Staff sign-in - Qinghai 12315") />
        {crate::pages::form_state::script("login-state", &state)}
        <section class="panel">
            <h1>{lang.pick("工作人员登录", "Staff sign-in")}</h1>
            {problem}
            <form method="post" action="/staff/login" novalidate on:submit=on_submit>
                <div class="field">
                    <label for="username">{lang.pick("用户名", "User name")}</label>
                    {move || err("username")().map(|e| view! { <p class="field-error" id="username-error">{e}</p> })}
                    <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none"
                        value=state.username.clone() prop:value=move || username.get()
                        aria-invalid=move || if err("username")().is_some() { "true" } else { "false" }
                        aria-describedby=move || if err("username")().is_some() { "username-error" } else { "" }
                        on:input=move |ev| username.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="password">{lang.pick("密码", "Password")}</label>
                    {move || err("password")().map(|e| view! { <p class="field-error" id="password-error">{e}</p> })}
                    <input id="password" name="password" type="password" autocomplete="current-password"
                        aria-invalid=move || if err("password")().is_some() { "true" } else { "false" }
                        aria-describedby=move || if err("password")().is_some() { "password-error" } else { "" }
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="primary">{lang.pick("登录", "Sign in")}</button>
            </form>
        </section>
    }
}

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

fn field_label(lang: Lang, field: &str) -> &'static str {
    match field {
        "ground" => lang.pick("理由（依据条款）", "Ground"),
        "to_bureau" => lang.pick("转交至", "Transfer to"),
        "method" => lang.pick("调解方式", "Method"),
        "at" => lang.pick("现场调解时间", "On-site time"),
        "place" => lang.pick("现场调解地点", "On-site place"),
        "recovered" => lang.pick("为消费者挽回的金额（元）", "Amount recovered for the consumer (yuan)"),
        "agreement" => lang.pick("调解协议内容", "The agreement"),
        "text" => lang.pick("答复内容（消费者可见）", "Answer (the consumer sees it)"),
        "decision" => lang.pick("决定", "Decision"),
        "note" => lang.pick("内部备注（消费者不可见，选填）", "Internal note (not shown to the consumer, optional)"),
        "reason" => lang.pick("理由（必填，消费者不可见）", "Reason (required, not shown to the consumer)"),
        _ => "",
    }
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
        let current = value(f);
        let id = format!("{code}-{f}");
        view! {
            <select id=id name=f>
                <option value="">{lang.pick("请选择", "Choose")}</option>
                {options.into_iter().map(|(v, t)| {
                    let sel = v == current;
                    view! { <option value=v selected=sel>{t}</option> }
                }).collect_view()}
            </select>
        }
        .into_any()
    };
    let textarea = move |f: &'static str| {
        let id = format!("{code}-{f}");
        view! { <textarea id=id name=f rows="3">{value(f)}</textarea> }.into_any()
    };
    let input = move |f: &'static str, t: &'static str| {
        let id = format!("{code}-{f}");
        view! { <input id=id name=f type=t value=value(f) /> }.into_any()
    };
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
            vec![field("to_bureau", select("to_bureau", options)).into_any()]
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
        ActionName::Answer | ActionName::FollowUp => vec![field("text", textarea("text")).into_any()],
        ActionName::DecideReport => {
            let options = vec![
                ("yes".into(), lang.pick("立案", "Open a case").into()),
                ("no".into(), lang.pick("不予立案", "No case").into()),
            ];
            vec![field("decision", select("decision", options)).into_any()]
        }
        ActionName::AnswerContest => {
            let options = vec![
                ("yes".into(), lang.pick("重新办理", "Reopen").into()),
                ("no".into(), lang.pick("维持办结", "Uphold the closure").into()),
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
            "changed" => lang.pick(
                "这件案件刚被其他人处理过，下面是最新状态。请确认后再操作。",
                "Someone else has just acted on this case; below is its current state. Check it, then act again.",
            ),
            _ => lang.pick("案件当前的状态不允许这一操作。", "The case's current state does not allow this step."),
        };
        view! { <div class="error-summary" role="alert" data-testid="problem"><p>{text}</p></div> }
    });
    let flash = ActionName::from_code(&done).map(|a| {
        let text = format!("{}{}", lang.pick("已完成：", "Done: "), i18n::action(lang, a));
        view! { <p class="flash" role="status">{text}</p> }
    });
    let events = v.events.iter().map(|e| {
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
                {e.detail.clone().map(|d| view! { <p class="detail">{d}</p> })}
                {e.note.clone().map(|n| view! { <p class="note">{lang.pick("内部备注：", "Internal note: ")}{n}</p> })}
            </li>
        }
    }).collect_view();
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
    let none = v
        .actions
        .is_empty()
        .then(|| view! { <p>{lang.pick("当前没有可以进行的操作。", "No step is possible now.")}</p> });
    view! {
        {flash}
        {problem}
        <p><a href="/staff">{lang.pick("← 返回工作队列", "← Back to the queue")}</a></p>
        <h1>{kind}" "{v.case_no.clone()}</h1>
        <p class="state" data-testid="state">{st}</p>
        <dl class="receipt-facts">
            <dt>{lang.pick("办理部门", "Bureau")}</dt><dd>{lang.pick(&v.bureau_zh, &v.bureau_en).to_owned()}</dd>
            <dt>{lang.pick("收到日期", "Received")}</dt><dd>{v.received_on.clone()}</dd>
            <dt>{lang.pick("下一个期限", "Next deadline")}</dt><dd>{v.deadline.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{lang.pick("诉求人", "Consumer")}</dt><dd>{format!("{} · {} · {}", v.consumer_name, v.consumer_phone, v.consumer_address)}</dd>
            <dt>{lang.pick("被投诉方", "Business")}</dt><dd>{v.business.clone().unwrap_or_else(|| "—".into())}{v.business_address.clone().map(|a| format!(" · {a}"))}</dd>
            <dt>{lang.pick("诉求", "Demand")}</dt><dd>{v.demand.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{lang.pick("金额", "Amount paid")}</dt><dd>{v.amount_paid_yuan.clone().map(|y| format!("¥{y}")).unwrap_or_else(|| "—".into())}</dd>
            <dt>{lang.pick("订单号", "Order no.")}</dt><dd>{v.order_no.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{lang.pick("关联案件", "Linked item")}</dt>
            <dd>{match v.linked_case_no.clone() {
                Some(n) => view! { <a href=format!("/staff/cases/{n}")>{n.clone()}</a> }.into_any(),
                None => "—".into_any(),
            }}</dd>
        </dl>
        {(!v.similar.is_empty()).then(|| view! {
            <h2>{lang.pick("可能重复的诉求", "Possible duplicates")}</h2>
            <p class="hint">{lang.pick(
                "同一消费者就同一经营者提出的其他诉求。请核对是否为同一事项。",
                "Other items of the same consumer about the same business. Check whether they concern the same matter.",
            )}</p>
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
        <h2>{lang.pick("事实经过", "Facts")}</h2>
        <p class="detail">{v.facts.clone()}</p>
        <h2>{lang.pick("证据材料", "Evidence")}</h2>
        {if v.evidence.is_empty() {
            view! { <p>{lang.pick("没有证据文件。", "No evidence files.")}</p> }.into_any()
        } else {
            view! {
                <ul class="evidence" data-testid="staff-evidence">
                    {v.evidence.iter().enumerate().map(|(i, (id, kind, size, at))| {
                        let href = format!("/staff/evidence/{id}");
                        let text = format!("{} {} · {} KB · {}", lang.pick("文件", "File"), i + 1, (size + 1023) / 1024, at);
                        let alt = format!("{} {}", lang.pick("证据照片", "Evidence photo"), i + 1);
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
        <h2>{lang.pick("办理经过", "Steps")}</h2>
        <ol class="timeline" data-testid="staff-timeline">{events}</ol>
        <h2>{lang.pick("可以进行的操作", "Steps possible now")}</h2>
        {none}
        <div data-testid="actions">{actions}</div>
    }
}

#[component]
pub fn StaffCasePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let params = leptos_router::hooks::use_params_map();
    let case_no = move || params.read().get("case_no").unwrap_or_default();
    let data = Resource::new_blocking(case_no, |no| async move { crate::server_fns::staff::get_staff_case(no).await });
    let state = crate::pages::form_state::read::<ConsoleState>("console-state");
    let done = use_query_map().read_untracked().get("done").unwrap_or_default();
    view! {
        <Title text=lang.pick("案件办理 - 青海12315", "Case - Qinghai 12315") />
        {crate::pages::form_state::script("console-state", &state)}
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
                            <h1>{lang.pick("无权查看", "Not available")}</h1>
                            <p>{lang.pick("这件案件不存在，或不在您的办理范围内。", "This case does not exist or is outside your remit.")}</p>
                            <p><a href="/staff">{lang.pick("返回工作队列", "Back to the queue")}</a></p>
                        }.into_any()
                        }
                        Err(_) => view! {
                            <p role="alert"><a href="/staff/login">{lang.pick("请重新登录。", "Please sign in again.")}</a></p>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn StaffIntakePage() -> impl IntoView {
    use crate::domain::case::DemandKind;
    use crate::domain::filing::get_field;
    use crate::domain::kind::Channel;
    use crate::pages::file::{demand_label, label};
    let lang = use_prefs().lang;
    let mut state = crate::pages::form_state::read::<IntakeState>("intake-state");
    if state.form.key.is_empty() {
        // Made on the server and carried to the browser with the state, so both agree on it.
        state.form.key = fresh_key();
    }
    if let Some((no, code)) = state.done.clone() {
        return view! {
            <Title text=lang.pick("登记成功 - 青海12315", "Registered - Qinghai 12315") />
            <section class="panel receipt">
                <h1>{lang.pick("已登记", "Registered")}</h1>
                <dl class="receipt-facts">
                    <dt>{lang.pick("案件编号", "Case number")}</dt><dd class="big" data-testid="case-no">{no.clone()}</dd>
                    <dt>{lang.pick("查询码", "Query code")}</dt><dd class="big" data-testid="query-code">{code}</dd>
                </dl>
                <p class="warning">{lang.pick(
                    "请把案件编号和查询码告诉消费者：查询码只显示这一次，消费者凭它查询进度。",
                    "Tell the consumer the case number and the query code: the code is shown only now, and the consumer needs it to track the case.",
                )}</p>
                <p><a href=format!("/staff/cases/{no}")>{lang.pick("打开这件案件", "Open the case")}</a>" · "<a href="/staff/intake">{lang.pick("再登记一件", "Register another")}</a></p>
            </section>
        }
        .into_any();
    }
    let form = state.form.clone();
    let key = form.key.clone();
    let errors = state.errors.clone();
    let err = move |f: &str| errors.iter().find(|e| e.field == f).map(|e| i18n::invalid(lang, &e.invalid));
    let field = move |name: &'static str, control: AnyView| {
        let e = err(name);
        view! {
            <div class="field">
                <label for=name>{if name == "channel" { lang.pick("来源渠道", "Channel") } else { label(lang, name) }}</label>
                {e.map(|e| view! { <p class="field-error" id=format!("{name}-error")>{e}</p> })}
                {control}
            </div>
        }
    };
    let text = |name: &'static str, t: &'static str| {
        let v = get_field(&form, name).to_owned();
        view! { <input id=name name=name type=t value=v /> }.into_any()
    };
    let select = |name: &'static str, options: Vec<(String, String)>, current: String| {
        view! {
            <select id=name name=name>
                <option value="">{lang.pick("请选择", "Choose")}</option>
                {options.into_iter().map(|(v, t)| {
                    let sel = v == current;
                    view! { <option value=v selected=sel>{t}</option> }
                }).collect_view()}
            </select>
        }
        .into_any()
    };
    let channels = [Channel::Phone, Channel::Letter, Channel::VoiceMessage, Channel::WalkIn]
        .iter()
        .map(|c| (c.code().to_owned(), i18n::channel(lang, *c).to_owned()))
        .collect();
    let kinds = ItemKind::ALL.iter().map(|k| (k.code().to_owned(), i18n::kind(lang, *k).to_owned())).collect();
    let categories = category::all().iter().map(|c| (c.code.clone(), lang.pick(&c.zh, &c.en).to_owned())).collect();
    let counties = crate::domain::region::prefectures()
        .iter()
        .flat_map(|p| {
            p.counties
                .iter()
                .map(move |c| (c.code.clone(), format!("{} {}", lang.pick(&p.zh, &p.en), lang.pick(&c.zh, &c.en))))
        })
        .collect();
    let demands = DemandKind::ALL.iter().map(|d| (d.code().to_owned(), demand_label(lang, *d).to_owned())).collect();
    let facts = get_field(&form, "facts").to_owned();
    let summary = (!state.errors.is_empty()).then(|| view! {
        <div class="error-summary" role="alert"><p>{lang.pick("请修改标出的内容。", "Please correct the marked fields.")}</p></div>
    });
    view! {
        <Title text=lang.pick("登记来电来信 - 青海12315", "Register an item - Qinghai 12315") />
        {crate::pages::form_state::script("intake-state", &state)}
        <p><a href="/staff">{lang.pick("← 返回工作队列", "← Back to the queue")}</a></p>
        <h1>{lang.pick("登记电话、信件、留言、窗口来访", "Register a call, letter, voice message or visit")}</h1>
        {summary}
        <form method="post" action="/staff/intake" novalidate class="intake">
            <input type="hidden" name="key" value=key />
            {field("channel", select("channel", channels, state.channel.clone()))}
            {field("kind", select("kind", kinds, form.kind.clone()))}
            {field("category", select("category", categories, form.category.clone()))}
            {field("consumer_name", text("consumer_name", "text"))}
            {field("consumer_phone", text("consumer_phone", "tel"))}
            {field("consumer_address", text("consumer_address", "text"))}
            {field("business_name", text("business_name", "text"))}
            {field("business_credit_code", text("business_credit_code", "text"))}
            {field("business_address", text("business_address", "text"))}
            {field("business_county", select("business_county", counties, form.business_county.clone()))}
            {field("incident_on", text("incident_on", "date"))}
            {field("amount_paid", text("amount_paid", "text"))}
            {field("demand", select("demand", demands, form.demand.clone()))}
            {field("demand_text", text("demand_text", "text"))}
            {field("facts", view! { <textarea id="facts" name="facts" rows="6">{facts}</textarea> }.into_any())}
            <button type="submit" class="primary">{lang.pick("登记", "Register")}</button>
        </form>
    }
    .into_any()
}

/// A fresh idempotency key for a form (made on the server, which renders the form).
pub fn fresh_key() -> String {
    #[cfg(feature = "ssr")]
    {
        use rand::Rng;
        let n: u128 = rand::rng().random();
        format!("{n:032x}")
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

#[component]
pub fn StaffAuditPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let query = use_query_map();
    let before = move || query.read().get("before").and_then(|b| b.parse::<i64>().ok());
    let data =
        Resource::new_blocking(before, |before| async move { crate::server_fns::staff::get_audit(before).await });
    view! {
        <Title text=lang.pick("审计日志 - 青海12315", "Audit log - Qinghai 12315") />
        <p><a href="/staff">{lang.pick("← 返回工作队列", "← Back to the queue")}</a></p>
        <h1>{lang.pick("审计日志", "Audit log")}</h1>
        <p class="hint">{lang.pick(
            "每页100条，最新的在前。日志只能追加，不能修改或删除。",
            "100 entries a page, newest first. The log can only grow: entries cannot be changed or deleted.",
        )}</p>
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                let first = before().is_some().then(|| view! {
                    <p><a rel="external" href="/staff/audit">{lang.pick("最新的记录", "Newest entries")}</a></p>
                });
                match data.await {
                    Ok(crate::views::staff::AuditPage { lines, next }) => view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.pick("审计日志（可横向滚动）", "Audit log (scrolls sideways)")>
                            <table data-testid="audit">
                                <thead>
                                    <tr>
                                        <th scope="col">{lang.pick("时间", "Time")}</th>
                                        <th scope="col">{lang.pick("人员", "Staff")}</th>
                                        <th scope="col">{lang.pick("事项", "What")}</th>
                                        <th scope="col">{lang.pick("对象", "Subject")}</th>
                                        <th scope="col">{lang.pick("来源地址", "Client")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {lines.into_iter().map(|l| view! {
                                        <tr>
                                            <td>{l.at}</td>
                                            <td>{l.actor.unwrap_or_else(|| "—".into())}</td>
                                            <td>{l.action}</td>
                                            <td>{l.subject.unwrap_or_else(|| "—".into())}</td>
                                            <td>{l.client.unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {first}
                        {next.map(|n| view! {
                            <p><a rel="external" href=format!("/staff/audit?before={n}")>{lang.pick("更早的记录", "Older entries")}</a></p>
                        })}
                    }.into_any(),
                    Err(_) => {
                        #[cfg(feature = "ssr")]
                        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                            res.set_status(http::StatusCode::FORBIDDEN);
                        }
                        view! { <p role="alert">{lang.pick("只有督办人和管理员可以查看审计日志。", "Only supervisors and administrators can read the audit log.")}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
