//! The document a [`crate::LiveTest`] reads: the page as its browser would have it, with the
//! effects of JS commands, and CSS selectors over it.

use crate::html::{NodeData, Tree};

/// One node of the document: an element (with its attributes) or a text.
#[derive(Clone, Debug)]
pub(crate) struct DomNode {
    /// The tag name; empty for a text node.
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// The text of a text node.
    pub text: String,
    pub parent: Option<usize>,
    pub kids: Vec<usize>,
}

/// An owned document, rebuilt from the client's tree after each frame.
#[derive(Clone, Debug, Default)]
pub(crate) struct Dom {
    pub nodes: Vec<DomNode>,
}

/// The root: the page's container.
pub(crate) const ROOT: usize = 0;

impl Dom {
    /// The document of `tree` (comments are left out: nothing selects them).
    pub fn of(tree: &Tree) -> Dom {
        let mut dom = Dom {
            nodes: vec![DomNode {
                name: "#root".into(),
                attrs: Vec::new(),
                text: String::new(),
                parent: None,
                kids: Vec::new(),
            }],
        };
        fn walk(dom: &mut Dom, node: crate::html::Node<'_>, parent: usize) {
            for kid in node.children() {
                let (name, attrs, text) = match kid.data() {
                    NodeData::Element(e) => (
                        e.name.to_string(),
                        e.attrs()
                            .map(|a| (a.name.to_string(), a.value.to_string()))
                            .collect(),
                        String::new(),
                    ),
                    NodeData::Text(t) => (String::new(), Vec::new(), t.to_string()),
                    NodeData::Comment(_) | NodeData::ProcessingInstruction { .. } => continue,
                };
                let id = dom.nodes.len();
                dom.nodes.push(DomNode {
                    name,
                    attrs,
                    text,
                    parent: Some(parent),
                    kids: Vec::new(),
                });
                dom.nodes[parent].kids.push(id);
                walk(dom, kid, id);
            }
        }
        walk(&mut dom, tree.root(), ROOT);
        dom
    }

    pub fn attr(&self, el: usize, name: &str) -> Option<&str> {
        self.nodes[el]
            .attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn set_attr(&mut self, el: usize, name: &str, value: &str) {
        let attrs = &mut self.nodes[el].attrs;
        match attrs.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => *v = value.to_string(),
            None => attrs.push((name.to_string(), value.to_string())),
        }
    }

    pub fn remove_attr(&mut self, el: usize, name: &str) {
        self.nodes[el].attrs.retain(|(n, _)| n != name);
    }

    pub fn is_element(&self, n: usize) -> bool {
        n != ROOT && !self.nodes[n].name.is_empty()
    }

    pub fn classes(&self, el: usize) -> impl Iterator<Item = &str> {
        self.attr(el, "class").unwrap_or("").split_whitespace()
    }

    pub fn has_class(&self, el: usize, class: &str) -> bool {
        self.classes(el).any(|c| c == class)
    }

    /// Adds (`on`) or removes a class, removing the attribute when it ends up empty.
    pub fn set_class(&mut self, el: usize, class: &str, on: bool) {
        let mut list: Vec<String> = self.classes(el).map(str::to_string).collect();
        list.retain(|c| c != class);
        if on {
            list.push(class.to_string());
        }
        if list.is_empty() {
            self.remove_attr(el, "class");
        } else {
            self.set_attr(el, "class", &list.join(" "));
        }
    }

    /// Sets the inline style's `display` (or removes it, with `None`).
    pub fn set_display(&mut self, el: usize, display: &str) {
        let mut decls: Vec<String> = self
            .attr(el, "style")
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .filter(|d| !d.is_empty() && !is_display(d))
            .map(str::to_string)
            .collect();
        decls.push(format!("display: {display}"));
        self.set_attr(el, "style", &decls.join("; "));
    }

    /// The `display` its inline style sets, if any.
    fn inline_display(&self, el: usize) -> Option<&str> {
        self.attr(el, "style")?
            .split(';')
            .filter(|d| is_display(d))
            .filter_map(|d| d.split_once(':'))
            .map(|(_, v)| v.trim())
            .next_back()
    }

