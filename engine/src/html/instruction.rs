//! Processing instructions: what `<?…>` becomes, as Chromium's parser reads it.
//!
//! The HTML parser used to read every `<?…>` as a bogus comment. It now builds a processing
//! instruction node (`<?target data?>`) where the markup is one, and still a comment where it
//! is not. Both consume the same characters (from `<?` to the first `>`, or to the end of the
//! input), so a tokenizer finds the markup as before and this module decides what it is, from
//! the bogus comment's data. Chromium's rules, checked against it:
//!
//! - the target starts with an ASCII letter or `_` and goes on with ASCII letters, digits, `-`
//!   and `_`; it ends at whitespace, `?` or `>`; any other character makes the whole markup a
//!   comment, as does a target that is `xml` or `xml-stylesheet` in any case;
//! - the data follows the whitespace after the target and runs to the `>`, less one `?` just
//!   before it (`<?a ???>` holds `??`);
//! - a processing instruction the input ends inside leaves nothing at all, where a comment the
//!   input ends inside is kept (`<?` alone leaves nothing, `<?1` a comment).

use std::borrow::Cow;

/// What a `<?…>` markup builds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Instruction<'a> {
    /// A processing-instruction node.
    Pi { target: &'a str, data: &'a str },
    /// A comment whose data is `?` and what followed it, as before.
    Comment,
    /// Nothing: the input ended inside a processing instruction.
    Nothing,
}

/// Reads `body`, the markup's text after `<?` and before its `>` (line breaks normalised,
/// NULs replaced as a bogus comment's data has them); `closed` says whether a `>` ended it or
/// the end of the input did. For example, `a b?` closed reads as the instruction with target
/// `a` and data `b` (the unit tests below hold the rules' edges).
pub(crate) fn read(body: &str, closed: bool) -> Instruction<'_> {
    let b = body.as_bytes();
    match b.first() {
        None if closed => return Instruction::Comment,
        None => return Instruction::Nothing,
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {}
        Some(_) => return Instruction::Comment,
    }
    let end = b
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_')))
        .unwrap_or(b.len());
    match b.get(end) {
        None if !closed => return Instruction::Nothing,
        None | Some(b'\t' | b'\n' | b'\x0c' | b' ' | b'?') => {}
        Some(_) => return Instruction::Comment,
    }
    let target = &body[..end];
    if target.eq_ignore_ascii_case("xml") || target.eq_ignore_ascii_case("xml-stylesheet") {
        return Instruction::Comment;
    }
    if !closed {
        return Instruction::Nothing;
    }
    let rest = body[end..].trim_start_matches(['\t', '\n', '\x0c', ' ']);
    Instruction::Pi {
        target,
        data: rest.strip_suffix('?').unwrap_or(rest),
    }
}

/// The text a tree keeps for a processing instruction: its target, then its data after one
/// space when it has any (a target holds no whitespace, and parsed data never starts with it).
pub(crate) fn joined<'a>(target: &'a str, data: &str) -> Cow<'a, str> {
    if data.is_empty() {
        Cow::Borrowed(target)
    } else {
        Cow::Owned(format!("{target} {data}"))
    }
}

/// The target and data of a processing instruction kept as [`joined`] made it.
pub(crate) fn split(joined: &str) -> (&str, &str) {
    joined.split_once(' ').unwrap_or((joined, ""))
}

#[cfg(test)]
mod tests {
    use super::{Instruction, read, split};

    fn pi<'a>(target: &'a str, data: &'a str) -> Instruction<'a> {
        Instruction::Pi { target, data }
    }

    /// Each case as Chromium 156 builds it for `<?` + body (+ `>` when closed).
    #[test]
    fn reads_as_chromium_does() {
        let closed = [
            ("", Instruction::Comment),
            ("?", Instruction::Comment),
            ("x", pi("x", "")),
            ("x?", pi("x", "")),
            ("x ?", pi("x", "")),
            ("x  y  ?", pi("x", "y  ")),
            ("x\ty\n?", pi("x", "y\n")),
            ("a?b?", pi("a", "?b")),
            ("a ???", pi("a", "??")),
            ("a??", pi("a", "?")),
            ("a?b", pi("a", "?b")),
            ("x y?z", pi("x", "y?z")),
            ("x--y?", pi("x--y", "")),
            ("x y--", pi("x", "y--")),
            ("_a?", pi("_a", "")),
            ("a1?", pi("a1", "")),
            ("ABC def?", pi("ABC", "def")),
            ("xmlfoo?", pi("xmlfoo", "")),
            ("xml-foo?", pi("xml-foo", "")),
            ("x y\u{fffd}z?", pi("x", "y\u{fffd}z")),
            ("x a&amp;b<c?", pi("x", "a&amp;b<c")),
            ("x\u{fffd}y?", Instruction::Comment),
            ("1a?", Instruction::Comment),
            ("-a?", Instruction::Comment),
            (":a?", Instruction::Comment),
            ("a.b?", Instruction::Comment),
            ("a:b?", Instruction::Comment),
            ("a\u{b}?", Instruction::Comment),
            ("é?", Instruction::Comment),
            ("aé?", Instruction::Comment),
            (" x?", Instruction::Comment),
            ("XML?", Instruction::Comment),
            ("Xml y?", Instruction::Comment),
            ("XML-STYLESHEET?", Instruction::Comment),
            ("xml version=\"1.0\"", Instruction::Comment),
        ];
        for (body, want) in closed {
            assert_eq!(read(body, true), want, "<?{body}>");
        }
        let at_end = [
            ("", Instruction::Nothing),
            ("x", Instruction::Nothing),
            ("x ", Instruction::Nothing),
            ("x y", Instruction::Nothing),
            ("x ?", Instruction::Nothing),
            ("xml", Instruction::Nothing),
            ("1a", Instruction::Comment),
            ("x\u{fffd}", Instruction::Comment),
            ("xml y", Instruction::Comment),
            ("xml version", Instruction::Comment),
            ("#", Instruction::Comment),
        ];
        for (body, want) in at_end {
            assert_eq!(read(body, false), want, "<?{body} at the end");
        }
    }

    #[test]
    fn a_kept_instruction_splits_back() {
        assert_eq!(split("x"), ("x", ""));
        assert_eq!(split("x y z"), ("x", "y z"));
    }
}
