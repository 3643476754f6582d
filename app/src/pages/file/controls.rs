//! The filing form's controls: each bound to one field of the [`FilingForm`], with its label,
//! hint and error from the form kit, and checked again as soon as it changes once it shows an error.

use crate::components::form::{aria_invalid, described_by, field, field_error, Errors};
use crate::domain::filing::{get_field, set_field, FilingForm};
use crate::i18n::Lang;
use crate::pages::home::today_in_china;
use leptos::prelude::*;

pub(crate) fn label(lang: Lang, field: &str) -> &'static str {
    lang.msgs().term("file", field)
}

pub(super) fn hint(lang: Lang, field: &str) -> Option<&'static str> {
    Some(match field {
        "business_credit_code" => lang.msgs().file_the_18_character_code,
        "business_county" => lang.msgs().file_this_decides_which_bureau,
        "facts" => lang.msgs().file_when_where_and_what,
        "consumer_phone" => lang.msgs().file_for_the_handler_to,
        "consumer_email" => lang.msgs().file_email_hint,
        "consent_publish" => lang.msgs().file_off_unless_you_tick,
        "also_report" => lang.msgs().file_for_complaints_only,
        "anonymous" => lang.msgs().file_anonymous_hint,
        "evidence" => lang.msgs().file_receipts_photos_of_the,
        _ => return None,
    })
}

/// Updates a field and, if it shows an error, checks it again at once.
pub(super) fn on_change(form: RwSignal<FilingForm>, errors: Errors, name: &'static str, value: String) {
    form.update(|f| set_field(f, name, value));
    if errors.with_untracked(|es| es.iter().any(|e| e.field == name)) {
        let f = form.get_untracked();
        let today = today_in_china();
        let fresh: Vec<_> = f.check_step(f.step(), today).into_iter().filter(|e| e.field == name).collect();
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
            inputmode=match input_type { "tel" => "tel", "email" => "email", _ if name == "amount_paid" => "decimal", _ => "text" }
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
            <option value="">{lang.msgs().file_please_choose}</option>
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
