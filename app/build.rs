//! Builds the message catalogue: every `locales/<tag>.ftl` file (Fluent syntax) becomes one
//! typed table, `Msgs`, with a field per message, and the `Lang` enum gets a variant per file.
//! So a language is added by adding a file, and a message missing from a language is a build
//! error (unless the file lets a group of keys fall back to the reference language, Simplified
//! Chinese). Resolving the files here, not in the browser, keeps the Fluent runtime out of the
//! WebAssembly bundle: each message is a plain string, with `{$name}` where a value goes in
//! (filled by `i18n::fill`).

use fluent_syntax::ast::{Entry, Expression, InlineExpression, PatternElement};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// The reference language: every key is defined here, and the portal's default.
const REFERENCE: &str = "zh-CN";

struct Locale {
    tag: String,
    messages: BTreeMap<String, String>,
    order: Vec<String>,
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut locales: Vec<Locale> = std::fs::read_dir(&dir)
        .expect("app/locales")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .map(|p| {
            println!("cargo:rerun-if-changed={}", p.display());
            read(&p)
        })
        .collect();
    // The reference first (the default language), then the others by tag.
    locales.sort_by(|a, b| (a.tag != REFERENCE, &a.tag).cmp(&(b.tag != REFERENCE, &b.tag)));
    assert!(locales.first().is_some_and(|l| l.tag == REFERENCE), "locales/{REFERENCE}.ftl is missing");
    let reference = &locales[0];
    let mut errors = Vec::new();
    let mut tables = Vec::new();
    for l in &locales {
        let optional: Vec<&str> =
            l.messages.get("lang_untranslated").map(|s| s.split_whitespace().collect()).unwrap_or_default();
        for key in l.messages.keys() {
            if !reference.messages.contains_key(key) {
                errors.push(format!("{}.ftl: `{key}` is not in {REFERENCE}.ftl", l.tag));
            }
        }
        let mut table = Vec::new();
        for key in &reference.order {
            let value = match l.messages.get(key) {
                Some(v) => {
                    if !variables(v).is_subset(&variables(&reference.messages[key])) {
                        errors
                            .push(format!("{}.ftl: `{key}` uses a {{$…}} value that {REFERENCE}.ftl does not", l.tag));
                    }
                    v
                }
                None if optional.iter().any(|p| key.starts_with(p)) => &reference.messages[key],
                None => {
                    errors.push(format!("{}.ftl: `{key}` is missing", l.tag));
                    &reference.messages[key]
                }
            };
            table.push((key.clone(), value.clone()));
        }
        tables.push(table);
    }
    if !errors.is_empty() {
        panic!("message catalogue:\n{}", errors.join("\n"));
    }

