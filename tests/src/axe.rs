//! Accessibility audits with axe-core in headless Chromium.
//!
//! `cargo xtask test` installs axe-core (pinned, from npm) into `target/axe-core` when it is
//! missing; `AXE_CORE` in the environment names another `axe.min.js`. [`audit`] injects the
//! script into a page, runs every rule axe has, and fails on each violation of serious or
//! critical impact, naming the rule, the elements and how to fix them.
//!
//! ```no_run
//! # async fn f(url: &str) {
//! use leptos_live_tests::{axe, browser::Browser};
//! let mut browser = Browser::launch().await;
//! let mut page = browser.open(url).await;
//! page.wait_connected().await;
//! axe::audit(&mut page, "the counter").await;
//! # }
//! ```

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::browser::Page;

/// The axe-core version `cargo xtask test` installs (xtask/src/main.rs pins the same).
pub const VERSION: &str = "4.10.3";

/// Where axe-core's script is: `AXE_CORE` in the environment, else where `cargo xtask test`
/// installs it, `target/axe-core/node_modules/axe-core/axe.min.js` in the workspace.
pub fn script_path() -> PathBuf {
    std::env::var_os("AXE_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../target/axe-core/node_modules/axe-core/axe.min.js")
        })
}

/// axe-core's script; panics with how to install it when it is missing.
fn script() -> String {
    let path = script_path();
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: the accessibility audits need axe-core (`cargo xtask test` installs it, \
             or `npm install --prefix target/axe-core axe-core@{VERSION}`, or set AXE_CORE)",
            path.display()
        )
    })
}

/// The violations of serious or critical impact axe finds in `page` as it is now, each as
/// `rule (impact): help; the elements' selectors`.
pub async fn violations(page: &mut Page<'_>) -> Vec<String> {
    let injected = page
        .cmd("Runtime.evaluate", json!({ "expression": script() }))
        .await;
    assert!(
        injected.get("exceptionDetails").is_none(),
        "axe-core did not load: {}",
        injected["exceptionDetails"]
    );
    let found = page
        .eval(
            "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => \
             ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))",
        )
        .await;
    let all: Vec<&Value> = found.as_array().into_iter().flatten().collect();
    // The lesser ones are shown (with --nocapture), not failed.
    for v in &all {
        println!("axe: {}", describe(v));
    }
    all.into_iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(describe)
        .collect()
}

fn describe(v: &Value) -> String {
    let nodes: Vec<&str> = v["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    format!(
        "{} ({}): {}; at {}",
        v["id"].as_str().unwrap_or("?"),
        v["impact"].as_str().unwrap_or("?"),
        v["help"].as_str().unwrap_or(""),
        nodes.join(", ")
    )
}

/// Fails when axe finds a serious or critical violation in `page` (`what` names it).
pub async fn audit(page: &mut Page<'_>, what: &str) {
    let found = violations(page).await;
    assert!(
        found.is_empty(),
        "axe-core {VERSION} finds {} serious or critical violations in {what}:\n{}",
        found.len(),
        found.join("\n")
    );
}
