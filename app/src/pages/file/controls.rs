//! The filing form's controls: each bound to one field of the [`FilingForm`], with its label,
//! hint and error from the form kit, and checked again as soon as it changes once it shows an error.

use crate::components::form::{aria_invalid, described_by, field, field_error, Errors};
use crate::domain::filing::{get_field, set_field, FilingForm};
use crate::domain::rules;
use crate::i18n::Lang;
use crate::pages::home::today_in_china;
use leptos::prelude::*;

pub(crate) fn label(lang: Lang, field: &str) -> &'static str {
    match field {
        "personal_use" => lang.pick("您是为生活消费购买商品或接受服务吗？", "Did you buy the goods or service for your own consumption?"),
        "business_dispute" => lang.pick("这是您与经营者（商家）之间的纠纷吗？", "Is this a dispute between you and a business?"),
        "other_body" => lang.pick(
            "法院、仲裁机构、消费者协会或其他部门是否已经受理过这一纠纷？",
            "Has a court, arbitration body, consumer association or other authority already taken up this dispute?",
        ),
        "within_limitation" => lang.pick("您知道自己权益受损是在三年以内吗？", "Did you learn of the harm less than three years ago?"),
        "kind" => lang.pick("办理类型", "Type"),
        "category" => lang.pick("商品或服务类别", "Category"),
        "also_report" => lang.pick(
            "经营者还涉嫌违法，我同时要举报（将另行登记为一件举报，与投诉关联）",
            "The business may also have broken the law: report it too (filed as a separate report, linked to the complaint)",
        ),
        "report_category" => lang.pick("举报的违法行为类型", "Kind of violation you report"),
        "business_name" => lang.pick("经营者名称", "Business name"),
        "business_credit_code" => lang.pick("统一社会信用代码（选填）", "Unified social credit code (optional)"),
        "business_address" => lang.pick("经营者地址", "Business address"),
        "business_county" => lang.pick("所在县（市、区）", "County or district"),
        "business_platform" => lang.pick("网购平台（选填）", "Online platform (optional)"),
        "business_shop" => lang.pick("平台店铺名称（选填）", "Shop on the platform (optional)"),
        "incident_on" => lang.pick("您知道问题的日期", "Date you learned of the problem"),
        "amount_paid" => lang.pick("支付金额（元，选填）", "Amount paid (yuan, optional)"),
        "order_no" => lang.pick("订单号或票据号（选填）", "Order or receipt number (optional)"),
        "demand" => lang.pick("您的具体诉求", "What you ask for"),
        "demand_text" => lang.pick("诉求说明", "Details of your demand"),
        "facts" => lang.pick("事实经过", "What happened"),
        "consumer_name" => lang.pick("姓名", "Name"),
        "consumer_phone" => lang.pick("手机号码", "Mobile phone"),
        "consumer_address" => lang.pick("联系地址", "Address"),
        "evidence" => lang.pick("选择照片或PDF文件", "Choose photos or PDF files"),
        "consent_publish" => lang.pick(
            "同意在隐去个人信息后公开本投诉，作为典型案例",
            "I agree that this complaint may be published as a typical case, with my personal data removed",
        ),
        _ => "",
    }
}

pub(super) fn hint(lang: Lang, field: &str) -> Option<&'static str> {
    Some(match field {
        "business_credit_code" => lang.pick("营业执照上的18位代码。", "The 18-character code on the business licence."),
        "business_county" => lang.pick("决定由哪个市场监管局办理。", "This decides which bureau handles it."),
        "facts" => lang.pick("时间、地点、经过，10至2000字。", "When, where and what happened: 10 to 2,000 characters."),
        "consumer_phone" => lang.pick("用于办理人员联系您，提交后仅显示为 138****1234。", "For the handler to reach you; shown only as 138****1234 after you submit."),
        "consent_publish" => lang.pick("默认不公开。", "Off unless you tick it."),
        "also_report" => lang.pick("仅适用于投诉。", "For complaints only."),
        "evidence" => lang.pick(
            "购物凭证、商品照片、聊天记录截图等。最多5个文件，每个不超过10MB；照片中的位置信息会被删除。",
            "Receipts, photos of the goods, screenshots of chats. At most 5 files of up to 10 MB each; location data is removed from photos.",
        ),
        _ => return None,
    })
}

/// Updates a field and, if it shows an error, checks it again at once.
pub(super) fn on_change(form: RwSignal<FilingForm>, errors: Errors, name: &'static str, value: String) {
    form.update(|f| set_field(f, name, value));
    if errors.with_untracked(|es| es.iter().any(|e| e.field == name)) {
        let f = form.get_untracked();
        let today = today_in_china();
        let fresh: Vec<_> =
            f.check_step(f.step(), today, rules::in_force_on(today)).into_iter().filter(|e| e.field == name).collect();
        errors.update(|es| {
            es.retain(|e| e.field != name);
            es.extend(fresh);
        });
    }
}

