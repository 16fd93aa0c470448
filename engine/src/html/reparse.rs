//! Incremental reparse: when a page's new HTML differs from the old in one place, only the
//! children around that place are parsed again, inside the same open elements as in the whole
//! page. Work is then proportional to the change, not to the page.
//!
//! The region is found from the common prefix and suffix of the two HTML texts and the source
//! spans the parser keeps. Whenever the region's parse could differ from a parse of the whole
//! page (an element the region would close or leave open, markup cut at the region's edge, text
//! that would merge with a neighbour, anything needing the full parser, a tree without spans),
//! there is no plan and the caller parses the whole page.

use super::builder::build_region;
use super::node::{Element, NO_SPAN, Namespace, Node, NodeData};
use super::string::Str;

/// How to turn the old tree into the new one: the children `first..last` of the element at
/// `path` give way to `nodes`.
pub struct Plan {
    /// Child indices from the root to the parent element of the region.
    pub path: Vec<u32>,
    /// The first old child replaced.
    pub first: usize,
    /// One past the last old child replaced.
    pub last: usize,
    /// The new children, with spans in the new HTML.
    pub nodes: Vec<Node>,
    /// The parent's namespace and tag, the context the region's HTML belongs to.
    pub context: (Namespace, Str),
    /// Where the replaced source ended in the old HTML.
    old_end: u32,
    /// New length minus old length of the HTML.
    delta: i64,
}

/// Elements whose content cannot be parsed as a region: raw text, a leading newline dropped
/// after the start tag, template contents.
fn opaque(e: &Element) -> bool {
    e.ns == Namespace::Html
        && matches!(
            &*e.name,
            "script"
                | "style"
                | "textarea"
                | "title"
                | "xmp"
                | "iframe"
                | "noembed"
                | "noframes"
                | "noscript"
                | "plaintext"
                | "pre"
                | "listing"
                | "template"
        )
}

/// The lengths of the common prefix and of the common suffix of `a` and `b`, not overlapping.
pub(crate) fn common_ends<T: PartialEq>(a: &[T], b: &[T]) -> (usize, usize) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, suffix)
}

fn is_text(n: Option<&Node>) -> bool {
    matches!(n.map(Node::data), Some(NodeData::Text(_)))
}

/// The plan that turns `old` (the parse of `old_html`, with spans) into the parse of
/// `new_html`, or `None` when only a parse of the whole page is right.
///
/// ```
/// use leptos_live::html::{parse_fragment, reparse};
/// let (a, b) = ("<ul><li>1</li><li>2</li></ul>", "<ul><li>1</li><li>two</li></ul>");
/// let mut tree = parse_fragment(a);
/// let plan = reparse::plan(a, &tree, b).unwrap();
/// assert_eq!(plan.path, vec![0, 1]); // only inside the second <li>
/// plan.apply(&mut tree);
/// assert_eq!(tree, parse_fragment(b));
/// ```
pub fn plan(old_html: &str, old: &Node, new_html: &str) -> Option<Plan> {
    let (a, b) = (old_html.as_bytes(), new_html.as_bytes());
    if a == b || u32::try_from(a.len().max(b.len())).is_err() {
        return None;
    }
    let (prefix, suffix) = common_ends(a, b);
    let (cs, ce) = (prefix as u32, (a.len() - suffix) as u32);
    let mut ancestors: Vec<Element> = vec![old.as_element()?.clone()];
    let mut node = old;
    let mut path = Vec::new();
    let (mut content_start, mut content_end) = (0u32, a.len() as u32);
    let (first, last) = loop {
        let kids = node.children();
        if kids
            .iter()
            .any(|k| k.span()[0] == NO_SPAN || k.span()[3] == NO_SPAN)
        {
            return None;
        }
        // Children that overlap the changed bytes, or end where they start: the last token before
        // the change may read differently with what now follows it (a lone `<`, a reference).
        let first = kids.partition_point(|k| k.span()[3] < cs);
        let last = kids.partition_point(|k| k.span()[0] < ce).max(first);
        if last == first + 1
            && let Some(e) = kids[first].as_element()
            && !opaque(e)
        {
            let s = kids[first].span();
            if s[1] != NO_SPAN && s[2] != NO_SPAN && s[2] < s[3] && s[1] <= cs && ce <= s[2] {
                path.push(first as u32);
                ancestors.push(e.clone());
                (content_start, content_end) = (s[1], s[2]);
                node = &kids[first];
                continue;
            }
        }
        break (first, last);
    };
    let parent = ancestors.last()?;
    if opaque(parent) {
        return None;
    }
    // The region runs from the end of the child before to the start of the child after, so
    // that it also takes in tokens that made no node (an ignored end tag, say).
    let kids = node.children();
    let rs = first
        .checked_sub(1)
        .map_or(content_start, |i| kids[i].span()[3]);
    let re = kids.get(last).map_or(content_end, |k| k.span()[0]);
    if rs > cs || re < ce || rs < content_start || re > content_end {
        return None;
    }
    let delta = b.len() as i64 - a.len() as i64;
    let new_end = u32::try_from(i64::from(re) + delta).ok()?;
    let region = new_html.get(rs as usize..new_end as usize)?;
    let context = (parent.ns, parent.name.clone());
    let nodes = build_region(region, ancestors, rs)?;
    // Text at the region's edges would merge with text beside it in a whole parse.
    let (before, after) = (
        first.checked_sub(1).and_then(|i| kids.get(i)),
        kids.get(last),
    );
    let merges = match (nodes.first(), nodes.last()) {
        (Some(f), Some(l)) => {
            (is_text(before) && is_text(Some(f))) || (is_text(after) && is_text(Some(l)))
        }
        _ => is_text(before) && is_text(after),
    };
    if merges {
        return None;
    }
    Some(Plan {
        path,
        first,
        last,
        nodes,
        context,
        old_end: re,
        delta,
    })
}

