//! Businesses' complaint records in public.

use crate::error::AppError;
use crate::views::disclosure::{BusinessesParams, BusinessesView, RecordView};
use leptos::prelude::*;

/// The businesses matching a search (name or credit code, county, category).
#[server(output = crate::wire::Answer)]
pub async fn get_businesses(params: BusinessesParams) -> Result<BusinessesView, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            crate::service::disclosure::find(&services, &params, time::OffsetDateTime::now_utc()).await
        }
        .await,
    )
}

/// A business's record in `lang`, its complaints below `before` (a number; empty: the newest).
#[server(output = crate::wire::Answer)]
pub async fn get_record(key: String, before: String, lang: String) -> Result<RecordView, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            let lang = crate::i18n::Lang::from_tag(&lang).unwrap_or_default();
            let before = before.parse::<i64>().ok();
            crate::service::disclosure::record(&services, &key, before, lang, time::OffsetDateTime::now_utc()).await
        }
        .await,
    )
}

/// The objections awaiting a decision, for the signed-in handler (of its counties) or supervisor.
#[server(output = crate::wire::Answer)]
pub async fn get_objections() -> Result<crate::views::disclosure::ObjectionsView, AppError> {
    crate::server_fns::answer(
        async move {
            let staff = crate::server_fns::staff::current_staff().await?;
            let services = expect_context::<crate::service::state::Services>();
            crate::service::objections::view(&services, &staff).await
        }
        .await,
    )
}

/// The signed-in business's disclosed complaints and its objections.
#[server(output = crate::wire::Answer)]
pub async fn get_own_record() -> Result<crate::views::disclosure::OwnRecordView, AppError> {
    crate::server_fns::answer(
        async move {
            let staff = crate::server_fns::staff::current_staff().await?;
            let services = expect_context::<crate::service::state::Services>();
            crate::service::objections::own_record(&services, &staff).await
        }
        .await,
    )
}