    let mut out = String::new();
    let variant = |tag: &str| {
        let primary = tag.split('-').next().unwrap_or(tag);
        let mut c = primary.chars();
        c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
    };
    out.push_str("/// A language the portal speaks: one per file in `app/locales`.\n");
    out.push_str(
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]\npub enum Lang {\n",
    );
    for (i, l) in locales.iter().enumerate() {
        if i == 0 {
            out.push_str("    #[default]\n");
        }
        writeln!(out, "    {},", variant(&l.tag)).unwrap();
    }
    out.push_str("}\n\nimpl Lang {\n    /// Every language the portal speaks, the default first.\n");
    writeln!(
        out,
        "    pub const ALL: [Lang; {}] = [{}];",
        locales.len(),
        locales.iter().map(|l| format!("Lang::{}", variant(&l.tag))).collect::<Vec<_>>().join(", ")
    )
    .unwrap();
    out.push_str("    /// The BCP 47 tag for `<html lang>` and the cookie.\n    pub fn tag(self) -> &'static str {\n        match self {\n");
    for l in &locales {
        writeln!(out, "            Lang::{} => {:?},", variant(&l.tag), l.tag).unwrap();
    }
    out.push_str("        }\n    }\n    /// The language's own name, for the language switch (whatever the page's language).\n    pub fn name(self) -> &'static str {\n        match self {\n");
    for l in &locales {
        writeln!(
            out,
            "            Lang::{} => {:?},",
            variant(&l.tag),
            l.messages.get("lang_name").expect("lang_name")
        )
        .unwrap();
    }
    out.push_str("        }\n    }\n    /// The language of a tag (its primary subtag is enough: `zh` is `zh-CN`).\n    pub fn from_tag(tag: &str) -> Option<Self> {\n        match tag {\n");
    for l in &locales {
        let primary = l.tag.split('-').next().unwrap_or(&l.tag);
        if primary == l.tag {
            writeln!(out, "            {:?} => Some(Lang::{}),", l.tag, variant(&l.tag)).unwrap();
        } else {
            writeln!(out, "            {:?} | {:?} => Some(Lang::{}),", l.tag, primary, variant(&l.tag)).unwrap();
        }
    }
    // The server (and every test) has every language's table compiled in. The browser has none:
    // a page loads its own language's messages as one text (see `i18n::browser`), so that the
    // WebAssembly does not carry the other languages.
    out.push_str("            _ => None,\n        }\n    }\n    /// This language's messages.\n    pub fn msgs(self) -> &'static Msgs {\n");
    out.push_str("        #[cfg(any(feature = \"ssr\", not(feature = \"hydrate\")))]\n        return match self {\n");
    for l in &locales {
        writeln!(out, "            Lang::{} => &MSGS_{},", variant(&l.tag), variant(&l.tag).to_uppercase()).unwrap();
    }
    out.push_str("        };\n        #[cfg(all(feature = \"hydrate\", not(feature = \"ssr\")))]\n        return browser::msgs(self);\n    }\n");
    // Each language's messages as one text: the values in the order of `Msgs`' fields, separated
    // by U+001F (which no message may hold), named by a hash of its content.
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    out.push_str("    /// This language's messages as one text (the values in the order of `Msgs`' fields,\n    /// separated by U+001F) and a hash of it for its file name, for the browser.\n    #[cfg(any(feature = \"ssr\", not(feature = \"hydrate\")))]\n    pub fn msgs_text(self) -> (&'static str, &'static str) {\n        match self {\n");
    for (l, table) in locales.iter().zip(&tables) {
        let mut text = String::new();
        for (i, (key, value)) in table.iter().enumerate() {
            assert!(!value.contains(SEPARATOR), "{}.ftl: `{key}` holds U+001F", l.tag);
            if i > 0 {
                text.push(SEPARATOR);
            }
            text.push_str(value);
        }
        let file = out_dir.join(format!("msgs.{}.txt", l.tag));
        std::fs::write(&file, &text).expect("write a language's messages");
        writeln!(
            out,
            "            Lang::{} => (include_str!({:?}), {:?}),",
            variant(&l.tag),
            file.display().to_string(),
            format!("{:016x}", fnv1a(text.as_bytes()))
        )
        .unwrap();
    }
    out.push_str("        }\n    }\n}\n\n");
    writeln!(
        out,
        "/// How many messages there are (the fields of `Msgs`).\npub const MSG_COUNT: usize = {};",
        reference.order.len()
    )
    .unwrap();
    writeln!(
        out,
        "/// What separates the values in `Lang::msgs_text`.\npub const MSG_SEPARATOR: char = {SEPARATOR:?};"
    )
    .unwrap();
    out.push_str("\n/// Every message, one field per key of `locales/zh-CN.ftl` (`repr(C)`, every field a `&'static str`:\n/// laid out as an array of `MSG_COUNT` of them, which `Msgs::from_text` relies on).\n#[allow(non_snake_case)]\n#[repr(C)]\npub struct Msgs {\n");
    for key in &reference.order {
        writeln!(out, "    /// {:?}\n    pub {}: &'static str,", reference.messages[key], field(key)).unwrap();
    }
    out.push_str("}\n\nimpl Msgs {\n");
    out.push_str("    /// The name of a coded value (a state, a form field, …): the message `<group>__<code>`,\n");
    out.push_str("    /// or an empty string when there is none.\n");
    out.push_str("    pub fn term(&self, group: &str, code: &str) -> &'static str {\n        match (group, code) {\n");
    for key in reference.order.iter().filter(|k| k.contains("__")) {
        let (group, code) = key.split_once("__").expect("a key with __");
        writeln!(out, "            ({group:?}, {code:?}) => self.{},", field(key)).unwrap();
    }
    out.push_str("            _ => \"\",\n        }\n    }\n");
    out.push_str("    /// Every message, in the order of the fields (for tests).\n    #[cfg(test)]\n    pub fn values(&self) -> Vec<&'static str> {\n        vec![\n");
    for key in &reference.order {
        writeln!(out, "            self.{},", field(key)).unwrap();
    }
    out.push_str("        ]\n    }\n}\n");
    for (l, table) in locales.iter().zip(&tables) {
        writeln!(
            out,
            "\n#[cfg(any(feature = \"ssr\", not(feature = \"hydrate\")))]\nstatic MSGS_{}: Msgs = Msgs {{",
            variant(&l.tag).to_uppercase()
        )
        .unwrap();
        for (key, value) in table {
            writeln!(out, "    {}: {value:?},", field(key)).unwrap();
        }
        out.push_str("};\n");
    }
    // The guide's prose: `content/guide.<tag>.md` (or `guide.<primary subtag>.md`) per language,
    // the reference language's text where a language has none.
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let guide = |tag: &str| {
        let primary = tag.split('-').next().unwrap_or(tag);
        [tag, primary].into_iter().map(|t| content.join(format!("guide.{t}.md"))).find(|p| p.exists())
    };
    let reference_guide = guide(REFERENCE).expect("content/guide.zh.md");
    out.push_str("\n/// The guide's prose (markdown) in a language.\npub fn guide_markdown(lang: Lang) -> &'static str {\n    match lang {\n");
    for l in &locales {
        let path = guide(&l.tag).unwrap_or_else(|| reference_guide.clone());
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(out, "        Lang::{} => include_str!({:?}),", variant(&l.tag), path.display().to_string()).unwrap();
    }
    out.push_str("    }\n}\n");
    println!("cargo:rerun-if-changed={}", content.display());
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalogue.rs");
    std::fs::write(dest, out).expect("write catalogue.rs");
}

