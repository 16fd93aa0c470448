//! The parser's fastest path: HTML written the way templates write it.
//!
//! Leptos closes every element with its own end tag, quotes every attribute value and writes
//! names in lower case. Where, in addition, no tag meets a tree-construction rule of its own
//! (an implied end tag, a table part out of place, a nested link, raw text, foreign content),
//! the HTML5 tree is plain nesting. This module reads such input in one pass over the bytes,
//! without tokens, and returns `None` at the first thing outside it: the tree builder then
//! parses the input from the start. For whatever this module accepts the two give the same tree
//! and the same source spans; a property test (`strict/agrees.rs`) checks that.

use super::entities::{Context, decode_text_checked};
use super::tags::{
    F_CLOSES_P, F_HEADING, F_SELECT, F_SPECIAL, F_START_RULES, F_TABLE_MODE, F_TABLE_PART, F_VOID,
    TEXT_ONLY, flags_of, tag_flags, tag_key,
};
use super::tokenizer::is_ws;
use super::tree::{Arena, ElementData, NO_SPAN, Namespace, Rec, Run, Tree};

/// Parses `html` as the content of the last of `ancestors` (the outermost first), at byte
/// `offset` of the page: a tree whose root is that last ancestor (without its attributes) and
/// whose children are what `html` holds, or `None` when the input is not plain nesting.
pub(super) fn build(html: &str, ancestors: &[ElementData], offset: u32) -> Option<Tree> {
    let mut p = Parser::new(html, ancestors, offset)?;
    p.run()?;
    let context = ancestors.last()?;
    let Parser {
        mut arena,
        mut children,
        ..
    } = p;
    // The context's name, without its attributes.
    let name = arena.str(&context.name);
    let root = arena.element(
        context.ns,
        name,
        Run::default(),
        &mut children,
        0,
        [NO_SPAN; 4],
    );
    Some(arena.into_tree(root))
}

/// An element opened by the input: its children so far are `Parser::children[first_child..]`.
struct OpenTag {
    /// The tag name, in the source.
    name: Run,
    /// Its [`tag_key`], which its end tag is checked against (`None` for a long name).
    key: Option<u128>,
    /// The attributes, in the arena.
    attrs: Run,
    flags: u16,
    /// Where its start tag begins and ends in the page.
    start: (u32, u32),
    first_child: usize,
}

/// What the ancestors and the open elements hold that some start tag has a rule for.
#[derive(Default)]
struct Counts {
    /// `<p>`: a start tag that closes a paragraph would close it.
    p: u32,
    /// `<a>`, `<form>`, `<button>`: a second one would close or drop the first.
    nesting: u32,
}

impl Counts {
    fn add(&mut self, name: &str, by: i32) {
        match name {
            "p" => self.p = self.p.wrapping_add_signed(by),
            "a" | "form" | "button" => self.nesting = self.nesting.wrapping_add_signed(by),
            _ => {}
        }
    }
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    offset: u32,
    /// The ancestors (they are never closed here), below the open elements.
    base: &'a [ElementData],
    /// The flags of the last ancestor, the current node when no element is open.
    base_flags: u16,
    stack: Vec<OpenTag>,
    children: Vec<Rec>,
    counts: Counts,
    /// The nodes made so far; its text buffer starts with a copy of `src`.
    arena: Arena,
}

/// `raw` with its character references decoded into `arena`, unless one is outside the
/// engine's tables.
fn decoded(arena: &mut Arena, raw: &str, ctx: Context) -> Option<Run> {
    let mut unsure = false;
    let text = decode_text_checked(raw, ctx, &mut unsure);
    (!unsure).then(|| arena.str(&text))
}

/// Where the run of text from `from` ends (at `stop`, or at the end of input), and whether it
/// is plain (no reference, no CR to normalise); `None` at a NUL, which is left to the tokenizer.
fn scan(b: &[u8], from: usize, stop: u8) -> Option<(usize, bool)> {
    let mut plain = true;
    let mut end = from;
    while end < b.len() && b[end] != stop {
        match b[end] {
            0 => return None,
            b'&' | b'\r' => plain = false,
            _ => {}
        }
        end += 1;
    }
    Some((end, plain))
}