impl Plan {
    /// Turns the old tree into the new one: splices the new children in, moves the source
    /// spans after the change, and recomputes the hashes along the path.
    pub fn apply(self, tree: &mut Node) {
        shift(tree, Some(&self.path), self.old_end, self.delta);
        splice(tree, &self.path, self.first, self.last, self.nodes);
    }
}

/// Moves source positions behind the change (`from` is where the old region ended) by
/// `delta`; the elements on `path` hold the change, and their content grows or shrinks with it.
fn shift(node: &mut Node, path: Option<&[u32]>, from: u32, delta: i64) {
    let span = node.span();
    if span[3] != NO_SPAN && (span[3] < from || (span[3] == from && path.is_none())) {
        return;
    }
    let moved = |v: u32, moves: bool| {
        if v != NO_SPAN && moves {
            (i64::from(v) + delta).clamp(0, i64::from(NO_SPAN - 1)) as u32
        } else {
            v
        }
    };
    let holds = path.is_some();
    let s = node.span_mut();
    // At `from` itself: an element holding the change keeps its start and moves its end; any
    // other node keeps its end (it is before the change) and moves its start (it is after).
    s[0] = moved(s[0], s[0] > from || (s[0] == from && !holds));
    s[1] = moved(s[1], s[1] > from || (s[1] == from && !holds));
    s[2] = moved(s[2], s[2] > from || (s[2] == from && holds));
    s[3] = moved(s[3], s[3] > from || (s[3] == from && holds));
    let next: Option<(usize, &[u32])> = path
        .and_then(|p| p.split_first())
        .map(|(j, rest)| (*j as usize, rest));
    for (i, c) in node.parts_mut().1.iter_mut().enumerate() {
        let on_path = next.and_then(|(j, rest)| (j == i).then_some(rest));
        shift(c, on_path, from, delta);
    }
}

fn splice(node: &mut Node, path: &[u32], first: usize, last: usize, nodes: Vec<Node>) {
    match path.split_first() {
        None => {
            let (_, children) = node.parts_mut();
            if first <= last && last <= children.len() {
                children.splice(first..last, nodes);
            }
        }
        Some((&i, rest)) => {
            if let Some(child) = node.parts_mut().1.get_mut(i as usize) {
                splice(child, rest, first, last, nodes);
            }
        }
    }
    node.rehash();
}
