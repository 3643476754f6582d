//! The form kit: what every form shows around its controls — the summary of errors at the top,
//! a field's hint and error, the ARIA wiring between them, moving focus, and the check in the
//! browser before a form is sent — so that every form reads the same to a screen reader, with or
//! without JavaScript. A page keeps its own labels and controls and passes its label function in.

use crate::domain::{FieldError, Invalid};
use crate::i18n::{self, Lang};
use leptos::prelude::*;

/// The errors a form shows, by field.
pub type Errors = RwSignal<Vec<FieldError>>;

/// The error on field `name`, if it shows one.
pub fn error_of(errors: Errors, name: &'static str) -> impl Fn() -> Option<Invalid> + Copy + Send + Sync + 'static {
    move || errors.with(|es| es.iter().find(|e| e.field == name).map(|e| e.invalid.clone()))
}

/// The translated message of the error on field `name`, if it shows one.
pub fn message_of(
    lang: Lang,
    errors: Errors,
    name: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let err = error_of(errors, name);
    move || err().map(|e| i18n::invalid(lang, &e))
}

/// `aria-invalid` of the control of field `name`.
pub fn aria_invalid(errors: Errors, name: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let err = error_of(errors, name);
    move || if err().is_some() { "true" } else { "false" }
}

/// `aria-describedby` of field `name`: its hint, if it has one, and its error while it shows one;
/// `None` (no attribute: an empty list of ids is invalid HTML) when nothing describes it.
pub fn described_by(
    errors: Errors,
    name: &'static str,
    has_hint: bool,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let err = error_of(errors, name);
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{name}-hint"));
        }
        if err().is_some() {
            ids.push(format!("{name}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A field's hint, `{name}-hint`, when it has one.
pub fn hint(name: &'static str, text: Option<&'static str>) -> impl IntoView {
    text.map(|t| view! { <p class="hint" id=format!("{name}-hint")>{t}</p> })
}

/// A field's error, `{name}-error`, while it shows one (placed under the label, before the control).
pub fn field_error(lang: Lang, errors: Errors, name: &'static str) -> impl IntoView {
    let message = message_of(lang, errors, name);
    move || message().map(|m| view! { <p class="field-error" id=format!("{name}-error")>{m}</p> })
}

/// The summary of a form's errors, each a link to its field; with `id`, it can take the focus.
pub fn error_summary(
    lang: Lang,
    errors: Errors,
    label: fn(Lang, &str) -> &'static str,
    id: Option<&'static str>,
) -> impl IntoView {
    move || {
        let errs = errors.get();
        (!errs.is_empty()).then(|| {
            view! {
                <div class="error-summary" role="alert" id=id tabindex=id.map(|_| "-1")>
                    <p><strong>{lang.msgs().form_please_correct_the_following}</strong></p>
                    <ul>
                        {errs.into_iter().map(|e| {
                            let href = format!("#{}", e.field);
                            let text = format!("{}：{}", label(lang, &e.field), i18n::invalid(lang, &e.invalid));
                            view! { <li><a href=href>{text}</a></li> }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// One sentence saying why a form was refused as a whole (not a field's fault).
pub fn alert(text: String, testid: Option<&'static str>) -> impl IntoView {
    view! { <div class="error-summary" role="alert" data-testid=testid><p>{text}</p></div> }
}

/// Moves the keyboard focus to the element `id` once the browser has drawn it.
pub fn focus(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let id = id.to_owned();
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Checks a form in the browser before it is sent; on errors, shows them, moves the focus to the
/// summary `summary` and sends nothing. Without JavaScript the server runs the same check.
pub fn check_before_send(
    errors: Errors,
    summary: &'static str,
    check: impl Fn() -> Vec<FieldError> + 'static,
) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    move |ev| {
        let errs = check();
        if !errs.is_empty() {
            ev.prevent_default();
            errors.set(errs);
            focus(summary);
        }
    }
}

/// A field: its label, its hint (`{name}-hint`), its error (`{name}-error`) and its control,
/// whose id is `name`.
pub fn field(
    lang: Lang,
    errors: Errors,
    name: &'static str,
    label: &'static str,
    hint_text: Option<&'static str>,
    control: impl IntoView,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{label}</label>
            {hint(name, hint_text)}
            {field_error(lang, errors, name)}
            {control}
        </div>
    }
}

/// A drop-down of `(value, text)` options, with a first empty "choose" option and `current` chosen.
pub fn select(lang: Lang, id: String, name: &'static str, options: Vec<(String, String)>, current: String) -> AnyView {
    view! {
        <select id=id name=name>
            <option value="">{lang.msgs().form_choose}</option>
            {options.into_iter().map(|(v, t)| {
                let sel = v == current;
                view! { <option value=v selected=sel>{t}</option> }
            }).collect_view()}
        </select>
    }
    .into_any()
}

/// A text input or a textarea with its label, hint and error, bound to `value` (what was typed
/// before the page hydrated is kept); `attrs` are its `type`, `autocomplete` and `inputmode`.
#[allow(clippy::too_many_arguments)]
pub fn text_field(
    lang: Lang,
    errors: Errors,
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    multiline: bool,
    hint: Option<&'static str>,
    attrs: (&'static str, &'static str, &'static str),
) -> impl IntoView {
    if let Some(typed) = crate::components::form_state::typed_before_hydration(name) {
        value.set(typed);
    }
    let described = described_by(errors, name, hint.is_some());
    let invalid = aria_invalid(errors, name);
    let on_input = move |ev| {
        value.set(event_target_value(&ev));
        errors.update(|es| es.retain(|e| e.field != name));
    };
    let (input_type, autocomplete, inputmode) = attrs;
    let control = if multiline {
        view! {
            <textarea id=name name=name rows="5" prop:value=move || value.get()
                aria-invalid=invalid aria-describedby=described on:input=on_input>{value.get_untracked()}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=name name=name type=input_type autocomplete=autocomplete inputmode=inputmode
                value=value.get_untracked() prop:value=move || value.get()
                aria-invalid=invalid aria-describedby=described on:input=on_input />
        }
        .into_any()
    };
    field(lang, errors, name, label, hint, control)
}