pub(super) fn text_input(
    lang: Lang,
    form: RwSignal<FilingForm>,
    errors: Errors,
    name: &'static str,
    input_type: &'static str,
    autocomplete: &'static str,
) -> impl IntoView {
    if let Some(typed) = crate::components::form_state::typed_before_hydration(name) {
        on_change(form, errors, name, typed);
    }
    let h = hint(lang, name);
    let value = move || form.with(|f| get_field(f, name).to_owned());
    let control = view! {
        <input id=name name=name type=input_type autocomplete=autocomplete
            inputmode=match input_type { "tel" => "tel", _ if name == "amount_paid" => "decimal", _ => "text" }
            value=value.clone() prop:value=value
            aria-invalid=aria_invalid(errors, name)
            aria-describedby=described_by(errors, name, h.is_some())
            on:input=move |ev| on_change(form, errors, name, event_target_value(&ev)) />
    };
    field(lang, errors, name, label(lang, name), h, control)
}

pub(super) fn textarea(lang: Lang, form: RwSignal<FilingForm>, errors: Errors, name: &'static str) -> impl IntoView {
    if let Some(typed) = crate::components::form_state::typed_before_hydration(name) {
        on_change(form, errors, name, typed);
    }
    let h = hint(lang, name);
    let value = move || form.with(|f| get_field(f, name).to_owned());
    let control = view! {
        <textarea id=name name=name rows="6"
            prop:value=value
            aria-invalid=aria_invalid(errors, name)
            aria-describedby=described_by(errors, name, h.is_some())
            on:input=move |ev| on_change(form, errors, name, event_target_value(&ev))>{value()}</textarea>
    };
    field(lang, errors, name, label(lang, name), h, control)
}

pub(super) fn radios(
    lang: Lang,
    form: RwSignal<FilingForm>,
    errors: Errors,
    name: &'static str,
    options: Vec<(&'static str, &'static str, bool)>,
) -> impl IntoView {
    view! {
        <fieldset class="field" id=name aria-describedby=described_by(errors, name, false)>
            <legend>{label(lang, name)}</legend>
            {field_error(lang, errors, name)}
            {options.into_iter().map(|(value, text, disabled)| {
                let id = format!("{name}-{value}");
                if crate::components::form_state::checked_before_hydration(&id) == Some(true) {
                    on_change(form, errors, name, value.to_owned());
                }
                let checked = move || form.with(|f| get_field(f, name) == value);
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name=name value=value disabled=disabled
                            checked=checked prop:checked=checked
                            aria-invalid=aria_invalid(errors, name)
                            on:change=move |_| on_change(form, errors, name, value.to_owned()) />
                        <label for=id>{text}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

pub(super) fn checkbox(lang: Lang, form: RwSignal<FilingForm>, errors: Errors, name: &'static str) -> impl IntoView {
    if let Some(ticked) = crate::components::form_state::checked_before_hydration(name) {
        on_change(form, errors, name, if ticked { "on".into() } else { String::new() });
    }
    let checked = move || form.with(|f| !get_field(f, name).is_empty());
    let hint_id = format!("{name}-hint");
    view! {
        <div class="field choice">
            <input type="checkbox" id=name name=name value="on"
                checked=checked prop:checked=checked aria-describedby=hint_id.clone()
                on:change=move |ev| on_change(form, errors, name, if event_target_checked(&ev) { "on".into() } else { String::new() }) />
            <label for=name>{label(lang, name)}</label>
            <p class="hint" id=hint_id>{hint(lang, name)}</p>
        </div>
    }
}

pub(super) fn select(
    lang: Lang,
    form: RwSignal<FilingForm>,
    errors: Errors,
    name: &'static str,
    options: impl IntoView + 'static,
) -> impl IntoView {
    if let Some(chosen) = crate::components::form_state::typed_before_hydration(name) {
        on_change(form, errors, name, chosen);
    }
    let h = hint(lang, name);
    let control = view! {
        <select id=name name=name
            aria-invalid=aria_invalid(errors, name)
            aria-describedby=described_by(errors, name, h.is_some())
            on:change=move |ev| on_change(form, errors, name, event_target_value(&ev))>
            <option value="">{lang.pick("请选择", "Please choose")}</option>
            {options}
        </select>
    };
    field(lang, errors, name, label(lang, name), h, control)
}

pub(super) fn option(form: RwSignal<FilingForm>, name: &'static str, value: String, text: String) -> impl IntoView {
    let v = value.clone();
    let selected = move || form.with(|f| get_field(f, name) == v);
    view! { <option value=value selected=selected.clone() prop:selected=selected>{text}</option> }
}
