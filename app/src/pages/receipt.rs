//! `/file/done/{case_no}` — the receipt: case number, the query code (shown once), what happens
//! next and the date by which the acceptance decision is due, a QR code for tracking, printable.

use crate::i18n::fill;
use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::server_fns::filing::get_receipt;
use crate::views::receipt::Receipt;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let params = use_params_map();
    let case_no = move || params.read().get("case_no").unwrap_or_default();
    let data = crate::wire::blocking(case_no, |no| async move { get_receipt(no).await });
    view! {
        <Title text=lang.msgs().receipt_filed_qinghai_12315 />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(r)) => receipt_view(lang, r).into_any(),
                    _ => view! {
                        <section class="panel">
                            <h1>{lang.msgs().receipt_the_receipt_is_shown}</h1>
                            <p>{lang.msgs().receipt_to_protect_you_the}</p>
                            <p><a href="/">{lang.msgs().back_home}</a></p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn receipt_view(lang: Lang, r: Receipt) -> impl IntoView {
    let kind = crate::domain::kind::ItemKind::from_code(&r.kind).map(|k| i18n::kind(lang, k)).unwrap_or_default();
    let due = r.due_on.clone().map(|d| {
        let rules = lang.pick(&r.rule_set_zh, &r.rule_set_en);
        let values: [(&str, &dyn std::fmt::Display); 4] =
            [("rules", &rules), ("article", &r.due_article), ("date", &d), ("days", &r.due_days)];
        let text = fill(lang.msgs().receipt_decides_by, &values);
        view! { <p data-testid="due">{text}</p> }
    });
    let assumed = r.due_assumed.then(|| {
        view! {
            <p class="hint">{lang.msgs().receipt_date_provisional}</p>
        }
    });
    let bureau = lang.pick(&r.bureau_zh, &r.bureau_en).to_owned();
    let track = format!("/track?case_no={}", r.case_no);
    view! {
        <section class="panel receipt">
            <h1>{fill(lang.msgs().receipt_we_have_received_your, &[("kind", &kind)])}</h1>
            <dl class="receipt-facts">
                <dt>{lang.msgs().receipt_case_number}</dt>
                <dd class="big" data-testid="case-no">{r.case_no.clone()}</dd>
                <dt>{lang.msgs().receipt_query_code}</dt>
                <dd class="big" data-testid="query-code">{r.code.clone()}</dd>
                {r.linked_case_no.clone().map(|l| view! {
                    <dt>{lang.msgs().receipt_report_filed_with_it}</dt>
                    <dd data-testid="linked-case-no">{l} " " {lang.msgs().receipt_same_query_code}</dd>
                })}
                <dt>{lang.msgs().receipt_received_on}</dt>
                <dd>{r.received_on.clone()}</dd>
                <dt>{lang.msgs().receipt_handled_by}</dt>
                <dd>{bureau}</dd>
            </dl>
            <p class="warning" role="note"><strong>{lang.msgs().receipt_note_or_screenshot_the}</strong></p>
            <h2>{lang.msgs().receipt_what_happens_next}</h2>
            {due}
            {assumed}
            <p>{lang.msgs().receipt_once_accepted_the_bureau}</p>
            <figure class="qr">
                <div inner_html=r.qr_svg.clone()></div>
                <figcaption>{lang.msgs().receipt_scan_to_track_your} " " <a href=track.clone()>{track.clone()}</a></figcaption>
            </figure>
            <p class="hint">{lang.msgs().receipt_to_print_use_your}</p>
        </section>
    }
}
