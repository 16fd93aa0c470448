//! Processing instructions for the html5ever fallback: tokens on their way from the tokenizer to
//! the tree builder, with the comments that `<?…>` opened read again as the browser reads them.
//!
//! html5ever reads `<?…>` as a bogus comment; the browser consumes the same characters and
//! builds a processing instruction where they make one (see [`instruction`]). The tokenizer
//! reports a parse error at the `?` and then gives that comment, so the comment after that
//! error is the markup's. It is held until the next token, which says whether a `>` ended it or
//! the end of the input did, and then handed on: as a processing instruction (the tree builder
//! inserts it where it inserts a comment, and the sink makes the node), as the comment, or not
//! at all.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{Token, TokenSink, TokenSinkResult};
use html5ever::tree_builder::TreeBuilder;

use super::super::instruction::{self, Instruction};
use super::{FlatSink, Handle};

/// The error html5ever's tokenizer reports at `<?` (with its default options, which spell
/// errors out; a unit test keeps this true).
const AT_QUESTION_MARK: &str = "Saw ? in state TagOpen";

/// The tree builder behind a watch for `<?…>`.
pub(super) struct Instructions {
    builder: TreeBuilder<Handle, FlatSink>,
    /// Whether the input ends with `>`: a comment held to its end was then ended by it.
    ends_with_gt: bool,
    /// Set by the error at `<?`: the next comment is that markup's.
    opened: Cell<bool>,
    /// The markup's comment, held until the next token, with its line.
    held: RefCell<Option<(StrTendril, u64)>>,
}

impl Instructions {
    pub(super) fn new(builder: TreeBuilder<Handle, FlatSink>, html: &str) -> Instructions {
        Instructions {
            builder,
            ends_with_gt: html.ends_with('>'),
            opened: Cell::new(false),
            held: RefCell::new(None),
        }
    }

    /// The sink, once the parse is over.
    pub(super) fn into_sink(self) -> FlatSink {
        self.builder.sink
    }

    /// Hands the held comment on as what the browser builds of it.
    fn release(&self, comment: StrTendril, closed: bool, line: u64) {
        let body = comment.strip_prefix('?').unwrap_or(&comment);
        match instruction::read(body, closed) {
            Instruction::Pi { target, data } => {
                let joined = instruction::joined(target, data).into_owned();
                self.builder.sink.instruction.replace(Some(joined));
            }
            Instruction::Comment => {}
            Instruction::Nothing => return,
        }
        // A comment never asks the tokenizer to change its state.
        let _ = self
            .builder
            .process_token(Token::CommentToken(comment), line);
        // Every insertion mode inserts a comment; should one not, the mark goes unused here.
        self.builder.sink.instruction.take();
    }
}

impl TokenSink for Instructions {
    type Handle = Handle;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<Handle> {
        let held = self.held.take();
        if let Some((comment, at)) = held {
            // A comment the input ended inside is followed by the end at once, and the input
            // then does not end with `>` (that would have ended it).
            let closed = !matches!(token, Token::EOFToken) || self.ends_with_gt;
            self.release(comment, closed, at);
        }
        match token {
            Token::ParseError(ref msg) if msg == AT_QUESTION_MARK => self.opened.set(true),
            Token::CommentToken(comment) if self.opened.replace(false) => {
                self.held.replace(Some((comment, line)));
                return TokenSinkResult::Continue;
            }
            Token::ParseError(_) => {}
            _ => self.opened.set(false),
        }
        self.builder.process_token(token, line)
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

#[cfg(test)]
mod tests {
    use crate::html::NodeData;

    /// What the fallback builds of `html`: `(kind, text)` per top-level node.
    fn nodes(html: &str) -> Vec<(&'static str, String)> {
        let tree = super::super::parse(html, crate::html::Namespace::Html, "div");
        tree.children()
            .iter()
            .map(|n| match n.data() {
                NodeData::Text(t) => ("text", t.to_string()),
                NodeData::Comment(c) => ("comment", c.to_string()),
                NodeData::ProcessingInstruction { target, data } => {
                    ("pi", format!("{target}|{data}"))
                }
                NodeData::Element(e) => ("element", e.name.to_string()),
            })
            .collect()
    }

    #[test]
    fn builds_instructions_where_the_browser_does() {
        let pi = |s: &str| ("pi", s.to_string());
        let comment = |s: &str| ("comment", s.to_string());
        let text = |s: &str| ("text", s.to_string());
        assert_eq!(nodes("<?x y?>"), vec![pi("x|y")]);
        assert_eq!(nodes("<?COMMENT?>"), vec![pi("COMMENT|")]);
        assert_eq!(
            nodes("a<?x?>b<!--?y?-->"),
            vec![text("a"), pi("x|"), text("b"), comment("?y?")]
        );
        assert_eq!(
            nodes("<?xml version=\"1.0\">Hi"),
            vec![comment("?xml version=\"1.0\""), text("Hi")]
        );
        assert_eq!(nodes("<?"), vec![]);
        assert_eq!(nodes("<?x y"), vec![]);
        assert_eq!(nodes("<?1a"), vec![comment("?1a")]);
        assert_eq!(nodes("<?x?></span"), vec![pi("x|")]);
        assert_eq!(
            nodes("<?x?><p>1"),
            vec![pi("x|"), ("element", "p".to_string())]
        );
        assert_eq!(
            nodes("<table><?x?><tr><td>1</table>"),
            vec![("element", "table".to_string())]
        );
        assert_eq!(
            nodes("<textarea><?x?></textarea>"),
            vec![("element", "textarea".to_string())]
        );
    }
}
