//! The routes whose code the browser loads only when they are shown, in three groups, and how a
//! page opened directly starts in the browser ([`boot`]).
//!
//! Built with `cargo leptos build --split`, each group is one split point: its pages' code goes
//! into one module, and what groups share into shared modules, so a page needs at most five
//! WebAssembly files (the main module, its group's, up to three shared) however many pages there
//! are. A split point per page made 206 files, of which a page fetched up to 75. The main module
//! keeps only the frame every page has (router, layout); the messages come beside it
//! (`i18n::browser`). Without `--split` the same code is simply one module.
//!
//! - [`consumer_pages`]: what a consumer opens on a phone to look and follow: the home page, the
//!   tracking form and a case's page.
//! - [`filing_pages`]: the filing form and its receipt. Apart from the consumer's other pages, the
//!   home and tracking pages fetched 480 KB instead of 611 KB on a weak line and hydrated in
//!   3.6–3.8 s instead of 4.2 s (`scripts/bench-weak-line`, 2026-12-07); the form's own fetch is
//!   as small. (With the messages of one language, postcard, every component type-erased and the
//!   data files sent apart since: 339 KB, 3.0 s; see docs/performance.md.)
//! - [`desk_pages`]: the staff console, the open-day screen, and the reading pages (guide,
//!   statistics, typical cases) for when a page of the console links to them.
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// A page of the consumer group (`#[repr(u8)]`: it crosses the split point as a plain byte).
#[repr(u8)]
#[derive(Debug, Clone, Copy)]
pub enum Consumer {
    Home,
    TrackLookup,
    TrackCase,
    Recover,
    RecoverCases,
}

/// A page of the filing group.
#[repr(u8)]
#[derive(Debug, Clone, Copy)]
pub enum Filing {
    File,
    Receipt,
}

/// A page of the desk group.
#[repr(u8)]
#[derive(Debug, Clone, Copy)]
pub enum Desk {
    Guide,
    Api,
    Alerts,
    Businesses,
    BusinessRecord,
    Stats,
    Screen,
    Cases,
    StaffPublish,
    StaffLogin,
    StaffCode,
    StaffHome,
    StaffCase,
    StaffIntake,
    StaffAudit,
    StaffOutbox,
    StaffRegister,
    StaffObjections,
    BusinessQueue,
    BusinessCase,
    BusinessRecordConsole,
}

/// The consumer group's split point.
#[leptos::lazy]
fn consumer_pages(page: Consumer) -> AnyView {
    use super::*;
    match page {
        Consumer::Home => home::Home().into_any(),
        Consumer::TrackLookup => track::TrackLookupPage().into_any(),
        Consumer::TrackCase => track::TrackCasePage().into_any(),
        Consumer::Recover => recover::RecoverPage().into_any(),
        Consumer::RecoverCases => recover::RecoverCasesPage().into_any(),
    }
}

/// The filing group's split point.
#[leptos::lazy]
fn filing_pages(page: Filing) -> AnyView {
    use super::*;
    match page {
        Filing::File => file::FilePage().into_any(),
        Filing::Receipt => receipt::ReceiptPage().into_any(),
    }
}

/// The desk group's split point.
#[leptos::lazy]
fn desk_pages(page: Desk) -> AnyView {
    use super::*;
    match page {
        Desk::Guide => guide::GuidePage().into_any(),
        Desk::Api => api_doc::ApiPage().into_any(),
        Desk::Alerts => alerts::AlertsPage().into_any(),
        Desk::Businesses => businesses::BusinessesPage().into_any(),
        Desk::BusinessRecord => businesses::BusinessRecordPage().into_any(),
        Desk::Stats => stats::StatsPage().into_any(),
        Desk::Screen => screen::StatsScreenPage().into_any(),
        Desk::Cases => cases::CasesPage().into_any(),
        Desk::StaffPublish => cases::StaffPublishPage().into_any(),
        Desk::StaffLogin => staff::login::StaffLoginPage().into_any(),
        Desk::StaffCode => staff::login::StaffCodePage().into_any(),
        Desk::StaffHome => staff::queue::StaffHomePage().into_any(),
        Desk::StaffCase => staff::case::StaffCasePage().into_any(),
        Desk::StaffIntake => staff::intake::StaffIntakePage().into_any(),
        Desk::StaffAudit => staff::audit::StaffAuditPage().into_any(),
        Desk::StaffOutbox => staff::outbox::StaffOutboxPage().into_any(),
        Desk::StaffRegister => staff::register::StaffRegisterPage().into_any(),
        Desk::StaffObjections => staff::objections::StaffObjectionsPage().into_any(),
        Desk::BusinessQueue => staff::business::BusinessQueuePage().into_any(),
        Desk::BusinessCase => staff::business::BusinessCasePage().into_any(),
        Desk::BusinessRecordConsole => staff::objections::BusinessRecordConsolePage().into_any(),
    }
}

/// Declares a lazily loaded route: a page of a group.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $group:ident :: $page:ident, $load:ident, $preload:ident) => {
        $(#[$doc])*
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $load($group::$page).await
            }

            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }
        }
    };
}