    /// Whether the element itself is not displayed: an inline `display: none`, or else the
    /// `hidden` attribute or Tailwind's `hidden` class.
    pub fn display_none(&self, el: usize) -> bool {
        match self.inline_display(el) {
            Some(d) => d == "none",
            None => self.attr(el, "hidden").is_some() || self.has_class(el, "hidden"),
        }
    }

    /// Whether the element and all its ancestors are displayed.
    pub fn visible(&self, el: usize) -> bool {
        let mut at = Some(el);
        while let Some(n) = at {
            if self.is_element(n) && self.display_none(n) {
                return false;
            }
            at = self.nodes[n].parent;
        }
        true
    }

    /// The text inside `n`, as `textContent` gives it.
    pub fn text(&self, n: usize) -> String {
        let mut out = String::new();
        self.text_into(n, &mut out);
        out
    }

    fn text_into(&self, n: usize, out: &mut String) {
        let node = &self.nodes[n];
        if node.name.is_empty() {
            out.push_str(&node.text);
        }
        for &k in &node.kids {
            self.text_into(k, out);
        }
    }

    /// Whether `a` is `b` or one of its ancestors.
    pub fn contains(&self, a: usize, b: usize) -> bool {
        let mut at = Some(b);
        while let Some(n) = at {
            if n == a {
                return true;
            }
            at = self.nodes[n].parent;
        }
        false
    }

    /// The nearest of `n` and its ancestors that `pred` accepts.
    pub fn closest(&self, n: usize, pred: impl Fn(usize) -> bool) -> Option<usize> {
        let mut at = Some(n);
        while let Some(x) = at {
            if self.is_element(x) && pred(x) {
                return Some(x);
            }
            at = self.nodes[x].parent;
        }
        None
    }

    /// Elements in document order.
    pub fn elements(&self) -> Vec<usize> {
        let mut out = Vec::new();
        fn walk(dom: &Dom, n: usize, out: &mut Vec<usize>) {
            for &k in &dom.nodes[n].kids {
                if dom.is_element(k) {
                    out.push(k);
                    walk(dom, k, out);
                }
            }
        }
        walk(self, ROOT, &mut out);
        out
    }

    /// The elements under `scope` (the whole document for [`ROOT`]) that `selector` matches,
    /// in document order.
    pub fn select(&self, scope: usize, selector: &Selector) -> Vec<usize> {
        self.elements()
            .into_iter()
            .filter(|&e| e != scope && self.contains(scope, e) && selector.matches(self, e))
            .collect()
    }

    /// Where `n` is: child indices from the root.
    pub fn path(&self, n: usize) -> Vec<usize> {
        let mut path = Vec::new();
        let mut at = n;
        while let Some(p) = self.nodes[at].parent {
            path.push(
                self.nodes[p]
                    .kids
                    .iter()
                    .position(|&k| k == at)
                    .unwrap_or(0),
            );
            at = p;
        }
        path.reverse();
        path
    }

    /// The node at `path`.
    pub fn at(&self, path: &[usize]) -> Option<usize> {
        let mut n = ROOT;
        for &i in path {
            n = *self.nodes[n].kids.get(i)?;
        }
        Some(n)
    }

    /// The element whose `id` is `id`.
    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.elements()
            .into_iter()
            .find(|&e| self.attr(e, "id") == Some(id))
    }
}

fn is_display(decl: &str) -> bool {
    decl.split_once(':')
        .is_some_and(|(p, _)| p.trim().eq_ignore_ascii_case("display"))
}

/// A parsed CSS selector list: type, `*`, `#id`, `.class`, `[attr]`, `[attr=v]` (and `~=`,
/// `^=`, `$=`, `*=`), `:not(…)`, the descendant and `>` combinators, and `,`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Selector(Vec<Vec<(Combinator, Compound)>>);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Combinator {
    /// The first compound of a chain.
    None,
    Descendant,
    Child,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Compound {
    tag: Option<String>,
    ids: Vec<String>,
    classes: Vec<String>,
    attrs: Vec<(String, char, Option<String>)>,
    not: Vec<Compound>,
}

/// Why a selector did not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("selector {selector:?} does not parse at byte {at}")]
pub(crate) struct SelectorError {
    /// The selector.
    pub selector: String,
    /// Where it went wrong.
    pub at: usize,
}

