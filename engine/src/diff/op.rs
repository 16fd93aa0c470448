//! DOM operations: what the engine sends and the shim applies, and their compact JSON form.

use std::fmt::Write as _;

use super::text::Splice;

/// A node's address: child indices from the page root, each step into `childNodes`.
pub type Path = Vec<u32>;

/// One DOM operation. Operations are applied in order; each path names a node in the DOM as it
/// stands after the operations before it.
///
/// ```
/// use leptos_live::diff::Op;
/// let op = Op::SetText { path: vec![0, 1], text: "3".into() };
/// let mut json = String::new();
/// op.write_json(&mut json);
/// assert_eq!(json, r#"[1,[0,1],"3"]"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Replace the node at `path` with the node(s) `html` parses into (opcode 0).
    Replace {
        /// The node to replace.
        path: Path,
        /// The new node's HTML.
        html: String,
    },
    /// Set the data of the text or comment node at `path` (opcode 1).
    SetText {
        /// The text or comment node.
        path: Path,
        /// Its new data.
        text: String,
    },
    /// Set attribute `name` of the element at `path` (opcode 2).
    SetAttr {
        /// The element.
        path: Path,
        /// Attribute name.
        name: String,
        /// Attribute value.
        value: String,
    },
    /// Remove attribute `name` of the element at `path` (opcode 3).
    RemoveAttr {
        /// The element.
        path: Path,
        /// Attribute name.
        name: String,
    },
    /// Insert the nodes `html` parses into as children of `path`, starting at `index` (opcode 4).
    Insert {
        /// The parent element.
        path: Path,
        /// Where the first new child goes.
        index: u32,
        /// One or more nodes' HTML.
        html: String,
    },
    /// Remove the node at `path` (opcode 5).
    Remove {
        /// The node to remove.
        path: Path,
    },
    /// Move child `from` of the element at `path` so that it ends up at index `to` (opcode 6).
    Move {
        /// The parent element.
        path: Path,
        /// The child's index before the move.
        from: u32,
        /// The child's index after the move.
        to: u32,
    },
    /// Edit the data of the text node at `path` in place (opcode 7).
    Splice {
        /// The text node.
        path: Path,
        /// The edits, applied in order.
        edits: Vec<Splice>,
    },
    /// Put all children of the element at `path` in a new order: `order[i]` is the current index
    /// of the child that goes to index `i` (opcode 8).
    Reorder {
        /// The parent element.
        path: Path,
        /// A permutation of the current child indices.
        order: Vec<u32>,
    },
}

impl Op {
    /// The operation's opcode on the wire.
    pub fn code(&self) -> u8 {
        match self {
            Op::Replace { .. } => 0,
            Op::SetText { .. } => 1,
            Op::SetAttr { .. } => 2,
            Op::RemoveAttr { .. } => 3,
            Op::Insert { .. } => 4,
            Op::Remove { .. } => 5,
            Op::Move { .. } => 6,
            Op::Splice { .. } => 7,
            Op::Reorder { .. } => 8,
        }
    }

    /// Appends the operation as a compact JSON array: `[code,path,args…]`.
    pub fn write_json(&self, out: &mut String) {
        let _ = write!(out, "[{},", self.code());
        let path = match self {
            Op::Replace { path, .. }
            | Op::SetText { path, .. }
            | Op::SetAttr { path, .. }
            | Op::RemoveAttr { path, .. }
            | Op::Insert { path, .. }
            | Op::Remove { path }
            | Op::Move { path, .. }
            | Op::Splice { path, .. }
            | Op::Reorder { path, .. } => path,
        };
        write_path(path, out);
        match self {
            Op::Replace { html: s, .. } | Op::SetText { text: s, .. } => {
                out.push(',');
                write_json_str(s, out);
            }
            Op::SetAttr { name, value, .. } => {
                out.push(',');
                write_json_str(name, out);
                out.push(',');
                write_json_str(value, out);
            }
            Op::RemoveAttr { name, .. } => {
                out.push(',');
                write_json_str(name, out);
            }
            Op::Insert { index, html, .. } => {
                let _ = write!(out, ",{index},");
                write_json_str(html, out);
            }
            Op::Remove { .. } => {}
            Op::Move { from, to, .. } => {
                let _ = write!(out, ",{from},{to}");
            }
            Op::Splice { edits, .. } => {
                out.push_str(",[");
                for (i, e) in edits.iter().enumerate() {
                    let _ = write!(
                        out,
                        "{}{},{},",
                        if i > 0 { "," } else { "" },
                        e.offset,
                        e.delete
                    );
                    write_json_str(&e.insert, out);
                }
                out.push(']');
            }
            Op::Reorder { order, .. } => {
                out.push(',');
                write_path(order, out);
            }
        }
        out.push(']');
    }
}

/// The length of `op` as JSON, without keeping the text.
pub(crate) fn encoded_len(op: &Op) -> usize {
    let mut s = String::new();
    op.write_json(&mut s);
    s.len()
}

/// Appends `ops` as a JSON array of operations.
///
/// ```
/// use leptos_live::diff::{write_ops, Op};
/// let mut s = String::new();
/// write_ops(&[Op::Remove { path: vec![2] }], &mut s);
/// assert_eq!(s, "[[5,[2]]]");
/// ```
pub fn write_ops(ops: &[Op], out: &mut String) {
    out.push('[');
    for (i, op) in ops.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        op.write_json(out);
    }
    out.push(']');
}

fn write_path(path: &[u32], out: &mut String) {
    out.push('[');
    for (i, p) in path.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{p}");
    }
    out.push(']');
}

/// Appends `s` as a JSON string literal.
pub(crate) fn write_json_str(s: &str, out: &mut String) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(esc);
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_round_trip_through_serde() {
        for s in ["plain", "q\"b\\s", "nl\n\t\u{1}", "ünï"] {
            let mut out = String::new();
            write_json_str(s, &mut out);
            let back: String = serde_json::from_str(&out).expect("valid JSON");
            assert_eq!(back, s);
        }
    }

    #[test]
    fn every_op_is_valid_json() {
        let ops = vec![
            Op::Replace {
                path: vec![1],
                html: "<b>x</b>".into(),
            },
            Op::SetAttr {
                path: vec![],
                name: "class".into(),
                value: "a".into(),
            },
            Op::RemoveAttr {
                path: vec![0],
                name: "id".into(),
            },
            Op::Insert {
                path: vec![0, 2],
                index: 3,
                html: "x".into(),
            },
            Op::Move {
                path: vec![],
                from: 4,
                to: 0,
            },
        ];
        let mut s = String::new();
        write_ops(&ops, &mut s);
        let v: serde_json::Value = serde_json::from_str(&s).expect("valid JSON");
        assert_eq!(v[4], serde_json::json!([6, [], 4, 0]));
    }
}
