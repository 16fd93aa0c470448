//! The diff's algebra: applying `diff(a, b)` to `a` gives `b`, for random page pairs.

use leptos_live::diff::{apply, diff};
use leptos_live::html::parse_fragment;
use leptos_live_tests::pages::{keyed_pair, page_pair};
use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

static UNREPRESENTABLE: AtomicUsize = AtomicUsize::new(0);

/// 2,000 cases by default; `PROPTEST_CASES` sets more for a long run.
fn cases() -> u32 {
    leptos_live_tests::env_or("PROPTEST_CASES", 2000)
}

fn check(a: &str, b: &str) {
    let (ta, tb) = (parse_fragment(a), parse_fragment(b));
    let Ok(ops) = diff(&ta, &tb) else {
        // Not expressible as operations: the page would go out whole. It must be rare.
        UNREPRESENTABLE.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let mut t = ta.clone();
    apply(&mut t, &ops).unwrap_or_else(|e| panic!("{e}\nA: {a}\nB: {b}\nops: {ops:?}"));
    assert_eq!(t, tb, "\nA: {a}\nB: {b}\nops: {ops:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn applying_the_diff_gives_the_target(seed in 1u64.., rounds in 1usize..4) {
        let (a, b) = page_pair(seed, rounds);
        check(&a, &b);
    }

    #[test]
    fn keyed_lists_any_permutation(seed in 1u64.., n in 0usize..40) {
        let (a, b) = keyed_pair(seed, n);
        check(&a, &b);
    }
}
