//! The diff: two node trees in, the DOM operations that turn the first into the second out.
//!
//! Subtrees whose hashes match are skipped. Child lists are matched by signature (node kind, tag
//! and key) with `similar`; keyed children (`lv-key` or `id`) that changed place are moved, not
//! re-sent, and the moves are the fewest possible (everything outside a longest increasing
//! subsequence of kept children).

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};
use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::op::{Op, Path, encoded_len};
use super::text::splices;
use crate::html::reparse::Plan;
use crate::html::{Children, Namespace, Node, NodeData, Tree, outer_html, parse_fragment_in};

/// The operations for a change planned by an incremental reparse ([`crate::html::reparse`]):
/// only the replaced children are compared. Call it before applying the plan to `old`.
///
/// ```
/// use leptos_live::diff::{diff, diff_planned};
/// use leptos_live::html::{parse_fragment, reparse};
/// let (a, b) = ("<ul><li>1</li><li>2</li></ul>", "<ul><li>1</li><li>two</li></ul>");
/// let old = parse_fragment(a);
/// let plan = reparse::plan(a, &old, b).unwrap();
/// assert_eq!(diff_planned(&old, &plan), diff(&old, &parse_fragment(b)));
/// ```
pub fn diff_planned(old: &Tree, plan: &Plan) -> Result<Vec<Op>, Unrepresentable> {
    let mut node = old.root();
    for &i in &plan.path {
        if is_stream(node) {
            return Ok(Vec::new());
        }
        node = node.children().get(i as usize).ok_or(Unrepresentable)?;
    }
    if is_stream(node) {
        return Ok(Vec::new());
    }
    let kids = node.children();
    if plan.first > plan.last || plan.last > kids.len() {
        return Err(Unrepresentable);
    }
    let old_run = kids.slice(plan.first..plan.last);
    let mut out = Emit {
        ops: Vec::new(),
        representable: true,
    };
    let whole = plan.first == 0 && plan.last == kids.len();
    let mut path = plan.path.clone();
    let ctx = (plan.context.0, &*plan.context.1);
    diff_child_range(
        old_run,
        plan.nodes(),
        plan.first,
        whole,
        &mut path,
        &mut out,
        ctx,
    );
    if out.representable {
        Ok(out.ops)
    } else {
        Err(Unrepresentable)
    }
}

/// The change cannot be sent as operations: it holds nodes whose HTML does not parse back into
/// them (the HTML serialisation does not round-trip every tree the parser builds, as after the
/// adoption agency or foster parenting). Send the whole page instead: the rendered HTML itself
/// always parses into the new tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the change holds nodes whose HTML does not parse back into them; send the whole page")]
pub struct Unrepresentable;

/// The operations that turn the children of `old` into the children of `new`.
///
/// Both roots stand for the page's root element (a `<div>`); only their children are compared.
///
/// ```
/// use leptos_live::diff::{diff, Op};
/// use leptos_live::html::parse_fragment;
/// let a = parse_fragment("<p>count: <b>1</b></p>");
/// let b = parse_fragment("<p>count: <b>2</b></p>");
/// assert_eq!(diff(&a, &b), Ok(vec![Op::SetText { path: vec![0, 1, 0], text: "2".into() }]));
/// ```
pub fn diff(old: &Tree, new: &Tree) -> Result<Vec<Op>, Unrepresentable> {
    let mut out = Emit {
        ops: Vec::new(),
        representable: true,
    };
    if old.subtree_hash() != new.subtree_hash() {
        let mut path = Vec::new();
        diff_children(
            old.children(),
            new.children(),
            &mut path,
            &mut out,
            (Namespace::Html, "div"),
        );
    }
    if out.representable {
        Ok(out.ops)
    } else {
        Err(Unrepresentable)
    }
}

/// The operations so far, and whether every piece of HTML in them parses back into its nodes.
struct Emit {
    ops: Vec<Op>,
    representable: bool,
}

/// The element whose content a piece of HTML is parsed as.
type ParentScope<'a> = (Namespace, &'a str);

/// The HTML of `nodes`, if it parses back into them in `ctx`.
fn html_of(nodes: Children<'_>, ctx: ParentScope<'_>) -> Option<String> {
    let mut html = String::new();
    nodes.iter().for_each(|n| outer_html(n, &mut html));
    let parsed = parse_fragment_in(&html, ctx.0, ctx.1);
    (parsed.children() == nodes).then_some(html)
}