impl Selector {
    /// Parses `s`.
    pub fn parse(s: &str) -> Result<Selector, SelectorError> {
        let mut p = SelectorParser { s, at: 0 };
        let list = p.list().ok_or(SelectorError {
            selector: s.to_string(),
            at: p.at,
        })?;
        Ok(Selector(list))
    }

    pub(crate) fn matches(&self, dom: &Dom, el: usize) -> bool {
        self.0.iter().any(|chain| matches_chain(dom, el, chain))
    }
}

fn matches_chain(dom: &Dom, el: usize, chain: &[(Combinator, Compound)]) -> bool {
    let Some(((comb, last), rest)) = chain.split_last() else {
        return false;
    };
    if !last.matches(dom, el) {
        return false;
    }
    match comb {
        Combinator::None => true,
        Combinator::Child => dom.nodes[el]
            .parent
            .is_some_and(|p| dom.is_element(p) && matches_chain(dom, p, rest)),
        Combinator::Descendant => {
            let mut at = dom.nodes[el].parent;
            while let Some(p) = at {
                if dom.is_element(p) && matches_chain(dom, p, rest) {
                    return true;
                }
                at = dom.nodes[p].parent;
            }
            false
        }
    }
}

impl Compound {
    fn matches(&self, dom: &Dom, el: usize) -> bool {
        if !dom.is_element(el) {
            return false;
        }
        let node = &dom.nodes[el];
        self.tag
            .as_ref()
            .is_none_or(|t| node.name.eq_ignore_ascii_case(t))
            && self.ids.iter().all(|i| dom.attr(el, "id") == Some(i))
            && self.classes.iter().all(|c| dom.has_class(el, c))
            && self.attrs.iter().all(|(name, op, want)| {
                let Some(v) = dom.attr(el, name) else {
                    return false;
                };
                let Some(w) = want else { return true };
                match op {
                    '=' => v == w,
                    '~' => v.split_whitespace().any(|x| x == w),
                    '^' => v.starts_with(w.as_str()),
                    '$' => v.ends_with(w.as_str()),
                    '*' => v.contains(w.as_str()),
                    _ => false,
                }
            })
            && self.not.iter().all(|n| !n.matches(dom, el))
    }
}

struct SelectorParser<'a> {
    s: &'a str,
    at: usize,
}

