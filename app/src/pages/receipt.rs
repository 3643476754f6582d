//! `/file/done/{case_no}` — the receipt: case number, the query code (shown once), what happens
//! next and the date by which the acceptance decision is due, a QR code for tracking, printable.

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
    let data = Resource::new_blocking(case_no, |no| async move { get_receipt(no).await });
    view! {
        <Title text=lang.pick("提交成功 - 青海12315", "Filed - Qinghai 12315") />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(r)) => receipt_view(lang, r).into_any(),
                    _ => view! {
                        <section class="panel">
                            <h1>{lang.pick("回执只显示一次", "The receipt is shown once")}</h1>
                            <p>{lang.pick(
                                "为保护您的信息，查询码只在提交后显示一次。请使用案件编号和查询码在“查询进度”中查看办理情况；如果没有记下查询码，请拨打12315。",
                                "To protect you, the query code is shown only once, right after filing. Use the case number and the code to track your case; if you did not note the code, call 12315.",
                            )}</p>
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
        let text = match lang {
            Lang::Zh => format!("依照{}{}，办理部门将在 {d} 前（{}个工作日内）作出是否受理的决定并告知您。", r.rule_set_zh, r.due_article, r.due_days),
            Lang::En => format!("Under the {} ({}), the bureau decides whether to accept it by {d} (within {} working days) and tells you.", r.rule_set_en, r.due_article, r.due_days),
        };
        view! { <p data-testid="due">{text}</p> }
    });
    let assumed = r.due_assumed.then(|| view! {
        <p class="hint">{lang.pick("该日期按周末计算，国务院公布节假日安排后可能顺延。", "Counted with weekends only: it may move once the year's holidays are published.")}</p>
    });
    let bureau = lang.pick(&r.bureau_zh, &r.bureau_en).to_owned();
    let track = format!("/track?case_no={}", r.case_no);
    view! {
        <section class="panel receipt">
            <h1>{lang.pick("已收到您的", "We have received your ")} {kind}</h1>
            <dl class="receipt-facts">
                <dt>{lang.pick("案件编号", "Case number")}</dt>
                <dd class="big" data-testid="case-no">{r.case_no.clone()}</dd>
                <dt>{lang.pick("查询码", "Query code")}</dt>
                <dd class="big" data-testid="query-code">{r.code.clone()}</dd>
                {r.linked_case_no.clone().map(|l| view! {
                    <dt>{lang.pick("同时登记的举报", "Report filed with it")}</dt>
                    <dd data-testid="linked-case-no">{l} " " {lang.pick("（使用同一查询码）", "(same query code)")}</dd>
                })}
                <dt>{lang.pick("收到日期", "Received on")}</dt>
                <dd>{r.received_on.clone()}</dd>
                <dt>{lang.pick("办理部门", "Handled by")}</dt>
                <dd>{bureau}</dd>
            </dl>
            <p class="warning" role="note"><strong>{lang.pick(
                "请立即记下或截图保存查询码：它只显示这一次，凭案件编号和查询码才能查询进度。",
                "Note or screenshot the query code now: it is shown only this once, and you need it with the case number to track your case.",
            )}</strong></p>
            <h2>{lang.pick("接下来", "What happens next")}</h2>
            {due}
            {assumed}
            <p>{lang.pick(
                "受理后，办理部门会组织您与经营者调解；您可以随时查询进度、补充材料，办结后可以评价。",
                "Once accepted, the bureau mediates between you and the business; you can follow the case, add evidence and, at the end, rate the handling.",
            )}</p>
            <figure class="qr">
                <div inner_html=r.qr_svg.clone()></div>
                <figcaption>{lang.pick("扫码查询进度", "Scan to track your case")} " " <a href=track.clone()>{track.clone()}</a></figcaption>
            </figure>
            <p class="hint">{lang.pick("打印：使用浏览器的“打印”功能，本页会以打印格式输出。", "To print, use your browser's Print command: this page prints cleanly.")}</p>
        </section>
    }
}
