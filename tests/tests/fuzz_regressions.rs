//! Inputs the parser fuzz target found (engine/fuzz/regressions/parse): the engine's tree must
//! equal html5ever's for each, as in the fuzz target itself.

use leptos_live::html::{inner_html, parse_fragment, parse_fragment_reference};

#[test]
fn fuzz_findings_stay_fixed() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/fuzz/regressions/parse");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("the regressions folder") {
        let path = entry.expect("an entry").path();
        let bytes = std::fs::read(&path).expect("a regression input");
        let Ok(html) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let (engine, reference) = (parse_fragment(html), parse_fragment_reference(html));
        assert_eq!(
            engine,
            reference,
            "{}: {html:?}\n  engine:    {:?}\n  html5ever: {:?}",
            path.display(),
            inner_html(&engine),
            inner_html(&reference)
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} regression inputs found");
}
