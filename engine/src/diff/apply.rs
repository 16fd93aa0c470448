//! Applying operations to a node tree: what the shim does to the DOM, done on the engine's tree.
//!
//! Used by the tests to prove `apply(diff(a, b), a) == b`, and by headless test clients.

use super::op::Op;
use super::text::apply_splices;
use crate::html::tree::Rec;
use crate::html::{Namespace, Tree, parse_fragment_in};

/// Why an operation did not fit the tree it was applied to.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ApplyError {
    /// The path names no node.
    #[error("operation {index}: path {path:?} names no node")]
    NoSuchNode {
        /// Position of the operation in the list.
        index: usize,
        /// The path that did not resolve.
        path: Vec<u32>,
    },
    /// The node exists but is of the wrong kind for the operation.
    #[error("operation {index}: the node at {path:?} is not {expected}")]
    WrongKind {
        /// Position of the operation in the list.
        index: usize,
        /// The node's path.
        path: Vec<u32>,
        /// What the operation needed.
        expected: &'static str,
    },
}

/// Applies `ops` in order to the children of `root`.
///
/// ```
/// use leptos_live::diff::{apply, diff};
/// use leptos_live::html::parse_fragment;
/// let a = parse_fragment("<ul><li id=a>A</li><li id=b>B</li></ul>");
/// let b = parse_fragment("<ul><li id=b>B</li><li id=a>A!</li></ul>");
/// let mut t = a.clone();
/// apply(&mut t, &diff(&a, &b).unwrap()).unwrap();
/// assert_eq!(t, b);
/// ```
pub fn apply(root: &mut Tree, ops: &[Op]) -> Result<(), ApplyError> {
    for (index, op) in ops.iter().enumerate() {
        apply_one(root, op, index)?;
    }
    root.rehash_deep();
    root.maybe_compact();
    Ok(())
}

fn resolve(tree: &Tree, path: &[u32], index: usize) -> Result<u32, ApplyError> {
    tree.id_at(path).ok_or_else(|| missing(index, path))
}

/// Operation `index` names a node at `path` that is not there.
fn missing(index: usize, path: &[u32]) -> ApplyError {
    ApplyError::NoSuchNode {
        index,
        path: path.to_vec(),
    }
}

/// The nodes `html` parses into inside element `parent`, in this tree's arena.
fn fragment(tree: &mut Tree, parent: u32, html: &str) -> Vec<Rec> {
    let (ns, name) = match tree.node(parent).as_element() {
        Some(e) if e.ns == Namespace::Svg && e.name == "foreignObject" => {
            (Namespace::Html, "div".to_string())
        }
        Some(e) => (e.ns, e.name.to_string()),
        None => (Namespace::Html, "div".into()),
    };
    let parsed = parse_fragment_in(html, ns, &name);
    tree.graft(parsed)
}

fn apply_one(tree: &mut Tree, op: &Op, index: usize) -> Result<(), ApplyError> {
    let wrong = |path: &[u32], expected| ApplyError::WrongKind {
        index,
        path: path.to_vec(),
        expected,
    };
    match op {
        Op::SetText { path, text } => {
            let id = resolve(tree, path, index)?;
            if tree.node(id).as_element().is_some() {
                return Err(wrong(path, "a text node"));
            }
            tree.set_data(id, text);
        }
        Op::SetAttr { path, name, value } => {
            let id = element(tree, path, index)?;
            let mut attrs = tree.attr_pairs(id);
            match attrs.iter_mut().find(|(n, _)| n == name) {
                Some((_, v)) => v.clone_from(value),
                None => attrs.push((name.clone(), value.clone())),
            }
            tree.set_attrs(id, &attrs);
        }
        Op::RemoveAttr { path, name } => {
            let id = element(tree, path, index)?;
            let mut attrs = tree.attr_pairs(id);
            attrs.retain(|(n, _)| n != name);
            tree.set_attrs(id, &attrs);
        }
        Op::Splice { path, edits } => {
            let id = resolve(tree, path, index)?;
            let text = tree
                .node(id)
                .as_text()
                .ok_or_else(|| wrong(path, "a text node"))?;
            let edited = apply_splices(text, edits)
                .ok_or_else(|| wrong(path, "a text long enough for the edits"))?;
            tree.set_data(id, &edited);
        }
        Op::Reorder { path, order } => {
            let id = resolve(tree, path, index)?;
            let kids = tree.kid_recs(id);
            let mut seen = vec![false; kids.len()];
            let valid = order.len() == kids.len()
                && order.iter().all(|&i| {
                    seen.get_mut(i as usize)
                        .is_some_and(|s| !std::mem::replace(s, true))
                });
            if !valid {
                return Err(wrong(path, "a parent with as many children as the order"));
            }
            let reordered = order.iter().map(|&i| kids[i as usize]).collect();
            tree.set_kids(id, reordered);
        }
        Op::Replace { path, html } => splice_at(tree, path, index, Some(html))?,
        Op::Remove { path } => splice_at(tree, path, index, None)?,
        Op::Insert {
            path,
            index: at,
            html,
        } => {
            let id = element(tree, path, index)?;
            let at = *at as usize;
            let new = fragment(tree, id, html);
            if !tree.splice_kids(id, at..at, new) {
                return Err(missing(index, path));
            }
        }
        Op::Move { path, from, to } => {
            let id = resolve(tree, path, index)?;
            let mut kids = tree.kid_recs(id);
            let (from, to) = (*from as usize, *to as usize);
            if from >= kids.len() || to >= kids.len() {
                return Err(missing(index, path));
            }
            let node = kids.remove(from);
            kids.insert(to, node);
            tree.set_kids(id, kids);
        }
    }
    Ok(())
}

/// The id of the element at `path`.
fn element(tree: &Tree, path: &[u32], index: usize) -> Result<u32, ApplyError> {
    let id = resolve(tree, path, index)?;
    match tree.node(id).as_element() {
        Some(_) => Ok(id),
        None => Err(ApplyError::WrongKind {
            index,
            path: path.to_vec(),
            expected: "an element",
        }),
    }
}

/// Replaces the node at `path` with what `html` parses into, or removes it when `html` is `None`.
fn splice_at(
    tree: &mut Tree,
    path: &[u32],
    index: usize,
    html: Option<&str>,
) -> Result<(), ApplyError> {
    let (last, parent_path) = path.split_last().ok_or_else(|| missing(index, path))?;
    let parent = resolve(tree, parent_path, index)?;
    let at = *last as usize;
    let new = html.map(|h| fragment(tree, parent, h)).unwrap_or_default();
    if !tree.splice_kids(parent, at..at + 1, new) {
        return Err(missing(index, path));
    }
    Ok(())
}