fn diff_node(
    old: Node<'_>,
    new: Node<'_>,
    path: &mut Path,
    out: &mut Emit,
    parent: ParentScope<'_>,
) {
    if old.subtree_hash() == new.subtree_hash() {
        return;
    }
    match (old.data(), new.data()) {
        (NodeData::Text(a), NodeData::Text(b)) | (NodeData::Comment(a), NodeData::Comment(b)) => {
            if a != b {
                out.ops
                    .push(text_op(a, b, path, matches!(old.data(), NodeData::Text(_))));
            }
        }
        (NodeData::Element(a), NodeData::Element(b)) if a.ns == b.ns && a.name == b.name => {
            let start = out.ops.len();
            for attr in b.attrs() {
                if a.attr(attr.name) != Some(attr.value) {
                    out.ops.push(Op::SetAttr {
                        path: path.clone(),
                        name: attr.name.to_string(),
                        value: attr.value.to_string(),
                    });
                }
            }
            for attr in a.attrs() {
                if b.attr(attr.name).is_none() {
                    out.ops.push(Op::RemoveAttr {
                        path: path.clone(),
                        name: attr.name.to_string(),
                    });
                }
            }
            // A stream's children are the browser's: the server renders only the new ones.
            if b.attr(STREAM_ATTR).is_none() {
                diff_children(old.children(), new.children(), path, out, (b.ns, b.name));
            }
            // When the changes weigh more than the new element itself, send the element.
            let count = out.ops.len() - start;
            if count > 1 {
                let changes: usize =
                    out.ops[start..].iter().map(encoded_len).sum::<usize>() + count - 1;
                // A cheap bound first, so that ancestors of a change are not serialised in vain.
                if new.html_len_hint() + path.len() * 2 + 8 < changes
                    && !holds_stream(new)
                    && !holds_stream(old)
                    && let Some(html) = html_of(new.alone(), parent)
                {
                    let replace = Op::Replace {
                        path: path.clone(),
                        html,
                    };
                    if encoded_len(&replace) < changes {
                        out.ops.truncate(start);
                        out.ops.push(replace);
                    }
                }
            }
        }
        // Replacing would drop the browser's stream children; the whole page keeps them.
        _ if holds_stream(old) => out.representable = false,
        _ => match html_of(new.alone(), parent) {
            Some(html) => out.ops.push(Op::Replace {
                path: path.clone(),
                html,
            }),
            None => out.representable = false,
        },
    }
}

/// The attribute that marks a stream's container (see [`crate::Stream`]).
pub(crate) const STREAM_ATTR: &str = "lv-stream";

fn is_stream(node: Node<'_>) -> bool {
    node.as_element()
        .is_some_and(|e| e.attr(STREAM_ATTR).is_some())
}

/// Whether `node` is or holds a stream container: its HTML would not carry the browser's
/// stream children, so it is never re-sent whole to save bytes.
fn holds_stream(node: Node<'_>) -> bool {
    is_stream(node) || node.children().iter().any(holds_stream)
}

/// Texts shorter than this are always sent whole.
const SPLICE_ABOVE: usize = 64;

/// A text change as the smaller of the new text and the edits that make it.
fn text_op(old: &str, new: &str, path: &Path, is_text: bool) -> Op {
    let set = Op::SetText {
        path: path.clone(),
        text: new.to_string(),
    };
    if !is_text || new.len() < SPLICE_ABOVE {
        return set;
    }
    let splice = Op::Splice {
        path: path.clone(),
        edits: splices(old, new),
    };
    if encoded_len(&splice) < encoded_len(&set) {
        splice
    } else {
        set
    }
}

/// What must agree for two children to be the same node in two renders.
fn signature(node: Node<'_>) -> u64 {
    let mut h = FxHasher::default();
    match node.data() {
        NodeData::Text(_) => 1u8.hash(&mut h),
        NodeData::Comment(_) => 2u8.hash(&mut h),
        NodeData::ProcessingInstruction { .. } => 3u8.hash(&mut h),
        NodeData::Element(e) => {
            e.ns.hash(&mut h);
            e.name.hash(&mut h);
            e.key().hash(&mut h);
        }
    }
    h.finish()
}

fn key(node: Node<'_>) -> Option<&str> {
    node.as_element().and_then(|e| e.key())
}

fn with_index<R>(path: &mut Path, i: usize, f: impl FnOnce(&mut Path) -> R) -> R {
    path.push(i as u32);
    let r = f(path);
    path.pop();
    r
}

fn diff_children(
    old: Children<'_>,
    new: Children<'_>,
    path: &mut Path,
    out: &mut Emit,
    ctx: ParentScope<'_>,
) {
    diff_child_range(old, new, 0, true, path, out, ctx);
}

