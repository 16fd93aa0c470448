//! The diff's algebra: applying `diff(a, b)` to `a` gives `b`, for random page pairs.

use proptest::prelude::*;

use super::*;
use crate::html::{Node, parse_fragment};

/// A tiny deterministic generator, so that a failing seed reproduces exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

#[derive(Clone, Debug)]
enum M {
    Text(String),
    Comment(String),
    El(String, Vec<(String, String)>, Vec<M>),
}

/// Tags that nest anywhere; tables are generated whole so that every tree is one a parser makes.
const TAGS: &[&str] = &[
    "div", "span", "p", "b", "ul", "li", "button", "section", "em", "textarea", "pre",
];
const TABLE: &[&str] = &["table", "tbody", "tr"];
const VOIDS: &[&str] = &["br", "input", "img", "hr"];
const TEXTS: &[&str] = &[
    "a",
    "b c",
    " ",
    "\n  ",
    "x<y",
    "1 & 2",
    "\u{a0}",
    "long text here",
];

fn random_node(r: &mut Rng, depth: usize) -> M {
    match r.below(if depth == 0 { 3 } else { 6 }) {
        0 => M::Text(r.pick(TEXTS).to_string()),
        1 => M::Comment(r.pick(&["", "c", "x"]).to_string()),
        2 => M::El(r.pick(VOIDS).to_string(), attrs(r), vec![]),
        3 if depth > 1 => {
            let rows = (0..r.below(4))
                .map(|_| {
                    let cells = (0..1 + r.below(3))
                        .map(|_| M::El("td".into(), attrs(r), vec![random_node(r, depth - 2)]))
                        .collect();
                    M::El("tr".into(), attrs(r), cells)
                })
                .collect();
            M::El(
                "table".into(),
                attrs(r),
                vec![M::El("tbody".into(), vec![], rows)],
            )
        }
        _ => {
            let n = r.below(5);
            let children = (0..n).map(|_| random_node(r, depth - 1)).collect();
            M::El(r.pick(TAGS).to_string(), attrs(r), children)
        }
    }
}

fn attrs(r: &mut Rng) -> Vec<(String, String)> {
    let mut a = Vec::new();
    if r.below(3) == 0 {
        a.push(("id".to_string(), format!("k{}", r.below(6))));
    }
    if r.below(2) == 0 {
        a.push((
            "class".to_string(),
            r.pick(&["a", "b", "a b", ""]).to_string(),
        ));
    }
    if r.below(4) == 0 {
        a.push((
            "value".to_string(),
            r.pick(&["1", "two", "\"q\""]).to_string(),
        ));
    }
    a
}

fn mutate(r: &mut Rng, m: &mut M, depth: usize) {
    match m {
        M::Text(t) => *t = r.pick(TEXTS).to_string(),
        M::Comment(c) => c.push('!'),
        M::El(tag, attrs_, children) => match r.below(8) {
            // Table structure only reorders, loses or patches its rows and cells.
            2 | 5 if TABLE.contains(&tag.as_str()) => children.reverse(),
            5 if tag == "td" => {}
            0 => *attrs_ = attrs(r),
            1 if !children.is_empty() => {
                let i = r.below(children.len());
                children.remove(i);
            }
            2 => {
                let i = r.below(children.len() + 1);
                children.insert(i, random_node(r, depth.min(2)));
            }
            3 if children.len() > 1 => {
                let i = r.below(children.len());
                let c = children.remove(i);
                let j = r.below(children.len() + 1);
                children.insert(j, c);
            }
            4 => children.reverse(),
            5 => *tag = r.pick(TAGS).to_string(),
            _ => {
                for c in children.iter_mut() {
                    if r.below(2) == 0 {
                        mutate(r, c, depth + 1);
                    }
                }
            }
        },
    }
}

