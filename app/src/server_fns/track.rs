//! Tracking a case: what the tracking page shows, read with the browser's tracking cookie.

use crate::error::AppError;
use crate::views::track::TrackView;
use leptos::prelude::*;

/// The tracking view of `case_no`, if this browser's tracking cookie is for that case.
#[server]
pub async fn get_track(case_no: String) -> Result<Option<TrackView>, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            let cookie = use_context::<http::request::Parts>()
                .and_then(|p| p.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(str::to_owned))
                .unwrap_or_default();
            let now = time::OffsetDateTime::now_utc();
            let Some(no) = crate::service::track::tracked_case(&services.secret, &cookie, &case_no, now) else {
                return Ok(None);
            };
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
            }
            crate::service::track::view(&services, &no, now).await
        }
        .await,
    )
}