/// Diffs a run of children that starts at index `base` of their parent; `whole` when the run
/// is all of them (only then may one reorder stand for many moves).
fn diff_child_range(
    old: Children<'_>,
    new: Children<'_>,
    base: usize,
    whole: bool,
    path: &mut Path,
    out: &mut Emit,
    ctx: ParentScope<'_>,
) {
    // Fast path: same shape, so children pair up by position.
    if old.len() == new.len()
        && old
            .iter()
            .zip(new.iter())
            .all(|(a, b)| signature(a) == signature(b))
    {
        for (i, (a, b)) in old.iter().zip(new.iter()).enumerate() {
            with_index(path, base + i, |p| diff_node(a, b, p, out, ctx));
        }
        return;
    }
    let old_sigs: Vec<u64> = old.iter().map(signature).collect();
    let new_sigs: Vec<u64> = new.iter().map(signature).collect();
    // matched[j] = the old child that new child j continues.
    let mut matched: Vec<Option<usize>> = vec![None; new.len()];
    let mut old_kept = vec![false; old.len()];
    for op in capture_diff_slices(Algorithm::Myers, &old_sigs, &new_sigs) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    matched[new_index + k] = Some(old_index + k);
                    old_kept[old_index + k] = true;
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                // Unkeyed nodes at the same place are patched in place (or replaced whole).
                for k in 0..old_len.min(new_len) {
                    let (o, n) = (old_index + k, new_index + k);
                    if key(old.at(o)).is_none() && key(new.at(n)).is_none() {
                        matched[n] = Some(o);
                        old_kept[o] = true;
                    }
                }
            }
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => {}
        }
    }
    // Keyed children that moved show up as a delete and an insert: pair them again.
    let mut dropped_by_sig: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (o, kept) in old_kept.iter().enumerate().rev() {
        if !kept && key(old.at(o)).is_some() {
            dropped_by_sig.entry(old_sigs[o]).or_default().push(o);
        }
    }
    if !dropped_by_sig.is_empty() {
        for (j, m) in matched.iter_mut().enumerate() {
            if m.is_none()
                && key(new.at(j)).is_some()
                && let Some(o) = dropped_by_sig.get_mut(&new_sigs[j]).and_then(Vec::pop)
            {
                *m = Some(o);
                old_kept[o] = true;
            }
        }
    }

    // 1. Removals, last first so that earlier indices stay valid.
    for o in (0..old.len()).rev() {
        if !old_kept[o] {
            with_index(path, base + o, |p| {
                out.ops.push(Op::Remove { path: p.clone() })
            });
        }
    }
    // 2. Moves: the kept children in old order, reordered into new order.
    let mut current: Vec<usize> = (0..old.len()).filter(|&o| old_kept[o]).collect();
    let target: Vec<usize> = matched.iter().flatten().copied().collect();
    let mut pos_in_current = vec![0usize; old.len()];
    for (i, &o) in current.iter().enumerate() {
        pos_in_current[o] = i;
    }
    let seq: Vec<usize> = target.iter().map(|&o| pos_in_current[o]).collect();
    let stay = longest_increasing(&seq);
    let moves_start = out.ops.len();
    for (t, &o) in target.iter().enumerate() {
        if stay[t] {
            continue;
        }
        let from = current.iter().position(|&c| c == o).unwrap_or(0);
        current.remove(from);
        let to = if t == 0 {
            0
        } else {
            let before = target[t - 1];
            current
                .iter()
                .position(|&c| c == before)
                .map_or(0, |i| i + 1)
        };
        current.insert(to, o);
        if from != to {
            out.ops.push(Op::Move {
                path: path.clone(),
                from: (base + from) as u32,
                to: (base + to) as u32,
            });
        }
    }
    // Many moves weigh more than the new order itself: send that instead.
    if whole && out.ops.len() - moves_start > 1 {
        let reorder = Op::Reorder {
            path: path.clone(),
            order: seq.iter().map(|&i| i as u32).collect(),
        };
        let moves: usize = out.ops[moves_start..]
            .iter()
            .map(encoded_len)
            .sum::<usize>()
            + out.ops.len()
            - moves_start
            - 1;
        if encoded_len(&reorder) < moves {
            out.ops.truncate(moves_start);
            out.ops.push(reorder);
        }
    }
    // 3. Insertions in new order; consecutive new children travel in one operation.
    let mut j = 0;
    while j < new.len() {
        if matched[j].is_some() {
            j += 1;
            continue;
        }
        let start = j;
        while j < new.len() && matched[j].is_none() {
            j += 1;
        }
        match html_of(new.slice(start..j), ctx) {
            Some(html) => out.ops.push(Op::Insert {
                path: path.clone(),
                index: (base + start) as u32,
                html,
            }),
            None => out.representable = false,
        }
    }
    // 4. The kept children, now at their new places, diffed in turn.
    for (j, m) in matched.iter().enumerate() {
        if let Some(o) = *m {
            with_index(path, base + j, |p| {
                diff_node(old.at(o), new.at(j), p, out, ctx)
            });
        }
    }
}

/// Marks the members of one longest strictly increasing subsequence of `seq`.
fn longest_increasing(seq: &[usize]) -> Vec<bool> {
    // Patience sorting with predecessor links: O(n log n).
    let mut tails: Vec<usize> = Vec::new(); // indices into seq
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, &v) in seq.iter().enumerate() {
        let at = tails.partition_point(|&t| seq[t] < v);
        if at > 0 {
            prev[i] = Some(tails[at - 1]);
        }
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut keep = vec![false; seq.len()];
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        keep[i] = true;
        cur = prev[i];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lis_marks_a_longest_run() {
        let keep = longest_increasing(&[3, 0, 1, 2]);
        assert_eq!(keep, vec![false, true, true, true]);
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
    }
}
