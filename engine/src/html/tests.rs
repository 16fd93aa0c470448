//! Parser cases whose expected trees are what browsers build for the same `innerHTML`.

use super::*;

fn round(html: &str) -> String {
    inner_html(&parse_fragment(html))
}

#[test]
fn implied_tbody_and_rows() {
    assert_eq!(
        round("<table><tr><td>1</td></tr></table>"),
        "<table><tbody><tr><td>1</td></tr></tbody></table>"
    );
    assert_eq!(
        round("<table><td>1</table>"),
        "<table><tbody><tr><td>1</td></tr></tbody></table>"
    );
    assert_eq!(
        round("<table><col></table>"),
        "<table><colgroup><col></colgroup></table>"
    );
    assert_eq!(
        round("<table><thead><tr><th>a<tbody><tr><td>b<td>c</table>"),
        "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td><td>c</td></tr></tbody></table>"
    );
    assert_eq!(
        round("<table>\n <tr><td>1</td></tr>\n</table>"),
        "<table>\n <tbody><tr><td>1</td></tr>\n</tbody></table>"
    );
}

#[test]
fn table_parts_outside_tables_are_dropped() {
    assert_eq!(round("<tr><td>x</td></tr>"), "x");
}

#[test]
fn paragraphs_close_implicitly() {
    assert_eq!(round("<p>a<p>b"), "<p>a</p><p>b</p>");
    assert_eq!(round("<p>a<div>b</div>"), "<p>a</p><div>b</div>");
    assert_eq!(round("</p>"), "<p></p>");
    assert_eq!(
        round("<p><span>a<ul><li>b</ul>"),
        "<p><span>a</span></p><ul><li>b</li></ul>"
    );
}

#[test]
fn lists_and_options() {
    assert_eq!(
        round("<ul><li>a<li>b</ul>"),
        "<ul><li>a</li><li>b</li></ul>"
    );
    assert_eq!(
        round("<dl><dt>a<dd>b<dt>c</dl>"),
        "<dl><dt>a</dt><dd>b</dd><dt>c</dt></dl>"
    );
    assert_eq!(
        round("<select><option>a<option>b</select>"),
        "<select><option>a</option><option>b</option></select>"
    );
}

#[test]
fn void_elements_and_self_closing() {
    assert_eq!(
        round("<br/><img src=a><input>x"),
        "<br><img src=\"a\"><input>x"
    );
    // `/>` does not close a non-void HTML element.
    assert_eq!(round("<div/>x"), "<div>x</div>");
    assert_eq!(round("</br>"), "<br>");
}

#[test]
fn entities_comments_and_markers() {
    let root = parse_fragment("a&amp;b<!>c<!---->&#x41;&nbsp;");
    let kinds: Vec<_> = root.children().iter().map(|n| n.data()).collect();
    assert_eq!(
        kinds,
        vec![
            NodeData::Text("a&b"),
            NodeData::Comment(""),
            NodeData::Text("c"),
            NodeData::Comment(""),
            NodeData::Text("A\u{a0}"),
        ]
    );
}

#[test]
fn raw_text_and_rcdata() {
    let root = parse_fragment("<script>a<b>&amp;</script><textarea>\nx<y>&amp;</textarea>");
    assert_eq!(root.children().at(0).text_content(), "a<b>&amp;");
    assert_eq!(root.children().at(1).text_content(), "x<y>&");
    assert_eq!(round("<pre>\n\nx</pre>"), "<pre>\n\nx</pre>");
    assert_eq!(parse_fragment("<pre>\nx</pre>").text_content(), "x");
}

