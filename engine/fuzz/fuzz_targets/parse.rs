//! Arbitrary (UTF-8) HTML: the engine's parser must not panic, and its tree must equal
//! html5ever's (the engine claims to build the browser's tree, and falls back to html5ever
//! outside its fast path).
#![no_main]

use leptos_live::html::{inner_html, on_fast_path, parse_fragment, parse_fragment_reference};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    let engine = parse_fragment(html);
    let _ = inner_html(&engine);
    let fast = on_fast_path(html);
    let reference = parse_fragment_reference(html);
    if engine != reference {
        panic!(
            "engine tree != html5ever tree (on_fast_path = {fast}) for {html:?}\n  engine:    {:?}\n  html5ever: {:?}\n  engine tree:    {engine:?}\n  html5ever tree: {reference:?}",
            inner_html(&engine),
            inner_html(&reference),
        );
    }
});
