//! The business step's look-up in the register: while the consumer types the business's name
//! (in the county chosen, if one is), the entries of the register with such a name are offered,
//! and picking one fills in its name, credit code, address and county — so that a member of the
//! ODR lane is recognised without the consumer knowing its code.
//!
//! With JavaScript the entries follow the typing (asked 300 ms after it stops) and a pick fills
//! the form in the browser. Without it the same buttons post the form: "find" (`go=lookup`)
//! renders the step again with the entries, and an entry (`pick=<credit code>`) with the form
//! filled from the register by the server.

use crate::domain::business::{worth_looking_up, PublicEntry};
use crate::domain::filing::FilingForm;
use crate::domain::region;
use crate::i18n::{fill, Lang};
use leptos::prelude::*;

/// What the look-up depends on: the name, the credit code (none yet) and the county.
fn asked_of(f: &FilingForm) -> (String, String, String) {
    (f.business_name.clone(), f.business_credit_code.clone(), f.business_county.clone())
}

pub(super) fn register_lookup(lang: Lang, form: RwSignal<FilingForm>) -> impl IntoView {
    let m = lang.msgs();
    let asked = RwSignal::new(form.with_untracked(asked_of));
    let taken = RwSignal::new(false);
    // With JavaScript: asked again once the typing has paused (not at every key).
    #[cfg(feature = "hydrate")]
    {
        let typed = Memo::new(move |_| form.with(asked_of));
        Effect::new(move |first: Option<()>| {
            let now = typed.get();
            if first.is_some() {
                set_timeout(
                    move || {
                        if typed.try_get_untracked().as_ref() == Some(&now) {
                            asked.try_set(now);
                        }
                    },
                    std::time::Duration::from_millis(300),
                );
            }
        });
    }
    // Blocking: without JavaScript the entries are in the server's page itself.
    let found = crate::wire::blocking(
        move || asked.get(),
        |(name, code, county)| async move {
            if !worth_looking_up(&name, &code) {
                return Ok(Vec::new());
            }
            crate::server_fns::odr::find_in_register(name, code, county).await
        },
    );
    let pick = move |entry: PublicEntry| {
        form.update(|f| f.take_business(&entry));
        taken.set(true);
        crate::components::form::focus("business_credit_code");
    };
    let entries = move || {
        Suspend::new(async move {
            let hits: Vec<PublicEntry> = found.await.unwrap_or_default();
            let (name, code, _) = asked.get_untracked();
            if !worth_looking_up(&name, &code) {
                return ().into_any();
            }
            if hits.is_empty() {
                return view! { <p class="hint">{fill(m.file_register_none, &[("name", &name.trim())])}</p> }
                    .into_any();
            }
            view! {
                <p class="hint" id="register-hits-title">{m.file_register_hits}</p>
                <ul class="register-hits" aria-labelledby="register-hits-title">
                    {hits.into_iter().map(|e| {
                        let county = region::county(&e.county).map(|c| lang.pick(&c.zh, &c.en).to_owned()).unwrap_or_default();
                        let where_ = format!("{} · {}", e.address, county);
                        let member = e.member.then(|| view! { <span class="badge">{m.file_register_member}</span> });
                        let code = e.credit_code.clone();
                        let name = e.name.clone();
                        view! {
                            <li>
                                <button type="submit" name="pick" value=code class="secondary"
                                    on:click=move |ev| { ev.prevent_default(); pick(e.clone()); }>
                                    {name}
                                </button>
                                <span class="hint">{where_} " " {member}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })
    };
    view! {
        <div class="register-lookup" data-testid="register-lookup">
            <button type="submit" name="go" value="lookup" class="secondary"
                on:click=move |ev| { ev.prevent_default(); asked.set(form.with_untracked(asked_of)); }>
                {m.file_register_find}
            </button>
            <div aria-live="polite">
                <Suspense fallback=|| ()>{entries}</Suspense>
                {move || taken.get().then(|| view! { <p class="notice" role="status">{m.file_register_taken}</p> })}
            </div>
        </div>
    }
}
