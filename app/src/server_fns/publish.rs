//! Typical cases: the public list and the supervisors' review queue.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A typical case drafted from a closed, consented item: its facts redacted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    pub case_no: String,
    pub kind: String,
    pub category: String,
    pub prefecture: String,
    pub closed_on: String,
    pub facts: String,
    pub result: String,
}

/// A supervisor's decision on one draft, as the form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReviewForm {
    pub case_no: String,
    /// The facts as the supervisor left them (they may redact more by hand).
    pub facts: String,
    /// `approve` or `reject`.
    pub decision: String,
}

/// What the public list is asked for in the address bar.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CasesParams {
    pub category: String,
    pub prefecture: String,
    pub before: String,
}

/// A page of typical cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasesView {
    pub cases: Vec<Draft>,
    /// The `before` of the next page.
    pub next: Option<String>,
}

/// Approved typical cases, narrowed by category and prefecture.
#[server]
pub async fn get_cases(params: CasesParams) -> Result<CasesView, AppError> {
    let services = expect_context::<crate::Services>();
    let (cases, next) = crate::service::publish::list(&services, &params).await?;
    Ok(CasesView { cases, next })
}

/// The drafts waiting for a supervisor's review.
#[server]
pub async fn get_publish_queue() -> Result<Vec<Draft>, AppError> {
    let staff = crate::server_fns::staff::current_staff().await?;
    let services = expect_context::<crate::Services>();
    crate::service::publish::candidates(&services, &staff, 20).await
}
