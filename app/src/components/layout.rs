//! The frame of every page: skip link, header with navigation and the language and text-size
//! switches, the demonstration-data banner, and the footer.

use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let prefs = use_prefs();
    let m = prefs.lang.msgs();
    let location = use_location();
    // The reading pages (guide, statistics, typical cases) are full page loads: the server sends
    // them as HTML alone, with no WebAssembly to fetch (see `pages::lazy::boot`).
    // The preference links return to the current page; `rel="external"` makes them full page
    // loads so that the server sets the cookie (and they work without JavaScript).
    let back = move || {
        let q = location.search.get();
        let path = location.pathname.get();
        let here = if q.is_empty() { path } else { format!("{path}?{q}") };
        encode(&here)
    };
    // A link to each other language, named in that language.
    let languages = move || {
        crate::i18n::Lang::ALL
            .into_iter()
            .filter(|l| *l != prefs.lang)
            .map(|l| {
                let href = format!("/prefs?lang={}&back={}", l.tag(), back());
                view! { <a href=href rel="external" lang=l.tag() hreflang=l.tag()>{l.name()}</a> }
            })
            .collect_view()
    };
    let text_href = move || format!("/prefs?text={}&back={}", if prefs.large { "normal" } else { "large" }, back());
    view! {
        <a class="skip" href="#main">{m.skip_to_content}</a>
        <header class="site-header">
            <div class="bar">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"12315"</span>
                    <span class="brand-name">{m.site_name}</span>
                </a>
                <div class="switches">
                    {languages}
                    <a href=text_href rel="external">{if prefs.large { m.large_text_off } else { m.large_text_on }}</a>
                </div>
            </div>
            <nav aria-label=m.nav_label>
                <ul>
                    <li><a href="/">{m.nav_home}</a></li>
                    <li><a href="/file">{m.nav_file}</a></li>
                    <li><a href="/track">{m.nav_track}</a></li>
                    <li><a href="/guide" rel="external">{m.nav_guide}</a></li>
                    <li><a href="/stats" rel="external">{m.nav_stats}</a></li>
                    <li><a href="/cases" rel="external">{m.nav_cases}</a></li>
                    <li><a href="/businesses" rel="external">{m.nav_businesses}</a></li>
                </ul>
            </nav>
            // Inside the header landmark, so that every part of the page is in a landmark.
            {(!m.lang_review_note.is_empty()).then(|| view! { <p class="review-note" role="note">{m.lang_review_note}</p> })}
            {prefs.demo.then(|| view! { <p class="demo-banner" role="note">{m.demo_banner}</p> })}
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{m.footer_text}</p>
        </footer>
    }
}

/// Percent-encodes a path for use as a query value.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