#[test]
fn svg_is_foreign_with_adjusted_names() {
    let root = parse_fragment(r#"<svg viewBox="0 0 1 1"><linearGradient/><circle r=1 /></svg><p>"#);
    let svg = root.children().at(0);
    let e = svg.as_element().unwrap();
    assert_eq!(
        (e.ns, e.name, e.attrs().next().map(|a| a.name)),
        (Namespace::Svg, "svg", Some("viewBox"))
    );
    let grad = svg.children().at(0).as_element().unwrap();
    assert_eq!(grad.name, "linearGradient");
    assert_eq!(svg.children().len(), 2);
    assert_eq!(
        root.children().at(1).as_element().unwrap().ns,
        Namespace::Html
    );
    // HTML breakout tags leave svg.
    let root = parse_fragment("<svg><p>x</p></svg>");
    assert_eq!(root.children().len(), 2);
}

#[test]
fn whitespace_text_is_kept() {
    let root = parse_fragment("<div>\n  <span>a</span>\n</div>");
    assert_eq!(root.children().at(0).children().len(), 3);
}

#[test]
fn stray_end_tags_are_ignored() {
    assert_eq!(round("<div>a</span>b</div>"), "<div>ab</div>");
    // A misnested formatting tag goes to the full parser (the adoption agency).
    assert_eq!(round("<b><div>x</b></div>"), "<b></b><div><b>x</b></div>");
    assert!(!on_fast_path("<b><div>x</b></div>"));
}

#[test]
fn forms_follow_the_form_element_pointer() {
    // A `</form>` removes the form from the open elements and leaves those above it open.
    assert_eq!(round("<form><ip></form>o"), "<form><ip>o</ip></form>");
    assert_eq!(round("<form><span></form>x"), "<form><span>x</span></form>");
    // A form closed by another end tag still holds the pointer: the next `<form>` is ignored.
    assert_eq!(
        round("<div><form></div><form>x</form>y"),
        "<div><form></form></div>xy"
    );
    assert!(!on_fast_path("<div><form></div><form>x</form>y"));
    // Inside a form, or with the form as the context, `<form>` is ignored.
    assert_eq!(round("<form><form>x</form>y</form>z"), "<form>x</form>yz");
    // As Chromium does; html5ever sets no pointer for a form context.
    let t = parse_fragment_in("<form>x</form>y<form>z</form>", Namespace::Html, "form");
    assert_eq!(inner_html(&t), "xy<form>z</form>");
    // Well-nested forms stay on the fast path, as Leptos writes them.
    for html in [
        "<form><input name=\"a\"><button>go</button></form><form></form>",
        "<p>a<form><p>b</form>c",
        "</form>x",
    ] {
        assert!(on_fast_path(html), "{html}");
        assert_eq!(
            parse_fragment(html),
            parse_fragment_reference(html),
            "{html}"
        );
    }
}

#[test]
fn serialisation_round_trips() {
    for html in [
        "<div class=\"a &quot;b&quot;\">x &lt; y &amp; z</div>",
        "<svg><circle r=\"1\"></circle></svg>",
        "<textarea>\n\nhello</textarea>",
        "<style>a > b {}</style>",
        "<!--c--><p>t</p>",
    ] {
        let a = parse_fragment(html);
        let b = parse_fragment(&inner_html(&a));
        assert_eq!(a, b, "{html}");
    }
}

#[test]
fn fragments_that_would_close_their_context_use_the_full_parser() {
    // These used to loop: a table part that closes a table-part context.
    for (html, ctx) in [
        ("<tr><td>1</td></tr>", "tr"),
        ("<tbody>", "tbody"),
        ("<table>", "table"),
        ("<option>b", "option"),
    ] {
        let t = parse_fragment_in(html, Namespace::Html, ctx);
        assert_eq!(t.root().as_element().map(|e| e.name), Some(ctx));
    }
}

#[test]
fn foreign_elements_do_not_bound_the_table_scope() {
    // Found by the parse fuzz target: a cell starts inside MathML text in a cell, and closes it.
    for html in [
        "<table><td><math><mi><b>x<td>y</table>",
        "<table><td><math><mi>x<td>y</table>",
        "<table><td><svg><foreignObject><i>x<td>y</table>",
    ] {
        assert_eq!(
            parse_fragment(html),
            parse_fragment_reference(html),
            "{html}"
        );
    }
}
