//! Typical cases: the public list and the supervisors' review queue.

use crate::error::AppError;
use crate::views::publish::{CasesParams, CasesView, Draft};
use leptos::prelude::*;

/// Approved typical cases, narrowed by category and prefecture.
#[server(output = crate::wire::Answer)]
pub async fn get_cases(params: CasesParams) -> Result<CasesView, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            let (cases, next) = crate::service::publish::list(&services, &params).await?;
            Ok(CasesView { cases, next })
        }
        .await,
    )
}

/// The drafts waiting for a supervisor's review.
#[server(output = crate::wire::Answer)]
pub async fn get_publish_queue() -> Result<Vec<Draft>, AppError> {
    crate::server_fns::answer(
        async move {
            let staff = crate::server_fns::staff::current_staff().await?;
            let services = expect_context::<crate::service::state::Services>();
            crate::service::publish::candidates(&services, &staff, 20).await
        }
        .await,
    )
}
