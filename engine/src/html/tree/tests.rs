//! The tree's hashing, equality and edits.

use super::*;
use crate::html::parse_fragment;

#[test]
fn hash_changes_with_any_descendant() {
    let (a, a2, b) = (
        parse_fragment("<p>a</p>"),
        parse_fragment("<p>a</p>"),
        parse_fragment("<p>b</p>"),
    );
    assert_eq!(a.subtree_hash(), a2.subtree_hash());
    assert_ne!(a.subtree_hash(), b.subtree_hash());
    assert_eq!(a, a2);
    assert_ne!(a, b);
}

#[test]
fn hash_ignores_attribute_order_but_not_where_strings_split() {
    let h = |html: &str| parse_fragment(html).children().at(0).subtree_hash();
    assert_eq!(h(r#"<p a="1" b="2"></p>"#), h(r#"<p b="2" a="1"></p>"#));
    assert_eq!(
        h(r#"<p a="1" b="2" c="3"></p>"#),
        h(r#"<p c="3" a="1" b="2"></p>"#)
    );
    assert_ne!(h(r#"<p ab=""></p>"#), h(r#"<p a="b"></p>"#));
    assert_ne!(h("ab"), h("<p></p>"));
}

#[test]
fn compaction_keeps_the_tree_and_drops_the_dead() {
    let mut t = parse_fragment(r#"<ul><li id="a">A</li><li id="b">B</li></ul><p>x</p>"#);
    let before = t.clone();
    let ul = t.id_at(&[0]).unwrap();
    let reverse = |t: &mut Tree| {
        let mut kids = t.kid_recs(ul);
        kids.reverse();
        t.set_kids(ul, kids);
        t.rehash(ul);
        t.rehash(t.root_id());
    };
    reverse(&mut t);
    assert_ne!(t, before);
    reverse(&mut t);
    assert_eq!(t, before);
    assert!(t.arena.nodes.len() > before.root().len());
    t.compact();
    assert_eq!(t, before);
    assert_eq!(t.arena.nodes.len(), before.root().len());
}
