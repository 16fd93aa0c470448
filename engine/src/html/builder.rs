//! HTML5 tree construction for fragments: the "in body" and table insertion modes, foreign
//! content (`<svg>`, `<math>`), implied end tags and scopes, as a browser's `innerHTML` does.
//!
//! Known gaps, outside what Leptos `view!` emits: foster parenting of content misplaced inside
//! tables, the adoption agency for misnested formatting elements, and `<template>` contents
//! (kept as ordinary children).

use std::borrow::Cow;

use super::string::Str;
use super::tags::*;
use super::tokenizer::{Attrs, TextMode, Token, Tokenizer, is_ws};
use super::tree::{Arena, ElementData, NO_SPAN, Namespace, Rec, Tree};

#[derive(Clone, Copy, PartialEq)]
enum Scope {
    Default,
    Button,
    ListItem,
    Table,
}

/// Builds the children of `context` from `html`, as `context.innerHTML = html` would; `None`
/// when the input needs the full HTML5 parser.
pub(crate) fn build(html: &str, context: ElementData) -> Option<Tree> {
    let mut b = Builder::new(vec![context], 0);
    let mut tz = Tokenizer::new(html);
    if let Some(mode) = b.context_text_mode() {
        let name = b.name_at(0).to_string();
        tz.set_mode(mode, &name);
    }
    if !b.run(&mut tz) {
        return None;
    }
    // At the end of input, open elements close without any reconstruction.
    b.closing_named = true;
    while b.stack.len() > 1 {
        b.pop();
    }
    let mut root = b.stack.pop()?;
    root.el.attrs.clear();
    let root = b.close(root);
    Some(b.arena.into_tree(root))
}

/// Builds the nodes of a region of a page: `html` is the region's source, standing at byte
/// `offset` of the page, inside `ancestors` (the page root first, the region's parent last).
/// `None` when the region's parse would reach outside it (close an ancestor, leave an element
/// open, end inside markup) or needs the full parser: then only a parse of the whole page is
/// right. The tree's root is the region's parent (without its attributes), its children the
/// region's nodes.
pub(crate) fn build_region(html: &str, ancestors: Vec<ElementData>, offset: u32) -> Option<Tree> {
    let mut b = Builder::new(ancestors, offset);
    let mut tz = Tokenizer::new(html);
    if !b.run(&mut tz) || tz.incomplete || b.skip_newline || b.stack.len() != b.frozen {
        return None;
    }
    let mut parent = b.stack.pop()?;
    parent.el.attrs.clear();
    parent.span = [NO_SPAN; 4];
    let root = b.close(parent);
    Some(b.arena.into_tree(root))
}

/// An element still open: its children so far are `Builder::children[first_child..]`.
struct OpenElement {
    el: ElementData,
    /// `tag_flags` of an HTML element (0 for foreign ones).
    flags: u16,
    span: [u32; 4],
    first_child: usize,
}

struct Builder {
    /// Open elements; `stack[0]` is the context element and is never popped.
    stack: Vec<OpenElement>,
    /// The children of all open elements, each element's after its parent's: an element moves
    /// its own into the arena when it closes.
    children: Vec<Rec>,
    arena: Arena,
    /// How many HTML `<select>` elements are open.
    selects: usize,
    skip_newline: bool,
    /// Set when the input needs tree construction the fast path leaves out (foster parenting,
    /// the adoption agency, templates): the caller then parses it with the full HTML5 parser.
    unsupported: bool,
    /// Set while an end tag closes the formatting element or form it names, and at the end of
    /// input. Any other close of these leaves state behind (a formatting element to reopen, a
    /// form element pointer still set) that the fast path does not model.
    closing_named: bool,
    /// How many elements at the bottom of the stack belong to the surrounding document and may
    /// not be closed (the context element; for a region parse, all its ancestors too).
    frozen: usize,
    /// The form element pointer names the context element, a form outside the fragment.
    /// Any other form it names is on the stack: the fast path leaves to the full parser every
    /// way a form could leave the stack while the pointer stays (or the reverse).
    context_form: bool,
    /// Added to source positions (a region's place in the whole page).
    offset: u32,
    /// The current token's source span.
    tok: (u32, u32),
}

