//! The state of a plain form the server handled (its input, errors, result): on the server it
//! arrives as a request extension, and it travels to the browser as JSON in a
//! `<script type="application/json">` so that hydration starts from the same state.

use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// The state of the form whose script has `id`: from the request on the server, from the page
/// in the browser; the default when there is none.
pub fn read<T: Clone + Default + DeserializeOwned + Send + Sync + 'static>(id: &'static str) -> T {
    #[cfg(feature = "ssr")]
    {
        let _ = id;
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<T>().cloned()).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            document()
                .get_element_by_id(id)
                .and_then(|e| e.text_content())
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = id;
            T::default()
        }
    }
}

/// The script that carries `state` to the browser under `id`.
pub fn script<T: Serialize>(id: &'static str, state: &T) -> impl IntoView {
    let json = serde_json::to_string(state).unwrap_or_default().replace('<', "\\u003c");
    view! { <script type="application/json" id=id inner_html=json></script> }
}

/// What the person typed into the text field `id` while the page was still loading its
/// WebAssembly: read once, while the page is being hydrated, so that the field's signal starts
/// from it instead of overwriting it (a lazily loaded page can take a moment on a slow phone).
/// `None` on the server, after hydration, or when the field still holds what the server sent.
pub fn typed_before_hydration(id: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let hydrating = Owner::current_shared_context().is_some_and(|c| c.during_hydration());
        if !hydrating {
            return None;
        }
        let el = document().get_element_by_id(id)?;
        if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            return (i.value() != i.default_value()).then(|| i.value());
        }
        if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            return (Ok(t.value()) != t.default_value()).then(|| t.value());
        }
        None
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        None
    }
}
