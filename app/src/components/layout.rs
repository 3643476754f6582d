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
    // The preference links return to the current page; `rel="external"` makes them full page
    // loads so that the server sets the cookie (and they work without JavaScript).
    let back = move || {
        let q = location.search.get();
        let path = location.pathname.get();
        let here = if q.is_empty() { path } else { format!("{path}?{q}") };
        encode(&here)
    };
    let lang_href = move || format!("/prefs?lang={}&back={}", m.other_lang_tag, back());
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
                    <a href=lang_href rel="external" lang=m.other_lang_tag hreflang=m.other_lang_tag>{m.other_lang}</a>
                    <a href=text_href rel="external">{if prefs.large { m.large_text_off } else { m.large_text_on }}</a>
                </div>
            </div>
            <nav aria-label=m.nav_label>
                <ul>
                    <li><a href="/">{m.nav_home}</a></li>
                    <li><a href="/file">{m.nav_file}</a></li>
                    <li><a href="/track">{m.nav_track}</a></li>
                    <li><a href="/guide">{m.nav_guide}</a></li>
                    <li><a href="/stats">{m.nav_stats}</a></li>
                    <li><a href="/cases">{m.nav_cases}</a></li>
                </ul>
            </nav>
        </header>
        {prefs.demo.then(|| view! { <p class="demo-banner" role="note">{m.demo_banner}</p> })}
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
