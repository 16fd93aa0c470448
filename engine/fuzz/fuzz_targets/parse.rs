//! Arbitrary (UTF-8) HTML: the engine's parser must not panic, and its tree must equal
//! html5ever's (the engine claims to build the browser's tree, and falls back to html5ever
//! outside its fast path).
//!
//! With `FUZZ_PARSE_LOG=1` in the environment a differing tree is printed to stderr (a line
//! starting `MISMATCH`) instead of panicking, so that a long run can catalogue many kinds of
//! divergence rather than stop at the first (a panic on a mismatch is the default).
#![no_main]

use std::sync::OnceLock;

use leptos_live::html::{inner_html, on_fast_path, parse_fragment, parse_fragment_reference};
use libfuzzer_sys::fuzz_target;

fn log_only() -> bool {
    static LOG: OnceLock<bool> = OnceLock::new();
    *LOG.get_or_init(|| std::env::var_os("FUZZ_PARSE_LOG").is_some_and(|v| v == "1"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    let engine = parse_fragment(html);
    let _ = inner_html(&engine);
    let fast = on_fast_path(html);
    let reference = parse_fragment_reference(html);
    // html5ever pops past MathML `annotation-xml` (an HTML integration point) when it breaks
    // out of foreign content, where browsers and the engine stop (see HTML5EVER_DEVIATIONS in
    // the conformance test): a difference there is html5ever's.
    let html5ever_deviates = html.to_ascii_lowercase().contains("annotation-xml");
    if engine != reference && !html5ever_deviates {
        let (e, r) = (inner_html(&engine), inner_html(&reference));
        if log_only() {
            eprintln!("MISMATCH fast={fast} input={html:?} engine={e:?} html5ever={r:?}");
            return;
        }
        panic!(
            "engine tree != html5ever tree (on_fast_path = {fast}) for {html:?}\n  engine:    {e:?}\n  html5ever: {r:?}\n  engine tree:    {engine:?}\n  html5ever tree: {reference:?}"
        );
    }
});
