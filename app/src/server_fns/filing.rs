//! Filing online: submit the form, and read the receipt once.

use crate::domain::filing::FilingForm;
use crate::error::AppError;
use crate::views::receipt::Receipt;
use leptos::prelude::*;

/// Files the form. The answer is the case number; the query code travels in a short-lived
/// HttpOnly cookie to the receipt page, which shows it once.
#[server(input = server_fn::codec::Json)]
pub async fn file_case(form: FilingForm) -> Result<String, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            let parts = use_context::<http::request::Parts>();
            let client = parts
                .as_ref()
                .and_then(|p| p.extensions.get::<crate::service::state::ClientAddress>().map(|c| c.0.clone()))
                .unwrap_or_else(|| "unknown".into());
            // Messages about the case go out in the language the consumer files in.
            let cookies = parts
                .as_ref()
                .and_then(|p| p.headers.get(http::header::COOKIE))
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let lang = crate::prefs::Prefs::from_cookie_header(cookies, false).lang;
            let now = time::OffsetDateTime::now_utc();
            let (case_no, cookie) = crate::service::filing::file_online(&services, &form, &client, lang, now).await?;
            if let Ok(v) = http::HeaderValue::from_str(&cookie) {
                expect_context::<leptos_axum::ResponseOptions>().append_header(http::header::SET_COOKIE, v);
            }
            Ok(case_no)
        }
        .await,
    )
}

/// The receipt of `case_no`, if this browser has just filed it (and only once).
#[server]
pub async fn get_receipt(case_no: String) -> Result<Option<Receipt>, AppError> {
    crate::server_fns::answer(
        async move {
            let services = expect_context::<crate::service::state::Services>();
            let parts = use_context::<http::request::Parts>();
            let cookie = parts
                .as_ref()
                .and_then(|p| p.headers.get(http::header::COOKIE))
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let receipt = crate::service::filing::read_receipt(&services, &case_no, &cookie).await?;
            if receipt.is_some() {
                // Shown once: the cookie goes with this response.
                let res = expect_context::<leptos_axum::ResponseOptions>();
                res.append_header(
                    http::header::SET_COOKIE,
                    http::HeaderValue::from_static(crate::service::filing::RECEIPT_COOKIE_CLEAR),
                );
                res.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
            }
            Ok(receipt)
        }
        .await,
    )
}
