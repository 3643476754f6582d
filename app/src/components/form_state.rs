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

pub use before_hydration::{checked_before_hydration, files_before_hydration, typed_before_hydration};

/// What a person did to a form while the page was still loading its WebAssembly (a lazily
/// loaded page can take a moment on a slow phone): read once, while the page is being hydrated,
/// so that the fields' signals start from it instead of hydration overwriting it. Each answer is
/// `None` on the server, after hydration, or when the field still holds what the server sent.
#[cfg(feature = "hydrate")]
mod before_hydration {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;

    fn element(id: &str) -> Option<web_sys::Element> {
        let hydrating = Owner::current_shared_context().is_some_and(|c| c.during_hydration());
        hydrating.then(|| document().get_element_by_id(id)).flatten()
    }

    fn input(id: &str) -> Option<web_sys::HtmlInputElement> {
        element(id)?.dyn_into().ok()
    }

    /// The text typed into the input or textarea `id`, or the value chosen in the list `id`.
    pub fn typed_before_hydration(id: &str) -> Option<String> {
        let el = element(id)?;
        if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            return (i.value() != i.default_value()).then(|| i.value());
        }
        if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            return (Ok(t.value()) != t.default_value()).then(|| t.value());
        }
        let s = el.dyn_ref::<web_sys::HtmlSelectElement>()?;
        // The option the server marked `selected`, or the first one when none is.
        let default = el
            .query_selector("option[selected]")
            .ok()
            .flatten()
            .or_else(|| el.query_selector("option").ok().flatten())
            .and_then(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
            .map(|o| o.value())
            .unwrap_or_default();
        (s.value() != default).then(|| s.value())
    }

    /// Whether the checkbox or radio button `id` is now ticked, when that changed.
    pub fn checked_before_hydration(id: &str) -> Option<bool> {
        let i = input(id)?;
        (i.checked() != i.default_checked()).then(|| i.checked())
    }

    /// How many files were chosen in the file input `id`, when any were.
    pub fn files_before_hydration(id: &str) -> Option<usize> {
        input(id)?.files().map(|f| f.length() as usize).filter(|n| *n > 0)
    }
}

#[cfg(not(feature = "hydrate"))]
mod before_hydration {
    pub fn typed_before_hydration(_: &str) -> Option<String> {
        None
    }
    pub fn checked_before_hydration(_: &str) -> Option<bool> {
        None
    }
    pub fn files_before_hydration(_: &str) -> Option<usize> {
        None
    }
}
