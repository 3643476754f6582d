//! The guide's text: markdown files in `app/content/`, one per language, rendered to HTML on the
//! server (never in the browser bundle).

use crate::error::AppError;
use leptos::prelude::*;

/// The guide's prose in the language tagged `lang` (the default language's for an unknown tag), as HTML.
#[server(output = crate::wire::Answer)]
pub async fn get_guide(lang: String) -> Result<String, AppError> {
    crate::server_fns::answer(
        async move {
            let text = crate::i18n::guide_markdown(crate::i18n::Lang::from_tag(&lang).unwrap_or_default());
            Ok(crate::views::guide::render(text))
        }
        .await,
    )
}
