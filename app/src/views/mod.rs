//! What pages show and what the plain-form routes hand back to them: the view types services
//! return, and their formatting (money, percentages, periods, charts, the walk-through panel).
//! Below the services: a view imports only the domain, `i18n` and `error`, never a port, a
//! service, a server function or a page.

#[cfg(feature = "ssr")]
pub mod charts;
pub mod disclosure;
pub mod forms;
#[cfg(feature = "ssr")]
pub mod guide;
pub mod odr;
pub mod publish;
pub mod receipt;
#[cfg(feature = "ssr")]
pub mod screen;
pub mod staff;
pub mod stats;
pub mod track;