impl Builder {
    fn new(open: Vec<ElementData>, offset: u32) -> Builder {
        let stack: Vec<OpenElement> = open
            .into_iter()
            .map(|el| OpenElement {
                flags: if el.ns == Namespace::Html {
                    tag_flags(&el.name)
                } else {
                    0
                },
                el,
                span: [NO_SPAN; 4],
                first_child: 0,
            })
            .collect();
        Builder {
            context_form: stack.first().is_some_and(|o| o.el.is_html("form")),
            frozen: stack.len(),
            selects: stack
                .iter()
                .skip(1)
                .filter(|o| o.flags & F_SELECT != 0)
                .count(),
            stack,
            children: Vec::new(),
            arena: Arena::default(),
            skip_newline: false,
            unsupported: false,
            closing_named: false,
            offset,
            tok: (0, 0),
        }
    }

    /// Feeds every token; false when the input needs the full parser.
    fn run(&mut self, tz: &mut Tokenizer<'_>) -> bool {
        while let Some(tok) = tz.next_token() {
            let at = |p: usize| {
                self.offset
                    .saturating_add(u32::try_from(p).unwrap_or(u32::MAX))
            };
            self.tok = (at(tz.token_start), at(tz.pos()));
            self.token(tok, tz);
            if self.unsupported || tz.unsupported {
                return false;
            }
        }
        true
    }

    /// Gives the node just created the current token's span: `[start, content start, content
    /// end, end]`, the end parts unknown until an end tag closes it.
    fn span_top(&mut self, closed: bool) {
        let (a, b) = self.tok;
        let top = self.top();
        self.stack[top].span = if closed {
            [a, b, b, b]
        } else {
            [a, b, NO_SPAN, NO_SPAN]
        };
    }

    /// Marks the element just pushed as implied (it has no source of its own).
    fn implied(&mut self) {
        let top = self.top();
        self.stack[top].span = [NO_SPAN; 4];
    }

    fn context_text_mode(&self) -> Option<TextMode> {
        let e = &self.stack[0].el;
        if e.ns != Namespace::Html {
            return None;
        }
        text_mode(&e.name)
    }

    fn ns_at(&self, i: usize) -> Namespace {
        self.stack[i].el.ns
    }

    fn name_at(&self, i: usize) -> &str {
        &self.stack[i].el.name
    }

    fn top(&self) -> usize {
        self.stack.len() - 1
    }

    /// Whether the current node is an HTML element with `flag`.
    fn top_has(&self, flag: u16) -> bool {
        self.stack[self.top()].flags & flag != 0
    }

    /// Whether an HTML element `name` is open below the context. For `form`: whether the
    /// form element pointer names an open form (while the fast path holds, one is open exactly
    /// while the pointer names it).
    fn is_open(&self, name: &str) -> bool {
        (1..self.stack.len()).any(|i| self.ns_at(i) == Namespace::Html && self.name_at(i) == name)
    }

    fn current_is(&self, names: &[&str]) -> bool {
        self.ns_at(self.top()) == Namespace::Html && names.contains(&self.name_at(self.top()))
    }

    fn is_html_integration_point(&self, i: usize) -> bool {
        let name = self.name_at(i);
        match self.ns_at(i) {
            Namespace::Svg => matches!(name, "foreignObject" | "desc" | "title"),
            Namespace::MathMl => {
                name == "annotation-xml"
                    && self.stack[i].el.attr("encoding").is_some_and(|v| {
                        v.eq_ignore_ascii_case("text/html")
                            || v.eq_ignore_ascii_case("application/xhtml+xml")
                    })
            }
            Namespace::Html => false,
        }
    }

    fn is_mathml_text_point(&self, i: usize) -> bool {
        self.ns_at(i) == Namespace::MathMl
            && matches!(self.name_at(i), "mi" | "mo" | "mn" | "ms" | "mtext")
    }