/// Whitespace between a tag's name and attributes, where the strict path reads it: HTML
/// whitespace but CR, whose newline normalisation is left to the tokenizer.
fn is_tag_space(c: u8) -> bool {
    c != b'\r' && is_ws(c)
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, ancestors: &'a [ElementData], offset: u32) -> Option<Parser<'a>> {
        let mut counts = Counts::default();
        let mut base_flags = 0;
        for e in ancestors {
            // Foreign content, templates, selects and raw text: other rules throughout.
            if e.ns != Namespace::Html
                || TEXT_ONLY.contains(&&*e.name)
                || matches!(&*e.name, "template" | "option" | "optgroup")
            {
                return None;
            }
            let flags = tag_flags(&e.name);
            if flags & F_SELECT != 0 {
                return None;
            }
            counts.add(&e.name, 1);
            base_flags = flags;
        }
        ancestors.last()?;
        Some(Parser {
            src,
            pos: 0,
            offset,
            base: ancestors,
            base_flags,
            // Room for the usual depth and for the pending children of a list of rows.
            stack: Vec::with_capacity(16),
            children: Vec::with_capacity(32),
            counts,
            arena: Arena::with_source(src),
        })
    }

    fn at(&self, p: usize) -> u32 {
        self.offset
            .saturating_add(u32::try_from(p).unwrap_or(u32::MAX))
    }

    /// The current node's flags.
    fn top_flags(&self) -> u16 {
        match self.stack.last() {
            Some(o) => o.flags,
            None => self.base_flags,
        }
    }

    fn top_name(&self) -> &str {
        match self.stack.last() {
            Some(o) => self.arena.get(o.name),
            None => self.base.last().map_or("", |b| &b.name),
        }
    }

    fn run(&mut self) -> Option<()> {
        let b = self.src.as_bytes();
        while self.pos < b.len() {
            if b[self.pos] == b'<' {
                match b.get(self.pos + 1) {
                    Some(b'/') => self.end_tag()?,
                    Some(b'!') => self.comment()?,
                    Some(c) if c.is_ascii_lowercase() => self.start_tag()?,
                    _ => return None,
                }
            } else {
                self.text()?;
            }
        }
        // Every element the input opened is closed by its own end tag.
        self.stack.is_empty().then_some(())
    }

    fn text(&mut self) -> Option<()> {
        let start = self.pos;
        let (end, plain) = scan(self.src.as_bytes(), start, b'<')?;
        self.pos = end;
        let raw = &self.src[start..end];
        if self.top_flags() & F_TABLE_MODE != 0 && !raw.bytes().all(is_ws) {
            // Text inside a table outside a cell is moved in front of it (foster parenting).
            return None;
        }
        let text = if plain {
            Arena::source(start, end)
        } else {
            decoded(&mut self.arena, raw, Context::Data)?
        };
        let (a, z) = (self.at(start), self.at(end));
        let node = self.arena.text(text, [a, a, z, z]);
        self.children.push(node);
        Some(())
    }

    /// `<!-- … -->`, or Leptos's `<!>` marker.
    fn comment(&mut self) -> Option<()> {
        let start = self.pos;
        let rest = &self.src[start + 2..];
        let (data, len) = if rest.starts_with('>') {
            (Run::default(), 3)
        } else {
            let body = rest.strip_prefix("--")?;
            // `<!-->`, `<!--->` and `--!>` end a comment early: the tokenizer's work.
            if body.starts_with('>') || body.starts_with("->") {
                return None;
            }
            let close = body.find("-->")?;
            let data = &body[..close];
            if data.contains("--!>") || data.contains(['\0', '\r']) {
                return None;
            }
            (Arena::source(start + 4, start + 4 + close), 4 + close + 3)
        };
        self.pos = start + len;
        let (a, z) = (self.at(start), self.at(self.pos));
        let node = self.arena.comment(data, [a, a, z, z]);
        self.children.push(node);
        Some(())
    }

    fn end_tag(&mut self) -> Option<()> {
        let start = self.pos;
        let rest = &self.src.as_bytes()[start + 2..];
        let open = self.stack.last()?;
        let name = self.arena.get(open.name).as_bytes();
        // Only the current node's own end tag, written plainly, closes it. Names are compared
        // by their keys, a word each, where they have one.
        if rest.len() <= name.len() || rest[name.len()] != b'>' {
            return None;
        }
        let written = &rest[..name.len()];
        let same = match open.key {
            Some(key) => tag_key(written) == Some(key),
            None => written == name,
        };
        if !same {
            return None;
        }
        self.pos = start + 2 + name.len() + 1;
        let open = self.stack.pop()?;
        self.counts.add(self.arena.get(open.name), -1);
        let span = [
            open.start.0,
            open.start.1,
            self.at(start),
            self.at(self.pos),
        ];
        let node = self.arena.element(
            Namespace::Html,
            open.name,
            open.attrs,
            &mut self.children,
            open.first_child,
            span,
        );
        self.children.push(node);
        Some(())
    }

    fn start_tag(&mut self) -> Option<()> {
        let b = self.src.as_bytes();
        let start = self.pos;
        let mut i = start + 1;
        while i < b.len() && matches!(b[i], b'a'..=b'z' | b'0'..=b'9' | b'-') {
            i += 1;
        }
        if !b
            .get(i)
            .is_some_and(|&c| is_tag_space(c) || c == b'/' || c == b'>')
        {
            return None;
        }
        let tag_name = &self.src[start + 1..i];
        let key = tag_key(tag_name.as_bytes());
        let flags = flags_of(key);
        if !self.allowed(tag_name, flags) {
            return None;
        }
        let name = Arena::source(start + 1, i);
        self.pos = i;
        let from = self.arena.attr_count();
        self.attributes(from)?;
        let attrs = self.arena.attrs_since(from);
        let end = self.pos;
        if flags & F_VOID != 0 {
            let (a, z) = (self.at(start), self.at(end));
            let here = self.children.len();
            let node = self.arena.element(
                Namespace::Html,
                name,
                attrs,
                &mut self.children,
                here,
                [a, z, z, z],
            );
            self.children.push(node);
        } else {
            self.counts.add(tag_name, 1);
            self.stack.push(OpenTag {
                name,
                key,
                attrs,
                flags,
                start: (self.at(start), self.at(end)),
                first_child: self.children.len(),
            });
        }
        Some(())
    }

    /// Whether a start tag is plain nesting where it stands.
    fn allowed(&self, name: &str, flags: u16) -> bool {
        let top = self.top_flags();
        if top & F_TABLE_MODE != 0 {
            // Table structure written out in full: sections in a table, rows in a section,
            // cells in a row. Anything else there is moved or implied by the browser.
            return matches!(
                (self.top_name(), name),
                ("table", "tbody" | "thead" | "tfoot")
                    | ("tbody" | "thead" | "tfoot", "tr")
                    | ("tr", "td" | "th")
            );
        }
        if flags & (F_TABLE_PART | F_SELECT) != 0
            || (top & F_HEADING != 0 && flags & F_HEADING != 0)
        {
            return false;
        }
        if flags & F_CLOSES_P != 0 && self.counts.p > 0 {
            return false;
        }
        if flags & F_START_RULES == 0 {
            return true;
        }
        match name {
            "input" => true,
            "a" | "form" | "button" => self.counts.nesting == 0,
            "li" | "dd" | "dt" => !self.closes_list_item(name),
            _ => false,
        }
    }

    /// Whether `<li>` (or `<dd>`, `<dt>`) would close an open list item: the spec's walk down
    /// the stack, which stops at a special element other than `address`, `div` and `p`.
    fn closes_list_item(&self, name: &str) -> bool {
        let items: &[&str] = if name == "li" { &["li"] } else { &["dd", "dt"] };
        let open = self.stack.iter().map(|o| (self.arena.get(o.name), o.flags));
        let base = self.base.iter().map(|e| (&*e.name, tag_flags(&e.name)));
        for (n, f) in open.rev().chain(base.rev()) {
            if items.contains(&n) {
                return true;
            }
            if f & F_SPECIAL != 0 && !matches!(n, "address" | "div" | "p") {
                return false;
            }
        }
        false
    }

    /// The attributes of a start tag, into the arena from its attribute `from` on, through
    /// the tag's closing `>`.
    fn attributes(&mut self, from: usize) -> Option<()> {
        let b = self.src.as_bytes();
        loop {
            let c = *b.get(self.pos)?;
            match c {
                b'>' => {
                    self.pos += 1;
                    return Some(());
                }
                b'/' if b.get(self.pos + 1) == Some(&b'>') => {
                    // Self-closing syntax means nothing on an HTML element.
                    self.pos += 2;
                    return Some(());
                }
                c if is_tag_space(c) => self.pos += 1,
                _ => self.attribute(from)?,
            }
        }
    }

    fn attribute(&mut self, from: usize) -> Option<()> {
        let b = self.src.as_bytes();
        let start = self.pos;
        let mut i = start;
        while i < b.len() && matches!(b[i], b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b':' | b'.') {
            i += 1;
        }
        let own = self.arena.attrs_since(from);
        if i == start || self.arena.attr_names(own).any(|n| n == &self.src[start..i]) {
            return None;
        }
        let name = Arena::source(start, i);
        let value = match b.get(i) {
            Some(b'=') => {
                if b.get(i + 1) != Some(&b'"') {
                    return None;
                }
                let from = i + 2;
                let (end, plain) = scan(b, from, b'"')?;
                if end == b.len() {
                    return None;
                }
                i = end + 1;
                if plain {
                    Arena::source(from, end)
                } else {
                    decoded(&mut self.arena, &self.src[from..end], Context::Attribute)?
                }
            }
            Some(&c) if is_tag_space(c) || c == b'>' || c == b'/' => Run::default(),
            _ => return None,
        };
        self.pos = i;
        self.arena.push_attr(name, value);
        Some(())
    }
}

