//! Editing a tree in place by path, as the browser applies operations: for the diff's `apply`,
//! which the test client and the project's tests use.

use super::{Node, Rec, Run, Tree};

impl Tree {
    /// The id of the node at `path` (child indices from the root).
    pub(crate) fn id_at(&self, path: &[u32]) -> Option<u32> {
        let mut id = self.root;
        for &i in path {
            let k = self.rec(id).kids;
            if i >= k.len {
                return None;
            }
            id = k.start + i;
        }
        Some(id)
    }
    /// Recomputes the hashes of the whole tree, bottom up.
    pub(crate) fn rehash_deep(&mut self) {
        fn go(t: &mut Tree, id: u32) {
            for k in t.kid_ids(id) {
                go(t, k);
            }
            t.rehash(id);
        }
        go(self, self.root);
    }
    /// Makes `kids` (records of this tree's arena) the children of `id`; the old list is left
    /// behind as garbage.
    pub(crate) fn set_kids(&mut self, id: u32, kids: Vec<Rec>) {
        let start = self.arena.nodes.len() as u32;
        let len = kids.len() as u32;
        self.arena.nodes.extend(kids);
        self.rec_mut(id).kids = Run { start, len };
    }
    /// The children of `id` as records, to build a new list from.
    pub(crate) fn kid_recs(&self, id: u32) -> Vec<Rec> {
        self.arena.nodes[self.rec(id).kids.range()].to_vec()
    }
    /// Sets the data of a text or comment node.
    pub(crate) fn set_data(&mut self, id: u32, s: &str) {
        let run = self.arena.str(s);
        self.rec_mut(id).s = run;
    }
    /// The attributes of element `id` as name and value pairs.
    pub(crate) fn attr_pairs(&self, id: u32) -> Vec<(String, String)> {
        let a = &self.arena;
        a.attrs[self.rec(id).attrs.range()]
            .iter()
            .map(|r| (a.get(r.name).to_owned(), a.get(r.value).to_owned()))
            .collect()
    }
    /// Gives element `id` the attributes `pairs`, in that order.
    pub(crate) fn set_attrs(&mut self, id: u32, pairs: &[(String, String)]) {
        let run = self
            .arena
            .add_attrs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        self.rec_mut(id).attrs = run;
    }
    /// The node `id`.
    pub(crate) fn node(&self, id: u32) -> Node<'_> {
        Node { tree: self, id }
    }
}
