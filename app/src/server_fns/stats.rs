//! The public statistics of a period, with their charts drawn on the server.

use crate::error::AppError;
use crate::views::stats::{ScreenData, StatsData};
use leptos::prelude::*;

/// The figures of `period` (`2026`, `2026-Q3`, `2026-07`; the current year if empty) in `lang`.
#[server(output = crate::wire::Answer)]
pub async fn get_stats(period: String, lang: String) -> Result<StatsData, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            let lang = crate::i18n::Lang::from_tag(&lang).unwrap_or_default();
            let now = time::OffsetDateTime::now_utc();
            let figures = &services.figures;
            let period = &period;
            services
                .read_lagging(
                    |store| async move { crate::service::stats::page(&store, figures, period, lang, now).await },
                )
                .await
        }
        .await,
    )
}

/// The screen's first view in `lang`.
#[server(output = crate::wire::Answer)]
pub async fn get_screen(lang: String) -> Result<ScreenData, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            let lang = crate::i18n::Lang::from_tag(&lang).unwrap_or_default();
            crate::service::screen::first_view(&services, lang, time::OffsetDateTime::now_utc()).await
        }
        .await,
    )
}
