//! `/guide` — the workflow explained: what 12315 accepts and does not, the steps and their
//! deadlines (from the rule set in force, never written into the page), how to prepare evidence,
//! the consumer's basic rights and an FAQ (markdown in `app/content/`, rendered on the server).

use crate::domain::rules::{self, Unit};
use crate::prefs::use_prefs;
use crate::server_fns::guide::get_guide;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn GuidePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let rs = rules::in_force_on(crate::pages::home::today_in_china());
    let code = lang.tag();
    let prose = crate::wire::blocking(move || code.to_owned(), |l| async move { get_guide(l).await });
    let period = move |days: u32, unit: Unit| {
        let m = lang.msgs();
        let unit = match unit {
            Unit::Working => m.working_days,
            Unit::Calendar => m.calendar_days,
        };
        format!("{days}{unit}")
    };
    let steps = [
        (lang.msgs().guide_received, lang.msgs().guide_registered_when_you_file),
        (lang.msgs().guide_acceptance_decision, lang.msgs().guide_accepted_or_not_accepted),
        (lang.msgs().guide_mediation, lang.msgs().guide_online_by_phone_or),
        (lang.msgs().guide_outcome, lang.msgs().guide_an_agreement_or_mediation),
        (lang.msgs().guide_closed_and_rated, lang.msgs().guide_after_closure_you_may),
    ];
    let deadlines: Vec<_> = rs.deadlines.values().cloned().collect();
    let grounds = rs.refusal_grounds.clone();
    let follow_up = rs.follow_up.clone();
    let title = lang.pick(&rs.title.zh, &rs.title.en).to_owned();
    view! {
        <Title text=lang.msgs().guide_guide_qinghai_12315 />
        <h1>{lang.msgs().guide_how_12315_works}</h1>
        <p class="hint" data-testid="rule-set">{lang.msgs().guide_rules_in_force}{title}</p>
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || Suspend::new(async move {
                let html = prose.await.unwrap_or_default();
                view! { <article class="prose" data-testid="guide-text" inner_html=html></article> }
            })}
        </Suspense>
        <h2 id="steps">{lang.msgs().guide_steps_and_deadlines}</h2>
        <ol class="flow" data-testid="flow">
            {steps.into_iter().map(|(name, text)| view! { <li><strong>{name}</strong>" "{text}</li> }).collect_view()}
        </ol>
        <div class="table-wrap" tabindex="0" role="region" aria-label=lang.msgs().guide_deadlines_scrolls_sideways>
            <table data-testid="deadlines">
                <caption>{lang.msgs().guide_deadlines}</caption>
                <thead><tr>
                    <th scope="col">{lang.msgs().guide_rule}</th>
                    <th scope="col">{lang.msgs().guide_period}</th>
                    <th scope="col">{lang.msgs().guide_article}</th>
                </tr></thead>
                <tbody>
                    {deadlines.into_iter().map(|d| view! {
                        <tr>
                            <td>{lang.pick(&d.zh, &d.en).to_owned()}</td>
                            <td>{period(d.days, d.unit)}</td>
                            <td>{crate::i18n::article(lang, &d.article, d.verified)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="hint">{lang.pick(&rs.counting.note.zh, &rs.counting.note.en).to_owned()}</p>
        <p class="hint" data-testid="pause-rule">
            {lang.pick(&rs.pause.zh, &rs.pause.en).to_owned()}
            {format!("（{}）", crate::i18n::article(lang, &rs.pause.article, rs.pause.verified))}
        </p>
        {follow_up.map(|f| view! {
            <p class="hint" data-testid="follow-up-rule">
                {lang.pick(&f.zh, &f.en).to_owned()}
                {match (&f.article, f.verified) {
                    (Some(a), v) => Some(format!("（{}）", crate::i18n::article(lang, a, v))),
                    (None, false) => Some(lang.msgs().track_article_unverified.to_owned()),
                    (None, true) => None,
                }}
            </p>
        })}
        <h2 id="not-accepted">{lang.msgs().guide_when_a_complaint_is}</h2>
        <ol data-testid="grounds">
            {grounds.into_iter().map(|g| view! {
                <li>{lang.pick(&g.zh, &g.en).to_owned()}<span class="hint">{format!("（{}）", crate::i18n::article(lang, &g.article, g.verified))}</span></li>
            }).collect_view()}
        </ol>
        <p><a href="/file" class="button primary">{lang.msgs().guide_file_a_complaint_report}</a></p>
    }
}
