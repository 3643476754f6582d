//! The staff console's server functions. Each one finds the signed-in staff member from the
//! session cookie itself and refuses anyone else: hiding a button is never the only check.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueLine {
    pub case_no: String,
    pub kind: String,
    pub state: String,
    pub bureau_zh: String,
    pub bureau_en: String,
    pub category: String,
    pub received_on: String,
    /// The acceptance decision's due date, while one is awaited.
    pub due_on: Option<String>,
    pub working_days_left: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub username: String,
    pub role: String,
    pub bureau_zh: Option<String>,
    pub bureau_en: Option<String>,
    pub lines: Vec<QueueLine>,
    /// The `before` of the next page.
    pub next: Option<i64>,
}

/// The signed-in staff member, or `Unauthorized`.
#[cfg(feature = "ssr")]
pub async fn current_staff() -> Result<crate::domain::staff::Staff, AppError> {
    let services = expect_context::<crate::Services>();
    let cookie = use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_default();
    crate::service::staff::session(&services, &cookie, time::OffsetDateTime::now_utc())
        .await?
        .ok_or(AppError::Unauthorized)
}

/// A page of the work queue the signed-in staff member may see.
#[server]
pub async fn get_queue(state: String, kind: String, before: Option<i64>) -> Result<QueueView, AppError> {
    let staff = current_staff().await?;
    let services = expect_context::<crate::Services>();
    crate::service::queue::page(&services, &staff, &state, &kind, before, time::OffsetDateTime::now_utc()).await
}
