//! `/staff/login` — staff sign-in; `/staff` — the work queue. Plain HTML forms handled by the
//! server (`server/src/staff.rs`), so they work without JavaScript.

use crate::domain::category;
use crate::domain::kind::ItemKind;
use crate::domain::staff::LoginForm;
use crate::domain::workflow::{CaseState, Role};
use crate::domain::FieldError;
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::server_fns::staff::{get_queue, QueueView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// A refused sign-in as the server rendered it (never with the password).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginState {
    pub username: String,
    pub errors: Vec<FieldError>,
    /// 401 (wrong name or password) or 429 (locked for a while).
    pub problem: Option<u16>,
}

fn login_state() -> LoginState {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<LoginState>().cloned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            document()
                .get_element_by_id("login-state")
                .and_then(|e| e.text_content())
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        LoginState::default()
    }
}

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
    let state = login_state();
    let json = serde_json::to_string(&state).unwrap_or_default().replace('<', "\\u003c");
    let errors = RwSignal::new(state.errors.clone());
    let username = RwSignal::new(state.username.clone());
    let password = RwSignal::new(String::new());
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
        <script type="application/json" id="login-state" inner_html=json></script>
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

fn queue_view(lang: Lang, q: QueueView, state: String, kind: String) -> impl IntoView {
    let role = Role::from_code(&q.role).map(|r| role_label(lang, r)).unwrap_or_default();
    let who = match (lang, q.bureau_zh.clone(), q.bureau_en.clone()) {
        (Lang::Zh, Some(b), _) => format!("{}（{}，{}）", q.username, role, b),
        (Lang::En, _, Some(b)) => format!("{} ({}, {})", q.username, role, b),
        _ => format!("{} ({})", q.username, role),
    };
    let next = q.next.map(|n| {
        let href = format!("/staff?state={state}&kind={kind}&before={n}");
        view! { <p><a rel="external" href=href>{lang.pick("下一页", "Next page")}</a></p> }
    });
    let empty = q.lines.is_empty().then(|| view! { <p>{lang.pick("没有符合条件的案件。", "No cases match.")}</p> });
    let rows = q
        .lines
        .into_iter()
        .map(|l| {
            let kind = ItemKind::from_code(&l.kind).map(|k| i18n::kind(lang, k)).unwrap_or_default();
            let st = CaseState::from_code(&l.state).map(|s| i18n::state(lang, s)).unwrap_or_default();
            let cat = category::get(&l.category).map(|c| lang.pick(&c.zh, &c.en).to_owned()).unwrap_or_default();
            let due = match (l.due_on.clone(), l.working_days_left) {
                (Some(d), Some(n)) => format!("{d}（{}）", countdown(lang, n)),
                _ => "—".into(),
            };
            view! {
                <tr>
                    <th scope="row">{l.case_no.clone()}</th>
                    <td>{kind}</td>
                    <td>{st}</td>
                    <td>{cat}</td>
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
        <h1>{lang.pick("工作队列", "Work queue")}</h1>
        <form method="get" action="/staff" class="row">
            <label for="state">{lang.pick("状态", "State")}</label>
            <select id="state" name="state">
                <option value="" selected=state.is_empty()>{lang.pick("全部", "All")}</option>
                {CaseState::ALL.iter().map(|s| {
                    let selected = s.code() == state;
                    view! { <option value=s.code() selected=selected>{i18n::state(lang, *s)}</option> }
                }).collect_view()}
            </select>
            <label for="kind">{lang.pick("类型", "Kind")}</label>
            <select id="kind" name="kind">
                <option value="" selected=kind.is_empty()>{lang.pick("全部", "All")}</option>
                {ItemKind::ALL.iter().map(|k| {
                    let selected = k.code() == kind;
                    view! { <option value=k.code() selected=selected>{i18n::kind(lang, *k)}</option> }
                }).collect_view()}
            </select>
            <button type="submit">{lang.pick("筛选", "Filter")}</button>
        </form>
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
                        <th scope="col">{lang.pick("办理部门", "Bureau")}</th>
                        <th scope="col">{lang.pick("收到", "Received")}</th>
                        <th scope="col">{lang.pick("受理决定期限", "Decision due")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {next}
    }
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (
            q.get("state").unwrap_or_default(),
            q.get("kind").unwrap_or_default(),
            q.get("before").and_then(|b| b.parse::<i64>().ok()),
        )
    };
    let data = Resource::new_blocking(params, |(s, k, b)| async move { get_queue(s, k, b).await });
    view! {
        <Title text=lang.pick("工作队列 - 青海12315", "Work queue - Qinghai 12315") />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                let (state, kind, _) = params();
                match data.await {
                    Ok(q) => queue_view(lang, q, state, kind).into_any(),
                    Err(crate::error::AppError::Forbidden) => view! {
                        <h1>{lang.pick("工作台", "Console")}</h1>
                        <p>{lang.pick(
                            "管理员账号不办理案件。请用服务器命令 server staff set 为工作人员开设账号。",
                            "Administrator accounts do not handle cases. Create staff accounts with the server command `server staff set`.",
                        )}</p>
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
