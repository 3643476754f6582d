//! The guide's text: markdown files in `app/content/`, one per language, rendered to HTML on the
//! server (never in the browser bundle).

use crate::error::AppError;
use leptos::prelude::*;

/// The guide's prose in `lang` (`zh-CN` or `en`), as HTML.
#[server]
pub async fn get_guide(lang: String) -> Result<String, AppError> {
    crate::server_fns::answer(
        async move {
            let text = if lang == "en" {
                include_str!("../../content/guide.en.md")
            } else {
                include_str!("../../content/guide.zh.md")
            };
            Ok(crate::views::guide::render(text))
        }
        .await,
    )
}