fn html(m: &M, out: &mut String) {
    match m {
        M::Text(t) => crate::html::escape(t, false, out),
        M::Comment(c) => {
            out.push_str("<!--");
            out.push_str(c);
            out.push_str("-->");
        }
        M::El(tag, attrs, children) => {
            out.push('<');
            out.push_str(tag);
            for (k, v) in attrs {
                out.push(' ');
                out.push_str(k);
                out.push_str("=\"");
                crate::html::escape(v, true, out);
                out.push('"');
            }
            out.push('>');
            if !VOIDS.contains(&tag.as_str()) {
                children.iter().for_each(|c| html(c, out));
                out.push_str("</");
                out.push_str(tag);
                out.push('>');
            }
        }
    }
}

fn page(ms: &[M]) -> Node {
    let mut s = String::new();
    ms.iter().for_each(|m| html(m, &mut s));
    parse_fragment(&s)
}

fn check(a: &Node, b: &Node) {
    let ops = diff(a, b);
    let mut t = a.clone();
    apply(&mut t, &ops).unwrap_or_else(|e| panic!("{e}: ops {ops:?}"));
    assert_eq!(&t, b, "ops {ops:?}");
}

/// 2,000 cases by default; `PROPTEST_CASES` sets more for a long run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn applying_the_diff_gives_the_target(seed in 1u64.., rounds in 1usize..4) {
        let mut r = Rng(seed);
        let a: Vec<M> = (0..1 + r.below(4)).map(|_| random_node(&mut r, 4)).collect();
        let mut b = a.clone();
        for _ in 0..rounds {
            for m in b.iter_mut() {
                mutate(&mut r, m, 0);
            }
            if r.below(3) == 0 {
                let i = r.below(b.len() + 1);
                b.insert(i, random_node(&mut r, 3));
            }
        }
        check(&page(&a), &page(&b));
    }

    #[test]
    fn keyed_lists_any_permutation(seed in 1u64.., n in 0usize..40) {
        let mut r = Rng(seed);
        let item = |i: usize| format!("<li id=\"r{i}\">row {i}</li>");
        let a: String = (0..n).map(item).collect();
        let mut order: Vec<usize> = (0..n).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, r.below(i + 1));
        }
        order.retain(|_| r.below(8) != 0);
        order.extend(n..n + r.below(3));
        let b: String = order.iter().map(|&i| item(i)).collect();
        check(&parse_fragment(&format!("<ul>{a}</ul>")), &parse_fragment(&format!("<ul>{b}</ul>")));
    }
}

#[test]
fn unchanged_pages_produce_no_ops() {
    let a = parse_fragment("<div><p>x</p><ul><li id=a>1</li></ul></div>");
    assert!(diff(&a, &a.clone()).is_empty());
}

#[test]
fn keyed_move_is_one_move() {
    let rows = |order: &[usize]| {
        let items: String = order
            .iter()
            .map(|i| format!("<li id=\"r{i}\">{i}</li>"))
            .collect();
        parse_fragment(&format!("<ul>{items}</ul>"))
    };
    let a = rows(&(0..100).collect::<Vec<_>>());
    let mut order: Vec<usize> = (0..100).collect();
    order.rotate_right(1);
    let ops = diff(&a, &rows(&order));
    assert_eq!(
        ops,
        vec![Op::Move {
            path: vec![0],
            from: 99,
            to: 0
        }]
    );
    // Moving the first row to the end is one move too.
    order = (0..100).collect();
    order.rotate_left(1);
    assert_eq!(diff(&a, &rows(&order)).len(), 1);
}

#[test]
fn append_sends_only_the_new_row() {
    let a = parse_fragment("<ul><li id=a>A</li><li id=b>B</li></ul>");
    let b = parse_fragment("<ul><li id=a>A</li><li id=b>B</li><li id=c>C</li></ul>");
    assert_eq!(
        diff(&a, &b),
        vec![Op::Insert {
            path: vec![0],
            index: 2,
            html: "<li id=\"c\">C</li>".into()
        }]
    );
}

#[test]
fn tag_change_replaces_the_node() {
    let a = parse_fragment("<p>x</p>");
    let b = parse_fragment("<div>x</div>");
    assert_eq!(
        diff(&a, &b),
        vec![Op::Replace {
            path: vec![0],
            html: "<div>x</div>".into()
        }]
    );
}