/// Reads one Fluent file into plain strings: text as it is, a string literal unescaped, a
/// variable as `{$name}`. Anything else (selectors, terms, functions) is refused.
fn read(path: &Path) -> Locale {
    let tag = path.file_stem().and_then(|s| s.to_str()).expect("file name").to_owned();
    let source = std::fs::read_to_string(path).expect("read .ftl");
    let resource = fluent_syntax::parser::parse(source.as_str())
        .unwrap_or_else(|(_, errs)| panic!("{}: {errs:?}", path.display()));
    let mut messages = BTreeMap::new();
    let mut order = Vec::new();
    for entry in resource.body {
        let message = match entry {
            Entry::Message(m) => m,
            Entry::Comment(_) | Entry::GroupComment(_) | Entry::ResourceComment(_) => continue,
            other => panic!("{}: only messages are supported, found {other:?}", path.display()),
        };
        let key = message.id.name.to_owned();
        let pattern = message.value.unwrap_or_else(|| panic!("{}: `{key}` has no value", path.display()));
        let mut text = String::new();
        for element in pattern.elements {
            match element {
                PatternElement::TextElement { value } => text.push_str(value),
                PatternElement::Placeable {
                    expression: Expression::Inline(InlineExpression::StringLiteral { value }),
                } => text.push_str(&fluent_syntax::unicode::unescape_unicode_to_string(value)),
                PatternElement::Placeable {
                    expression: Expression::Inline(InlineExpression::VariableReference { id }),
                } => write!(text, "{{${}}}", id.name).unwrap(),
                other => panic!("{}: `{key}`: unsupported placeable {other:?}", path.display()),
            }
        }
        assert!(messages.insert(key.clone(), text).is_none(), "{}: `{key}` defined twice", path.display());
        order.push(key);
    }
    Locale { tag, messages, order }
}

/// What separates the values in a language's text of messages: the unit separator.
const SEPARATOR: char = '\u{1f}';

/// A 64-bit FNV-1a hash: a name for a language's text of messages that changes with its content.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// A message's field in `Msgs`: its key, with `-` (allowed in Fluent identifiers) as `_`.
fn field(key: &str) -> String {
    key.replace('-', "_")
}

/// The `{$name}` values a message uses.
fn variables(text: &str) -> BTreeSet<&str> {
    text.match_indices("{$").filter_map(|(i, _)| text[i + 2..].split_once('}').map(|(name, _)| name)).collect()
}
