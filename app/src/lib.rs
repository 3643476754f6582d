//! The portal's application: the shared domain model, the pages and the server functions.
//! Compiled twice — with `ssr` into the server and with `hydrate` into the browser bundle.

#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
pub mod boot;
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod metadata;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod prefs;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
pub mod views;
pub mod wire;

#[cfg(feature = "ssr")]
pub use service::state::Services;

use crate::components::layout::Layout;
use crate::prefs::Prefs;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};
use pages::lazy;

/// Server-side facts the pages need: given to every render as context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SiteConfig {
    /// The database holds synthetic demonstration data.
    pub demo: bool,
}

/// The HTML document around the app, rendered on the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::{HashedStylesheet, MetaTags};
    let config = use_context::<SiteConfig>().unwrap_or_default();
    let parts = use_context::<http::request::Parts>();
    let cookies = parts
        .as_ref()
        .and_then(|p| p.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_default();
    let start = lazy::boot(parts.as_ref().map(|p| p.uri.path()).unwrap_or("/"));
    // The evidence uploads' progress and photo scaling (1.3 KB), on the consumer's pages: the
    // filing form is also reached from them without a page load.
    let consumer = matches!(start, lazy::Boot::Hydrate("consumer_pages" | "filing_pages"));
    let uploads = consumer.then(|| view! { <script src="/upload.js" defer=""></script> });
    let prefs = Prefs::from_cookie_header(&cookies, config.demo);
    provide_context(prefs);
    security::provide_nonce_and_csp();
    let class = if prefs.large { "large" } else { "" };
    view! {
        <!DOCTYPE html>
        <html
            lang=prefs.lang.tag()
            class=class
            data-demo=if prefs.demo { "1" } else { "0" }
            data-static=(start == lazy::Boot::Static).then_some("1")
        >
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <meta name="theme-color" content="#0b5394" />
                <script src="/offline.js" defer=""></script>
                {uploads}
                <HashedStylesheet options=options.clone() id="leptos" />
                {boot::scripts(&options, start, prefs.lang)}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
mod security {
    use leptos::prelude::*;

    /// Gives the page a fresh CSP nonce (used by the hydration scripts) and sends the matching
    /// Content-Security-Policy header.
    pub fn provide_nonce_and_csp() {
        leptos::nonce::provide_nonce();
        let nonce = leptos::nonce::use_nonce().map(|n| n.to_string()).unwrap_or_default();
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            let csp = format!(
                "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
                 img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
                 form-action 'self'; frame-ancestors 'none'"
            );
            if let Ok(v) = http::HeaderValue::from_str(&csp) {
                res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
            }
        }
    }
}

/// Reads the preferences back from the server-rendered document.
#[cfg(feature = "hydrate")]
fn prefs_from_document() -> Prefs {
    let root = document().document_element();
    let attr = |name: &str| root.as_ref().and_then(|r| r.get_attribute(name)).unwrap_or_default();
    Prefs {
        lang: i18n::Lang::from_tag(&attr("lang")).unwrap_or_default(),
        large: attr("class").split_whitespace().any(|c| c == "large"),
        demo: attr("data-demo") == "1",
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    #[cfg(feature = "hydrate")]
    provide_context(prefs_from_document());
    let prefs = prefs::use_prefs();
    let m = prefs.lang.msgs();
    view! {
        <Title text=m.site_name />
        <Meta name="description" content=m.home_lead />
        <Router>
            <Layout>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view={Lazy::<lazy::HomeRoute>::new()} />
                    // Async: the review step's question about a business of the ODR lane (a blocking
                    // resource) is in the page the server sends, as a form without JavaScript needs.
                    <Route path=path!("/file") view={Lazy::<lazy::FileRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/file/done/:case_no") view={Lazy::<lazy::ReceiptRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/track") view={Lazy::<lazy::TrackLookupRoute>::new()} />
                    <Route path=path!("/guide") view={Lazy::<lazy::GuideRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/stats") view={Lazy::<lazy::StatsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/stats/screen") view={Lazy::<lazy::ScreenRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/cases") view={Lazy::<lazy::CasesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/api") view={Lazy::<lazy::ApiRoute>::new()} />
                    <Route path=path!("/businesses") view={Lazy::<lazy::BusinessesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/alerts") view={Lazy::<lazy::AlertsRoute>::new()} />
                    <Route path=path!("/alerts/confirm") view={Lazy::<lazy::AlertsRoute>::new()} />
                    <Route path=path!("/alerts/unsubscribe") view={Lazy::<lazy::AlertsRoute>::new()} />
                    <Route path=path!("/businesses/:key") view={Lazy::<lazy::BusinessRecordRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/publish") view={Lazy::<lazy::StaffPublishRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/login") view={Lazy::<lazy::StaffLoginRoute>::new()} />
                    <Route path=path!("/staff/login/code") view={Lazy::<lazy::StaffCodeRoute>::new()} />
                    <Route path=path!("/staff") view={Lazy::<lazy::StaffHomeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/cases/:case_no") view={Lazy::<lazy::StaffCaseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/intake") view={Lazy::<lazy::StaffIntakeRoute>::new()} />
                    <Route path=path!("/staff/audit") view={Lazy::<lazy::StaffAuditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/outbox") view={Lazy::<lazy::StaffOutboxRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/register") view={Lazy::<lazy::StaffRegisterRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/objections") view={Lazy::<lazy::StaffObjectionsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/business/record") view={Lazy::<lazy::BusinessRecordConsoleRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/business") view={Lazy::<lazy::BusinessQueueRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/business/cases/:case_no") view={Lazy::<lazy::BusinessCaseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/track/recover") view={Lazy::<lazy::RecoverRoute>::new()} />
                    <Route path=path!("/track/recover/cases") view={Lazy::<lazy::RecoverCasesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/track/:case_no") view={Lazy::<lazy::TrackCaseRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate(messages: String, data: Vec<u8>) {
    console_error_panic_hook::set_once();
    // The page's messages and the data files, which the start script fetched beside the
    // WebAssembly: without them the page stays as the server sent it (its links and forms work
    // as without JavaScript).
    if !i18n::browser::load(messages) {
        leptos::logging::warn!("the page's messages could not be read: the page is not hydrated");
        return;
    }
    if !domain::shipped::install(&data) {
        leptos::logging::warn!("the data files could not be read: the page is not hydrated");
        return;
    }
    // Hydrated asynchronously: a lazily loaded route's module is fetched before its HTML is taken over.
    _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let owner = leptos::mount::hydrate_from_async(document().body().expect("the document has a body"), App).await;
        owner.forget();
        // Lets tests (and curious people) see that the page is interactive.
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "1");
        }
    });
}
