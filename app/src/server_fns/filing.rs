//! Filing online: submit the form, and read the receipt once.

use crate::domain::filing::FilingForm;
use crate::error::AppError;
use crate::views::receipt::Receipt;
use leptos::prelude::*;

/// Files the form. The answer is the case number; the query code travels in a short-lived
/// HttpOnly cookie to the receipt page, which shows it once. JSON both ways (the answer is only
/// the case number): the offline queue and every client that files over HTTP speak it.
#[server(input = server_fn::codec::Json)]
pub async fn file_case(form: FilingForm) -> Result<String, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            // Messages about the case go out in the language the consumer files in.
            let caller = crate::server_fns::Caller::read();
            let now = time::OffsetDateTime::now_utc();
            let (case_no, cookie) =
                crate::service::filing::file_online(&services, &form, &caller.client, caller.lang, now).await?;
            crate::server_fns::set_header(http::header::SET_COOKIE, &cookie, true);
            Ok(case_no)
        }
        .await,
    )
}

/// The receipt of `case_no`, if this browser has just filed it (and only once).
#[server(output = crate::wire::Answer)]
pub async fn get_receipt(case_no: String) -> Result<Option<Receipt>, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            let cookie = crate::server_fns::Caller::read().cookies;
            let receipt = crate::service::filing::read_receipt(&services, &case_no, &cookie).await?;
            if receipt.is_some() {
                // Shown once: the cookie goes with this response.
                crate::server_fns::set_header(
                    http::header::SET_COOKIE,
                    crate::service::filing::RECEIPT_COOKIE_CLEAR,
                    true,
                );
                crate::server_fns::set_header(http::header::CACHE_CONTROL, "no-store", false);
            }
            Ok(receipt)
        }
        .await,
    )
}
