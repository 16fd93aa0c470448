//! Serialisation of nodes back to HTML that parses into the same nodes.

use super::tags::VOID;
use super::tree::{Namespace, Node, NodeData};

const RAW_TEXT: &[&str] = &[
    "style",
    "script",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "noscript",
];

/// Appends the HTML of `node` (the node itself, not only its children) to `out`.
///
/// ```
/// use leptos_live::html::{parse_fragment, outer_html};
/// let root = parse_fragment(r#"<p class="a">x &amp; y<br></p>"#);
/// let mut out = String::new();
/// outer_html(root.children().at(0), &mut out);
/// assert_eq!(out, r#"<p class="a">x &amp; y<br></p>"#);
/// ```
pub fn outer_html(node: Node<'_>, out: &mut String) {
    write_node(node, false, out);
}

/// The HTML of `node`'s children, like the DOM's `innerHTML`.
///
/// ```
/// use leptos_live::html::{parse_fragment, inner_html};
/// assert_eq!(inner_html(&parse_fragment("<b>x</b>y")), "<b>x</b>y");
/// ```
#[cfg(any(test, feature = "internals", feature = "testing"))]
pub fn inner_html<'a>(node: impl Into<Node<'a>>) -> String {
    let node = node.into();
    let mut out = String::new();
    let raw = is_raw_parent(node);
    for c in node.children() {
        write_node(c, raw, &mut out);
    }
    out
}

fn is_raw_parent(node: Node<'_>) -> bool {
    node.as_element()
        .is_some_and(|e| e.ns == Namespace::Html && RAW_TEXT.contains(&e.name))
}

fn write_node(node: Node<'_>, raw_parent: bool, out: &mut String) {
    match node.data() {
        NodeData::Text(t) if raw_parent => out.push_str(t),
        NodeData::Text(t) => escape(t, false, out),
        NodeData::Comment(c) => {
            out.push_str("<!--");
            out.push_str(c);
            out.push_str("-->");
        }
        NodeData::ProcessingInstruction { target, data } => {
            // As the browser writes it: a space after the target even when there is no data.
            out.push_str("<?");
            out.push_str(target);
            out.push(' ');
            out.push_str(data);
            out.push_str("?>");
        }
        NodeData::Element(e) => {
            out.push('<');
            out.push_str(e.name);
            for a in e.attrs() {
                out.push(' ');
                out.push_str(a.name);
                out.push_str("=\"");
                escape(a.value, true, out);
                out.push('"');
            }
            out.push('>');
            let html = e.ns == Namespace::Html;
            if html && VOID.contains(&e.name) {
                return;
            }
            if html
                && matches!(e.name, "pre" | "textarea" | "listing")
                && node
                    .children()
                    .first()
                    .and_then(Node::as_text)
                    .is_some_and(|t| t.starts_with('\n'))
            {
                // The parser drops one leading newline after these start tags.
                out.push('\n');
            }
            let raw = is_raw_parent(node);
            for c in node.children() {
                write_node(c, raw, out);
            }
            out.push_str("</");
            out.push_str(e.name);
            out.push('>');
        }
    }
}

/// Escapes text (`&`, `<`, `>`, no-break space) or an attribute value (`&`, `"`, no-break space).
pub(crate) fn escape(s: &str, attr: bool, out: &mut String) {
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '\u{a0}' => "&nbsp;",
            '"' if attr => "&quot;",
            '<' if !attr => "&lt;",
            '>' if !attr => "&gt;",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        out.push_str(rep);
        run = i + c.len_utf8();
    }
    out.push_str(&s[run..]);
}
