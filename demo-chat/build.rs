//! Generates the demo's stylesheet from the Tailwind classes in its sources, with encre-css: no Node is needed to build or run.

use std::path::Path;
use std::{env, fs, io};

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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=src");
    println!("cargo::rerun-if-changed=../components/src");
    let mut sources = Vec::new();
    collect(Path::new("src"), &mut sources)?;
    // The components the chat uses carry classes of their own.
    collect(Path::new("../components/src"), &mut sources)?;
    let config = encre_css::Config::default();
    let css = encre_css::generate(sources.iter().map(String::as_str), &config);
    fs::write(Path::new(&env::var("OUT_DIR")?).join("app.css"), css)?;
    Ok(())
}
