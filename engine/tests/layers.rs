//! The engine's layers, kept: a module uses its own layer and the ones below, never one above,
//! and the only import cycle between the crate's top-level modules is the page author's API
//! knot. The order is the one `lib.rs`'s header and ARCHITECTURE.md give.
//!
//! The sources are read as text: every `crate::…` and `super::…` path outside comments counts,
//! in `use` lines and in code alike.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first, and the top-level modules in each.
const LAYERS: &[&[&str]] = &[
    &["html", "diff"],
    &["wire"],
    &["stream", "pubsub"],
    &[
        "view",
        "ctx",
        "component",
        "debug",
        "work",
        "flash",
        "params",
        "error",
        "config",
        "js",
        "upload",
        "location",
        "sticky",
    ],
    &["page"],
    &["server"],
    &["testing", "dashboard"],
];

/// The largest set of top-level modules allowed to import each other in a cycle.
const LARGEST_KNOT: usize = 5;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a source file, as segments: `wire/protocol.rs` → `[wire, protocol]`,
/// `ctx/mod.rs` → `[ctx]`, `lib.rs` → `[]`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if stem != "mod" && stem != "lib" {
            parts.push(stem);
        }
    }
    parts
}

/// The code of a file without comments (line comments, doc comments and block comments) and
/// without the contents of string literals.
fn code_of(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            i += 2;
            while i < b.len() && !b[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && i + 2 < b.len() && (b[i + 2] == b'\'' || b[i + 1] == b'\\') {
            // A char literal ('"', '\n', '{'); lifetimes ('a) pass as code.
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The names right after `prefix::` everywhere in `code`, with `prefix::{a, b::c}` groups
/// opened (their first segments).
fn first_segments_after(code: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let pat = format!("{prefix}::");
    let mut at = 0;
    while let Some(i) = code[at..].find(&pat) {
        let start = at + i;
        at = start + pat.len();
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if c == ',' && depth == 1 {
                    items.push(std::mem::take(&mut item));
                } else {
                    item.push(c);
                }
            }
            items.push(item);
            for it in items {
                let n = ident_at(it.trim());
                if !n.is_empty() {
                    names.push(n.to_string());
                }
            }
        } else {
            let n = ident_at(rest);
            if !n.is_empty() {
                names.push(n.to_string());
            }
        }
    }
    names
}

struct Source {
    rel: PathBuf,
    module: Vec<String>,
    code: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).unwrap_or(&p).to_path_buf();
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            Source {
                module: module_of(&rel),
                code: code_of(&text),
                rel,
            }
        })
        .collect()
}

/// The top-level modules a file refers to through `crate::` (and through `super::` from a
/// top-level file, which names the crate root).
fn top_level_uses(s: &Source) -> BTreeSet<String> {
    let mut uses: BTreeSet<String> = first_segments_after(&s.code, "crate").into_iter().collect();
    let is_mod_file = s.rel.file_name().is_some_and(|f| f == "mod.rs");
    // `super` from a top-level file (`ctx/mod.rs`, `view.rs`) is the crate root.
    if s.module.len() == 1 && (is_mod_file || s.rel.components().count() == 1) {
        uses.extend(first_segments_after(&s.code, "super"));
    }
    uses
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let all = sources();
    assert!(all.len() > 50, "read the engine's sources: {}", all.len());
    let mut wrong = Vec::new();
    for s in &all {
        let Some(top) = s.module.first() else {
            continue; // lib.rs declares and re-exports every layer.
        };
        let Some(own) = layer_of(top) else {
            wrong.push(format!(
                "{}: module `{top}` is in no layer (add it to LAYERS, lib.rs and ARCHITECTURE.md)",
                s.rel.display()
            ));
            continue;
        };
        for used in top_level_uses(s) {
            match layer_of(&used) {
                Some(l) if l > own => wrong.push(format!(
                    "{} (layer {}) uses crate::{used} (layer {})",
                    s.rel.display(),
                    own + 1,
                    l + 1
                )),
                Some(_) => {}
                // `crate::Ctx` and the like: a root re-export hides the layer; name the module.
                None if used.chars().next().is_some_and(|c| c.is_ascii_uppercase()) => {
                    wrong.push(format!(
                        "{} uses crate::{used}: name its module instead of the root re-export",
                        s.rel.display()
                    ))
                }
                None => {}
            }
        }
    }
    assert!(wrong.is_empty(), "layer violations:\n{}", wrong.join("\n"));
}

