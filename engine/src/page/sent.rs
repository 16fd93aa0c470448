//! What the client has: the page's last sent HTML and, when worth it, its parsed tree; and how
//! a new render turns into operations from there.

use std::borrow::Cow;

use crate::component::{Arrangement, HtmlSplice};
use crate::diff::{Op, Unrepresentable, diff, diff_planned};
use crate::html::reparse::common_byte_ends;
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
    /// Exactly its length while the page is idle; a page in use keeps room to grow.
    html: String,
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
            html: shrunk(rendered.html),
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
                html: shrunk(html),
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
        self.html.shrink_to_fit();
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
        let plan = (self.tree.as_ref()).and_then(|tree| reparse::plan(&self.html, tree, &html));
        self.take(shrunk(html), plan, keep_tree_above, hot, streams)
    }

    /// Moves to a new render whose components are arranged as `placed` says, and returns the
    /// operations, as [`Sent::advance`] does. With a kept tree, the components the render did
    /// not render again are skipped by identity (not compared, not parsed), and each stretch that
    /// changed (a component rendered again with new HTML, or the page's own HTML between two
    /// components) is spliced in on its own, from the last to the first, so that nothing between
    /// them is parsed again. Without a kept tree, or when stream items wait for their HTML, it
    /// is [`Sent::advance`].
    pub(crate) fn advance_parts(
        &mut self,
        html: String,
        placed: Arrangement,
        keep_tree_above: usize,
        hot: bool,
        streams: &mut [StreamOps],
    ) -> Result<Vec<Op>, Unrepresentable> {
        let Arrangement { before, after } = placed;
        let fits = |parts: &[crate::component::Part], total: usize| {
            let mut end = 0;
            parts.iter().all(|p| {
                let ok = p.at >= end && p.at + p.len <= total;
                end = p.at + p.len;
                ok
            })
        };
        if self.tree.is_none()
            || needs_tree(streams)
            || before.len() != after.len()
            || !fits(&before, self.html.len())
            || !fits(&after, html.len())
        {
            return self.advance(html, keep_tree_above, hot, streams);
        }
        // The stretches that changed, in document order: (where in the old, its length, where
        // in the new, its length).
        let mut changes: Vec<(usize, usize, usize, usize)> = Vec::new();
        let (mut old_at, mut new_at) = (0, 0);
        let mut differs = |o: (usize, usize), n: (usize, usize), old: &str, new: &str| {
            if old.get(o.0..o.1) != new.get(n.0..n.1) {
                changes.push((o.0, o.1 - o.0, n.0, n.1 - n.0));
            }
        };
        for (b, a) in before.iter().zip(&after) {
            differs((old_at, b.at), (new_at, a.at), &self.html, &html);
            if a.fresh {
                differs(
                    (b.at, b.at + b.len),
                    (a.at, a.at + a.len),
                    &self.html,
                    &html,
                );
            }
            (old_at, new_at) = (b.at + b.len, a.at + a.len);
        }
        differs(
            (old_at, self.html.len()),
            (new_at, html.len()),
            &self.html,
            &html,
        );
        let mut ops = Vec::new();
        for &(at, old_len, new_at, new_len) in changes.iter().rev() {
            let new = html[new_at..new_at + new_len].to_string();
            let splice = HtmlSplice { at, old_len, new };
            // Hot until the last: the tree stays for the splices after this one.
            match self.splice(splice, keep_tree_above, true, streams) {
                Ok(more) if self.tree.is_some() => ops.extend(more),
                // A stretch the kept tree could not take: the whole page, as advance would.
                _ => {
                    *self = Sent::from_html(html, keep_tree_above);
                    return Err(Unrepresentable);
                }
            }
        }
        debug_assert!(self.html == html, "the splices make the new render");
        if !hot {
            self.cool(keep_tree_above);
        }
        Ok(ops)
    }

    /// Moves to the page with `splice` made in its HTML and returns the operations, as
    /// [`Sent::advance`] does. With a kept tree the work is the part's: neither HTML is compared
    /// whole, and only the part is parsed again.
    pub(crate) fn splice(
        &mut self,
        splice: HtmlSplice,
        keep_tree_above: usize,
        hot: bool,
        streams: &mut [StreamOps],
    ) -> Result<Vec<Op>, Unrepresentable> {
        let HtmlSplice { at, old_len, new } = splice;
        let old_total = self.html.len();
        let Some(old) = self.html.get(at..at + old_len) else {
            return Err(Unrepresentable);
        };
        if self.tree.is_none() {
            let html = [&self.html[..at], new.as_str(), &self.html[at + old_len..]].concat();
            return self.advance(html, keep_tree_above, hot, streams);
        }
        if *old == *new {
            fill_html(streams, &self.tree());
            return Ok(Vec::new());
        }
        let (p, s) = common_byte_ends(old.as_bytes(), new.as_bytes());
        let (prefix, suffix) = (at + p, old_total - at - old_len + s);
        // In place: a page in use keeps the room its HTML grew into.
        let mut html = std::mem::take(&mut self.html);
        html.replace_range(at..at + old_len, &new);
        let plan = (self.tree.as_ref())
            .and_then(|tree| reparse::plan_between(old_total, tree, &html, prefix, suffix));
        self.take(html, plan, keep_tree_above, hot, streams)
    }

    /// Takes `html` as the page the client has, with the operations there from the tree kept:
    /// through `plan` when there is one that diffs, by a whole parse otherwise.
    fn take(
        &mut self,
        html: String,
        plan: Option<reparse::Plan>,
        keep_tree_above: usize,
        hot: bool,
        streams: &mut [StreamOps],
    ) -> Result<Vec<Op>, Unrepresentable> {
        if let Some(plan) = plan
            && let Some(tree) = &mut self.tree
            && let Ok(ops) = diff_planned(tree, &plan)
        {
            plan.apply(tree);
            fill_html(streams, tree);
            self.html = html;
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

/// `html` holding no more memory than its length.
fn shrunk(mut html: String) -> String {
    html.shrink_to_fit();
    html
}
