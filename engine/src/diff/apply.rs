//! Applying operations to a node tree: what the shim does to the DOM, done on the engine's tree.
//!
//! Used by the tests to prove `apply(diff(a, b), a) == b`, and by headless test clients.

use super::op::Op;
use super::text::apply_splices;
use crate::html::{Attribute, Element, Namespace, Node, NodeData, parse_fragment_in};

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
pub fn apply(root: &mut Node, ops: &[Op]) -> Result<(), ApplyError> {
    for (index, op) in ops.iter().enumerate() {
        apply_one(root, op, index)?;
    }
    root.rehash_deep();
    Ok(())
}

fn resolve<'a>(root: &'a mut Node, path: &[u32], index: usize) -> Result<&'a mut Node, ApplyError> {
    let mut node = root;
    for &i in path {
        let (_, children) = node.parts_mut();
        node = children
            .get_mut(i as usize)
            .ok_or_else(|| ApplyError::NoSuchNode {
                index,
                path: path.to_vec(),
            })?;
    }
    Ok(node)
}

fn context(node: &Node) -> (Namespace, String) {
    match node.as_element() {
        Some(e) if e.ns == Namespace::Svg && &*e.name == "foreignObject" => {
            (Namespace::Html, "div".into())
        }
        Some(e) => (e.ns, e.name.to_string()),
        None => (Namespace::Html, "div".into()),
    }
}

fn fragment(parent: &Node, html: &str) -> Vec<Node> {
    let (ns, name) = context(parent);
    let parsed = parse_fragment_in(html, ns, &name);
    parsed.children().to_vec()
}

fn apply_one(root: &mut Node, op: &Op, index: usize) -> Result<(), ApplyError> {
    let wrong = |path: &[u32], expected| ApplyError::WrongKind {
        index,
        path: path.to_vec(),
        expected,
    };
    match op {
        Op::SetText { path, text } => {
            let node = resolve(root, path, index)?;
            match node.parts_mut().0 {
                NodeData::Text(t) | NodeData::Comment(t) => *t = text.as_str().into(),
                NodeData::Element(_) => return Err(wrong(path, "a text node")),
            }
        }
        Op::SetAttr { path, name, value } => {
            let e = element(root, path, index)?;
            match e.attrs.iter_mut().find(|a| *a.name == **name) {
                Some(a) => a.value = value.as_str().into(),
                None => e.attrs.push(Attribute {
                    name: name.as_str().into(),
                    value: value.as_str().into(),
                }),
            }
        }
        Op::RemoveAttr { path, name } => {
            element(root, path, index)?
                .attrs
                .retain(|a| *a.name != **name);
        }
        Op::Splice { path, edits } => {
            let node = resolve(root, path, index)?;
            match node.parts_mut().0 {
                NodeData::Text(t) => {
                    let edited = apply_splices(t, edits)
                        .ok_or_else(|| wrong(path, "a text long enough for the edits"))?;
                    *t = edited.into();
                }
                _ => return Err(wrong(path, "a text node")),
            }
        }
        Op::Reorder { path, order } => {
            let parent = resolve(root, path, index)?;
            let (_, children) = parent.parts_mut();
            let mut seen = vec![false; children.len()];
            let valid = order.len() == children.len()
                && order.iter().all(|&i| {
                    seen.get_mut(i as usize)
                        .is_some_and(|s| !std::mem::replace(s, true))
                });
            if !valid {
                return Err(wrong(path, "a parent with as many children as the order"));
            }
            let old = std::mem::take(children);
            let mut slots: Vec<Option<Node>> = old.into_iter().map(Some).collect();
            *children = order
                .iter()
                .filter_map(|&i| slots[i as usize].take())
                .collect();
        }
        Op::Replace { path, html } => splice_at(root, path, index, Some(html))?,
        Op::Remove { path } => splice_at(root, path, index, None)?,
        Op::Insert {
            path,
            index: at,
            html,
        } => {
            let parent = resolve(root, path, index)?;
            if parent.as_element().is_none() {
                return Err(wrong(path, "an element"));
            }
            let new = fragment(parent, html);
            let (_, children) = parent.parts_mut();
            let at = *at as usize;
            if at > children.len() {
                return Err(ApplyError::NoSuchNode {
                    index,
                    path: path.clone(),
                });
            }
            children.splice(at..at, new);
        }
        Op::Move { path, from, to } => {
            let parent = resolve(root, path, index)?;
            let (_, children) = parent.parts_mut();
            let (from, to) = (*from as usize, *to as usize);
            if from >= children.len() || to >= children.len() {
                return Err(ApplyError::NoSuchNode {
                    index,
                    path: path.clone(),
                });
            }
            let node = children.remove(from);
            children.insert(to, node);
        }
    }
    Ok(())
}

fn element<'a>(
    root: &'a mut Node,
    path: &[u32],
    index: usize,
) -> Result<&'a mut Element, ApplyError> {
    match resolve(root, path, index)?.parts_mut().0 {
        NodeData::Element(e) => Ok(e),
        _ => Err(ApplyError::WrongKind {
            index,
            path: path.to_vec(),
            expected: "an element",
        }),
    }
}

/// Replaces the node at `path` with what `html` parses into, or removes it when `html` is `None`.
fn splice_at(
    root: &mut Node,
    path: &[u32],
    index: usize,
    html: Option<&str>,
) -> Result<(), ApplyError> {
    let missing = || ApplyError::NoSuchNode {
        index,
        path: path.to_vec(),
    };
    let (last, parent_path) = path.split_last().ok_or_else(missing)?;
    let parent = resolve(root, parent_path, index)?;
    let new = html.map(|h| fragment(parent, h)).unwrap_or_default();
    let (_, children) = parent.parts_mut();
    let at = *last as usize;
    if at >= children.len() {
        return Err(missing());
    }
    children.splice(at..=at, new);
    Ok(())
}
