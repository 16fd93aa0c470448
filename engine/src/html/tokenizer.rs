//! The HTML tokenizer: turns source text into tags, text and comments as the HTML5 tokenizer does.

use std::borrow::Cow;

use super::entities::{Context, decode_text_checked};
use super::instruction::{self, Instruction};

/// A start tag's attributes, names lower-cased, first occurrence of each name only.
pub(crate) type Attrs<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// One token for the tree builder.
#[derive(Debug, PartialEq)]
pub(crate) enum Token<'a> {
    /// A start tag; its attributes are in [`Tokenizer::attrs`] until the next token.
    Start {
        name: Cow<'a, str>,
        self_closing: bool,
    },
    End {
        name: Cow<'a, str>,
    },
    Text(Cow<'a, str>),
    Comment(Cow<'a, str>),
    /// A processing instruction, its target and data as [`instruction::joined`] keeps them.
    Pi(Cow<'a, str>),
    Doctype,
}

/// How the text after a start tag is read, switched by the tree builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextMode {
    /// Ordinary markup.
    Data,
    /// `<textarea>`, `<title>`: character references decoded, no tags until the end tag.
    RcData,
    /// `<script>`, `<style>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`, `<noscript>`.
    RawText,
    /// `<plaintext>`: everything to the end is text.
    PlainText,
}

pub(crate) struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    mode: TextMode,
    /// The tag whose end tag ends RCDATA or RAWTEXT.
    end_of_raw: String,
    /// Set when the input uses something only the full HTML5 parser reads right.
    pub(crate) unsupported: bool,
    /// Set when the input ends inside a tag, a comment or raw text.
    pub(crate) incomplete: bool,
    /// Where the last token began.
    pub(crate) token_start: usize,
    /// The attributes of the last start tag (one buffer for all tags, so tokens stay small),
    /// emptied as each token starts.
    pub(crate) attrs: Attrs<'a>,
}

/// HTML whitespace: space, tab, line feed, form feed, carriage return.
pub(super) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

