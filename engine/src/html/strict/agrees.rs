//! The strict path agrees with the tree builder wherever it accepts the input: the same nodes
//! and the same source spans, for whole fragments and for regions inside ancestors.

use proptest::prelude::*;

use super::build;
use crate::html::builder;
use crate::html::tree::{ElementData, Namespace, Node};

/// Tag names, plain ones several times over so that much of what is generated is accepted.
const NAMES: &[&str] = &[
    "div", "div", "span", "span", "b", "ul", "li", "li", "td", "tr", "a", "p", "p", "div", "span",
    "p", "a", "b", "i", "em", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "button", "form",
    "label", "section", "table", "tbody", "thead", "tr", "td", "th", "caption", "select", "option",
    "pre", "textarea", "nobr", "svg", "my-el", "br", "img", "input", "hr",
];
const ATTRS: &[&str] = &[
    " class=\"x y\"",
    " id=\"r1\"",
    " disabled",
    " href=\"a&amp;b\"",
    " title=\"&notit;\"",
    " data-x='y'",
    " type=\"hidden\"",
    " class=\"z\"",
];
const TEXTS: &[&str] = &[
    "x",
    " ",
    "\n  ",
    "a &amp; b",
    "&lt;",
    "1\r\n2",
    "&#x41;",
    "a < b",
];
const STRAY: &[&str] = &[
    "<!>", "<!>", "<!--c-->", "<!---->", "</p>", "</div>", "<br/>", "<P>", "<!-->",
];

#[derive(Clone, Debug)]
enum Piece {
    Element(usize, Vec<usize>, Vec<Piece>),
    /// A table written out in full, with the pieces in one cell (and `<thead>` if `bool`).
    Table(bool, Vec<Piece>),
    Text(usize),
    Stray(usize),
}

fn piece() -> impl Strategy<Value = Piece> {
    let leaf = prop_oneof![
        4 => (0..TEXTS.len()).prop_map(Piece::Text),
        1 => (0..STRAY.len()).prop_map(Piece::Stray),
    ];
    leaf.prop_recursive(5, 48, 5, |inner| {
        prop_oneof![
            6 => (
                0..NAMES.len(),
                prop::collection::vec(0..ATTRS.len(), 0..3),
                prop::collection::vec(inner.clone(), 0..5),
            )
                .prop_map(|(n, a, c)| Piece::Element(n, a, c)),
            1 => (any::<bool>(), prop::collection::vec(inner, 0..3))
                .prop_map(|(head, c)| Piece::Table(head, c)),
        ]
    })
}

fn write(p: &Piece, out: &mut String) {
    match p {
        Piece::Text(t) => out.push_str(TEXTS[*t]),
        Piece::Stray(s) => out.push_str(STRAY[*s]),
        Piece::Table(head, cell) => {
            out.push_str("<table>");
            if *head {
                out.push_str("<thead><tr><th>h</th></tr></thead>");
            }
            out.push_str("\n<tbody><tr id=\"r\"><td>");
            cell.iter().for_each(|c| write(c, out));
            out.push_str("</td></tr>\n</tbody></table>");
        }
        Piece::Element(n, attrs, children) => {
            let name = NAMES[*n];
            out.push('<');
            out.push_str(name);
            attrs.iter().for_each(|a| out.push_str(ATTRS[*a]));
            out.push('>');
            if !matches!(name, "br" | "img" | "input" | "hr") {
                children.iter().for_each(|c| write(c, out));
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
        }
    }
}

fn html_element(name: &str) -> ElementData {
    ElementData::new(Namespace::Html, name)
}

/// Node equality does not look at spans; this does, over the whole subtree.
fn same_spans(a: Node<'_>, b: Node<'_>) -> bool {
    a.span() == b.span()
        && a.children().len() == b.children().len()
        && a.children()
            .iter()
            .zip(b.children().iter())
            .all(|(x, y)| same_spans(x, y))
}

fn agree(html: &str, ancestors: &[&str], offset: u32) -> Result<bool, TestCaseError> {
    let chain: Vec<ElementData> = ancestors.iter().map(|n| html_element(n)).collect();
    // A whole fragment starts at byte 0.
    let offset = if ancestors.len() == 1 { 0 } else { offset };
    let Some(strict) = build(html, &chain, offset) else {
        return Ok(false);
    };
    let reference = if ancestors.len() == 1 {
        builder::build(html, chain[0].clone())
    } else {
        builder::build_region(html, chain, offset)
    };
    let reference = reference.ok_or_else(|| {
        TestCaseError::fail(format!("strict accepts, tree builder does not: {html:?}"))
    })?;
    prop_assert_eq!(
        strict.children(),
        reference.children(),
        "{:?} in {:?}",
        html,
        ancestors
    );
    for (s, r) in strict.children().iter().zip(reference.children().iter()) {
        prop_assert!(
            same_spans(s, r),
            "spans differ: {:?} in {:?}",
            html,
            ancestors
        );
    }
    Ok(true)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn strict_path_builds_the_tree_builders_tree(
        pieces in prop::collection::vec(piece(), 1..6),
    ) {
        let mut html = String::new();
        pieces.iter().for_each(|p| write(p, &mut html));
        for ancestors in [
            &["div"][..],
            &["td"],
            &["div", "table", "tbody"],
            &["div", "table", "tbody", "tr"],
            &["div", "p"],
            &["div", "ul", "li"],
            &["div", "a", "span"],
        ] {
            agree(&html, ancestors, 7)?;
        }
    }
}

#[test]
fn the_generator_reaches_the_strict_path() {
    // Plain nesting from the same vocabulary is accepted, so the property above is not vacuous.
    let html = "<div class=\"x y\"><ul><li><a href=\"a&amp;b\">x</a></li></ul><table><tbody>\
                <tr><td><b>1</b></td></tr></tbody></table><br/><!>a &amp; b</div>";
    assert!(agree(html, &["div"], 0).unwrap());
    assert!(agree("<tr><td>1</td></tr>", &["div", "table", "tbody"], 3).unwrap());
}