    /// Whether the token is read with foreign-content rules.
    fn in_foreign(&self, tok: &Token<'_>) -> bool {
        let i = self.top();
        if self.ns_at(i) == Namespace::Html || self.is_html_integration_point(i) {
            return false;
        }
        if self.is_mathml_text_point(i) {
            if let Token::Start { name, .. } = tok {
                return name == "mglyph" || name == "malignmark";
            }
            if matches!(tok, Token::Text(_)) {
                return false;
            }
        }
        if self.ns_at(i) == Namespace::MathMl
            && self.name_at(i) == "annotation-xml"
            && let Token::Start { name, .. } = tok
            && name == "svg"
        {
            return false;
        }
        true
    }

    fn token(&mut self, tok: Token<'_>, tz: &mut Tokenizer<'_>) {
        let skip_newline = std::mem::take(&mut self.skip_newline);
        match tok {
            Token::Text(t) => {
                let t = if skip_newline {
                    t.strip_prefix('\n').unwrap_or(&t)
                } else {
                    &t
                };
                self.text(t);
            }
            Token::Comment(c) => {
                let (a, b) = self.tok;
                let data = self.arena.str(&c);
                let node = self.arena.comment(data, [a, a, b, b]);
                self.append(node);
            }
            Token::Pi(p) => {
                let (a, b) = self.tok;
                let s = self.arena.str(&p);
                let node = self.arena.pi(s, [a, a, b, b]);
                self.append(node);
            }
            Token::Doctype => {}
            tok @ Token::Start { .. } => {
                // The tokenizer's attribute buffer, lent for this tag and handed back.
                let mut attrs = std::mem::take(&mut tz.attrs);
                let foreign = self.in_foreign(&tok);
                if let Token::Start { name, self_closing } = tok {
                    if foreign {
                        self.foreign_start(name, &mut attrs, self_closing, tz);
                    } else {
                        self.html_start(name, &mut attrs, self_closing, tz);
                    }
                }
                tz.attrs = attrs;
            }
            Token::End { name } => {
                let depth = self.stack.len();
                if self.ns_at(self.top()) != Namespace::Html {
                    self.foreign_end(&name);
                } else {
                    self.html_end(&name);
                }
                // The element this end tag closed is now the current node's last child.
                if self.stack.len() < depth {
                    let (a, b) = self.tok;
                    if let Some(i) = self.last_child()
                        && let closed = self.children[i]
                        && self
                            .arena
                            .name_of(&closed)
                            .is_some_and(|n| n.eq_ignore_ascii_case(&name))
                        && closed.span[0] != NO_SPAN
                    {
                        let span = &mut self.children[i].span;
                        span[2] = a;
                        span[3] = b;
                    }
                }
            }
        }
    }

    fn text(&mut self, t: &str) {
        // NUL is dropped in HTML content and read as U+FFFD in foreign content.
        if self.top_has(F_TABLE_MODE) && self.ns_at(self.top()) == Namespace::Html {
            // NUL counts too: it takes the text out of a column group in a whole parse.
            self.unsupported |= !t.bytes().all(is_ws);
        }
        let cleaned;
        let t = if t.contains('\0') {
            let top = self.top();
            let foreign = self.ns_at(top) != Namespace::Html
                && !self.is_html_integration_point(top)
                && !self.is_mathml_text_point(top);
            cleaned = if foreign {
                t.replace('\0', "\u{fffd}")
            } else {
                t.replace('\0', "")
            };
            cleaned.as_str()
        } else {
            t
        };
        if t.is_empty() {
            return;
        }
        let (a, b) = self.tok;
        if let Some(i) = self.last_child()
            && let last = self.children[i]
            && let Some(prev) = self.arena.text_of(&last)
        {
            let mut s = String::with_capacity(prev.len() + t.len());
            s.push_str(prev);
            s.push_str(t);
            let start = last.span[0];
            let data = self.arena.str(&s);
            self.children[i] = self.arena.text(data, [start, start, b, b]);
            return;
        }
        let data = self.arena.str(t);
        let node = self.arena.text(data, [a, a, b, b]);
        self.append(node);
    }

    /// Adds a finished node as the current node's last child.
    fn append(&mut self, node: Rec) {
        self.children.push(node);
    }

