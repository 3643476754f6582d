//! `/staff/outbox` — the messages sent to consumers, for supervisors and admins: what waits,
//! what went and what failed (recipients masked), with a failed message sent again by a plain
//! form (`POST /staff/outbox`, handled by the server, so it works without JavaScript).

use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffOutboxPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let m = lang.msgs();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (q.get("state").unwrap_or_default(), q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0))
    };
    let data =
        crate::wire::blocking(
            args,
            |(state, page)| async move { crate::server_fns::staff::get_outbox(state, page).await },
        );
    let filters = move || {
        let (state, _) = args();
        [
            ("", m.staff_outbox_all),
            ("pending", m.outbox_state__pending),
            ("sent", m.outbox_state__sent),
            ("failed", m.outbox_state__failed),
        ]
        .into_iter()
        .map(|(code, label)| {
            let href = if code.is_empty() { "/staff/outbox".to_owned() } else { format!("/staff/outbox?state={code}") };
            let current = (state == code).then_some("page");
            view! { <li><a rel="external" href=href aria-current=current>{label}</a></li> }
        })
        .collect_view()
    };
    view! {
        <Title text=m.staff_outbox_title />
        <p><a href="/staff">{m.staff_audit_back_to_the_queue}</a></p>
        <h1>{m.staff_outbox_heading}</h1>
        {move || (query.read().get("done").as_deref() == Some("resent")).then(|| view! {
            <p role="status">{m.staff_outbox_resent}</p>
        })}
        <nav aria-label=m.staff_outbox_heading><ul class="chips">{filters}</ul></nav>
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                let (state, _) = args();
                match data.await {
                    Ok(p) => view! {
                        <p data-testid="outbox-counts">{crate::i18n::fill(m.staff_outbox_counts, &[("pending", &p.pending), ("sent", &p.sent), ("failed", &p.failed)])}</p>
                        {(!p.sms_ready).then(|| view! { <p class="hint" data-testid="no-channel">{m.staff_outbox_no_channel}</p> })}
                        {(!p.email_ready).then(|| view! { <p class="hint" data-testid="no-mail">{m.staff_outbox_no_mail}</p> })}
                        <div class="table-wrap" tabindex="0" role="region" aria-label=m.staff_outbox_scrolls>
                            <table data-testid="outbox">
                                <thead>
                                    <tr>
                                        <th scope="col">{m.staff_audit_time}</th>
                                        <th scope="col">{m.staff_outbox_case}</th>
                                        <th scope="col">{m.staff_outbox_to}</th>
                                        <th scope="col">{m.staff_outbox_text}</th>
                                        <th scope="col">{m.staff_outbox_state}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.lines.into_iter().map(|l| {
                                        let status = lang.msgs().term("outbox_state", &l.state);
                                        let tries = crate::i18n::fill(m.staff_outbox_tries, &[("n", &l.attempts)]);
                                        let resend = (l.state == "failed").then(|| view! {
                                            <form method="post" action="/staff/outbox">
                                                <input type="hidden" name="id" value=l.id.to_string() />
                                                <button type="submit">{m.staff_outbox_resend}</button>
                                            </form>
                                        });
                                        view! {
                                            <tr>
                                                <td>{l.created}</td>
                                                <td>{if l.case_no.is_empty() {
                                                    view! { <span>{m.staff_outbox_digest}</span> }.into_any()
                                                } else {
                                                    view! { <a href=format!("/staff/cases/{}", l.case_no)>{l.case_no.clone()}</a> }.into_any()
                                                }}</td>
                                                <td>{l.recipient}</td>
                                                <td>{l.text}</td>
                                                <td>
                                                    {status}" · "{tries}
                                                    {l.sent.map(|s| view! { <br />{s} })}
                                                    {l.last_error.map(|e| view! { <br /><span class="hint">{e}</span> })}
                                                    {resend}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {p.next.map(|n| {
                            let href = if state.is_empty() { format!("/staff/outbox?page={n}") } else { format!("/staff/outbox?state={state}&page={n}") };
                            view! { <p><a rel="external" href=href>{m.staff_audit_older_entries}</a></p> }
                        })}
                    }.into_any(),
                    Err(_) => {
                        #[cfg(feature = "ssr")]
                        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                            res.set_status(http::StatusCode::FORBIDDEN);
                        }
                        view! { <p role="alert">{m.staff_outbox_only_supervisors}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
