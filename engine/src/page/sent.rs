//! What the client has: the page's last sent HTML and, when worth it, its parsed tree; and how
//! a new render turns into operations from there.

use std::borrow::Cow;
use std::sync::Arc;

use crate::component::{Arrangement, HtmlSplice};
use crate::diff::{Op, Unrepresentable, diff, diff_planned};
use crate::html::reparse::common_byte_ends;
use crate::html::{Tree, parse_fragment, reparse};
use crate::page::packed::Packed;
use crate::page::render::Rendered;
use crate::stream::{StreamOps, fill_html, needs_tree};

/// The page as the client has it at the page's current version.
///
/// A page the user is interacting with (events within the last `hot_window`) and a large page
/// (HTML over `keep_tree_above_bytes`) keep the parsed tree: a new render is then reparsed only
/// around what changed, when the change allows it. Other pages keep only their HTML: an idle
/// page costs little more than its HTML, and a push every few seconds pays one parse of a few
/// kilobytes. An idle page's HTML is kept compressed against another page of its route
/// ([`Packed`]); its next change unpacks it.
pub(crate) struct Sent {
    /// Exactly its length while the page is idle; a page in use keeps room to grow. Empty while
    /// packed.
    html: String,
    tree: Option<Tree>,
    /// The HTML, while the page is idle and it is worth packing (boxed: a page that never
    /// packs pays a word).
    packed: Option<Box<Packed>>,
    /// The page's route: pages of one route share their packing dictionary.
    family: Arc<str>,
}

impl Sent {
    pub(crate) fn keep(
        rendered: Rendered,
        keep_tree_above: usize,
        hot: bool,
        family: Arc<str>,
    ) -> Sent {
        let large = rendered.html.len() > keep_tree_above;
        let tree = (large || hot).then(|| {
            let mut tree = rendered.tree;
            if large {
                tree.shrink();
            }
            tree
        });
        Sent::settled(rendered.html, tree, family)
    }

    /// A first render, as HTML only; a large page parses its tree now, a small one when it
    /// first changes.
    pub(crate) fn from_html(html: String, keep_tree_above: usize, family: Arc<str>) -> Sent {
        if html.len() > keep_tree_above {
            let tree = parse_fragment(&html);
            Sent::keep(Rendered { html, tree }, keep_tree_above, false, family)
        } else {
            Sent::settled(html, None, family)
        }
    }

    /// The HTML the client has, at its length, with the tree kept (if any): packed when idle.
    fn settled(html: String, tree: Option<Tree>, family: Arc<str>) -> Sent {
        let mut sent = Sent {
            html: shrunk(html),
            tree,
            packed: None,
            family,
        };
        sent.pack();
        sent
    }

    /// The HTML the client has (a copy, unpacked, when the page is idle).
    pub(crate) fn html(&self) -> Cow<'_, str> {
        match &self.packed {
            Some(packed) => Cow::Owned(packed.unpack().unwrap_or_default()),
            None => Cow::Borrowed(&self.html),
        }
    }

    /// The page's route, which names its packing dictionary.
    pub(crate) fn family(&self) -> Arc<str> {
        self.family.clone()
    }

    /// An idle page (no tree kept) packs its HTML, when that is worth it.
    fn pack(&mut self) {
        if self.tree.is_none()
            && self.packed.is_none()
            && let Some(packed) = Packed::pack(&self.html, &self.family)
        {
            self.packed = Some(Box::new(packed));
            self.html = String::new();
        }
    }

    /// The page changes: its HTML plain again. False if it did not unpack (never expected): the
    /// client then gets the whole page.
    fn unpack(&mut self) -> bool {
        match self.packed.take() {
            None => true,
            Some(packed) => match packed.unpack() {
                Some(html) => {
                    self.html = html;
                    true
                }
                None => false,
            },
        }
    }

    /// The tree the client has, parsed again when it was not kept (of the plain HTML).
    fn tree(&self) -> Cow<'_, Tree> {
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
        self.pack();
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
        if !self.unpack() {
            *self = Sent::from_html(html, keep_tree_above, self.family.clone());
            return Err(Unrepresentable);
        }
        if *html == *self.html {
            if needs_tree(streams) {
                fill_html(streams, &self.tree());
            }
            if !hot {
                self.cool(keep_tree_above);
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
                    *self = Sent::from_html(html, keep_tree_above, self.family.clone());
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
        if !self.unpack() {
            return Err(Unrepresentable);
        }
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
        *self = Sent::keep(
            Rendered { html, tree },
            keep_tree_above,
            hot,
            self.family.clone(),
        );
        ops
    }
}

/// `html` holding no more memory than its length.
fn shrunk(mut html: String) -> String {
    html.shrink_to_fit();
    html
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::diff::apply;
    use crate::html::inner_html;

    /// A page of a route: the same header and classes every time, and rows that change.
    fn page(rows: &[(u8, u8)]) -> String {
        let rows: String = rows
            .iter()
            .map(|(k, v)| {
                format!(
                    r#"<li id="r{k}" class="flex items-center gap-2 rounded-lg px-3 py-1.5 text-slate-700">row {v}</li>"#
                )
            })
            .collect();
        format!(
            r#"<header class="flex items-center justify-between border-b px-4 py-2"><h1 class="text-lg font-semibold">a room</h1></header><ul class="space-y-0.5 text-sm">{rows}</ul><footer>{}</footer>"#,
            rows.len()
        )
    }

    proptest! {
        /// Idle pages keep their HTML packed; whatever the order of idle and hot steps, each
        /// step's operations take the client from the last page to the next exactly.
        #[test]
        fn packed_pages_patch_to_each_render(
            steps in prop::collection::vec(
                (prop::collection::vec((0u8..12, 0u8..4), 0..12), any::<bool>()),
                1..8,
            ),
        ) {
            let family: Arc<str> = Arc::from("/test/sent/{room}");
            let first = page(&[(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6)]);
            let mut client = parse_fragment(&first);
            let mut sent = Sent::from_html(first, 64 * 1024, family);
            prop_assert!(sent.packed.is_some(), "an idle page of this size is packed");
            for (rows, hot) in steps {
                let mut rows = rows;
                rows.sort_by_key(|r| r.0);
                rows.dedup_by_key(|r| r.0);
                let next = page(&rows);
                match sent.advance(next.clone(), 64 * 1024, hot, &mut []) {
                    Ok(ops) => apply(&mut client, &ops).expect("the operations apply"),
                    Err(Unrepresentable) => client = parse_fragment(&sent.html()),
                }
                prop_assert_eq!(inner_html(&client), inner_html(&parse_fragment(&next)));
                prop_assert_eq!(sent.html(), next.as_str());
                prop_assert_eq!(
                    sent.packed.is_some(),
                    !hot && next.len() >= crate::page::packed::PACK_FROM
                );
            }
        }
    }
}
