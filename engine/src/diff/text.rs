//! Text splices: a long text node that changed a little is sent as the edits, not the text.

use std::time::{Duration, Instant};

use crate::html::reparse::common_ends;
use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

/// One edit of a text: at `offset` (UTF-16 code units, in the text as the edits before it left
/// it), remove `delete` units and insert `insert`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    /// Where the edit starts, in UTF-16 code units (as JavaScript strings count).
    pub offset: u32,
    /// How many UTF-16 code units it removes.
    pub delete: u32,
    /// What it inserts there.
    pub insert: String,
}

fn utf16_len(chars: &[char]) -> u32 {
    chars.iter().map(|c| c.len_utf16() as u32).sum()
}

/// The edits that turn `old` into `new`, found with `similar` (Myers on characters, with a
/// time limit; past it the edits are coarser but still correct).
///
/// ```
/// use leptos_live::diff::{splices, Splice};
/// let s = splices("hello world", "hello brave world");
/// assert_eq!(s, vec![Splice { offset: 6, delete: 0, insert: "brave ".into() }]);
/// ```
pub fn splices(old: &str, new: &str) -> Vec<Splice> {
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    // Common prefix and suffix first: most edits are one place in a long text.
    let (prefix, suffix) = common_ends(&a, &b);
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let deadline = Instant::now() + Duration::from_millis(2);
    let mut out: Vec<Splice> = Vec::new();
    // Position in the text being edited, which is `new` up to here.
    let mut at = utf16_len(&a[..prefix]);
    for op in capture_diff_slices_deadline(Algorithm::Myers, am, bm, Some(deadline)) {
        match op {
            DiffOp::Equal { len, old_index, .. } => {
                at += utf16_len(&am[old_index..old_index + len])
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => push(
                &mut out,
                at,
                utf16_len(&am[old_index..old_index + old_len]),
                String::new(),
            ),
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                let ins: String = bm[new_index..new_index + new_len].iter().collect();
                let n = utf16_len(&bm[new_index..new_index + new_len]);
                push(&mut out, at, 0, ins);
                at += n;
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let ins: String = bm[new_index..new_index + new_len].iter().collect();
                push(
                    &mut out,
                    at,
                    utf16_len(&am[old_index..old_index + old_len]),
                    ins,
                );
                at += utf16_len(&bm[new_index..new_index + new_len]);
            }
        }
    }
    out
}

/// Adds an edit, merging it into the previous one when they touch.
fn push(out: &mut Vec<Splice>, offset: u32, delete: u32, insert: String) {
    if let Some(last) = out.last_mut() {
        let end = last.offset + last.insert.encode_utf16().count() as u32;
        if end == offset {
            last.delete += delete;
            last.insert.push_str(&insert);
            return;
        }
    }
    out.push(Splice {
        offset,
        delete,
        insert,
    });
}

/// Applies edits to a text, as the shim does; `None` when an edit does not fit.
///
/// ```
/// use leptos_live::diff::{apply_splices, splices};
/// let (a, b) = ("one two three", "one 2 three!");
/// assert_eq!(apply_splices(a, &splices(a, b)).as_deref(), Some(b));
/// ```
#[cfg(any(test, feature = "internals", feature = "testing"))]
pub fn apply_splices(text: &str, edits: &[Splice]) -> Option<String> {
    let mut units: Vec<u16> = text.encode_utf16().collect();
    for e in edits {
        let (start, end) = (e.offset as usize, e.offset as usize + e.delete as usize);
        if end > units.len() {
            return None;
        }
        units.splice(start..end, e.insert.encode_utf16());
    }
    String::from_utf16(&units).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_turn_old_into_new() {
        for (a, b) in [
            ("", "x"),
            ("x", ""),
            ("same", "same"),
            ("abcdef", "abXdeYf"),
            ("héllo wörld 😀 end", "hello world 😀😀 end!"),
            (
                "a long text with a few words",
                "a longer text with some words",
            ),
        ] {
            assert_eq!(
                apply_splices(a, &splices(a, b)).as_deref(),
                Some(b),
                "{a:?} -> {b:?}"
            );
        }
    }

    #[test]
    fn three_characters_in_ten_kilobytes_is_one_small_splice() {
        let a = "lorem ipsum ".repeat(850);
        let mut b = a.clone();
        b.replace_range(5000..5003, "XYZ");
        let s = splices(&a, &b);
        assert_eq!(s.len(), 1);
        assert!(s[0].insert.len() <= 3 && s[0].delete <= 3, "{s:?}");
    }
}
