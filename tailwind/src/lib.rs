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
/// reset (its preflight): for a library's pages whose styles add to an app's own, as
/// `leptos_live::dashboard::STYLESHEET` does.
///
/// ```no_run
/// let css = leptos_live_tailwind::rules(&["src/dashboard"]).unwrap();
/// assert!(!css.contains("box-sizing: border-box"));
/// ```
pub fn rules(dirs: &[&str]) -> io::Result<String> {
    let mut sources = Vec::new();
    for dir in dirs {
        collect(Path::new(dir), &mut sources)?;
    }
    let mut config = encre_css::Config::default();
    config.preflight = encre_css::Preflight::None;
    Ok(encre_css::generate(
        sources.iter().map(String::as_str),
        &config,
    ))
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
    fs::write(PathBuf::from(env::var("OUT_DIR")?).join(name), css)?;
    Ok(())
}
