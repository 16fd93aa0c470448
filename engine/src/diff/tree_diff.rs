//! The diff: two node trees in, the DOM operations that turn the first into the second out.
//!
//! Subtrees whose hashes match are skipped. Child lists are matched by signature (node kind, tag
//! and key) with `similar`; keyed children (`lv-key` or `id`) that changed place are moved, not
//! re-sent, and the moves are the fewest possible (everything outside a longest increasing
//! subsequence of kept children).

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};
use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::op::{Op, Path};
use crate::html::{Node, NodeData, outer_html};

/// The operations that turn the children of `old` into the children of `new`.
///
/// Both roots stand for the page's root element; only their children are compared.
///
/// ```
/// use leptos_live::diff::{diff, Op};
/// use leptos_live::html::parse_fragment;
/// let a = parse_fragment("<p>count: <b>1</b></p>");
/// let b = parse_fragment("<p>count: <b>2</b></p>");
/// assert_eq!(diff(&a, &b), vec![Op::SetText { path: vec![0, 1, 0], text: "2".into() }]);
/// ```
pub fn diff(old: &Node, new: &Node) -> Vec<Op> {
    let mut ops = Vec::new();
    if old.subtree_hash() != new.subtree_hash() {
        let mut path = Vec::new();
        diff_children(old.children(), new.children(), &mut path, &mut ops);
    }
    ops
}

fn diff_node(old: &Node, new: &Node, path: &mut Path, ops: &mut Vec<Op>) {
    if old.subtree_hash() == new.subtree_hash() {
        return;
    }
    match (old.data(), new.data()) {
        (NodeData::Text(a), NodeData::Text(b)) | (NodeData::Comment(a), NodeData::Comment(b)) => {
            if a != b {
                ops.push(Op::SetText {
                    path: path.clone(),
                    text: b.to_string(),
                });
            }
        }
        (NodeData::Element(a), NodeData::Element(b)) if a.ns == b.ns && a.name == b.name => {
            for attr in &b.attrs {
                if a.attr(&attr.name) != Some(&*attr.value) {
                    ops.push(Op::SetAttr {
                        path: path.clone(),
                        name: attr.name.to_string(),
                        value: attr.value.to_string(),
                    });
                }
            }
            for attr in &a.attrs {
                if b.attr(&attr.name).is_none() {
                    ops.push(Op::RemoveAttr {
                        path: path.clone(),
                        name: attr.name.to_string(),
                    });
                }
            }
            diff_children(old.children(), new.children(), path, ops);
        }
        _ => {
            let mut html = String::new();
            outer_html(new, &mut html);
            ops.push(Op::Replace {
                path: path.clone(),
                html,
            });
        }
    }
}

/// What must agree for two children to be the same node in two renders.
fn signature(node: &Node) -> u64 {
    let mut h = FxHasher::default();
    match node.data() {
        NodeData::Text(_) => 1u8.hash(&mut h),
        NodeData::Comment(_) => 2u8.hash(&mut h),
        NodeData::Element(e) => {
            e.ns.hash(&mut h);
            e.name.hash(&mut h);
            e.key().hash(&mut h);
        }
    }
    h.finish()
}

fn key(node: &Node) -> Option<&str> {
    node.as_element().and_then(|e| e.key())
}

fn with_index<R>(path: &mut Path, i: usize, f: impl FnOnce(&mut Path) -> R) -> R {
    path.push(i as u32);
    let r = f(path);
    path.pop();
    r
}

fn diff_children(old: &[Node], new: &[Node], path: &mut Path, ops: &mut Vec<Op>) {
    // Fast path: same shape, so children pair up by position.
    if old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(a, b)| signature(a) == signature(b))
    {
        for (i, (a, b)) in old.iter().zip(new).enumerate() {
            with_index(path, i, |p| diff_node(a, b, p, ops));
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
                    if key(&old[o]).is_none() && key(&new[n]).is_none() {
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
        if !kept && key(&old[o]).is_some() {
            dropped_by_sig.entry(old_sigs[o]).or_default().push(o);
        }
    }
    if !dropped_by_sig.is_empty() {
        for (j, m) in matched.iter_mut().enumerate() {
            if m.is_none()
                && key(&new[j]).is_some()
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
            with_index(path, o, |p| ops.push(Op::Remove { path: p.clone() }));
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
            ops.push(Op::Move {
                path: path.clone(),
                from: from as u32,
                to: to as u32,
            });
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
        let mut html = String::new();
        while j < new.len() && matched[j].is_none() {
            outer_html(&new[j], &mut html);
            j += 1;
        }
        ops.push(Op::Insert {
            path: path.clone(),
            index: start as u32,
            html,
        });
    }
    // 4. The kept children, now at their new places, diffed in turn.
    for (j, m) in matched.iter().enumerate() {
        if let Some(o) = *m {
            with_index(path, j, |p| diff_node(&old[o], &new[j], p, ops));
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
