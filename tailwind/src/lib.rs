//! For build scripts: generates a stylesheet from the Tailwind classes used in Rust sources,
//! with encre-css, so that no Node is needed to build or run an app.
//!
//! ```no_run
//! // build.rs of an app that uses leptos_live_components
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     leptos_live_tailwind::stylesheet(&["src", "../components/src"], "app.css")
//! }
//! ```
//! The app then embeds it: `include_str!(concat!(env!("OUT_DIR"), "/app.css"))`.

use std::path::{Path, PathBuf};
use std::{env, fs, io};

/// Every `.rs` file under `dir`, read.
fn collect(dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(fs::read_to_string(&path)?);
        }
    }
    Ok(())
}

/// The rules for the Tailwind classes found in the Rust sources under `dirs`, without Tailwind's
/// reset (its preflight), each selector scoped to the elements inside `scope` (a selector such
/// as `#lv-dashboard`): for a library's pages whose styles are added to an app's own. Unscoped,
/// a second sheet of Tailwind rules would override the app's responsive rules by coming later.
///
/// ```no_run
/// let css = leptos_live_tailwind::rules(&["src/dashboard"], "#lv-dashboard").unwrap();
/// assert!(css.contains("#lv-dashboard .rounded-xl {"));
/// ```
pub fn rules(dirs: &[&str], scope: &str) -> io::Result<String> {
    let mut sources = Vec::new();
    for dir in dirs {
        collect(Path::new(dir), &mut sources)?;
    }
    let mut config = encre_css::Config::default();
    config.preflight = encre_css::Preflight::None;
    let css = encre_css::generate(sources.iter().map(String::as_str), &config);
    Ok(scoped(&divides_between(&css), scope))
}

/// `css` with the `divide-x` and `divide-y` borders between the children, as in Tailwind.
///
/// encre-css (0.21) selects every child but the first (`> :not([hidden]) ~ :not([hidden])`, as
/// Tailwind 3 does) but gives each its border on the end side (as Tailwind 4 does for every
/// child but the last): there is no line between the first child and the second, and one
/// after the last (a table's first two rows, for instance, have no line between them). Here
/// the border goes on the start side, the one that faces the previous child; `divide-*-reverse`
/// still moves it to the end.
fn divides_between(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.split_inclusive('\n') {
        let divide = line.contains("var(--en-divide-y-reverse)")
            || line.contains("var(--en-divide-x-reverse)");
        let swapped = [
            ("border-block-start-width:", "border-block-end-width:"),
            ("border-block-end-width:", "border-block-start-width:"),
            ("border-inline-start-width:", "border-inline-end-width:"),
            ("border-inline-end-width:", "border-inline-start-width:"),
        ]
        .iter()
        .find_map(|(from, to)| {
            let text = line.trim_start();
            let indent = &line[..line.len() - text.len()];
            text.strip_prefix(from)
                .map(|rest| format!("{indent}{to}{rest}"))
        });
        match swapped {
            Some(fixed) if divide => out.push_str(&fixed),
            _ => out.push_str(line),
        }
    }
    out
}

/// `css` with every selector of its rules prefixed by `scope` (descendants of it). At-rules
/// (`@media`) are kept as they are, and the rules inside them scoped.
fn scoped(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    // Inside a rule's declarations (`{` … `}` of a selector, not of an at-rule).
    let mut in_rule = false;
    for line in css.lines() {
        let text = line.trim_start();
        let indent = &line[..line.len() - text.len()];
        if in_rule {
            in_rule = !text.starts_with('}');
            out.push_str(line);
        } else if text.starts_with('@') || text.starts_with('}') || text.is_empty() {
            out.push_str(line);
        } else {
            // A selector line: `a, b {`, or part of a list that goes on (`a,`).
            let (selectors, end) = match text.strip_suffix('{') {
                Some(s) => (s.trim_end(), " {"),
                None => (text.trim_end_matches(','), ","),
            };
            in_rule = end == " {";
            let mut depth = 0i32;
            let mut start = 0;
            let mut parts = Vec::new();
            for (i, c) in selectors.char_indices() {
                match c {
                    '(' | '[' => depth += 1,
                    ')' | ']' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(&selectors[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            parts.push(&selectors[start..]);
            let parts: Vec<String> = parts
                .iter()
                .map(|p| format!("{scope} {}", p.trim()))
                .collect();
            out.push_str(indent);
            out.push_str(&parts.join(", "));
            out.push_str(end);
        }
        out.push('\n');
    }
    out
}

/// Writes `OUT_DIR/<name>` with the CSS for the classes found in the Rust sources under `dirs`
/// (relative to the crate being built), and tells cargo to run the build again when they change.
pub fn stylesheet(dirs: &[&str], name: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut sources = Vec::new();
    for dir in dirs {
        println!("cargo::rerun-if-changed={dir}");
        collect(Path::new(dir), &mut sources)?;
    }
    let css = encre_css::generate(
        sources.iter().map(String::as_str),
        &encre_css::Config::default(),
    );
    fs::write(
        PathBuf::from(env::var("OUT_DIR")?).join(name),
        divides_between(&css),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_divide_puts_the_border_before_each_child_but_the_first() {
        let config = encre_css::Config::default();
        let css = super::divides_between(&encre_css::generate(["divide-y divide-x"], &config));
        for line in [
            "  border-block-start-width: calc(1px * calc(1 - var(--en-divide-y-reverse)));\n",
            "  border-block-end-width: calc(1px * var(--en-divide-y-reverse));\n",
            "  border-inline-start-width: calc(1px * calc(1 - var(--en-divide-x-reverse)));\n",
            "  border-inline-end-width: calc(1px * var(--en-divide-x-reverse));\n",
        ] {
            assert!(css.contains(line), "{line} in {css}");
        }
        // Other borders stay as they are.
        let border = encre_css::generate(["border-s"], &config);
        assert_eq!(super::divides_between(&border), border);
    }

    #[test]
    fn every_selector_is_scoped_and_at_rules_kept() {
        let css = ".a {\n  color: red;\n}\n\n.b > :not(:last-child), .c\\:x:is(a, b) {\n  margin: 0;\n}\n@media (width >= 40rem) {\n  .sm\\:d {\n    display: none;\n  }\n}\n";
        assert_eq!(
            super::scoped(css, "#s"),
            "#s .a {\n  color: red;\n}\n\n#s .b > :not(:last-child), #s .c\\:x:is(a, b) {\n  margin: 0;\n}\n@media (width >= 40rem) {\n  #s .sm\\:d {\n    display: none;\n  }\n}\n"
        );
    }
}