    /// Where the current node's last child is in `children`, if it has one yet.
    fn last_child(&self) -> Option<usize> {
        let first = self.stack.last()?.first_child;
        (self.children.len() > first).then(|| self.children.len() - 1)
    }

    fn push(&mut self, ns: Namespace, name: &str, attrs: &mut Attrs<'_>) {
        let (flags, name) = if ns == Namespace::Html {
            tag(name)
        } else {
            (0, Str::from(name))
        };
        self.push_with(ns, name, attrs, flags);
    }

    /// Pushes an element whose `tag` (flags 0 for a foreign one) the caller has at hand.
    fn push_with(&mut self, ns: Namespace, name: Str, attrs: &mut Attrs<'_>, flags: u16) {
        let attrs = attrs
            .drain(..)
            .map(|(n, v)| (adjust_attr(ns, n), v.into()))
            .collect();
        self.selects += usize::from(flags & F_SELECT != 0);
        let el = ElementData { ns, name, attrs };
        self.stack.push(OpenElement {
            el,
            flags,
            span: [NO_SPAN; 4],
            first_child: self.children.len(),
        });
        self.span_top(false);
    }

    /// Closes the current node; false (and the input marked for the full parser) when the
    /// current node is the context element, which a fragment parse cannot close.
    fn pop(&mut self) -> bool {
        if self.stack.len() <= self.frozen {
            self.unsupported = true;
            return false;
        }
        if let Some(open) = self.stack.pop() {
            if !self.closing_named && (open.flags & F_FORMATTING != 0 || open.el.is_html("form")) {
                // Browsers reopen a formatting element for the content that follows (active
                // formatting elements), and keep ignoring `<form>` while the form element
                // pointer still names a closed form.
                self.unsupported = true;
            }
            self.selects -= usize::from(open.flags & F_SELECT != 0);
            let node = self.close(open);
            self.append(node);
        }
        true
    }

    /// The finished node of an element taken off the stack, with its children (hashed already,
    /// and moved into the arena); hashed here.
    fn close(&mut self, open: OpenElement) -> Rec {
        self.arena
            .element_from(&open.el, &mut self.children, open.first_child, open.span)
    }

    fn in_scope(&self, names: &[&str], scope: Scope) -> bool {
        for i in (1..self.stack.len()).rev() {
            let name = self.name_at(i);
            let ns = self.ns_at(i);
            if ns == Namespace::Html && names.contains(&name) {
                return true;
            }
            let boundary = match ns {
                Namespace::Html => match scope {
                    Scope::Table => matches!(name, "html" | "table" | "template"),
                    _ => {
                        self.stack[i].flags & F_SCOPE != 0
                            || (scope == Scope::Button && name == "button")
                            || (scope == Scope::ListItem && matches!(name, "ol" | "ul"))
                    }
                },
                // Only HTML elements bound the table scope; the others stop at these too.
                _ if scope == Scope::Table => false,
                // Whatever its encoding, `annotation-xml` bounds a scope.
                Namespace::MathMl => self.is_mathml_text_point(i) || name == "annotation-xml",
                Namespace::Svg => self.is_html_integration_point(i),
            };
            if boundary {
                return false;
            }
        }
        false
    }

    /// Closes elements up to and including the first one named in `names`; false when it could
    /// not (the context element stood in the way).
    fn pop_until(&mut self, names: &[&str]) -> bool {
        while self.stack.len() > 1 {
            let hit = self.current_is(names);
            if !self.pop() {
                return false;
            }
            if hit {
                return true;
            }
        }
        false
    }

    fn implied_end(&mut self, except: &str) {
        while self.stack.len() > 1
            && self.top_has(F_IMPLIED_END)
            && self.name_at(self.top()) != except
        {
            if !self.pop() {
                break;
            }
        }
    }

    fn close_p(&mut self) {
        if self.in_scope(&["p"], Scope::Button) {
            self.implied_end("p");
            self.pop_until(&["p"]);
        }
    }

