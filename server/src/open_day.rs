//! Open-day routes outside the Leptos pages: the statistics as CSV.

use app::Services;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(serde::Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    period: String,
}

/// `GET /stats.csv?period=…`: the aggregate tables of the period, in the reader's language.
pub async fn stats_csv(State(services): State<Services>, headers: HeaderMap, Query(q): Query<PeriodQuery>) -> Response {
    let today = app::service::china_date(time::OffsetDateTime::now_utc());
    let period =
        match app::service::stats::parse_period(&q.period, today) {
            Ok(p) => p,
            Err(_) => return (
                StatusCode::UNPROCESSABLE_ENTITY,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "统计期间格式不对：请写 2026、2026-Q3 或 2026-07。\nInvalid period: write 2026, 2026-Q3 or 2026-07.\n",
            )
                .into_response(),
        };
    match app::service::stats::figures(services.cases.as_ref(), period).await {
        Ok(f) => {
            let lang = crate::web::lang_of(&headers);
            let name = format!("attachment; filename=\"12315-stats-{}.csv\"", period.code());
            (
                [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, name)],
                app::service::stats::csv(&f, lang),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "statistics");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