macro_rules! consumer_page {
    ($(#[$doc:meta])* $route:ident => $page:ident) => {
        lazy_page!($(#[$doc])* $route => Consumer::$page, consumer_pages, __preload_consumer_pages);
    };
}

macro_rules! filing_page {
    ($(#[$doc:meta])* $route:ident => $page:ident) => {
        lazy_page!($(#[$doc])* $route => Filing::$page, filing_pages, __preload_filing_pages);
    };
}

macro_rules! desk_page {
    ($(#[$doc:meta])* $route:ident => $page:ident) => {
        lazy_page!($(#[$doc])* $route => Desk::$page, desk_pages, __preload_desk_pages);
    };
}

consumer_page!(/// `/`
    HomeRoute => Home);
filing_page!(/// `/file`
    FileRoute => File);
filing_page!(/// `/file/done/{case_no}`
    ReceiptRoute => Receipt);
consumer_page!(/// `/track`
    TrackLookupRoute => TrackLookup);
consumer_page!(/// `/track/{case_no}`
    TrackCaseRoute => TrackCase);
consumer_page!(/// `/track/recover`
    RecoverRoute => Recover);
consumer_page!(/// `/track/recover/cases`
    RecoverCasesRoute => RecoverCases);
desk_page!(/// `/guide`
    GuideRoute => Guide);
desk_page!(/// `/stats`
    StatsRoute => Stats);
desk_page!(/// `/api`
    ApiRoute => Api);
desk_page!(/// `/businesses`
    BusinessesRoute => Businesses);
desk_page!(/// `/alerts`, `/alerts/confirm`, `/alerts/unsubscribe`
    AlertsRoute => Alerts);
desk_page!(/// `/businesses/{key}`
    BusinessRecordRoute => BusinessRecord);
desk_page!(/// `/stats/screen`
    ScreenRoute => Screen);
desk_page!(/// `/cases`
    CasesRoute => Cases);
desk_page!(/// `/staff/publish`
    StaffPublishRoute => StaffPublish);
desk_page!(/// `/staff/login`
    StaffLoginRoute => StaffLogin);
desk_page!(/// `/staff/login/code`
    StaffCodeRoute => StaffCode);
desk_page!(/// `/staff`
    StaffHomeRoute => StaffHome);
desk_page!(/// `/staff/cases/{case_no}`
    StaffCaseRoute => StaffCase);
desk_page!(/// `/staff/intake`
    StaffIntakeRoute => StaffIntake);
desk_page!(/// `/staff/audit`
    StaffAuditRoute => StaffAudit);
desk_page!(/// `/staff/outbox`
    StaffOutboxRoute => StaffOutbox);
desk_page!(/// `/staff/register`
    StaffRegisterRoute => StaffRegister);
desk_page!(/// `/staff/objections`
    StaffObjectionsRoute => StaffObjections);
desk_page!(/// `/staff/business/record`
    BusinessRecordConsoleRoute => BusinessRecordConsole);
desk_page!(/// `/staff/business`
    BusinessQueueRoute => BusinessQueue);
desk_page!(/// `/staff/business/cases/{case_no}`
    BusinessCaseRoute => BusinessCase);

/// How a page opened directly (a full page load) starts in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boot {
    /// Sent without WebAssembly: the page only reads, and its links and forms work as they are
    /// (the reading pages, a receipt opened again, an unknown address).
    Static,
    /// Hydrated, loading the main module and the modules of the group of this name.
    Hydrate(&'static str),
}

/// How the page at `path` starts. The reading pages are sent as HTML alone: the guide, the
/// statistics and the typical cases have nothing to do in the browser that their links and `GET`
/// forms do not do, so a phone downloads no WebAssembly for them. A receipt opened again reads
/// only; the receipt shown after filing is reached inside the filing page, already hydrated.
pub fn boot(path: &str) -> Boot {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    match path {
        "/file" => Boot::Hydrate("filing_pages"),
        "/" | "/track" => Boot::Hydrate("consumer_pages"),
        p if p.starts_with("/track/") => Boot::Hydrate("consumer_pages"),
        "/stats/screen" => Boot::Hydrate("desk_pages"),
        p if p == "/staff" || p.starts_with("/staff/") => Boot::Hydrate("desk_pages"),
        _ => Boot::Static,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reading_pages_start_without_webassembly_and_the_working_pages_hydrate() {
        for p in ["/guide", "/stats", "/cases", "/file/done/QH-2026-000001", "/no-such-page", "/stats.csv"] {
            assert_eq!(boot(p), Boot::Static, "{p}");
        }
        assert_eq!(boot("/file"), Boot::Hydrate("filing_pages"));
        for p in ["/", "/track", "/track/QH-2026-000001", "/track/", "/track/recover", "/track/recover/cases"] {
            assert_eq!(boot(p), Boot::Hydrate("consumer_pages"), "{p}");
        }
        for p in ["/staff", "/staff/login", "/staff/cases/QH-2026-000001", "/stats/screen"] {
            assert_eq!(boot(p), Boot::Hydrate("desk_pages"), "{p}");
        }
        assert_eq!(boot("/staffroom"), Boot::Static);
    }
}