    fn foreign_start(
        &mut self,
        name: Cow<'_, str>,
        attrs: &mut Attrs<'_>,
        self_closing: bool,
        tz: &mut Tokenizer<'_>,
    ) {
        let font_breakout = name == "font"
            && attrs
                .iter()
                .any(|(n, _)| matches!(&**n, "color" | "face" | "size"));
        if tag_flags(&name) & F_BREAKOUT != 0 || font_breakout {
            while self.stack.len() > 1
                && self.ns_at(self.top()) != Namespace::Html
                && !self.is_html_integration_point(self.top())
                && !self.is_mathml_text_point(self.top())
            {
                if !self.pop() {
                    break;
                }
            }
            self.html_start(name, attrs, self_closing, tz);
            return;
        }
        let ns = self.ns_at(self.top());
        let name = if ns == Namespace::Svg {
            adjust_svg_tag(name)
        } else {
            name
        };
        self.push(ns, &name, attrs);
        if self_closing {
            self.span_top(true);
            self.pop();
        }
    }

    fn foreign_end(&mut self, name: &str) {
        for i in (1..self.stack.len()).rev() {
            if self.ns_at(i) == Namespace::Html {
                // An HTML end tag reaching through foreign content: the full parser's work.
                break;
            }
            if self.name_at(i).eq_ignore_ascii_case(name) {
                while self.stack.len() > i {
                    if !self.pop() {
                        break;
                    }
                }
                return;
            }
        }
        // No foreign element of that name: the in-body rules seen from inside foreign content
        // (say, `</p>` inserting an empty paragraph) are the full parser's work.
        self.unsupported = true;
    }

    fn html_start(
        &mut self,
        name: Cow<'_, str>,
        attrs: &mut Attrs<'_>,
        self_closing: bool,
        tz: &mut Tokenizer<'_>,
    ) {
        let n = &*name;
        let (f, interned) = tag(n);
        if f & F_TABLE_PART != 0 && self.ns_at(self.top()) != Namespace::Html {
            // A table part inside foreign content (as in a MathML text point in a cell).
            self.unsupported = true;
            return;
        }
        // Table structure decides before the generic rules.
        if self.table_start(n, f) {
            return self.html_start(name, attrs, self_closing, tz);
        }
        if f & F_TABLE_PART != 0 && !self.in_table_context() {
            // Outside a table these tags are dropped, their content kept.
            return;
        }
        let in_select = self.selects > 0;
        if (self.top_has(F_TABLE_MODE) && f & F_TABLE_CONTENT == 0)
            || (in_select && !matches!(n, "option" | "optgroup"))
        {
            // Foster parenting; select content beyond options (closing the select, or the newer
            // customizable select): the full parser's work.
            self.unsupported = true;
            return;
        }
        // Tags without start rules of their own (most of them) skip the name matches below.
        let special = f & F_START_RULES != 0;
        match n {
            _ if !special => {}
            "html" | "body" | "head" | "frameset" | "frame" => return,
            // While the form element pointer is set.
            "form" if self.context_form || self.is_open("form") => return,
            "svg" => {
                self.push(Namespace::Svg, "svg", attrs);
                if self_closing {
                    self.span_top(true);
                    self.pop();
                }
                return;
            }
            "math" => {
                self.push(Namespace::MathMl, "math", attrs);
                if self_closing {
                    self.span_top(true);
                    self.pop();
                }
                return;
            }
            _ => {}
        }
        if special && (n == "li" || n == "dd" || n == "dt") {
            let targets: &[&str] = if n == "li" { &["li"] } else { &["dd", "dt"] };
            for i in (1..self.stack.len()).rev() {
                let (name_i, html) = (self.name_at(i), self.ns_at(i) == Namespace::Html);
                if html && targets.contains(&name_i) {
                    let found = name_i.to_string();
                    self.implied_end(&found);
                    self.pop_until(&[found.as_str()]);
                    break;
                }
                if html
                    && self.stack[i].flags & F_SPECIAL != 0
                    && !matches!(name_i, "address" | "div" | "p")
                {
                    break;
                }
            }
        }
        if f & F_CLOSES_P != 0 {
            self.close_p();
        }
        if f & F_HEADING != 0 && self.top_has(F_HEADING) {
            self.pop();
        }
        match n {
            _ if !special => {}
            "button" if self.in_scope(&["button"], Scope::Default) => {
                self.implied_end("");
                self.pop_until(&["button"]);
            }
            "option" if self.current_is(&["option"]) => {
                self.pop();
            }
            "optgroup" => {
                if self.current_is(&["option"]) {
                    self.pop();
                }
                // Only inside a select does an optgroup close the one before it.
                if in_select && self.current_is(&["optgroup"]) {
                    self.pop();
                }
            }
            _ => {}
        }
        let (tag_name, tf, interned) = if special && n == "image" {
            let (f, s) = tag("img");
            ("img", f, s)
        } else {
            (n, f, interned)
        };
        if (self.top_has(F_TABLE_MODE) && tf & F_TABLE_CONTENT == 0)
            || (special
                && self.top_has(F_TABLE_MODE)
                && tag_name == "input"
                && !attrs
                    .iter()
                    .any(|(k, v)| k == "type" && v.eq_ignore_ascii_case("hidden")))
            || (special
                && matches!(
                    tag_name,
                    "template" | "rb" | "rp" | "rt" | "rtc" | "frameset"
                ))
            || (special && (tag_name == "a" || tag_name == "nobr") && self.is_open(tag_name))
        {
            // Foster parenting, templates, ruby, nested links: the full parser's work.
            self.unsupported = true;
            return;
        }
        self.push_with(Namespace::Html, interned, attrs, tf);
        if tf & F_VOID != 0 {
            self.span_top(true);
            self.pop();
            return;
        }
        if !special {
            return;
        }
        if let Some(mode) = text_mode(tag_name) {
            tz.set_mode(mode, tag_name);
        }
        if matches!(tag_name, "pre" | "listing" | "textarea") {
            self.skip_newline = true;
        }
    }

