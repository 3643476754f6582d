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

/// What the person typed into the text field (or chose in the list) `id` while the page was still loading its
/// WebAssembly: read once, while the page is being hydrated, so that the field's signal starts
/// from it instead of overwriting it (a lazily loaded page can take a moment on a slow phone).
/// `None` on the server, after hydration, or when the field still holds what the server sent.
pub fn typed_before_hydration(id: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if !hydrating() {
            return None;
        }
        let el = document().get_element_by_id(id)?;
        if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            return (i.value() != i.default_value()).then(|| i.value());
        }
        if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            return (Ok(t.value()) != t.default_value()).then(|| t.value());
        }
        if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            // The option the server marked `selected`, or the first one when none is.
            let default = el
                .query_selector("option[selected]")
                .ok()
                .flatten()
                .or_else(|| el.query_selector("option").ok().flatten())
                .and_then(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
                .map(|o| o.value())
                .unwrap_or_default();
            return (s.value() != default).then(|| s.value());
        }
        None
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        None
    }
}

/// Whether the checkbox or radio button `id` was ticked or unticked while the page was still
/// loading (see [`typed_before_hydration`]): `Some(checked)` when it differs from what the
/// server sent, `None` otherwise.
pub fn checked_before_hydration(id: &str) -> Option<bool> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if !hydrating() {
            return None;
        }
        let i = document().get_element_by_id(id)?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
        (i.checked() != i.default_checked()).then(|| i.checked())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        None
    }
}

/// How many files were chosen in the file input `id` while the page was still loading.
pub fn files_before_hydration(id: &str) -> Option<usize> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if !hydrating() {
            return None;
        }
        let i = document().get_element_by_id(id)?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
        i.files().map(|f| f.length() as usize).filter(|n| *n > 0)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        None
    }
}

#[cfg(feature = "hydrate")]
fn hydrating() -> bool {
    Owner::current_shared_context().is_some_and(|c| c.during_hydration())
}
