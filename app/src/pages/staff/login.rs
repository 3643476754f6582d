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