impl SelectorParser<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.at..].chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn spaces(&mut self) -> bool {
        let start = self.at;
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.at += c.len_utf8();
        }
        self.at > start
    }

    fn ident(&mut self) -> Option<String> {
        let start = self.at;
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                self.at += c.len_utf8();
            } else if c == '\\' {
                self.at += 1;
                let next = self.peek()?;
                self.at += next.len_utf8();
            } else {
                break;
            }
        }
        (self.at > start).then(|| self.s[start..self.at].replace('\\', ""))
    }

    fn list(&mut self) -> Option<Vec<Vec<(Combinator, Compound)>>> {
        let mut list = vec![self.chain()?];
        while self.eat(',') {
            list.push(self.chain()?);
        }
        (self.at == self.s.len()).then_some(list)
    }

    fn chain(&mut self) -> Option<Vec<(Combinator, Compound)>> {
        self.spaces();
        let mut chain = vec![(Combinator::None, self.compound()?)];
        loop {
            let spaced = self.spaces();
            let comb = if self.eat('>') {
                self.spaces();
                Combinator::Child
            } else if spaced && !matches!(self.peek(), None | Some(',' | ')')) {
                Combinator::Descendant
            } else {
                return Some(chain);
            };
            chain.push((comb, self.compound()?));
        }
    }

    fn compound(&mut self) -> Option<Compound> {
        let mut c = Compound::default();
        let start = self.at;
        if !self.eat('*') {
            c.tag = self.ident();
        }
        loop {
            if self.eat('#') {
                c.ids.push(self.ident()?);
            } else if self.eat('.') {
                c.classes.push(self.ident()?);
            } else if self.eat('[') {
                c.attrs.push(self.attr()?);
            } else if self.s[self.at..].starts_with(":not(") {
                self.at += 5;
                self.spaces();
                c.not.push(self.compound()?);
                self.spaces();
                if !self.eat(')') {
                    return None;
                }
            } else {
                break;
            }
        }
        (self.at > start).then_some(c)
    }

    fn attr(&mut self) -> Option<(String, char, Option<String>)> {
        self.spaces();
        let name = self.ident()?;
        self.spaces();
        if self.eat(']') {
            return Some((name, '=', None));
        }
        let op = match self.peek()? {
            '=' => '=',
            c @ ('~' | '^' | '$' | '*') => {
                self.at += 1;
                c
            }
            _ => return None,
        };
        if !self.eat('=') {
            return None;
        }
        self.spaces();
        let value = match self.peek()? {
            q @ ('"' | '\'') => {
                self.at += 1;
                let end = self.s[self.at..].find(q)?;
                let v = self.s[self.at..self.at + end].to_string();
                self.at += end + 1;
                v
            }
            _ => self.ident()?,
        };
        self.spaces();
        self.eat(']').then_some((name, op, Some(value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::parse_fragment;

    fn ids(dom: &Dom, sel: &str) -> Vec<String> {
        let s = Selector::parse(sel).expect("parses");
        dom.select(ROOT, &s)
            .into_iter()
            .map(|e| dom.attr(e, "id").unwrap_or("?").to_string())
            .collect()
    }

    #[test]
    fn selectors_match_as_a_browser_does() {
        let dom = Dom::of(&parse_fragment(
            r#"<form id=f class="a b"><p id=p><button id=b type=submit class=a>Go</button></p><input id=i name="x y" data-k="pre-mid-end"></form><a id=l href="/x" lv-patch>L</a>"#,
        ));
        assert_eq!(ids(&dom, "button"), ["b"]);
        assert_eq!(ids(&dom, ".a"), ["f", "b"]);
        assert_eq!(ids(&dom, "form .a"), ["b"]);
        assert_eq!(ids(&dom, "form > .a"), Vec::<String>::new());
        assert_eq!(ids(&dom, "form>p>button"), ["b"]);
        assert_eq!(ids(&dom, "[type=submit]"), ["b"]);
        assert_eq!(ids(&dom, r#"input[name="x y"]"#), ["i"]);
        assert_eq!(ids(&dom, "[data-k^=pre][data-k$=end][data-k*=mid]"), ["i"]);
        assert_eq!(ids(&dom, "[name~=y]"), ["i"]);
        assert_eq!(ids(&dom, "a[lv-patch], #p"), ["p", "l"]);
        assert_eq!(ids(&dom, "*:not(.a):not(a)"), ["p", "i"]);
        assert_eq!(ids(&dom, "#f #b.a"), ["b"]);
        for bad in ["", "a[", "a[x=", ".", "a >", "a,", ":not(a"] {
            assert!(Selector::parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    proptest::proptest! {
        /// Whatever a test writes, the parser answers without panicking, and a selector that
        /// parses can be matched against any page.
        #[test]
        fn any_text_parses_or_is_refused(s in "[a-z#.\\[\\]=~^$*'\" >,:()\\\\\\u{3000}é-]{0,24}") {
            let dom = Dom::of(&parse_fragment("<p id=a class=b><i x=y>t</i></p>"));
            if let Ok(sel) = Selector::parse(&s) {
                let _ = dom.select(ROOT, &sel);
            }
        }
    }

    #[test]
    fn visibility_follows_inline_display_then_hidden() {
        let mut dom = Dom::of(&parse_fragment(
            r#"<div id=m class="hidden"><p id=in>x</p></div><div id=s style="color: red; display:none"></div><div id=h hidden></div>"#,
        ));
        let (m, inner, s, h) = (
            dom.by_id("m").unwrap(),
            dom.by_id("in").unwrap(),
            dom.by_id("s").unwrap(),
            dom.by_id("h").unwrap(),
        );
        assert!(!dom.visible(inner) && !dom.visible(s) && !dom.visible(h));
        dom.set_display(m, "block");
        assert!(dom.visible(inner));
        dom.set_display(s, "flex");
        assert_eq!(dom.attr(s, "style"), Some("color: red; display: flex"));
        dom.set_class(m, "hidden", false);
        assert_eq!(dom.attr(m, "class"), None);
    }
}
