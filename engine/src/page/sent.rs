//! What the client has: the page's last sent HTML and, when worth it, its parsed tree; and how
//! a new render turns into operations from there.

use std::borrow::Cow;

use crate::diff::{Op, Unrepresentable, diff, diff_planned};
use crate::html::{Tree, parse_fragment, reparse};
use crate::page::render::Rendered;
use crate::stream::{StreamOps, fill_html, needs_tree};

/// The page as the client has it at the page's current version.
///
/// A page the user is interacting with (events within the last `hot_window`) and a large page
/// (HTML over `keep_tree_above_bytes`) keep the parsed tree: a new render is then reparsed only
/// around what changed, when the change allows it. Other pages keep only their HTML: an idle
/// page costs little more than its HTML, and a push every few seconds pays one parse of a few
/// kilobytes.
pub(crate) struct Sent {
    html: Box<str>,
    tree: Option<Tree>,
}

impl Sent {
    pub(crate) fn keep(rendered: Rendered, keep_tree_above: usize, hot: bool) -> Sent {
        let large = rendered.html.len() > keep_tree_above;
        let tree = (large || hot).then(|| {
            let mut tree = rendered.tree;
            if large {
                tree.shrink();
            }
            tree
        });
        Sent {
            html: rendered.html.into_boxed_str(),
            tree,
        }
    }

    /// A first render, as HTML only; a large page parses its tree now, a small one when it
    /// first changes.
    pub(crate) fn from_html(html: String, keep_tree_above: usize) -> Sent {
        if html.len() > keep_tree_above {
            let tree = parse_fragment(&html);
            Sent::keep(Rendered { html, tree }, keep_tree_above, false)
        } else {
            Sent {
                html: html.into_boxed_str(),
                tree: None,
            }
        }
    }

    /// The HTML the client has.
    pub(crate) fn html(&self) -> &str {
        &self.html
    }

    /// The tree the client has, parsed again when it was not kept.
    pub(crate) fn tree(&self) -> Cow<'_, Tree> {
        match &self.tree {
            Some(tree) => Cow::Borrowed(tree),
            None => Cow::Owned(parse_fragment(&self.html)),
        }
    }

    /// Whether a small page keeps its tree only because it is in use.
    pub(crate) fn is_hot(&self, keep_tree_above: usize) -> bool {
        self.tree.is_some() && self.html.len() <= keep_tree_above
    }

    /// Drops the parsed tree of a small page, keeping its HTML.
    pub(crate) fn cool(&mut self, keep_tree_above: usize) {
        if self.html.len() <= keep_tree_above {
            self.tree = None;
        }
    }

    /// Moves to a new render and returns the operations from the old one. With a kept tree and
    /// a local change, only the changed region is parsed. `Err` when the change cannot be
    /// operations: the client needs the whole page, which [`Sent::html`] then holds.
    ///
    /// Stream items in `streams` that still have no HTML (those the render showed in place)
    /// take it from the new render's tree; the tree is parsed for that only when needed.
    pub(crate) fn advance(
        &mut self,
        html: String,
        keep_tree_above: usize,
        hot: bool,
        streams: &mut [StreamOps],
    ) -> Result<Vec<Op>, Unrepresentable> {
        if *html == *self.html {
            if needs_tree(streams) {
                fill_html(streams, &self.tree());
            }
            return Ok(Vec::new());
        }
        if let Some(tree) = &mut self.tree
            && let Some(plan) = reparse::plan(&self.html, tree, &html)
            && let Ok(ops) = diff_planned(tree, &plan)
        {
            plan.apply(tree);
            fill_html(streams, tree);
            self.html = html.into_boxed_str();
            if !hot {
                self.cool(keep_tree_above);
            }
            return Ok(ops);
        }
        let tree = parse_fragment(&html);
        let ops = diff(&self.tree(), &tree);
        fill_html(streams, &tree);
        *self = Sent::keep(Rendered { html, tree }, keep_tree_above, hot);
        ops
    }
}
