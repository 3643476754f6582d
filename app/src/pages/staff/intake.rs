//! `/staff/intake` — registering a call, letter, voice message or visit with the online form's checks.

use crate::domain::category;
use crate::domain::kind::ItemKind;
use crate::i18n::{self};
use crate::prefs::use_prefs;
use crate::views::forms::IntakeState;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffIntakePage() -> impl IntoView {
    use crate::domain::case::DemandKind;
    use crate::domain::filing::get_field;
    use crate::domain::kind::Channel;
    use crate::pages::file::{demand_label, label};
    let lang = use_prefs().lang;
    let mut state = crate::components::form_state::read::<IntakeState>("intake-state");
    if state.form.key.is_empty() {
        // Made on the server and carried to the browser with the state, so both agree on it.
        state.form.key = fresh_key();
    }
    if let Some((no, code)) = state.done.clone() {
        return view! {
            <Title text=lang.msgs().staff_intake_registered_qinghai_12315 />
            <section class="panel receipt">
                <h1>{lang.msgs().staff_intake_registered}</h1>
                <dl class="receipt-facts">
                    <dt>{lang.msgs().staff_intake_case_number}</dt><dd class="big" data-testid="case-no">{no.clone()}</dd>
                    <dt>{lang.msgs().staff_intake_query_code}</dt><dd class="big" data-testid="query-code">{code}</dd>
                </dl>
                <p class="warning">{lang.msgs().staff_intake_tell_the_consumer_the}</p>
                <p><a href=format!("/staff/cases/{no}")>{lang.msgs().staff_intake_open_the_case}</a>" · "<a href="/staff/intake">{lang.msgs().staff_intake_register_another}</a></p>
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
                <label for=name>{if name == "channel" { lang.msgs().staff_intake_channel } else { label(lang, name) }}</label>
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
        crate::components::form::select(lang, name.to_owned(), name, options, current)
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
    // A complaint for others (an agent, or a representative of several consumers); a report
    // without name or contact. The domain ignores each for the kinds it does not apply to.
    let filing_as = crate::pages::file::filing_as_choices(lang)
        .iter()
        .map(|(code, text)| ((*code).to_owned(), (*text).to_owned()))
        .collect();
    let anonymous = !form.anonymous.is_empty();
    let summary = (!state.errors.is_empty())
        .then(|| crate::components::form::alert(lang.msgs().staff_intake_please_correct_the_marked.to_owned(), None));
    view! {
        <Title text=lang.msgs().staff_intake_register_an_item_qinghai />
        {crate::components::form_state::script("intake-state", &state)}
        <p><a href="/staff">{lang.msgs().staff_intake_back_to_the_queue}</a></p>
        <h1>{lang.msgs().staff_intake_register_a_call_letter}</h1>
        {summary}
        <form method="post" action="/staff/intake" novalidate class="intake">
            <input type="hidden" name="key" value=key />
            {field("channel", select("channel", channels, state.channel.clone()))}
            {field("kind", select("kind", kinds, form.kind.clone()))}
            {field("category", select("category", categories, form.category.clone()))}
            <div class="field choice">
                <input type="checkbox" id="anonymous" name="anonymous" value="on" checked=anonymous />
                <label for="anonymous">{label(lang, "anonymous")}</label>
            </div>
            {field("filing_as", select("filing_as", filing_as, form.filing_as.clone()))}
            {field("agent_name", text("agent_name", "text"))}
            {field("agent_phone", text("agent_phone", "tel"))}
            {field("consumers", text("consumers", "text"))}
            {field("consumer_name", text("consumer_name", "text"))}
            {field("consumer_phone", text("consumer_phone", "tel"))}
            {field("consumer_address", text("consumer_address", "text"))}
            {field("consumer_email", text("consumer_email", "email"))}
            {field("business_name", text("business_name", "text"))}
            {field("business_credit_code", text("business_credit_code", "text"))}
            {field("business_address", text("business_address", "text"))}
            {field("business_county", select("business_county", counties, form.business_county.clone()))}
            {field("incident_on", text("incident_on", "date"))}
            {field("amount_paid", text("amount_paid", "text"))}
            {field("demand", select("demand", demands, form.demand.clone()))}
            {field("demand_text", text("demand_text", "text"))}
            {field("facts", view! { <textarea id="facts" name="facts" rows="6">{facts}</textarea> }.into_any())}
            <button type="submit" class="primary">{lang.msgs().staff_intake_register}</button>
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
