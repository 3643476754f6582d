use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_meta::Title;

/// The 404 page; also sets the status code when rendered on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let m = use_prefs().lang.msgs();
    view! {
        <Title text=m.not_found_title />
        <section class="panel">
            <h1>{m.not_found_title}</h1>
            <p>{m.not_found_text}</p>
            <p><a href="/">{m.back_home}</a></p>
        </section>
    }
}