impl<'a> Tokenizer<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Tokenizer {
            src,
            pos: 0,
            mode: TextMode::Data,
            end_of_raw: String::new(),
            unsupported: false,
            incomplete: false,
            token_start: 0,
            attrs: Vec::new(),
        }
    }

    pub(crate) fn set_mode(&mut self, mode: TextMode, tag: &str) {
        self.mode = mode;
        self.end_of_raw.clear();
        self.end_of_raw.push_str(tag);
    }

    /// Where the tokenizer stands: the end of the last token.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn next_token(&mut self) -> Option<Token<'a>> {
        if self.pos >= self.src.len() {
            return None;
        }
        self.attrs.clear();
        self.token_start = self.pos;
        match self.mode {
            TextMode::Data => Some(self.data()),
            TextMode::RcData | TextMode::RawText => Some(self.raw()),
            TextMode::PlainText => {
                let text = &self.src[self.pos..];
                self.pos = self.src.len();
                Some(Token::Text(normalize_raw(text)))
            }
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    fn data(&mut self) -> Token<'a> {
        let b = self.bytes();
        if b[self.pos] == b'<' {
            if let Some(tok) = self.markup() {
                return tok;
            }
            // A lone `<` is text; read it together with what follows.
            let start = self.pos;
            self.pos += 1;
            self.pos = find_lt(b, self.pos);
            return Token::Text(decode_text_checked(
                &self.src[start..self.pos],
                Context::Data,
                &mut self.unsupported,
            ));
        }
        let start = self.pos;
        self.pos = find_lt(b, self.pos);
        Token::Text(decode_text_checked(
            &self.src[start..self.pos],
            Context::Data,
            &mut self.unsupported,
        ))
    }

    /// Text up to the end tag that closes a RAWTEXT or RCDATA element.
    fn raw(&mut self) -> Token<'a> {
        let b = self.bytes();
        let start = self.pos;
        let mut i = self.pos;
        let end = loop {
            match b[i..].iter().position(|&c| c == b'<') {
                None => {
                    self.incomplete = true;
                    break b.len();
                }
                Some(off) => {
                    let at = i + off;
                    if self.is_appropriate_end(at) {
                        break at;
                    }
                    i = at + 1;
                }
            }
        };
        if end == start {
            // At the end tag itself: emit it and return to data mode.
            self.mode = TextMode::Data;
            return self.markup().unwrap_or(Token::Doctype);
        }
        self.pos = end;
        let text = &self.src[start..end];
        match self.mode {
            TextMode::RcData => Token::Text(replace_nul(decode_text_checked(
                text,
                Context::Data,
                &mut self.unsupported,
            ))),
            _ => {
                // Script data with `<!--` has escape states the fast path does not follow.
                self.unsupported |= self.end_of_raw == "script" && text.contains("<!--");
                Token::Text(normalize_raw(text))
            }
        }
    }

    fn is_appropriate_end(&self, at: usize) -> bool {
        let b = self.bytes();
        let name = self.end_of_raw.as_bytes();
        let after = at + 2 + name.len();
        b.get(at + 1) == Some(&b'/')
            && b.len() >= after
            && b[at + 2..after].eq_ignore_ascii_case(name)
            // At the end of input, `</style` is text, not an end tag.
            && b.get(after)
                .is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>')
    }

    /// Reads markup at a `<`; `None` when the `<` starts no markup and is plain text.
    fn markup(&mut self) -> Option<Token<'a>> {
        let b = self.bytes();
        let next = b.get(self.pos + 1).copied();
        match next {
            Some(c) if c.is_ascii_alphabetic() => Some(self.start_tag()),
            Some(b'/') => match b.get(self.pos + 2).copied() {
                Some(c) if c.is_ascii_alphabetic() => Some(self.end_tag()),
                Some(b'>') => {
                    // `</>` is dropped entirely.
                    self.pos += 3;
                    Some(Token::Text(Cow::Borrowed("")))
                }
                None => None,
                Some(_) => {
                    self.pos += 2;
                    Some(self.bogus_comment())
                }
            },
            Some(b'!') => {
                self.pos += 2;
                Some(self.declaration())
            }
            Some(b'?') => {
                self.pos += 1;
                Some(self.instruction())
            }
            _ => None,
        }
    }

    fn declaration(&mut self) -> Token<'a> {
        let rest = &self.src[self.pos..];
        if rest.starts_with("--") {
            self.pos += 2;
            return self.comment();
        }
        if rest
            .as_bytes()
            .get(..7)
            .is_some_and(|b| b.eq_ignore_ascii_case(b"doctype"))
        {
            let end = rest.find('>').map_or(self.src.len(), |i| self.pos + i + 1);
            self.pos = end;
            return Token::Doctype;
        }
        // CDATA sections are text in foreign content.
        self.unsupported |= rest.starts_with("[CDATA[");
        self.bogus_comment()
    }

    /// A comment after `<!--`, with the spec's abrupt endings `<!-->` and `<!--->`.
    fn comment(&mut self) -> Token<'a> {
        let rest = &self.src[self.pos..];
        if rest.starts_with('>') {
            self.pos += 1;
            return Token::Comment(Cow::Borrowed(""));
        }
        if rest.starts_with("->") {
            self.pos += 2;
            return Token::Comment(Cow::Borrowed(""));
        }
        let b = rest.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'-' && b.get(i + 1) == Some(&b'-') {
                if b.get(i + 2) == Some(&b'>') {
                    self.pos += i + 3;
                    return Token::Comment(normalize_raw(&rest[..i]));
                }
                if b.get(i + 2) == Some(&b'!') && b.get(i + 3) == Some(&b'>') {
                    self.pos += i + 4;
                    return Token::Comment(normalize_raw(&rest[..i]));
                }
            }
            i += 1;
        }
        self.pos = self.src.len();
        self.incomplete = true;
        // At the end of input, trailing dashes are not part of the comment's data.
        let data = rest
            .strip_suffix("--!")
            .or(rest.strip_suffix("--"))
            .or(rest.strip_suffix('-'))
            .unwrap_or(rest);
        Token::Comment(normalize_raw(data))
    }

    /// `</ …>` and `<!…>` that is not a comment or doctype: a comment up to `>`.
    fn bogus_comment(&mut self) -> Token<'a> {
        Token::Comment(self.bogus_data().0)
    }

    /// `<?…>`: a processing instruction, or a comment where it is not one (see
    /// [`instruction`]).
    fn instruction(&mut self) -> Token<'a> {
        let (data, closed) = self.bogus_data();
        let body = data.strip_prefix('?').unwrap_or(&data);
        match instruction::read(body, closed) {
            Instruction::Pi { target, data } => {
                Token::Pi(Cow::Owned(instruction::joined(target, data).into_owned()))
            }
            Instruction::Comment => Token::Comment(data),
            Instruction::Nothing => Token::Text(Cow::Borrowed("")),
        }
    }

    /// The data of a bogus comment from here up to `>`, and whether a `>` ended it.
    fn bogus_data(&mut self) -> (Cow<'a, str>, bool) {
        let rest = &self.src[self.pos..];
        let (data, used, closed) = match rest.find('>') {
            Some(i) => (&rest[..i], i + 1, true),
            None => {
                self.incomplete = true;
                (rest, rest.len(), false)
            }
        };
        self.pos += used;
        (normalize_raw(data), closed)
    }

    fn tag_name(&mut self) -> Cow<'a, str> {
        let b = self.bytes();
        let start = self.pos;
        while self.pos < b.len()
            && !is_ws(b[self.pos])
            && b[self.pos] != b'/'
            && b[self.pos] != b'>'
        {
            self.pos += 1;
        }
        lower(&self.src[start..self.pos])
    }

    fn end_tag(&mut self) -> Token<'a> {
        self.pos += 2;
        let name = self.tag_name();
        // Attributes on end tags are read and dropped; a tag cut off by the end of input is
        // dropped whole, as browsers do.
        match self.attributes() {
            Some(_) => Token::End { name },
            None => Token::Text(Cow::Borrowed("")),
        }
    }

    fn start_tag(&mut self) -> Token<'a> {
        self.pos += 1;
        let name = self.tag_name();
        match self.attributes() {
            Some(self_closing) => Token::Start { name, self_closing },
            None => Token::Text(Cow::Borrowed("")),
        }
    }

    /// Reads attributes into `self.attrs` up to and including the closing `>`; whether the tag
    /// is self-closing, or `None` when the input ends first.
    fn attributes(&mut self) -> Option<bool> {
        let b = self.bytes();
        loop {
            while self.pos < b.len() && is_ws(b[self.pos]) {
                self.pos += 1;
            }
            if self.pos >= b.len() {
                self.incomplete = true;
                return None;
            }
            match b[self.pos] {
                b'>' => {
                    self.pos += 1;
                    return Some(false);
                }
                b'/' => {
                    self.pos += 1;
                    if b.get(self.pos) == Some(&b'>') {
                        self.pos += 1;
                        return Some(true);
                    }
                    continue;
                }
                _ => {}
            }
            // Attribute name: the first character may be `=`.
            let start = self.pos;
            self.pos += 1;
            while self.pos < b.len()
                && !is_ws(b[self.pos])
                && !matches!(b[self.pos], b'/' | b'>' | b'=')
            {
                self.pos += 1;
            }
            let name = lower(&self.src[start..self.pos]);
            while self.pos < b.len() && is_ws(b[self.pos]) {
                self.pos += 1;
            }
            let mut value = Cow::Borrowed("");
            if b.get(self.pos) == Some(&b'=') {
                self.pos += 1;
                while self.pos < b.len() && is_ws(b[self.pos]) {
                    self.pos += 1;
                }
                value = self.attr_value();
            }
            if !self.attrs.iter().any(|(n, _)| *n == name) {
                self.attrs.push((name, value));
            }
        }
    }

    fn attr_value(&mut self) -> Cow<'a, str> {
        let b = self.bytes();
        let raw = match b.get(self.pos) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = self.pos + 1;
                let end = b[start..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |i| start + i);
                self.pos = (end + 1).min(b.len());
                &self.src[start..end]
            }
            _ => {
                let start = self.pos;
                while self.pos < b.len() && !is_ws(b[self.pos]) && b[self.pos] != b'>' {
                    self.pos += 1;
                }
                &self.src[start..self.pos]
            }
        };
        let decoded = decode_text_checked(raw, Context::Attribute, &mut self.unsupported);
        if decoded.contains('\0') {
            Cow::Owned(decoded.replace('\0', "\u{fffd}"))
        } else {
            decoded
        }
    }
}

