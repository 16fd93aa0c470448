//! Incremental reparse equals a whole parse: for random page pairs and Leptos pages, whenever
//! the engine plans a region reparse, the tree it gives is the parse of the new page, and its
//! spans keep serving the next change.

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos_live::diff::{apply, diff_planned};
use leptos_live::html::{parse_fragment, reparse};
use leptos_live_tests::pages::{keyed_pair, page_pair};
use proptest::prelude::*;

static PLANNED: AtomicUsize = AtomicUsize::new(0);

fn check(a: &str, b: &str, c: &str) {
    let mut tree = parse_fragment(a);
    if let Some(plan) = reparse::plan(a, &tree, b) {
        PLANNED.fetch_add(1, Ordering::Relaxed);
        // The operations for the planned region turn A into B as well.
        if let Ok(ops) = diff_planned(&tree, &plan) {
            let mut t = tree.clone();
            apply(&mut t, &ops).unwrap_or_else(|e| panic!("{e}\nA: {a}\nB: {b}\nops: {ops:?}"));
            assert_eq!(t, parse_fragment(b), "\nA: {a}\nB: {b}\nops: {ops:?}");
        }
        plan.apply(&mut tree);
        assert_eq!(tree, parse_fragment(b), "\nA: {a}\nB: {b}");
        // The spans after the change are right: a second change plans from them.
        if let Some(plan) = reparse::plan(b, &tree, c) {
            plan.apply(&mut tree);
            assert_eq!(tree, parse_fragment(c), "\nB: {b}\nC: {c}");
        }
    }
}

fn cases() -> u32 {
    leptos_live_tests::env_or("PROPTEST_CASES", 2000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn region_reparse_equals_whole_parse(seed in 1u64.., rounds in 1usize..3) {
        let (a, b) = page_pair(seed, rounds);
        let (_, c) = page_pair(seed ^ 0x5555, 1);
        check(&a, &b, &c);
        check(&a, &b, &b.replacen('a', "ab", 1));
    }

    #[test]
    fn keyed_list_edits(seed in 1u64.., n in 1usize..30) {
        let (a, b) = keyed_pair(seed, n);
        let (_, c) = keyed_pair(seed.wrapping_add(7), n);
        check(&a, &b, &c);
    }

    #[test]
    fn small_edits_anywhere(seed in 1u64.., at in 0usize..400, edit in 0usize..6) {
        let (a, _) = page_pair(seed, 1);
        let at = (0..=at.min(a.len())).rev().find(|&i| a.is_char_boundary(i)).unwrap_or(0);
        let snippet = ["x", "</b>", "<i>", "<li>q</li>", "&amp;", "<!--c-->"][edit];
        let b = format!("{}{snippet}{}", &a[..at], &a[at..]);
        let c = b.replacen('x', "yz", 1);
        check(&a, &b, &c);
    }
}

#[test]
fn common_page_edits_are_planned() {
    let row =
        |i: usize, t: &str| format!(r#"<tr id="r{i}"><td class="c">{i}</td><td>{t}</td></tr>"#);
    let table = |rows: &[String]| {
        format!(
            r#"<main><table><tbody>{}<!----></tbody></table></main>"#,
            rows.concat()
        )
    };
    let base: Vec<String> = (0..50).map(|i| row(i, "x")).collect();
    let mut cell = base.clone();
    cell[25] = row(25, "changed");
    let mut appended = base.clone();
    appended.push(row(50, "new"));
    let mut attr = base.clone();
    attr[10] = attr[10].replace("class=\"c\"", "class=\"c on\"");
    for b in [table(&cell), table(&appended), table(&attr)] {
        let a = table(&base);
        let mut tree = parse_fragment(&a);
        let plan = reparse::plan(&a, &tree, &b).expect("a local edit is planned");
        assert!(
            plan.last - plan.first <= 1,
            "only the edited part is parsed again"
        );
        plan.apply(&mut tree);
        assert_eq!(tree, parse_fragment(&b));
    }
}

#[test]
fn most_small_edits_are_reparsed_in_place() {
    let (mut planned, mut total) = (0, 0);
    for seed in 1..2000u64 {
        let (a, _) = page_pair(seed, 1);
        let at = (0..=(seed as usize * 7) % (a.len() + 1))
            .rev()
            .find(|&i| a.is_char_boundary(i))
            .unwrap_or(0);
        let b = format!("{}x{}", &a[..at], &a[at..]);
        total += 1;
        let mut tree = parse_fragment(&a);
        if let Some(plan) = reparse::plan(&a, &tree, &b) {
            planned += 1;
            plan.apply(&mut tree);
            assert_eq!(tree, parse_fragment(&b));
        }
    }
    assert!(
        planned * 2 > total,
        "only {planned} of {total} edits were planned"
    );
}
