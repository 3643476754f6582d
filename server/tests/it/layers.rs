//! The layers of the code, checked from its source: no module of `app` or `server` imports one
//! that imports it back (directly or round a loop), and in `app` every import points down the
//! order written in ARCHITECTURE.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `app`'s layers, lowest first. A module may import its own layer and those before it.
const APP_LAYERS: &[&[&str]] = &[
    &["domain"],
    &["error", "wire"],
    &["i18n"],
    &["prefs"],
    &["views"],
    &["ports", "metadata"],
    &["service"],
    &["server_fns"],
    &["components"],
    &["pages"],
    &["", "boot"],
];

/// A crate's modules (`a::b`, the root is ``) and each one's source without comments and tests.
fn modules(src: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(src).expect("below src").with_extension("");
            let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                parts.pop();
            }
            let text = std::fs::read_to_string(&path).expect("source file");
            (parts.join("::"), code_of(&text))
        })
        .collect()
}

/// The text without line comments, and without the unit tests at the end of a file.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") || t.starts_with("#[cfg(all(test") {
            break;
        }
        out.push_str(line.split("//").next().unwrap_or_default());
        out.push('\n');
    }
    out
}

/// The paths a module's code names: `crate::a::b`, `super::c`, `crate::{d, e::f}`, and its own
/// submodules (`child::…`), each as the module it lands in.
fn imports(name: &str, code: &str, all: &BTreeSet<String>) -> BTreeSet<String> {
    let resolve = |path: &str| -> Option<String> {
        let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
        (0..=parts.len()).rev().map(|n| parts[..n].join("::")).find(|m| all.contains(m))
    };
    let parent = name.rsplit_once("::").map(|(p, _)| p).unwrap_or("");
    let join = |base: &str, rest: &str| if base.is_empty() { rest.to_owned() } else { format!("{base}::{rest}") };
    let mut out = BTreeSet::new();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    for (prefix, base) in [("crate::", ""), ("super::", parent)] {
        let mut rest = code;
        while let Some(i) = rest.find(prefix) {
            let before = rest[..i].chars().last();
            rest = &rest[i + prefix.len()..];
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let targets: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                group[..end].split(',').map(|s| s.trim().to_owned()).collect()
            } else {
                vec![rest.chars().take_while(|c| ident(*c)).collect()]
            };
            for t in targets {
                if let Some(m) = resolve(&join(base, t.trim_end_matches(':'))) {
                    out.insert(m);
                }
            }
        }
    }
    for child in all.iter().filter_map(|m| m.strip_prefix(&join(name, "")).filter(|_| !name.is_empty())) {
        if !child.contains("::") && code.contains(&format!("{child}::")) {
            let start = code.match_indices(&format!("{child}::")).any(|(i, _)| {
                !code[..i].chars().last().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
            });
            if start {
                out.insert(join(name, child));
            }
        }
    }
    out.remove(name);
    out
}

/// The loops of the import graph (strongly connected components of more than one module).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Tarjan<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w.as_str()) {
                    self.visit(w);
                    let lw = self.low[w.as_str()];
                    self.low.entry(v).and_modify(|l| *l = (*l).min(lw));
                } else if self.stack.contains(&w.as_str()) {
                    let iw = self.index[w.as_str()];
                    self.low.entry(v).and_modify(|l| *l = (*l).min(iw));
                }
            }
            if self.low[v] == self.index[v] {
                let mut comp = Vec::new();
                while let Some(w) = self.stack.pop() {
                    comp.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if comp.len() > 1 {
                    comp.sort();
                    self.found.push(comp);
                }
            }
        }
    }
    let mut t = Tarjan { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for v in graph.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.found
}

fn graph_of(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules(src);
    let all: BTreeSet<String> = mods.keys().cloned().collect();
    mods.iter().map(|(name, code)| (name.clone(), imports(name, code, &all))).collect()
}

fn src(krate: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(krate).join("src")
}

fn layer(module: &str) -> usize {
    let top = module.split("::").next().unwrap_or_default();
    APP_LAYERS.iter().position(|l| l.contains(&top)).unwrap_or_else(|| panic!("module `{top}` has no layer"))
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    for krate in ["app", "server"] {
        let found = cycles(&graph_of(&src(krate)));
        assert!(found.is_empty(), "import cycles in {krate}: {found:?}");
    }
}

#[test]
fn every_import_of_app_points_down_the_layers() {
    let mut up = Vec::new();
    for (from, targets) in graph_of(&src("app")) {
        for to in targets.iter().filter(|to| layer(to) > layer(&from)) {
            up.push(format!("{from} -> {to}"));
        }
    }
    assert!(up.is_empty(), "imports pointing up the layers of ARCHITECTURE.md: {up:#?}");
}

#[test]
fn the_checker_sees_a_loop_and_an_upward_import() {
    // Two modules importing each other through `crate::`, `super::` and a group.
    let all: BTreeSet<String> = ["service", "service::a", "service::b", "pages"].map(String::from).into();
    let a = imports("service::a", "use super::b::X;\nfn f() { crate::pages::p(); }", &all);
    let b = imports("service::b", "use crate::{service::a::Y, domainx};", &all);
    assert_eq!(a, ["pages", "service::b"].map(String::from).into());
    assert_eq!(b, ["service::a"].map(String::from).into());
    let graph: BTreeMap<String, BTreeSet<String>> = [("service::a".to_owned(), a), ("service::b".to_owned(), b)].into();
    assert_eq!(cycles(&graph), vec![vec!["service::a".to_owned(), "service::b".to_owned()]]);
    assert!(layer("pages") > layer("service::a"));
    // Comments and the unit tests at the end do not count.
    assert_eq!(code_of("use a; // crate::x\n#[cfg(test)]\nmod tests { use crate::y; }"), "use a; \n");
}
