//! `/staff/audit` — the audit log, newest first, for supervisors and admins.

use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

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
