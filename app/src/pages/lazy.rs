//! The routes whose code the browser loads only when they are visited.
//!
//! The filing journey (`/file`) and the not-found page stay in the main WebAssembly module; every
//! other page is a [`LazyRoute`]: built with `cargo leptos build --split`, its view and everything
//! only it uses go into a separate module that is fetched when the route is first shown (the
//! server's HTML names it in a `<link rel="preload">`, so a page opened directly loads it beside the
//! main module). Without `--split` the same code is simply one module.
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// Declares a lazily loaded route for a page component that takes no props.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    };
}

lazy_page!(/// `/`
    HomeRoute => super::home::Home);
lazy_page!(/// `/file/done/{case_no}`
    ReceiptRoute => super::receipt::ReceiptPage);
lazy_page!(/// `/track`
    TrackLookupRoute => super::track::TrackLookupPage);
lazy_page!(/// `/track/{case_no}`
    TrackCaseRoute => super::track::TrackCasePage);
lazy_page!(/// `/guide`
    GuideRoute => super::guide::GuidePage);
lazy_page!(/// `/stats`
    StatsRoute => super::stats::StatsPage);
lazy_page!(/// `/stats/screen`
    ScreenRoute => super::screen::StatsScreenPage);
lazy_page!(/// `/cases`
    CasesRoute => super::cases::CasesPage);
lazy_page!(/// `/staff/publish`
    StaffPublishRoute => super::cases::StaffPublishPage);
lazy_page!(/// `/staff/login`
    StaffLoginRoute => super::staff::login::StaffLoginPage);
lazy_page!(/// `/staff/login/code`
    StaffCodeRoute => super::staff::login::StaffCodePage);
lazy_page!(/// `/staff`
    StaffHomeRoute => super::staff::queue::StaffHomePage);
lazy_page!(/// `/staff/cases/{case_no}`
    StaffCaseRoute => super::staff::case::StaffCasePage);
lazy_page!(/// `/staff/intake`
    StaffIntakeRoute => super::staff::intake::StaffIntakePage);
lazy_page!(/// `/staff/audit`
    StaffAuditRoute => super::staff::audit::StaffAuditPage);
lazy_page!(/// `/staff/outbox`
    StaffOutboxRoute => super::staff::outbox::StaffOutboxPage);
