//! How a page's data travels from the server to the browser: the values of its resources (in
//! the HTML the server sends, read back when the page hydrates) and the answers of the server
//! functions, both in postcard, a compact binary form of the same serde types.
//!
//! Why not JSON, Leptos' default: decoding JSON is generated per type, with every field name to
//! match, and for the portal's ~100 view types it was 16 % of all the browser's code before it
//! was optimised (the pre-link module, 740 KB of 4.5 MB); postcard's decoder of a type reads its
//! fields in order. The types are the same on both sides (the shared model), so a format that
//! does not describe itself is enough; none of them use serde's attributes that need one
//! (`flatten`, `untagged`, `skip_serializing_if`). Errors stay JSON (`AppError`'s encoder), and so
//! does filing (`file_case`, JSON both ways: what the offline queue and other clients send).
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// The codec of the resources' values.
pub type Wire = codee::binary::PostcardCodec;

/// The server functions' answer encoding (`#[server(output = …)]`).
pub type Answer = server_fn::codec::Postcard;

/// A blocking resource (the page waits for it on the server, as a form without JavaScript
/// needs) whose value crosses in postcard.
#[track_caller]
pub fn blocking<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Wire>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, true)
}
