//! Tracking a case: what the tracking page shows, read with the browser's tracking cookie; and
//! the cases a phone proven by a one-time code may open.

use crate::error::AppError;
use crate::views::track::{RecoveredCase, TrackView};
use leptos::prelude::*;

/// The tracking view of `case_no`, if this browser's tracking cookie is for that case.
#[server(output = crate::wire::Answer)]
pub async fn get_track(case_no: String) -> Result<Option<TrackView>, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            let cookie = crate::server_fns::Caller::read().cookies;
            let now = time::OffsetDateTime::now_utc();
            let Some(no) = crate::service::track::tracked_case(&services.secret, &cookie, &case_no, now) else {
                return Ok(None);
            };
            crate::server_fns::set_header(http::header::CACHE_CONTROL, "no-store", false);
            crate::service::track::view(&services, &no, now).await
        }
        .await,
    )
}

/// The cases of the phone this browser proved with a one-time code in the last minutes, newest
/// first (none once that has expired).
#[server(output = crate::wire::Answer)]
pub async fn get_recovered() -> Result<Vec<RecoveredCase>, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            let cookie = crate::server_fns::Caller::read().cookies;
            crate::server_fns::set_header(http::header::CACHE_CONTROL, "no-store", false);
            crate::service::recover::cases_view(&services, &cookie, time::OffsetDateTime::now_utc()).await
        }
        .await,
    )
}
