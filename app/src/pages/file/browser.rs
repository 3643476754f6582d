//! What the filing page keeps in and asks of the browser: the draft in local storage, whether it
//! waits for the connection, whether the browser is online, a fresh idempotency key, a full page
//! load to the receipt. On the server each is a no-op.

#[cfg(feature = "hydrate")]
pub(super) const DRAFT_KEY: &str = "filing-draft";
/// Set while a submitted filing waits for the connection (kept across reloads).
#[cfg(feature = "hydrate")]
pub(super) const QUEUED_KEY: &str = "filing-queued";

#[cfg(feature = "hydrate")]
pub(super) fn draft_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub(super) fn clear_draft() {
    #[cfg(feature = "hydrate")]
    if let Some(s) = draft_storage() {
        let _ = s.remove_item(DRAFT_KEY);
        let _ = s.remove_item(QUEUED_KEY);
    }
}

/// Whether the browser says it is online (always, on the server).
pub(super) fn online() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        true
    }
}

/// Marks the kept draft as submitted and waiting for the connection (or not).
pub(super) fn set_queued(on: bool) {
    #[cfg(feature = "hydrate")]
    if let Some(s) = draft_storage() {
        let _ = if on { s.set_item(QUEUED_KEY, "1") } else { s.remove_item(QUEUED_KEY) };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on;
}

#[cfg(feature = "hydrate")]
pub(super) fn queued() -> bool {
    draft_storage().and_then(|s| s.get_item(QUEUED_KEY).ok().flatten()).is_some()
}

pub(super) fn navigate_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        // A full page load: the receipt is rendered by the server, which holds the code.
        let _ = w.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// A fresh idempotency key for a draft: 128 bits from the browser's cryptographic generator
/// (`crypto.getRandomValues`), so that nobody can guess another consumer's key and replay it.
pub(super) fn new_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        let mut bytes = [0u8; 16];
        let filled = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
            .is_some();
        if !filled {
            // Every browser that runs WebAssembly has Web Crypto; without it, no key rather than a
            // guessable one (the server's key check then refuses the submission).
            return String::new();
        }
        format!("w-{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}
