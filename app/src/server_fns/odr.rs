//! The business console's server functions: the signed-in business's own lane only.

use crate::error::AppError;
use crate::views::odr::{OdrCaseView, OdrQueueView};
use leptos::prelude::*;

/// The signed-in business's complaints to settle.
#[server(output = crate::wire::Answer)]
pub async fn get_odr_queue() -> Result<OdrQueueView, AppError> {
    crate::server_fns::answer(
        async move {
            let staff = crate::server_fns::staff::current_staff().await?;
            let services = expect_context::<crate::service::state::Services>();
            crate::service::odr::queue(&services, &staff, time::OffsetDateTime::now_utc()).await
        }
        .await,
    )
}

/// A complaint of the signed-in business's lane (the view is recorded in the audit log).
#[server(output = crate::wire::Answer)]
pub async fn get_odr_case(case_no: String) -> Result<OdrCaseView, AppError> {
    crate::server_fns::answer(
        async move {
            let staff = crate::server_fns::staff::current_staff().await?;
            let services = expect_context::<crate::service::state::Services>();
            let no = crate::domain::case::CaseNo::parse(&case_no).map_err(|_| AppError::NotFound)?;
            crate::service::odr::case_view(&services, &staff, &no, time::OffsetDateTime::now_utc()).await
        }
        .await,
    )
}

/// The register of businesses as the signed-in handler's or supervisor's bureau keeps it.
#[server(output = crate::wire::Answer)]
pub async fn get_register(q: String) -> Result<crate::views::odr::RegisterView, AppError> {
    crate::server_fns::answer(
        async move {
            let staff = crate::server_fns::staff::current_staff().await?;
            let services = expect_context::<crate::service::state::Services>();
            crate::service::register::view(&services, &staff, &q).await
        }
        .await,
    )
}

/// Whether the business of this credit code is a member of the ODR lane a complaint may go to
/// first now (public: the membership is published), for the filing form's question.
#[server(output = crate::wire::Answer)]
pub async fn get_odr_member(
    credit_code: String,
    kind: String,
) -> Result<Option<crate::views::odr::OdrMember>, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            crate::service::odr::member_for_filing(&services, &credit_code, &kind, time::OffsetDateTime::now_utc())
                .await
        }
        .await,
    )
}

/// The entries of the register a consumer may pick while typing the business's name in the
/// filing form (public: the register is).
#[server(output = crate::wire::Answer)]
pub async fn find_in_register(
    name: String,
    credit_code: String,
    county: String,
) -> Result<Vec<crate::domain::business::PublicEntry>, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            crate::service::register::find_for_filing(&services, &name, &credit_code, &county).await
        }
        .await,
    )
}