#[cfg(test)]
mod agrees;

#[cfg(test)]
mod tests {
    use super::*;

    fn div() -> ElementData {
        ElementData::new(Namespace::Html, "div")
    }

    fn accepts(html: &str) -> bool {
        build(html, &[div()], 0).is_some()
    }

    #[test]
    fn reads_what_templates_write() {
        assert!(accepts(
            r#"<main class="p-4"><h1>Hi &amp; bye</h1><!><ul><li><a href="/x">x</a></li><li>y<br/></li></ul><button lv-click="inc" disabled>+</button><!-- note --></main>"#
        ));
        assert!(accepts(
            "<table><tbody>\n<tr id=\"r\"><td>1</td><th>2</th></tr></tbody></table>"
        ));
    }

    #[test]
    fn leaves_everything_else_to_the_tree_builder() {
        for html in [
            "<p>one<p>two",
            "<p><div></div></p>",
            "<table><tr><td>1</td></tr></table>",
            "<table>text</table>",
            "<a><a></a></a>",
            "<li><div><li></li></div></li>",
            "<h1><h2></h2></h1>",
            "<select><option>1</option></select>",
            "<svg></svg>",
            "<pre>\nx</pre>",
            "<div class=x></div>",
            "<DIV></DIV>",
            "<b><i></b></i>",
            "<div>",
            "a < b",
            "<td>1</td>",
            "<!--->",
            "x &notit; y",
        ] {
            assert!(!accepts(html), "{html}");
        }
    }

    #[test]
    fn ancestors_count_for_the_rules() {
        let p = ElementData::new(Namespace::Html, "p");
        assert!(build("<span></span>", &[div(), p.clone()], 0).is_some());
        assert!(build("<div></div>", &[div(), p], 0).is_none());
        let li = ElementData::new(Namespace::Html, "li");
        assert!(build("<li></li>", &[div(), li], 0).is_none());
    }
}
