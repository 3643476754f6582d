//! The review step's question for a complaint about a member of the ODR lane: send it to the
//! business first? Asked with what happens then (its days, the bureau after it) in the
//! consumer's language; the server renders it too, so it is asked without JavaScript.

use super::controls::radios;
use crate::components::form::Errors;
use crate::domain::filing::FilingForm;
use crate::i18n::{fill, Lang};
use leptos::prelude::*;

pub(super) fn odr_question(lang: Lang, form: RwSignal<FilingForm>, errors: Errors) -> impl IntoView {
    let f = form.get_untracked();
    // Blocking: the server sends the question in the page itself, so it is asked without
    // JavaScript too (a streamed part would need a script to show).
    let member = crate::wire::blocking(
        move || (f.business_credit_code.clone(), f.kind.clone()),
        |(code, kind)| async move {
            if !crate::domain::odr::worth_asking(&kind, &code) {
                return Ok(None);
            }
            crate::server_fns::odr::get_odr_member(code, kind).await
        },
    );
    let m = lang.msgs();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match member.await {
                    Ok(Some(b)) => view! {
                        <section class="panel" data-testid="odr-question">
                            <p>{fill(m.odr_explain, &[("business", &b.name), ("days", &b.days)])}</p>
                            {(!b.verified).then(|| view! { <p class="hint">{fill(m.odr_unverified, &[("source", &b.source)])}</p> })}
                            {radios(lang, form, errors, "odr", vec![("yes", m.odr_yes, false), ("no", m.odr_no, false)])}
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}
