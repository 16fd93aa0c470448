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
use super::strict;
use super::string::Str;
use super::tags::TEXT_ONLY;
use super::tree::{Children, ElementData, NO_SPAN, Namespace, Node, Tree, moved, moved_by};

/// How to turn the old tree into the new one: the children `first..last` of the element at
/// `path` give way to `nodes`.
pub struct Plan {
    /// Child indices from the root to the parent element of the region.
    pub path: Vec<u32>,
    /// The first old child replaced.
    pub first: usize,
    /// One past the last old child replaced.
    pub last: usize,
    /// The new children (with spans in the new HTML) below a copy of their parent.
    fragment: Tree,
    /// The parent's namespace and tag, the context the region's HTML belongs to.
    pub context: (Namespace, Str),
    /// Where the replaced source ended in the old HTML.
    old_end: u32,
    /// New length minus old length of the HTML (both fit an i32).
    delta: i32,
}

/// Elements whose content cannot be parsed as a region: raw text, a leading newline dropped
/// after the start tag, template contents.
fn opaque(ns: Namespace, name: &str) -> bool {
    ns == Namespace::Html
        && (TEXT_ONLY.contains(&name) || matches!(name, "pre" | "listing" | "template"))
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

/// [`common_ends`] for bytes, comparing a block at a time (a block compare is a `memcmp`) and
/// byte by byte only inside the block that differs: a page's HTML is long, its change short.
pub(crate) fn common_byte_ends(a: &[u8], b: &[u8]) -> (usize, usize) {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let mut prefix = 0;
    while prefix + BLOCK <= n && a[prefix..prefix + BLOCK] == b[prefix..prefix + BLOCK] {
        prefix += BLOCK;
    }
    prefix += a[prefix..n]
        .iter()
        .zip(&b[prefix..n])
        .take_while(|(x, y)| x == y)
        .count();
    let room = n - prefix;
    let (ea, eb) = (a.len(), b.len());
    let mut suffix = 0;
    while suffix + BLOCK <= room
        && a[ea - suffix - BLOCK..ea - suffix] == b[eb - suffix - BLOCK..eb - suffix]
    {
        suffix += BLOCK;
    }
    suffix += a[..ea - suffix]
        .iter()
        .rev()
        .zip(b[..eb - suffix].iter().rev())
        .take(room - suffix)
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, suffix)
}

