//! How a page starts in the browser (server side): the script that loads the WebAssembly and
//! hydrates, or nothing for a page sent as HTML alone.
//!
//! Leptos' own `HydrationScripts` names the main module and every chunk of the page in
//! `<link rel="preload">` tags of the `<head>`, so the browser fetches them while it is still
//! fetching the stylesheet and painting the text: on a slow line the WebAssembly competes with the
//! first paint. This script instead begins once the page has loaded (its text painted, its
//! stylesheet and fonts in), then fetches the main module, the loader of the split modules and the
//! modules of the page's group (see [`crate::pages::lazy`]) all at once, and hydrates. Until then
//! the page is its server-rendered HTML, whose links and forms work (as without JavaScript), and
//! what is typed meanwhile is kept by hydration.
use crate::pages::lazy::Boot;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The build's file names, read once: the hashed names (cargo-leptos' `hash.txt` beside the
/// server's executable) and the split manifest (which files each split point needs).
struct BuildFiles {
    js: String,
    wasm: String,
    loader: Option<String>,
    manifest: HashMap<String, Vec<String>>,
}

fn build_files(options: &LeptosOptions) -> &'static BuildFiles {
    static FILES: OnceLock<BuildFiles> = OnceLock::new();
    FILES.get_or_init(|| {
        let pkg = format!("/{}", options.site_pkg_dir);
        let mut hashes = HashMap::new();
        if options.hash_files {
            let path = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
            let text = path.and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default();
            for line in text.lines() {
                if let Some((file, hash)) = line.split_once(':') {
                    hashes.insert(file.trim().to_owned(), hash.trim().to_owned());
                }
            }
        }
        let name = |kind: &str, plain: String| match hashes.get(kind) {
            Some(h) => format!("{}.{h}", options.output_name),
            None => plain,
        };
        let js = name("js", options.output_name.to_string());
        // cargo-leptos names the module like its loader; wasm-bindgen alone adds `_bg`.
        let plain_wasm = match option_env!("LEPTOS_OUTPUT_NAME") {
            Some(_) => options.output_name.to_string(),
            None => format!("{}_bg", options.output_name),
        };
        let wasm = name("wasm", plain_wasm);
        let (loader, manifest_file) = match (hashes.get("split"), hashes.get("manifest")) {
            (Some(s), Some(m)) => (Some(format!("__wasm_split.{s}.js")), format!("__wasm_split_manifest.{m}.json")),
            _ => (None, "__wasm_split_manifest.json".to_owned()),
        };
        let manifest_path =
            std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref()).join(manifest_file);
        let manifest: HashMap<String, Vec<String>> =
            std::fs::read_to_string(manifest_path).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
        // A build without --split has no manifest, and its loader is not needed.
        let loader = if manifest.is_empty() { None } else { loader };
        BuildFiles {
            js: format!("{pkg}/{js}.js"),
            wasm: format!("{pkg}/{wasm}.wasm"),
            loader: loader.map(|l| format!("{pkg}/{l}")),
            manifest: manifest
                .into_iter()
                .map(|(k, files)| (k, files.into_iter().map(|f| format!("{pkg}/{f}.wasm")).collect()))
                .collect(),
        }
    })
}

/// The split point of `group` in the manifest: its key is the group's name and a hash
/// (`consumer_pages_1234…`).
fn group_files<'a>(files: &'a BuildFiles, group: &str) -> &'a [String] {
    files
        .manifest
        .iter()
        .find(|(key, _)| {
            key.trim_start_matches('_')
                .strip_prefix(group)
                .and_then(|rest| rest.strip_prefix('_'))
                .is_some_and(|hash| !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(|(_, f)| f.as_slice())
        .unwrap_or(&[])
}

/// Where the browser fetches a language's messages (`i18n::browser`): under the build's files,
/// named by a hash of their content, so they are cached for good like the WebAssembly and kept by
/// the service worker for offline pages. The server answers it from the messages compiled into it.
pub fn messages_path(options: &LeptosOptions, lang: crate::i18n::Lang) -> String {
    format!("/{}/messages/{}", options.site_pkg_dir, crate::i18n::messages_file(lang))
}

/// Where the browser fetches the data files, parsed ([`crate::domain::shipped`]): like the
/// messages, under the build's files and named by a hash of the content.
pub fn data_path(options: &LeptosOptions) -> String {
    format!("/{}/data/{}", options.site_pkg_dir, shipped_data().1)
}

/// The data files for the browser in postcard, and their file name: `<hash>.bin`.
pub fn shipped_data() -> &'static (Vec<u8>, String) {
    static DATA: OnceLock<(Vec<u8>, String)> = OnceLock::new();
    DATA.get_or_init(|| {
        use sha2::Digest;
        let bytes = crate::domain::shipped::encode();
        let name = format!("{}.bin", hex::encode(&sha2::Sha256::digest(&bytes)[..12]));
        (bytes, name)
    })
}

/// What starts the page: the hydration script for a hydrated page, nothing for a static one.
pub fn scripts(options: &LeptosOptions, start: Boot, lang: crate::i18n::Lang) -> impl IntoView {
    let Boot::Hydrate(group) = start else { return None };
    let files = build_files(options);
    let mut fetches = vec![files.wasm.clone()];
    fetches.extend(group_files(files, group).iter().cloned());
    let args = serde_json::json!({
        "js": files.js,
        "wasm": files.wasm,
        "modules": files.loader.iter().collect::<Vec<_>>(),
        "fetches": fetches,
        "messages": messages_path(options, lang),
        "data": data_path(options),
    });
    // `<` cannot occur in the file names, but a script's text must never be able to end it.
    let text = format!("({})({});", include_str!("boot.js").trim_end(), args.to_string().replace('<', "\\u003c"));
    let nonce = leptos::nonce::use_nonce();
    Some(view! { <script type="module" nonce=nonce>{text}</script> })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(keys: &[(&str, &[&str])]) -> BuildFiles {
        BuildFiles {
            js: "/pkg/portal.js".into(),
            wasm: "/pkg/portal.wasm".into(),
            loader: None,
            manifest: keys.iter().map(|(k, f)| (k.to_string(), f.iter().map(|s| s.to_string()).collect())).collect(),
        }
    }

    #[test]
    fn a_group_is_found_by_its_name_and_hash_only() {
        let f = files(&[
            ("consumer_pages_extra_1", &["/pkg/wrong.wasm"]),
            ("consumer_pages_9514707903457543349", &["/pkg/chunk_3.wasm", "/pkg/split_consumer.wasm"]),
            ("__desk_pages_52", &["/pkg/split_desk.wasm"]),
        ]);
        assert_eq!(group_files(&f, "consumer_pages"), ["/pkg/chunk_3.wasm", "/pkg/split_consumer.wasm"]);
        assert_eq!(group_files(&f, "desk_pages"), ["/pkg/split_desk.wasm"]);
        assert!(group_files(&f, "staff_pages").is_empty());
    }
}