    fn in_table_context(&self) -> bool {
        self.in_scope(&["table"], Scope::Table) || self.context_is_table_part()
    }

    fn context_is_table_part(&self) -> bool {
        let n = self.name_at(0);
        self.ns_at(0) == Namespace::Html
            && matches!(
                n,
                "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" | "colgroup"
            )
    }

    /// Applies the table insertion modes; true when the token must be processed again.
    fn table_start(&mut self, n: &str, f: u16) -> bool {
        if self.ns_at(self.top()) != Namespace::Html {
            return false;
        }
        let part = f & F_TABLE_PART != 0;
        if !part && !self.top_has(F_TABLE_MODE) && n != "table" {
            // Only table parts, and tags in a table-mode current node, meet the rules below.
            return false;
        }
        // What the current node is, as a copy, so that the arms below may change the stack.
        let cur = match self.name_at(self.top()) {
            "table" => "table",
            "tbody" | "thead" | "tfoot" => "tbody",
            "tr" => "tr",
            "colgroup" => "colgroup",
            _ => "",
        };
        match cur {
            "table" => match n {
                "col" => {
                    self.push(Namespace::Html, "colgroup", &mut Attrs::new());
                    self.implied();
                    true
                }
                "td" | "th" | "tr" => {
                    self.push(Namespace::Html, "tbody", &mut Attrs::new());
                    self.implied();
                    true
                }
                "table" => self.pop(),
                _ => false,
            },
            "tbody" => match n {
                "td" | "th" => {
                    self.push(Namespace::Html, "tr", &mut Attrs::new());
                    self.implied();
                    true
                }
                "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead" | "table" => {
                    self.pop()
                }
                _ => false,
            },
            "tr" => match n {
                "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead" | "tr" | "table" => {
                    self.pop()
                }
                _ => false,
            },
            "colgroup" if n != "col" && n != "template" => self.pop(),
            _ if part && self.in_scope(&["td", "th"], Scope::Table) => {
                self.implied_end("");
                self.pop_until(&["td", "th"]) && !self.unsupported
            }
            _ if part && self.in_scope(&["caption"], Scope::Table) => {
                self.pop_until(&["caption"]) && !self.unsupported
            }
            _ => false,
        }
    }