/// ASCII lower case, with NUL replaced; borrows when nothing changes.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|c| c.is_ascii_uppercase() || c == 0) {
        Cow::Owned(s.to_ascii_lowercase().replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(s)
    }
}

fn find_lt(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'<')
        .map_or(b.len(), |i| from + i)
}

/// Newline normalisation (CR LF and lone CR become LF) for text that has no references, with
/// NUL read as U+FFFD, as in raw text, RCDATA and comments.
pub(crate) fn normalize_raw(s: &str) -> Cow<'_, str> {
    let s = if s.contains('\r') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(s)
    };
    replace_nul(s)
}

/// NUL as U+FFFD; borrows when there is none.
pub(crate) fn replace_nul(s: Cow<'_, str>) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', "\u{fffd}"))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(src: &str) -> Vec<Token<'_>> {
        let mut t = Tokenizer::new(src);
        std::iter::from_fn(|| t.next_token()).collect()
    }

    /// The attributes of the first start tag in `src`.
    fn first_attrs(src: &str) -> Vec<(String, String)> {
        let mut t = Tokenizer::new(src);
        while let Some(tok) = t.next_token() {
            if matches!(tok, Token::Start { .. }) {
                return t
                    .attrs
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect();
            }
        }
        Vec::new()
    }

    #[test]
    fn tags_attributes_and_text() {
        let src = r#"<A Href=x b='y' c="z" d>t&amp;</a>"#;
        let toks = all(src);
        assert_eq!(
            toks[0],
            Token::Start {
                name: "a".into(),
                self_closing: false
            }
        );
        let pair = |n: &str, v: &str| (n.to_string(), v.to_string());
        assert_eq!(
            first_attrs(src),
            vec![
                pair("href", "x"),
                pair("b", "y"),
                pair("c", "z"),
                pair("d", "")
            ]
        );
        assert_eq!(toks[1], Token::Text("t&".into()));
        assert_eq!(toks[2], Token::End { name: "a".into() });
    }

    #[test]
    fn comments_and_markers() {
        assert_eq!(all("<!>"), vec![Token::Comment("".into())]);
        assert_eq!(all("<!---->"), vec![Token::Comment("".into())]);
        assert_eq!(all("<!-->"), vec![Token::Comment("".into())]);
        assert_eq!(all("<!-- a -->"), vec![Token::Comment(" a ".into())]);
        assert_eq!(all("<?x>"), vec![Token::Pi("x".into())]);
        assert_eq!(all("<?x y?>"), vec![Token::Pi("x y".into())]);
        assert_eq!(all("<?1>"), vec![Token::Comment("?1".into())]);
    }

    #[test]
    fn markup_declarations_with_non_ascii_do_not_panic() {
        for src in ["<!abcdefé>", "<!é", "<!doc\u{e9}", "<!--é", "</é>", "<é>"] {
            let _ = all(src);
        }
    }

    #[test]
    fn a_tag_cut_off_by_the_end_of_input_is_dropped() {
        assert_eq!(
            all("a<b c=d"),
            vec![Token::Text("a".into()), Token::Text("".into())]
        );
        assert_eq!(all("</p"), vec![Token::Text("".into())]);
    }

    #[test]
    fn lone_lt_is_text() {
        assert_eq!(
            all("a < b"),
            vec![Token::Text("a ".into()), Token::Text("< b".into())]
        );
    }

    #[test]
    fn duplicate_attribute_keeps_first() {
        assert_eq!(
            first_attrs("<p a=1 a=2>"),
            vec![("a".to_string(), "1".to_string())]
        );
    }
}
