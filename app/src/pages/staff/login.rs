//! `/staff/login` — staff sign-in: a plain HTML form handled by the server (`server/src/staff.rs`), so it works without JavaScript.

use crate::components::form::{alert, aria_invalid, described_by, field_error};
use crate::domain::staff::LoginForm;
use crate::prefs::use_prefs;
use crate::views::forms::LoginState;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let state = crate::components::form_state::read::<LoginState>("login-state");
    let errors = RwSignal::new(state.errors.clone());
    let username = RwSignal::new(state.username.clone());
    let password = RwSignal::new(String::new());
    for (id, signal) in [("username", username), ("password", password)] {
        if let Some(typed) = crate::components::form_state::typed_before_hydration(id) {
            signal.set(typed);
        }
    }
    let problem = state.problem.map(|p| {
        let text = match p {
            429 => lang.msgs().staff_login_too_many_attempts_this,
            503 => lang.msgs().staff_login_the_server_is_busy,
            _ => lang.msgs().staff_login_wrong_user_name_or,
        };
        alert(text.to_owned(), None)
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let form = LoginForm { username: username.get_untracked(), password: password.get_untracked() };
        if let Err(errs) = form.parse() {
            ev.prevent_default();
            errors.set(errs);
        }
    };
    view! {
        <Title text=lang.msgs().staff_login_staff_sign_in_qinghai />
        {crate::components::form_state::script("login-state", &state)}
        <section class="panel">
            <h1>{lang.msgs().staff_login_staff_sign_in}</h1>
            {problem}
            <form method="post" action="/staff/login" novalidate on:submit=on_submit>
                <div class="field">
                    <label for="username">{lang.msgs().staff_login_user_name}</label>
                    {field_error(lang, errors, "username")}
                    <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none"
                        value=state.username.clone() prop:value=move || username.get()
                        aria-invalid=aria_invalid(errors, "username")
                        aria-describedby=described_by(errors, "username", false)
                        on:input=move |ev| username.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="password">{lang.msgs().staff_login_password}</label>
                    {field_error(lang, errors, "password")}
                    <input id="password" name="password" type="password" autocomplete="current-password"
                        aria-invalid=aria_invalid(errors, "password")
                        aria-describedby=described_by(errors, "password", false)
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="primary">{lang.msgs().staff_login_sign_in}</button>
            </form>
        </section>
    }
}

/// `/staff/login/code` — the second step of sign-in: the code of the authenticator app (or a
/// recovery code); at the first sign-in of an account that needs one, the secret to add to the
/// app first, and afterwards the recovery codes, shown once. Plain forms handled by the server
/// (`server/src/staff.rs`), so it works without JavaScript.
#[component]
pub fn StaffCodePage() -> impl IntoView {
    use crate::domain::staff::CodeForm;
    use crate::views::forms::{CodeStage, CodeState};
    let lang = use_prefs().lang;
    let m = lang.msgs();
    let state = crate::components::form_state::read::<CodeState>("code-state");
    let errors = RwSignal::new(state.errors.clone());
    let code = RwSignal::new(String::new());
    if let Some(typed) = crate::components::form_state::typed_before_hydration("code") {
        code.set(typed);
    }
    let problem = state.problem.map(|p| {
        alert(if p == 429 { m.staff_code_too_many } else { m.staff_code_wrong }.to_owned(), Some("code-problem"))
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if let Err(errs) = (CodeForm { code: code.get_untracked() }).parse() {
            ev.prevent_default();
            errors.set(errs);
        }
    };
    let form = move || {
        view! {
            <form method="post" action="/staff/login/code" novalidate on:submit=on_submit>
                <div class="field">
                    <label for="code">{m.staff_code_label}</label>
                    {field_error(lang, errors, "code")}
                    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                        autocapitalize="characters" spellcheck="false"
                        aria-invalid=aria_invalid(errors, "code")
                        aria-describedby=described_by(errors, "code", false)
                        on:input=move |ev| code.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="primary">{m.staff_code_submit}</button>
            </form>
        }
    };
    let body = match state.stage.clone() {
        CodeStage::Expired => view! {
            <p role="alert" data-testid="code-expired">{m.staff_code_expired}</p>
            <p><a href="/staff/login">{m.staff_code_sign_in_again}</a></p>
        }
        .into_any(),
        CodeStage::Code => view! { <p>{m.staff_code_enter}</p> {form()} }.into_any(),
        CodeStage::Enrol { secret, qr_svg } => view! {
            <p>{m.staff_code_enrol_intro}</p>
            <figure class="qr">
                <div role="img" aria-label=m.staff_code_qr_label inner_html=qr_svg></div>
            </figure>
            <p>{m.staff_code_secret} ": " <code class="secret" data-testid="totp-secret">{secret}</code></p>
            <p>{m.staff_code_enrol_confirm}</p>
            {form()}
        }
        .into_any(),
        CodeStage::Recovery { codes } => view! {
            <h2>{m.staff_code_recovery_heading}</h2>
            <p>{m.staff_code_recovery_intro}</p>
            <ol class="recovery-codes" data-testid="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
            // A full load, not the router's: the server sends each account to its own console
            // (a business's is /staff/business).
            <p><a class="button primary" href="/staff" rel="external">{m.staff_code_continue}</a></p>
        }
        .into_any(),
    };
    view! {
        <Title text=m.staff_code_title />
        {crate::components::form_state::script("code-state", &state)}
        <section class="panel">
            <h1>{m.staff_code_heading}</h1>
            {problem}
            {body}
        </section>
    }
}