    fn html_end(&mut self, name: &str) {
        let f = tag_flags(name);
        if self.top_has(F_TABLE_MODE) && f & F_TABLE_END == 0 {
            // Other end tags in a table are handled as if fostered: the full parser's work.
            self.unsupported = true;
            return;
        }
        if f & F_END_RULES == 0 {
            return self.any_other_end(name, f);
        }
        match name {
            _ if f & F_BLOCK_END != 0 => {
                // Closes whatever is open inside it (an unclosed <li>, say), when in scope.
                if self.in_scope(&[name], Scope::Default) {
                    self.implied_end("");
                    self.pop_until(&[name]);
                }
            }
            "p" => {
                if !self.in_scope(&["p"], Scope::Button) {
                    self.push(Namespace::Html, "p", &mut Attrs::new());
                    self.implied();
                }
                self.implied_end("p");
                self.pop_until(&["p"]);
            }
            "br" => {
                self.push(Namespace::Html, "br", &mut Attrs::new());
                self.implied();
                self.pop();
            }
            "body" | "html" | "head" => {}
            "form" => {
                // Clears the form element pointer; closes the form it named when in scope.
                if !self.is_open("form") {
                    // The context form, or none: nothing on the stack to close.
                    self.context_form = false;
                    return;
                }
                if !self.in_scope(&["form"], Scope::Default) {
                    // Would clear the pointer and leave the form open.
                    self.unsupported = true;
                    return;
                }
                self.implied_end("");
                if self.current_is(&["form"]) {
                    self.closing_named = true;
                    self.pop();
                    self.closing_named = false;
                } else {
                    // The spec takes the form off the stack and leaves the elements above it
                    // open: the full parser's work.
                    self.unsupported = true;
                }
            }
            "li" => {
                if self.in_scope(&["li"], Scope::ListItem) {
                    self.implied_end("li");
                    self.pop_until(&["li"]);
                }
            }
            "dd" | "dt" => {
                if self.in_scope(&[name], Scope::Default) {
                    self.implied_end(name);
                    self.pop_until(&[name]);
                }
            }
            _ if f & F_HEADING != 0 => {
                if self.in_scope(HEADINGS, Scope::Default) {
                    self.implied_end("");
                    self.pop_until(HEADINGS);
                }
            }
            "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" | "colgroup" => {
                if self.in_scope(&[name], Scope::Table) {
                    self.implied_end("");
                    self.pop_until(&[name]);
                }
            }
            _ => self.any_other_end(name, f),
        }
    }

    fn any_other_end(&mut self, name: &str, f: u16) {
        if f & F_FORMATTING != 0 {
            // Only a well-nested close is on the fast path; the rest is the adoption agency.
            if self.current_is(&[name]) {
                self.closing_named = true;
                self.pop();
                self.closing_named = false;
            } else {
                self.unsupported = true;
            }
            return;
        }
        for i in (1..self.stack.len()).rev() {
            let html = self.ns_at(i) == Namespace::Html;
            if html && self.name_at(i) == name {
                self.implied_end(name);
                while self.stack.len() > i {
                    if !self.pop() {
                        break;
                    }
                }
                return;
            }
            if html && self.stack[i].flags & F_SPECIAL != 0 {
                return;
            }
        }
    }
}

/// How the tokenizer reads the content of the HTML element `name`, when it is text only.
fn text_mode(name: &str) -> Option<TextMode> {
    Some(match name {
        _ if !TEXT_ONLY.contains(&name) => return None,
        "textarea" | "title" => TextMode::RcData,
        "plaintext" => TextMode::PlainText,
        _ => TextMode::RawText,
    })
}

fn adjust_svg_tag(name: Cow<'_, str>) -> Cow<'_, str> {
    SVG_TAGS
        .iter()
        .find(|t| t.eq_ignore_ascii_case(&name))
        .map_or(name, |t| Cow::Borrowed(*t))
}

fn adjust_attr(ns: Namespace, name: Cow<'_, str>) -> Str {
    match ns {
        Namespace::Svg => SVG_ATTRS
            .iter()
            .find(|t| t.eq_ignore_ascii_case(&name))
            .map_or_else(|| name.into(), |t| Str::from_static(t)),
        Namespace::MathMl if name == "definitionurl" => Str::from_static("definitionURL"),
        _ => attr_name(&name),
    }
}
