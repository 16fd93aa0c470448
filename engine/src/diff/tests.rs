//! The diff's shape on known cases. The property tests over random page pairs live in the
//! workspace's `tests/` crate (`diff_props.rs`, and in Chromium `patch_in_browser.rs`).

use super::*;
use crate::html::parse_fragment;

#[test]
fn unchanged_pages_produce_no_ops() {
    let a = parse_fragment("<div><p>x</p><ul><li id=a>1</li></ul></div>");
    assert!(diff(&a, &a.clone()).unwrap().is_empty());
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
    let ops = diff(&a, &rows(&order)).unwrap();
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
    assert_eq!(diff(&a, &rows(&order)).unwrap().len(), 1);
}

#[test]
fn append_sends_only_the_new_row() {
    let a = parse_fragment("<ul><li id=a>A</li><li id=b>B</li></ul>");
    let b = parse_fragment("<ul><li id=a>A</li><li id=b>B</li><li id=c>C</li></ul>");
    assert_eq!(
        diff(&a, &b).unwrap(),
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
        diff(&a, &b).unwrap(),
        vec![Op::Replace {
            path: vec![0],
            html: "<div>x</div>".into()
        }]
    );
}
