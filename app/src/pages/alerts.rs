//! `/alerts`, `/alerts/confirm` and `/alerts/unsubscribe`: e-mail alerts of a business's or a
//! county's newly disclosed complaints. Every step is a plain form or link handled by the
//! server (`server/src/alerts.rs`), which renders this page with the step's state; no
//! WebAssembly is sent. The confirmation and the unsubscribing each take a button press, so a
//! mail scanner opening the link changes nothing (the mail client's one-click unsubscribe
//! posts directly, RFC 8058).

use crate::i18n::{self, Lang};
use crate::prefs::use_prefs;
use crate::views::forms::AlertState;
use leptos::prelude::*;
use leptos_meta::Title;

/// The subscription form: an e-mail address for the alerts of `target` (`b:<key>` or
/// `c:<county>`), with the errors of a refused one. Also on the businesses' pages.
pub(crate) fn subscribe_form(
    lang: Lang,
    target: &str,
    email: &str,
    errors: &[crate::domain::FieldError],
) -> impl IntoView {
    let m = lang.msgs();
    let error = |f: &str| errors.iter().find(|e| e.field == f).map(|e| i18n::invalid(lang, &e.invalid));
    let (email_err, target_err) = (error("email"), error("target"));
    view! {
        <form method="post" action="/alerts" class="subscribe" data-testid="subscribe" novalidate>
            <input type="hidden" name="target" value=target.to_owned() />
            {target_err.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <div class="field">
                <label for="alert-email">{m.alerts_email}</label>
                <p class="hint" id="alert-email-hint">{m.alerts_email_hint}</p>
                {email_err.clone().map(|e| view! { <p class="field-error" id="alert-email-error">{e}</p> })}
                <input id="alert-email" name="email" type="email" autocomplete="email" value=email.to_owned()
                    aria-invalid=email_err.is_some().then_some("true")
                    aria-describedby=if email_err.is_some() { "alert-email-hint alert-email-error" } else { "alert-email-hint" } />
            </div>
            <button type="submit">{m.alerts_subscribe}</button>
        </form>
    }
}

fn link_button(action: &'static str, s: &AlertState, label: &'static str, testid: &'static str) -> impl IntoView {
    let to = format!("{action}?s={}&t={}", s.s, s.t);
    view! {
        <form method="post" action=to>
            <button type="submit" data-testid=testid>{label}</button>
        </form>
    }
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let m = lang.msgs();
    let s = crate::components::form_state::read::<AlertState>("alert-state");
    let following = |s: &AlertState| {
        view! { <p>{m.alerts_following}" "<a href=s.page.clone()>{s.name.clone()}</a></p> }
    };
    let body = match s.stage.as_str() {
        "sent" => view! {
            <h1>{m.alerts_sent_heading}</h1>
            <p role="status" data-testid="alerts-sent">{m.alerts_sent}</p>
        }
        .into_any(),
        "confirm" => view! {
            <h1>{m.alerts_confirm_heading}</h1>
            {following(&s)}
            {link_button("/alerts/confirm", &s, m.alerts_confirm, "alerts-confirm")}
        }
        .into_any(),
        "confirmed" => view! {
            <h1>{m.alerts_confirmed_heading}</h1>
            {following(&s)}
            <p role="status" data-testid="alerts-confirmed">{m.alerts_confirmed}</p>
        }
        .into_any(),
        "unsubscribe" => view! {
            <h1>{m.alerts_unsubscribe_heading}</h1>
            {following(&s)}
            {link_button("/alerts/unsubscribe", &s, m.alerts_unsubscribe, "alerts-unsubscribe")}
        }
        .into_any(),
        "unsubscribed" => view! {
            <h1>{m.alerts_unsubscribed_heading}</h1>
            <p role="status" data-testid="alerts-unsubscribed">{m.alerts_unsubscribed}</p>
        }
        .into_any(),
        "invalid" => view! {
            <h1>{m.alerts_invalid_heading}</h1>
            <p role="alert" data-testid="alerts-invalid">{m.alerts_invalid}</p>
        }
        .into_any(),
        _ => view! {
            <h1>{m.alerts_heading}</h1>
            {(!s.name.is_empty()).then(|| following(&s))}
            <p>{m.alerts_intro}</p>
            {(!s.errors.is_empty()).then(|| view! { <p role="alert">{m.alerts_errors}</p> })}
            {subscribe_form(lang, &s.form.target, &s.form.email, &s.errors)}
        }
        .into_any(),
    };
    view! {
        <Title text=m.alerts_title />
        {body}
        <p class="hint">{m.alerts_privacy}</p>
        <p><a href="/businesses">{m.businesses_back}</a></p>
    }
}
