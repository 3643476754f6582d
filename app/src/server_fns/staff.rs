//! The staff console's server functions. Each one finds the signed-in staff member from the
//! session cookie itself and refuses anyone else: hiding a button is never the only check.

use crate::error::AppError;
use crate::views::staff::{AuditPage, OutboxPage, QueueView, StaffCaseView};
use leptos::prelude::*;

/// The signed-in staff member, or `Unauthorized`.
#[cfg(feature = "ssr")]
pub async fn current_staff() -> Result<crate::domain::staff::Staff, AppError> {
    let parts = use_context::<http::request::Parts>();
    // A staff page's request has passed the session check already (the server's staff gate).
    if let Some(staff) = parts.as_ref().and_then(|p| p.extensions.get::<crate::domain::staff::Staff>()) {
        return Ok(staff.clone());
    }
    let services = expect_context::<crate::service::state::Services>();
    let cookie = crate::server_fns::Caller::read().cookies;
    crate::service::staff::session(&services, &cookie, time::OffsetDateTime::now_utc())
        .await?
        .ok_or(AppError::Unauthorized)
}

/// A page of the work queue the signed-in staff member may see.
#[server(output = crate::wire::Answer)]
pub async fn get_queue(params: crate::domain::queue::QueueParams) -> Result<QueueView, AppError> {
    crate::server_fns::answer(
        async move {
            let staff = current_staff().await?;
            let services = expect_context::<crate::service::state::Services>();
            crate::service::queue::page(&services, &staff, &params, time::OffsetDateTime::now_utc()).await
        }
        .await,
    )
}

/// A case, for the signed-in staff member, if their role and bureau allow it.
#[server(output = crate::wire::Answer)]
pub async fn get_staff_case(case_no: String) -> Result<StaffCaseView, AppError> {
    crate::server_fns::answer(
        async move {
            let staff = current_staff().await?;
            let services = expect_context::<crate::service::state::Services>();
            let no = crate::domain::case::CaseNo::parse(&case_no).map_err(|_| AppError::NotFound)?;
            crate::service::console::case_view(&services, &staff, &no, time::OffsetDateTime::now_utc()).await
        }
        .await,
    )
}

/// A page of the audit log (100 entries, newest first, before the entry `before`), for
/// supervisors and admins.
#[server(output = crate::wire::Answer)]
pub async fn get_audit(before: Option<i64>) -> Result<AuditPage, AppError> {
    crate::server_fns::answer(
        async move {
            let staff = current_staff().await?;
            let services = expect_context::<crate::service::state::Services>();
            crate::service::staff::audit_page(&services, &staff, before).await
        }
        .await,
    )
}

/// A page of the outbox (messages to consumers, newest first; `state` one of `pending`, `sent`,
/// `failed`, or empty for all), for supervisors and admins.
#[server(output = crate::wire::Answer)]
pub async fn get_outbox(state: String, page: i64) -> Result<OutboxPage, AppError> {
    crate::server_fns::answer(
        async move {
            let staff = current_staff().await?;
            let services = expect_context::<crate::service::state::Services>();
            let state = crate::domain::notify::NoticeState::from_code(&state);
            crate::service::notify::outbox_page(&services, &staff, state, page).await
        }
        .await,
    )
}
