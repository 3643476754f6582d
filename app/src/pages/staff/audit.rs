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
    let data = crate::wire::blocking(before, |before| async move { crate::server_fns::staff::get_audit(before).await });
    view! {
        <Title text=lang.msgs().staff_audit_audit_log_qinghai_12315 />
        <p><a href="/staff">{lang.msgs().staff_audit_back_to_the_queue}</a></p>
        <h1>{lang.msgs().staff_audit_audit_log}</h1>
        <p class="hint">{lang.msgs().staff_audit_100_entries_a_page}</p>
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                let first = before().is_some().then(|| view! {
                    <p><a rel="external" href="/staff/audit">{lang.msgs().staff_audit_newest_entries}</a></p>
                });
                match data.await {
                    Ok(crate::views::staff::AuditPage { lines, next }) => view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.msgs().staff_audit_audit_log_scrolls_sideways>
                            <table data-testid="audit">
                                <thead>
                                    <tr>
                                        <th scope="col">{lang.msgs().staff_audit_time}</th>
                                        <th scope="col">{lang.msgs().staff_audit_staff}</th>
                                        <th scope="col">{lang.msgs().staff_audit_what}</th>
                                        <th scope="col">{lang.msgs().staff_audit_subject}</th>
                                        <th scope="col">{lang.msgs().staff_audit_client}</th>
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
                            <p><a rel="external" href=format!("/staff/audit?before={n}")>{lang.msgs().staff_audit_older_entries}</a></p>
                        })}
                    }.into_any(),
                    Err(_) => {
                        #[cfg(feature = "ssr")]
                        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                            res.set_status(http::StatusCode::FORBIDDEN);
                        }
                        view! { <p role="alert">{lang.msgs().staff_audit_only_supervisors_and_administrators}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