fn is_text(n: Option<Node<'_>>) -> bool {
    n.and_then(Node::as_text).is_some()
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
pub fn plan(old_html: &str, old: &Tree, new_html: &str) -> Option<Plan> {
    let (a, b) = (old_html.as_bytes(), new_html.as_bytes());
    if a == b {
        return None;
    }
    let (prefix, suffix) = common_byte_ends(a, b);
    plan_between(a.len(), old, new_html, prefix, suffix)
}

/// [`plan`] when the caller knows where the texts differ: the old HTML was `old_len` bytes,
/// and it shares its first `prefix` and last `suffix` bytes with `new_html` (which need not be
/// the longest such ends). Nothing else of the old HTML is read.
pub fn plan_between(
    old_len: usize,
    old: &Tree,
    new_html: &str,
    prefix: usize,
    suffix: usize,
) -> Option<Plan> {
    let b = new_html.as_bytes();
    // Positions fit a u32 and the moves between them an i32.
    if i32::try_from(old_len.max(b.len())).is_err() || prefix + suffix > old_len.min(b.len()) {
        return None;
    }
    let (cs, ce) = (prefix as u32, (old_len - suffix) as u32);
    let old = old.root();
    let mut ancestors: Vec<ElementData> = vec![old.as_element()?.to_data()];
    let mut node = old;
    let mut path = Vec::new();
    let (mut content_start, mut content_end) = (0u32, old_len as u32);
    // What the ancestors of `node`'s children still owe them (see `Node::pending`).
    let mut owed = i64::from(old.pending());
    let (first, last) = loop {
        let kids = node.children();
        let span = |k: Node<'_>| moved_by(k.span(), owed);
        // Children that overlap the changed bytes, or end where they start: the last token before
        // the change may read differently with what now follows it (a lone `<`, a reference).
        let first = kids.partition_point(|k| span(k)[3] < cs);
        let last = kids.partition_point(|k| span(k)[0] < ce).max(first);
        // The searches take the children's spans to be in order, which holds for the children
        // that have spans (an implied element has none). So the children they settled on and
        // those on either side must have spans, and must lie as the searches found them: then
        // every other child lies wholly before or after the change, and none need be read.
        let known = |k: Node<'_>| k.span()[0] != NO_SPAN && k.span()[3] != NO_SPAN;
        if (first.saturating_sub(1)..(last + 1).min(kids.len())).any(|i| !known(kids.at(i)))
            || first
                .checked_sub(1)
                .is_some_and(|i| span(kids.at(i))[3] >= cs)
            || kids.get(first).is_some_and(|k| span(k)[3] < cs)
            || (first < last && span(kids.at(last - 1))[0] >= ce)
            || kids.get(last).is_some_and(|k| span(k)[0] < ce)
        {
            return None;
        }
        if last == first + 1
            && let Some(e) = kids.at(first).as_element()
            && !opaque(e.ns, e.name)
        {
            let s = span(kids.at(first));
            if s[1] != NO_SPAN && s[2] != NO_SPAN && s[2] < s[3] && s[1] <= cs && ce <= s[2] {
                path.push(first as u32);
                ancestors.push(e.to_data());
                (content_start, content_end) = (s[1], s[2]);
                owed += i64::from(kids.at(first).pending());
                node = kids.at(first);
                continue;
            }
        }
        break (first, last);
    };
    let span = |k: Node<'_>| moved_by(k.span(), owed);
    let parent = ancestors.last()?;
    if opaque(parent.ns, &parent.name) {
        return None;
    }
    // The region runs from the end of the child before to the start of the child after, so
    // that it also takes in tokens that made no node (an ignored end tag, say).
    let kids = node.children();
    let rs = first
        .checked_sub(1)
        .map_or(content_start, |i| span(kids.at(i))[3]);
    let re = kids.get(last).map_or(content_end, |k| span(k)[0]);
    if rs > cs || re < ce || rs < content_start || re > content_end {
        return None;
    }
    let delta = i32::try_from(b.len()).ok()? - i32::try_from(old_len).ok()?;
    let new_end = u32::try_from(i64::from(re) + i64::from(delta)).ok()?;
    let region = new_html.get(rs as usize..new_end as usize)?;
    let context = (parent.ns, parent.name.clone());
    let fragment = match strict::build(region, &ancestors, rs) {
        Some(fragment) => fragment,
        None => build_region(region, ancestors, rs)?,
    };
    // Text at the region's edges would merge with text beside it in a whole parse.
    let (before, after) = (
        first.checked_sub(1).and_then(|i| kids.get(i)),
        kids.get(last),
    );
    let nodes = fragment.children();
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
        fragment,
        context,
        old_end: re,
        delta,
    })
}

impl Plan {
    /// The new children, with spans in the new HTML.
    pub fn nodes(&self) -> Children<'_> {
        self.fragment.children()
    }

    /// Turns the old tree into the new one: splices the new children in, moves the source
    /// spans after the change, and recomputes the hashes along the path.
    pub fn apply(self, tree: &mut Tree) {
        let root = tree.root_id();
        shift(tree, root, &self.path, self.first, self.old_end, self.delta);
        let mut ids = vec![root];
        for &i in &self.path {
            match ids.last().and_then(|&id| tree.kid_ids(id).nth(i as usize)) {
                Some(id) => ids.push(id),
                None => return,
            }
        }
        let Some(&parent) = ids.last() else { return };
        let new = tree.graft(self.fragment);
        if !tree.splice_kids(parent, self.first..self.last, new) {
            return;
        }
        for &id in ids.iter().rev() {
            tree.rehash(id);
        }
        tree.maybe_compact();
    }
}