/// Strongly connected components of the top-level module graph (Tarjan's algorithm).
fn knots(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(st: &mut State<'a>, v: &'a str) {
        st.index.insert(v, st.next);
        st.low.insert(v, st.next);
        st.next += 1;
        st.stack.push(v);
        st.on_stack.insert(v);
        let graph = st.graph;
        for w in graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !st.index.contains_key(w) {
                visit(st, w);
                let lw = st.low[w];
                let lv = st.low[v];
                st.low.insert(v, lv.min(lw));
            } else if st.on_stack.contains(w) {
                let iw = st.index[w];
                let lv = st.low[v];
                st.low.insert(v, lv.min(iw));
            }
        }
        if st.low[v] == st.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = st.stack.pop() {
                st.on_stack.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            comp.sort();
            st.out.push(comp);
        }
    }
    let mut st = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !st.index.contains_key(v.as_str()) {
            visit(&mut st, v);
        }
    }
    st.out
}

#[test]
fn the_only_import_cycle_is_the_api_knot() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in sources() {
        let Some(top) = s.module.first() else {
            continue;
        };
        let entry = graph.entry(top.clone()).or_default();
        for used in top_level_uses(&s) {
            if used != *top && layer_of(&used).is_some() {
                entry.insert(used);
            }
        }
    }
    let mut cycles: Vec<Vec<String>> = knots(&graph).into_iter().filter(|c| c.len() > 1).collect();
    cycles.sort_by_key(|c| std::cmp::Reverse(c.len()));
    println!("import cycles between top-level modules: {cycles:?}");
    assert!(cycles.len() <= 1, "more than one knot: {cycles:?}");
    if let Some(knot) = cycles.first() {
        assert!(
            knot.len() <= LARGEST_KNOT,
            "the knot grew past {LARGEST_KNOT}: {knot:?}"
        );
        let api = layer_of("view");
        assert!(
            knot.iter().all(|m| layer_of(m) == api),
            "the knot leaves the API layer: {knot:?}"
        );
    }
}

#[test]
fn the_reader_sees_paths_through_comments_and_groups() {
    let code = code_of(
        "// crate::server\nuse crate::{wire::ids, page::{a, b}};\nlet s = \"crate::testing\";\n/* crate::html */ x(super::flash::seal);",
    );
    assert_eq!(first_segments_after(&code, "crate"), ["wire", "page"]);
    assert_eq!(first_segments_after(&code, "super"), ["flash"]);
}

#[test]
fn no_two_types_share_a_name() {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in sources() {
        for line in s.code.lines() {
            let t = line.trim_start();
            let at_column_0 = t.len() == line.len();
            let t = t
                .strip_prefix("pub(crate) ")
                .or_else(|| t.strip_prefix("pub(super) "))
                .or_else(|| t.strip_prefix("pub "))
                .unwrap_or(t);
            let name = ["struct ", "enum ", "trait "]
                .iter()
                .find_map(|k| t.strip_prefix(k))
                // A type alias at item level; `type Error = …` inside an impl is not a type.
                .or_else(|| t.strip_prefix("type ").filter(|_| at_column_0))
                .map(ident_at);
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                seen.entry(name.to_string())
                    .or_default()
                    .push(s.rel.display().to_string());
            }
        }
    }
    let shared: Vec<_> = seen.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(seen.len() > 100, "found the crate's types: {}", seen.len());
    assert!(shared.is_empty(), "types that share a name: {shared:?}");
}
