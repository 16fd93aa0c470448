//! Random page pairs (A, B) for the diff's property tests: B is A after random edits (text and
//! attribute changes, inserts, deletes, moves, reversed lists, changed tags), with keyed and
//! unkeyed children, form controls, tables and comments.

/// A tiny deterministic generator, so that a failing seed reproduces exactly.
pub struct Rng(pub u64);

impl Rng {
    /// The next value (xorshift64; the seed must not be 0).
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A value in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A generated node.
#[derive(Clone, Debug)]
enum M {
    Text(String),
    Comment(String),
    El(String, Vec<(String, String)>, Vec<M>),
}

/// Tags that nest anywhere; tables are generated whole so that every tree is one a parser makes.
const TAGS: &[&str] = &[
    "div", "span", "p", "b", "ul", "li", "button", "section", "em", "textarea", "pre",
];
const TABLE: &[&str] = &["table", "tbody", "tr"];
const VOIDS: &[&str] = &["br", "input", "img", "hr"];
const TEXTS: &[&str] = &[
    "a",
    "b c",
    " ",
    "\n  ",
    "x<y",
    "1 & 2",
    "\u{a0}",
    "long text here",
    "The quick brown fox jumps over the lazy dog and keeps on running, far past the river bank.",
    "The quick brown fox leaps over the lazy dog and keeps on running, far past the river bend!",
    "😀 ünïcödé text that is long enough to be spliced rather than sent whole, with 𝄞 in it.",
    "😀 ünïcödé text that is long enough to be edited rather than sent whole, with 𝄞𝄞 in it.",
];

fn random_node(r: &mut Rng, depth: usize) -> M {
    match r.below(if depth == 0 { 3 } else { 6 }) {
        0 => M::Text(r.pick(TEXTS).to_string()),
        1 => M::Comment(r.pick(&["", "c", "x"]).to_string()),
        2 => M::El(r.pick(VOIDS).to_string(), attrs(r), vec![]),
        3 if depth > 1 => {
            let rows = (0..r.below(4))
                .map(|_| {
                    let cells = (0..1 + r.below(3))
                        .map(|_| M::El("td".into(), attrs(r), vec![random_node(r, depth - 2)]))
                        .collect();
                    M::El("tr".into(), attrs(r), cells)
                })
                .collect();
            M::El(
                "table".into(),
                attrs(r),
                vec![M::El("tbody".into(), vec![], rows)],
            )
        }
        _ => {
            let n = r.below(5);
            let children = (0..n).map(|_| random_node(r, depth - 1)).collect();
            M::El(r.pick(TAGS).to_string(), attrs(r), children)
        }
    }
}

fn attrs(r: &mut Rng) -> Vec<(String, String)> {
    let mut a = Vec::new();
    if r.below(3) == 0 {
        a.push(("id".to_string(), format!("k{}", r.below(6))));
    }
    if r.below(2) == 0 {
        a.push((
            "class".to_string(),
            r.pick(&["a", "b", "a b", ""]).to_string(),
        ));
    }
    if r.below(4) == 0 {
        a.push((
            "value".to_string(),
            r.pick(&["1", "two", "\"q\""]).to_string(),
        ));
    }
    a
}

fn mutate(r: &mut Rng, m: &mut M, depth: usize) {
    match m {
        M::Text(t) => *t = r.pick(TEXTS).to_string(),
        M::Comment(c) => c.push('!'),
        M::El(tag, attrs_, children) => match r.below(8) {
            // Table structure only reorders, loses or patches its rows and cells.
            2 | 5 if TABLE.contains(&tag.as_str()) => children.reverse(),
            5 if tag == "td" => {}
            0 => *attrs_ = attrs(r),
            1 if !children.is_empty() => {
                let i = r.below(children.len());
                children.remove(i);
            }
            2 => {
                let i = r.below(children.len() + 1);
                children.insert(i, random_node(r, depth.min(2)));
            }
            3 if children.len() > 1 => {
                let i = r.below(children.len());
                let c = children.remove(i);
                let j = r.below(children.len() + 1);
                children.insert(j, c);
            }
            4 => children.reverse(),
            5 => *tag = r.pick(TAGS).to_string(),
            _ => {
                for c in children.iter_mut() {
                    if r.below(2) == 0 {
                        mutate(r, c, depth + 1);
                    }
                }
            }
        },
    }
}

fn html(m: &M, out: &mut String) {
    match m {
        M::Text(t) => escape(t, false, out),
        M::Comment(c) => {
            out.push_str("<!--");
            out.push_str(c);
            out.push_str("-->");
        }
        M::El(tag, attrs, children) => {
            out.push('<');
            out.push_str(tag);
            for (k, v) in attrs {
                out.push(' ');
                out.push_str(k);
                out.push_str("=\"");
                escape(v, true, out);
                out.push('"');
            }
            out.push('>');
            if !VOIDS.contains(&tag.as_str()) {
                children.iter().for_each(|c| html(c, out));
                out.push_str("</");
                out.push_str(tag);
                out.push('>');
            }
        }
    }
}

fn escape(s: &str, attr: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' if !attr => out.push_str("&lt;"),
            '>' if !attr => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// A random page A and the page B after `rounds` rounds of random edits, as HTML.
pub fn page_pair(seed: u64, rounds: usize) -> (String, String) {
    let mut r = Rng(seed.max(1));
    let a: Vec<M> = (0..1 + r.below(4))
        .map(|_| random_node(&mut r, 4))
        .collect();
    let mut b = a.clone();
    for _ in 0..rounds {
        for m in b.iter_mut() {
            mutate(&mut r, m, 0);
        }
        if r.below(3) == 0 {
            let i = r.below(b.len() + 1);
            b.insert(i, random_node(&mut r, 3));
        }
    }
    let to_html = |ms: &[M]| {
        let mut s = String::new();
        ms.iter().for_each(|m| html(m, &mut s));
        s
    };
    (to_html(&a), to_html(&b))
}

/// A keyed list of `n` rows and a random permutation of it with some rows dropped and some
/// added, as HTML.
pub fn keyed_pair(seed: u64, n: usize) -> (String, String) {
    let mut r = Rng(seed.max(1));
    let item = |i: usize| format!("<li id=\"r{i}\">row {i}</li>");
    let a: String = (0..n).map(item).collect();
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, r.below(i + 1));
    }
    order.retain(|_| r.below(8) != 0);
    order.extend(n..n + r.below(3));
    let b: String = order.iter().map(|&i| item(i)).collect();
    (format!("<ul>{a}</ul>"), format!("<ul>{b}</ul>"))
}