/// Moves source positions behind the change (`from` is where the old region ended) by
/// `delta`. `node` holds the change (the root, or an element on `path`): its content grows or
/// shrinks with it. Its children's spans are made exact first; of those, the one on the path
/// holds the change too, the ones after the change move with everything below them (lazily),
/// and the ones before it stay. Which children come before is told by their place (before the
/// one on the path, or before `first` in the region's parent), not by their spans: an implied
/// element has none.
fn shift(tree: &mut Tree, id: u32, path: &[u32], first: usize, from: u32, delta: i32) {
    let s = &mut tree.rec_mut(id).span;
    // An element holding the change keeps its start and moves its end.
    for v in &mut s[2..] {
        if *v >= from {
            *v = moved(*v, i64::from(delta));
        }
    }
    tree.settle(id);
    let next = path.split_first();
    // The first child that moves: the one after the path's, or the region's first.
    let moves_from = next.map_or(first, |(&j, _)| j as usize + 1);
    let kids = tree.kid_ids(id);
    if let Some((&j, rest)) = next
        && let Some(c) = kids.clone().nth(j as usize)
    {
        shift(tree, c, rest, first, from, delta);
    }
    if delta != 0 {
        for c in kids.skip(moves_from) {
            tree.rec_mut(c).move_all(delta);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::parse_fragment;

    #[test]
    fn an_implied_element_away_from_the_change_does_not_stop_the_plan() {
        // The table's first child is an implied <tbody> (no source span); the change is in the
        // explicit one two places after it.
        let a = "<table><tr><td>1</td></tr><caption>x</caption><tbody><tr><td>2</td></tr></tbody></table><p>p</p>";
        let b = a.replace("<td>2</td>", "<td>22</td>");
        let c = b.replace("<p>p</p>", "<p>pq</p>");
        let mut tree = parse_fragment(a);
        let plan = plan(a, &tree, &b).expect("a plan");
        assert_eq!(plan.path, [0, 2, 0, 0], "down to the cell");
        plan.apply(&mut tree);
        assert_eq!(tree, parse_fragment(&b));
        // The spans before the change stayed, those after moved: the next change plans from them.
        let next = super::plan(&b, &tree, &c).expect("a plan for the paragraph");
        next.apply(&mut tree);
        assert_eq!(tree, parse_fragment(&c));
        let mut all = Vec::new();
        spans(tree.root(), 0, &mut all);
        let mut fresh = Vec::new();
        spans(parse_fragment(&c).root(), 0, &mut fresh);
        assert_eq!(all, fresh, "every span as a whole parse gives it");
    }

    #[test]
    fn byte_ends_agree_with_the_plain_scan() {
        let page: Vec<u8> = (0..700u32)
            .map(|i| b"<li>ab</li>"[i as usize % 11])
            .collect();
        for (at, cut, put) in [
            (0, 0, 1),
            (5, 3, 0),
            (64, 1, 1),
            (300, 0, 200),
            (699, 1, 0),
            (128, 64, 64),
        ] {
            let mut other = page.clone();
            let end = (at + cut).min(other.len());
            other.splice(at..end, std::iter::repeat_n(b'x', put));
            assert_eq!(
                common_byte_ends(&page, &other),
                common_ends(&page, &other),
                "change at {at}"
            );
        }
        assert_eq!(common_byte_ends(b"", b"abc"), (0, 0));
        assert_eq!(
            common_byte_ends(&page, &page[..600]),
            common_ends(&page, &page[..600])
        );
    }

    /// Every node's span as it stands after the moves still owed to it, in document order.
    fn spans(node: Node<'_>, owed: i64, out: &mut Vec<[u32; 4]>) {
        out.push(moved_by(node.span(), owed));
        let owed = owed + i64::from(node.pending());
        node.children().iter().for_each(|c| spans(c, owed, out));
    }

    fn all_spans(tree: &Tree) -> Vec<[u32; 4]> {
        let mut out = Vec::new();
        spans(tree.root(), 0, &mut out);
        out
    }

    fn table(cells: &[String]) -> String {
        let rows: String = cells
            .chunks(3)
            .enumerate()
            .map(|(r, row)| {
                let tds: String = row.iter().map(|c| format!("<td><b>{c}</b></td>")).collect();
                format!("<tr id=\"r{r}\">{tds}</tr>")
            })
            .collect();
        format!("<main><table><tbody>{rows}</tbody></table><p>end</p></main>")
    }

    #[test]
    fn spans_stay_exact_over_many_edits_that_grow_and_shrink_the_page() {
        let mut cells: Vec<String> = (0..60).map(|i| i.to_string()).collect();
        let mut html = table(&cells);
        let mut tree = parse_fragment(&html);
        // Edits before, after and inside the parts earlier edits left owing moves.
        let edits = [
            (10, "ten and more"),
            (40, "x"),
            (11, ""),
            (59, "the very last cell"),
            (0, "first"),
            (41, "forty-one, longer"),
            (10, "t"),
            (30, "middle"),
        ];
        for (cell, text) in edits {
            cells[cell] = text.to_string();
            let new = table(&cells);
            let plan = plan(&html, &tree, &new).expect("a region reparse");
            plan.apply(&mut tree);
            let fresh = parse_fragment(&new);
            assert_eq!(tree, fresh, "after editing cell {cell}");
            assert_eq!(
                all_spans(&tree),
                all_spans(&fresh),
                "after editing cell {cell}"
            );
            html = new;
        }
        assert!(
            tree.children()
                .at(0)
                .children()
                .at(0)
                .children()
                .at(0)
                .children()
                .iter()
                .any(|row| row.pending() != 0),
            "the rows after an edit owe their cells a move"
        );
    }
}
